"""Benchmark: the auditor against a naive breadth-first crawler on generated sites.

    python3 benchmarks/run.py --sites 100 --concurrency 4 [--seed 1] [--skip-naive]

1. generates `--sites` fictional sites (`benchmarks/sitegen.py`) with their ground truth;
2. serves each from its own `SiteServer` on 127.0.0.1 (in this process);
3. runs the tool (`auditor.runner.run_targets`, default settings except `concurrency`)
   in a child process, then the naive baseline (`benchmarks/naive.py`) in another child
   process with the same concurrency, tabs per site, depth and late-widget wait;
4. while each child runs, samples its whole process tree (Python, the Playwright driver,
   every Chromium process) from /proc: the sum of RSS every 0.2 s (an upper bound: pages
   shared between Chromium processes count once per process), the sum of PSS (shared
   pages divided among their users: the tree's real footprint) every 2 s and at each new
   RSS peak, the drop of the machine's MemAvailable, the CPU seconds the tree used, and
   how busy the machine was (other processes on a shared machine show up there);
5. prints sites per minute, page loads per site, median and p95 seconds per site, peak
   memory, the ratios, and the accuracy of both against the ground truth.

Page loads are counted twice for the tool: `pages_visited` from its result document, and
the HTML documents the site servers were asked for (which also counts the Consistent Help
sample pages and the reloads after a control navigated away; robots.txt, sitemap.xml and
assets are not page loads). The naive crawler counts its own `goto`s, checked the same way
at the servers.

Figures only: no assertions, not part of pytest. `--tool-setting KEY=VALUE` (repeatable)
overrides an `AuditSettings` field for experiments (e.g. `late_widget_seconds=2`);
`--keep DIR` keeps the sites, truth, raw results and per-site CSV.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import csv
import functools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import sitegen

CHANNELS = sitegen.CHANNELS
SAMPLE_SECONDS = 0.2
def _default_browser() -> str:
    """The system Chromium the tool itself would pick (`auditor.browser.SYSTEM_BROWSERS`)."""
    import shutil

    from auditor.browser import SYSTEM_BROWSERS

    return next((p for p in map(shutil.which, SYSTEM_BROWSERS) if p), "/usr/bin/chromium")


DEFAULT_BROWSER = _default_browser()


# -- memory of a process tree ---------------------------------------------------------------
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> tuple[dict[int, list[int]], dict[int, int]]:
    """Children of every process, and each process's CPU time so far (clock ticks)."""
    kids: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read().decode("latin-1")
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        pid = int(d)
        kids.setdefault(int(rest[1]), []).append(pid)
        ticks[pid] = int(rest[11]) + int(rest[12])
    return kids, ticks


def tree_pids(root: int, kids: dict[int, list[int]] | None = None) -> list[int]:
    if kids is None:
        kids = _proc_table()[0]
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def rss_kb(pid: int) -> int:
    """Resident set of one process (cheap: /proc/PID/statm)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def pss_kb(pid: int) -> int:
    """Proportional set of one process (/proc/PID/smaps_rollup walks the page tables, so
    it is read less often than RSS)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return sum(vals) - idle, sum(vals)


