"""HTML report: one self-contained page a manager can read, forward and print.

`render_html` turns the result document into a *view* (plain dicts of display text, built
here, in Python, with every word from `reports.words`) and lays it out with
`templates/report.html.j2`. The template only arranges the view; it makes no decisions.

Self-contained: inline CSS and a few lines of inline script, charts as inline SVG, no
fonts, scripts or images from anywhere else. Screenshots are the exception the document
asks for: with `RenderOptions.embed_screenshots` they are inlined as `data:` URIs (read
from `RenderOptions.report_dir`); without it, or when the file cannot be read, the
thumbnail points at the screenshot's relative path, so the report is meant to sit beside
its `shots/` folder.

Hostile page text: jinja2 autoescape is on for the template (and for strings), every
value passes `clean_text` (a jinja2 `finalize` hook drops control characters again), links
are only made for `http:`/`https:` URLs (`safe_href`), screenshot paths must be relative
paths below the report folder, and a Content-Security-Policy allows only the report's own
style and script (by hash) and images from itself or `data:`.

Accessibility (WCAG 2.2 AA): `lang` on the page, landmarks (header, main, footer),
headings in order, table headers with `scope`, visible focus, AA contrast for all text
(grade badges too), and no meaning in colour alone: every grade, status and severity is
also written out. The league table is sortable by its column headers and filterable by
sector with a small script; without script it is a complete, readable table in score order.
The sort buttons and sector buttons are real `<button>`s, so Tab, Enter and Space work.

Layout, top to bottom: a header with what was measured (date, devices, scoring profile,
tool); for several sites an overview (key figures, one score card per site, the league
table, the grade distribution as an SVG bar chart); then one section per site and device:
grade and score, the four channel cards (clicks, measured and estimated seconds, values,
the click path as numbered steps from the start page to the found detail, with its
screenshot), findings grouped by severity (explanation, evidence, recommendation, rules);
and the scoring profile in the footer. When the document holds the same address audited
as `desktop` and as `mobile`, a comparison block puts the two side by side before their
sections and names every difference ("Phone: 1 click on desktop, 3 on mobile").
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reports import (
    CHANNELS,
    RenderOptions,
    channel_result,
    check_document,
    clean_text,
    localized,
    one_line,
    score_sort_key,
    severity_rank,
    site_label,
    sites,
    sorted_findings,
)
from reports.words import clicks, number, seconds, t, term

TEMPLATE = "report.html.j2"

#: Grades that have their own badge colour; anything else is drawn in neutral grey.
GRADE_CLASSES = ("A", "B", "C", "D", "E", "F")
#: Image types a screenshot may be, by suffix; anything else is not shown.
SCREENSHOT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
#: Largest screenshot inlined as a data: URI; a bigger one is linked instead.
MAX_EMBED_BYTES = 8 * 1024 * 1024
#: Sort value of a channel that was not found (after any real click count) and of an
#: unknown one (error sites), for the league table's script.
SORT_NOT_FOUND = 999
SORT_UNKNOWN = 1000
#: Grade distribution chart geometry (a horizontal bar per grade), in SVG user units.
CHART_LABEL_WIDTH = 150  # grade letter and its score band
CHART_BAR_SPACE = 300  # the longest bar
CHART_COUNT_SPACE = 110  # "12 sites" after a bar
CHART_ROW = 34
CHART_BAR_HEIGHT = 22
CHART_TOP = 8

_GRADE_LETTER = re.compile(r"^[A-Z][+-]?$")


# --- small display helpers --------------------------------------------------------------


def safe_href(url: Any) -> str | None:
    """`url` when it is an absolute http(s) URL a reader may follow, else None."""
    text = one_line(url)
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def screenshot_src(path: Any, options: RenderOptions) -> str | None:
    """The `src` for a screenshot: a data: URI when embedding, else the relative path.

    Only a relative path below the report folder with an image suffix is accepted; a path
    with a scheme or `..` gives None (no thumbnail). An absolute path is accepted only when
    it lies inside `options.report_dir`, and is then made relative to it (an audit run with
    `--screenshots /abs/out/shots --html /abs/out/report.html` writes absolute paths).
    """
    raw = one_line(path).replace("\\", "/")
    if not raw:
        return None
    relative = PurePosixPath(raw)
    if relative.is_absolute() and options.report_dir is not None and ".." not in relative.parts:
        folder = PurePosixPath(Path(options.report_dir).resolve().as_posix())
        if relative.is_relative_to(folder) and relative != folder:
            relative = relative.relative_to(folder)
            raw = relative.as_posix()
    first = raw.split("/", 1)[0]
    if relative.is_absolute() or ":" in first or ".." in relative.parts:
        return None
    mime = SCREENSHOT_TYPES.get(relative.suffix.lower())
    if mime is None:
        return None
    if options.embed_screenshots and options.report_dir is not None:
        base = Path(options.report_dir).resolve()
        file = (base / relative.as_posix()).resolve()
        try:
            if file.is_relative_to(base) and file.stat().st_size <= MAX_EMBED_BYTES:
                data = base64.b64encode(file.read_bytes()).decode("ascii")
                return f"data:{mime};base64,{data}"
        except OSError:
            pass  # not readable: fall back to the relative link
    return quote(relative.as_posix(), safe="/._-~")


def _display(value: Any, lang: str) -> str:
    """Any document value as one line of text for people."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t(lang, "yes" if value else "no")
    if isinstance(value, (int, float)):
        return number(lang, value, digits=2)
    if isinstance(value, dict):
        return ", ".join(f"{one_line(k)}: {_display(v, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_display(v, lang) for v in value)
    return one_line(value)


def grade_class(grade: Any) -> str:
    """The CSS class for a grade badge; only known letters, never page text."""
    letter = one_line(grade)[:1].upper()
    return f"grade-{letter}" if letter in GRADE_CLASSES else "grade-none"


def severity_class(severity: Any) -> str:
    return f"sev-{severity}" if severity_rank(severity) >= 0 else "sev-unknown"


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


# --- the view -------------------------------------------------------------------------

#: How a click count is coloured on chips and in the league table. The consumer profile
#: (auditor/profiles/consumer.toml) gives 0-1 clicks at least 0.9 of a channel's weight and
#: 2 clicks 0.75; 3 or more get half or less. Colour only repeats the number written.
GOOD_CLICKS = 1
FAIR_CLICKS = 2
#: Up to this many sites get a score card in the overview; more is a table's job.
MAX_SCORECARDS = 12
#: Severities counted as "serious" in the overview's key figures.
SERIOUS = ("high", "critical")
#: The overview's list of the worst findings across all sites: at most this many, and
#: `info` findings are left out (they are notes, not problems).
MAX_TOP_FINDINGS = 6


def click_tone(found: bool | None, value: Any) -> str:
    """`good`, `fair`, `poor`, `missing` (not found) or `unknown` (not measured)."""
    if found is None:
        return "unknown"
    if not found:
        return "missing"
    n = _number_or_none(value)
    if n is None:
        return "unknown"
    if n <= GOOD_CLICKS:
        return "good"
    return "fair" if n <= FAIR_CLICKS else "poor"


def _when(generated_at: Any) -> str:
    """`2026-11-23T12:00:00Z` as `2026-11-23 12:00 UTC`; anything else as written."""
    text = one_line(generated_at)
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:?00)?", text)
    if not m:
        return text
    return f"{m.group(1)} {m.group(2)}" + (" UTC" if m.group(3) else "")


