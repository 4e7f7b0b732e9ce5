"""Cookie-consent dialogs: is one showing, and which button should the visitor press?

Spec section 1: when a consent dialog shows, the visitor answers it before anything else,
preferring "reject"/"only necessary", else "accept"; the answer is recorded, never counted
as a click. This module is the pure decision half of that: `plan_answer(state)` reads a
`PageState` and says what to click; the engine clicks and, when the plan only offers the
settings button, clicks it and calls `plan_answer` again on the new state (the reject of
many preference centres, OneTrust's for one, is only there).

How a dialog is recognised:

1. a known platform (CMP): a visible match of one of its container / centre / overlay /
   button selectors (`checks/data/consent_platforms.json`, written from
   `shared/reference/consent-platforms.md`);
2. an in-house banner: a visible control (`state.controls`, or a link whose href is "#" or
   `javascript:`) whose label is a consent button word, tied to a visible text that
   mentions cookies (kakor, samtycke, consent, evästeet, informasjonskapsler, ...): both in
   the `dialog` region; both under the same id-anchored element (their collector
   `selector` paths start at the same `tag#id`); the label inside the text of a cookie-text
   container match (generic selectors such as `[class*=cookie i]`, `[role=dialog]`; the
   collector keeps only the first 120 characters of a match's text, so this is a weak tie);
   or within `proximity_px` of a cookie text block. As the reference says, custom Swedish banners are built from
   `nth-child` chains without ids: match on button text, not only on vendor ids.

What is not a dialog: a cookie-policy link or "Cookieinställningar" in the footer (a
settings button alone never makes a dialog present), cookie text in the footer/nav.

Which button: reject always wins over accept ("Godkänn endast nödvändiga" is a reject).
"Spara"/"Save"/"Bekräfta mina val" is never a reject, except inside a preference centre
that has no reject button: saving with nothing ticked rejects, so the plan clicks it and
records "reject". `blocking` is a guess from what the state shows: a platform overlay, or
a visible `aria-modal="true"` element whose text mentions cookies.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.page_state import DomMatch, PageState

DATA_DIR = Path(__file__).resolve().parent / "data"
PLATFORMS_FILE = DATA_DIR / "consent_platforms.json"

#: Selector roles of a platform entry, in the order they are listed for the collector.
ROLES = ("container", "centre", "overlay", "reject", "accept", "settings", "save")
#: Roles whose visible match means a dialog is showing (a settings button alone does not:
#: OneTrust's `.ot-sdk-show-settings` footer link stays after consent).
PRESENCE_ROLES = frozenset({"container", "centre", "overlay", "reject", "accept", "save"})
#: Button kinds, in the order a label is tested: reject wins over everything, a save
#: ("Tillåt urval") before accept ("Tillåt alla"), settings before accept.
BUTTON_KINDS = ("reject", "save", "settings", "accept")
ANSWERS = ("reject", "accept")


@dataclass(frozen=True)
class ConsentPlatform:
    id: str
    name: str
    source: str
    script_patterns: tuple[re.Pattern[str], ...]
    globals: tuple[str, ...]
    selectors: dict[str, tuple[str, ...]]  # role -> selectors


@dataclass(frozen=True)
class ConsentPlan:
    """What to do about the consent dialog in one state.

    `click_key`: the reject / "only necessary" button (or, in a preference centre without
    one, the save button) to click; `None` when there is none in this state.
    `fallback_accept_key`: an accept button, for when there is no way to reject.
    `settings_key`: the "Inställningar"/"Anpassa"/"Manage preferences" button that opens
    the preference centre (never set inside a centre, so the engine cannot loop); when
    `click_key` is `None` the engine clicks this and plans again on the new state.
    `answer`: what clicking `click_key` records ("reject"), else "accept" (the fallback).
    """

    platform: str  # platform id, or "generic" for an in-house banner
    blocking: bool
    click_key: int | None
    fallback_accept_key: int | None
    settings_key: int | None
    answer: str  # "reject" | "accept"


@dataclass(frozen=True)
class _Limits:
    max_button_chars: int
    max_button_words: int
    max_container_chars: int
    min_consent_text_chars: int
    proximity_px: float


@dataclass(frozen=True)
class _Data:
    platforms: tuple[ConsentPlatform, ...]
    generic_containers: tuple[str, ...]
    modal_selectors: tuple[str, ...]
    limits: _Limits
    cookie_text: re.Pattern[str]
    skip_text_regions: frozenset[str]
    centre_category_words: re.Pattern[str]
    button_words: dict[str, tuple[re.Pattern[str], ...]]
    accept_whole_labels: frozenset[str]


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_label(text: str) -> str:
    """Lower case, NFKC, whitespace collapsed, punctuation/icons trimmed at both ends."""
    t = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    t = _SPACE.sub(" ", t).strip().lower()
    return _EDGE_PUNCT.sub("", t)


def load_data(path: Path = PLATFORMS_FILE) -> _Data:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    platforms = tuple(
        ConsentPlatform(
            id=p["id"],
            name=p["name"],
            source=p["source"],
            script_patterns=_compile(p["script_patterns"]),
            globals=tuple(p["globals"]),
            selectors={role: tuple(p.get(role, ())) for role in ROLES},
        )
        for p in raw["platforms"]
    )
    lim = raw["limits"]
    words = raw["words"]
    return _Data(
        platforms=platforms,
        generic_containers=tuple(raw["generic_containers"]),
        modal_selectors=tuple(raw["modal_selectors"]),
        limits=_Limits(
            max_button_chars=int(lim["max_button_chars"]),
            max_button_words=int(lim["max_button_words"]),
            max_container_chars=int(lim["max_container_chars"]),
            min_consent_text_chars=int(lim["min_consent_text_chars"]),
            proximity_px=float(lim["proximity_px"]),
        ),
        cookie_text=re.compile(raw["cookie_text"], re.IGNORECASE),
        skip_text_regions=frozenset(raw["skip_text_regions"]),
        centre_category_words=re.compile(raw["centre_category_words"], re.IGNORECASE),
        button_words={
            kind: _compile(p for lang in words[kind].values() for p in lang)
            for kind in BUTTON_KINDS
        },
        accept_whole_labels=frozenset(normalise_label(w) for w in words["accept_whole_labels"]),
    )


DATA: _Data = load_data()
PLATFORMS: tuple[ConsentPlatform, ...] = DATA.platforms

#: selector -> [(platform id, role)] for the platform selectors.
_SELECTOR_ROLES: dict[str, list[tuple[str, str]]] = {}
for _p in PLATFORMS:
    for _role in ROLES:
        for _sel in _p.selectors[_role]:
            _SELECTOR_ROLES.setdefault(_sel, []).append((_p.id, _role))
_GENERIC_CONTAINERS = frozenset(DATA.generic_containers)
_MODAL_SELECTORS = frozenset(DATA.modal_selectors)

#: Every selector the engine must ask the collector for (answered in `state.dom_matches`,
#: shadow roots searched): platform containers, centres, overlays and buttons, then the
#: generic banner containers and modal markers.
CONSENT_SELECTORS: list[str] = list(
    dict.fromkeys(
        [s for p in PLATFORMS for role in ROLES for s in p.selectors[role]]
        + list(DATA.generic_containers)
        + list(DATA.modal_selectors)
    )
)
#: Window globals of the platforms (optional: only used to name the platform of a banner
#: that is recognised by its text).
CONSENT_GLOBALS: list[str] = list(dict.fromkeys(g for p in PLATFORMS for g in p.globals))


def mentions_cookies(text: str) -> bool:
    """True when the text talks about cookies or consent, in sv/en/no/da/fi/de."""
    return bool(text) and bool(DATA.cookie_text.search(text))


def classify_button(text: str) -> str | None:
    """The kind of a consent button label: "reject", "save", "settings", "accept" or None.

    Tested in that order, so "Godkänn endast nödvändiga" is a reject and "Tillåt urval" a
    save. Long texts are not button labels.
    """
    t = normalise_label(text)
    lim = DATA.limits
    if not t or len(t) > lim.max_button_chars or len(t.split()) > lim.max_button_words:
        return None
    for kind in BUTTON_KINDS:
        if any(p.search(t) for p in DATA.button_words[kind]):
            return kind
    if t in DATA.accept_whole_labels:
        return "accept"
    return None


def loaded_platforms(state: PageState) -> set[str]:
    """Platforms whose script or global is on the page (shown or not)."""
    found: set[str] = set()
    for p in PLATFORMS:
        if any(pat.search(u) for pat in p.script_patterns for u in state.scripts) or any(
            g in state.globals for g in p.globals
        ):
            found.add(p.id)
    return found


@dataclass(frozen=True)
class _Button:
    key: int
    kind: str
    strength: int  # 3 platform selector, 2 same dialog, 1 inside a cookie container, 0 near


#: Id anchors that are the whole page rather than a banner (`body#start > div > button`).
_PAGE_ANCHOR_TAGS = frozenset({"html", "body", "main"})


def _anchor(selector: str) -> str:
    """The id-anchored root of a collector `cssPath` ("div#kakbanner > span > button" ->
    "div#kakbanner"), or "" when the path does not start at an id. Two elements with the
    same anchor sit inside the same element."""
    first = (selector or "").split(" > ", 1)[0].strip()
    if "#" not in first:
        return ""
    tag = first.split("#", 1)[0].split(".", 1)[0].lower()
    return "" if tag in _PAGE_ANCHOR_TAGS else first


def _clickables(state: PageState) -> list[tuple[int, str, str, float, str]]:
    """(key, label, region, y, selector) of controls and of links that act as buttons."""
    out = [(c.key, c.text, c.region, c.y, c.selector) for c in state.controls]
    for lk in state.links:
        h = (lk.href or "").strip().lower()
        if h.startswith("javascript:") or h.endswith("#") or h == "":
            out.append((lk.key, lk.text, lk.region, lk.y, lk.selector))
    return out


def _platform_matches(visible: list[DomMatch]) -> dict[str, dict[str, list[DomMatch]]]:
    found: dict[str, dict[str, list[DomMatch]]] = {}
    for m in visible:
        for pid, role in _SELECTOR_ROLES.get(m.selector, ()):
            found.setdefault(pid, {}).setdefault(role, []).append(m)
    return found


def plan_answer(state: PageState) -> ConsentPlan | None:
    """The plan for the consent dialog showing in `state`, or `None` when none shows."""
    lim = DATA.limits
    visible = [m for m in state.dom_matches if m.visible]

    # -- known platforms ------------------------------------------------------------------
    by_platform = _platform_matches(visible)
    present = {pid: roles for pid, roles in by_platform.items() if PRESENCE_ROLES & set(roles)}
    order = {p.id: i for i, p in enumerate(PLATFORMS)}
    platform: str | None = None
    roles: dict[str, list[DomMatch]] = {}
    if present:
        platform = max(
            present, key=lambda pid: (sum(len(v) for v in present[pid].values()), -order[pid])
        )
        roles = present[platform]

    # -- cookie texts the buttons of an in-house banner are tied to -------------------------
    texts = [
        b
        for b in state.blocks
        if b.region not in DATA.skip_text_regions
        and len(b.text.strip()) >= lim.min_consent_text_chars
        and mentions_cookies(b.text)
    ]
    containers = [
        m
        for m in visible
        if m.selector in _GENERIC_CONTAINERS
        and mentions_cookies(m.text)
        and len(m.text) <= lim.max_container_chars
    ]
    containers += [m for role in ("container", "centre") for m in roles.get(role, ())]
    container_texts = [normalise_label(m.text) for m in containers if m.text]
    text_anchors = {a for a in (_anchor(b.selector) for b in texts) if a}
    dialog_text = any(b.region == "dialog" for b in texts)

    buttons: list[_Button] = []
    platform_keys: set[int] = set()
    for kind in ("reject", "save", "settings", "accept"):
        for m in roles.get(kind, ()):
            buttons.append(_Button(m.key, kind, 3))
            platform_keys.add(m.key)
    for key, label, region, y, selector in _clickables(state):
        if key in platform_keys:
            continue
        kind = classify_button(label)
        if kind is None:
            continue
        norm = normalise_label(label)
        if region == "dialog" and dialog_text:
            strength = 2
        elif _anchor(selector) in text_anchors or (
            norm and any(norm in t for t in container_texts)
        ):
            strength = 1
        elif any(abs(b.y - y) <= lim.proximity_px for b in texts):
            strength = 0
        else:
            continue
        buttons.append(_Button(key, kind, strength))

    if platform is None and not any(b.kind != "settings" for b in buttons):
        return None

    def best(kind: str) -> int | None:
        cands = [b for b in buttons if b.kind == kind]
        return max(cands, key=lambda b: b.strength).key if cands else None

    # -- preference centre? ----------------------------------------------------------------
    in_centre = bool(roles.get("centre"))
    if not in_centre and best("save") is not None:
        corpus = " ".join([b.text for b in texts] + [m.text for m in containers])
        words = {w.lower() for w in DATA.centre_category_words.findall(corpus)}
        in_centre = len(words) >= 2

    click_key = best("reject")
    answer = "reject"
    if click_key is None and in_centre:
        click_key = best("save")  # nothing ticked + save = reject
    if click_key is None:
        answer = "accept"

    blocking = bool(roles.get("overlay")) or any(
        m.selector in _MODAL_SELECTORS and mentions_cookies(m.text) for m in visible
    )

    if platform is None:
        loaded = loaded_platforms(state)
        platform = next(iter(loaded)) if len(loaded) == 1 else "generic"

    return ConsentPlan(
        platform=platform,
        blocking=blocking,
        click_key=click_key,
        fallback_accept_key=best("accept"),
        settings_key=None if in_centre else best("settings"),
        answer=answer,
    )


def dialog_present(state: PageState) -> bool:
    """True when a consent dialog is visible in the state."""
    return plan_answer(state) is not None


__all__ = [
    "CONSENT_GLOBALS",
    "CONSENT_SELECTORS",
    "ConsentPlan",
    "classify_button",
    "dialog_present",
    "loaded_platforms",
    "mentions_cookies",
    "plan_answer",
]
