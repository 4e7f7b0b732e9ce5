"""The result store contract against PostgreSQL, plus what only the PostgreSQL store has.

The contract tests are those of `tests/test_store_contract.py` (every test there that
takes the `db` or `store` fixture), run here unchanged with a `db` that is a fresh
database on a throwaway PostgreSQL cluster (`tests/pg_cluster.py`): `open_store(db)` picks
`PostgresStore` for the `postgresql://` URL. No PostgreSQL installed is a failure here,
not a skip.
"""

# ruff: noqa: F811  (pytest fixtures are imported by name and then requested by name)
from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from auditor.errors import StoreError
from auditor.result import SiteResult
from auditor.store import StoredTarget, open_store
from auditor.store.postgres import SCHEMA_VERSION, PostgresStore
from tests import test_store_contract as contract
from tests.pg_cluster import pg_cluster, pg_dsn  # noqa: F401  (fixtures)

for _name, _fn in vars(contract).items():
    if _name.startswith("test_") and callable(_fn) and {"db", "store"} & set(inspect.signature(_fn).parameters):
        globals()[_name] = _fn  # collected here, with the fixtures below


@pytest.fixture
def db(pg_dsn) -> str:
    return pg_dsn


@pytest.fixture
def store(db):
    s = open_store(db)
    assert isinstance(s, PostgresStore)
    yield s
    s.close()


def test_the_contract_tests_were_found():
    here = [n for n in globals() if n.startswith("test_") and getattr(globals()[n], "__module__", "") == contract.__name__]
    assert len(here) >= 8, here


def _t(n: int) -> StoredTarget:
    return StoredTarget(f"https://site{n}.example.se/", "desktop", position=n)


def _r(t: StoredTarget, score: int) -> SiteResult:
    return SiteResult(url=t.url, device=t.device, status="ok", score=score, grade="C")


def test_two_processes_saving_one_site_leave_exactly_one_result(pg_dsn):
    t = _t(1)
    with PostgresStore(pg_dsn) as s:
        s.open_batch("b", [t], "{}")
    code = textwrap.dedent(f"""
        import sys
        from auditor.result import SiteResult
        from auditor.store import StoredTarget
        from auditor.store.postgres import PostgresStore
        s = PostgresStore({pg_dsn!r})
        t = StoredTarget("{t.url}", "desktop", position=1)
        wins = sum(s.save("b", t, SiteResult(url=t.url, device="desktop", status="ok", score=int(sys.argv[1])),
                          "2026-11-23T12:00:00Z") for _ in range(20))
        print(wins)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent) for n in (10, 20, 30)]
    wins = [int(p.communicate(timeout=60)[0]) for p in procs]
    assert sum(wins) == 1
    with PostgresStore(pg_dsn) as s:
        (kept,) = s.results("b")
        assert kept.score == (10, 20, 30)[wins.index(1)]


def test_attempts_log_numbers_attempts_and_counts_the_lost(pg_dsn):
    with PostgresStore(pg_dsn) as s:
        a1 = s.start_attempt("b", "https://x.se/", "desktop", "x.se", "w1")
        assert (a1.attempt, a1.lost_before) == (1, 0)
        # w1 dies: its attempt never finishes. The next start counts it and marks it lost.
        a2 = s.start_attempt("b", "https://x.se/", "desktop", "x.se", "w2")
        assert (a2.attempt, a2.lost_before) == (2, 1)
        s.finish_attempt(a2.id, "saved")
        a3 = s.start_attempt("b", "https://x.se/", "mobile", "x.se", "w2")
        assert (a3.attempt, a3.lost_before) == (1, 0)
        log = s.attempts("b")
        assert [(a.worker_id, a.attempt, a.outcome, a.finished_at is None) for a in log] == [
            ("w1", 1, "lost", True), ("w2", 2, "saved", False), ("w2", 1, None, True)]
        assert log[1].started_at <= log[1].finished_at
        assert s.attempts("other") == []


def test_a_dropped_connection_is_opened_again(pg_dsn):
    with PostgresStore(pg_dsn) as s:
        s.open_batch("b", [_t(1), _t(2)], "{}")
        pid = s._conn.info.backend_pid
        with psycopg.connect(pg_dsn, autocommit=True) as admin:  # the server restarts, say
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert s.save("b", _t(1), _r(_t(1), 50), "2026-11-23T12:00:00Z") is True
        assert [t.url for t in s.pending("b")] == [_t(2).url]


def test_a_database_of_a_newer_schema_is_refused(pg_dsn):
    PostgresStore(pg_dsn).close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE store_meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer"):
        PostgresStore(pg_dsn)


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql://nobody@127.0.0.1:1/nothing")


def test_many_stores_starting_at_once_create_the_tables_once(pg_dsn):
    code = f"from auditor.store.postgres import PostgresStore; PostgresStore({pg_dsn!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent) for _ in range(4)]
    errs = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
