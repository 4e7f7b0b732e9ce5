"""Contact vocabulary (checks/data/contact_words.json): which links and buttons a customer
looking for contact details reacts to, in sv, en, no, da, fi and de.

Matching is on whole words or phrases, case-insensitively, so "Kontakta oss", "Kundtjänst"
and "/kundservice/kontakt/" match while "ringsignaler" does not match "ring".
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

DATA = "data/contact_words.json"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return json.loads(resources.files("checks").joinpath(DATA).read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def _pattern(kind: str) -> re.Pattern[str]:
    entry = vocabulary()[kind]
    words: list[str] = []
    for lang, items in entry.items():
        if lang.startswith("_") or not isinstance(items, list):
            continue
        words.extend(items)
    words = sorted({w.lower() for w in words}, key=len, reverse=True)
    # Word start required. Word end free for words of six letters or more, so Swedish
    # compounds match ("kundservicesidan", "telefonnummer"); short words must end there
    # ("ring" is not "ringsignaler").
    alts = "|".join(re.escape(w) + ("" if len(w) >= 6 else r"(?!\w)") for w in words)
    return re.compile(rf"(?<![\w])(?:{alts})", re.I)


def matches(kind: str, text: str) -> bool:
    return bool(text) and bool(_pattern(kind).search(text.replace("-", " ").replace("_", " ")
                                                     if kind != "skip_controls" else text))


def login_gate_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    entry = vocabulary()["login_gate"]

    def rx(items: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(w) for w in sorted(items, key=len, reverse=True)), re.I)

    return rx(entry["login"]), rx(entry["contact"])


def skip_link(url: str) -> bool:
    low = url.lower()
    return any(p in low for p in vocabulary()["skip_links"]["patterns"])


def link_rank(text: str, url: str) -> int:
    """Order in which a mystery shopper tries links of one page: contact first, then help,
    then about-us pages, then the rest (spec/issue: contact words are tried first)."""
    path = re.sub(r"https?://[^/]+", "", url or "")
    if matches("contact", text) or matches("contact", path):
        return 0
    if matches("help", text) or matches("help", path):
        return 1
    if matches("about", text) or matches("about", path):
        return 2
    return 3
