"""Chat detection on hand-built page states (spec section 3: a *visible* launcher)."""

from __future__ import annotations

import pytest

from auditor.page_state import Control, DomMatch, FrameInfo, Link, PageState, TextBlock
from checks import chat
from checks.base import DetectContext

CTX = DetectContext(region="SE", site_host="www.example.test", language="sv")


def state(**kw) -> PageState:
    return PageState(url="http://www.example.test/", **kw)


def test_visible_tawk_iframe_match_is_found() -> None:
    st = state(
        scripts=("http://embed.tawk.to/64f1c2a9b2d3e4f5a6b7c8d9/1h9k2m3n4",),
        globals=("Tawk_API",),
        dom_matches=(DomMatch("iframe.tawk-min-container", key=41, visible=True, fixed=True),),
    )
    hits = chat.detect(st, CTX)
    assert [(h.channel, h.value, h.key) for h in hits] == [("chat", "tawk", 41)]
    assert hits[0].meta == {"vendor": "tawk", "kind": "unknown"}
    assert hits[0].selector == "iframe.tawk-min-container"


def test_tawk_recognised_from_the_frame_alone() -> None:
    frame = FrameInfo(
        key=7,
        src="about:blank",
        title="chat widget",
        classes="tawk-min-container",
        visible=True,
        fixed=True,
    )
    hits = chat.detect(state(frames=(frame,)), CTX)
    assert [(h.value, h.key, h.meta["vendor"]) for h in hits] == [("tawk", 7, "tawk")]


def test_hidden_boost_launcher_with_script_is_not_found_but_loaded() -> None:
    st = state(
        scripts=("http://energibolaget.boost.ai/chatPanel/chatPanel.js",),
        globals=("boostInit", "boostChatPanel"),
        dom_matches=(
            DomMatch("#boost-chat-launcher", key=90, visible=False, text="Fråga Elsa"),
            DomMatch(".boost-chat-launcher__button", key=91, visible=False, text="Fråga Elsa"),
        ),
    )
    assert chat.detect(st, CTX) == []
    assert chat.loaded_vendors(st) == {"boostai"}


def test_loaded_vendors_from_script_or_global_alone() -> None:
    assert chat.loaded_vendors(state(scripts=("https://cdn.livechatinc.com/tracking.js",))) == {
        "livechat"
    }
    assert chat.loaded_vendors(state(globals=("fcWidget",))) == {"freshchat"}
    assert chat.loaded_vendors(state(globals=("somethingElse",))) == set()


def test_ebbot_launcher_inside_shadow_root() -> None:
    # The host element is 0x0 (its content is position:fixed inside the shadow root); the
    # collector reports the button found through the shadow root as visible.
    st = state(
        scripts=("https://ebbot-v2.storage.googleapis.com/ebbot-web/init.js?t=0.1",),
        globals=("Ebbot",),
        dom_matches=(
            DomMatch("ebbot-chat", key=10, visible=False),
            DomMatch(".ebbot-launcher__button", key=12, visible=True, fixed=True),
        ),
    )
    hits = chat.detect(st, CTX)
    assert [(h.value, h.key) for h in hits] == [("ebbot", 12)]
    assert hits[0].meta == {"vendor": "ebbot", "kind": "bot"}


def test_generic_chat_button_without_vendor_is_in_house_human() -> None:
    st = state(controls=(Control(key=5, tag="button", text="Chatta med oss", region="main"),))
    hits = chat.detect(st, CTX)
    assert len(hits) == 1
    assert hits[0].key == 5 and hits[0].value == ""
    assert hits[0].meta == {"vendor": None, "kind": "human"}
    assert hits[0].text == "Chatta med oss"


def test_generic_button_attributed_to_the_one_loaded_vendor() -> None:
    st = state(
        scripts=("http://nordbanken.boost.ai/chatPanel/chatPanel.js",),
        controls=(Control(key=5, tag="button", text="Chatta med oss"),),
    )
    hit = chat.detect(st, CTX)[0]
    assert hit.meta == {"vendor": "boostai", "kind": "bot"}  # boost.ai is bot-first
    assert hit.value == "boostai"


def test_generic_button_with_two_vendors_loaded_has_no_vendor() -> None:
    st = state(
        scripts=("https://cdn.livechatinc.com/tracking.js", "https://client.crisp.chat/l.js"),
        controls=(Control(key=5, tag="button", text="Start chat"),),
    )
    assert chat.detect(st, CTX)[0].meta == {"vendor": None, "kind": "human"}


@pytest.mark.parametrize(
    "label",
    ["Chatta med vår digitala assistent", "Chatta med vår chattbot", "Chat with our AI assistant"],
)
def test_generic_button_with_bot_words_is_a_bot(label: str) -> None:
    st = state(controls=(Control(key=1, tag="button", text=label),))
    assert chat.detect(st, CTX)[0].meta == {"vendor": None, "kind": "bot"}


def test_freshchat_frame_is_found() -> None:
    frame = FrameInfo(
        key=33,
        name="fc_widget",
        elem_id="fc_widget",
        title="Chat",
        visible=True,
        fixed=True,
        width=65,
        height=65,
    )
    hits = chat.detect(state(frames=(frame,), globals=("fcWidget",)), CTX)
    assert [(h.value, h.key) for h in hits] == [("freshchat", 33)]
    assert hits[0].meta["kind"] == "unknown"


