"""The findings catalogue: what each finding id means, in words, and which rule it points to.

A finding is something the audit noticed that makes a human harder (or, for the one
positive id, easier) to reach: a premium-rate number, contact details behind a login, a
help link that moves between pages. Detectors decide *whether* a finding applies; this
module only turns an id into the `Finding` the result document carries (severity, a
one-line message in the report's language, and references to the rules it relates to).

The texts and rules are data, in one file, ``checks/data/findings.json`` (schema:
``checks/data/findings.schema.json``), so wording can be reviewed and translated without
touching code. Every rule's facts and URL come from the project's research note
(``../shared/reference/regulation.md``); where that note marks a point unverified, the
rule carries a ``note`` saying so. The penalty of each finding is not here: it lives in the
scoring profile (``auditor/profiles/*.toml``), which prices every id of this catalogue.

**Not legal advice.** The tool points at risks in how a website presents its contact
channels. Whether a site meets a rule is for the competent authority or court to decide,
weighing all the channels the company offers (see CJEU C-649/17); several rules apply
only to some businesses (the DSA to intermediary services, the Accessibility Act to
services in its scope). The catalogue's ``notice`` says this in every report language.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from auditor.result import SEVERITIES, Evidence, Finding

__all__ = [
    "LANGUAGES",
    "Catalogue",
    "CatalogueError",
    "FindingEntry",
    "Rule",
    "load_catalogue",
    "parse_catalogue",
]

#: Report languages every text exists in (findings.schema.json requires both).
LANGUAGES = ("en", "sv")
#: Text fields of a finding that are templates; explanation and recommendation are not.
TEMPLATE_FIELDS = ("title", "message")
TEXT_FIELDS = ("title", "message", "explanation", "recommendation")
_PLACEHOLDER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogueError(ValueError):
    """findings.json is inconsistent (a dangling rule id, an undeclared placeholder), or a
    caller asked for a message without the placeholders it needs."""


@dataclass(frozen=True)
class Rule:
    """A law, judgment, standard or guidance a finding relates to."""

    id: str
    title: str
    url: str  # https; the issuer's own text where official_text is true
    kind: str  # legislation | case_law | standard | guidance | reference
    official_text: bool
    summary: Mapping[str, str]  # lang -> one sentence on what it requires
    note: Mapping[str, str] | None = None  # lang -> scope or caveat

    def reference(self) -> dict[str, str]:
        """The ``{id, title, url}`` a `Finding` carries in its ``rules``."""
        return {"id": self.id, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class FindingEntry:
    """One catalogue entry: everything about a finding id except whether it applies."""

    id: str
    severity: str  # one of auditor.result.SEVERITIES
    placeholders: tuple[str, ...]  # names the title/message templates take
    title: Mapping[str, str]  # lang -> template
    message: Mapping[str, str]  # lang -> template, one line
    explanation: Mapping[str, str]  # lang -> plain-language why it matters
    recommendation: Mapping[str, str]  # lang -> what to change
    rules: tuple[Rule, ...]

    def render(self, field: str, lang: str = "en", **placeholders: object) -> str:
        """The text of ``field`` in ``lang``, templates filled with ``placeholders``."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"unknown text field {field!r} (fields: {', '.join(TEXT_FIELDS)})")
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r} (languages: {', '.join(LANGUAGES)})")
        template: str = getattr(self, field)[lang]
        if field not in TEMPLATE_FIELDS:
            return template
        unknown = sorted(set(placeholders) - set(self.placeholders))
        if unknown:
            raise CatalogueError(
                f"{self.id}: unknown placeholder(s) {unknown} (takes: {list(self.placeholders)})"
            )
        needed = _fields(template)
        missing = sorted(needed - set(placeholders))
        if missing:
            raise CatalogueError(f"{self.id}: {field} needs placeholder(s) {missing}")
        return template.format_map({name: str(placeholders[name]) for name in needed})


