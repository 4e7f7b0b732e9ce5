"""The distributed sweep for real: PostgreSQL, procrastinate, worker processes, Chromium.

Worker subprocesses (`python -m auditor.distributed.cli worker`) audit tiny generated sites
served on 127.0.0.1. Several sites share one registrable domain by living under distinct
paths of one `SiteServer` (`http://127.0.0.1:PORT/a1/`, `/a2/`, ...: scope.site_key of
127.0.0.1 includes the port). Workers are killed with SIGKILL mid-audit, and afterwards:

* every site has exactly one result and none is lost;
* no two audits of one registrable domain overlapped in time, checked twice, from the
  store's attempts log and from the fixture servers' own request logs (monotonic times).

Polling, heartbeats and the stalled-worker timeout are shortened (FAST) and each worker
audits one site at a time, so the module stays around a minute on two cores.
"""

# ruff: noqa: F811  (pytest fixtures are imported by name and then requested by name)
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import psycopg
import pytest

from auditor.demo.server import SiteServer
from auditor.distributed.merge import MergeError, merge_documents
from auditor.distributed.shard import Shard, parse_shard, select_shard, shard_of
from auditor.result import SCHEMA, SiteResult
from auditor.runner import Target
from auditor.store.postgres import PostgresStore
from tests.pg_cluster import pg_cluster, pg_dsn  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "auditor.distributed.cli"]
STALLED_AFTER = 5.0
FAST = ["--poll-interval", "0.3", "--heartbeat", "0.5", "--stalled-after", str(STALLED_AFTER)]
#: Offset from this process's monotonic clock (the servers' request times) to wall time.
MONO_TO_WALL = time.time() - time.monotonic()
#: A dead worker's browser may still be closing this long after the kill.
DEATH_GRACE = 2.0

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head>
<body><header><nav><a href="{home}">Hem</a> <a href="{home}om/">Om oss</a></nav></header>
<main><h1>{title}</h1><p>{body}</p></main>
<footer><a href="{home}kontakt/">Kontakt</a></footer></body></html>
"""


def make_sites(root: Path, names: list[str]) -> None:
    """One tiny company per folder: a start page, an about page and a contact page with a
    phone number and an e-mail address. Links are relative, so each stays in its folder."""
    for i, name in enumerate(names):
        home = f"/{name}/"
        pages = {
            "": ("Företag " + name, "Välkommen."),
            "om/": ("Om oss", "Vi är ett litet företag."),
            "kontakt/": ("Kontakt", f'Ring <a href="tel:+4687{i:02d}1234">08-7{i:02d} 12 34</a> '
                                    f'eller mejla <a href="mailto:info@{name}.test">info@{name}.test</a>.'),
        }
        for rel, (title, body) in pages.items():
            d = root / name / rel
            d.mkdir(parents=True, exist_ok=True)
            (d / "index.html").write_text(PAGE.format(title=title, body=body, home=home), encoding="utf-8")
    # Slow pages, so that an audit lasts long enough to be killed in the middle of it.
    (root / "_server.json").write_text(json.dumps({"delays": {"/*/om/": 400, "/*/kontakt/": 400}}))


class Domain:
    """One SiteServer = one registrable domain, with several sites under paths."""

    def __init__(self, root: Path, names: list[str]):
        make_sites(root, names)
        self.server = SiteServer(root).start()
        self.names = names
        self.urls = {n: self.server.url_for(f"/{n}/") for n in names}

    def site_of(self, path: str) -> str | None:
        first = path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        return first if first in self.names else None


@pytest.fixture
def domains(tmp_path):
    layout = {"A": ["a1", "a2", "a3"], "B": ["b1", "b2", "b3"], "C": ["c1", "c2"]}
    made = {d: Domain(tmp_path / d, names) for d, names in layout.items()}
    try:
        yield made
    finally:
        for d in made.values():
            d.server.stop()


class Workers:
    """Worker processes, each in its own session (so leftovers can be cleaned up by group)."""

    def __init__(self, dsn: str, logdir: Path):
        self.dsn = dsn
        self.logdir = logdir
        self.procs: dict[str, subprocess.Popen] = {}
        self._logs: list = []
        self.deaths: dict[str, float] = {}  # worker name -> wall time it was seen dead/killed

    def start(self, name: str, *extra: str, code: str | None = None) -> subprocess.Popen:
        args = ["worker", "--db", self.dsn, "--name", name, "--concurrency", "1", *FAST, *extra]
        if code is None:
            argv = [*CLI, *args]
        else:  # a worker with hooks: `code` runs first (see auditor/distributed/worker.py HOOKS)
            argv = [sys.executable, "-c",
                    f"import os, sys\nfrom auditor.distributed import worker\n{code}\n"
                    "from auditor.distributed.cli import main\nsys.exit(main(sys.argv[1:]))", *args]
        out = open(self.logdir / f"{name}.log", "wb")  # noqa: SIM115  (closed in cleanup)
        self._logs.append(out)
        p = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        self.procs[name] = p
        return p

    def kill(self, name: str) -> None:
        self.procs[name].send_signal(signal.SIGKILL)  # kill -9 of the worker process
        self.deaths[name] = time.time()
        self.procs[name].wait(timeout=10)

    def wait(self, names: list[str], timeout: float) -> None:
        end = time.monotonic() + timeout
        for n in names:
            p = self.procs[n]
            try:
                p.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise AssertionError(f"worker {n} did not finish in time:\n{self.log(n)}") from None
            self.deaths.setdefault(n, time.time())

    def wait_dead(self, name: str, timeout: float) -> None:
        """Wait for a worker that is expected to die by itself (a hook)."""
        p = self.procs[name]
        end = time.monotonic() + timeout
        while p.poll() is None:
            assert time.monotonic() < end, f"worker {name} did not die:\n{self.log(name)}"
            time.sleep(0.05)
        self.deaths[name] = time.time()

    def log(self, name: str) -> str:
        return (self.logdir / f"{name}.log").read_text(errors="replace")[-4000:]

    def cleanup(self) -> None:
        for p in self.procs.values():
            try:
                os.killpg(p.pid, signal.SIGKILL)  # the worker's own group: its browser too
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        for f in self._logs:
            f.close()


@pytest.fixture
def workers(pg_dsn, tmp_path):
    w = Workers(pg_dsn, tmp_path)
    try:
        yield w
    finally:
        w.cleanup()


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def enqueue(dsn: str, urls: list[str], *extra: str) -> tuple[str, int]:
    out = cli("enqueue", *urls, "--db", dsn, *extra).stdout
    # "batch ID: N jobs added, ..."
    batch = out.split()[1].rstrip(":")
    added = int(out.split(":", 1)[1].split()[0])
    return batch, added


def worker_summary(log: str) -> tuple[int, int]:
    """(sites audited, browser launches) from a worker's closing line."""
    line = [x for x in log.splitlines() if " browser launches" in x][-1]
    audited = int(line.split(" audited")[0].rsplit(" ", 1)[1])
    launches = int(line.split(" browser launches")[0].rsplit(" ", 1)[1])
    return audited, launches