def mem_available_mb() -> float:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class TreeSampler(threading.Thread):
    """Peak memory of a process and all its descendants (Python, the Playwright driver,
    every Chromium process), sampled from /proc: the summed RSS every `interval` seconds,
    the summed PSS every `pss_interval` seconds and whenever the RSS sum reaches a new
    peak (at most every `interval` * 3), and the largest drop of the machine's
    MemAvailable below `baseline_mb` (a cross-check of both). Also the machine's CPU
    busy share over the run. The sampler's own cost was measured: RSS about 2 ms a
    sample, PSS about 25 ms CPU (and more wall time) for 20 processes."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS, baseline_mb: float | None = None,
                 pss_interval: float = 2.0):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_interval = pid, interval, pss_interval
        self.baseline = baseline_mb
        self.peak_system = 0.0
        self.peak_rss = self.peak_pss = 0.0
        self.peak_procs = 0
        self.samples = self.pss_samples = 0
        self.cpu_busy = float("nan")
        self._halt = threading.Event()

    def run(self) -> None:
        self._cpu0 = cpu_jiffies()
        last_pss = 0.0
        self._ticks: dict[int, int] = {}
        while not self._halt.is_set():
            kids, ticks = _proc_table()
            pids = tree_pids(self.pid, kids)
            for p in pids:  # a process's last sample stands for it after it exits
                if p in ticks:
                    self._ticks[p] = ticks[p]
            rss = sum(rss_kb(p) for p in pids) / 1024
            self.samples += 1
            now = time.monotonic()
            new_peak = rss > self.peak_rss
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
            if now - last_pss >= self.pss_interval or (new_peak and now - last_pss >= 3 * self.interval):
                self.peak_pss = max(self.peak_pss, sum(pss_kb(p) for p in pids) / 1024)
                self.pss_samples += 1
                last_pss = now
            if self.baseline is not None:
                self.peak_system = max(self.peak_system, self.baseline - mem_available_mb())
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)
        b1, t1 = cpu_jiffies()
        b0, t0 = self._cpu0
        self.cpu_busy = (b1 - b0) / (t1 - t0) if t1 > t0 else float("nan")
        self.tree_cpu_seconds = sum(self._ticks.values()) / _TICK
        self.machine_busy_seconds = (b1 - b0) / _TICK


# -- the child processes ------------------------------------------------------------------------
_SITE = contextvars.ContextVar("bench_site", default=None)
_PHASE = contextvars.ContextVar("bench_phase", default="")


def _instrument(breakdown: dict[str, dict[str, float]]) -> None:
    """Time the engine's phases per site, by wrapping a few of its functions in this
    benchmark process only (nothing in what they do changes). Figures are tab-seconds:
    the two tabs of one site add up. `settle` and `collect` are also booked under the
    phase that called them (`settle@page_load` is the wait after the load event)."""
    from auditor import audit, explorer, search

    def add(key: str, secs: float) -> None:
        site = _SITE.get()
        if site is None:
            return
        d = breakdown.setdefault(site, {})
        d[key] = d.get(key, 0.0) + secs
        d["n_" + key] = d.get("n_" + key, 0) + 1

    def timed(owner: Any, name: str, key: str, nested: bool = False) -> None:
        orig = getattr(owner, name, None)
        if orig is None:  # the engine changed: time what is there
            return

        @functools.wraps(orig)
        async def wrapper(*a: Any, **kw: Any) -> Any:
            outer = _PHASE.get()
            k = f"{key}@{outer or 'other'}" if nested else (f"{key}@help" if outer == "help_sampling" else key)
            tok = None if nested else _PHASE.set(key if outer != "help_sampling" else "help_sampling")
            t = time.monotonic()
            try:
                return await orig(*a, **kw)
            finally:
                add(k, time.monotonic() - t)
                if tok is not None:
                    _PHASE.reset(tok)

        setattr(owner, name, wrapper)

    timed(search.SiteSearch, "sample_help_pages", "help_sampling")
    timed(explorer.PageExplorer, "load", "page_load")
    timed(explorer.PageExplorer, "_hover_pass", "hover_pass")
    timed(explorer.PageExplorer, "_click_pass", "click_pass")
    timed(explorer.PageExplorer, "_late_widgets", "late_widget_wait")
    timed(explorer.PageExplorer, "_scroll_through", "scroll_pass")
    timed(explorer.PageExplorer, "_restore", "restore_reload")
    timed(audit, "answer_dialog", "consent")
    timed(audit, "sitemap_urls", "sitemap_fetch")
    timed(explorer.PageExplorer, "collect", "collect", nested=True)
    timed(explorer, "settle", "settle", nested=True)
    timed(audit.RobotsPolicy, "allowed", "robots_check", nested=True)


def _parse_overrides(items: list[str]) -> dict[str, Any]:
    from auditor.settings import AuditSettings

    out: dict[str, Any] = {}
    fields = AuditSettings.__dataclass_fields__
    for item in items:
        key, _, raw = item.partition("=")
        key = key.strip().replace("-", "_")
        if key not in fields:
            raise SystemExit(f"unknown AuditSettings field: {key}")
        default = getattr(AuditSettings(), key)
        if isinstance(default, bool):
            val: Any = raw.lower() in ("1", "true", "yes")
        elif isinstance(default, int):
            val = int(raw)
        elif isinstance(default, float):
            val = float(raw)
        else:
            val = raw
        out[key] = val
    return out


def worker_tool(manifest: list[dict], args: argparse.Namespace) -> dict[str, Any]:
    from auditor.runner import Target, run_targets
    from auditor.scoring import load_profile
    from auditor.settings import AuditSettings

    overrides = _parse_overrides(args.tool_setting)
    browser = args.browser if args.browser and Path(args.browser).exists() else None
    settings = AuditSettings(concurrency=args.concurrency, browser_path=browser, **overrides)
    profile = load_profile(None)
    by_url = {m["url"]: m["id"] for m in manifest}
    times: dict[str, list[float]] = {}
    breakdown: dict[str, dict[str, float]] = {}
    if not args.no_breakdown:
        _instrument(breakdown)

    def started(t: Any) -> None:
        _SITE.set(by_url[t.url])
        times[t.url] = [time.monotonic()]

    def finished(t: Any, r: Any) -> None:
        times[t.url].append(time.monotonic())

    targets = [Target(m["url"], name=m["id"]) for m in manifest]
    t0 = time.monotonic()
    results = asyncio.run(run_targets(targets, settings, profile, on_start=started, on_result=finished))
    wall = time.monotonic() - t0
    sites = []
    for m, r in zip(manifest, results):
        st = times.get(m["url"], [t0, t0])
        sites.append({"id": m["id"], "url": m["url"], "seconds": st[-1] - st[0], "result": r.to_dict(),
                      "breakdown": breakdown.get(m["id"], {})})
    return {"phase": "tool", "wall": wall, "settings": {k: getattr(settings, k) for k in (
        "concurrency", "page_concurrency", "max_depth", "max_pages", "late_widget_seconds",
        "max_actions_per_page", "max_in_page_clicks")}, "sites": sites}


def worker_naive(manifest: list[dict], args: argparse.Namespace) -> dict[str, Any]:
    from auditor.settings import AuditSettings
    from benchmarks import naive

    overrides = _parse_overrides(args.tool_setting)
    s = AuditSettings(**overrides)  # the same depth, tabs and late-widget wait as the tool
    browser = args.browser if args.browser and Path(args.browser).exists() else None
    times: dict[str, list[float]] = {}
    t0 = time.monotonic()
    results = asyncio.run(naive.crawl_sites(
        [m["url"] for m in manifest], concurrency=args.concurrency, executable=browser,
        on_start=lambda u: times.setdefault(u, [time.monotonic()]),
        on_result=lambda u, r: times[u].append(time.monotonic()),
        max_depth=s.max_depth, late_widget_seconds=s.late_widget_seconds, tabs=s.page_concurrency,
        text=args.naive_text, page_timeout=s.page_timeout))
    wall = time.monotonic() - t0
    sites = []
    for m, r in zip(manifest, results):
        st = times.get(m["url"], [t0, t0])
        sites.append({"id": m["id"], "url": m["url"], "seconds": st[-1] - st[0], "result": r.to_dict()})
    return {"phase": "naive", "wall": wall, "settings": {
        "concurrency": args.concurrency, "tabs": s.page_concurrency, "max_depth": s.max_depth,
        "late_widget_seconds": s.late_widget_seconds, "text": args.naive_text}, "sites": sites}


def run_phase(phase: str, manifest_file: Path, out_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", phase, "--manifest", str(manifest_file),
           "--out", str(out_file), "--concurrency", str(args.concurrency), "--naive-text", args.naive_text,
           "--browser", args.browser or ""]
    for item in args.tool_setting:
        cmd += ["--tool-setting", item]
    if args.no_breakdown:
        cmd.append("--no-breakdown")
    baseline = mem_available_mb()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=str(ROOT), stdin=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid, baseline_mb=baseline)
    sampler.start()
    rc = proc.wait()
    sampler.stop()
    process_wall = time.monotonic() - t0
    if rc != 0 or not out_file.is_file():
        raise SystemExit(f"{phase} run failed (exit {rc})")
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    doc["process_wall"] = process_wall
    doc["peak_rss_mb"] = sampler.peak_rss
    doc["peak_pss_mb"] = sampler.peak_pss
    doc["peak_procs"] = sampler.peak_procs
    doc["peak_system_mb"] = sampler.peak_system
    doc["cpu_busy"] = sampler.cpu_busy
    doc["tree_cpu_seconds"] = sampler.tree_cpu_seconds
    doc["machine_busy_seconds"] = sampler.machine_busy_seconds
    doc["mem_samples"] = sampler.samples
    return doc


# -- figures ---------------------------------------------------------------------------------
def pctl(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def html_loads(server: Any) -> int:
    n = 0
    for r in list(server.requests):
        if r.method != "GET":
            continue
        path = r.path.split("?", 1)[0]
        if path.endswith(("/", ".html")):
            n += 1
    return n


def channel_of(phase: str, result: dict[str, Any], ch: str) -> dict[str, Any]:
    if phase == "tool":
        c = (result.get("channels") or {}).get(ch) or {}
        out = {"found": bool(c.get("found")), "clicks": c.get("clicks"), "values": c.get("values") or []}
        if ch == "chat":
            out["vendor"] = c.get("vendor")
        return out
    return result["channels"][ch]


def score(phase: str, doc: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    per_ch = {ch: {"found_ok": 0, "exact": 0, "values_ok": 0, "values_n": 0, "fp": 0, "fn": 0,
                   "clicks_wrong": 0} for ch in CHANNELS}
    exact_sites = 0
    wrong: list[str] = []
    for s in doc["sites"]:
        t = truth["sites"][s["id"]]["desktop"]
        site_ok = True
        for ch in CHANNELS:
            got, want = channel_of(phase, s["result"], ch), t[ch]
            c = per_ch[ch]
            if got["found"] == want["found"]:
                c["found_ok"] += 1
                if not want["found"] or got["clicks"] == want["clicks"]:
                    c["exact"] += 1
                else:
                    c["clicks_wrong"] += 1
                    site_ok = False
                    wrong.append(f"{s['id']} {ch}: clicks {got['clicks']} != {want['clicks']}")
            else:
                site_ok = False
                c["fp" if got["found"] else "fn"] += 1
                wrong.append(f"{s['id']} {ch}: found {got['found']} != {want['found']}")
            if ch in ("phone", "email") and want["found"]:
                c["values_n"] += 1
                if sorted(got["values"]) == sorted(want["values"]):
                    c["values_ok"] += 1
        exact_sites += site_ok
    n = len(doc["sites"])
    return {"per_channel": per_ch, "exact_sites": exact_sites, "n": n,
            "found_acc": sum(c["found_ok"] for c in per_ch.values()) / (4 * n) if n else 0,
            "exact_acc": sum(c["exact"] for c in per_ch.values()) / (4 * n) if n else 0,
            "values_acc": (sum(c["values_ok"] for c in per_ch.values())
                           / max(1, sum(c["values_n"] for c in per_ch.values()))),
            "wrong": wrong}


def summarise(phase: str, doc: dict[str, Any], loads_at_server: dict[str, int], truth: dict[str, Any]) -> dict[str, Any]:
    secs = [s["seconds"] for s in doc["sites"]]
    n = len(doc["sites"])
    if phase == "tool":
        own = [s["result"].get("pages_visited", 0) for s in doc["sites"]]
        errors = sum(1 for s in doc["sites"] if s["result"].get("status") == "error")
    else:
        own = [s["result"]["page_loads"] for s in doc["sites"]]
        errors = sum(1 for s in doc["sites"] if s["result"].get("error"))
    server = [loads_at_server.get(s["id"], 0) for s in doc["sites"]]
    return {
        "phase": phase, "n": n, "wall": doc["wall"], "process_wall": doc["process_wall"],
        "sites_per_min": n / doc["wall"] * 60 if doc["wall"] else 0.0,
        "loads_own": sum(own) / n if n else 0.0, "loads_server": sum(server) / n if n else 0.0,
        "median_s": statistics.median(secs) if secs else float("nan"), "p95_s": pctl(secs, 0.95),
        "mean_s": statistics.fmean(secs) if secs else float("nan"),
        "peak_rss_mb": doc["peak_rss_mb"], "peak_pss_mb": doc["peak_pss_mb"], "peak_procs": doc["peak_procs"],
        "peak_system_mb": doc.get("peak_system_mb", float("nan")),
        "cpu_busy_pct": 100 * doc.get("cpu_busy", float("nan")),
        "tree_cpu_s": doc.get("tree_cpu_seconds", float("nan")),
        "cpu_s_per_site": doc.get("tree_cpu_seconds", float("nan")) / n if n else float("nan"),
        "others_cpu_pct": 100 * max(0.0, 1 - doc.get("tree_cpu_seconds", 0) / doc["machine_busy_seconds"])
        if doc.get("machine_busy_seconds") else float("nan"),
        "errors": errors, "accuracy": score(phase, doc, truth),
    }


def exact_lower_bound(site: dict[str, Any], max_depth: int = 4) -> int:
    """Fewest page loads with which any search can *prove* the fewest clicks of every
    channel of a generated site (from its ground truth): a channel at `c` clicks is only
    known to be at its minimum once every page reachable in fewer than `c` clicks was
    explored, and an absent channel only once every page within `max_depth` was."""
    d, pc = site["desktop"], site["page_clicks"]
    if all(d[ch]["found"] for ch in CHANNELS):
        worst = max(d[ch]["clicks"] for ch in CHANNELS)
        # ...plus the page a channel is on, when it is a page of that last level
        on_last = any(d[ch]["clicks"] == worst and pc.get(d[ch]["page"]) == worst for ch in CHANNELS)
        return sum(1 for c in pc.values() if c is not None and c < worst) + int(on_last)
    return sum(1 for c in pc.values() if c is not None and c <= max_depth)


def _fmt(v: float, nd: int = 1) -> str:
    return "-" if v is None or math.isnan(v) else f"{v:.{nd}f}"


def engine_version() -> str:
    """The commit the tool ran from, and whether engine files were changed on top of it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "auditor", "checks"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10, check=False).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    changed = [ln[3:] for ln in dirty if ln.strip()]
    return head + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def print_report(tool: dict | None, naive: dict | None, truth: dict, docs: dict, args: argparse.Namespace) -> None:
    n = len(truth["sites"])
    pages = [s["n_pages"] for s in truth["sites"].values()]
    print()
    if tool and docs.get("tool", {}).get("engine"):
        print(f"engine: {docs['tool']['engine']}")
    print(f"contact-auditor benchmark: {n} generated sites (seed {args.seed}), {sum(pages) / n:.1f} pages/site "
          f"({min(pages)}-{max(pages)}), --concurrency {args.concurrency}, {os.cpu_count()} CPUs")
    if tool:
        st = docs["tool"]["settings"]
        print("tool settings: " + ", ".join(f"{k}={v}" for k, v in st.items()))
    if naive:
        st = docs["naive"]["settings"]
        print("naive settings: " + ", ".join(f"{k}={v}" for k, v in st.items()))
    rows = [
        ("sites per minute", "sites_per_min", 1, "ratio_hi"),
        ("page loads per site (own count)", "loads_own", 1, "ratio_lo"),
        ("page loads per site (at the servers)", "loads_server", 1, "ratio_lo"),
        ("median seconds per site", "median_s", 1, "ratio_lo"),
        ("p95 seconds per site", "p95_s", 1, "ratio_lo"),
        ("mean seconds per site", "mean_s", 1, "ratio_lo"),
        ("wall seconds (run_targets / crawl)", "wall", 1, "ratio_lo"),
        ("peak memory, PSS sum of tree (MB)", "peak_pss_mb", 0, "ratio_lo"),
        ("peak memory, RSS sum of tree (MB)", "peak_rss_mb", 0, "ratio_lo"),
        ("peak drop of MemAvailable (MB)", "peak_system_mb", 0, "ratio_lo"),
        ("peak processes in tree", "peak_procs", 0, None),
        ("CPU seconds of the tree per site", "cpu_s_per_site", 1, "ratio_lo"),
        ("machine CPU busy during the run (%)", "cpu_busy_pct", 0, None),
        ("  of which other processes (%)", "others_cpu_pct", 0, None),
        ("sites with status error", "errors", 0, None),
    ]
    print()
    print(f"{'':40} {'tool':>10} {'naive':>10} {'naive/tool':>11}")
    for label, key, nd, kind in rows:
        a = tool[key] if tool else None
        b = naive[key] if naive else None
        ratio = "-"
        if a is not None and b is not None and kind and a:
            ratio = f"{b / a:.2f}x"
        print(f"{label:40} {_fmt(a, nd) if a is not None else '-':>10} {_fmt(b, nd) if b is not None else '-':>10} {ratio:>11}")
    print()
    print("accuracy against the ground truth (desktop)")
    print(f"{'':40} {'tool':>10} {'naive':>10}")
    acc_rows = [("channels: found right (of 4/site)", "found_acc", True), ("channels: found and exact clicks", "exact_acc", True),
                ("sites: all 4 channels exact", "exact_sites", False), ("phone/e-mail values exact", "values_acc", True)]
    for label, key, pct in acc_rows:
        vals = []
        for s in (tool, naive):
            if not s:
                vals.append("-")
                continue
            v = s["accuracy"][key]
            vals.append(f"{v * 100:.1f}%" if pct else f"{v}/{s['n']}")
        print(f"{label:40} {vals[0]:>10} {vals[1]:>10}")
    for ch in CHANNELS:
        vals = []
        for s in (tool, naive):
            if not s:
                vals.append("-")
                continue
            c = s["accuracy"]["per_channel"][ch]
            vals.append(f"{c['exact']}/{s['n']} ({c['fn']}m {c['fp']}f {c['clicks_wrong']}c)")
        print(f"  {ch + ' exact (missed/false/clicks)':38} {vals[0]:>22} {vals[1]:>22}")
    # subgroups: how the channel mix drives page loads
    groups = {"all 4 channels on the site": [], "a channel absent": []}
    for sid, t in truth["sites"].items():
        full = all(t["desktop"][ch]["found"] for ch in CHANNELS)
        groups["all 4 channels on the site" if full else "a channel absent"].append(sid)
    print()
    print("page loads per site at the servers, by kind of site (bound: fewest loads an exhaustive")
    print("search needs to *prove* the clicks exact and the absences, from the ground truth; the")
    print("default focused search stops short of that proof and says `focus`; median s per site)")
    print(f"{'':32} {'sites':>6} {'bound':>6} {'tool':>8} {'naive':>8} {'ratio':>8} {'tool s':>8} {'naive s':>8}")
    groups["all sites"] = list(truth["sites"])
    for label, ids in groups.items():
        if not ids:
            continue
        bound = sum(exact_lower_bound(truth["sites"][i]) for i in ids) / len(ids)
        line = [f"{label:32} {len(ids):>6} {bound:>6.1f}"]
        vals = {}
        for phase in ("tool", "naive"):
            if phase in docs:
                by = {s["id"]: s for s in docs[phase]["sites"]}
                loads = [docs[phase]["loads_at_server"][i] for i in ids]
                vals[phase] = (sum(loads) / len(loads), statistics.median(by[i]["seconds"] for i in ids))
        t, nv = vals.get("tool"), vals.get("naive")
        line.append(f"{_fmt(t[0]) if t else '-':>8} {_fmt(nv[0]) if nv else '-':>8} "
                    f"{(f'{nv[0] / t[0]:.2f}x' if t and nv and t[0] else '-'):>8} "
                    f"{_fmt(t[1]) if t else '-':>8} {_fmt(nv[1]) if nv else '-':>8}")
        print(" ".join(line))
    if tool and "tool" in docs:
        bd = [s.get("breakdown") or {} for s in docs["tool"]["sites"]]
        keys = sorted({k for b in bd for k in b if not k.startswith("n_")})
        if keys:
            print()
            print("tool: where the time goes (mean per site, tab-seconds: the tabs of one site add up;")
            print("      X@Y is the part of phase Y spent in X)")
            for k in sorted(keys, key=lambda k: ("@" in k, -sum(b.get(k, 0) for b in bd))):
                tot = sum(b.get(k, 0) for b in bd) / len(bd)
                cnt = sum(b.get("n_" + k, 0) for b in bd) / len(bd)
                print(f"  {k:28} {tot:7.2f} s  ({cnt:.1f} calls)")
    if tool and "tool" in docs:
        by_feature(truth, docs["tool"])
    if tool:
        wrong = tool["accuracy"]["wrong"]
        if wrong:
            print()
            print(f"tool differences from the truth ({len(wrong)}):")
            for w in wrong[:40]:
                print("  " + w)
    print()
    if tool and naive:
        print(f"ratios: naive/tool page loads (servers) {naive['loads_server'] / tool['loads_server']:.2f}x, "
              f"(own counts) {naive['loads_own'] / max(tool['loads_own'], 1e-9):.2f}x; "
              f"tool/naive sites per minute {tool['sites_per_min'] / naive['sites_per_min']:.2f}x; "
              f"naive/tool median s {naive['median_s'] / tool['median_s']:.2f}x; "
              f"naive/tool peak PSS {naive['peak_pss_mb'] / tool['peak_pss_mb']:.2f}x")


