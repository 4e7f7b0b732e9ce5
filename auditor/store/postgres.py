"""The result store in PostgreSQL: for several machines auditing one batch together.

Same contract as the SQLite store (`auditor/store/__init__.py`), same tables and the same
idempotent SQL, through psycopg 3 (the `distributed` extra):

* one transaction per `save`, committed before it returns;
* `INSERT ... ON CONFLICT DO NOTHING` on (batch id, url, device): the first result of a
  site in a batch is kept, whoever saves it; a second save changes nothing and returns
  False, so two workers racing on one site still leave exactly one result;
* a result is the site's JSON (`SiteResult.to_dict()`, as `jsonb`), read back with
  `SiteResult.from_dict`; status and score are copied into columns for queries.

Besides the results, an **attempts log** (`attempts`): one row each time a worker starts
on a site (batch, url, device, registrable domain, worker id, attempt number, started_at,
finished_at, outcome). A row without `finished_at` is an attempt whose worker died (or is
still running). It is how the distributed queue counts lost attempts (`worker_lost` after
3) and how one checks that no two audits of one registrable domain overlapped in time.

The tables are created on first use, under an advisory lock so that workers starting at
once do not race; `store_meta` holds the schema version, and a database written by a newer
schema is refused. Use a database of its own (the queue's tables, `procrastinate_*`, may
share it). A dropped connection (a restarted server) is opened again once per call; every
call is idempotent, so repeating it is safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import psycopg
from psycopg.types.json import Jsonb

from auditor.store.sql import SqlReads
from auditor.errors import StoreError
from auditor.result import SiteResult
from auditor.store import StoredTarget

SCHEMA_VERSION = 1

#: Key of the advisory lock taken while creating the tables (any constant will do).
SCHEMA_LOCK_KEY = 0x0CA57012

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    id            text PRIMARY KEY,
    created_at    text NOT NULL,
    settings_json text NOT NULL,
    seq           bigserial
);
CREATE TABLE IF NOT EXISTS targets (
    batch_id text NOT NULL REFERENCES batches(id),
    url      text NOT NULL,
    device   text NOT NULL,
    name     text,
    sector   text,
    position integer NOT NULL,
    seq      bigserial,
    PRIMARY KEY (batch_id, url, device)
);
CREATE TABLE IF NOT EXISTS results (
    batch_id    text NOT NULL,
    url         text NOT NULL,
    device      text NOT NULL,
    finished_at text NOT NULL,
    status      text NOT NULL,
    score       integer,
    result_json jsonb NOT NULL,
    seq         bigserial,
    PRIMARY KEY (batch_id, url, device),
    FOREIGN KEY (batch_id, url, device) REFERENCES targets(batch_id, url, device)
);
CREATE INDEX IF NOT EXISTS results_by_site ON results (url, device, finished_at);
CREATE TABLE IF NOT EXISTS attempts (
    id          bigserial PRIMARY KEY,
    batch_id    text NOT NULL,
    url         text NOT NULL,
    device      text NOT NULL,
    site        text NOT NULL,
    worker_id   text NOT NULL,
    attempt     integer NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    outcome     text
);
CREATE INDEX IF NOT EXISTS attempts_by_target ON attempts (batch_id, url, device);
CREATE INDEX IF NOT EXISTS attempts_by_site ON attempts (site, started_at);
"""

T = TypeVar("T")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Attempt:
    """One row of the attempts log."""

    id: int
    batch_id: str
    url: str
    device: str
    site: str  # registrable domain (auditor.scope.site_key)
    worker_id: str
    attempt: int  # 1 for the first start on this (batch, url, device)
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    #: Set by `start_attempt` only: earlier attempts that never finished (workers lost).
    lost_before: int = 0


