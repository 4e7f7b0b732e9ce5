"""The result store in one SQLite file: for one machine, hundreds of sites, years of history.

Follows the contract in `auditor/store/__init__.py`. How it keeps it:

* WAL journal (https://www.sqlite.org/wal.html): a reader (`history`, a test polling the
  file, a second `contact-auditor`) never blocks the batch writing, and the batch never
  blocks a reader. `synchronous=FULL`, so a committed site survives a power cut too, not
  only a killed process; one fsync per site is nothing next to the seconds a site takes.
* one transaction per `save`, committed before it returns;
* `INSERT ... ON CONFLICT DO NOTHING` on (batch id, url, device): the first result of a
  site in a batch is kept, a second save of it changes nothing and returns False;
* a result is the site's JSON (`SiteResult.to_dict()`), read back with
  `SiteResult.from_dict`; status and score are copied into columns for queries only.

Tables: `batches` (id, created_at, settings_json), `targets` (what a batch audits, with its
input position) and `results`. `PRAGMA user_version` is the schema version; a file written
by a newer schema is refused rather than misread.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from auditor.store.sql import SqlReads
from auditor.errors import StoreError
from auditor.result import SiteResult
from auditor.store import StoredTarget

SCHEMA_VERSION = 1

#: Seconds a writer waits for another writer's lock before giving up (two batches writing
#: into one file at once take turns; a commit takes milliseconds).
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    settings_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS targets (
    batch_id TEXT NOT NULL REFERENCES batches(id),
    url      TEXT NOT NULL,
    device   TEXT NOT NULL,
    name     TEXT,
    sector   TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (batch_id, url, device)
);
CREATE TABLE IF NOT EXISTS results (
    batch_id    TEXT NOT NULL,
    url         TEXT NOT NULL,
    device      TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    status      TEXT NOT NULL,
    score       INTEGER,
    result_json TEXT NOT NULL,
    PRIMARY KEY (batch_id, url, device),
    FOREIGN KEY (batch_id, url, device) REFERENCES targets(batch_id, url, device)
);
CREATE INDEX IF NOT EXISTS results_by_site ON results (url, device, finished_at);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class SqliteStore(SqlReads):
    """`ResultStore` in a SQLite file (created, with its folder, when missing)."""

    PARAM, SEQ = "?", "rowid"

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; each write says BEGIN/COMMIT.
            self._db = sqlite3.connect(
                Path(self.path).expanduser() if self.path != ":memory:" else ":memory:",
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer contact-auditor (store schema {version}, "
                    f"this one knows {SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                # One script, one transaction: two processes creating the file at once take
                # turns, and the second finds every table there (IF NOT EXISTS).
                self._db.executescript(
                    f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
                )
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the result store {self.path}: {exc}") from None

    # -- writing --------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def open_batch(self, batch_id: str, targets: list[StoredTarget], settings_json: str) -> None:
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO batches (id, created_at, settings_json) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING",
                    (batch_id, _now(), settings_json),
                )
                self._db.executemany(
                    "INSERT INTO targets (batch_id, url, device, name, sector, position) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [(batch_id, t.url, t.device, t.name, t.sector, t.position) for t in targets],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the batch {batch_id} to {self.path}: {exc}") from None

    def save(self, batch_id: str, target: StoredTarget, result: SiteResult, finished_at: str) -> bool:
        """Keep `result` for `target` unless the batch has one already; True when kept.
        A target the batch did not list is added to it (at `target.position`)."""
        text = json.dumps(result.to_dict(), ensure_ascii=False)
        try:
            with self._transaction():
                if self._db.execute("SELECT 1 FROM batches WHERE id = ?", (batch_id,)).fetchone() is None:
                    raise StoreError(f"no batch {batch_id!r} in {self.path}")
                self._db.execute(
                    "INSERT INTO targets (batch_id, url, device, name, sector, position) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (batch_id, target.url, target.device, target.name, target.sector, target.position),
                )
                cur = self._db.execute(
                    "INSERT INTO results (batch_id, url, device, finished_at, status, score, result_json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (batch_id, target.url, target.device, finished_at, result.status, result.score, text),
                )
                return cur.rowcount == 1
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save {target.url} to {self.path}: {exc}") from None

    # -- reading --------------------------------------------------------------------------
    def _read(self, sql: str, args: tuple) -> list[tuple]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the result store {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
