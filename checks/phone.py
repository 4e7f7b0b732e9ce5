"""Phone detector: which phone numbers can a visitor read in one page state?

Spec section 3: a phone channel is *found* when a valid number (libphonenumber-valid for
the site's region, or a valid short number such as Telia's "90 200") is in the visible
text, in an image's alt text, or when a visible ``tel:`` link is present (a "Ring oss"
link without digits counts; its value comes from the href). This module only reads what
`PageState` calls visible: ``state.blocks`` (``source`` = "text" | "alt") and the
``tel:`` links in ``state.links``. JSON-LD, attributes, comments and hidden text never
reach it.

What does *not* count, even when libphonenumber accepts the digits (spec section 3,
reference/swedish-phone-formats.md section 3): opening hours ("08.00 - 19.00" is parsed
as +468001900 by the matcher), organisation and personal numbers, bankgiro/plusgiro,
dates, prices, postcodes, IBANs, clearing and Swish numbers, customer/order/article
numbers and numbers labelled fax. Those rules are data, in ``checks/data/phone_rules.json``:

- ``not_phone_patterns``: shapes that are never phone numbers; a candidate overlapping
  one is dropped;
- ``reject_labels``: words (per language) that, written just before a number, say what it
  is instead ("Fax:", "Org.nr", "Bankgiro", "Kundnummer" ...);
- ``cue_words``: words that announce a phone number ("Ring", "Tel", "Kundservice",
  "puhelin", "anrufen" ...). A *short* number in text is only read after one of them,
  because five-digit groups are far more often postcodes, prices or counts than phone
  numbers. The nearest label before a number decides: "Faxa eller ring 08-..." is a phone.

A block whose number opens it is labelled by the short block above ("Ring kundservice"
over a big "90 200", "<dt>Fax</dt><dd>..."); a digit glued to a letter (a ``<br>`` lost
between "010-456 78 90" and "Vardagar") is read as if a space stood between them.

Values are E.164 (``+46771607080``); short numbers are digits only (``90200``). The hit's
``meta`` says ``number_type`` (libphonenumber type name, or for short numbers the
expected cost mapped to TOLL_FREE / PREMIUM_RATE / SHORT_STANDARD / SHORT_UNKNOWN),
``short`` and ``source`` ("text", "alt" or "tel").

`classify_cost` maps a value to the cost class findings use (free, normal, shared_cost,
premium, unknown), from the cost table in reference/swedish-phone-formats.md section 2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

import phonenumbers
from phonenumbers import (
    Leniency,
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberMatcher,
    PhoneNumberType,
    shortnumberinfo,
)
from phonenumbers.shortnumberinfo import ShortNumberCost

from auditor.page_state import Link, PageState, TextBlock
from checks.base import ChannelHit, DetectContext

__all__ = ["COST_CLASSES", "classify_cost", "detect"]

#: The cost classes `classify_cost` returns (reference/swedish-phone-formats.md sec. 2).
COST_CLASSES = ("free", "normal", "shared_cost", "premium", "unknown")

#: How far before a number (characters) a label word may stand and still describe it.
#: "Kontakta kundservice på telefonnummer 90 222" puts the cue 37 characters before the
#: digits (Tele2, reference/swedish-contact-pages.md); 40 covers such sentences without
#: reaching back into the previous clause.
LABEL_WINDOW_CHARS = 40

#: A block that *starts* with a number (a big "90 200" under the heading "Ring
#: kundservice", a <dd> after a <dt>Fax</dt>) is described by the previous block when that
#: one is a short label. Longest previous block still read as such a label, in characters.
PREVIOUS_BLOCK_LABEL_CHARS = 60

#: Characters that end a clause: a label before one of them does not describe a number
#: after it ("Org.nr 556677-8899 · Tel 08-..."). A full stop ends a clause only when a
#: capital letter follows, so that "tel. 0200 19000" keeps its cue. A line break (<br>)
#: is not one: "Ring oss<br>90 200" and "Fax:<br>060-..." label the next line.
_CLAUSE_END = re.compile(r"[·•|;\t]|[!?](?=\s)|\.(?=[ \t\u00a0]+[A-ZÅÄÖÆØÜ])")

#: Short-number candidates: 3-6 digits, or two groups of 2-3 digits ("90 200",
#: "118 118"), not glued to other digits, signs or letters.
_SHORT_CANDIDATE = re.compile(
    r"(?<![\w+\-\u2010-\u2015/])(?<!\d[.,:\s])"
    r"(?:\d{2,3}[ \u00a0]\d{2,3}|\d{3,6})"
    r"(?![\w\-\u2010-\u2015/]|[.,:]\d|[ \u00a0]\d)"
)

#: What the matcher returns for an opening-hours range ("08.00 - 19.00", "09:00-17:00").
_TIME_RANGE_RAW = re.compile(
    r"^\s*(?:[01]?\d|2[0-4])[.:][0-5]\d\s*[-\u2010-\u2015\u2212]?\s*(?:[01]?\d|2[0-4])[.:][0-5]\d\s*$"
)

#: What joins two labels or two numbers of one list: "Telefon/fax", "90 200 eller 90 222".
_JOINER = re.compile(r"\s*(?:[/&+,]|och|and|og|und|ja|tai|eller|or|oder|el\.)?\s*", re.IGNORECASE)

#: A digit glued to a letter ("010-456 78 90Vardagar" when a <br> joined two lines):
#: a space is put between them before matching, as a reader would see a line break.
_GLUED = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")

_TYPE_NAMES: dict[int, str] = {
    getattr(PhoneNumberType, name): name
    for name in dir(PhoneNumberType)
    if name.isupper() and isinstance(getattr(PhoneNumberType, name), int)
}

#: meta["number_type"] for short numbers, from libphonenumber's expected cost.
_SHORT_TYPE_NAMES: dict[int, str] = {
    ShortNumberCost.TOLL_FREE: "TOLL_FREE",
    ShortNumberCost.PREMIUM_RATE: "PREMIUM_RATE",
    ShortNumberCost.STANDARD_RATE: "SHORT_STANDARD",
    ShortNumberCost.UNKNOWN_COST: "SHORT_UNKNOWN",
}

_SHORT_COST_NAMES: dict[int, str] = {
    ShortNumberCost.TOLL_FREE: "TOLL_FREE",
    ShortNumberCost.PREMIUM_RATE: "PREMIUM_RATE",
    ShortNumberCost.STANDARD_RATE: "STANDARD_RATE",
    ShortNumberCost.UNKNOWN_COST: "UNKNOWN_COST",
}


# --------------------------------------------------------------------------- rules data


@dataclass(frozen=True)
class PhoneRules:
    """`phone_rules.json`, compiled."""

    reject_label: re.Pattern[str]
    cue_word: re.Pattern[str]
    not_phone: tuple[tuple[str, re.Pattern[str]], ...]
    exclude_emergency: bool
    cost_prefixes: dict[str, dict[str, dict[str, str]]]
    type_cost: dict[str, str]
    short_cost: dict[str, str]


def _label_regex(words: Iterable[str]) -> str:
    """One alternation for label words: whole words, case-insensitive, with '.', '-' and
    spaces between the parts optional; a trailing '*' makes the word a prefix."""
    parts: list[str] = []
    for word in sorted(set(words), key=len, reverse=True):
        prefix = word.endswith("*")
        chunks = re.findall(r"[^\W_]+", word.rstrip("*"))
        if not chunks:
            continue
        body = r"[\s.\-]*".join(re.escape(c) for c in chunks)
        tail = "" if prefix else r"(?![^\W_])"
        parts.append(rf"(?<![^\W_]){body}\.?{tail}")
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"


@lru_cache(maxsize=1)
def load_rules() -> PhoneRules:
    """Load and compile ``checks/data/phone_rules.json`` (once per process)."""
    raw: dict[str, Any] = json.loads(
        resources.files("checks").joinpath("data/phone_rules.json").read_text("utf-8")
    )
    rejects = [w for words in raw["reject_labels"].values() for w in words]
    cues = [w for words in raw["cue_words"].values() for w in words]
    cost = {
        region: {kind: dict(table) for kind, table in tables.items() if kind in ("full", "short")}
        for region, tables in raw["cost_classes"].items()
        if region != "about"
    }
    return PhoneRules(
        reject_label=re.compile(_label_regex(rejects), re.IGNORECASE),
        cue_word=re.compile(_label_regex(cues), re.IGNORECASE),
        not_phone=tuple((p["name"], re.compile(p["pattern"])) for p in raw["not_phone_patterns"]),
        exclude_emergency=bool(raw.get("exclude_emergency_numbers", True)),
        cost_prefixes=cost,
        type_cost={k: v for k, v in raw["type_cost"].items() if k != "about"},
        short_cost={k: v for k, v in raw["short_cost"].items() if k != "about"},
    )


# --------------------------------------------------------------------------- text helpers


def _not_phone_spans(text: str, rules: PhoneRules) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), name)
        for name, pattern in rules.not_phone
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]


def _overlaps(start: int, end: int, spans: Iterable[tuple[Any, ...]]) -> bool:
    return any(s < end and start < e for s, e, *_ in spans)


def _window_before(text: str, start: int, barriers: Iterable[int]) -> str:
    """The text before `start` that can describe the number there: at most
    LABEL_WINDOW_CHARS, not past the end of a clause or of another number-like span."""
    lo = max(0, start - LABEL_WINDOW_CHARS)
    for b in barriers:
        if lo < b <= start:
            lo = b
    window = text[lo:start]
    ends = list(_CLAUSE_END.finditer(window))
    if ends:
        window = window[ends[-1].end():]
    # Only the line the number is on, unless it holds no words ("Fax:\n060-12 34 57").
    lines = re.split(r"[\r\n]+", window)
    if len(lines) > 1 and not _has_letters(lines[-1]):
        return lines[-2] + " " + lines[-1]
    return lines[-1]


def _has_letters(text: str) -> bool:
    return re.search(r"[^\W\d_]", text) is not None


def _nearest_label(window: str, rules: PhoneRules) -> str | None:
    """"reject", "cue" or None: which kind of label stands closest before the number.

    A reject label joined to a cue ("Telefon/fax", "Tel. och fax") describes a number
    that is both, so it is read as a phone."""
    found: list[tuple[int, int, int, str]] = []
    for kind, pattern in (("reject", rules.reject_label), ("cue", rules.cue_word)):
        for m in pattern.finditer(window):
            found.append((m.end(), m.end() - m.start(), m.start(), kind))
    if not found:
        return None
    # Latest end wins; on a tie (one label inside another) the longer one.
    found.sort()
    _end, _length, start, kind = found[-1]
    if kind == "reject":
        for p_end, _l, _s, p_kind in reversed(found[:-1]):
            if p_end <= start:
                if p_kind == "cue" and _JOINER.fullmatch(window[p_end:start]):
                    return "cue"
                break
    return kind


def _previous_label_text(blocks: tuple[TextBlock, ...], index: int) -> str:
    """The short text block just above block `index`, read as its label ("" if none).

    Only text blocks: alt texts are listed after all text blocks by the collector, so
    the block before one is not what a reader sees above it."""
    block = blocks[index]
    if index <= 0 or block.source != "text":
        return ""
    prev_block = blocks[index - 1]
    if prev_block.source != "text" or (prev_block.y and block.y and prev_block.y > block.y):
        return ""
    prev = prev_block.text.strip()
    if len(prev) > PREVIOUS_BLOCK_LABEL_CHARS:
        return ""
    ends = list(_CLAUSE_END.finditer(prev))
    prev = prev[ends[-1].end():] if ends else prev
    return re.split(r"[\r\n]+", prev)[-1]


def _context(text: str, start: int, barriers: Iterable[int], prev_label: str) -> str:
    window = _window_before(text, start, barriers)
    if not _has_letters(window):  # the number opens its block: read the label above
        window = prev_label + " " + window
    return window


def _fax_after(text: str, end: int, rules: PhoneRules) -> bool:
    """A parenthesised label right after the number: "08-123 45 67 (fax)"."""
    m = re.match(r"\s*\(([^()]{1,20})\)", text[end:])
    if not m:
        return False
    inner = m.group(1)
    return bool(rules.reject_label.search(inner)) and not rules.cue_word.search(inner)


# --------------------------------------------------------------------------- parsing


def _type_name(number: PhoneNumber) -> str:
    return _TYPE_NAMES.get(phonenumbers.number_type(number), "UNKNOWN")


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _short_number(digits: str, region: str, rules: PhoneRules) -> tuple[str, str] | None:
    """(digits, number_type) when `digits` is a valid short number of `region`."""
    try:
        parsed = phonenumbers.parse(digits, region)
    except NumberParseException:
        return None
    if not shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return None
    if rules.exclude_emergency and shortnumberinfo.is_emergency_number(digits, region):
        return None
    cost = shortnumberinfo.expected_cost_for_region(parsed, region)
    return digits, _SHORT_TYPE_NAMES.get(cost, "SHORT_UNKNOWN")


def _from_tel_href(href: str, region: str, rules: PhoneRules) -> tuple[str, str, bool] | None:
    """(value, number_type, short) for a ``tel:`` href, or None when it holds no number.

    A valid full number gives E.164; a valid short number its digits. A number that is
    merely *possible* (right length, wrong range) is still what the link dials, so it is
    reported too, with number_type UNKNOWN: the spec counts the visible link itself."""
    body = unquote(href.split(":", 1)[1] if ":" in href else href)
    body = re.split(r"[;?#]", body.lstrip("/"), maxsplit=1)[0].strip()
    digits = re.sub(r"[^\d+]", "", body)
    if not re.search(r"\d", digits):
        return None
    if not digits.startswith("+"):
        short = _short_number(digits, region, rules)
        if short is not None:
            return short[0], short[1], True
    try:
        parsed = phonenumbers.parse(body, region)
    except NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return _e164(parsed), _type_name(parsed), False
    if rules.exclude_emergency and shortnumberinfo.is_emergency_number(digits, region):
        return None
    if phonenumbers.is_possible_number(parsed):
        return _e164(parsed), "UNKNOWN", False
    return None


def _blank(text: str, spans: Iterable[tuple[int, int, Any]]) -> str:
    """`text` with every not-a-phone span replaced by "|" (same length), so that the
    matcher neither reads it nor joins it to a real number next to it
    ("0939-20 30 40 9,90 kr/min")."""
    chars = list(text)
    for start, end, *_ in spans:
        chars[start:end] = "|" * (end - start)
    return "".join(chars)


def _numbers_in_text(
    text: str, region: str, prev_label: str, rules: PhoneRules
) -> list[tuple[str, str, str, bool]]:
    """(value, raw text, number_type, short) for every phone number read in `text`."""
    text = _GLUED.sub(" ", text)
    spans = _not_phone_spans(text, rules)
    found: list[tuple[int, str, str, str, bool]] = []
    taken: list[tuple[int, int]] = []
    accepted_ends: list[int] = []

    try:
        full = list(PhoneNumberMatcher(_blank(text, spans), region, leniency=Leniency.VALID))
    except Exception:  # noqa: BLE001 - hostile page text must never crash an audit
        full = []
    barriers = sorted({e for _, e, _ in spans} | {m.end for m in full})
    for m in full:
        raw = text[m.start:m.end]
        taken.append((m.start, m.end))
        if _TIME_RANGE_RAW.match(raw):
            continue
        if _nearest_label(_context(text, m.start, barriers, prev_label), rules) == "reject":
            continue
        if _fax_after(text, m.end, rules):
            continue
        found.append((m.start, _e164(m.number), raw, _type_name(m.number), False))
        accepted_ends.append(m.end)

    for sm in _SHORT_CANDIDATE.finditer(text):
        if _overlaps(sm.start(), sm.end(), spans) or _overlaps(sm.start(), sm.end(), taken):
            continue
        digits = re.sub(r"\D", "", sm.group(0))
        short = _short_number(digits, region, rules)
        if short is None or _fax_after(text, sm.end(), rules):
            continue
        # One of a list: "Ring 118 118 eller 90 200".
        in_list = any(
            end <= sm.start() and _JOINER.fullmatch(text[end:sm.start()]) for end in accepted_ends
        )
        if not in_list:
            window = _context(text, sm.start(), barriers, prev_label)
            digit_ends = [d.end() for d in re.finditer(r"\d", window)]
            if digit_ends:  # another number stands between the cue and these digits
                window = window[digit_ends[-1]:]
            if _nearest_label(window, rules) != "cue":
                continue
        found.append((sm.start(), short[0], sm.group(0), short[1], True))
        accepted_ends.append(sm.end())
    found.sort(key=lambda item: item[0])
    return [(value, raw, ntype, short) for _, value, raw, ntype, short in found]


# --------------------------------------------------------------------------- public API


def detect(state: PageState, ctx: DetectContext) -> list[ChannelHit]:
    """Every phone number a visitor can perceive in `state`, one hit per (value, element).

    Reads the visible text blocks (text and alt text) and the visible ``tel:`` links.
    Numbers are read for ``ctx.region``; numbers written with a country code are read as
    such whatever the region."""
    rules = load_rules()
    region = (ctx.region or "SE").upper()
    hits: list[ChannelHit] = []
    seen: set[tuple[str, int]] = set()

    def add(value: str, key: int, text: str, selector: str, ntype: str, short: bool, source: str) -> None:
        if (value, key) in seen:
            return
        seen.add((value, key))
        hits.append(
            ChannelHit(
                channel="phone",
                value=value,
                key=key,
                text=text,
                selector=selector,
                meta={"number_type": ntype, "short": short, "source": source},
            )
        )

    for index, block in enumerate(state.blocks):
        if not block.text or not re.search(r"\d", block.text):
            continue
        source = "alt" if block.source == "alt" else "text"
        prev_label = _previous_label_text(state.blocks, index)
        for value, raw, ntype, short in _numbers_in_text(block.text, region, prev_label, rules):
            add(value, block.key, raw, block.selector, ntype, short, source)

    for link in state.links:
        if not _is_tel(link):
            continue
        parsed = _from_tel_href(link.href, region, rules)
        if parsed is None:
            continue
        value, ntype, short = parsed
        add(value, link.key, link.text, link.selector, ntype, short, "tel")
    return hits


def _is_tel(link: Link) -> bool:
    return link.href.strip().lower().startswith(("tel:", "callto:"))


def classify_cost(value: str, region: str) -> str:
    """Cost class of a detected phone value for a caller in `region`.

    `value` is what `detect` reports: E.164 for full numbers, digits for short numbers.
    Returns one of `COST_CLASSES`. Swedish ranges follow the table in
    reference/swedish-phone-formats.md section 2 (020 free, 077 shared cost, 0900/0939/
    0944/099 premium, 118xxx directory premium, 90xxx operator short numbers unknown);
    other regions fall back to the libphonenumber number type or short-number cost."""
    rules = load_rules()
    region = (region or "SE").upper()
    value = (value or "").strip()
    try:
        if value.startswith("+"):
            number = phonenumbers.parse(value, None)
            number_region = phonenumbers.region_code_for_number(number) or region
            nsn = phonenumbers.national_significant_number(number)
            table = rules.cost_prefixes.get(number_region, {}).get("full", {})
            by_prefix = _longest_prefix(nsn, table)
            if by_prefix is not None:
                return by_prefix
            if not phonenumbers.is_valid_number(number):
                return "unknown"
            return rules.type_cost.get(_type_name(number), "unknown")
        digits = re.sub(r"\D", "", value)
        if not digits:
            return "unknown"
        number = phonenumbers.parse(digits, region)
        if shortnumberinfo.is_valid_short_number_for_region(number, region):
            table = rules.cost_prefixes.get(region, {}).get("short", {})
            by_prefix = _longest_prefix(digits, table)
            if by_prefix is not None:
                return by_prefix
            cost = shortnumberinfo.expected_cost_for_region(number, region)
            return rules.short_cost.get(_SHORT_COST_NAMES.get(cost, "UNKNOWN_COST"), "unknown")
        if phonenumbers.is_valid_number(number):  # a national number passed without "+"
            return classify_cost(_e164(number), region)
    except NumberParseException:
        return "unknown"
    return "unknown"


def _longest_prefix(digits: str, table: dict[str, str]) -> str | None:
    best = max((p for p in table if digits.startswith(p)), key=len, default=None)
    return table[best] if best is not None else None
