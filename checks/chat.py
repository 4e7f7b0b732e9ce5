"""Chat detector: is there a chat launcher a visitor can see in this state?

Spec section 3: chat is *found* when a person could perceive a chat launcher: a known
vendor's rendered widget (bubble, button, iframe, the host of its shadow root) that is
visible, or a visible button/link whose text offers chat ("Chatta med oss", "Chat with us",
"Starta chatt"). What does **not** count:

- a vendor script or window global without a visible launcher (the widget loaded but
  shows nothing, is `display:none`, zero-size, or waits for a site button that is not
  there). That is the finding `chat_script_without_launcher`; `loaded_vendors()` gives the
  engine what it needs for it;
- hidden launchers (a `DomMatch` with `visible=False`, an invisible frame);
- text that merely talks about chat: headings, FAQ titles ("Hur fungerar chatten?"),
  policy links ("Chattbot-policy"), "Stäng chatten". Only launcher-like phrasing counts
  (`checks/data/chat_words.json`).

Vendors are data, the engine is code (STYLE.md): script URL patterns, globals, launcher
selectors and frame patterns live in `checks/data/chat_vendors.json` (our own entries,
written from `shared/reference/chat-vendors/`). The engine asks the browser-side collector
for `LAUNCHER_SELECTORS` (answered as `state.dom_matches`, shadow roots searched) and for
`VENDOR_GLOBALS` (answered as `state.globals`).

Attribution: a visible vendor launcher names its vendor. A generic chat button names the
vendor whose script/global/DOM is on the page if exactly one is (the site's own "Chatta
med oss" button usually opens that vendor's panel, as boost.ai sites do), else `None`
(in-house chat). `kind` is the vendor's default; for a generic button it is "bot" when the
label says so ("digital assistent", "chattbot", "AI"), else "human" (an offer to chat
"med oss" is an offer of people), except that a button attributed to a bot-first vendor
stays "bot".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.page_state import FrameInfo, PageState
from checks.base import ChannelHit, DetectContext

DATA_DIR = Path(__file__).resolve().parent / "data"
VENDORS_FILE = DATA_DIR / "chat_vendors.json"
WORDS_FILE = DATA_DIR / "chat_words.json"


@dataclass(frozen=True)
class ChatVendor:
    """One entry of `chat_vendors.json`, with its regexes compiled."""

    id: str
    name: str
    kind: str
    source: str
    script_patterns: tuple[re.Pattern[str], ...]
    globals: tuple[str, ...]
    launcher_selectors: tuple[str, ...]
    frame_patterns: tuple[re.Pattern[str], ...]
    defer_to_if_loaded: tuple[str, ...] = ()

    def matches_script(self, url: str) -> bool:
        return any(p.search(url) for p in self.script_patterns)

    def matches_frame(self, frame: FrameInfo) -> bool:
        fields = (frame.src, frame.title, frame.name, frame.elem_id, frame.classes)
        return any(p.search(v) for p in self.frame_patterns for v in fields if v)


@dataclass(frozen=True)
class ChatWords:
    """The compiled word lists of `chat_words.json`."""

    max_label_chars: int
    max_label_words: int
    launcher_phrases: tuple[re.Pattern[str], ...]
    whole_labels: frozenset[str]
    not_launcher: tuple[re.Pattern[str], ...]
    bot_words: tuple[re.Pattern[str], ...]
    chat_frame_words: re.Pattern[str]


# -- label normalisation ----------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_label(text: str) -> str:
    """Lower-case, NFKC, whitespace collapsed, icon glyphs and punctuation trimmed from
    both ends ("  💬 Chatta med oss › " -> "chatta med oss")."""
    t = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    t = _SPACE.sub(" ", t).strip().lower()
    return _EDGE_PUNCT.sub("", t)


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def load_vendors(path: Path = VENDORS_FILE) -> tuple[ChatVendor, ...]:
    """Read and compile the vendor data file (validated against its schema in the tests)."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    vendors = []
    for v in raw["vendors"]:
        vendors.append(
            ChatVendor(
                id=v["id"],
                name=v["name"],
                kind=v["kind"],
                source=v["source"],
                script_patterns=_compile(v["script_patterns"]),
                globals=tuple(v["globals"]),
                launcher_selectors=tuple(v["launcher_selectors"]),
                frame_patterns=_compile(v["frame_patterns"]),
                defer_to_if_loaded=tuple(v.get("defer_to_if_loaded", ())),
            )
        )
    return tuple(vendors)