def _screenshot_view(path: Any, alt: str, options: RenderOptions) -> dict | None:
    src = screenshot_src(path, options)
    return {"src": src, "alt": alt} if src else None


def _path_view(result: dict, options: RenderOptions) -> list[dict]:
    lang = options.lang
    steps = []
    for i, step in enumerate(result.get("path") or (), start=1):
        if not isinstance(step, dict):
            continue
        label = one_line(step.get("label"))
        steps.append(
            {
                "n": i,
                "action": term(lang, "action", step.get("action")),
                "label": label,
                "url": one_line(step.get("url")),
                "href": safe_href(step.get("url")),
                "new_tab": bool(step.get("new_tab")),
                # Not in contact-auditor/1: a step screenshot is shown if a later audit adds one.
                "screenshot": _screenshot_view(
                    step.get("screenshot"), t(lang, "site.step_screenshot_alt", n=i), options
                ),
            }
        )
    return steps


def _channel_view(site: dict, name: str, options: RenderOptions) -> dict:
    lang = options.lang
    title = term(lang, "channel", name)
    result = channel_result(site, name)
    found = None if result is None else bool(result.get("found"))
    view: dict[str, Any] = {
        "name": name,
        "title": title,
        "found": found,
        "tone": click_tone(found, (result or {}).get("clicks")),
        "clicks": "",
        "times": [],
        "rows": [],
        "values": [],
        "path": [],
        "on_start_page": False,
        "start_url": "",
        "start_href": None,
        "evidence": None,
        "screenshot": None,
        "not_found_text": "",
    }
    if result is None:
        return view
    if not result.get("found"):
        pages = site.get("pages_visited")
        if isinstance(pages, int) and not isinstance(pages, bool) and pages > 0:
            view["not_found_text"] = t(lang, "card.not_found_pages", channel=title, count=pages)
        else:
            view["not_found_text"] = t(lang, "card.not_found", channel=title)
        return view
    view["clicks"] = clicks(lang, result.get("clicks")) or "–"
    if result.get("human_seconds") is not None:
        view["times"].append((t(lang, "col.human_seconds"), seconds(lang, result.get("human_seconds"))))
    if result.get("seconds") is not None:
        view["times"].append((t(lang, "col.seconds"), seconds(lang, result.get("seconds"))))
    rows = view["rows"]
    if name == "chat":
        rows.append((t(lang, "col.vendor"), one_line(result.get("vendor")) or t(lang, "unknown")))
        rows.append((t(lang, "col.kind"), term(lang, "chat_kind", result.get("kind") or "unknown")))
    number_types = result.get("number_types") or {}
    for value in result.get("values") or ():
        number_type = number_types.get(value) if isinstance(number_types, dict) else None
        view["values"].append(
            {
                "value": one_line(value),
                "note": term(lang, "number_type", number_type) if number_type else "",
                "warn": number_type in ("PREMIUM_RATE", "SHARED_COST"),
            }
        )
    view["path"] = _path_view(result, options)
    view["on_start_page"] = result.get("clicks") == 0 and not view["path"]
    start = site.get("final_url") or site.get("url")
    view["start_url"] = one_line(start)
    view["start_href"] = safe_href(start)
    evidence = result.get("evidence")
    if isinstance(evidence, dict):
        view["evidence"] = {
            "text": one_line(evidence.get("text")),
            "url": one_line(evidence.get("url")),
            "href": safe_href(evidence.get("url")),
            "selector": one_line(evidence.get("selector")),
        }
        view["screenshot"] = _screenshot_view(
            evidence.get("screenshot"),
            t(lang, "site.screenshot_alt", channel=title.lower()),
            options,
        )
    return view


