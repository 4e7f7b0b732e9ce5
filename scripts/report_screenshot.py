"""Take the README's picture of the HTML report: `docs/report.png`.

    python3 scripts/report_screenshot.py                  # audit the demo companies first
    python3 scripts/report_screenshot.py REPORT.html      # or photograph a report you have
    python3 scripts/report_screenshot.py --lang sv --out /tmp/report-sv.png
    python3 scripts/report_screenshot.py --devices desktop,mobile --keep /tmp/demo-both

Without a report path it audits the demo companies (`auditor/demo/sites`, served on
127.0.0.1) exactly as `contact-auditor demo` does, with the same names, sectors and
scoring profile, but with screenshots on, so the click paths show where each detail was
found. The report is rendered with the screenshots embedded, into a temporary folder (or
`--keep DIR`). The page is opened from disk in headless Chromium at 1280 CSS pixels wide,
the way a reader's laptop shows it, and the first `--screens` screens (default 3) are
saved; `--full-page` saves all of it. The browser is found and launched as an audit does
(`auditor.browser`): the picture is made by the project's own code, nothing is fetched.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.browser import find_browser, launch_options

#: A laptop's browser window: 1280 CSS pixels wide, 800 high (one "screen").
WIDTH, SCREEN_HEIGHT = 1280, 800
DEFAULT_OUT = REPO / "docs" / "report.png"


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """`contextlib.chdir` (Python 3.11) for the 3.10 the package still supports."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def audit_demo(out_dir: Path, lang: str, devices: list[str]) -> Path:
    """Audit the demo companies with screenshots into `out_dir`; the report's path."""
    from auditor.cli import make_document
    from auditor.demo.run import DEMO_COMPANIES
    from auditor.demo.server import demo_site_roots, serve_sites
    from auditor.runner import Target, run_targets
    from auditor.scoring import load_profile
    from auditor.settings import resolve_settings
    from reports import RENDERERS, RenderOptions

    out_dir.mkdir(parents=True, exist_ok=True)
    profile = load_profile(None)
    # Screenshot paths are written as given, and the report resolves them from its own
    # folder: audit from inside that folder with a relative "shots" folder.
    settings = resolve_settings({}, {"screenshots_dir": "shots", "lang": lang})
    with working_directory(out_dir), serve_sites(demo_site_roots()) as urls:
        targets: list[Target] = []
        for key, url in urls.items():
            name, sector = DEMO_COMPANIES.get(key, (key, None))
            targets.extend(Target(url, name=name, sector=sector, device=d) for d in devices)
        results = asyncio.run(run_targets(targets, settings, profile))
    doc = make_document(results, profile.to_dict()).to_dict()
    (out_dir / "results.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    options = RenderOptions(lang=lang, embed_screenshots=True, report_dir=out_dir)
    report = out_dir / "report.html"
    report.write_bytes(RENDERERS["html"](doc, options))
    return report


def photograph(report: Path, out: Path, screens: int, full_page: bool, scale: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        executable = find_browser(None, pw.chromium.executable_path)
        browser = pw.chromium.launch(**launch_options(executable, None))
        try:
            page = browser.new_page(
                viewport={"width": WIDTH, "height": SCREEN_HEIGHT}, device_scale_factor=scale
            )
            page.goto(report.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="screen")
            out.parent.mkdir(parents=True, exist_ok=True)
            if full_page:
                page.screenshot(path=str(out), full_page=True)
            else:
                height = page.evaluate("document.documentElement.scrollHeight")
                clip_height = min(height, SCREEN_HEIGHT * screens)
                page.screenshot(
                    path=str(out),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": clip_height},
                )
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("report", nargs="?", help="an HTML report (default: audit the demo first)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="PNG to write (default docs/report.png)")
    parser.add_argument("--lang", choices=("en", "sv"), default="en", help="language of the demo report")
    parser.add_argument("--devices", default="desktop",
                        help="demo devices, comma-separated: desktop, mobile or both (default desktop)")
    parser.add_argument("--keep", metavar="DIR", help="write the demo audit here instead of a temporary folder")
    parser.add_argument("--screens", type=int, default=3, help="how many 800-pixel screens to keep (default 3)")
    parser.add_argument("--full-page", action="store_true", help="keep the whole page")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (default 1)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    devices = [d.strip() for d in args.devices.split(",") if d.strip()]
    if not devices or any(d not in ("desktop", "mobile") for d in devices):
        parser.error(f"--devices takes desktop and/or mobile, not {args.devices!r}")
    if args.report:
        report = Path(args.report)
        if not report.is_file():
            parser.error(f"no such report: {report}")
        photograph(report, out, args.screens, args.full_page, args.scale)
    elif args.keep:
        report = audit_demo(Path(args.keep).resolve(), args.lang, devices)
        photograph(report, out, args.screens, args.full_page, args.scale)
    else:
        with tempfile.TemporaryDirectory(prefix="report-screenshot-") as tmp:
            report = audit_demo(Path(tmp), args.lang, devices)
            photograph(report, out, args.screens, args.full_page, args.scale)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
