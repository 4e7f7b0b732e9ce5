"""The terminal summary: one rich table of all site results.

`summary_table` is for the CLI to print on an interactive console; `render_text` gives
the same table as plain text (no colour, fixed width) for logs and pipes. Every cell is a
`rich.text.Text` built from cleaned text, never a markup string, so page text such as
`[link=...]` or `[bold]` is shown as written, and control characters (terminal escapes)
are removed before they reach the console.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reports import CHANNELS, channel_result, one_line, site_label, sites
from reports.words import t, term

NOT_FOUND = "–"  # en dash: the channel was looked for and not found
TEXT_WIDTH = 120  # columns of `render_text` output, fixed so output does not depend on $COLUMNS

_GRADE_STYLES = {
    "A": "bold green",
    "B": "green",
    "C": "yellow",
    "D": "red",
    "E": "red",
    "F": "bold red",
}
_STATUS_STYLES = {"ok": "green", "partial": "yellow", "error": "bold red"}


def _text(value: object, style: str = "") -> Text:
    return Text(one_line(value), style=style)


def summary_table(doc: dict, lang: str = "en") -> Table:
    """Site, status, score, grade, clicks per channel and number of findings per site."""
    table = Table(title=t(lang, "report.title"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(t(lang, "col.site"), overflow="fold", min_width=24)
    several_devices = len({one_line(s.get("device")) for s in sites(doc)}) > 1
    if several_devices:
        table.add_column(t(lang, "col.device"))
    table.add_column(t(lang, "col.status"))
    table.add_column(t(lang, "col.score"), justify="right")
    table.add_column(t(lang, "col.grade"), justify="center")
    for name in CHANNELS:
        table.add_column(term(lang, "channel", name), justify="right")
    table.add_column(t(lang, "col.findings"), justify="right")

    for site in sites(doc):
        status = one_line(site.get("status"))
        cells: list[Text] = [_text(site_label(site))]
        if several_devices:
            cells.append(_text(term(lang, "device", site.get("device"))))
        status_text = term(lang, "status", status)
        if status == "error":
            kind = one_line((site.get("error") or {}).get("kind"))
            status_text = f"{status_text}: {kind}" if kind else status_text
        cells.append(_text(status_text, _STATUS_STYLES.get(status, "")))
        if status == "error":
            cells += [_text(t(lang, "site.not_scored"), "dim"), _text("")]
        else:
            grade = one_line(site.get("grade"))
            cells += [_text(site.get("score")), _text(grade, _GRADE_STYLES.get(grade, ""))]
        for name in CHANNELS:
            result = channel_result(site, name)
            if result is None:
                cells.append(_text(""))
            elif not result.get("found") or result.get("clicks") is None:
                cells.append(_text(NOT_FOUND, "dim"))
            else:
                cells.append(_text(result.get("clicks")))
        cells.append(_text(len(site.get("findings") or ())))
        table.add_row(*cells)
    return table


def render_text(doc: dict, lang: str = "en") -> str:
    """The summary table as plain text, the same for the same document."""
    console = Console(
        file=io.StringIO(),
        width=TEXT_WIDTH,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        no_color=True,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        _environ={},  # do not read COLUMNS, NO_COLOR, TERM: output depends on the document only
    )
    console.print(summary_table(doc, lang))
    for site in sites(doc):
        if site.get("status") == "error":
            error = site.get("error") or {}
            console.print(
                Text(
                    f"{site_label(site)}: {one_line(term(lang, 'error', error.get('kind')))}: "
                    f"{one_line(error.get('message'))}"
                )
            )
    generated_at = one_line(doc.get("generated_at"))
    if generated_at:
        console.print(Text(f"{t(lang, 'col.generated_at')}: {generated_at}"))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in output.splitlines()) + "\n"