#: Evidence keys whose value is a finding's own vocabulary, translated with `term`.
_EVIDENCE_TERMS = {"problem": "help_problem", "answer": "consent.answer", "only": "channel"}


def _evidence_value(key: str, value: Any, lang: str) -> str:
    family = _EVIDENCE_TERMS.get(key)
    if family and isinstance(value, str):
        return term(lang, family, value)
    if family and isinstance(value, list):
        return ", ".join(term(lang, family, v) if isinstance(v, str) else _display(v, lang) for v in value)
    if key == "path" and isinstance(value, list):
        return " → ".join(_display(v, lang) for v in value)
    return _display(value, lang)


def _compared_pages(evidence: dict, lang: str) -> dict | None:
    """Consistent Help (WCAG 2.2 SC 3.2.6) evidence as a table of the pages compared.

    `pages_compared` lists every sampled page; `pages` says where the mechanism stood on
    the pages it was judged on (`top`, `main`, `bottom`, `floating`, `absent`).
    """
    compared = evidence.get("pages_compared")
    judged = evidence.get("pages")
    if not isinstance(compared, list) and not isinstance(judged, list):
        return None
    positions: dict[str, str] = {}
    order: list[str] = []
    for page in judged if isinstance(judged, list) else ():
        if isinstance(page, dict) and page.get("url"):
            url = one_line(page.get("url"))
            positions.setdefault(url, one_line(page.get("position")))
            order.append(url)
    for url in compared if isinstance(compared, list) else ():
        if isinstance(url, str) and one_line(url) not in order:
            order.append(one_line(url))
    if isinstance(compared, list):  # the sampling order, then judged pages it did not list
        listed = [one_line(u) for u in compared if isinstance(u, str)]
        order = listed + [u for u in order if u not in listed]
    seen: set[str] = set()
    rows = []
    for url in order:
        if url in seen:
            continue
        seen.add(url)
        position = positions.get(url)
        rows.append(
            {
                "url": url,
                "href": safe_href(url),
                "position": term(lang, "help_position", position) if position else "–",
                "absent": position == "absent",
            }
        )
    mechanism = one_line(evidence.get("mechanism"))
    return {
        "rows": rows,
        "head": t(lang, "help.where", mechanism=mechanism) if mechanism else t(lang, "help.where_any"),
        "count": len(rows),
        "unjudged": any(r["position"] == "–" for r in rows),
    }


