"""Nothing lost: a batch killed half-way is finished by `--resume`, each site audited once.

Six sites (two one-page fixture folders, each under three query strings, which `scope.normalise`
keeps apart) are audited as a subprocess with `--concurrency 2`. Once the store holds two
results the whole process group is killed, as an OOM killer or a closed CI runner would;
`--resume` then audits what is left. The batch must end with every site exactly once and
the same results (found and clicks per channel, score) as an uninterrupted run. A second
test stops a batch with Ctrl-C (SIGINT to the process group, as a terminal sends it) and
checks that only real results were saved, not the errors of a browser going down.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.demo.server import serve_sites
from auditor.errors import StoreError
from auditor.store import open_store

ROOT = Path(__file__).parent.parent
SITES = Path(__file__).parent / "fixtures" / "sites"
CHANNELS = ("phone", "email", "chat", "form")
COPIES = 3


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "auditor", *args]


def run(args: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=False, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          stdin=subprocess.DEVNULL)


def start(args: list[str]) -> subprocess.Popen:
    # Its own process group, so a signal reaches the Playwright driver and Chromium too.
    return subprocess.Popen(args, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def saved_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        store = open_store(str(db))
    except StoreError:  # created this instant by the writer: look again
        return 0
    try:
        return sum(done for _, _, _, done in store.batches())
    finally:
        store.close()


def wait_for_results(db: Path, proc: subprocess.Popen, n: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = saved_count(db)
        if count >= n:
            return count
        if proc.poll() is not None:
            pytest.fail(f"the batch ended before it was stopped: {proc.stderr.read()[-3000:]}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the batch saved too few results in time")


def outcome(site: dict) -> tuple:
    """What must not depend on how the batch was run (timings may)."""
    channels = site.get("channels") or {}
    return (site["status"], site["score"],
            tuple((c, channels[c]["found"], channels[c]["clicks"]) for c in CHANNELS if c in channels))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    with serve_sites({n: SITES / n for n in ("accordion", "cookie-wall")}) as urls:
        listing = tmp_path_factory.mktemp("resume") / "sites.txt"
        lines = [f"{base}?n={i}" for i in range(COPIES) for base in urls.values()]
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield listing, lines


@pytest.fixture(scope="module")
def uninterrupted(inputs, tmp_path_factory) -> dict[str, tuple]:
    listing, _ = inputs
    out = tmp_path_factory.mktemp("whole") / "r.json"
    proc = run(cli("audit", "--input", str(listing), "--no-db", "--concurrency", "2", "--json", str(out)))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {s["url"]: outcome(s) for s in json.loads(out.read_text(encoding="utf-8"))["sites"]}


def test_a_killed_batch_is_finished_by_resume_with_every_site_once(inputs, uninterrupted, tmp_path):
    listing, lines = inputs
    db = tmp_path / "results.sqlite3"
    proc = start(cli("audit", "--input", str(listing), "--db", str(db), "--concurrency", "2"))
    wait_for_results(db, proc, 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    before = saved_count(db)
    assert 2 <= before < len(lines), "kill it while sites are still left"

    out = tmp_path / "resumed.json"
    resumed = run(cli("audit", "--resume", "--db", str(db), "--concurrency", "2", "--json", str(out)))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"{len(lines) - before} to audit, {before} done" in resumed.stderr
    audited_now = [ln for ln in resumed.stderr.splitlines() if ln.startswith("auditing ")]
    assert len(audited_now) == len(lines) - before  # nothing audited twice

    store = open_store(str(db))
    try:
        ((batch_id, _, listed, done),) = store.batches()
        results = store.results(batch_id)
        assert store.pending(batch_id) == []
    finally:
        store.close()
    assert (listed, done) == (len(lines), len(lines))
    assert sorted(r.url for r in results) == sorted(lines)  # each exactly once
    doc = json.loads(out.read_text(encoding="utf-8"))  # the report holds the whole batch
    assert [s["url"] for s in doc["sites"]] == lines  # in input order
    assert {s["url"]: outcome(s) for s in doc["sites"]} == uninterrupted


def test_ctrl_c_saves_only_real_results_and_says_how_to_go_on(inputs, tmp_path):
    listing, lines = inputs
    db = tmp_path / "results.sqlite3"
    proc = start(cli("audit", "--input", str(listing), "--db", str(db), "--concurrency", "2"))
    wait_for_results(db, proc, 1)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-3000:]
    assert "audit --resume --batch " in err
    store = open_store(str(db))
    try:
        ((batch_id, _, _, done),) = store.batches()
        results = store.results(batch_id)
        pending = store.pending(batch_id)
    finally:
        store.close()
    assert all(r.status != "error" for r in results), [r.error for r in results]
    assert done == len(results) and len(results) + len(pending) == len(lines) and pending
