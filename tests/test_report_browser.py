"""The HTML report in a real browser: what a reader sees, what runs, what a keyboard does.

Fixture sites are served on 127.0.0.1 and audited with the real CLI (`contact-auditor
audit ... --json --html`, screenshots on). The report it wrote is opened from disk in
headless Chromium (launched as an audit launches it, `auditor.browser`) and checked for:

- every site's score (or "not scored") and every channel's clicks, in its section and in
  the league table;
- the `hostile` fixture's link labels (`<img onerror>` on the path to the contact page,
  `<script>` on another link) shown as text, with `window.__pwned` never set;
- no serious or critical axe-core violations (axe-playwright-python bundles axe.min.js,
  so this runs offline);
- the league table's sort buttons and the sector filter reached with Tab and worked with
  Enter and Space.

A second report is rendered from the same results with `contact-auditor report`, after
giving the sites names and sectors, adding a mobile audit of `hover-menu` (desktop reaches
its phone in 1 click, a phone in 2: a real device difference) and putting the `<script>`
label on a path. It exercises the sector filter, the desktop/mobile comparison and Swedish.
"""

from __future__ import annotations

import html.parser
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.browser import find_browser, launch_options
from auditor.demo.server import serve_sites
from reports.words import t

playwright_sync = pytest.importorskip("playwright.sync_api")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "sites"
SITES = ("hostile", "footer-link", "help-moves", "hover-menu", "server-error")
CHANNELS = ("phone", "email", "chat", "form")
#: Names and sectors given to the sites for the second report (two share a sector).
META = {
    "hostile": ("Hackarn & Söner", "retail"),
    "footer-link": ("Fotnoten El", "energy"),
    "help-moves": ("Flyttande Hjälp", "energy"),
    "hover-menu": ("Svävande Tele", "telecom"),
    "server-error": ("Trasiga Banken", "banking"),
}
#: axe-core impacts that fail the test (minor and moderate are reported, not failed).
FAILING_IMPACTS = ("serious", "critical")


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
    )


class _Labels(html.parser.HTMLParser):
    """The text of the elements with an id, from a fixture page (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id")
        if ident:
            self.texts[ident] = ""
            self._open.append(ident)

    def handle_endtag(self, tag):
        if self._open and tag == "a":
            self._open.pop()

    def handle_data(self, data):
        for ident in self._open:
            self.texts[ident] += data


def hostile_labels() -> dict[str, str]:
    parser = _Labels()
    parser.feed((FIXTURES / "hostile" / "index.html").read_text(encoding="utf-8"))
    return {k: " ".join(v.split()) for k, v in parser.texts.items() if k.startswith("hostile-label")}


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> dict:
    """The real CLI over the fixture sites: the desktop report, and a merged second one."""
    tmp = tmp_path_factory.mktemp("report-browser")
    roots = {name: FIXTURES / name for name in SITES}
    with serve_sites(roots) as served:
        urls = dict(served)
        # Screenshots are written where --screenshots says, and the report finds them
        # relative to itself: audit from the report's folder with a relative path.
        proc = run_cli(
            ["audit", *urls.values(), "--json", "desktop.json", "--html", "report.html",
             "--screenshots", "shots", "--lang", "en"],
            cwd=tmp,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        proc = run_cli(
            ["audit", urls["hover-menu"], "--device", "mobile", "--json", "mobile.json",
             "--lang", "en"],
            cwd=tmp,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
    desktop = json.loads((tmp / "desktop.json").read_text(encoding="utf-8"))
    mobile = json.loads((tmp / "mobile.json").read_text(encoding="utf-8"))

    merged = json.loads(json.dumps(desktop))
    merged["sites"].extend(mobile["sites"])
    name_of = {url: name for name, url in urls.items()}
    script_label = hostile_labels()["hostile-label-1"]
    for site in merged["sites"]:
        site["name"], site["sector"] = META[name_of[site["url"]]]
        if name_of[site["url"]] == "hostile":
            phone = site["channels"]["phone"]
            phone["path"].insert(0, {"action": "click", "label": script_label, "url": site["url"]})
    (tmp / "merged.json").write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
    for lang in ("en", "sv"):
        proc = run_cli(
            ["report", "merged.json", "--html", f"merged-{lang}.html", "--lang", lang], cwd=tmp
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
    return {
        "tmp": tmp,
        "urls": urls,
        "desktop": desktop,
        "merged": merged,
        "report": tmp / "report.html",
        "merged_en": tmp / "merged-en.html",
        "merged_sv": tmp / "merged-sv.html",
    }


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_sync.sync_playwright() as pw:
        executable = find_browser(None, pw.chromium.executable_path)
        chromium = pw.chromium.launch(**launch_options(executable, None))
        try:
            yield chromium
        finally:
            chromium.close()


class Opened:
    """A report open in a page, with what the page logged."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        self.page.goto(path.resolve().as_uri(), wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_report(browser) -> Iterator:
    opened: list[Opened] = []

    def open_(path: Path) -> Opened:
        report = Opened(browser, path)
        opened.append(report)
        return report

    yield open_
    for report in opened:
        report.close()