def _finding_view(finding: dict, lang: str) -> dict:
    evidence_rows = []
    compared = None
    evidence = finding.get("evidence")
    if isinstance(evidence, dict):
        compared = _compared_pages(evidence, lang)
        for key, value in evidence.items():
            if compared is not None and key in ("pages", "pages_compared"):
                continue
            name = one_line(key)
            label = term(lang, "evidence", name)
            if label == name:  # a key the word table does not know: readable as it is
                label = name.replace("_", " ")
            evidence_rows.append(
                {
                    "key": label,
                    "value": _evidence_value(name, value, lang),
                    "href": safe_href(value) if isinstance(value, str) else None,
                }
            )
    rules = []
    for rule in finding.get("rules") or ():
        if isinstance(rule, dict):
            rules.append(
                {
                    "title": one_line(rule.get("title") or rule.get("id")),
                    "href": safe_href(rule.get("url")),
                    "url": one_line(rule.get("url")),
                }
            )
    return {
        "id": one_line(finding.get("id")),
        "severity": term(lang, "severity", finding.get("severity")),
        "severity_class": severity_class(finding.get("severity")),
        "title": one_line(localized(finding.get("title"), lang)),
        "message": one_line(localized(finding.get("message"), lang)),
        "explanation": localized(finding.get("explanation"), lang).strip(),
        "recommendation": localized(finding.get("recommendation"), lang).strip(),
        "evidence": evidence_rows,
        "compared": compared,
        "rules": rules,
    }


def _finding_groups(site: dict, lang: str) -> list[dict]:
    groups: list[dict] = []
    for finding in sorted_findings(site):
        severity = one_line(finding.get("severity"))
        if not groups or groups[-1]["key"] != severity:
            groups.append(
                {
                    "key": severity,
                    "title": term(lang, "severity", severity),
                    "severity_class": severity_class(severity),
                    "items": [],
                }
            )
        groups[-1]["items"].append(_finding_view(finding, lang))
    return groups


def _severity_counts(site: dict, lang: str) -> list[dict]:
    """`[{"text": "2 high", "css": "sev-high"}, ...]`, most severe first."""
    counts: dict[str, int] = {}
    for finding in sorted_findings(site):
        severity = one_line(finding.get("severity"))
        counts[severity] = counts.get(severity, 0) + 1
    return [
        {
            "text": t(lang, "site.severity_count", count=n, severity=term(lang, "severity", sev)),
            "css": severity_class(sev),
        }
        for sev, n in counts.items()
    ]


def _visit_rows(site: dict, lang: str) -> list[dict]:
    rows: list[dict] = []

    def add(label_key: str, value: str, href: str | None = None) -> None:
        if value:
            rows.append({"label": t(lang, label_key), "value": value, "href": href})

    add("col.url", one_line(site.get("url")), safe_href(site.get("url")))
    if site.get("final_url") and site.get("final_url") != site.get("url"):
        add("col.final_url", one_line(site.get("final_url")), safe_href(site.get("final_url")))
    add("col.device", term(lang, "device", site.get("device")))
    add("col.region", one_line(site.get("region")))
    if site.get("status") != "error" or site.get("pages_visited"):
        add("col.pages_visited", _display(site.get("pages_visited") or 0, lang))
        duration = site.get("duration_seconds")
        if duration is not None:
            add("col.duration", seconds(lang, duration))
    limits = [one_line(x) for x in site.get("limits_hit") or ()]
    add("col.limits_hit", ", ".join(x for x in limits if x))
    return rows


def _consent_rows(site: dict, lang: str) -> list[dict]:
    consent = site.get("consent")
    if (
        not isinstance(consent, dict)
        or site.get("status") == "error"
        and not consent.get("present")
    ):
        return []
    rows = [
        {
            "label": t(lang, "consent.present"),
            "value": t(lang, "yes" if consent.get("present") else "no"),
        }
    ]
    if consent.get("present"):
        rows.append(
            {
                "label": t(lang, "consent.blocking"),
                "value": t(lang, "yes" if consent.get("blocking") else "no"),
            }
        )
        answer = consent.get("answer") or "none"
        rows.append(
            {"label": t(lang, "consent.answer"), "value": term(lang, "consent.answer", answer)}
        )
        if consent.get("platform"):
            rows.append(
                {"label": t(lang, "consent.platform"), "value": one_line(consent.get("platform"))}
            )
        hosts = [one_line(h) for h in consent.get("hosts") or ()]
        if any(hosts):
            rows.append(
                {"label": t(lang, "consent.hosts"), "value": ", ".join(h for h in hosts if h)}
            )
    return rows


def _failed_pages(site: dict) -> list[dict]:
    failed = []
    for page in site.get("pages") or ():
        if not isinstance(page, dict):
            continue
        status = page.get("status")
        bad_status = isinstance(status, int) and not isinstance(status, bool) and status >= 400
        if page.get("error") or bad_status:
            detail = one_line(page.get("error")) or (f"HTTP {status}" if bad_status else "")
            failed.append(
                {
                    "url": one_line(page.get("url")),
                    "href": safe_href(page.get("url")),
                    "detail": detail,
                }
            )
    return failed


