"""Command line of a distributed sweep: `enqueue`, `worker`, `progress`, `collect`, `merge`.

`add_commands(subparsers)` adds them to `contact-auditor`'s parser (`auditor/cli.py`);
each sub-parser gets `handler=<function(args) -> exit code>` as a default, also listed in
`COMMANDS`. Until then, and for scripts, `python3 -m auditor.distributed.cli COMMAND ...`
runs them alone.

    contact-auditor enqueue SITES... --db postgresql://... [--input FILE] [--batch ID] [--device D]
    contact-auditor worker --db postgresql://... [--concurrency N] [--recycle-after N] [--no-wait]
    contact-auditor progress --db postgresql://... [--batch ID] [--json]
    contact-auditor collect --db postgresql://... [--batch ID] --json OUT
    contact-auditor merge A.json B.json ... --json OUT

`--db` defaults to `CONTACT_AUDITOR_DB`. Exit codes as for `audit`: 0 done, 2 usage error
(bad arguments, database unreachable, no browser).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from auditor.errors import AuditorError, UsageError

EXIT_OK, EXIT_USAGE = 0, 2


def _db_url(text: str) -> str:
    if not text.startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError(f"a PostgreSQL URL such as postgresql://user@host:5432/db, not {text!r}")
    return text


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return v


def _non_negative_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return v


def _seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return v


def _non_negative_seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not v >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return v


def _region(text: str) -> str:
    if len(text) != 2 or not text.isalpha():
        raise argparse.ArgumentTypeError(f"a two-letter country code such as SE or FI, not {text!r}")
    return text.upper()


def _proxy(text: str) -> str:
    from urllib.parse import urlsplit

    p = urlsplit(text)
    if p.scheme not in ("http", "https", "socks5") or not p.hostname:
        raise argparse.ArgumentTypeError(f"a proxy URL such as http://127.0.0.1:8080, not {text!r}")
    return text


def _batch_id(text: str) -> str:
    if not (text and len(text) <= 100 and all(c.isalnum() or c in "._:-" for c in text)):
        raise argparse.ArgumentTypeError(f"a batch id is letters, digits and . _ : - (at most 100), not {text!r}")
    return text


def _add_db(p: argparse.ArgumentParser) -> None:
    env = os.environ.get("CONTACT_AUDITOR_DB")
    default = env if env and env.startswith(("postgresql://", "postgres://")) else None
    p.add_argument("--db", type=_db_url, default=default, required=default is None, metavar="URL",
                   help="the PostgreSQL database of the sweep, postgresql://user@host:port/db "
                        "(default: CONTACT_AUDITOR_DB)")


def add_commands(subparsers: Any) -> None:
    """Add `enqueue`, `worker`, `progress`, `collect` and `merge` to a subparsers object."""
    from auditor.cli import _add_output_flags
    from auditor.distributed.shard import add_shard_option

    e = subparsers.add_parser(
        "enqueue", help="put sites on the PostgreSQL queue of a distributed sweep",
        description="Open a batch in the PostgreSQL store and queue one job per site and device that has "
                    "no result yet. Running it again adds nothing twice; with --batch and no sites it "
                    "rebuilds the queue of a batch from what has no result.",
    )
    e.add_argument("sites", nargs="*", metavar="SITE", help="start page(s) to audit")
    _add_db(e)
    e.add_argument("--input", metavar="FILE", help="more sites: a URL list or a CSV with url,name,sector,device")
    e.add_argument("--batch", type=_batch_id, metavar="ID", help="batch id (default: derived from the input and settings)")
    e.add_argument("--device", choices=("desktop", "mobile"), help="visitor profile (default desktop)")
    e.add_argument("--region", type=_region, metavar="CC", help="country for reading phone numbers")
    e.add_argument("--max-depth", type=_non_negative_int, metavar="N", help="most clicks from the start page")
    e.add_argument("--max-pages", type=_positive_int, metavar="N", help="most pages per site")
    e.add_argument("--timeout", type=_seconds, metavar="S", help="time budget per site in seconds")
    e.add_argument("--ignore-robots", action="store_true", default=None, help="do not obey robots.txt")
    e.add_argument("--profile", metavar="NAME|FILE", help="scoring profile")
    add_shard_option(e)
    e.set_defaults(handler=cmd_enqueue)

    w = subparsers.add_parser(
        "worker", help="audit sites from the PostgreSQL queue",
        description="Take jobs from the queue and audit them with one Chromium; results go to the store. "
                    "Stops on SIGINT/SIGTERM after the sites in flight, or with --no-wait when the queue is empty.",
    )
    _add_db(w)
    w.add_argument("--concurrency", type=_positive_int, default=1, metavar="N", help="sites audited at once (default 1)")
    w.add_argument("--recycle-after", type=_non_negative_int, default=50, metavar="N",
                   help="launch a fresh browser after N sites (default 50; 0 never)")
    w.add_argument("--wait", action=argparse.BooleanOptionalAction, default=True,
                   help="wait for new jobs (default); --no-wait exits when no job is waiting or running")
    w.add_argument("--name", metavar="ID", help="worker id in the attempts log (default host:pid)")
    w.add_argument("--poll-interval", type=_seconds, default=2.0, metavar="S", help="seconds between queue polls (default 2)")
    w.add_argument("--heartbeat", type=_seconds, default=5.0, metavar="S", help="seconds between heartbeats (default 5)")
    w.add_argument("--stalled-after", type=_seconds, default=30.0, metavar="S",
                   help="a worker silent this long is dead and its jobs go back to the queue (default 30)")
    w.add_argument("--browser", dest="browser_path", metavar="PATH", help="Chromium/Chrome executable to use")
    w.add_argument("--proxy", type=_proxy, metavar="URL", help="send every request through this HTTP proxy")
    w.add_argument("--screenshots", metavar="DIR", help="save screenshots of found contact details in DIR")
    w.add_argument("--host-delay", type=_non_negative_seconds, metavar="S", help="seconds between page loads on one host")
    w.add_argument("-v", "--verbose", action="store_true", help="log the queue's own messages")
    w.set_defaults(handler=cmd_worker)

    pr = subparsers.add_parser("progress", help="how far a distributed sweep is",
                               description="Results, queue and workers of a batch in the PostgreSQL store.")
    _add_db(pr)
    pr.add_argument("--batch", type=_batch_id, metavar="ID", help="batch id (default: the newest)")
    pr.add_argument("--stalled-after", type=_seconds, default=30.0, metavar="S",
                    help="count a worker alive when its heartbeat is younger than this (default 30)")
    pr.add_argument("--json", action="store_true", help="print JSON instead of text")
    pr.set_defaults(handler=cmd_progress)

    c = subparsers.add_parser("collect", help="write the result document of a batch in the PostgreSQL store",
                              description="The results saved so far for a batch, as one result document.")
    _add_db(c)
    c.add_argument("--batch", type=_batch_id, metavar="ID", help="batch id (default: the newest)")
    _add_output_flags(c)
    c.set_defaults(handler=cmd_collect)

    m = subparsers.add_parser("merge", help="join result documents into one",
                              description="Join result documents (e.g. of --shard runs) into one. A site in "
                                          "several keeps the newest; documents of different schemas are an error.")
    m.add_argument("documents", nargs="+", metavar="RESULTS.json")
    _add_output_flags(m)
    m.set_defaults(handler=cmd_merge)


# -- handlers --------------------------------------------------------------------------
def cmd_enqueue(args: argparse.Namespace) -> int:
    from auditor.batch_input import read_targets
    from auditor.distributed.dispatch import QueueDispatcher
    from auditor.distributed.queue import default_batch_id
    from auditor.distributed.shard import select_shard
    from auditor.settings import AuditSettings, batch_settings_json, resolve_settings
    from auditor.store import StoredTarget
    from auditor.store.postgres import PostgresStore

    flags = {k: getattr(args, k, None) for k in AuditSettings.__dataclass_fields__}
    flags["site_timeout"] = args.timeout
    flags["db"] = args.db
    settings = resolve_settings({}, flags)
    targets: list[StoredTarget] = []
    if args.sites or args.input:
        given = read_targets(args.sites, args.input, settings.device)
        for p in given.problems:
            print(f"contact-auditor: {p.text()}", file=sys.stderr)
        chosen = select_shard(list(given.targets), args.shard, settings.device)
        targets = [StoredTarget(t.url, t.device or settings.device, t.name, t.sector, i)
                   for i, t in enumerate(chosen)]
        if not targets and not args.batch:
            raise UsageError("no site to enqueue")
    elif not args.batch:
        raise UsageError("give sites, --input FILE, or --batch ID (to queue again what a batch still lacks)")
    settings_json = batch_settings_json(settings)
    batch_id = args.batch or default_batch_id(targets, settings_json)
    store = PostgresStore(args.db)
    try:
        if targets and store.batch_settings(batch_id) is not None:
            # Sites added to an existing batch come after the ones it has.
            base = len(store.targets(batch_id))
            targets = [StoredTarget(t.url, t.device, t.name, t.sector, base + t.position) for t in targets]
        elif not targets and store.batch_settings(batch_id) is None:
            raise UsageError(f"no batch {batch_id!r} in {store.where}")
        r = QueueDispatcher(args.db, store).submit(batch_id, targets, settings_json)
    finally:
        store.close()
    print(f"batch {r.batch_id}: {r.submitted} jobs added, {r.done} already done, "
          f"{r.in_progress} already queued ({r.targets} sites in the batch)")
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from auditor.distributed.worker import WorkerOptions, run_worker

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    opts = WorkerOptions(
        dsn=args.db, concurrency=args.concurrency, recycle_after=args.recycle_after, wait=args.wait,
        name=args.name, poll_interval=args.poll_interval, heartbeat_interval=args.heartbeat,
        stalled_after=args.stalled_after, browser_path=args.browser_path, proxy=args.proxy,
        screenshots_dir=args.screenshots, host_delay=args.host_delay,
    )
    stats = asyncio.run(run_worker(opts))
    print(f"worker {opts.worker_id()}: {stats.jobs} jobs, {stats.audited} audited, "
          f"{stats.already_saved} already saved, {stats.worker_lost} worker_lost, "
          f"{stats.browser_launches} browser launches, {stats.seconds:.1f} s", file=sys.stderr)
    return EXIT_OK


def progress(dsn: str, batch_id: str | None = None, stalled_after: float = 30.0) -> dict[str, Any]:
    """How far a batch is: results by status, pending, the queue's jobs, live workers,
    attempts (lost = the worker died)."""
    from auditor.distributed import queue as q
    from auditor.store.postgres import PostgresStore

    with PostgresStore(dsn) as store:
        batch_id = batch_id or store.latest_batch()
        if batch_id is None or store.batch_settings(batch_id) is None:
            raise UsageError(f"no batch {batch_id!r} in {store.where}" if batch_id else f"no batch in {store.where}")
        results = store.results(batch_id)
        targets = len(store.targets(batch_id))
        attempts = store.attempts(batch_id)

    async def queue_side() -> tuple[dict[str, int], int]:
        async with q.open_queue(dsn, max_connections=2) as app:
            return await q.queue_counts(app, batch_id), await q.live_workers(app, stalled_after)

    jobs, workers = asyncio.run(queue_side())
    by_status = Counter(r.status for r in results)
    errors = Counter(r.error.kind for r in results if r.error)
    return {
        "batch": batch_id,
        "targets": targets,
        "results": len(results),
        "pending": targets - len(results),
        "status": dict(by_status),
        "errors": dict(errors),
        "jobs": jobs,
        "workers_alive": workers,
        "attempts": len(attempts),
        "attempts_running_or_lost": sum(1 for a in attempts if a.finished_at is None),
        "attempts_lost": sum(1 for a in attempts if a.outcome == "lost"),
    }


def cmd_progress(args: argparse.Namespace) -> int:
    p = progress(args.db, args.batch, args.stalled_after)
    if args.json:
        print(json.dumps(p, indent=2, sort_keys=True))
        return EXIT_OK
    st = ", ".join(f"{n} {s}" for s, n in sorted(p["status"].items())) or "none yet"
    er = ", ".join(f"{n} {k}" for k, n in sorted(p["errors"].items()))
    jobs = p["jobs"]
    print(f"batch {p['batch']}: {p['results']}/{p['targets']} sites done ({st}); {p['pending']} pending")
    if er:
        print(f"errors: {er}")
    print(f"queue: {jobs.get('todo', 0)} waiting, {jobs.get('doing', 0)} running, "
          f"{jobs.get('failed', 0)} failed; {p['workers_alive']} workers alive")
    print(f"attempts: {p['attempts']} started, {p['attempts_lost']} lost with their worker")
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from auditor.cli import make_document, write_outputs
    from auditor.scoring import load_profile
    from auditor.settings import AuditSettings, restore_batch_settings
    from auditor.store.postgres import PostgresStore

    _need_output(args)
    with PostgresStore(args.db) as store:
        batch_id = args.batch or store.latest_batch()
        saved = store.batch_settings(batch_id) if batch_id else None
        if saved is None:
            raise UsageError(f"no batch {batch_id!r} in {store.where}" if batch_id else f"no batch in {store.where}")
        results = store.results(batch_id)
        pending = len(store.pending(batch_id))
    settings, _ = restore_batch_settings(AuditSettings(), saved)
    doc = make_document(results, load_profile(settings.profile).to_dict()).to_dict()
    write_outputs(doc, args)
    print(f"batch {batch_id}: {len(results)} sites written, {pending} still pending", file=sys.stderr)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from auditor.cli import write_outputs
    from auditor.distributed.merge import merge_files

    _need_output(args)
    doc = merge_files(args.documents)
    write_outputs(doc, args)
    print(f"merged {len(args.documents)} documents: {len(doc['sites'])} sites", file=sys.stderr)
    return EXIT_OK


def _need_output(args: argparse.Namespace) -> None:
    if not any(getattr(args, k, None) for k in ("json", "html", "csv", "markdown", "junit")):
        raise UsageError("give an output: --json PATH (or --html, --csv, --markdown, --junit)")


COMMANDS = {"enqueue": cmd_enqueue, "worker": cmd_worker, "progress": cmd_progress,
            "collect": cmd_collect, "merge": cmd_merge}


def build_parser() -> argparse.ArgumentParser:
    from auditor.cli import _Parser

    parser = _Parser(prog="contact-auditor", description="Distributed sweep commands of contact-auditor.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except AuditorError as exc:
        print(f"contact-auditor: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("contact-auditor: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
