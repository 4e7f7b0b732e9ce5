"""The command line: `contact-auditor audit|report|history|batches|compare|demo`.

Only this module opens output files, writes to stdout/stderr and picks the exit code:

    0  the audit ran (every site has a result, possibly status "error") and every gate passed
    1  a gate failed (--fail-under, --fail-on, --baseline: auditor/gates.py), one line each
    2  usage error: bad arguments, config file or input file, no browser, no result store
    3  no site could be audited at all
  130  interrupted (Ctrl-C) or 143 terminated; the finished sites are in the store and
       `audit --resume` goes on from there

A batch: the targets of one `audit` (URLs and `--input FILE`, `auditor/batch_input.py`)
under one batch id. Every finished site is saved to the result store (`auditor/store`) the
moment it is done, so an interrupted batch loses only the sites in flight, and `--resume`
audits only what the batch still lacks. The reports of a batch are written from the store:
they hold every site of the batch, whichever run audited it.
"""

from __future__ import annotations

import argparse
import dataclasses
import asyncio
import hashlib
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.config import flag_type
from auditor.errors import AuditorError, StoreError, UsageError
from auditor.result import ResultDocument, SiteResult
from auditor.settings import AuditSettings, resolve_settings

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

DESCRIPTION = """\
Measure how hard a website makes it to reach a human.

contact-auditor opens each site in a real (headless) Chromium, behaves like a customer
looking for contact details, and reports for phone, e-mail, chat and contact form: found
or not, how many clicks from the start page, how many seconds, what was found and the
click path to it. It scores how hidden contact is (0-100, grade A-F) and names the
problems (premium-rate numbers, contact behind login, ...).
"""

EPILOG = """\
examples:
  contact-auditor demo                         audit the bundled demo companies
  contact-auditor audit https://www.example.se --html report.html
  contact-auditor audit https://a.se https://b.se --json results.json --device mobile
  contact-auditor audit --input sites.csv --html report.html      a batch; Ctrl-C, then:
  contact-auditor audit --resume --html report.html               ...goes on where it stopped
  contact-auditor audit https://staging.example.se --fail-under 70 --baseline prod.json
  contact-auditor history https://www.example.se                  scores over time
  contact-auditor compare last-week.json today.json               what got better, worse
  contact-auditor report results.json --html report.html

exit codes: 0 passed, 1 a gate failed, 2 usage error, 3 no site could be audited,
130 interrupted (resume with --resume)
"""

#: Output flags and the renderer each one picks.
OUTPUTS = ("json", "html", "csv", "markdown", "junit")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"contact-auditor: error: {message} (see --help)\n")


def _batch_id(text: str) -> str:
    ok = text and len(text) <= 100 and all(c.isalnum() or c in "._:-" for c in text)
    if not ok:
        raise argparse.ArgumentTypeError(f"a batch id is letters, digits and . _ : - (at most 100), not {text!r}")
    return text


def _add_output_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--json", metavar="PATH", help="write the result document (JSON) to PATH, or - for stdout")
    g.add_argument("--html", metavar="PATH", help="write a readable HTML report to PATH")
    g.add_argument("--single-file", action="store_true", help="put the screenshots inside the HTML report (one file to pass on)")
    g.add_argument("--csv", metavar="PATH", help="write one CSV row per site and device to PATH")
    g.add_argument("--markdown", metavar="PATH", help="write a short Markdown summary (for a pull request) to PATH")
    g.add_argument("--junit", metavar="PATH", help="write JUnit XML (one test case per site) to PATH")
    g.add_argument("--lang", type=flag_type("lang"), metavar="en|sv", help="language of the reports (default: from the locale)")


def _add_gate_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("CI gate (exit 1 when one fails)")
    g.add_argument("--fail-under", type=flag_type("fail-under"), metavar="SCORE",
                   help="fail when a site scores below SCORE (0-100), or could not be audited")
    g.add_argument("--fail-on", type=flag_type("fail-on"), metavar="ID[,ID...]",
                   help="fail when a site has one of these findings, e.g. premium_rate_phone,contact_behind_login")
    g.add_argument("--baseline", metavar="RESULTS.json",
                   help="fail when a channel was lost or needs more clicks than in this earlier result document")


