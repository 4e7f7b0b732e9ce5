"""Reporters: pure functions from a saved result document to the bytes of a report.

A renderer takes the result document as the plain dict written to JSON (spec section 5,
`auditor/result.py`) and a `RenderOptions`, and returns bytes. It never writes a file,
prints, reads the clock or the environment: only the CLI opens files, writes to stdout and
chooses the exit code. The one read a renderer may do is the screenshot files named in the
document when `RenderOptions.embed_screenshots` asks for them to be inlined.

Rendering the same document twice gives the same bytes: the only time in a report is the
document's own `generated_at`, and every list is in document order or a stable sort.

Page text (labels, evidence, messages, site names, URLs) is hostile input. Every renderer
passes it through `clean_text` (drops characters that are illegal in XML 1.0 or are
control characters) and then escapes it for its own format: jinja2 autoescape for HTML,
formula neutralising for CSV, xml.etree for JUnit, backslash escapes for Markdown, rich
`Text` (never markup) for the terminal.

Renderers are picked by name from `RENDERERS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.result import CHANNELS, SCHEMA, SEVERITIES

__all__ = [
    "CHANNELS",
    "RENDERERS",
    "SEVERITIES",
    "RenderOptions",
    "clean_text",
    "render_json",
    "severity_rank",
    "site_label",
    "sorted_findings",
    "worst_finding",
]

LANGS = ("en", "sv")


@dataclass(frozen=True)
class RenderOptions:
    """How to render; the same for every reporter, each uses what applies to it."""

    lang: str = "en"  # "en" | "sv": language of the report's own words (page text is as found)
    junit_min_severity: str = "high"  # JUnit: a finding at or above this severity fails
    fail_under: int | None = None  # JUnit: a score below this fails; None = no score gate
    embed_screenshots: bool = False  # HTML: inline screenshots as data: URIs
    report_dir: str | Path | None = None  # where screenshot paths are resolved from

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {self.lang!r}")
        if self.junit_min_severity not in SEVERITIES:
            raise ValueError(
                f"junit_min_severity must be one of {SEVERITIES}, not {self.junit_min_severity!r}"
            )


# --- reading the document -------------------------------------------------------------

# Characters outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets), plus
# DEL and the C1 controls, which HTML treats as parse errors and terminals as escapes.
# Tab, LF and CR stay: renderers that need one line fold them themselves.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """`value` as text with control and XML-illegal characters removed; None is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _UNPRINTABLE.sub("", str(value))


def one_line(value: Any) -> str:
    """`clean_text` with runs of whitespace (newlines, tabs) folded to one space."""
    return " ".join(clean_text(value).split())


def localized(value: Any, lang: str) -> str:
    """Text that may be given per language (`{"en": ..., "sv": ...}`) in `lang`.

    Falls back to English, then to the first language given; plain text is returned as it
    is. For finding fields such as `explanation` and `recommendation`.
    """
    if isinstance(value, dict):
        for key in (lang, "en"):
            if isinstance(value.get(key), str):
                return clean_text(value[key])
        texts = [v for v in value.values() if isinstance(v, str)]
        return clean_text(texts[0]) if texts else ""
    return clean_text(value)


def check_document(doc: Any) -> None:
    """Raise unless `doc` is a result document this version can render.

    TypeError when it is not a JSON object at all, ValueError for another schema.
    """
    if not isinstance(doc, dict):
        raise TypeError("a result document is a JSON object")
    if doc.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} result document (schema: {doc.get('schema')!r})")


def sites(doc: dict) -> list[dict]:
    """The site results of a document, in document order."""
    return [s for s in doc.get("sites") or () if isinstance(s, dict)]


def site_label(site: dict) -> str:
    """What a person calls the site: its name when known, else its URL."""
    return one_line(site.get("name") or site.get("url") or "")


def channel_result(site: dict, name: str) -> dict | None:
    """The channel's result, or None when it is unknown (an error site measured nothing)."""
    if site.get("status") == "error":
        return None
    channels = site.get("channels") or {}
    result = channels.get(name)
    return result if isinstance(result, dict) else None


def severity_rank(severity: Any) -> int:
    """0 for info up to 4 for critical; -1 for anything unknown (never fails a gate)."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        return -1


def sorted_findings(site: dict) -> list[dict]:
    """The site's findings, most severe first; equal severities keep document order."""
    findings = [f for f in site.get("findings") or () if isinstance(f, dict)]
    return sorted(findings, key=lambda f: -severity_rank(f.get("severity")))


def worst_finding(site: dict) -> dict | None:
    """The most severe finding (the first of equals), or None."""
    findings = sorted_findings(site)
    return findings[0] if findings else None


def score_sort_key(site: dict) -> tuple:
    """League order: best score first, unscored sites last, then by label and device."""
    score = site.get("score")
    value = (
        float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None
    )
    return (
        0 if value is not None else 1,
        -(value or 0.0),
        site_label(site).casefold(),
        clean_text(site.get("device")),
    )


# --- the JSON reporter ----------------------------------------------------------------


def render_json(doc: dict, options: RenderOptions) -> bytes:
    """The document itself, pretty-printed as UTF-8 JSON with a final newline.

    Keys keep the document's order (the models write them in a fixed order), so the same
    document gives the same bytes. Text that cannot be UTF-8 (a lone surrogate read from
    a `\\ud800` escape) falls back to ASCII escapes, which round-trip exactly.
    """
    check_document(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(doc, ensure_ascii=True, indent=2) + "\n").encode("ascii")


# The renderers import RenderOptions and the readers above, so they are imported after them.
from reports.csv_report import render_csv
from reports.html import render_html
from reports.junit import render_junit
from reports.markdown import render_markdown

RENDERERS: dict[str, Callable[[dict, RenderOptions], bytes]] = {
    "json": render_json,
    "html": render_html,
    "csv": render_csv,
    "markdown": render_markdown,
    "junit": render_junit,
}