def by_feature(truth: dict, doc: dict) -> None:
    """Tool seconds per site by what the generator drew: which site traits cost time."""
    sites = {s["id"]: s for s in doc["sites"]}
    print()
    print("tool by site feature: sites, median s/site, mean tab-seconds per site of late-widget")
    print("wait, of settle after load, and mean page loads")
    for feat in ("chat", "deferred_tag_ms", "contact_link", "consent", "form", "latency_ms"):
        groups: dict[str, list[str]] = {}
        for sid, t in truth["sites"].items():
            groups.setdefault(str(t["features"][feat]), []).append(sid)
        cells = []
        for val, ids in sorted(groups.items()):
            bd = [sites[i].get("breakdown") or {} for i in ids]
            med = statistics.median(sites[i]["seconds"] for i in ids)
            late = statistics.fmean(b.get("late_widget_wait", 0) for b in bd)
            sett = statistics.fmean(b.get("settle@page_load", 0) for b in bd)
            loads = statistics.fmean(doc["loads_at_server"][i] for i in ids)
            cells.append(f"{val}: n={len(ids)} {med:.1f}s late={late:.1f} settle={sett:.1f} loads={loads:.1f}")
        print(f"  {feat}:")
        for c in cells:
            print(f"    {c}")


def write_csv(path: Path, truth: dict, docs: dict) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        head = ["id", "n_pages", "contact_link", "phone", "email", "form", "chat", "consent", "deferred_tag_ms"]
        for phase in ("tool", "naive"):
            head += [f"{phase}_seconds", f"{phase}_loads_server", f"{phase}_loads_own"]
            head += [f"{phase}_{ch}" for ch in CHANNELS]
        head += [f"truth_{ch}" for ch in CHANNELS]
        w.writerow(head)
        for sid, t in truth["sites"].items():
            f_ = t["features"]
            row = [sid, t["n_pages"], f_["contact_link"], f_["phone"], f_["email"], f_["form"], f_["chat"],
                   f_["consent"], f_["deferred_tag_ms"]]
            for phase in ("tool", "naive"):
                if phase not in docs:
                    row += [""] * (3 + len(CHANNELS))
                    continue
                s = next(x for x in docs[phase]["sites"] if x["id"] == sid)
                own = s["result"].get("pages_visited") if phase == "tool" else s["result"]["page_loads"]
                row += [round(s["seconds"], 2), docs[phase]["loads_at_server"][sid], own]
                for ch in CHANNELS:
                    c = channel_of(phase, s["result"], ch)
                    row.append(c["clicks"] if c["found"] else "")
            row += [t["desktop"][ch]["clicks"] if t["desktop"][ch]["found"] else "" for ch in CHANNELS]
            w.writerow(row)