def _contact_points(site: dict, lang: str) -> list[str]:
    machine = site.get("machine_readable")
    points = machine.get("contact_points") if isinstance(machine, dict) else None
    return [_display(p, lang) for p in points or ()] if isinstance(points, list) else []


def _site_view(index: int, site: dict, options: RenderOptions) -> dict:
    lang = options.lang
    status = one_line(site.get("status"))
    scored = status != "error" and _number_or_none(site.get("score")) is not None
    score = _number_or_none(site.get("score")) if scored else None
    error = site.get("error") if isinstance(site.get("error"), dict) else None
    channels = (
        [_channel_view(site, name, options) for name in CHANNELS] if status != "error" else []
    )
    worst = sorted_findings(site)[:1]
    found_count = sum(1 for c in channels if c["found"])
    view = {
        "anchor": f"site-{index}",
        "label": site_label(site),
        "has_name": bool(one_line(site.get("name"))),
        "url": one_line(site.get("url")),
        "href": safe_href(site.get("url")),
        "url_key": one_line(site.get("url")),
        "device_key": one_line(site.get("device")),
        "sector": one_line(site.get("sector")),
        "device": term(lang, "device", site.get("device")),
        "status": status,
        "status_text": term(lang, "status", status),
        "status_class": f"status-{status}"
        if status in ("ok", "partial", "error")
        else "status-unknown",
        "error": None,
        "scored": scored,
        "score": number(lang, score, digits=0) if score is not None else "",
        "score_percent": max(0.0, min(100.0, score)) if score is not None else 0.0,
        "grade": one_line(site.get("grade")) if scored else "",
        "grade_class": grade_class(site.get("grade")) if scored else "grade-none",
        "channels": channels,
        "found_count": found_count,
        "channels_found": t(lang, "site.channels_found", found=found_count, total=len(channels)),
        "finding_groups": _finding_groups(site, lang) if status != "error" else [],
        "finding_count": len(site.get("findings") or ()),
        "severity_counts": _severity_counts(site, lang) if status != "error" else [],
        "visit": _visit_rows(site, lang),
        "consent": _consent_rows(site, lang),
        "failed_pages": _failed_pages(site) if status == "partial" else [],
        "contact_points": _contact_points(site, lang),
        "worst": _finding_view(worst[0], lang) if worst else None,
        "worst_rank": severity_rank(worst[0].get("severity")) if worst else -1,
        "compare_anchor": "",
    }
    if status == "error":
        view["error"] = {
            "kind": one_line(error.get("kind")) if error else "",
            "kind_text": term(lang, "error", error.get("kind")) if error else t(lang, "unknown"),
            "message": clean_text(error.get("message")).strip() if error else "",
        }
    return view


def _league_row(site_view: dict, site: dict, lang: str) -> dict:
    cells = []
    for name in CHANNELS:
        result = channel_result(site, name)
        if result is None:
            cells.append({"text": "", "sort": SORT_UNKNOWN, "not_found": False, "tone": "unknown"})
        elif not result.get("found") or result.get("clicks") is None:
            cells.append({"text": "–", "sort": SORT_NOT_FOUND, "not_found": True, "tone": "missing"})
        else:
            cells.append(
                {
                    "text": _display(result.get("clicks"), lang),
                    "sort": _display(result.get("clicks"), "en"),
                    "not_found": False,
                    "tone": click_tone(True, result.get("clicks")),
                }
            )
    return {
        "site": site_view,
        "score_sort": number("en", _number_or_none(site.get("score")), 2)
        if site_view["scored"]
        else "-1",
        "clicks": cells,
    }


def _grade_sort_key(grade: str) -> tuple:
    return (grade[:1], {"+": 0, "": 1, "-": 2}.get(grade[1:], 3), grade)


def _grade_ranges(profile: dict, lang: str) -> dict[str, str]:
    """`{"A": "85–100", "B": "70–84", ...}` from the profile's lowest score per grade."""
    bands = profile.get("grades") if isinstance(profile, dict) else None
    if not isinstance(bands, dict):
        return {}
    floors = sorted(
        ((float(v), k) for k, v in bands.items() if isinstance(k, str) and _number_or_none(v) is not None),
        reverse=True,
    )
    ranges, top = {}, 100.0
    for floor, grade in floors:
        ranges[grade] = f"{number(lang, floor, 0)}–{number(lang, top, 0)}"
        top = floor - 1
    return ranges


