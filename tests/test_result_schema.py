"""The published JSON Schema (`auditor/schema/result.schema.json`) is the result document.

Three things are checked: the schema is a valid draft 2020-12 schema; its enumerations and
property lists are the models' own (`auditor/result.py`, `auditor/scoring.py`), so the two
cannot drift apart silently; and real output of the CLI, on fixture sites served on
127.0.0.1 (audited ones and error ones), validates against it, with every error site
unscored.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from auditor.browser import DEVICES
from auditor.demo.server import serve_sites, unreachable_url
from auditor.human_time import HumanTimeConstants
from auditor.result import (
    CHANNELS,
    ERROR_KINDS,
    SCHEMA,
    SEVERITIES,
    STATUSES,
    STEP_ACTIONS,
    ChannelResult,
    ConsentRecord,
    Evidence,
    Finding,
    PathStep,
    ResultDocument,
    SiteError,
    SiteResult,
    VisitedPage,
)
from auditor.scoring import CLICK_KEYS, GRADES, load_profile

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "auditor" / "schema" / "result.schema.json"
FIXTURES = Path(__file__).parent / "fixtures" / "sites"
#: Audited sites (a consistent-help finding, a hostile one) and two error kinds.
AUDITED = ("footer-link", "help-moves", "hostile")
ERRORS = {"server-error": "http_error", "bot-challenge": "bot_protection"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(validator: jsonschema.Draft202012Validator, doc: dict) -> list[str]:
    return [
        f"{e.json_path}: {e.message[:300]}"
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    ]


def run_cli(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def audit(tmp_path_factory) -> tuple[dict, dict[str, str]]:
    """One CLI run over the fixture sites, screenshots on: (document, name -> url)."""
    tmp = tmp_path_factory.mktemp("schema-audit")
    roots = {name: FIXTURES / name for name in (*AUDITED, *ERRORS)}
    out = tmp / "result.json"
    with serve_sites(roots) as urls:
        urls = dict(urls)
        urls["unreachable"] = unreachable_url()
        proc = run_cli(
            ["audit", *urls.values(), "--json", str(out), "--screenshots", str(tmp / "shots"),
             "--lang", "en"]
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), urls


# --- the schema itself -----------------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema: dict) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": SCHEMA}


def test_enumerations_are_the_models_own(schema: dict) -> None:
    defs = schema["$defs"]
    site = defs["site"]["properties"]
    assert tuple(site["status"]["enum"]) == STATUSES
    assert tuple(defs["site_error"]["properties"]["kind"]["enum"]) == ERROR_KINDS
    assert tuple(defs["path_step"]["properties"]["action"]["enum"]) == STEP_ACTIONS
    assert tuple(defs["finding"]["properties"]["severity"]["enum"]) == SEVERITIES
    assert tuple(defs["channel_name"]["enum"]) == CHANNELS
    assert tuple(site["channels"]["properties"]) == CHANNELS
    assert set(site["device"]["enum"]) == set(DEVICES)
    assert tuple(defs["grade"]["enum"]) == GRADES
    profile = defs["scoring_profile"]["properties"]
    assert tuple(profile["clicks"]["required"]) == CLICK_KEYS
    assert tuple(profile["grades"]["required"]) == GRADES
    human_time = [f.name for f in dataclasses.fields(HumanTimeConstants)]
    assert profile["human_time"]["required"] == human_time


def _properties(schema: dict, name: str) -> list[str]:
    return list(schema["$defs"][name]["properties"])


def test_property_lists_are_the_models_own(schema: dict) -> None:
    """Every key `to_dict` writes is described, in the same order, and nothing else."""
    step = PathStep("click", "Kontakt", "http://a.test/k", new_tab=True)
    evidence = Evidence("http://a.test/k", "08-123 456", "main p", "shots/a.png")
    phone = ChannelResult("phone", True, 1, 1.0, 5.0, ("+468123456",), (step,), evidence,
                          number_types={"+468123456": "FIXED_LINE"})
    chat = ChannelResult("chat", True, 0, 0.5, 2.0, vendor="tawk", kind="human")
    finding = Finding("no_email", "high", "m", {"pages_visited": 3},
                      ({"id": "r", "title": "t", "url": "https://r.test/"},), "T", "E", "R")
    page = VisitedPage("http://a.test/", 0, 1.0, 200, None, "start")
    site = SiteResult(
        url="http://a.test/", device="desktop", status="ok", score=80, grade="B",
        channels={"phone": phone, "chat": chat}, findings=(finding,), pages=(page,),
        consent=ConsentRecord(True, True, "reject", "onetrust", ("a.test",)),
    )
    profile = load_profile(None).to_dict()
    doc = ResultDocument("2026-11-23T12:00:00Z", "0.1.0", (site,), profile).to_dict()
    assert list(doc) == list(schema["properties"])
    assert list(doc["sites"][0]) == _properties(schema, "site")
    assert list(doc["sites"][0]["consent"]) == _properties(schema, "consent")
    assert list(doc["sites"][0]["pages"][0]) == _properties(schema, "visited_page")
    channel = doc["sites"][0]["channels"]
    base = _properties(schema, "channel_fields")
    assert list(channel["email"]) == base
    assert list(channel["phone"]) == base + _properties(schema, "phone_channel")
    assert list(channel["chat"]) == base + _properties(schema, "chat_channel")
    assert list(channel["phone"]["path"][0]) == _properties(schema, "path_step")
    assert list(channel["phone"]["evidence"]) == _properties(schema, "evidence")
    assert list(doc["sites"][0]["findings"][0]) == _properties(schema, "finding")
    assert list(doc["profile"]) == _properties(schema, "scoring_profile")
    assert list(SiteError("dns", "x").to_dict()) == _properties(schema, "site_error")


def test_schema_rejects_what_the_models_never_write(validator, audit) -> None:
    doc, urls = audit
    by_url = {s["url"]: i for i, s in enumerate(doc["sites"])}
    ok, error = by_url[urls["footer-link"]], by_url[urls["server-error"]]

    def broken(change) -> dict:
        copied = copy.deepcopy(doc)
        change(copied["sites"])
        return copied

    cases = {
        "scored error site": lambda s: s[error].update(score=0, grade="F"),
        "error site with channels": lambda s: s[error].update(channels=doc["sites"][ok]["channels"]),
        "ok site without a score": lambda s: s[ok].update(score=None),
        "ok site with an error": lambda s: s[ok].update(error={"kind": "dns", "message": "x"}),
        "unknown status": lambda s: s[ok].update(status="fine"),
        "unknown error kind": lambda s: s[error]["error"].update(kind="gremlins"),
        "score above 100": lambda s: s[ok].update(score=101),
        "unknown step action": lambda s: s[ok]["channels"]["phone"]["path"][0].update(action="hover"),
        "unknown severity": lambda s: s[ok]["findings"].append(
            {"id": "x", "severity": "severe", "message": "", "evidence": {}, "rules": []}
        ),
        "extra channel key": lambda s: s[ok]["channels"]["email"].update(vendor="x"),
        "phone without number types": lambda s: s[ok]["channels"]["phone"].pop("number_types"),
        "missing channel": lambda s: s[ok]["channels"].pop("form"),
        "extra site key": lambda s: s[ok].update(colour="red"),
    }
    assert not _errors(validator, doc)
    for name, change in cases.items():
        assert _errors(validator, broken(change)), name


# --- real audit output ------------------------------------------------------------------


def test_real_audit_output_validates(validator, audit) -> None:
    doc, _ = audit
    assert _errors(validator, doc) == []


def test_real_output_round_trips_through_the_models(audit) -> None:
    doc, _ = audit
    assert ResultDocument.from_dict(doc).to_dict() == doc


def test_error_sites_are_unscored(audit) -> None:
    doc, urls = audit
    by_url = {s["url"]: s for s in doc["sites"]}
    expected = {**ERRORS, "unreachable": "connection"}
    for name, kind in expected.items():
        site = by_url[urls[name]]
        assert site["status"] == "error", (name, site["status"])
        assert site["error"]["kind"] == kind, (name, site["error"])
        assert site["score"] is None and site["grade"] is None, name
        assert site["channels"] == {}, name
    for name in AUDITED:
        site = by_url[urls[name]]
        assert site["status"] in ("ok", "partial"), (name, site["error"])
        assert isinstance(site["score"], int) and site["grade"] in GRADES


def test_consistent_help_evidence_is_in_the_document(audit) -> None:
    doc, urls = audit
    site = next(s for s in doc["sites"] if s["url"] == urls["help-moves"])
    finding = next(f for f in site["findings"] if f["id"] == "inconsistent_help")
    assert len(finding["evidence"]["pages_compared"]) >= 2
    assert {p["position"] for p in finding["evidence"]["pages"]} >= {"top", "bottom"}
