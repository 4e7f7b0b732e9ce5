"""Consent-dialog decisions on hand-built states (spec section 1: prefer reject)."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.page_state import Control, DomMatch, Link, PageState, TextBlock
from checks import consent

ONETRUST = "http://optanon.blob.core.windows.net/scripttemplates/otSDKStub.js"


def state(**kw) -> PageState:
    return PageState(url="http://www.example.test/", **kw)


def m(selector: str, key: int, visible: bool = True, text: str = "") -> DomMatch:
    return DomMatch(selector=selector, key=key, visible=visible, text=text)


def btn(key: int, text: str, region: str = "other", y: float = 700.0) -> Control:
    return Control(key=key, tag="button", text=text, region=region, y=y)


def test_onetrust_banner_with_reject_button() -> None:
    st = state(
        scripts=(ONETRUST,),
        dom_matches=(
            m("#onetrust-banner-sdk", 1, text="Vi värnar om din integritet ... cookies"),
            m("#onetrust-pc-btn-handler", 2),
            m("#onetrust-reject-all-handler", 3),
            m("#onetrust-accept-btn-handler", 4),
            m("#onetrust-pc-sdk", 5, visible=False),
            m(".ot-pc-refuse-all-handler", 6, visible=False),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan == consent.ConsentPlan(
        platform="onetrust",
        blocking=False,
        click_key=3,
        fallback_accept_key=4,
        settings_key=2,
        answer="reject",
    )
    assert consent.dialog_present(st)


def onetrust_centre_layout(pc_open: bool, with_reject: bool = True) -> PageState:
    matches = [
        m(".onetrust-pc-dark-filter", 1),
        m("#onetrust-banner-sdk", 2, text="Nordbanken använder cookies"),
        m("#onetrust-pc-btn-handler", 3),
        m("#onetrust-accept-btn-handler", 4),
        m("#onetrust-pc-sdk", 5, visible=pc_open, text="Integritetsinställningar"),
        m(".save-preference-btn-handler", 7, visible=pc_open),
    ]
    if with_reject:
        matches.append(m(".ot-pc-refuse-all-handler", 6, visible=pc_open))
    return state(scripts=(ONETRUST,), dom_matches=tuple(matches))


def test_onetrust_centre_layout_offers_settings_when_no_first_layer_reject() -> None:
    plan = consent.plan_answer(onetrust_centre_layout(pc_open=False))
    assert plan is not None
    assert plan.click_key is None
    assert plan.settings_key == 3
    assert plan.fallback_accept_key == 4
    assert plan.answer == "accept"
    assert plan.blocking is True  # the dark filter covers the page


def test_onetrust_preference_centre_reject_after_settings() -> None:
    plan = consent.plan_answer(onetrust_centre_layout(pc_open=True))
    assert plan is not None
    assert (plan.click_key, plan.answer, plan.settings_key) == (6, "reject", None)


def test_preference_centre_without_reject_saves_as_reject() -> None:
    plan = consent.plan_answer(onetrust_centre_layout(pc_open=True, with_reject=False))
    assert plan is not None
    assert (plan.click_key, plan.answer) == (7, "reject")


def test_generic_swedish_banner_with_endast_nodvandiga() -> None:
    st = state(
        blocks=(
            TextBlock(
                key=1, text="Vi använder kakor (cookies) för att webbplatsen ska fungera.", y=690
            ),
            TextBlock(key=9, text="Resor till solen", y=200, region="main"),
        ),
        controls=(btn(2, "Godkänn alla", y=700), btn(3, "Endast nödvändiga", y=700)),
    )
    plan = consent.plan_answer(st)
    assert plan == consent.ConsentPlan(
        platform="generic",
        blocking=False,
        click_key=3,
        fallback_accept_key=2,
        settings_key=None,
        answer="reject",
    )


@pytest.mark.parametrize("order", [("accept", "reject"), ("reject", "accept")])
def test_reject_wins_over_accept_in_any_order(order: tuple[str, str]) -> None:
    labels = {"accept": "Acceptera alla", "reject": "Neka alla"}
    controls = tuple(btn(i + 10, labels[k], region="dialog") for i, k in enumerate(order))
    st = state(
        blocks=(TextBlock(key=1, text="Denna webbplats använder cookies", region="dialog"),),
        controls=controls,
    )
    plan = consent.plan_answer(st)
    assert plan is not None
    reject_key = 10 + order.index("reject")
    assert plan.click_key == reject_key and plan.answer == "reject"


def test_save_is_not_a_reject_on_the_first_layer() -> None:
    st = state(
        blocks=(TextBlock(key=1, text="Vi använder cookies för att förbättra sidan.", y=700),),
        controls=(btn(2, "Spara", y=720), btn(3, "Godkänn alla", y=720)),
    )
    plan = consent.plan_answer(st)
    assert plan is not None
    assert plan.click_key is None and plan.answer == "accept" and plan.fallback_accept_key == 3


def test_generic_preference_centre_save_is_a_reject() -> None:
    st = state(
        blocks=(
            TextBlock(key=1, text="Cookieinställningar", region="dialog"),
            TextBlock(key=2, text="Nödvändiga cookies – alltid aktiva", region="dialog"),
            TextBlock(key=3, text="Statistikcookies och marknadsföringscookies", region="dialog"),
        ),
        controls=(
            btn(4, "Spara mina val", region="dialog"),
            btn(5, "Godkänn alla", region="dialog"),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan is not None
    assert (plan.click_key, plan.answer, plan.fallback_accept_key) == (4, "reject", 5)


def test_english_dialog_region_with_decline() -> None:
    st = state(
        blocks=(
            TextBlock(
                key=1,
                text="We use cookies to run the site and to measure it.",
                region="dialog",
                y=600,
            ),
        ),
        controls=(
            btn(2, "Accept all", region="dialog", y=640),
            btn(3, "Decline", region="dialog", y=640),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan is not None and plan.click_key == 3 and plan.answer == "reject"


def test_footer_cookie_link_is_not_a_dialog() -> None:
    st = state(
        blocks=(
            TextBlock(
                key=1, text="Acme AB · Org.nr 556123-4567 · Cookies", region="footer", y=2000
            ),
        ),
        links=(
            Link(
                key=2,
                href="http://www.example.test/om-oss/#cookies",
                text="Cookies",
                region="footer",
                y=2000,
            ),
        ),
        controls=(
            Control(
                key=3,
                tag="button",
                text="Cookieinställningar",
                region="footer",
                y=2010,
                kind="link",
            ),
        ),
    )
    assert consent.plan_answer(st) is None
    assert not consent.dialog_present(st)


def test_buttons_far_from_cookie_text_are_not_a_dialog() -> None:
    st = state(
        blocks=(TextBlock(key=1, text="Läs om hur vi använder cookies på sidan Om oss.", y=100),),
        controls=(btn(2, "OK", y=3000), btn(3, "Godkänn", y=3200)),
    )
    assert consent.plan_answer(st) is None


def test_ok_button_without_any_cookie_text_is_not_a_dialog() -> None:
    st = state(
        blocks=(TextBlock(key=1, text="Prenumerera på vårt nyhetsbrev", y=700),),
        controls=(btn(2, "OK", y=710),),
    )
    assert consent.plan_answer(st) is None


def test_aria_modal_cookie_dialog_is_blocking() -> None:
    st = state(
        dom_matches=(
            m(
                '[aria-modal="true"]',
                1,
                text="Cookies på Trygghet Vi använder cookies "
                "Endast nödvändiga Anpassa Godkänn alla",
            ),
        ),
        blocks=(
            TextBlock(
                key=2, text="Vi använder cookies för att sidan ska fungera.", region="dialog"
            ),
        ),
        controls=(
            btn(3, "Endast nödvändiga", region="dialog"),
            btn(4, "Anpassa", region="dialog"),
            btn(5, "Godkänn alla", region="dialog"),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan is not None
    assert (plan.blocking, plan.click_key, plan.settings_key, plan.fallback_accept_key) == (
        True,
        3,
        4,
        5,
    )


def test_aria_modal_without_cookie_text_is_not_blocking() -> None:
    st = state(
        dom_matches=(m('[aria-modal="true"]', 1, text="Logga in för att fortsätta"),),
        blocks=(TextBlock(key=2, text="Vi använder kakor.", y=700),),
        controls=(btn(3, "Neka kakor", y=705), btn(4, "Godkänn kakor", y=705)),
    )
    plan = consent.plan_answer(st)
    assert plan is not None and plan.blocking is False and plan.click_key == 3


def test_banner_tied_by_container_text_when_far_from_its_text_block() -> None:
    container = m('[id*="cookie" i]', 1, text="Vi använder cookies. Neka Godkänn alla")
    st = state(
        dom_matches=(container,),
        controls=(btn(2, "Neka", y=5000), btn(3, "Godkänn alla", y=5000)),
    )
    plan = consent.plan_answer(st)
    assert plan is not None and plan.click_key == 2 and plan.platform == "generic"


def test_banner_tied_by_a_shared_id_anchor() -> None:
    st = state(
        blocks=(
            TextBlock(
                key=1,
                text="Vi använder kakor för att förbättra webbplatsen.",
                y=10,
                selector="div#kakbanner > div.container > span",
            ),
        ),
        controls=(
            Control(
                key=2,
                tag="button",
                text="Neka kakor",
                y=4000,
                selector="div#kakbanner > div.container > span > button",
            ),
            Control(
                key=3, tag="button", text="Godkänn", y=4000, selector="body#start > div > button"
            ),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan is not None and (plan.click_key, plan.fallback_accept_key) == (2, None)


def test_cookiebot_dialog() -> None:
    st = state(
        scripts=("http://consent.cookiebot.com/uc.js",),
        dom_matches=(
            m("#CybotCookiebotDialogBodyUnderlay", 1),
            m("#CybotCookiebotDialog", 2, text="Denna webbplats använder cookies"),
            m("#CybotCookiebotDialogBodyButtonDecline", 3),
            m("#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowallSelection", 4),
            m("#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", 5),
        ),
        controls=(
            btn(3, "Neka", region="dialog"),
            btn(4, "Tillåt urval", region="dialog"),
            btn(5, "Tillåt alla", region="dialog"),
        ),
    )
    plan = consent.plan_answer(st)
    assert plan == consent.ConsentPlan(
        platform="cookiebot",
        blocking=True,
        click_key=3,
        fallback_accept_key=5,
        settings_key=None,
        answer="reject",
    )


def test_answered_dialog_is_gone() -> None:
    st = state(
        scripts=(ONETRUST,),
        dom_matches=(
            m("#onetrust-banner-sdk", 1, visible=False),
            m("#onetrust-accept-btn-handler", 2, visible=False),
            m(".ot-sdk-show-settings", 3),
        ),  # footer "Cookie settings" stays
    )
    assert consent.plan_answer(st) is None


def test_hash_links_act_as_buttons_but_navigating_links_do_not() -> None:
    text = TextBlock(key=1, text="Vi använder cookies på webbplatsen.", y=700)
    hash_link = Link(key=2, href="http://www.example.test/#", text="Avvisa alla", y=710)
    real_link = Link(key=3, href="http://www.example.test/avvisa", text="Avvisa alla", y=710)
    plan = consent.plan_answer(state(blocks=(text,), links=(hash_link,)))
    assert plan is not None and plan.click_key == 2
    assert consent.plan_answer(state(blocks=(text,), links=(real_link,))) is None


def test_plan_is_frozen() -> None:
    plan = consent.ConsentPlan("generic", False, 1, None, None, "reject")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.answer = "accept"  # type: ignore[misc]


@pytest.mark.parametrize(
    "label,kind",
    [
        ("Endast nödvändiga", "reject"), ("Bara nödvändiga cookies", "reject"),
        ("Godkänn endast nödvändiga", "reject"), ("Neka", "reject"), ("Avvisa alla", "reject"),
        ("Avböj", "reject"), ("Reject all", "reject"), ("Decline", "reject"),
        ("Only necessary", "reject"), ("Kun nødvendige", "reject"), ("Afvis", "reject"),
        ("Hylkää", "reject"), ("Ablehnen", "reject"), ("Nur notwendige", "reject"),
        ("Jag godkänner nödvändiga kakor", "reject"), ("TILLÅT NÖDVÄNDIGA", "reject"),
        ("Godkänn alla", "accept"), ("Acceptera", "accept"), ("Tillåt alla", "accept"),
        ("Accept all", "accept"), ("OK", "accept"), ("Jeg accepterer", "accept"),
        ("Hyväksy", "accept"), ("Alle akzeptieren", "accept"),
        ("Hantera inställningar", "settings"), ("Inställningar", "settings"),
        ("Anpassa", "settings"), ("Cookie settings", "settings"),
        ("Manage preferences", "settings"), ("Cookieinställningar", "settings"),
        ("Spara", "save"), ("Save", "save"), ("Tillåt urval", "save"),
        ("Bekräfta mina val", "save"),
        ("Läs mer om cookies", None), ("Samtycke", None), ("Kontakta oss", None), ("", None),
    ],
)  # fmt: skip
def test_classify_button(label: str, kind: str | None) -> None:
    assert consent.classify_button(label) == kind


def test_mentions_cookies_in_six_languages() -> None:
    for text in (
        "Vi använder kakor",
        "We use cookies",
        "Hantera samtycke",
        "Käytämme evästeitä",
        "Vi bruker informasjonskapsler",
        "Ihre Einwilligung",
    ):
        assert consent.mentions_cookies(text), text
    assert not consent.mentions_cookies("Ring oss på 08-123 456 78")
