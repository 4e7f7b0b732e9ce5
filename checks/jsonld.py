"""Machine-readable contact data: schema.org ``ContactPoint`` (and an organisation's own
``telephone``/``email``) in a page's JSON-LD.

Spec section 3: JSON-LD is *not* something a visitor perceives, so it never makes a
channel found; it is reported separately (the ``jsonld_contact_point`` finding) as
machine-readable contact data. This module only reads ``state.jsonld`` (the raw text of
each ``<script type="application/ld+json">``).

Shapes handled (schema.org, https://schema.org/ContactPoint and
https://schema.org/Organization): one object, a top-level list, an ``@graph``, nested
``contactPoint`` as an object or a list on Organization, LocalBusiness and their
subtypes (TravelAgency, GovernmentOrganization ...), and ``telephone``/``email``
directly on any typed node. Broken JSON is skipped; nothing here raises on page input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from auditor.page_state import PageState

__all__ = ["contact_points"]

#: Deepest nesting followed; real JSON-LD is a handful of levels, hostile input is not.
MAX_DEPTH = 32

#: ContactPoint properties copied into the report besides telephone/email/contactType.
_EXTRA_FIELDS = ("name", "areaServed", "availableLanguage", "hoursAvailable", "contactOption")


def _loads(raw: str) -> Any:
    """Parse one JSON-LD script body; tolerate HTML comment / CDATA wrappers, control
    characters inside strings and a trailing semicolon. None when it is not JSON."""
    text = raw.strip().lstrip("\ufeff")
    for candidate in (text, _unwrap(text)):
        try:
            return json.loads(candidate, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _unwrap(text: str) -> str:
    text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
    text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text)
    return text.strip().rstrip(";").strip()


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type", [])
    values = raw if isinstance(raw, list) else [raw]
    # "schema:ContactPoint" or "https://schema.org/ContactPoint" -> "ContactPoint"
    return [re.split(r"[/:#]", v)[-1] for v in values if isinstance(v, str) and v]


def _text(value: Any) -> str | None:
    """A property value as one string: strings stripped, lists joined with ", ",
    {"@value": ...} objects unwrapped; None when empty."""
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
    if isinstance(value, list):
        parts = [p for p in (_text(v) for v in value) if p]
        return ", ".join(parts) if parts else None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _email(value: Any) -> str | None:
    text = _text(value)
    if text and text.lower().startswith("mailto:"):
        text = text[len("mailto:"):].split("?", 1)[0].strip() or None
    return text


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value, depth + 1)


def contact_points(state: PageState) -> list[dict[str, Any]]:
    """Contact data in the page's JSON-LD, one dict per ContactPoint (or per typed node
    with its own telephone/email), in document order, duplicates removed.

    Each dict: ``type`` (the schema.org type, e.g. "ContactPoint", "Organization"),
    ``telephone``, ``email``, ``contactType`` (None when absent), ``url`` (the page), and
    ``name``/``areaServed``/``availableLanguage``/... when the node has them. Values are
    as written (not normalised): this is evidence, not a found channel."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in state.jsonld:
        if not isinstance(raw, str):
            continue
        data = _loads(raw)
        if data is None:
            continue
        for node in _walk(data):
            types = _types(node)
            if not types:
                continue
            is_contact_point = "ContactPoint" in types
            telephone = _text(node.get("telephone"))
            email = _email(node.get("email"))
            if not is_contact_point and not (telephone or email):
                continue
            if is_contact_point and not (telephone or email or node.get("url")):
                continue
            item: dict[str, Any] = {
                "type": "ContactPoint" if is_contact_point else types[0],
                "telephone": telephone,
                "email": email,
                "contactType": _text(node.get("contactType")),
                "url": state.url,
            }
            for name in _EXTRA_FIELDS:
                value = _text(node.get(name))
                if value:
                    item[name] = value
            if is_contact_point:
                target = _text(node.get("url"))
                if target:
                    item["target_url"] = target
            fingerprint = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if fingerprint not in seen:
                seen.add(fingerprint)
                out.append(item)
    return out