def _redact(dsn: str) -> str:
    """The DSN without a password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the PostgreSQL database"
    host = info.get("host", "")
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{host}{port}/{info.get('dbname', '')}"


class PostgresStore(SqlReads):
    """`ResultStore` in a PostgreSQL database (`postgresql://user@host:port/dbname`)."""

    PARAM, SEQ = "%s", "seq"

    def __init__(self, dsn: str, *, connect_timeout: float = 10.0):
        self.dsn = dsn
        self.where = _redact(dsn)
        self._connect_timeout = connect_timeout
        self._lock = threading.RLock()  # one connection, shared by a worker's threads
        self._conn: psycopg.Connection | None = None
        try:
            self._connect()
            self._ensure_schema()
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"cannot open the result store {self.where}: {_first_line(exc)}") from None
        except StoreError:
            self.close()
            raise

    # -- connection -----------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(
                self.dsn, autocommit=True, connect_timeout=max(1, int(self._connect_timeout)),
                application_name="contact-auditor",
            )
        return self._conn

    def _call(self, what: str, fn: Callable[[psycopg.Connection], T]) -> T:
        """Run `fn(conn)`; on a dropped connection reconnect once and run it again."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    return fn(self._connect())
                except psycopg.OperationalError as exc:
                    broken = self._conn is None or self._conn.closed or self._conn.broken
                    if attempt == 1 and broken:
                        continue
                    raise StoreError(f"cannot {what} in {self.where}: {_first_line(exc)}") from None
                except psycopg.Error as exc:
                    raise StoreError(f"cannot {what} in {self.where}: {_first_line(exc)}") from None
        raise AssertionError("unreachable")

    def _ensure_schema(self) -> None:
        conn = self._connect()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            exists = conn.execute("SELECT to_regclass('store_meta') IS NOT NULL").fetchone()[0]
            if exists:
                row = conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
                version = int(row[0]) if row else 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.where} was written by a newer contact-auditor (store schema {version}, "
                        f"this one knows {SCHEMA_VERSION})"
                    )
                if version == SCHEMA_VERSION:
                    return
            conn.execute(_SCHEMA)
            conn.execute(
                "INSERT INTO store_meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (str(SCHEMA_VERSION),),
            )

    # -- writing --------------------------------------------------------------------------
    def open_batch(self, batch_id: str, targets: list[StoredTarget], settings_json: str) -> None:
        def run(conn: psycopg.Connection) -> None:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO batches (id, created_at, settings_json) VALUES (%s, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING",
                    (batch_id, _now(), settings_json),
                )
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO targets (batch_id, url, device, name, sector, position) "
                        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                        [(batch_id, t.url, t.device, t.name, t.sector, t.position) for t in targets],
                    )

        self._call(f"write the batch {batch_id}", run)

    def save(self, batch_id: str, target: StoredTarget, result: SiteResult, finished_at: str) -> bool:
        """Keep `result` for `target` unless the batch has one already; True when kept.
        A target the batch did not list is added to it (at `target.position`)."""
        doc = result.to_dict()

        def run(conn: psycopg.Connection) -> bool:
            with conn.transaction():
                if conn.execute("SELECT 1 FROM batches WHERE id = %s", (batch_id,)).fetchone() is None:
                    raise StoreError(f"no batch {batch_id!r} in {self.where}")
                conn.execute(
                    "INSERT INTO targets (batch_id, url, device, name, sector, position) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (batch_id, target.url, target.device, target.name, target.sector, target.position),
                )
                cur = conn.execute(
                    "INSERT INTO results (batch_id, url, device, finished_at, status, score, result_json) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (batch_id, target.url, target.device, finished_at, result.status, result.score, Jsonb(doc)),
                )
                return cur.rowcount == 1

        return self._call(f"save {target.url}", run)

    # -- reading --------------------------------------------------------------------------
    def targets(self, batch_id: str) -> list[StoredTarget]:
        """Every target of a batch, in input order."""
        rows = self._read(
            "SELECT url, device, name, sector, position FROM targets WHERE batch_id = %s ORDER BY position, seq",
            (batch_id,),
        )
        return [StoredTarget(url, device, name, sector, position) for url, device, name, sector, position in rows]

    def result(self, batch_id: str, url: str, device: str) -> SiteResult | None:
        """The saved result of one target, None when it has none yet."""
        rows = self._read(
            "SELECT result_json FROM results WHERE batch_id = %s AND url = %s AND device = %s",
            (batch_id, url, device),
        )
        return SiteResult.from_dict(rows[0][0]) if rows else None

    # -- the attempts log -----------------------------------------------------------------
    def start_attempt(self, batch_id: str, url: str, device: str, site: str, worker_id: str) -> Attempt:
        """Log that `worker_id` starts on a target; its attempt number and how many earlier
        attempts never finished (their workers died) come back with it."""

        def run(conn: psycopg.Connection) -> Attempt:
            with conn.transaction():
                # Serialise starts of one target, so attempt numbers are unique.
                conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                             (f"{batch_id}\x1f{url}\x1f{device}",))
                n, lost = conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE finished_at IS NULL) FROM attempts "
                    "WHERE batch_id = %s AND url = %s AND device = %s",
                    (batch_id, url, device),
                ).fetchone()
                if lost:  # whoever starts now holds the site's lock: those workers are gone
                    conn.execute(
                        "UPDATE attempts SET outcome = 'lost' WHERE batch_id = %s AND url = %s AND device = %s "
                        "AND finished_at IS NULL AND outcome IS NULL",
                        (batch_id, url, device),
                    )
                row = conn.execute(
                    "INSERT INTO attempts (batch_id, url, device, site, worker_id, attempt) "
                    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id, started_at",
                    (batch_id, url, device, site, worker_id, int(n) + 1),
                ).fetchone()
            return Attempt(row[0], batch_id, url, device, site, worker_id, int(n) + 1, row[1], None, None,
                           lost_before=int(lost))

        return self._call(f"log an attempt on {url}", run)

    def finish_attempt(self, attempt_id: int, outcome: str) -> None:
        self._call(
            "finish an attempt",
            lambda conn: conn.execute(
                "UPDATE attempts SET finished_at = clock_timestamp(), outcome = %s WHERE id = %s",
                (outcome, attempt_id),
            ),
        )

    def attempts(self, batch_id: str | None = None) -> list[Attempt]:
        """The attempts log (of one batch, or all), in the order the attempts started."""
        rows = self._read(
            "SELECT id, batch_id, url, device, site, worker_id, attempt, started_at, finished_at, outcome "
            "FROM attempts " + ("WHERE batch_id = %s " if batch_id is not None else "") + "ORDER BY started_at, id",
            (batch_id,) if batch_id is not None else (),
        )
        return [Attempt(*r) for r in rows]

    # -- plumbing -------------------------------------------------------------------------
    def _read(self, sql: str, args: tuple) -> list[tuple[Any, ...]]:
        return self._call("read the result store", lambda conn: conn.execute(sql, args).fetchall())

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
