"""Markdown summary, small enough for a pull-request comment.

One table (a row per site and device: status, score, grade, clicks per channel, number of
findings), then the worst findings across all sites (at most `MAX_FINDINGS`, most severe
first, `info` left out), then one line naming the scoring profile and the tool.

Page text is escaped for GitHub-flavoured Markdown: `\\`, `|` and the inline markup
characters get a backslash, `&`, `<` and `>` become entities (so no HTML passes through),
newlines fold to spaces, and `@` is followed by a word joiner so a page cannot mention
(notify) a GitHub user from a comment. Long page text is cut to `MAX_TEXT` characters.
"""

from __future__ import annotations

from reports import (
    CHANNELS,
    RenderOptions,
    channel_result,
    check_document,
    localized,
    one_line,
    severity_rank,
    site_label,
    sites,
    sorted_findings,
)
from reports.words import t, term

MAX_FINDINGS = 10  # a PR comment is read in a glance
MAX_TEXT = 160  # characters of page text per cell
NOT_FOUND = "–"  # en dash, as in the terminal table

_BACKSLASHED = set("\\`*_[]|~$#!")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WORD_JOINER = "\u2060"


def escape(text: object, limit: int = MAX_TEXT) -> str:
    """`text` as inert Markdown on one line, cut to `limit` characters."""
    plain = one_line(text)
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    out = []
    for ch in plain:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        elif ch == "@":
            out.append("@" + _WORD_JOINER)
        else:
            out.append(ch)
    return "".join(out)


def _clicks_cell(site: dict, name: str) -> str:
    result = channel_result(site, name)
    if result is None:
        return ""
    if not result.get("found") or result.get("clicks") is None:
        return NOT_FOUND
    return escape(result.get("clicks"))


def render_markdown(doc: dict, options: RenderOptions) -> bytes:
    """The Markdown summary of `doc` as UTF-8 bytes."""
    check_document(doc)
    lang = options.lang
    site_list = sites(doc)
    several_devices = len({one_line(s.get("device")) for s in site_list}) > 1
    lines = [f"### {t(lang, 'report.title')}", ""]
    if not site_list:
        lines += [t(lang, "report.no_sites"), ""]

    columns: list[tuple[str, str]] = [(t(lang, "col.site"), "---")]  # (header, alignment)
    if several_devices:
        columns.append((t(lang, "col.device"), "---"))
    columns += [
        (t(lang, "col.status"), "---"),
        (t(lang, "col.score"), "--:"),
        (t(lang, "col.grade"), ":-:"),
    ]
    columns += [(term(lang, "channel", c), "--:") for c in CHANNELS]
    columns.append((t(lang, "col.findings"), "--:"))
    if site_list:
        lines.append("| " + " | ".join(escape(h) for h, _ in columns) + " |")
        lines.append("|" + "|".join(a for _, a in columns) + "|")
    for site in site_list:
        status = site.get("status")
        row = [escape(site_label(site))]
        if several_devices:
            row.append(escape(term(lang, "device", site.get("device"))))
        if status == "error":
            kind = (site.get("error") or {}).get("kind")
            row.append(f"{escape(term(lang, 'status', status))}: {escape(kind)}")
            row += [escape(t(lang, "site.not_scored")), ""]
        else:
            row.append(escape(term(lang, "status", status)))
            row += [escape(site.get("score")), escape(site.get("grade"))]
        row += [_clicks_cell(site, c) for c in CHANNELS]
        row.append(str(len(site.get("findings") or ())))
        lines.append("| " + " | ".join(row) + " |")

    # Worst findings across sites: most severe first, then document order.
    candidates = [
        (index, site, finding)
        for index, site in enumerate(site_list)
        for finding in sorted_findings(site)
        if severity_rank(finding.get("severity")) > severity_rank("info")
    ]
    candidates.sort(key=lambda item: (-severity_rank(item[2].get("severity")), item[0]))
    if candidates:
        lines += ["", f"**{escape(t(lang, 'report.worst_findings'))}**", ""]
        for _, site, finding in candidates[:MAX_FINDINGS]:
            severity = escape(term(lang, "severity", finding.get("severity")))
            where = escape(site_label(site))
            if several_devices:
                where += f" ({escape(term(lang, 'device', site.get('device')))})"
            lines.append(
                f"- **{severity}** {where}: "
                f"{escape(localized(finding.get('message'), lang))} ({escape(finding.get('id'), 60)})"
            )
        if len(candidates) > MAX_FINDINGS:
            lines.append(
                f"- {escape(t(lang, 'report.more', count=len(candidates) - MAX_FINDINGS))}"
            )

    profile = doc.get("profile") or {}
    tool = doc.get("tool") or {}
    footer = [
        escape(
            t(
                lang,
                "footer.tool",
                name=tool.get("name") or "contact-auditor",
                version=tool.get("version") or "",
            )
        )
    ]
    if isinstance(profile, dict) and profile.get("name"):
        footer.append(escape(t(lang, "profile.title", name=profile.get("name"))))
    if doc.get("generated_at"):
        footer.append(escape(doc.get("generated_at")))
    lines += ["", "<sub>" + " · ".join(footer) + "</sub>", ""]
    return "\n".join(lines).encode("utf-8")