def load_words(path: Path = WORDS_FILE) -> ChatWords:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    phrases = [p for lang in raw["launcher_phrases"].values() for p in lang]
    return ChatWords(
        max_label_chars=int(raw["max_label_chars"]),
        max_label_words=int(raw["max_label_words"]),
        launcher_phrases=_compile(phrases),
        whole_labels=frozenset(normalise_label(w) for w in raw["whole_labels"]),
        not_launcher=_compile(raw["not_launcher"]),
        bot_words=_compile(raw["bot_words"]),
        chat_frame_words=re.compile(raw["chat_frame_words"], re.IGNORECASE),
    )


VENDORS: tuple[ChatVendor, ...] = load_vendors()
VENDORS_BY_ID: dict[str, ChatVendor] = {v.id: v for v in VENDORS}
WORDS: ChatWords = load_words()

#: selector -> vendor id. Each selector belongs to one vendor (checked by a test).
_SELECTOR_VENDOR: dict[str, str] = {sel: v.id for v in VENDORS for sel in v.launcher_selectors}

#: What the engine must ask the collector for: every launcher selector (answered in
#: `state.dom_matches`, shadow roots searched) ...
LAUNCHER_SELECTORS: list[str] = list(_SELECTOR_VENDOR)
#: ... and every vendor global (answered in `state.globals`).
VENDOR_GLOBALS: list[str] = list(dict.fromkeys(g for v in VENDORS for g in v.globals))

_GLOBAL_VENDORS: dict[str, set[str]] = {}
for _v in VENDORS:
    for _g in _v.globals:
        _GLOBAL_VENDORS.setdefault(_g, set()).add(_v.id)


def vendor_of_selector(selector: str) -> str:
    """The vendor id a launcher selector belongs to; "" for a selector that is not one of
    `LAUNCHER_SELECTORS` (the same `dom_matches` also answer consent selectors)."""
    return _SELECTOR_VENDOR.get(selector, "")


def vendor_of_frame(frame: FrameInfo) -> str | None:
    """The first vendor (data-file order) whose frame pattern matches the iframe."""
    for v in VENDORS:
        if v.matches_frame(frame):
            return v.id
    return None


def vendors_of_script(url: str) -> set[str]:
    return {v.id for v in VENDORS if v.matches_script(url)}


def loaded_vendors(state: PageState) -> set[str]:
    """Vendors that are on the page, visible or not: a matching `<script src>`, a window
    global, or a launcher element / vendor iframe in the DOM even when it is hidden.

    Used for the finding `chat_script_without_launcher` (loaded, yet `detect()` finds no
    launcher) and to attribute a generic chat button to the one vendor present.
    """
    found: set[str] = set()
    for url in state.scripts:
        found |= vendors_of_script(url)
    for name in state.globals:
        found |= _GLOBAL_VENDORS.get(name, set())
    for m in state.dom_matches:
        vid = vendor_of_selector(m.selector)
        if vid:
            found.add(vid)
    for f in state.frames:
        vid = vendor_of_frame(f)
        if vid:
            found.add(vid)
    return found


def offers_chat(label: str) -> bool:
    """True when a button/link label is launcher-like chat phrasing in sv/en/no/da/fi/de.

    Long texts (sentences, article titles) and labels about chat rather than offering it
    (policies, FAQ questions, "Stäng chatten") are not launchers.
    """
    t = normalise_label(label)
    if not t or len(t) > WORDS.max_label_chars or len(t.split()) > WORDS.max_label_words:
        return False
    if "?" in (label or "") or any(p.search(t) for p in WORDS.not_launcher):
        return False
    if t in WORDS.whole_labels:
        return True
    return any(p.search(t) for p in WORDS.launcher_phrases)


