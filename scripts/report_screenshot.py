"""Take the README's picture of the HTML report: `docs/report.png`.

    python3 scripts/report_screenshot.py                  # audit the demo companies first
    python3 scripts/report_screenshot.py REPORT.html      # or photograph a report you have
    python3 scripts/report_screenshot.py --lang sv --out /tmp/report-sv.png

Without a report path it runs `python3 -m auditor demo` (the three bundled fictional
companies, served on 127.0.0.1) into a temporary folder and photographs the report that
wrote. The page is opened from disk in headless Chromium at 1280 CSS pixels wide, the way
a reader's laptop shows it, and the first `--screens` screens (default 3) of it are saved;
`--full-page` saves all of it. The browser is found and launched exactly as an audit does
(`auditor.browser`), so the picture is made by the project's own code and nothing is
downloaded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.browser import find_browser, launch_options  # noqa: E402

#: A laptop's browser window: 1280 CSS pixels wide, 800 high (one "screen").
WIDTH, SCREEN_HEIGHT = 1280, 800
DEFAULT_OUT = REPO / "docs" / "report.png"


def run_demo(out_dir: Path, lang: str) -> Path:
    """Audit the demo companies with the real CLI; the path of the report it wrote."""
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "demo", "--out", str(out_dir), "--lang", lang],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the demo audit failed:\n{proc.stderr[-3000:]}")
    return out_dir / "report.html"


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", help="an HTML report (default: run the demo first)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help=f"PNG to write (default {DEFAULT_OUT.relative_to(REPO)})")
    parser.add_argument("--lang", choices=("en", "sv"), default="en", help="language of the demo report")
    parser.add_argument("--screens", type=int, default=3, help="how many 800-pixel screens to keep (default 3)")
    parser.add_argument("--full-page", action="store_true", help="keep the whole page")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (default 1)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.report:
        report = Path(args.report)
        if not report.is_file():
            parser.error(f"no such report: {report}")
        photograph(report, out, args.screens, args.full_page, args.scale)
    else:
        with tempfile.TemporaryDirectory(prefix="report-screenshot-") as tmp:
            report = run_demo(Path(tmp), args.lang)
            photograph(report, out, args.screens, args.full_page, args.scale)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