def test_livechat_container_is_human() -> None:
    st = state(dom_matches=(DomMatch("#chat-widget-container", key=3, visible=True),))
    assert chat.detect(st, CTX)[0].meta == {"vendor": "livechat", "kind": "human"}


def test_invisible_frames_and_matches_are_not_found() -> None:
    st = state(
        frames=(FrameInfo(key=2, elem_id="fc_widget", visible=False),),
        dom_matches=(DomMatch("#chat-widget-container", key=3, visible=False),),
    )
    assert chat.detect(st, CTX) == []
    assert chat.loaded_vendors(st) == {"freshchat", "livechat"}


def test_text_about_chat_is_not_a_launcher() -> None:
    st = state(
        blocks=(TextBlock(key=1, text="Chatta med oss"),),  # a heading, not a control
        links=(
            Link(key=2, href="http://www.example.test/chattbot-policy", text="Chattbot-policy"),
            Link(key=3, href="http://www.example.test/faq/chatt", text="Hur fungerar chatten?"),
            Link(key=4, href="http://www.example.test/om", text="Integritetspolicy för chatt"),
        ),
        controls=(Control(key=5, tag="button", text="Stäng chatten"),),
    )
    assert chat.detect(st, CTX) == []


def test_chat_link_counts() -> None:
    st = state(
        links=(Link(key=8, href="https://chat.example.test/", text="Chatta med oss", new_tab=True),)
    )
    assert [h.key for h in chat.detect(st, CTX)] == [8]


def test_humany_launcher_is_telia_ace_when_ace_is_loaded() -> None:
    match = DomMatch(".humany-trigger", key=4, visible=True)
    alone = chat.detect(state(dom_matches=(match,)), CTX)
    assert alone[0].meta["vendor"] == "humany"
    with_ace = state(
        dom_matches=(match,),
        scripts=("https://wds.ace.teliacompany.com/wds/instances/X/ACEWebSDK.min.js",),
    )
    assert chat.detect(with_ace, CTX)[0].meta == {"vendor": "teliaace", "kind": "human"}


def test_floating_chat_frame_of_the_only_loaded_vendor() -> None:
    frame = FrameInfo(key=9, src="about:blank", title="Messaging window", visible=True, fixed=True)
    st = state(frames=(frame,), scripts=("https://client.crisp.chat/l.js",))
    assert [(h.value, h.key) for h in chat.detect(st, CTX)] == [("crisp", 9)]
    # no vendor on the page: an unknown frame is not guessed to be a chat
    assert chat.detect(state(frames=(frame,)), CTX) == []


def test_one_hit_per_element_and_both_kinds_reported() -> None:
    st = state(
        dom_matches=(
            DomMatch("#fc_frame", key=20, visible=True),
            DomMatch(".fc-widget-normal", key=20, visible=True),
        ),
        controls=(Control(key=21, tag="button", text="Chat with us"),),
    )
    hits = chat.detect(st, CTX)
    assert [(h.key, h.meta["vendor"]) for h in hits] == [(20, "freshchat"), (21, "freshchat")]


@pytest.mark.parametrize(
    "label",
    [
        "Chatta med oss", "Starta chatt", "Chat with us", "Start chat", "Chat med oss",
        "Chattaa kanssamme", "Jetzt chatten", "Chatta", "Öppna chatten", "Chat now",
        "Chatt med kundservice", "Start en chat", "Åbn chat", "Aloita chat", "Chat starten",
        "💬 Chatta med oss", "Chatta med oss Öppnas i nytt fönster", "Live chat",
    ],
)  # fmt: skip
def test_offers_chat(label: str) -> None:
    assert chat.offers_chat(label)


@pytest.mark.parametrize(
    "label",
    [
        "Chattbot-policy", "Hur fungerar chatten?", "Stäng chatten", "Fråga Nora",
        "Så chattar du med oss", "Kontakta oss", "Chatthistorik", "Chat opening hours",
        "Du kan även chatta med oss via sidan Kontakta oss om du vill säga upp ditt abonnemang",
        "", "Chattsupport villkor",
    ],
)  # fmt: skip
def test_does_not_offer_chat(label: str) -> None:
    assert not chat.offers_chat(label)


def test_engine_query_lists() -> None:
    for sel in (
        "iframe.tawk-min-container",
        ".ebbot-launcher__button",
        "#boost-chat-launcher",
        "#fc_frame",
        "#chat-widget-container",
        "#hubspot-messages-iframe-container",
    ):
        assert sel in chat.LAUNCHER_SELECTORS
    for name in ("Tawk_API", "fcWidget", "boostInit", "Ebbot", "__lc", "Intercom", "zE", "lpTag"):
        assert name in chat.VENDOR_GLOBALS
    assert len(chat.VENDOR_GLOBALS) == len(set(chat.VENDOR_GLOBALS))
    assert chat.vendor_of_selector("#boost-chat-launcher") == "boostai"
    assert chat.vendor_of_selector("#onetrust-banner-sdk") == ""