def _site_index(doc: dict, url: str) -> int:
    """The section anchor number of a site: its 1-based position in the document."""
    return next(i for i, s in enumerate(doc["sites"], start=1) if s["url"] == url)


# --- what a reader sees -----------------------------------------------------------------


def test_every_score_and_every_channels_clicks_are_on_the_page(audited, open_report) -> None:
    doc = audited["desktop"]
    page = open_report(audited["report"]).page
    assert page.title().startswith(t("en", "report.title"))
    for i, site in enumerate(doc["sites"], start=1):
        section = page.locator(f"#site-{i}")
        text = section.inner_text()
        row = page.locator("#league tbody tr").filter(has=page.locator(f'a[href="#site-{i}"]'))
        assert row.count() == 1
        row_text = row.inner_text()
        if site["status"] == "error":
            assert site["score"] is None
            assert t("en", "site.not_scored_title") in text
            assert t("en", f"error.{site['error']['kind']}") in text
            assert t("en", "site.not_scored") in row_text
            assert section.locator("article.card").count() == 0
            continue
        assert t("en", "site.score_of", score=site["score"]) in text, site["url"]
        assert str(site["score"]) in row_text and site["grade"] in row_text
        for n, channel in enumerate(CHANNELS):
            result = site["channels"][channel]
            card = section.locator(f'article[aria-labelledby="site-{i}-{channel}"]')
            card_text = card.inner_text()
            cell = row.locator("td.clicks").nth(n)
            if result["found"]:
                assert t("en", "clicks", count=result["clicks"]) in card_text, (channel, card_text)
                assert cell.inner_text().strip() == str(result["clicks"])
                for value in result["values"]:
                    assert value in card_text
                steps = card.locator("ol.path > li")
                assert steps.count() == len(result["path"]) + 2  # start, each click, found
            else:
                assert t("en", "not_found_title") in card_text
                assert t("en", "not_found") in cell.inner_text()


def test_screenshots_are_shown_beside_the_found_detail(audited, open_report) -> None:
    shots = [
        (site["url"], result["evidence"]["screenshot"])
        for site in audited["desktop"]["sites"]
        for result in (site.get("channels") or {}).values()
        if result.get("evidence") and result["evidence"].get("screenshot")
    ]
    assert shots, "the audit took no screenshots"
    page = open_report(audited["report"]).page
    images = page.locator("li.goal figure.shot img")
    assert images.count() == len(shots)
    for n in range(images.count()):
        image = images.nth(n)
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image.get_attribute("src")


def test_hostile_text_is_shown_as_text_and_never_runs(audited, open_report) -> None:
    labels = hostile_labels()
    img_label, script_label = labels["hostile-label-2"], labels["hostile-label-1"]
    assert "onerror" in img_label and "<script>" in script_label
    for path, shown in ((audited["report"], [img_label]), (audited["merged_en"], [img_label, script_label])):
        report = open_report(path)
        page = report.page
        for label in shown:
            step = page.locator("ol.path > li").filter(has_text=label)
            assert step.count() >= 1, label
            assert step.first.is_visible()
        # Sorting rebuilds the table: nothing may run then either.
        page.locator("#league thead button.sort").first.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate(
            "Array.from(document.querySelectorAll('*')).filter(e =>"
            " Array.from(e.attributes).some(a => a.name.startsWith('on'))).length"
        ) == 0
        assert page.locator("script").count() == 1
        assert page.locator("img:not(figure.shot img)").count() == 0
        assert report.errors == [], report.errors


@pytest.mark.parametrize("which", ["report", "merged_en", "merged_sv"])
def test_axe_finds_no_serious_violations(audited, open_report, which: str) -> None:
    page = open_report(audited[which]).page
    results = axe_sync.Axe().run(page)
    violations = results.response["violations"]
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    assert not failing, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(
            ", ".join(node["target"]) for node in v["nodes"][:5]
        )
        for v in failing
    )