def assert_valid_document(doc: dict) -> None:
    """A document written from the PostgreSQL store is a valid result document."""
    import jsonschema

    schema = json.loads((ROOT / "auditor" / "schema" / "result.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)


def job_count(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone()[0]


def wait_for(cond, timeout: float, what: str, interval: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def running_attempt(store: PostgresStore, batch: str, names: set[str], min_age: float = 0.4):
    """An attempt that one of `names` is in the middle of (started a moment ago)."""
    now = time.time()
    for a in store.attempts(batch):
        if a.finished_at is None and a.outcome is None and a.worker_id in names \
                and now - a.started_at.timestamp() >= min_age:
            return a
    return None


# -- the checks ------------------------------------------------------------------------
def assert_each_site_once(store: PostgresStore, batch: str, urls: list[str]) -> dict[str, object]:
    results = store.results(batch)
    by_url = defaultdict(list)
    for r in results:
        by_url[r.url].append(r)
    assert sorted(by_url) == sorted(urls), "a site is missing or unexpected"
    assert all(len(v) == 1 for v in by_url.values()), "a site has more than one result"
    assert store.pending(batch) == []
    return {u: v[0] for u, v in by_url.items()}


def assert_no_overlap(store: PostgresStore, batch: str, domains: dict[str, Domain], deaths: dict[str, float]) -> None:
    """No two audits of one registrable domain overlapped: from the attempts log, and from
    the servers' own request logs."""
    attempts = [a for a in store.attempts(batch) if a.outcome not in ("already_saved", "worker_lost")]
    url_to = {u: (d, n) for d, dom in domains.items() for n, u in dom.urls.items()}

    def interval(a) -> tuple[float, float]:
        start = a.started_at.timestamp()
        if a.finished_at is not None:
            return start, a.finished_at.timestamp()
        assert a.worker_id in deaths, f"attempt {a} never finished, but its worker {a.worker_id} did not die"
        return start, deaths[a.worker_id] + DEATH_GRACE

    # 1. The attempts log: per registrable domain, each audit starts after the previous ended.
    by_site = defaultdict(list)
    for a in attempts:
        by_site[a.site].append(interval(a) + (a,))
    for site, items in by_site.items():
        items.sort(key=lambda x: x[0])
        for (s1, e1, a1), (s2, e2, a2) in itertools.pairwise(items):
            assert e1 <= s2, f"audits of {site} overlapped: {a1.url} [{s1}, {e1}] and {a2.url} [{s2}, {e2}]"

    # 2. The request logs: on one server (one domain) the requests of one site form at most
    #    as many unbroken runs as the site had audit attempts; an overlap would interleave them.
    tries = defaultdict(int)
    for a in attempts:
        tries[url_to[a.url][1]] += 1
    for dom in domains.values():
        labels = [dom.site_of(r.path) for r in sorted(dom.server.requests, key=lambda r: r.time)]
        labels = [x for x in labels if x]
        runs = defaultdict(int)
        for prev, cur in zip([None] + labels, labels):
            if cur != prev:
                runs[cur] += 1
        for n in dom.names:
            assert runs[n] >= 1, f"{n} was never audited"
            assert runs[n] <= tries[n], f"requests of {n} were interleaved with another site's: {labels}"

    # 3. Both together: every request for a site arrived during one of that site's attempts.
    spans = defaultdict(list)
    for a in attempts:
        spans[a.url].append(interval(a))
    for dom in domains.values():
        for r in dom.server.requests:
            n = dom.site_of(r.path)
            if n is None:
                continue
            t = r.time + MONO_TO_WALL
            assert any(s - 0.05 <= t <= e + 0.05 for s, e in spans[dom.urls[n]]), \
                f"request {r.path} at {t} outside every attempt on {n}: {spans[dom.urls[n]]}"


# -- the tests -------------------------------------------------------------------------
def test_three_workers_one_killed_midway(pg_dsn, domains, workers):
    urls = [u for d in domains.values() for u in d.urls.values()]
    batch, added = enqueue(pg_dsn, urls)
    assert added == len(urls) == 8
    assert enqueue(pg_dsn, urls) == (batch, 0)  # enqueue twice adds nothing
    assert job_count(pg_dsn) == 8

    names = ["w1", "w2", "w3"]
    for n in names:
        workers.start(n, "--no-wait")
    with PostgresStore(pg_dsn) as store:
        victim = wait_for(lambda: len(store.results(batch)) >= 2 and running_attempt(store, batch, set(names)),
                          120, "a worker in the middle of an audit")
        workers.kill(victim.worker_id)
        rest = [n for n in names if n != victim.worker_id]
        workers.wait(rest, timeout=240)
        results = assert_each_site_once(store, batch, urls)
        assert all(r.status == "ok" for r in results.values()), {u: r.status for u, r in results.items()}
        attempts = store.attempts(batch)
        lost = [a for a in attempts if a.outcome == "lost"]
        assert [a.url for a in lost] == [victim.url] and lost[0].worker_id == victim.worker_id
        again = [a for a in attempts if a.url == victim.url and a.attempt == 2]
        assert again and again[0].outcome == "saved" and again[0].worker_id in rest
        assert_no_overlap(store, batch, domains, workers.deaths)
    # Work was shared: more than one worker audited something.
    assert len({a.worker_id for a in attempts if a.outcome == "saved"}) >= 2
    # A finished batch: enqueue adds nothing either.
    out = cli("enqueue", *urls, "--db", pg_dsn).stdout
    assert "0 jobs added, 8 already done" in out
    prog = json.loads(cli("progress", "--db", pg_dsn, "--json").stdout)
    assert prog["results"] == prog["targets"] == 8 and prog["pending"] == 0
    assert prog["attempts_lost"] == 1


def test_all_workers_killed_new_ones_finish_and_queue_rebuilt(pg_dsn, domains, workers, tmp_path):
    doms = {k: domains[k] for k in ("A", "B")}
    urls = [u for d in doms.values() for u in d.urls.values()]
    batch, added = enqueue(pg_dsn, urls, "--batch", "disaster")
    assert (batch, added) == ("disaster", 6)
    for n in ("w1", "w2"):
        workers.start(n)  # waiting workers: they would never stop by themselves
    with PostgresStore(pg_dsn) as store:
        wait_for(lambda: len(store.results(batch)) >= 1 and running_attempt(store, batch, {"w1", "w2"}),
                 120, "a result and an audit in progress")
        for n in ("w1", "w2"):
            workers.kill(n)
        # The queue (and with it every domain lock) is about to be lost: new workers are
        # started once the killed workers' browsers are gone, as an operator restarting
        # after a disaster does. Without the queue nothing else keeps them apart.
        time.sleep(DEATH_GRACE)
        done_before = len(store.results(batch))
        assert done_before < 6
        # The disaster gets worse: the queue itself is lost. The store rebuilds it.
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("TRUNCATE procrastinate_jobs CASCADE")
        rebuilt = cli("enqueue", "--db", pg_dsn, "--batch", batch).stdout
        assert f"{6 - done_before} jobs added, {done_before} already done" in rebuilt, rebuilt
        for n in ("w3", "w4"):
            workers.start(n, "--no-wait", "--recycle-after", "1")  # a fresh browser for every site
        workers.wait(["w3", "w4"], timeout=240)
        for n in ("w3", "w4"):
            audited, launches = worker_summary(workers.log(n))
            assert launches == max(1, audited), workers.log(n)
        results = assert_each_site_once(store, batch, urls)
        assert all(r.status == "ok" for r in results.values())
        assert any(a.outcome == "lost" for a in store.attempts(batch))
        assert_no_overlap(store, batch, doms, workers.deaths)
    out = tmp_path / "sweep.json"
    cli("collect", "--db", pg_dsn, "--batch", batch, "--json", str(out))
    doc = json.loads(out.read_text())
    assert sorted(s["url"] for s in doc["sites"]) == sorted(urls)
    assert_valid_document(doc)


def test_job_that_died_after_saving_is_not_audited_again(pg_dsn, domains, workers):
    dom = {"C": domains["C"]}
    urls = list(domains["C"].urls.values())
    batch, _ = enqueue(pg_dsn, urls)
    # This worker dies right after its first result is committed, before the queue hears of it.
    workers.start("dies", code="worker.HOOKS.after_save = lambda spec, inserted: os._exit(9)")
    workers.wait_dead("dies", timeout=120)
    with PostgresStore(pg_dsn) as store:
        saved = store.results(batch)
        assert len(saved) == 1
        first = saved[0].url
        name = domains["C"].site_of(first.split("/", 3)[3])
        requests_before = [r for r in domains["C"].server.requests if domains["C"].site_of(r.path) == name]
        workers.start("heir", "--no-wait")
        workers.wait(["heir"], timeout=120)
        assert_each_site_once(store, batch, urls)
        mine = [a for a in store.attempts(batch) if a.url == first]
        assert [(a.worker_id, a.outcome) for a in mine] == [("dies", "lost"), ("heir", "already_saved")]
        requests_after = [r for r in domains["C"].server.requests if domains["C"].site_of(r.path) == name]
        assert requests_after == requests_before, "the saved site was audited again"
        assert_no_overlap(store, batch, dom, workers.deaths)


def test_worker_lost_after_three_attempts(pg_dsn, domains, workers, tmp_path):
    dom = domains["A"]
    url = dom.urls["a1"]
    batch, _ = enqueue(pg_dsn, [url])
    crash = "worker.HOOKS.before_audit = lambda spec: os._exit(9)"
    for i in range(3):  # every worker that tries this site dies
        workers.start(f"crash{i}", code=crash)
        workers.wait_dead(f"crash{i}", timeout=60)
    workers.start("last", "--no-wait", code=crash)
    workers.wait(["last"], timeout=60)
    with PostgresStore(pg_dsn) as store:
        (result,) = store.results(batch)
        assert result.status == "error" and result.error.kind == "worker_lost" and result.score is None
        assert [a.outcome for a in store.attempts(batch)] == ["lost", "lost", "lost", "worker_lost"]
        assert [a.attempt for a in store.attempts(batch)] == [1, 2, 3, 4]
    assert not [r for r in dom.server.requests if dom.site_of(r.path)], "a crashing site was audited"
    out = tmp_path / "lost.json"
    cli("collect", "--db", pg_dsn, "--batch", batch, "--json", str(out))
    doc = json.loads(out.read_text())
    assert doc["sites"][0]["error"]["kind"] == "worker_lost"
    assert_valid_document(doc)


# -- sharding and merging ----------------------------------------------------------------
FIXTURE_SITES = ROOT / "tests" / "fixtures" / "sites"


def _doc(generated_at: str, sites: list[dict], schema: str = SCHEMA) -> dict:
    return {"schema": schema, "generated_at": generated_at, "tool": {"name": "contact-auditor", "version": "0"},
            "profile": {"name": generated_at}, "sites": sites}


def _site(url: str, score: int, device: str = "desktop") -> dict:
    """A stub result of one site."""
    return SiteResult(url=url, device=device, status="ok", score=score, grade="C").to_dict()


def test_shards_are_a_stable_partition_of_the_input():
    targets = [Target(f"https://www.site{i}.se/", device=("desktop", "mobile")[i % 2]) for i in range(300)]
    shards = [select_shard(targets, Shard(k, 3)) for k in (1, 2, 3)]
    assert sorted(id(t) for s in shards for t in s) == sorted(id(t) for t in targets)
    assert all(60 < len(s) < 140 for s in shards), [len(s) for s in shards]  # roughly even
    # Independent of input order and of the other sites; the URL is read normalised.
    assert select_shard(list(reversed(targets)), Shard(2, 3)) == list(reversed(shards[1]))
    assert shard_of("https://www.site7.se", "mobile", 3) == shard_of("https://WWW.site7.se/#x", "mobile", 3)
    # A fixed value: the same on every machine and Python (no salted hash()).
    assert [shard_of(f"https://www.site{i}.se/", "desktop", 3) for i in range(8)] == [2, 1, 1, 2, 1, 1, 3, 1]
    assert select_shard(targets, None) == targets
    assert parse_shard("2/3") == Shard(2, 3)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_shard(bad)


def test_merge_keeps_the_newest_of_a_site_and_refuses_mixed_schemas(tmp_path):
    old = _doc("2026-11-23T10:00:00Z", [_site("https://a.se/", 10), _site("https://b.se/", 20)])
    new = _doc("2026-11-23T12:00:00Z", [_site("https://b.se/", 99), _site("https://a.se/", 11, "mobile")])
    for docs in ([old, new], [new, old]):  # argument order does not matter, age does
        merged = merge_documents(docs)
        got = {(s["url"], s["device"]): s["score"] for s in merged["sites"]}
        assert got == {("https://a.se/", "desktop"): 10, ("https://b.se/", "desktop"): 99,
                       ("https://a.se/", "mobile"): 11}
        assert merged["generated_at"] == "2026-11-23T12:00:00Z" and merged["profile"] == {"name": new["generated_at"]}
    # Of equal age the later one on the command line wins.
    same = _doc("2026-11-23T10:00:00Z", [_site("https://a.se/", 77)])
    assert merge_documents([old, same])["sites"][0]["score"] == 77
    with pytest.raises(MergeError, match="different schemas"):
        merge_documents([old, _doc("2026-11-23T12:00:00Z", [], schema="contact-auditor/2")])
    # The command line.
    a, b, out = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "out.json"
    a.write_text(json.dumps(old))
    b.write_text(json.dumps(new))
    cli("merge", str(a), str(b), "--json", str(out))
    assert len(json.loads(out.read_text())["sites"]) == 3
    b.write_text(json.dumps(_doc("x", [], schema="contact-auditor/2")))
    bad = subprocess.run([*CLI, "merge", str(a), str(b), "--json", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "different schemas" in bad.stderr


def _summary(site: dict) -> tuple:
    channels = tuple(sorted((c, v["found"], v["clicks"], tuple(v["values"])) for c, v in site["channels"].items()))
    return (site["status"], site["score"], site["grade"], channels, tuple(sorted(f["id"] for f in site["findings"])))


def test_three_shards_merged_equal_one_unsharded_run(pg_dsn, tmp_path):
    from auditor.cli import make_document
    from auditor.distributed.dispatch import LocalDispatcher
    from auditor.runner import run_targets
    from auditor.scoring import load_profile
    from auditor.settings import AuditSettings, batch_settings_json
    from auditor.store import StoredTarget

    names = ["footer-link", "show-number", "contact-form", "accordion"]
    servers = [SiteServer(FIXTURE_SITES / n).start() for n in names]
    try:
        settings = AuditSettings(concurrency=4, db=pg_dsn)
        profile = load_profile(None)
        targets = [Target(s.url, device="desktop") for s in servers]
        # One unsharded run, through the local dispatcher into the PostgreSQL store.
        with PostgresStore(pg_dsn) as store:
            stored = [StoredTarget(t.url, "desktop", position=i) for i, t in enumerate(targets)]
            report = LocalDispatcher(store, settings, profile).submit("whole", stored, batch_settings_json(settings))
            assert (report.submitted, report.done) == (4, 0)
            whole = make_document(store.results("whole"), profile.to_dict()).to_dict()
        # --shard 1/3, 2/3, 3/3: three runs, three documents, one merge.
        paths = []
        for k in (1, 2, 3):
            share = select_shard(targets, Shard(k, 3))
            results = asyncio.run(run_targets(share, settings, profile)) if share else []
            p = tmp_path / f"shard{k}.json"
            p.write_text(json.dumps(make_document(results, profile.to_dict()).to_dict()))
            paths.append(str(p))
        out = tmp_path / "merged.json"
        cli("merge", *paths, "--json", str(out))
        merged = json.loads(out.read_text())
    finally:
        for s in servers:
            s.stop()
    assert sorted((s["url"], s["device"]) for s in merged["sites"]) == \
        sorted((s["url"], s["device"]) for s in whole["sites"])
    by_url = {s["url"]: _summary(s) for s in whole["sites"]}
    assert {s["url"]: _summary(s) for s in merged["sites"]} == by_url


def test_the_browser_is_recycled_after_n_sites_once_the_sites_in_flight_are_done():
    from auditor.distributed.worker import RecyclingBrowser

    class Pool:  # stands in for BrowserPool: counts launches and closes
        def __init__(self):
            self.launches, self.closed, self.open_sites = 1, 0, 0

        async def close(self):
            assert self.open_sites == 0, "closed while a site was using the browser"
            self.closed += 1
            self.launches += 1  # the next get() launches again

    async def main():
        pool = Pool()
        rb = RecyclingBrowser(pool, recycle_after=2)

        async def site():
            async with rb.site():
                pool.open_sites += 1
                await asyncio.sleep(0.01)
                pool.open_sites -= 1

        await asyncio.gather(*(site() for _ in range(7)))
        return pool

    pool = asyncio.run(main())
    assert pool.closed == 3  # 7 sites, 2 per browser: 4 browsers
