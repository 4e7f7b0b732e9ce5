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
#: Score distribution chart geometry, in SVG user units.
CHART_BAR_WIDTH = 48
CHART_GAP = 20
CHART_HEIGHT = 140
CHART_LABEL_SPACE = 44

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
    with a scheme, an absolute path or `..` gives None (no thumbnail).
    """
    raw = one_line(path).replace("\\", "/")
    if not raw:
        return None
    relative = PurePosixPath(raw)
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


def _path_view(result: dict, lang: str) -> list[dict]:
    steps = []
    for i, step in enumerate(result.get("path") or (), start=1):
        if not isinstance(step, dict):
            continue
        steps.append(
            {
                "n": i,
                "action": term(lang, "action", step.get("action")),
                "label": one_line(step.get("label")),
                "url": one_line(step.get("url")),
                "href": safe_href(step.get("url")),
                "new_tab": bool(step.get("new_tab")),
            }
        )
    return steps


def _channel_view(site: dict, name: str, options: RenderOptions) -> dict:
    lang = options.lang
    title = term(lang, "channel", name)
    result = channel_result(site, name)
    view: dict[str, Any] = {
        "name": name,
        "title": title,
        "found": None if result is None else bool(result.get("found")),
        "rows": [],
        "values": [],
        "path": [],
        "on_start_page": False,
        "evidence": None,
        "screenshot": None,
    }
    if result is None or not result.get("found"):
        return view
    rows = view["rows"]
    rows.append((t(lang, "col.clicks"), clicks(lang, result.get("clicks")) or "–"))
    if result.get("seconds") is not None:
        rows.append((t(lang, "col.seconds"), seconds(lang, result.get("seconds"))))
    if result.get("human_seconds") is not None:
        rows.append((t(lang, "col.human_seconds"), seconds(lang, result.get("human_seconds"))))
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
            }
        )
    view["path"] = _path_view(result, lang)
    view["on_start_page"] = result.get("clicks") == 0 and not view["path"]
    evidence = result.get("evidence")
    if isinstance(evidence, dict):
        view["evidence"] = {
            "text": one_line(evidence.get("text")),
            "url": one_line(evidence.get("url")),
            "href": safe_href(evidence.get("url")),
            "selector": one_line(evidence.get("selector")),
        }
        src = screenshot_src(evidence.get("screenshot"), options)
        if src:
            view["screenshot"] = {
                "src": src,
                "alt": t(lang, "site.screenshot_alt", channel=title.lower()),
            }
    return view


def _finding_view(finding: dict, lang: str) -> dict:
    evidence_rows = []
    evidence = finding.get("evidence")
    if isinstance(evidence, dict):
        for key, value in evidence.items():
            text = _display(value, lang)
            href = safe_href(value) if isinstance(value, str) else None
            evidence_rows.append({"key": one_line(key), "value": text, "href": href})
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
    view = {
        "anchor": f"site-{index}",
        "label": site_label(site),
        "has_name": bool(one_line(site.get("name"))),
        "url": one_line(site.get("url")),
        "href": safe_href(site.get("url")),
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
        "found_count": sum(1 for c in channels if c["found"]),
        "finding_groups": _finding_groups(site, lang) if status != "error" else [],
        "finding_count": len(site.get("findings") or ()),
        "visit": _visit_rows(site, lang),
        "consent": _consent_rows(site, lang),
        "failed_pages": _failed_pages(site) if status == "partial" else [],
        "contact_points": _contact_points(site, lang),
        "worst": _finding_view(worst[0], lang) if worst else None,
        "worst_rank": severity_rank(worst[0].get("severity")) if worst else -1,
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
            cells.append({"text": "", "sort": SORT_UNKNOWN, "not_found": False})
        elif not result.get("found") or result.get("clicks") is None:
            cells.append({"text": "–", "sort": SORT_NOT_FOUND, "not_found": True})
        else:
            cells.append(
                {
                    "text": _display(result.get("clicks"), lang),
                    "sort": _display(result.get("clicks"), "en"),
                    "not_found": False,
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


def _distribution(site_views: list[dict], profile: dict, lang: str) -> dict:
    grades: set[str] = set()
    bands = profile.get("grades") if isinstance(profile, dict) else None
    if isinstance(bands, dict):
        grades |= {k for k in bands if isinstance(k, str) and _GRADE_LETTER.match(k)}
    counts: dict[str, int] = {}
    unscored = 0
    for view in site_views:
        if view["scored"] and view["grade"]:
            counts[view["grade"]] = counts.get(view["grade"], 0) + 1
            grades.add(view["grade"])
        else:
            unscored += 1
    tallies = [(g, counts.get(g, 0), grade_class(g)) for g in sorted(grades, key=_grade_sort_key)]
    if unscored:
        tallies.append((t(lang, "site.not_scored"), unscored, "grade-none"))
    top = max([count for _, count, _ in tallies] + [1])
    step = CHART_BAR_WIDTH + CHART_GAP
    bars: list[dict[str, Any]] = []
    for i, (label, count, css) in enumerate(tallies):
        height = round(CHART_HEIGHT * count / top)
        bar: dict[str, Any] = {"label": label, "count": count, "css": css}
        bars.append(bar)
        bar.update(
            x=CHART_GAP + i * step,
            cx=CHART_GAP + i * step + CHART_BAR_WIDTH // 2,
            height=height,
            y=CHART_LABEL_SPACE // 2 + CHART_HEIGHT - height,
        )
    return {
        "bars": bars,
        "width": CHART_GAP + len(bars) * step,
        "height": CHART_HEIGHT + CHART_LABEL_SPACE + 8,
        "baseline": CHART_LABEL_SPACE // 2 + CHART_HEIGHT,
        "bar_width": CHART_BAR_WIDTH,
        "description": "; ".join(
            f"{b['label']}: {t(lang, 'report.sites_count', count=b['count'])}" for b in bars
        ),
    }


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
    if len(site_list) == 1:
        title = t(lang, "report.title_site", site=views[0]["label"])
    else:
        title = t(lang, "report.title")
    return {
        "lang": lang,
        "title": title,
        "sites_count": t(lang, "report.sites_count", count=len(site_list)),
        "several": several,
        "several_devices": len(devices) > 1,
        "sites": views,
        "league": [_league_row(views[i], site_list[i], lang) for i in order],
        "channel_titles": [term(lang, "channel", c) for c in CHANNELS],
        "distribution": _distribution(views, profile, lang) if several else None,
        "sectors": sectors if several else [],
        "generated_at": one_line(doc.get("generated_at")),
        "tool_name": one_line(tool.get("name")) or "contact-auditor",
        "tool_version": one_line(tool.get("version")),
        "devices": [term(lang, "device", d) for d in devices],
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