class Catalogue:
    """All finding entries and rules, read-only. Get it with `load_catalogue()`."""

    def __init__(
        self,
        entries: Mapping[str, FindingEntry],
        rules: Mapping[str, Rule],
        notice: Mapping[str, str],
    ) -> None:
        self._entries = MappingProxyType(dict(entries))
        self._rules = MappingProxyType(dict(rules))
        self._notice = MappingProxyType(dict(notice))

    def ids(self) -> tuple[str, ...]:
        """Every finding id, in catalogue order."""
        return tuple(self._entries)

    def entry(self, finding_id: str) -> FindingEntry:
        try:
            return self._entries[finding_id]
        except KeyError:
            raise KeyError(f"unknown finding id {finding_id!r}") from None

    def rule(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise KeyError(f"unknown rule id {rule_id!r}") from None

    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in catalogue order."""
        return tuple(self._rules.values())

    def notice(self, lang: str = "en") -> str:
        """The "points at risks, not legal advice" notice for reports."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r} (languages: {', '.join(LANGUAGES)})")
        return self._notice[lang]

    def make(
        self,
        finding_id: str,
        lang: str = "en",
        evidence: Mapping[str, Any] | Evidence | None = None,
        **placeholders: object,
    ) -> Finding:
        """The `Finding` for ``finding_id``: severity, message in ``lang``, rule references.

        ``placeholders`` fill the message template (e.g. ``number="+46771252525"``); a
        missing or unknown one raises `CatalogueError`, since it is a detector bug.
        """
        entry = self.entry(finding_id)
        if isinstance(evidence, Evidence):
            evidence_dict: dict[str, Any] = evidence.to_dict()
        else:
            evidence_dict = dict(evidence or {})
        return Finding(
            id=entry.id,
            severity=entry.severity,
            message=entry.render("message", lang, **placeholders),
            evidence=evidence_dict,
            rules=tuple(rule.reference() for rule in entry.rules),
            title=entry.render("title", lang),
            explanation=entry.render("explanation", lang),
            recommendation=entry.render("recommendation", lang),
        )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The shipped catalogue (``checks/data/findings.json``), parsed once per process."""
    text = resources.files("checks").joinpath("data", "findings.json").read_text(encoding="utf-8")
    return parse_catalogue(json.loads(text))


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """A `Catalogue` from the decoded JSON, with the cross-checks a JSON Schema cannot make:
    rule ids resolve, templates use only declared placeholders and every message uses all
    of them. Field-level shape is the schema's job (checked by the tests)."""
    try:
        rules = {rule_id: _rule(rule_id, body) for rule_id, body in data["rules"].items()}
        entries = {
            finding_id: _entry(finding_id, body, rules)
            for finding_id, body in data["findings"].items()
        }
        notice = {lang: data["notice"][lang] for lang in LANGUAGES}
    except (KeyError, TypeError, AttributeError) as exc:
        raise CatalogueError(f"findings.json: malformed ({type(exc).__name__}: {exc})") from None
    return Catalogue(entries, rules, notice)


def _rule(rule_id: str, body: Mapping[str, Any]) -> Rule:
    note = body.get("note")
    return Rule(
        id=rule_id,
        title=body["title"],
        url=body["url"],
        kind=body["kind"],
        official_text=bool(body["official_text"]),
        summary=_texts(body["summary"]),
        note=_texts(note) if note is not None else None,
    )


def _entry(finding_id: str, body: Mapping[str, Any], rules: Mapping[str, Rule]) -> FindingEntry:
    severity = body["severity"]
    if severity not in SEVERITIES:
        raise CatalogueError(f"findings.json: {finding_id}: unknown severity {severity!r}")
    placeholders = tuple(body["placeholders"])
    for name in placeholders:
        if not _PLACEHOLDER_NAME.match(name):
            raise CatalogueError(f"findings.json: {finding_id}: bad placeholder name {name!r}")
    texts = {field: _texts(body[field]) for field in TEXT_FIELDS}
    for field in TEXT_FIELDS:
        for lang in LANGUAGES:
            used = _fields(texts[field][lang])
            where = f"findings.json: {finding_id}: {field}.{lang}"
            if field not in TEMPLATE_FIELDS and used:
                raise CatalogueError(f"{where}: is not a template but uses {sorted(used)}")
            if not used <= set(placeholders):
                raise CatalogueError(f"{where}: uses undeclared {sorted(used - set(placeholders))}")
            if field == "message" and used != set(placeholders):
                raise CatalogueError(f"{where}: must use every placeholder {list(placeholders)}")
    missing = [rule_id for rule_id in body["rules"] if rule_id not in rules]
    if missing:
        raise CatalogueError(f"findings.json: {finding_id}: unknown rule id(s) {missing}")
    return FindingEntry(
        id=finding_id,
        severity=severity,
        placeholders=placeholders,
        title=texts["title"],
        message=texts["message"],
        explanation=texts["explanation"],
        recommendation=texts["recommendation"],
        rules=tuple(rules[rule_id] for rule_id in body["rules"]),
    )


def _texts(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({lang: value[lang] for lang in LANGUAGES})


def _fields(template: str) -> set[str]:
    """Placeholder names in a ``str.format`` template; only plain ``{name}`` is allowed."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # an unmatched brace
        raise CatalogueError(f"bad template {template!r}: {exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _PLACEHOLDER_NAME.match(name) or spec or conversion:
            raise CatalogueError(
                f"bad placeholder {{{name}}} in {template!r}: use a plain {{name}}"
            )
        names.add(name)
    return names