# --- the keyboard ----------------------------------------------------------------------

_ACTIVE = """() => {
  const e = document.activeElement;
  return {cls: e.className || "", text: (e.textContent || "").trim(),
          sector: e.getAttribute("data-sector")};
}"""


def _tab_to(page, predicate, limit: int = 120, key: str = "Tab") -> dict:
    """Press Tab (or `key`) until the focused element matches; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(_ACTIVE)
        if predicate(active):
            return active
    raise AssertionError("never reached with Tab")


def _visible_sectors(page) -> list[str]:
    return page.eval_on_selector_all(
        "#league tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.sector)"
    )


def test_tab_reaches_the_sort_buttons_and_enter_and_space_sort(audited, open_report) -> None:
    page = open_report(audited["merged_en"]).page
    phone = t("en", "channel.phone")
    _tab_to(page, lambda a: "sort" in a["cls"].split() and a["text"].startswith(phone))
    header = page.locator("#league thead th").filter(has_text=phone)

    def phone_column() -> list[float]:
        index = header.evaluate("th => th.cellIndex")
        return page.eval_on_selector_all(
            "#league tbody tr",
            f"rows => rows.map(r => parseFloat(r.cells[{index}].dataset.sort))",
        )

    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    assert phone_column() == sorted(phone_column())
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert phone_column() == sorted(phone_column(), reverse=True)
    # The first header was "descending" (score order) before; it no longer claims to be.
    assert page.locator("#league thead th[aria-sort]").count() == 1


def test_tab_reaches_the_sector_filter_and_enter_and_space_filter(audited, open_report) -> None:
    page = open_report(audited["merged_en"]).page
    every = sorted(s["sector"] for s in audited["merged"]["sites"])
    assert sorted(_visible_sectors(page)) == every
    _tab_to(page, lambda a: "chipbtn" in a["cls"].split() and a["sector"] == "energy")
    page.keyboard.press("Space")
    assert _visible_sectors(page) == ["energy"] * every.count("energy")
    assert page.locator('#sector-filter button[data-sector="energy"]').get_attribute("aria-pressed") == "true"
    assert not page.locator('section.site[data-sector="telecom"]').first.is_visible()
    assert page.locator('section.site[data-sector="energy"]').first.is_visible()
    assert page.locator("#sector-filter-status").inner_text().strip() == t(
        "en", "overview.showing"
    ).format(shown=every.count("energy"), total=len(every))
    _tab_to(page, lambda a: a["sector"] == "", limit=10, key="Shift+Tab")  # "All sectors"
    page.keyboard.press("Enter")
    assert sorted(_visible_sectors(page)) == every
    assert page.locator('section.site[data-sector="telecom"]').first.is_visible()


# --- desktop and mobile side by side ------------------------------------------------------


def test_desktop_and_mobile_are_compared(audited, open_report) -> None:
    merged = audited["merged"]
    url = audited["urls"]["hover-menu"]
    pair = {s["device"]: s for s in merged["sites"] if s["url"] == url}
    desktop, mobile = pair["desktop"]["channels"]["phone"], pair["mobile"]["channels"]["phone"]
    assert desktop["clicks"] < mobile["clicks"]  # hover is free, a tap is a click
    for lang in ("en", "sv"):
        page = open_report(audited[f"merged_{lang}"]).page
        block = page.locator("section.compare")
        assert block.count() == 1
        text = block.inner_text()
        expected = t(
            lang, "compare.channel",
            channel=t(lang, "channel.phone"),
            desktop=t(lang, "clicks", count=desktop["clicks"]),
            mobile=t(lang, "clicks", count=mobile["clicks"]),
            desktop_device=t(lang, "device.desktop"),
            mobile_device=t(lang, "device.mobile"),
        )
        assert expected in text, text
        # Both device sections follow the comparison and link back to it.
        compare_id = block.get_attribute("id")
        for anchor in (_site_index(merged, url), len(merged["sites"])):
            assert page.locator(f'#site-{anchor} a[href="#{compare_id}"]').count() == 1
        order = page.eval_on_selector_all(
            "main section.site, main section.compare", "els => els.map(e => e.id)"
        )
        first = order.index(compare_id)
        assert order[first + 1 : first + 3] == [
            f"site-{_site_index(merged, url)}",
            f"site-{len(merged['sites'])}",
        ]