def _add_db_flag(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument("--db", metavar="PATH|URL", help="the result store: a SQLite file, or a postgresql:// URL "
                   "(default: CONTACT_AUDITOR_DB, else $XDG_DATA_HOME/contact-auditor/results.sqlite3)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="contact-auditor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"contact-auditor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    a = sub.add_parser(
        "audit",
        help="audit one or more websites (a batch)",
        description="Audit one or more websites the way a customer looking for contact details would. "
        "Settings may also come from contact-auditor.toml or [tool.contact-auditor] in pyproject.toml "
        "in the current directory (flags win).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("urls", nargs="*", metavar="URL", help="start page(s) to audit, e.g. https://www.example.se/")
    a.add_argument("--input", metavar="FILE", help="more sites: one URL a line, or a CSV with a url column "
                   "(and name, sector, device); - reads stdin")
    a.add_argument("--device", type=_device_or_both, metavar="desktop|mobile|both",
                   help="visitor profile: desktop 1366x768 with a mouse (default), mobile 390x844 touch, "
                   "or both (each site audited twice, the report compares them)")
    a.add_argument("--region", type=flag_type("region"), metavar="CC", help="country for reading phone numbers (default: inferred from the site)")
    a.add_argument("--max-depth", type=flag_type("max-depth"), metavar="N", help="most clicks from the start page to search (default 4)")
    a.add_argument("--max-pages", type=flag_type("max-pages"), metavar="N", help="most pages to load per site (default 40)")
    a.add_argument("--search", type=flag_type("search"), metavar="focused|exhaustive",
                   help="focused (default): once the contact page is found, skip pages whose link says nothing "
                   "about contact, help or the company, as a customer would; exhaustive: open every page within the limits")
    a.add_argument("--timeout", type=flag_type("timeout"), metavar="S", help="time budget per site in seconds (default 150)")
    a.add_argument("--proxy", type=flag_type("proxy"), metavar="URL", help="send every request through this HTTP proxy")
    a.add_argument("--ignore-robots", action="store_true", default=None, help="do not obey robots.txt (only for your own site)")
    a.add_argument("--screenshots", metavar="DIR", help="save a screenshot of each found contact detail in DIR")
    a.add_argument("--profile", metavar="NAME|FILE", help="scoring profile: consumer (default), self-check, or a TOML file")
    a.add_argument("--concurrency", type=flag_type("concurrency"), metavar="N",
                   help="sites audited at once, each in its own browser context (default: 2 per CPU, at most 4)")
    a.add_argument("--host-delay", type=flag_type("host-delay"), metavar="S",
                   help="politeness: seconds between page loads on one host, and between two sites on one host (default 0)")
    a.add_argument("--browser", dest="browser_path", metavar="PATH", help="Chromium/Chrome executable to use")
    a.add_argument("--config", metavar="FILE", help="read settings from FILE instead of ./contact-auditor.toml or ./pyproject.toml")
    a.add_argument("--save-snapshot", dest="snapshot_dir", metavar="DIR",
                   help="also save what the browser gathered per site in DIR (judge it again with `replay`)")
    from auditor.distributed.shard import add_shard_option

    add_shard_option(a)
    b = a.add_argument_group("batch and result store")
    _add_db_flag(b)
    b.add_argument("--no-db", action="store_true", default=None, help="do not save results to the store (no resume, no history)")
    b.add_argument("--batch", type=_batch_id, metavar="ID", help="name of the batch (default: the time and a hash of the inputs)")
    b.add_argument("--resume", action="store_true", help="go on with the newest batch (or --batch ID): audit only the sites it still lacks")
    _add_gate_flags(a)
    _add_output_flags(a)

    d = sub.add_parser("demo", help="audit the bundled demo companies and write a report",
                       description="Serve three fictional companies on 127.0.0.1, audit them and write the report.")
    d.add_argument("--out", metavar="DIR", default="demo-report", help="folder for report.html and results.json (default ./demo-report)")
    d.add_argument("--device", choices=("desktop", "mobile"), help="visitor profile (default desktop)")
    d.add_argument("--browser", dest="browser_path", metavar="PATH", help="Chromium/Chrome executable to use")
    d.add_argument("--lang", choices=("en", "sv"), help="language of the report")

    r = sub.add_parser("report", help="render a saved result document again (and gate on it)",
                       description="Render reports from a saved result document, without auditing again. "
                       "With gate flags, exit 1 when the document fails one.")
    r.add_argument("results", metavar="RESULTS.json", help="a result document written by `audit --json`")
    _add_gate_flags(r)
    _add_output_flags(r)

    h = sub.add_parser("history", help="how a site's score and clicks changed over time",
                       description="Show every stored audit of a site, oldest first; without URL, the latest "
                       "audit of every stored site.")
    h.add_argument("url", nargs="?", metavar="URL", help="the site (as it was audited)")
    h.add_argument("--device", type=flag_type("device"), metavar="desktop|mobile", help="only audits with this visitor profile")
    _add_db_flag(h)

    bs = sub.add_parser("batches", help="list the batches in the result store, newest first",
                        description="List the batches in the result store: id, when, sites done of sites listed.")
    _add_db_flag(bs)

    rp = sub.add_parser("replay", help="judge saved snapshots again without a browser",
                        description="Run the detectors, findings and scoring again on snapshots saved with "
                        "`audit --save-snapshot DIR` (after a detector fix, or to reproduce a bug).")
    rp.add_argument("snapshots", nargs="+", metavar="SNAPSHOT.json")
    rp.add_argument("--profile", metavar="NAME|FILE", help="scoring profile (default consumer)")
    _add_output_flags(rp)

    from auditor.distributed.cli import add_commands

    add_commands(sub)

    c = sub.add_parser("compare", help="what got better and worse between two result documents",
                       description="Compare two result documents site by site (matched by URL and device): "
                       "channels lost, found, deeper or shallower, score changes, new and resolved findings.")
    c.add_argument("old", metavar="OLD.json")
    c.add_argument("new", metavar="NEW.json")
    return parser


def _device_or_both(text: str) -> str:
    if text == "both":
        return text
    return flag_type("device")(text)


def _both_devices(targets: Sequence[Any]) -> list[Any]:
    """`--device both`: every site once as desktop and once as mobile (spec: results are
    per profile); the report puts the two side by side."""
    from dataclasses import replace as _replace

    out = []
    for t in targets:
        if t.device == "both":
            out += [_replace(t, device="desktop"), _replace(t, device="mobile")]
        else:
            out.append(t)
    return out


def _default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "")
        if v:
            return "sv" if v.lower().startswith("sv") else "en"
    return "en"


def _say(message: str) -> None:
    print(f"contact-auditor: {message}", file=sys.stderr, flush=True)


def _writable(path: str | None) -> None:
    if path and path != "-":
        parent = Path(path).resolve().parent
        if not parent.is_dir():
            raise UsageError(f"cannot write {path}: folder {parent} does not exist")


def load_document(path_text: str) -> dict[str, Any]:
    """A saved result document as a dict, checked; any problem is a `UsageError`."""
    path = Path(path_text)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("not a JSON object")
        ResultDocument.from_dict(raw)  # validates the schema tag and shape
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a result document") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not a JSON result document: {exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    return raw


def make_document(results: Sequence[SiteResult], profile_dict: dict[str, Any]) -> ResultDocument:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return ResultDocument(generated_at=now, tool_version=__version__, sites=tuple(results), profile=profile_dict)


def screenshots_relative_to(doc: dict[str, Any], folder: Path, base: Path | None = None) -> dict[str, Any]:
    """The document with every screenshot path relative to `folder` (where the output file
    goes), so that a report and its `shots/` folder can be moved together. Paths are read
    relative to `base`: the current directory, as an audit writes them, or the folder of a
    saved result document."""
    import copy

    out = copy.deepcopy(doc)
    for site in out.get("sites") or ():
        for ch in (site.get("channels") or {}).values():
            ev = (ch or {}).get("evidence") or {}
            shot = ev.get("screenshot")
            if shot:
                p = Path(shot) if base is None or Path(shot).is_absolute() else base / shot
                ev["screenshot"] = os.path.relpath(p.resolve(), folder)
    return out


def _links_outside(doc: dict[str, Any]) -> bool:
    return any(
        ((ch or {}).get("evidence") or {}).get("screenshot", "").startswith("..")
        for site in doc.get("sites") or ()
        for ch in (site.get("channels") or {}).values()
    )


def write_outputs(
    doc: dict[str, Any],
    args: argparse.Namespace,
    *,
    report_dir: Path | None = None,
    fail_under: int | None = None,
    shots_base: Path | None = None,
) -> None:
    """Write every requested output; a failing renderer never loses the JSON."""
    lang = getattr(args, "lang", None) or _default_lang()
    if getattr(args, "json", None):
        json_doc = doc if args.json == "-" else screenshots_relative_to(doc, Path(args.json).resolve().parent, shots_base)
        text = json.dumps(json_doc, ensure_ascii=False, indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    from reports import RENDERERS, RenderOptions

    opts = RenderOptions(
        lang=lang,
        report_dir=str(report_dir) if report_dir else None,
        embed_screenshots=bool(getattr(args, "single_file", False)),
        fail_under=fail_under,
    )
    errors = []
    for name in OUTPUTS[1:]:
        path = getattr(args, name, None)
        if not path:
            continue
        try:
            out_doc = screenshots_relative_to(doc, Path(path).resolve().parent, shots_base)
            out_opts = opts
            if name == "html" and _links_outside(out_doc):
                # the screenshots are not below the report's folder: a link would break, so
                # the report carries them inside (as with --single-file)
                base = (shots_base or Path.cwd()).resolve()
                out_doc = screenshots_relative_to(doc, base, shots_base)
                out_opts = dataclasses.replace(opts, embed_screenshots=True, report_dir=str(base))
            Path(path).write_bytes(RENDERERS[name](out_doc, out_opts))
        except Exception as exc:  # report the failure, keep the other outputs
            errors.append(f"could not write the {name} report to {path}: {exc}")
    for e in errors:
        _say(e)


def _print_summary(doc: dict[str, Any], to_stderr: bool) -> None:
    from rich.console import Console

    from reports.terminal import summary_table

    console = Console(stderr=to_stderr)
    if not console.is_terminal:  # a log or a pipe: wide enough for one line per site
        console = Console(stderr=to_stderr, width=140)
    console.print(summary_table(doc, lang=doc.get("lang") or _default_lang()))


# --- audit: settings, targets, the batch --------------------------------------------------


def _settings(args: argparse.Namespace) -> AuditSettings:
    """defaults < config file < environment < flags, once."""
    from auditor.config import find_config, load_config

    config_path = Path(args.config) if args.config else find_config(Path.cwd())
    config = load_config(config_path) if config_path else {}
    flags: dict[str, Any] = {f: getattr(args, f, None) for f in AuditSettings.__dataclass_fields__}
    flags["site_timeout"] = args.timeout
    flags["screenshots_dir"] = args.screenshots
    flags["no_db"] = args.no_db
    if flags.get("device") == "both":
        flags["device"] = "desktop"
    if not args.lang and "lang" not in config:
        flags["lang"] = _default_lang()
    return resolve_settings(config, flags)


def new_batch_id(targets: Sequence[Any], now: datetime | None = None) -> str:
    """`20261123T120000Z-3fa2b1`: when, and a short hash of what (url and device)."""
    when = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    what = "\n".join(f"{t.url} {t.device}" for t in targets)
    return f"{when}-{hashlib.sha256(what.encode('utf-8')).hexdigest()[:6]}"


def _open_batch(store: Any, args: argparse.Namespace, settings: AuditSettings, targets: Sequence[Any]):
    """(batch id, settings to audit with, the targets the batch still lacks)."""
    from auditor.runner import Target
    from auditor.settings import batch_settings_json, restore_batch_settings
    from auditor.store import StoredTarget

    if args.resume:
        batch_id = args.batch or store.latest_batch()
        if batch_id is None:
            raise UsageError(f"nothing to resume: no batch in {settings.db}")
        saved = store.batch_settings(batch_id)
        if saved is None:
            raise UsageError(f"no batch {batch_id!r} in {settings.db} (see `contact-auditor batches`)")
        settings, notes = restore_batch_settings(settings, saved)
        for note in notes:
            _say(note)
        listed = {bid: n for bid, _, n, _ in store.batches()}.get(batch_id, 0)
    else:
        batch_id = args.batch or new_batch_id(targets)
        if args.batch and store.batch_settings(batch_id) is not None:
            raise UsageError(f"batch {batch_id!r} already exists in {settings.db}: add --resume to go on with it, "
                             "or name another --batch")
        n = 1
        while not args.batch and store.batch_settings(batch_id) is not None:  # same second, same inputs
            n += 1
            batch_id = f"{new_batch_id(targets)}-{n}"
        listed = 0
    stored = [StoredTarget(t.url, t.device or settings.device, t.name, t.sector, listed + i)
              for i, t in enumerate(targets)]
    store.open_batch(batch_id, stored, batch_settings_json(settings))
    pending = [Target(p.url, name=p.name, sector=p.sector, device=p.device) for p in store.pending(batch_id)]
    return batch_id, settings, pending


def cmd_audit(args: argparse.Namespace) -> int:
    from auditor.batch_input import read_targets
    from auditor.scoring import load_profile
    from auditor.store import StoredTarget, open_store

    for name in OUTPUTS:
        _writable(getattr(args, name, None))
    settings = _settings(args)
    if settings.db is None and (args.resume or args.batch):
        raise UsageError("--resume and --batch need the result store (drop --no-db)")
    baseline = load_document(settings.baseline) if settings.baseline else None
    batch_input = read_targets(args.urls, args.input, "both" if args.device == "both" else settings.device)
    batch_input = dataclasses.replace(batch_input, targets=tuple(_both_devices(batch_input.targets)))
    if getattr(args, "shard", None) is not None:
        from auditor.distributed.shard import select_shard

        batch_input = dataclasses.replace(
            batch_input, targets=tuple(select_shard(batch_input.targets, args.shard, settings.device)))
    for problem in batch_input.problems:
        _say(f"{problem.text()} (skipped)")
    if not batch_input.targets and not args.resume:
        if batch_input.problems:
            raise UsageError(f"no site to audit: every row of {args.input} was skipped")
        raise UsageError("no site to audit: give URLs, or --input FILE")

    profile = load_profile(settings.profile)  # a bad profile is a usage error before any batch
    store = open_store(settings.db) if settings.db else None
    try:
        if store is not None:
            asked_profile = settings.profile
            batch_id, settings, targets = _open_batch(store, args, settings, batch_input.targets)
            if settings.profile != asked_profile:  # a resumed batch keeps its profile
                profile = load_profile(settings.profile)
            done = sum(d for bid, _, _, d in store.batches() if bid == batch_id)
            verb = "resuming batch" if args.resume else "batch"
            _say(f"{verb} {batch_id}: {len(targets)} to audit, {done} done (store: {settings.db})")
        else:
            batch_id, targets = None, list(batch_input.targets)
        unsaved: list[SiteResult] = []

        def save(t: Any, r: SiteResult) -> None:
            if store is None or batch_id is None:
                unsaved.append(r)
                return
            finished = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
            try:
                store.save(batch_id, StoredTarget(t.url, t.device or settings.device, t.name, t.sector), r, finished)
            except StoreError as exc:  # keep going; the result stays in this run's reports
                _say(f"{exc} (kept in this run's reports only)")
                unsaved.append(r)

        try:
            fresh = _run_with_progress(targets, settings, profile, on_result=save) if targets else []
        except _Interrupted as stop:
            if store is not None and batch_id is not None:
                left = len(store.pending(batch_id))
                _say(f"interrupted: {left} site(s) of batch {batch_id} not audited yet; go on with: "
                     f"contact-auditor audit --resume --batch {batch_id}")
            else:
                _say("interrupted")
            return stop.exit_code
        if store is not None and batch_id is not None:
            results = store.results(batch_id)
            have = {(r.url, r.device) for r in results}
            results += [r for r in unsaved if (r.url, r.device) not in have]
        else:
            results = fresh
    finally:
        if store is not None:
            store.close()

    doc = make_document(results, profile.to_dict()).to_dict()
    write_outputs(doc, args, report_dir=Path(args.html).resolve().parent if args.html else None,
                  fail_under=settings.fail_under)
    _print_summary(doc, to_stderr=args.json == "-")
    if results and all(r.status == "error" for r in results):
        _say("no site could be audited")
        return EXIT_NOTHING
    return _gate(doc, settings.fail_under, settings.fail_on, baseline)


def _gate(doc: dict[str, Any], fail_under: int | None, fail_on: Sequence[str], baseline: dict[str, Any] | None) -> int:
    from auditor.gates import evaluate

    if fail_under is None and not fail_on and baseline is None:
        return EXIT_OK
    failures = evaluate(doc, fail_under_score=fail_under, fail_on_ids=fail_on, baseline=baseline)
    for f in failures:
        print(f.line(), file=sys.stderr)
    if failures:
        return EXIT_GATE
    print("gates passed", file=sys.stderr)
    return EXIT_OK


class _Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


def _run_until_stopped(targets, settings, profile, on_start, on_result) -> list[SiteResult]:
    """`run_targets` that Ctrl-C (SIGINT) or SIGTERM stops cleanly: the sites in flight are
    cancelled and what they report while the browser goes down is dropped (it would be a
    `browser` error, not a result), so the store holds only real results. A second signal
    stops at once."""
    from auditor.runner import run_targets

    stopped: list[int] = []

    def report(t, r) -> None:
        if not stopped and on_result:
            on_result(t, r)

    async def main() -> list[SiteResult]:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        signals = (signal.SIGINT, signal.SIGTERM)

        def stop(signum: int) -> None:
            stopped.append(signum)
            for s in signals:
                loop.remove_signal_handler(s)  # a second signal: the default, at once
            if task is not None:
                task.cancel()

        def quiet_when_stopped(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            # Ctrl-C reaches the Playwright driver too (one process group); its "connection
            # closed" errors while going down are the stop itself, not news.
            if not stopped:
                loop.default_exception_handler(context)

        loop.set_exception_handler(quiet_when_stopped)
        for s in signals:
            try:
                loop.add_signal_handler(s, stop, s)
            except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
                pass
        try:
            results = await run_targets(targets, settings, profile, on_start=on_start, on_result=report)
        except asyncio.CancelledError:
            if stopped:
                raise _Interrupted(stopped[0]) from None
            raise
        else:
            if stopped:  # the cancellation was absorbed on the way down: still a stop
                raise _Interrupted(stopped[0])
            return results
        finally:
            for s in signals:
                loop.remove_signal_handler(s)

    return asyncio.run(main())


def _run_with_progress(
    targets, settings, profile, on_result: Callable[[Any, SiteResult], None] | None = None
) -> list[SiteResult]:
    """Run the targets with a progress bar on a terminal, one log line per site otherwise;
    `on_result` (saving) is called before the progress is."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    total = len(targets)
    count = {"done": 0, "failed": 0}
    if not console.is_terminal:
        def started(t):
            print(f"auditing {t.url}", file=sys.stderr, flush=True)

        def finished(t, r):
            if on_result:
                on_result(t, r)
            count["done"] += 1
            what = f"score {r.score} ({r.grade})" if r.status != "error" else f"error {r.error.kind}: {r.error.message}"
            print(f"[{count['done']}/{total}] done {t.url}: {r.status}, {what}, {r.pages_visited} pages, "
                  f"{r.duration_seconds:.1f} s", file=sys.stderr, flush=True)

        return _run_until_stopped(targets, settings, profile, started, finished)
    with Progress(
        TextColumn("[bold]auditing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
    ) as progress:
        task = progress.add_task("sites", total=total, failed=0)

        def finished_bar(t, r):
            if on_result:
                on_result(t, r)
            if r.status == "error":
                count["failed"] += 1
            progress.update(task, advance=1, failed=count["failed"])

        return _run_until_stopped(targets, settings, profile, None, finished_bar)


# --- the other commands --------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from auditor.demo.run import run_demo

    return run_demo(args)


def cmd_report(args: argparse.Namespace) -> int:
    raw = load_document(args.results)
    baseline = load_document(args.baseline) if args.baseline else None
    if not any(getattr(args, k, None) for k in OUTPUTS):
        _print_summary(raw, to_stderr=False)
    else:
        for name in OUTPUTS:
            _writable(getattr(args, name, None))
        write_outputs(raw, args, report_dir=Path(args.results).resolve().parent, fail_under=args.fail_under,
                      shots_base=Path(args.results).resolve().parent)
    return _gate(raw, args.fail_under, args.fail_on or (), baseline)


def _store_for_reading(args: argparse.Namespace):
    from auditor.config import find_config, load_config
    from auditor.store import open_store

    config_path = find_config(Path.cwd())
    config = load_config(config_path) if config_path else {}
    db = resolve_settings({k: v for k, v in config.items() if k == "db"}, {"db": args.db}).db or ""
    if "://" not in db and not Path(db).expanduser().is_file():
        raise UsageError(f"no result store at {db} (audit something first, or give --db PATH)")
    return open_store(db), db


def cmd_history(args: argparse.Namespace) -> int:
    from rich.console import Console

    from auditor.batch_input import check_url
    from auditor.history import latest_table, site_history_table
    from auditor.scope import normalise

    store, db = _store_for_reading(args)
    try:
        if not args.url:
            entries = store.history(None, args.device)
            if not entries:
                _say(f"no audits in {db}")
                return EXIT_OK
            Console().print(latest_table(entries, f"latest audit of every site ({db})"))
            return EXIT_OK
        try:
            url = check_url(args.url)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        # The site as audited: try what was typed, then the same page written another way.
        seen: dict[tuple[str, str, str], Any] = {}
        for candidate in dict.fromkeys([args.url, url, normalise(url), normalise(url).rstrip("/")]):
            for e in store.history(candidate, args.device):
                seen.setdefault((e.batch_id, e.result.url, e.result.device), e)
        entries = sorted(seen.values(), key=lambda e: e.finished_at)
    finally:
        store.close()
    if not entries:
        _say(f"no audits of {args.url} in {db}" + (f" on {args.device}" if args.device else ""))
        return EXIT_OK
    Console().print(site_history_table(entries, f"audits of {url}, oldest first"))
    return EXIT_OK


def cmd_batches(args: argparse.Namespace) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    store, db = _store_for_reading(args)
    try:
        rows = store.batches()
    finally:
        store.close()
    table = Table(title=f"batches in {db}, newest first", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("batch", "created (UTC)", "done", "sites"):
        table.add_column(name, justify="right" if name in ("done", "sites") else "left")
    for batch_id, created, listed, done in rows:
        table.add_row(Text(batch_id), Text(created.replace("T", " ")[:19]), Text(str(done)), Text(str(listed)))
    Console().print(table)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.text import Text

    from auditor.compare import compare_documents

    old, new = load_document(args.old), load_document(args.new)
    changes = compare_documents(old, new)
    console = Console(highlight=False)
    if not changes:
        console.print(Text("no changes"))
        return EXIT_OK
    site = None
    for c in changes:
        if (c.url, c.device) != site:
            site = (c.url, c.device)
            console.print(Text(f"{c.url} ({c.device})", style="bold"))
        word, style = {True: ("better", "green"), False: ("worse ", "red"), None: ("      ", "")}[c.better]
        line = Text("  ")
        line.append(word, style=style)
        line.append(f"  {c.message}")
        console.print(line)
    better = sum(1 for c in changes if c.better is True)
    worse = sum(1 for c in changes if c.better is False)
    console.print(Text(f"\n{better} better, {worse} worse, {len(changes) - better - worse} other"))
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from auditor import snapshot
    from auditor.audit import judge
    from auditor.scoring import load_profile

    for name in OUTPUTS:
        _writable(getattr(args, name, None))
    profile = load_profile(args.profile)
    settings = AuditSettings(lang=args.lang or _default_lang())
    results = []
    for path in args.snapshots:
        try:
            obs = snapshot.load(path)
        except FileNotFoundError:
            raise UsageError(f"no such file: {path}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path} is not a snapshot: {exc}") from None
        results.append(judge(obs, settings.with_(device=obs.device), profile, duration=0.0))
    doc = make_document(results, profile.to_dict()).to_dict()
    write_outputs(doc, args)
    _print_summary(doc, to_stderr=getattr(args, "json", None) == "-")
    return EXIT_OK


#: `CONTACT_AUDITOR_LOG=debug` (or info, warning) writes what the visitor did to stderr:
#: each page loaded and explored, each control pressed or given up on, and why.
LOG_ENV = "CONTACT_AUDITOR_LOG"


def _log_level_from_env() -> None:
    import logging

    level = os.environ.get(LOG_ENV, "").strip().upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logging.basicConfig(level=level, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
        for noisy in ("asyncio", "httpx", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_level_from_env()
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    commands = {"audit": cmd_audit, "demo": cmd_demo, "report": cmd_report, "history": cmd_history,
                "batches": cmd_batches, "compare": cmd_compare, "replay": cmd_replay}
    try:
        if args.command not in commands and getattr(args, "handler", None):
            return args.handler(args)
        return commands[args.command](args)
    except AuditorError as exc:
        print(f"contact-auditor: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("contact-auditor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
