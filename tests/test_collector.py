"""The browser-side collector in real Chromium: what counts as visible (spec section 3).

One page holds every kind of hidden decoy (`id="hidden-..."`) next to visible details
(`id="found-..."`); the collected state must show exactly the visible ones.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from playwright.async_api import async_playwright

from auditor.browser import find_browser, launch_options
from auditor.explorer import COLLECT_JS
from auditor.page_state import PageState
from checks import DetectContext
from checks import email as email_check
from checks import phone as phone_check

PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<meta name="description" content="Ring 08-111 111 11">
<style>
 .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 .collapsed{max-height:0;overflow:hidden}
 .off{position:absolute;left:-9999px}
 .row{display:flex;gap:8px}
 .logo{text-indent:-9999px;overflow:hidden;display:block;width:100px}
</style></head><body>
<header><nav><a id="found-link-1" href="/kontakt/">Kontakta oss</a></nav></header>
<main>
 <p id="found-phone-1">Ring oss på <strong>08-123 456 78</strong></p>
 <div class="row"><span>Telefon</span><span id="found-phone-2">010-555 66 77</span></div>
 <p id="found-phone-3">Växel: 0<span>8</span>-<span>70</span>1 10 00</p>
 <div id="hidden-phone-1" style="display:none">Ring 08-222 222 22</div>
 <div id="hidden-phone-2" style="visibility:hidden">Ring 08-333 333 33</div>
 <div id="hidden-phone-3" hidden>Ring 08-444 444 44</div>
 <div id="hidden-phone-4" style="width:0;height:0;overflow:hidden">Ring 08-555 555 55</div>
 <div id="hidden-phone-5" class="off">Ring 08-666 666 66</div>
 <div id="hidden-phone-6" class="collapsed"><p>Ring 08-777 777 77</p></div>
 <details><summary>Öppettider</summary><p id="hidden-phone-7">Ring 08-888 888 88</p></details>
 <span id="hidden-phone-8" class="sr-only">Ring 08-999 999 99</span>
 <div id="hidden-phone-9" style="opacity:0">Ring 08-121 212 12</div>
 <a id="hidden-phone-10" class="logo" href="/">Ring 08-131 313 13</a>
 <!-- Ring 08-141 414 14 -->
 <noscript>Ring 08-151 515 15</noscript>
 <template><p>Ring 08-161 616 16</p></template>
 <input id="hidden-email-1" placeholder="namn@foretaget.test" value="kund@foretaget.test">
 <img id="found-phone-4" alt="Ring kundtjänst 031-123 45 67" width="120" height="40" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
 <img id="hidden-phone-11" alt="" width="120" height="40" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
 <p id="found-email-1">Mejla <a href="mailto:Kundservice@Foretaget.test?subject=Hej">kundservice</a></p>
 <button id="found-control-1" aria-expanded="false" aria-controls="x">Visa telefonnummer</button>
 <div id="x" hidden>Ring 0771-12 34 56</div>
 <script>var phone = "08-171 717 17";</script>
 <script type="application/ld+json">{"@type":"Organization","telephone":"+46 8 181 818 18"}</script>
</main></body></html>"""


async def _collect(html: str) -> PageState:
    async with async_playwright() as pw:
        exe = find_browser(None, pw.chromium.executable_path)
        browser = await pw.chromium.launch(**launch_options(exe, None))
        try:
            page = await browser.new_page(viewport={"width": 1366, "height": 768})
            await page.set_content(html)
            raw = json.loads(await page.evaluate(COLLECT_JS, {"selectors": ["#x"], "globals": ["phone", "nope"]}))
        finally:
            await browser.close()
    return PageState.from_dict(raw)


@pytest.fixture(scope="module")
def state() -> PageState:
    return asyncio.run(_collect(PAGE))


def test_only_visible_numbers_are_read(state):
    ctx = DetectContext(region="SE")
    values = {h.value for h in phone_check.detect(state, ctx)}
    assert values == {"+46812345678", "+46105556677", "+4687011000", "+46311234567"}


def test_text_split_over_inline_elements_is_joined(state):
    assert any("08-701 10 00" in b.text for b in state.blocks)


def test_alt_text_counts_and_empty_alt_does_not(state):
    alts = [b for b in state.blocks if b.source == "alt"]
    assert [a.text for a in alts] == ["Ring kundtjänst 031-123 45 67"]


def test_mailto_value_comes_from_href_and_attributes_never_count(state):
    values = {h.value for h in email_check.detect(state, DetectContext(region="SE"))}
    assert values == {"kundservice@foretaget.test"}
    assert not any("kund@foretaget.test" in b.text or "namn@" in b.text for b in state.blocks)


def test_controls_links_and_machine_readable_parts(state):
    reveal = [c for c in state.controls if c.text == "Visa telefonnummer"]
    assert reveal and reveal[0].expanded is False and reveal[0].controls == "x"
    summary = [c for c in state.controls if c.kind == "summary"]
    assert summary and summary[0].expanded is False
    link = next(lk for lk in state.links if lk.text == "Kontakta oss")
    assert link.region == "nav" and link.href.endswith("/kontakt/")
    assert state.lang == "sv"
    assert any("181 818 18" in j for j in state.jsonld)  # kept apart, never a found channel
    assert [m.visible for m in state.dom_matches] == [False]
    assert state.globals == ("phone",)


def test_keys_are_stable_within_one_page(state):
    keys = [b.key for b in state.blocks]
    assert len(keys) == len(set(keys))


def test_the_installed_collector_cannot_be_swapped_by_the_page():
    """`COLLECTOR_INIT_JS` puts the collector in every document of a context before the
    page's own scripts run; a page that tries to replace it still gets read by ours."""
    from auditor.explorer import COLLECTOR_INIT_JS, _run_collector

    hostile = ("<!DOCTYPE html><html><body><p>Ring 08-123 456 78</p><script>"
               "try { window.__contactAuditorCollect = () => '{}'; } catch (e) {}"
               "</script></body></html>")

    async def run() -> tuple[dict, str]:
        async with async_playwright() as pw:
            exe = find_browser(None, pw.chromium.executable_path)
            browser = await pw.chromium.launch(**launch_options(exe, None))
            try:
                context = await browser.new_context()
                await context.add_init_script(COLLECTOR_INIT_JS)
                page = await context.new_page()
                await page.set_content(hostile)
                raw = json.loads(await _run_collector(page, json.dumps({"selectors": [], "globals": []})))
                kind = await page.evaluate("typeof window.__contactAuditorCollect")
            finally:
                await browser.close()
        return raw, kind

    raw, kind = asyncio.run(run())
    assert kind == "function"
    assert any("08-123 456 78" in b["text"] for b in raw["blocks"])