def _distribution(site_views: list[dict], profile: dict, lang: str) -> dict:
    """Sites per grade as a horizontal bar chart: one row per grade of the profile."""
    grades: set[str] = set()
    bands = profile.get("grades") if isinstance(profile, dict) else None
    if isinstance(bands, dict):
        grades |= {k for k in bands if isinstance(k, str) and _GRADE_LETTER.match(k)}
    ranges = _grade_ranges(profile, lang)
    counts: dict[str, int] = {}
    unscored = 0
    for view in site_views:
        if view["scored"] and view["grade"]:
            counts[view["grade"]] = counts.get(view["grade"], 0) + 1
            grades.add(view["grade"])
        else:
            unscored += 1
    tallies = [
        (g, ranges.get(g, ""), counts.get(g, 0), grade_class(g))
        for g in sorted(grades, key=_grade_sort_key)
    ]
    if unscored:
        tallies.append((t(lang, "site.not_scored"), "", unscored, "grade-none"))
    top = max([count for *_, count, _ in tallies] + [1])
    bars: list[dict[str, Any]] = []
    for i, (label, band, count, css) in enumerate(tallies):
        width = round(CHART_BAR_SPACE * count / top)
        y = CHART_TOP + i * CHART_ROW
        bars.append(
            {
                "label": label,
                "band": band,
                "count": count,
                "count_text": t(lang, "report.sites_count", count=count),
                "css": css,
                "y": y,
                "bar_y": y + (CHART_ROW - CHART_BAR_HEIGHT) // 2,
                "text_y": y + CHART_ROW // 2 + 5,
                "width": max(width, 2) if count else 0,
                "count_x": CHART_LABEL_WIDTH + max(width, 2) + 8,
            }
        )
    height = CHART_TOP * 2 + len(bars) * CHART_ROW
    return {
        "bars": bars,
        "width": CHART_LABEL_WIDTH + CHART_BAR_SPACE + CHART_COUNT_SPACE,
        "height": height,
        "bar_x": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "axis_y1": CHART_TOP - 4,
        "axis_y2": height - CHART_TOP + 4,
        "description": "; ".join(
            f"{b['label']}{' (' + b['band'] + ')' if b['band'] else ''}: {b['count_text']}"
            for b in bars
        ),
    }


def _key_figures(site_list: list[dict], views: list[dict], lang: str) -> list[dict]:
    """The overview's four tiles: sites, average score, channels found, serious findings."""
    audited = [v for v in views if v["status"] != "error"]
    scores = [
        score
        for s, v in zip(site_list, views)
        if v["scored"] and (score := _number_or_none(s.get("score"))) is not None
    ]
    found = sum(v["found_count"] for v in audited)
    total = sum(len(v["channels"]) for v in audited)
    serious = sum(
        1
        for s, v in zip(site_list, views)
        if v["status"] != "error"
        for f in s.get("findings") or ()
        if isinstance(f, dict) and f.get("severity") in SERIOUS
    )
    errors = len(views) - len(audited)
    figures = [
        {
            "value": number(lang, len(views)),
            "label": t(lang, "kpi.sites"),
            "note": t(lang, "kpi.not_audited", count=errors) if errors else "",
            "css": "",
        },
        {
            "value": number(lang, sum(scores) / len(scores), digits=0) if scores else "–",
            "label": t(lang, "kpi.average"),
            "note": t(lang, "kpi.range", low=number(lang, min(scores), 0), high=number(lang, max(scores), 0))
            if len(scores) > 1
            else "",
            "css": "",
        },
        {
            "value": t(lang, "kpi.of", part=number(lang, found), whole=number(lang, total)),
            "label": t(lang, "kpi.channels"),
            "note": t(lang, "kpi.channels_note"),
            "css": "",
        },
        {
            "value": number(lang, serious),
            "label": t(lang, "kpi.serious"),
            "note": t(lang, "kpi.serious_note"),
            "css": "kpi-bad" if serious else "kpi-good",
        },
    ]
    return figures


def _top_findings(site_list: list[dict], views: list[dict], lang: str) -> dict:
    """The most severe findings across all sites, one line each, for the overview.

    The same finding on the same address (desktop and mobile) is listed once, naming
    both devices.
    """
    entries: dict[tuple[str, str], dict] = {}
    for position, (site, view) in enumerate(zip(site_list, views)):
        if view["status"] == "error":
            continue
        for finding in sorted_findings(site):
            rank = severity_rank(finding.get("severity"))
            if rank <= 0:
                continue
            key = (view["url_key"], one_line(finding.get("id")))
            if key in entries:
                if view["device"] not in entries[key]["devices"]:
                    entries[key]["devices"].append(view["device"])
                continue
            entries[key] = {
                "rank": rank,
                "position": position,
                "finding": _finding_view(finding, lang),
                "site": view,
                "devices": [view["device"]],
            }
    ordered = sorted(entries.values(), key=lambda e: (-e["rank"], e["position"]))
    shown = ordered[:MAX_TOP_FINDINGS]
    rest = len(ordered) - len(shown)
    return {
        "items": shown,
        "more": t(lang, "report.more", count=rest) if rest > 0 else "",
    }