def report_only(work: Path, args: argparse.Namespace) -> int:
    truth = json.loads((work / "sites" / sitegen.TRUTH_FILE).read_text(encoding="utf-8"))
    args.seed = truth.get("seed", args.seed)
    docs: dict[str, dict] = {}
    sums: dict[str, dict] = {}
    old_summary = json.loads((work / "summary.json").read_text(encoding="utf-8")) if (work / "summary.json").is_file() else {}
    for phase in ("tool", "naive"):
        full = work / f"phase-{phase}.json"
        if full.is_file():
            doc = json.loads(full.read_text(encoding="utf-8"))
        elif (work / f"result-{phase}.json").is_file() and phase in old_summary:
            # a run kept before phase-*.json existed: memory from summary.json, loads from sites.csv
            doc = json.loads((work / f"result-{phase}.json").read_text(encoding="utf-8"))
            o = old_summary[phase]
            doc.update(process_wall=o["process_wall"], peak_rss_mb=o["peak_rss_mb"], peak_pss_mb=o["peak_pss_mb"],
                       peak_procs=o["peak_procs"], peak_system_mb=o.get("peak_system_mb", float("nan")),
                       cpu_busy=o.get("cpu_busy_pct", float("nan")) / 100,
                       tree_cpu_seconds=o.get("tree_cpu_s", float("nan")))
            if o.get("others_cpu_pct") == o.get("others_cpu_pct") and o.get("tree_cpu_s"):
                doc["machine_busy_seconds"] = o["tree_cpu_s"] / max(1e-9, 1 - o["others_cpu_pct"] / 100)
            with (work / "sites.csv").open(encoding="utf-8") as f:
                doc["loads_at_server"] = {r["id"]: int(r[f"{phase}_loads_server"]) for r in csv.DictReader(f)}
        else:
            continue
        docs[phase] = doc
        sums[phase] = summarise(phase, doc, doc["loads_at_server"], truth)
    args.concurrency = (docs.get("tool") or docs.get("naive") or {}).get("settings", {}).get("concurrency", args.concurrency)
    print_report(sums.get("tool"), sums.get("naive"), truth, docs, args)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sites", type=int, default=100)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-naive", action="store_true")
    p.add_argument("--skip-tool", action="store_true")
    p.add_argument("--browser", default=DEFAULT_BROWSER, help=f"Chromium for both runs (default {DEFAULT_BROWSER}, the one the tool picks)")
    p.add_argument("--tool-setting", action="append", default=[], metavar="KEY=VALUE",
                   help="override an AuditSettings field for both runs where it applies (experiments)")
    p.add_argument("--naive-text", choices=("dom", "visible"), default="dom")
    p.add_argument("--no-breakdown", action="store_true", help="do not time the tool's phases")
    p.add_argument("--keep", metavar="DIR", help="keep sites, truth, raw results and sites.csv here")
    p.add_argument("--report", metavar="DIR", help="print the report of a run kept with --keep DIR again, without running")
    p.add_argument("--worker", choices=("tool", "naive"), help=argparse.SUPPRESS)
    p.add_argument("--manifest", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.report:
        return report_only(Path(args.report), args)
    if args.worker:
        manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
        fn = worker_tool if args.worker == "tool" else worker_naive
        doc = fn(manifest, args)
        Path(args.out).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return 0

    from auditor.demo.server import SiteServer

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ca-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work / "sites", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    truth = sitegen.generate(args.sites, work / "sites", args.seed)
    print(f"generated {args.sites} sites in {time.monotonic() - t:.1f} s under {work / 'sites'}", flush=True)
    servers: dict[str, SiteServer] = {}
    try:
        for sid in truth["sites"]:
            srv = SiteServer(work / "sites" / sid).start()
            servers[sid] = srv
            sitegen.set_origin(work / "sites" / sid, srv.url.rstrip("/"))
        manifest = [{"id": sid, "url": srv.url} for sid, srv in servers.items()]
        mfile = work / "manifest.json"
        mfile.write_text(json.dumps(manifest), encoding="utf-8")
        docs: dict[str, dict] = {}
        sums: dict[str, dict] = {}
        phases = [ph for ph, skip in (("tool", args.skip_tool), ("naive", args.skip_naive)) if not skip]
        for phase in phases:
            for srv in servers.values():
                srv.clear_requests()
            print(f"running {phase} on {len(manifest)} sites ...", flush=True)
            engine = engine_version() if phase == "tool" else None
            doc = run_phase(phase, mfile, work / f"result-{phase}.json", args)
            if engine:
                doc["engine"] = engine
            doc["loads_at_server"] = {sid: html_loads(srv) for sid, srv in servers.items()}
            docs[phase] = doc
            (work / f"phase-{phase}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            sums[phase] = summarise(phase, doc, doc["loads_at_server"], truth)
            print(f"  {phase}: {doc['wall']:.1f} s", flush=True)
    finally:
        for srv in servers.values():
            srv.stop()
    print_report(sums.get("tool"), sums.get("naive"), truth, docs, args)
    write_csv(work / "sites.csv", truth, docs)
    (work / "summary.json").write_text(json.dumps(sums, indent=1, default=str), encoding="utf-8")
    print(f"\nraw results, truth and sites.csv in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
