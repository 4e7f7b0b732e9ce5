"""E-mail detector: which e-mail addresses can a visitor read in one page state?

Spec section 3: an e-mail channel is *found* when an address is in the visible rendered
text or a visible ``mailto:`` link is present (a "Mejla oss" link counts: the value comes
from its href). Human-readable obfuscation counts ("kundservice [at] acme.se",
"name(at)domain(dot)se", "info snabel-a acme.se"), and so does Cloudflare's e-mail
protection: the page shows "[email protected]" but a person sees the address once the
decoder runs, so ``state.cf_emails`` is decoded here (`decode_cfemail`).

What does not count: example addresses in form hints ("t.ex. namn@exempel.se",
"e.g. you@example.com"; spec section 3), addresses on reserved example domains, and file
names that look like addresses ("logo@2x.png"). Those rules are data, in
``checks/data/email_rules.json``. Placeholders and attribute values never reach a
`PageState` at all. Any syntactically valid top-level domain made of letters counts: the
evaluation corpus uses ``.test`` for real site addresses.

Values are lower-cased. One hit per (value, element); ``meta["source"]`` is "text",
"alt", "mailto" or "cfemail", and ``meta["obfuscated"]`` says whether the address was
written with [at]/(dot) words.
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

from auditor.page_state import PageState
from checks.base import ChannelHit, DetectContext

__all__ = ["decode_cfemail", "detect", "find_addresses"]

#: How many characters before an address are searched for a hint word ("t.ex."). The
#: hint must stand right before the address (only spaces, colons, quotes and opening
#: brackets in between), so "Mejla oss, till exempel om fakturor, på x@acme.se" still counts.
HINT_LOOKBACK_CHARS = 40

_ALNUM = r"[^\W_]"
_LABEL = rf"{_ALNUM}(?:(?:{_ALNUM}|-){{0,61}}{_ALNUM})?"
#: RFC 5321 allows 64 characters in the local part; quoted local parts are left out
#: (nobody writes them on a contact page).
_LOCAL = r"[\w%+\-](?:[\w.%+\-]{0,62}[\w%+\-])?"
#: A top-level domain of letters (2-24, the longest common TLDs), so ".test" counts and
#: "name@host.123" does not.
_TLD = r"[^\W\d_]{2,24}"
_ADDRESS = rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.{_TLD}"

_PLAIN = re.compile(rf"(?<![\w.%+\-]){_ADDRESS}(?![\w\-]|\.{_ALNUM})")
_FULL = re.compile(rf"{_ADDRESS}")


@dataclass(frozen=True)
class EmailRules:
    """`email_rules.json`, compiled."""

    example_domains: frozenset[str]
    example_tlds: frozenset[str]
    placeholder_locals: frozenset[str]
    hint_before: re.Pattern[str]
    obfuscated: re.Pattern[str]
    dot_token: re.Pattern[str]
    file_extensions: frozenset[str]


def _alternation(words: Iterable[str]) -> str:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        parts.append(r"\s*".join(re.escape(piece) for piece in word.split()))
    return "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=1)
def load_rules() -> EmailRules:
    """Load and compile ``checks/data/email_rules.json`` (once per process)."""
    raw: dict[str, Any] = json.loads(
        resources.files("checks").joinpath("data/email_rules.json").read_text("utf-8")
    )
    hints = [w for words in raw["hint_words"].values() for w in words]
    hint_before = re.compile(
        rf"(?<![^\W_]){_alternation(hints)}[\s:\"'«»“”„(\[]*$", re.IGNORECASE
    )
    opening, closing = r"[\[\(\{<]", r"[\]\)\}>]"
    at_bracketed = rf"\s*{opening}\s*{_alternation(raw['at_tokens'])}\s*{closing}\s*"
    at_spaced = rf"\s+{_alternation(raw['spaced_at_words'])}\s+"
    dot_bracketed = rf"\s*{opening}\s*{_alternation(raw['dot_tokens'])}\s*{closing}\s*"
    obfuscated = re.compile(
        rf"(?<![\w.%+\-])(?P<local>{_LOCAL})(?P<at>{at_bracketed}|{at_spaced})"
        rf"(?P<domain>{_LABEL}(?:(?:{dot_bracketed}|\.){_LABEL})+)(?![\w\-])",
        re.IGNORECASE,
    )
    return EmailRules(
        example_domains=frozenset(d.lower() for d in raw["example_domains"]),
        example_tlds=frozenset(t.lower() for t in raw["example_tlds"]),
        placeholder_locals=frozenset(p.lower() for p in raw["placeholder_local_parts"]),
        hint_before=hint_before,
        obfuscated=obfuscated,
        dot_token=re.compile(dot_bracketed, re.IGNORECASE),
        file_extensions=frozenset(e.lower() for e in raw["file_extensions"]),
    )


# --------------------------------------------------------------------------- decoding


def decode_cfemail(encoded: str) -> str:
    """Decode Cloudflare's e-mail protection (``data-cfemail`` or the fragment of a
    ``/cdn-cgi/l/email-protection#...`` link).

    The hex string's first byte is the key; every following byte XOR the key is one byte
    of the UTF-8 address. Raises ValueError when `encoded` is not such a string."""
    text = encoded.strip()
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    if len(text) < 4 or len(text) % 2 or not re.fullmatch(r"[0-9a-fA-F]+", text):
        raise ValueError(f"not a Cloudflare e-mail code: {encoded!r}")
    data = bytes.fromhex(text)
    key = data[0]
    return bytes(b ^ key for b in data[1:]).decode("utf-8")


# --------------------------------------------------------------------------- filters


def _is_file_name(address: str, rules: EmailRules) -> bool:
    domain = address.rsplit("@", 1)[1].lower()
    labels = domain.split(".")
    return labels[-1] in rules.file_extensions or bool(re.fullmatch(r"\d+(?:\.\d+)?x", labels[0]))


def is_example_address(address: str, rules: EmailRules | None = None) -> bool:
    """True for addresses that only ever appear as examples (reserved or translated
    example domains, placeholder local parts such as "namn@" or "you@")."""
    rules = rules or load_rules()
    local, _, domain = address.lower().rpartition("@")
    labels = domain.split(".")
    if labels[-1] in rules.example_tlds or "example" in labels[:-1]:
        return True
    if any(domain == d or domain.endswith("." + d) for d in rules.example_domains):
        return True
    return local in rules.placeholder_locals


def _after_hint(text: str, start: int, rules: EmailRules) -> bool:
    return bool(rules.hint_before.search(text[max(0, start - HINT_LOOKBACK_CHARS):start]))


def find_addresses(text: str, rules: EmailRules | None = None) -> list[tuple[str, str, bool]]:
    """(lower-cased address, raw text, obfuscated) for every contact address in `text`,
    in reading order, leaving out examples and file names."""
    rules = rules or load_rules()
    found: list[tuple[int, str, str, bool]] = []
    taken: list[tuple[int, int]] = []
    for m in _PLAIN.finditer(text):
        taken.append((m.start(), m.end()))
        address = m.group(0)
        if _is_file_name(address, rules) or is_example_address(address, rules):
            continue
        if _after_hint(text, m.start(), rules):
            continue
        found.append((m.start(), address.lower(), address, False))
    for m in rules.obfuscated.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        domain = re.sub(r"\s+", "", rules.dot_token.sub(".", m.group("domain")))
        address = m.group("local") + "@" + domain
        if not _FULL.fullmatch(address):
            continue
        if _is_file_name(address, rules) or is_example_address(address, rules):
            continue
        if _after_hint(text, m.start(), rules):
            continue
        found.append((m.start(), address.lower(), m.group(0).strip(), True))
    found.sort(key=lambda item: item[0])
    return [(value, raw, obf) for _, value, raw, obf in found]


def _mailto_addresses(href: str) -> list[str]:
    body = href.strip()[len("mailto:"):].lstrip("/")
    body = unquote(body.split("?", 1)[0])
    out = []
    for part in re.split(r"[,;]", body):
        part = part.strip()
        if _FULL.fullmatch(part):
            out.append(part)
    return out


# --------------------------------------------------------------------------- public API


def detect(state: PageState, ctx: DetectContext) -> list[ChannelHit]:
    """Every e-mail address a visitor can perceive in `state`, one hit per (value,
    element): visible text and alt text, visible ``mailto:`` links and Cloudflare-
    protected addresses."""
    rules = load_rules()
    hits: list[ChannelHit] = []
    seen: set[tuple[str, int]] = set()

    def add(value: str, key: int, text: str, selector: str, source: str, obfuscated: bool) -> None:
        if (value, key) in seen:
            return
        seen.add((value, key))
        hits.append(
            ChannelHit(
                channel="email",
                value=value,
                key=key,
                text=text,
                selector=selector,
                meta={"source": source, "obfuscated": obfuscated},
            )
        )

    for block in state.blocks:
        if not block.text:
            continue
        source = "alt" if block.source == "alt" else "text"
        for value, raw, obfuscated in find_addresses(block.text, rules):
            add(value, block.key, raw, block.selector, source, obfuscated)

    for link in state.links:
        if not link.href.strip().lower().startswith("mailto:"):
            continue
        for address in _mailto_addresses(link.href):
            if _is_file_name(address, rules) or is_example_address(address, rules):
                continue
            add(address.lower(), link.key, link.text or address, link.selector, "mailto", False)

    for protected in state.cf_emails:
        try:
            address = decode_cfemail(protected.encoded).strip()
        except (ValueError, UnicodeDecodeError):
            continue
        if not _FULL.fullmatch(address) or is_example_address(address, rules):
            continue
        add(address.lower(), protected.key, address, protected.selector, "cfemail", True)
    return hits
