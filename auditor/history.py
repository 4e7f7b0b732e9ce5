"""How a site's audits changed over time: the tables of `contact-auditor history`.

Pure functions from the store's `HistoryEntry` list (oldest first, `auditor/store`) to rich
tables; the CLI prints them. One site: a row per audit with its score, the change since the
audit before, and the clicks per channel. All sites: a row per site and device with its
latest audit and the change since the one before.

Every cell is a `rich.text.Text` (never markup): site names come from input files and URLs
from anywhere, and `[bold]` in one must be shown as written. Clicks: a number when the
channel was found, `–` when it was looked for and not found, empty when the site could not
be audited.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from auditor.result import CHANNELS, SiteResult
from auditor.store import HistoryEntry

NOT_FOUND = "–"


def site_history_table(entries: Sequence[HistoryEntry], title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for name, justify in (("audited (UTC)", "left"), ("batch", "left"), ("device", "left"),
                          ("status", "left"), ("score", "right"), ("change", "right"), ("grade", "center")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for channel in CHANNELS:
        table.add_column(channel, justify="right")
    table.add_column("findings", justify="right")
    previous: dict[str, int] = {}  # device -> last score, so a change compares like with like
    for e in entries:
        r = e.result
        change = _change(previous.get(r.device), r.score)
        if r.score is not None:
            previous[r.device] = r.score
        table.add_row(_t(_when(e.finished_at)), _t(e.batch_id), _t(r.device), _status(r), _score(r),
                      change, _t(r.grade or ""), *_clicks(r), _t(str(len(r.findings))))
    return table


def latest_table(entries: Sequence[HistoryEntry], title: str) -> Table:
    """One row per site and device: its latest audit, and the change since the one before."""
    runs: dict[tuple[str, str], list[HistoryEntry]] = {}
    for e in entries:
        runs.setdefault((e.result.url, e.result.device), []).append(e)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("site", overflow="fold", ratio=3)
    for name, justify in (("device", "left"), ("audited (UTC)", "left"), ("audits", "right"),
                          ("status", "left"), ("score", "right"), ("change", "right"), ("grade", "center")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for channel in CHANNELS:
        table.add_column(channel, justify="right")
    for (url, device), site_runs in sorted(runs.items()):
        last = site_runs[-1]
        r = last.result
        earlier = [e.result.score for e in site_runs[:-1] if e.result.score is not None]
        label = f"{r.name} ({url})" if r.name else url
        table.add_row(_t(label), _t(device), _t(_when(last.finished_at)), _t(str(len(site_runs))),
                      _status(r), _score(r), _change(earlier[-1] if earlier else None, r.score),
                      _t(r.grade or ""), *_clicks(r))
    return table


def _t(value: str, style: str = "") -> Text:
    return Text(" ".join(str(value).split()), style=style)


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16]


def _status(r: SiteResult) -> Text:
    if r.status == "error":
        return _t(f"error: {r.error.kind if r.error else '?'}", "bold red")
    return _t(r.status, "green" if r.status == "ok" else "yellow")


def _score(r: SiteResult) -> Text:
    return _t("" if r.score is None else str(r.score))


def _change(before: int | None, now: int | None) -> Text:
    if before is None or now is None or before == now:
        return _t("")
    return _t(f"{now - before:+d}", "green" if now > before else "red")


def _clicks(r: SiteResult) -> list[Text]:
    if r.status == "error":
        return [_t("") for _ in CHANNELS]
    out = []
    for channel in CHANNELS:
        c = r.channels.get(channel)
        if c is None or not c.found:
            out.append(_t(NOT_FOUND, "dim"))
        else:
            out.append(_t("?" if c.clicks is None else str(c.clicks)))
    return out
