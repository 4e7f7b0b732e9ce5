"""CSV report: one row per site and device, for spreadsheets and scripts.

Columns (fixed, in this order; the header row uses these names whatever the language):

    url, name, sector, device, status, error_kind, score, grade,
    phone_found, phone_clicks, phone_seconds, phone_human_seconds, phone_values,
    email_found, email_clicks, email_seconds, email_human_seconds, email_values,
    chat_found,  chat_clicks,  chat_seconds,  chat_human_seconds,  chat_values,
    form_found,  form_clicks,  form_seconds,  form_human_seconds,  form_values,
    chat_vendor, chat_kind, findings, pages_visited, duration_seconds, generated_at

- `*_found` is `true` or `false`; it is empty for an `error` site, whose channels were
  never measured (unknown is not "not found", spec section 5). Clicks and seconds are empty
  when the channel was not found.
- `*_values` and `findings` (finding ids) are joined by one space; values keep their
  document order (the value at the found state first).
- Numbers are written as in the JSON (decimal point), not per language: this file is data.
- Rows are in document order.

Format: RFC 4180 (comma, CRLF, double quotes when needed), UTF-8 with a byte order mark so
that Excel reads Swedish letters (å, ä, ö) right.

Formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, tab
or CR is prefixed with `'`, so a spreadsheet shows it as text instead of evaluating it.
This is applied to every cell, page text or not. Decision on phone values: E.164 numbers
start with `+`, so `+46771252525` is written `'+46771252525`. They are neutralised too,
because a spreadsheet would otherwise read them as a formula or a number (dropping the
`+` and the leading digits' meaning, or showing 4.68E+10), and because a prefix rule that
made an exception for "things that look like phone numbers" is a rule hostile text can
be shaped to pass. The value stays readable; strip one leading `'` to get E.164 back.
Control characters are removed from all text.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from reports import (
    CHANNELS,
    RenderOptions,
    channel_result,
    check_document,
    clean_text,
    sites,
)

CHANNEL_FIELDS = ("found", "clicks", "seconds", "human_seconds", "values")

COLUMNS: tuple[str, ...] = (
    ("url", "name", "sector", "device", "status", "error_kind", "score", "grade")
    + tuple(f"{c}_{f}" for c in CHANNELS for f in CHANNEL_FIELDS)
    + ("chat_vendor", "chat_kind", "findings", "pages_visited", "duration_seconds", "generated_at")
)

#: First characters a spreadsheet may treat as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """`cell` made safe to open in a spreadsheet: a formula-like start gets a `'`."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(clean_text(v) for v in value)
    return clean_text(value)


def site_row(site: dict, generated_at: str) -> dict[str, str]:
    """The CSV row for one site result, as column -> cell text (not yet neutralised)."""
    error = site.get("error") or {}
    row: dict[str, Any] = {
        "url": site.get("url"),
        "name": site.get("name"),
        "sector": site.get("sector"),
        "device": site.get("device"),
        "status": site.get("status"),
        "error_kind": error.get("kind") if isinstance(error, dict) else None,
        "score": site.get("score") if site.get("status") != "error" else None,
        "grade": site.get("grade") if site.get("status") != "error" else None,
        "findings": [f.get("id") for f in site.get("findings") or () if isinstance(f, dict)],
        "pages_visited": site.get("pages_visited"),
        "duration_seconds": site.get("duration_seconds"),
        "generated_at": generated_at,
    }
    for name in CHANNELS:
        result = channel_result(site, name)
        if result is None:
            continue  # unknown: all cells empty
        found = bool(result.get("found"))
        row[f"{name}_found"] = found
        if found:
            row[f"{name}_clicks"] = result.get("clicks")
            row[f"{name}_seconds"] = result.get("seconds")
            row[f"{name}_human_seconds"] = result.get("human_seconds")
        row[f"{name}_values"] = list(result.get("values") or ())
        if name == "chat" and found:
            row["chat_vendor"] = result.get("vendor")
            row["chat_kind"] = result.get("kind")
    return {col: _cell(row.get(col)) for col in COLUMNS}


def render_csv(doc: dict, options: RenderOptions) -> bytes:
    """The CSV report of `doc` as UTF-8 bytes with a BOM."""
    check_document(doc)
    generated_at = clean_text(doc.get("generated_at"))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for site in sites(doc):
        row = site_row(site, generated_at)
        writer.writerow([neutralise(row[col]) for col in COLUMNS])
    return out.getvalue().encode("utf-8-sig")