def is_bot_label(label: str) -> bool:
    """True when the label says the chat is a bot ("digital assistent", "chattbot", "AI")."""
    t = normalise_label(label)
    return any(p.search(t) for p in WORDS.bot_words)


# -- detection ------------------------------------------------------------------------


def _attribute(vendor_id: str, loaded: set[str]) -> str:
    """Apply `defer_to_if_loaded`: Humany's DOM hosts the Telia ACE chat, for example."""
    for other in VENDORS_BY_ID[vendor_id].defer_to_if_loaded:
        if other in loaded:
            return other
    return vendor_id


def _vendor_hit(vendor_id: str, key: int, text: str, selector: str) -> ChannelHit:
    kind = VENDORS_BY_ID[vendor_id].kind
    return ChannelHit(
        channel="chat",
        value=vendor_id,
        key=key,
        text=text or VENDORS_BY_ID[vendor_id].name,
        selector=selector,
        meta={"vendor": vendor_id, "kind": kind},
    )


def _generic_hit(label: str, key: int, selector: str, loaded: set[str]) -> ChannelHit:
    present = {_attribute(v, loaded) for v in loaded}  # Humany DOM + ACE script = one vendor
    vendor = next(iter(present)) if len(present) == 1 else None
    if is_bot_label(label) or (vendor is not None and VENDORS_BY_ID[vendor].kind == "bot"):
        kind = "bot"
    else:
        kind = "human"
    return ChannelHit(
        channel="chat",
        value=vendor or "",
        key=key,
        text=label,
        selector=selector,
        meta={"vendor": vendor, "kind": kind},
    )


def detect(state: PageState, ctx: DetectContext) -> list[ChannelHit]:
    """Every visible chat launcher in the state, one hit per element.

    Order: vendor launchers (DOM matches, then iframes), then generic chat buttons/links.
    """
    del ctx  # chat does not depend on region or language: the word lists cover all six
    loaded = loaded_vendors(state)
    hits: list[ChannelHit] = []
    seen: set[int] = set()

    def add(hit: ChannelHit) -> None:
        if hit.key not in seen:
            seen.add(hit.key)
            hits.append(hit)

    # 1. A visible element matching a vendor's launcher selector (shadow roots searched).
    for m in state.dom_matches:
        vid = vendor_of_selector(m.selector)
        if vid and m.visible:
            add(_vendor_hit(_attribute(vid, loaded), m.key, m.text.strip(), m.selector))

    # 2. A visible iframe matching a vendor's frame pattern; or a visible floating iframe
    #    titled like a chat when exactly one vendor is loaded (the vendor's own DOM names
    #    change between versions, its chat frame stays a fixed, titled iframe).
    for f in state.frames:
        if not f.visible:
            continue
        vid = vendor_of_frame(f)
        if vid is None and f.fixed and len(loaded) == 1:
            names = " ".join(x for x in (f.title, f.name, f.elem_id) if x)
            if names and WORDS.chat_frame_words.search(names):
                vid = next(iter(loaded))
        if vid:
            label = f.title or f.name or f.elem_id or (f.text or "")[:80]
            add(_vendor_hit(_attribute(vid, loaded), f.key, label, f.selector))
        elif f.text and offers_chat(f.text):
            add(_generic_hit(f.text, f.key, f.selector, loaded))

    # 3. A visible button or link whose text offers chat.
    for c in state.controls:
        if offers_chat(c.text):
            add(_generic_hit(c.text.strip(), c.key, c.selector, loaded))
    for lk in state.links:
        if offers_chat(lk.text):
            add(_generic_hit(lk.text.strip(), lk.key, lk.selector, loaded))
    return hits


def vendor_name(vendor_id: str) -> str:
    """Human-readable vendor name for reports ("" when unknown)."""
    v = VENDORS_BY_ID.get(vendor_id)
    return v.name if v else ""


__all__ = [
    "LAUNCHER_SELECTORS",
    "VENDORS",
    "VENDOR_GLOBALS",
    "ChatVendor",
    "detect",
    "is_bot_label",
    "loaded_vendors",
    "offers_chat",
    "vendor_name",
    "vendor_of_frame",
    "vendor_of_selector",
]
