"""The vendor and consent data files: valid against their schema, regexes compile,
selectors parse, and the patterns recognise the real embed URLs of the reference notes."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from auditor.page_state import PageState
from checks import chat, consent

DATA = Path(__file__).resolve().parents[1] / "checks" / "data"

REQUIRED_IDS = {
    "intercom", "zendesk", "salesforce", "livechat", "drift", "hubspot", "freshchat",
    "tidio", "crisp", "giosg", "puzzel", "teliaace", "humany", "ebbot", "boostai",
    "kindly", "kundo", "userlike", "trengo", "liveperson", "genesys", "tawk",
}  # fmt: skip


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendors_doc() -> dict:
    return load("chat_vendors.json")


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = load("chat_vendors.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_chat_vendors_valid_against_schema(vendors_doc: dict, validator) -> None:
    errors = sorted(validator.iter_errors(vendors_doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda v: v.__setitem__("kind", "robot"),
        lambda v: v.__setitem__("id", "Tawk.to"),
        lambda v: v.pop("source"),
        lambda v: v.__setitem__("script_patterns", []),
        lambda v: v.__setitem__("globals", ["not a name"]),
        lambda v: v.__setitem__("colour", "red"),
    ],
)
def test_schema_rejects_broken_entries(vendors_doc: dict, validator, mutate) -> None:
    doc = copy.deepcopy(vendors_doc)
    mutate(doc["vendors"][0])
    assert list(validator.iter_errors(doc)), "the schema accepted a broken vendor entry"


def test_required_vendor_ids_present_and_unique(vendors_doc: dict) -> None:
    ids = [v["id"] for v in vendors_doc["vendors"]]
    assert len(ids) == len(set(ids))
    assert REQUIRED_IDS <= set(ids)
    assert len(ids) >= 22


@pytest.mark.parametrize("vid", ["ebbot", "boostai", "kindly"])
def test_bot_first_vendors_default_to_bot(vid: str) -> None:
    assert chat.VENDORS_BY_ID[vid].kind == "bot"


@pytest.mark.parametrize("vid", ["livechat", "giosg", "puzzel", "teliaace", "userlike"])
def test_live_agent_vendors_default_to_human(vid: str) -> None:
    assert chat.VENDORS_BY_ID[vid].kind == "human"


def test_every_vendor_cites_a_source_and_regexes_compile(vendors_doc: dict) -> None:
    for v in vendors_doc["vendors"]:
        assert v["source"].strip()
        for p in v["script_patterns"] + v["frame_patterns"]:
            re.compile(p)
        for other in v.get("defer_to_if_loaded", ()):
            assert other in chat.VENDORS_BY_ID


def test_launcher_selectors_belong_to_one_vendor(vendors_doc: dict) -> None:
    owner: dict[str, str] = {}
    for v in vendors_doc["vendors"]:
        for sel in v["launcher_selectors"]:
            assert sel not in owner, f"{sel} is listed for {owner.get(sel)} and {v['id']}"
            owner[sel] = v["id"]
    assert set(chat.LAUNCHER_SELECTORS) == set(owner)


def test_selectors_parse_as_css_in_chromium() -> None:
    """Every selector the engine sends to the collector is valid CSS for the browser itself
    (the collector would otherwise skip it silently)."""
    import asyncio

    from playwright.async_api import async_playwright

    from auditor.browser import find_browser, launch_options

    async def rejected() -> list[str]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options(find_browser(None, pw.chromium.executable_path), None))
            try:
                page = await browser.new_page()
                return await page.evaluate(
                    "sels => sels.filter(s => { try { document.querySelectorAll(s); return false; } catch (e) { return true; } })",
                    chat.LAUNCHER_SELECTORS + consent.CONSENT_SELECTORS,
                )
            finally:
                await browser.close()

    assert asyncio.run(rejected()) == []


# Real embed URLs quoted in shared/reference/chat-vendors/*.md (ids are placeholders there).
EMBED_URLS = {
    "https://widget.intercom.io/widget/APP_ID": "intercom",
    "https://static.zdassets.com/ekr/snippet.js?key=ACCOUNT_KEY": "zendesk",
    "https://v2.zopim.com/?ACCOUNT_KEY": "zendesk",
    "https://MYDOMAIN.my.site.com/ESWDEPLOYMENT1234567890/assets/js/bootstrap.min.js": "salesforce",
    "https://cdn.livechatinc.com/tracking.js": "livechat",
    "https://js.driftt.com/include/1700000000000/abc123.js": "drift",
    "https://js.usemessages.com/conversations-embed.js": "hubspot",
    "https://wchat.freshchat.com/js/widget.js": "freshchat",
    "https://code.tidio.co/abcdefghijklmnopqrstuvwxyz123456.js": "tidio",
    "https://client.crisp.chat/l.js": "crisp",
    "https://service.giosg.com/live/": "giosg",
    "https://app-cdn.puzzel.com/public/js/pzl_loader.js": "puzzel",
    "https://wds.ace.teliacompany.com/wds/instances/J5XKjqJt/load_ace.js": "teliaace",
    "https://telia-dk.humany.net/default/embed.js": "humany",
    "https://ebbot-v2.storage.googleapis.com/ebbot-web/init.js?t=0.42": "ebbot",
    "https://nav.boost.ai/chatPanel/chatPanel.js": "boostai",
    "https://chat.kindlycdn.com/kindly-chat.js": "kindly",
    "https://static-chat.kundo.se/chat-js/org/1199/widget.js": "kundo",
    "https://userlike-cdn-widgets.s3-eu-west-1.amazonaws.com/0123abcd.js": "userlike",
    "https://static.widget.trengo.eu/embed.js": "trengo",
    "https://lptag.liveperson.net/tag/tag.js?site=23954343": "liveperson",
    "https://apps.usw2.pure.cloud/genesys-bootstrap/genesys.min.js": "genesys",
    "https://embed.tawk.to/64f1c2a9b2d3e4f5a6b7c8d9/1h9k2m3n4": "tawk",
}


@pytest.mark.parametrize("url,vendor", sorted(EMBED_URLS.items()))
def test_script_patterns_name_exactly_one_vendor(url: str, vendor: str) -> None:
    assert chat.vendors_of_script(url) == {vendor}


@pytest.mark.parametrize(
    "url",
    [
        "https://js.hs-scripts.com/1234567.js",  # HubSpot's general loader: not chat by itself
        "https://www.googletagmanager.com/gtm.js?id=GTM-XXXX",
        "http://optanon.blob.core.windows.net/scripttemplates/otSDKStub.js",
        "https://consent.cookiebot.com/uc.js",
    ],
)
def test_non_chat_scripts_match_no_vendor(url: str) -> None:
    assert chat.vendors_of_script(url) == set()


# -- consent_platforms.json ----------------------------------------------------------------


def test_consent_data_shape_and_regexes() -> None:
    raw = load("consent_platforms.json")
    ids = [p["id"] for p in raw["platforms"]]
    assert len(ids) == len(set(ids))
    for needed in (
        "onetrust",
        "cookiebot",
        "cookieyes",
        "didomi",
        "usercentrics",
        "cookieinformation",
        "complianz",
        "cookiehub",
        "cookiefirst",
        "cookiescript",
        "gravito",
        "hubspot",
    ):
        assert needed in ids
    for p in raw["platforms"]:
        assert p["source"].strip()
        for role in consent.ROLES:
            assert isinstance(p[role], list), (p["id"], role)
        for pat in p["script_patterns"]:
            re.compile(pat)
        assert p["reject"] or p["accept"], p["id"]
    for kind in consent.BUTTON_KINDS:
        assert set(raw["words"][kind]) == {"sv", "en", "no", "da", "fi", "de"}, kind
        for lang in raw["words"][kind].values():
            for pat in lang:
                re.compile(pat)


def test_consent_selectors_cover_the_reference_ids() -> None:
    for sel in (
        "#onetrust-banner-sdk", "#onetrust-reject-all-handler", "#onetrust-accept-btn-handler",
        "#onetrust-pc-btn-handler", ".ot-pc-refuse-all-handler", ".save-preference-btn-handler",
        "#CybotCookiebotDialog", "#CybotCookiebotDialogBodyLevelButtonLevelOptinDeclineAll",
        "[data-testid=uc-deny-all-button]", "#didomi-notice-disagree-button",
        ".ch2-deny-all-btn", "#cookiescript_reject", "#hs-eu-decline-button", "#allRejectBtn",
        "button[data-cookiefirst-action=reject]", "[aria-modal=\"true\"]",
    ):  # fmt: skip
        assert sel in consent.CONSENT_SELECTORS, sel
    assert len(consent.CONSENT_SELECTORS) == len(set(consent.CONSENT_SELECTORS))


@pytest.mark.parametrize(
    "url,platform",
    [
        ("http://optanon.blob.core.windows.net/scripttemplates/otSDKStub.js", "onetrust"),
        ("http://www.example.test/globalassets/onetrust/scripttemplates/otSDKStub.js", "onetrust"),
        ("https://consent.cookiebot.com/uc.js", "cookiebot"),
        ("https://app.usercentrics.eu/browser-ui/latest/loader.js", "usercentrics"),
    ],
)
def test_platform_scripts(url: str, platform: str) -> None:
    assert consent.loaded_platforms(PageState(url="http://x.test/", scripts=(url,))) == {platform}


def test_word_files_compile() -> None:
    words = load("chat_words.json")
    for lang in words["launcher_phrases"].values():
        for pat in lang:
            re.compile(pat)
    for pat in words["not_launcher"] + words["bot_words"]:
        re.compile(pat)
    form_words = load("form_words.json")
    for key in (
        "submit_words",
        "not_submit_words",
        "search_words",
        "comment_words",
        "login_words",
        "newsletter_words",
    ):
        for pat in form_words[key]:
            re.compile(pat)
