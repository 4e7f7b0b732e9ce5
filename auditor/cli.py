"""The command line: `contact-auditor audit|demo|report`.

Only this module opens output files, writes to stdout/stderr and picks the exit code:

    0  the audit ran (every site has a result, possibly status "error")
    1  a gate failed (reserved for --fail-under and friends)
    2  usage error: bad arguments, unreadable input, no browser
    3  no site could be audited at all
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlsplit

from auditor import __version__
from auditor.errors import AuditorError, UsageError
from auditor.result import ResultDocument, SiteResult
from auditor.settings import AuditSettings, resolve_settings

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3

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
  contact-auditor report results.json --html report.html
"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"contact-auditor: error: {message} (see --help)\n")


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
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return v


def _region(text: str) -> str:
    if len(text) != 2 or not text.isalpha():
        raise argparse.ArgumentTypeError(f"a two-letter country code such as SE or FI, not {text!r}")
    return text.upper()


def _proxy(text: str) -> str:
    p = urlsplit(text)
    if p.scheme not in ("http", "https", "socks5") or not p.hostname:
        raise argparse.ArgumentTypeError(f"a proxy URL such as http://127.0.0.1:8080, not {text!r}")
    return text


def _add_output_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--json", metavar="PATH", help="write the result document (JSON) to PATH, or - for stdout")
    g.add_argument("--html", metavar="PATH", help="write a readable HTML report to PATH")
    g.add_argument("--csv", metavar="PATH", help="write one CSV row per site and device to PATH")
    g.add_argument("--markdown", metavar="PATH", help="write a short Markdown summary (for a pull request) to PATH")
    g.add_argument("--junit", metavar="PATH", help="write JUnit XML (one test case per site) to PATH")
    g.add_argument("--lang", choices=("en", "sv"), help="language of the reports (default: from the locale)")


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
        help="audit one or more websites",
        description="Audit one or more websites the way a customer looking for contact details would.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("urls", nargs="+", metavar="URL", help="start page(s) to audit, e.g. https://www.example.se/")
    a.add_argument("--device", choices=("desktop", "mobile"), help="visitor profile: desktop 1366x768 with a mouse (default) or mobile 390x844 touch")
    a.add_argument("--region", type=_region, metavar="CC", help="country for reading phone numbers (default: inferred from the site)")
    a.add_argument("--max-depth", type=_non_negative_int, metavar="N", help="most clicks from the start page to search (default 4)")
    a.add_argument("--max-pages", type=_positive_int, metavar="N", help="most pages to load per site (default 40)")
    a.add_argument("--timeout", type=_seconds, metavar="S", help="time budget per site in seconds (default 150)")
    a.add_argument("--proxy", type=_proxy, metavar="URL", help="send every request through this HTTP proxy")
    a.add_argument("--ignore-robots", action="store_true", default=None, help="do not obey robots.txt (only for your own site)")
    a.add_argument("--screenshots", metavar="DIR", help="save a screenshot of each found contact detail in DIR")
    a.add_argument("--profile", metavar="NAME|FILE", help="scoring profile: consumer (default), self-check, or a TOML file")
    a.add_argument("--concurrency", type=_positive_int, metavar="N", help="sites audited at once (default 4)")
    a.add_argument("--browser", dest="browser_path", metavar="PATH", help="Chromium/Chrome executable to use")
    _add_output_flags(a)

    d = sub.add_parser("demo", help="audit the bundled demo companies and write a report",
                       description="Serve three fictional companies on 127.0.0.1, audit them and write the report.")
    d.add_argument("--out", metavar="DIR", default="demo-report", help="folder for report.html and results.json (default ./demo-report)")
    d.add_argument("--device", choices=("desktop", "mobile"), help="visitor profile (default desktop)")
    d.add_argument("--browser", dest="browser_path", metavar="PATH", help="Chromium/Chrome executable to use")
    d.add_argument("--lang", choices=("en", "sv"), help="language of the report")

    r = sub.add_parser("report", help="render a saved result document again",
                       description="Render reports from a saved result document, without auditing again.")
    r.add_argument("results", metavar="RESULTS.json", help="a result document written by `audit --json`")
    _add_output_flags(r)
    return parser


def _default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "")
        if v:
            return "sv" if v.lower().startswith("sv") else "en"
    return "en"


def _check_urls(urls: Sequence[str]) -> list[str]:
    out = []
    for u in urls:
        if "://" not in u:
            u = "https://" + u
        p = urlsplit(u)
        if p.scheme not in ("http", "https") or not p.hostname:
            raise UsageError(f"not a web address: {u!r} (expected e.g. https://www.example.se/)")
        out.append(u)
    return out


def _writable(path: str | None) -> None:
    if path and path != "-":
        parent = Path(path).resolve().parent
        if not parent.is_dir():
            raise UsageError(f"cannot write {path}: folder {parent} does not exist")


def make_document(results: Sequence[SiteResult], profile_dict: dict[str, Any]) -> ResultDocument:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return ResultDocument(generated_at=now, tool_version=__version__, sites=tuple(results), profile=profile_dict)


def write_outputs(doc: dict[str, Any], args: argparse.Namespace, *, report_dir: Path | None = None) -> None:
    """Write every requested output; a failing renderer never loses the JSON."""
    lang = getattr(args, "lang", None) or _default_lang()
    if getattr(args, "json", None):
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    from reports import RENDERERS, RenderOptions

    opts = RenderOptions(lang=lang, report_dir=str(report_dir) if report_dir else None)
    errors = []
    for name in ("html", "csv", "markdown", "junit"):
        path = getattr(args, name, None)
        if not path:
            continue
        try:
            Path(path).write_bytes(RENDERERS[name](doc, opts))
        except Exception as exc:  # report the failure, keep the other outputs
            errors.append(f"could not write the {name} report to {path}: {exc}")
    for e in errors:
        print(f"contact-auditor: {e}", file=sys.stderr)


def _print_summary(doc: dict[str, Any], to_stderr: bool) -> None:
    from rich.console import Console

    from reports.terminal import summary_table

    Console(stderr=to_stderr).print(summary_table(doc))


def cmd_audit(args: argparse.Namespace) -> int:
    from auditor.runner import Target, run_targets
    from auditor.scoring import load_profile

    urls = _check_urls(args.urls)
    for name in ("json", "html", "csv", "markdown", "junit"):
        _writable(getattr(args, name, None))
    flags = {k: getattr(args, k, None) for k in AuditSettings.__dataclass_fields__}
    flags["site_timeout"] = args.timeout
    flags["screenshots_dir"] = args.screenshots
    flags["lang"] = args.lang or _default_lang()
    settings = resolve_settings({}, flags)
    profile = load_profile(settings.profile)
    targets = [Target(u) for u in urls]
    results = _run_with_progress(targets, settings, profile)
    doc = make_document(results, profile.to_dict()).to_dict()
    write_outputs(doc, args, report_dir=Path(args.html).resolve().parent if args.html else None)
    _print_summary(doc, to_stderr=args.json == "-")
    if results and all(r.status == "error" for r in results):
        return EXIT_NOTHING
    return EXIT_OK


def _run_with_progress(targets, settings, profile) -> list[SiteResult]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from auditor.runner import run_targets

    console = Console(stderr=True)
    if not console.is_terminal:
        def started(t):
            print(f"auditing {t.url}", file=sys.stderr, flush=True)

        def finished(t, r):
            what = f"score {r.score} ({r.grade})" if r.status != "error" else f"error {r.error.kind}: {r.error.message}"
            print(f"done {t.url}: {r.status}, {what}, {r.pages_visited} pages, {r.duration_seconds:.1f} s", file=sys.stderr, flush=True)

        return asyncio.run(run_targets(targets, settings, profile, on_start=started, on_result=finished))
    with Progress(
        TextColumn("[bold]auditing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
    ) as progress:
        task = progress.add_task("sites", total=len(targets), failed=0)
        failed = {"n": 0}

        def finished(t, r):
            if r.status == "error":
                failed["n"] += 1
            progress.update(task, advance=1, failed=failed["n"])

        return asyncio.run(run_targets(targets, settings, profile, on_result=finished))


def cmd_demo(args: argparse.Namespace) -> int:
    from auditor.demo.run import run_demo

    return run_demo(args)


def cmd_report(args: argparse.Namespace) -> int:
    path = Path(args.results)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        ResultDocument.from_dict(raw)  # validates the schema tag and shape
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not a JSON result document: {exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    if not any(getattr(args, k, None) for k in ("json", "html", "csv", "markdown", "junit")):
        _print_summary(raw, to_stderr=False)
        return EXIT_OK
    for name in ("json", "html", "csv", "markdown", "junit"):
        _writable(getattr(args, name, None))
    write_outputs(raw, args, report_dir=path.resolve().parent)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return {"audit": cmd_audit, "demo": cmd_demo, "report": cmd_report}[args.command](args)
    except AuditorError as exc:
        print(f"contact-auditor: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("contact-auditor: interrupted", file=sys.stderr)
        return 130