def _compare_cell(site: dict, name: str, lang: str) -> tuple[str, str, Any]:
    """(text, tone, clicks) of a channel on one device, for the comparison block."""
    result = channel_result(site, name)
    if result is None:
        return t(lang, "unknown"), "unknown", None
    if not result.get("found"):
        return t(lang, "not_found"), "missing", None
    value = result.get("clicks")
    return clicks(lang, value) or t(lang, "found").lower(), click_tone(True, value), value


def _comparison(label: str, anchor: str, pair: dict[str, tuple[dict, dict]], lang: str) -> dict:
    """Desktop and mobile results of one address side by side, with the differences."""
    desktop_site, desktop_view = pair["desktop"]
    mobile_site, mobile_view = pair["mobile"]
    d_name, m_name = term(lang, "device", "desktop"), term(lang, "device", "mobile")
    rows, differences = [], []
    for name in CHANNELS:
        title = term(lang, "channel", name)
        d_text, d_tone, d_clicks = _compare_cell(desktop_site, name, lang)
        m_text, m_tone, m_clicks = _compare_cell(mobile_site, name, lang)
        differs = (d_tone, d_clicks) != (m_tone, m_clicks) and "unknown" not in (d_tone, m_tone)
        rows.append(
            {
                "title": title,
                "desktop": d_text,
                "desktop_tone": d_tone,
                "mobile": m_text,
                "mobile_tone": m_tone,
                "differs": differs,
            }
        )
        if differs:
            differences.append(
                t(lang, "compare.channel", channel=title, desktop=d_text, mobile=m_text,
                  desktop_device=d_name, mobile_device=m_name)
            )
    if desktop_view["scored"] and mobile_view["scored"] and desktop_view["score"] != mobile_view["score"]:
        differences.insert(
            0,
            t(lang, "compare.score", desktop=desktop_view["score"], mobile=mobile_view["score"],
              desktop_device=d_name, mobile_device=m_name),
        )
    d_ids = {one_line(f.get("id")) for f in desktop_site.get("findings") or () if isinstance(f, dict)}
    m_ids = {one_line(f.get("id")) for f in mobile_site.get("findings") or () if isinstance(f, dict)}
    for finding, ids, device in (
        *((f, m_ids, m_name) for f in sorted_findings(desktop_site)),
        *((f, d_ids, d_name) for f in sorted_findings(mobile_site)),
    ):
        fid = one_line(finding.get("id"))
        if fid and fid not in ids and desktop_view["status"] != "error" and mobile_view["status"] != "error":
            only = d_name if device == m_name else m_name
            title = one_line(localized(finding.get("title"), lang)) or fid
            differences.append(t(lang, "compare.finding_only", finding=title, device=only))
    return {
        "anchor": anchor,
        "label": label,
        "sector": desktop_view["sector"] or mobile_view["sector"],
        "devices": [
            {"name": d_name, "site": desktop_view},
            {"name": m_name, "site": mobile_view},
        ],
        "rows": rows,
        "differences": differences,
    }


def _section_plan(site_list: list[dict], views: list[dict], lang: str) -> list[dict]:
    """The order of the per-site part: document order, but results for the same address
    stay together, and a desktop/mobile pair is preceded by its comparison block."""
    groups: dict[str, list[int]] = {}
    for i, view in enumerate(views):
        groups.setdefault(view["url_key"] or f"#{i}", []).append(i)
    plan: list[dict] = []
    for n, members in enumerate(groups.values(), start=1):
        pair: dict[str, tuple[dict, dict]] = {}
        for i in members:
            device = views[i]["device_key"]
            if device in ("desktop", "mobile") and device not in pair:
                pair[device] = (site_list[i], views[i])
        if len(pair) == 2:
            anchor = f"compare-{n}"
            label = next((views[i]["label"] for i in members if views[i]["has_name"]), views[members[0]]["label"])
            plan.append({"compare": _comparison(label, anchor, pair, lang), "site": None})
            for i in members:
                views[i]["compare_anchor"] = anchor
        plan.extend({"compare": None, "site": views[i]} for i in members)
    return plan


_PROFILE_HEADS = {
    "channels": ("profile.head.channel", "profile.head.weight"),
    "clicks": ("profile.head.clicks", "profile.head.credit"),
    "penalties": ("profile.head.finding", "profile.head.penalty"),
    "grades": ("profile.head.grade", "profile.head.band"),
    "human_time": ("profile.head.constant", "profile.head.seconds"),
}
#: Single values of a profile with words of their own; other keys are shown as written.
_PROFILE_FACTS = ("description", "source", "defaults_from")


