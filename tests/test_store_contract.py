"""The result store contract (auditor/store/__init__.py), tested against every store.

Each store is reached through `open_store(db)` with the `db` a factory hands out, so a new
store is one more entry in `STORE_FACTORIES`: PostgreSQL will be a factory that creates a
fresh database (or schema) on a server named by an environment variable, and skips when
there is none. Everything below must pass unchanged for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.errors import StoreError
from auditor.result import ChannelResult, Finding, PathStep, SiteError, SiteResult
from auditor.store import ResultStore, StoredTarget, open_store


def sqlite_db(tmp_path: Path) -> str:
    return str(tmp_path / "store" / "results.sqlite3")  # the folder does not exist yet


#: name -> a function of a fresh temporary folder giving a `db` for `open_store`.
STORE_FACTORIES: dict[str, Callable[[Path], str]] = {"sqlite": sqlite_db}


@pytest.fixture(params=sorted(STORE_FACTORIES))
def db(request, tmp_path) -> str:
    return STORE_FACTORIES[request.param](tmp_path)


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


def target(n: int, device: str = "desktop", **kw) -> StoredTarget:
    return StoredTarget(f"https://site{n}.example.se/", device, position=n, **kw)


def result(t: StoredTarget, score: int | None = 70, **kw) -> SiteResult:
    if score is None:
        return SiteResult(url=t.url, device=t.device, status="error",
                          error=SiteError("connection", "refused"), name=t.name, sector=t.sector)
    return SiteResult(
        url=t.url, device=t.device, status="ok", score=score, grade="C", name=t.name, sector=t.sector,
        channels={
            "phone": ChannelResult("phone", True, clicks=1, seconds=1.5, values=("+46812345678",),
                                   path=(PathStep("click", "Kontakt", t.url + "kontakt/"),)),
            "email": ChannelResult.not_found("email"),
        },
        findings=(Finding("no_email", "medium", "No e-mail address was found."),),
        **kw,
    )


def at(minute: int) -> str:
    return f"2026-11-23T12:{minute:02d}:00Z"


def test_a_store_has_every_method_of_the_interface(store):
    wanted = [n for n in vars(ResultStore) if not n.startswith("_") and callable(getattr(ResultStore, n))]
    assert "save" in wanted and "history" in wanted
    assert all(callable(getattr(store, n, None)) for n in wanted)


def test_pending_is_every_target_in_input_order_until_saved(store):
    # Input order is `position`, not the order of the URLs or of the list handed over.
    ts = [StoredTarget("https://z.example.se/", position=0), StoredTarget("https://a.example.se/", position=1),
          StoredTarget("https://m.example.se/", "mobile", position=2)]
    store.open_batch("b1", [ts[2], ts[0], ts[1]], "{}")
    assert store.pending("b1") == ts
    assert store.save("b1", ts[1], result(ts[1]), at(1)) is True
    assert store.pending("b1") == [ts[0], ts[2]]
    assert store.pending("no-such-batch") == []


def test_save_is_idempotent_and_keeps_the_first_result(store):
    t = target(1)
    store.open_batch("b1", [t], "{}")
    assert store.save("b1", t, result(t, score=40), at(1)) is True
    assert store.save("b1", t, result(t, score=99), at(2)) is False
    (kept,) = store.results("b1")
    assert kept.score == 40
    assert store.batches()[0][2:] == (1, 1)


def test_one_url_on_two_devices_is_two_targets(store):
    desk, mob = target(1, "desktop"), target(1, "mobile")
    store.open_batch("b1", [desk, mob], "{}")
    assert store.save("b1", desk, result(desk), at(1)) is True
    assert store.save("b1", mob, result(mob), at(2)) is True
    assert [(r.url, r.device) for r in store.results("b1")] == [(desk.url, "desktop"), (mob.url, "mobile")]


def test_results_come_back_whole_and_in_input_order(store):
    ts = [target(0, name="Öppna Banken", sector="banking"), target(1), target(2)]
    store.open_batch("b1", ts, "{}")
    saved = {2: result(ts[2]), 0: result(ts[0]), 1: result(ts[1], score=None)}
    for n, r in saved.items():  # finished out of order, as a concurrent batch does
        store.save("b1", ts[n], r, at(n))
    back = store.results("b1")
    assert [r.url for r in back] == [t.url for t in ts]
    assert [r.to_dict() for r in back] == [saved[n].to_dict() for n in range(3)]
    assert back[0].name == "Öppna Banken" and back[1].status == "error"


def test_opening_a_batch_again_adds_only_new_targets_and_keeps_its_settings(store):
    store.open_batch("b1", [target(0), target(1)], json.dumps({"max_pages": 40}))
    store.save("b1", target(0), result(target(0)), at(0))
    store.open_batch("b1", [target(1), target(2)], json.dumps({"max_pages": 5}))
    assert [t.url for t in store.pending("b1")] == [target(1).url, target(2).url]
    assert json.loads(store.batch_settings("b1")) == {"max_pages": 40}
    assert store.batch_settings("nope") is None
    assert store.batches()[0][2:] == (3, 1)


def test_batches_are_newest_first_with_their_counts(store):
    assert store.batches() == [] and store.latest_batch() is None
    store.open_batch("first", [target(0), target(1)], "{}")
    store.save("first", target(0), result(target(0)), at(0))
    store.open_batch("second", [target(0)], "{}")
    assert [(b, n, d) for b, _, n, d in store.batches()] == [("second", 1, 0), ("first", 2, 1)]
    assert store.latest_batch() == "second"


def test_history_is_oldest_first_and_filters_by_url_and_device(store):
    t, other, mob = target(1), target(2), target(1, "mobile")
    for i, batch in enumerate(["week1", "week2", "week3"]):
        store.open_batch(batch, [t, other, mob], "{}")
        store.save(batch, t, result(t, score=50 + i), at(10 + i))
        store.save(batch, other, result(other, score=10), at(10 + i))
    store.save("week2", mob, result(mob, score=5), at(30))
    entries = store.history(t.url, "desktop")
    assert [(e.batch_id, e.result.score, e.finished_at) for e in entries] == [
        ("week1", 50, at(10)), ("week2", 51, at(11)), ("week3", 52, at(12))]
    assert [e.result.device for e in store.history(t.url)] == ["desktop", "desktop", "desktop", "mobile"]
    assert len(store.history()) == 7
    assert [e.result.score for e in store.history(None, "mobile")] == [5]
    assert store.history("https://never.example.se/") == []


def test_results_last_across_reopening(db):
    t = target(1)
    s = open_store(db)
    s.open_batch("b1", [t, target(2)], "{}")
    s.save("b1", t, result(t), at(1))
    s.close()
    again = open_store(db)
    try:
        assert [r.url for r in again.results("b1")] == [t.url]
        assert [p.url for p in again.pending("b1")] == [target(2).url]
        assert again.latest_batch() == "b1"
    finally:
        again.close()


def test_a_save_is_durable_when_it_returns_even_if_the_process_is_killed(db, tmp_path):
    # A child opens the store, saves one site and kills itself (no close, no clean exit).
    code = textwrap.dedent(f"""
        import os, signal
        from auditor.result import SiteResult
        from auditor.store import StoredTarget, open_store
        s = open_store({db!r})
        t = StoredTarget("https://killed.example.se/", "desktop", position=0)
        s.open_batch("b1", [t, StoredTarget("https://next.example.se/", "desktop", position=1)], "{{}}")
        s.save("b1", t, SiteResult(url=t.url, device="desktop", status="ok", score=1, grade="F"), "2026-11-23T12:00:00Z")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], check=False, cwd=Path(__file__).parent.parent, timeout=60,
                          capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    s = open_store(db)
    try:
        assert [r.url for r in s.results("b1")] == ["https://killed.example.se/"]
        assert [p.url for p in s.pending("b1")] == ["https://next.example.se/"]
    finally:
        s.close()


def test_saving_into_a_batch_that_was_never_opened_is_an_error(store):
    with pytest.raises(StoreError):
        store.save("never-opened", target(1), result(target(1)), at(1))


def test_a_file_that_is_not_a_store_is_a_store_error(tmp_path):
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("hello, I am a text file and not a database\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open"):
        open_store(str(bad))