def _profile_key(section: str, key: Any, lang: str) -> str:
    """A row label in a profile table: channel names translated, click counts as clicks."""
    text = one_line(key)
    if section == "channels":
        return term(lang, "channel", key)
    if section == "clicks" and text.rstrip("+").isdigit():  # "0", "1", ... and "4+"
        return t(lang, "clicks", count=int(text) if text.isdigit() else text)
    return text


def _profile_view(profile: Any, lang: str) -> dict:
    if not isinstance(profile, dict) or not profile:
        return {
            "title": t(lang, "profile.title_unnamed"),
            "empty": True,
            "facts": [],
            "sections": [],
        }
    name = one_line(profile.get("name"))
    facts, sections = [], []
    for key, value in profile.items():
        if key == "name":
            continue
        if isinstance(value, dict):
            heads = _PROFILE_HEADS.get(key, ("col.key", "col.value"))
            label = t(lang, f"profile.{key}") if key in _PROFILE_HEADS else one_line(key)
            rows = [(_profile_key(key, k, lang), _display(v, lang)) for k, v in value.items()]
            sections.append(
                {"title": label, "heads": (t(lang, heads[0]), t(lang, heads[1])), "rows": rows}
            )
        elif value is not None and value != "":
            label = t(lang, f"profile.{key}") if key in _PROFILE_FACTS else one_line(key)
            facts.append((label, _display(value, lang)))
    return {
        "title": t(lang, "profile.title", name=name) if name else t(lang, "profile.title_unnamed"),
        "empty": False,
        "facts": facts,
        "sections": sections,
    }


def build_view(doc: dict, options: RenderOptions) -> dict:
    """Everything the template shows, as display text, for `doc` in `options.lang`."""
    lang = options.lang
    site_list = sites(doc)
    order = sorted(range(len(site_list)), key=lambda i: score_sort_key(site_list[i]))
    views = [_site_view(i + 1, s, options) for i, s in enumerate(site_list)]
    several = len(site_list) > 1
    sectors = sorted({v["sector"] for v in views if v["sector"]}, key=lambda x: (x.casefold(), x))
    devices = sorted({one_line(s.get("device")) for s in site_list if s.get("device")})
    tool_value, profile_value = doc.get("tool"), doc.get("profile")
    tool: dict = tool_value if isinstance(tool_value, dict) else {}
    profile: dict = profile_value if isinstance(profile_value, dict) else {}
    addresses = {v["url_key"] for v in views}
    if site_list and len(addresses) == 1:
        title = t(lang, "report.title_site", site=views[0]["label"])
    else:
        title = t(lang, "report.title")
    league = [_league_row(views[i], site_list[i], lang) for i in order]
    profile_name = one_line(profile.get("name"))
    return {
        "lang": lang,
        "title": title,
        "sites_count": t(lang, "report.sites_count", count=len(site_list)),
        "several": several,
        "several_devices": len(devices) > 1,
        "sites": views,
        "plan": _section_plan(site_list, views, lang),
        "league": league,
        "key_figures": _key_figures(site_list, views, lang) if several else [],
        "scorecards": [row["site"] for row in league] if several and len(views) <= MAX_SCORECARDS else [],
        "channel_titles": [term(lang, "channel", c) for c in CHANNELS],
        "distribution": _distribution(views, profile, lang) if several else None,
        "top_findings": _top_findings(site_list, views, lang) if several else None,
        "sectors": sectors if several else [],
        "generated_at": one_line(doc.get("generated_at")),
        "generated_when": _when(doc.get("generated_at")),
        "tool_name": one_line(tool.get("name")) or "contact-auditor",
        "tool_version": one_line(tool.get("version")),
        "devices": [term(lang, "device", d) for d in devices],
        "profile_name": profile_name,
        "profile": _profile_view(profile, lang),
    }


# --- rendering ------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    """Applied by jinja2 to every `{{ }}`: template-made Markup passes, text is cleaned."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return clean_text(value)


def _csp_hash(text: Any) -> Markup:
    """The CSP source expression for an inline block; Markup, as it holds only base64."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return Markup("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The jinja2 environment for reports: autoescape on, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = _csp_hash
    return env


def render_html(doc: dict, options: RenderOptions) -> bytes:
    """The HTML report of `doc` as UTF-8 bytes."""
    check_document(doc)
    lang = options.lang
    template = environment().get_template(TEMPLATE)

    def words(key: str, **kw: Any) -> str:
        return t(lang, key, **kw)

    html = template.render(view=build_view(doc, options), w=words)
    return html.encode("utf-8")
