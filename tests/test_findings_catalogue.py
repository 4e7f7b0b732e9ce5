"""The findings catalogue as data (checks/data/findings.json) and its loader."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest

import checks.findings_catalogue as catalogue_module
from auditor.result import SEVERITIES, Evidence, Finding
from checks.findings_catalogue import (
    LANGUAGES,
    Catalogue,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)

#: The finding ids the brief and spec section 5 name; the catalogue must hold exactly these.
EXPECTED_IDS = {
    "no_phone",
    "no_email",
    "no_human_channel",
    "premium_rate_phone",
    "shared_cost_phone",
    "contact_behind_login",
    "faq_before_contact",
    "no_contact_link_on_start_page",
    "chat_script_without_launcher",
    "consent_wall",
    "contact_only_as_image",
    "inconsistent_help",
    "jsonld_contact_point",
}
POSITIVE_IDS = {"jsonld_contact_point"}


def _data_file(name: str) -> Any:
    return json.loads(resources.files("checks").joinpath("data", name).read_text("utf-8"))


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = _data_file("findings.json")
    return data


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_findings_json_is_schema_valid(raw: dict[str, Any]) -> None:
    schema = _data_file("findings.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_rejects_what_it_should(raw: dict[str, Any]) -> None:
    schema = _data_file("findings.schema.json")
    bad = copy.deepcopy(raw)
    del bad["findings"]["no_phone"]["message"]["sv"]
    bad["findings"]["no_email"]["severity"] = "severe"
    bad["rules"]["crd_art21"]["url"] = "http://eur-lex.europa.eu/"
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("'sv' is a required property" in m for m in messages)
    assert any("'severe' is not one of" in m for m in messages)
    assert any("does not match" in m and "http://" in m for m in messages)


def test_ids_are_the_agreed_set(catalogue: Catalogue) -> None:
    assert set(catalogue.ids()) == EXPECTED_IDS
    assert len(catalogue.ids()) == len(EXPECTED_IDS)


def test_every_text_exists_in_english_and_swedish(catalogue: Catalogue) -> None:
    for finding_id in catalogue.ids():
        entry = catalogue.entry(finding_id)
        for field in ("title", "message", "explanation", "recommendation"):
            texts = getattr(entry, field)
            assert set(texts) == set(LANGUAGES) == {"en", "sv"}, (finding_id, field)
            assert all(t.strip() for t in texts.values()), (finding_id, field)
            assert texts["en"] != texts["sv"], f"{finding_id}.{field} is not translated"


def test_every_risk_finding_points_at_an_https_rule(catalogue: Catalogue) -> None:
    for finding_id in catalogue.ids():
        entry = catalogue.entry(finding_id)
        if finding_id in POSITIVE_IDS:
            assert entry.severity == "info"
            continue
        assert entry.rules, f"{finding_id} has no rule"
        assert entry.severity in SEVERITIES and entry.severity != "info", finding_id
        for rule in entry.rules:
            parts = urlsplit(rule.url)
            assert parts.scheme == "https" and parts.netloc, (finding_id, rule.url)


def test_every_rule_is_used_and_summarised(catalogue: Catalogue) -> None:
    used = {rule.id for fid in catalogue.ids() for rule in catalogue.entry(fid).rules}
    assert used == {rule.id for rule in catalogue.rules()}
    for rule in catalogue.rules():
        assert rule.title.strip()
        for lang in LANGUAGES:
            summary = rule.summary[lang]
            # "a one-sentence summary": ends in a full stop, no sentence break inside
            # ("Art. 21" is an abbreviation, not a break).
            assert summary.endswith("."), (rule.id, lang)
            assert not re.search(r"[.!?] [A-ZÅÄÖ]", summary), (rule.id, lang)


@pytest.mark.parametrize(
    ("rule_id", "host"),
    [
        ("crd_art6_1_c", "eur-lex.europa.eu"),
        ("crd_art21", "eur-lex.europa.eu"),
        ("ecd_art5_1", "eur-lex.europa.eu"),
        ("dsa_art12", "eur-lex.europa.eu"),
        ("cjeu_c649_17", "eur-lex.europa.eu"),
        ("wcag22_sc_3_2_6", "www.w3.org"),
        ("kv_kundtjanst", "konsumentverket.se"),
    ],
)
def test_key_rules_link_to_the_official_text(catalogue: Catalogue, rule_id: str, host: str) -> None:
    rule = catalogue.rule(rule_id)
    assert urlsplit(rule.url).netloc == host
    assert rule.official_text


def test_secondary_sources_are_marked_as_such(catalogue: Catalogue) -> None:
    for rule_id in ("cjeu_c568_15", "cjeu_c332_17", "e_handelslagen_8"):
        assert catalogue.rule(rule_id).official_text is False, rule_id


def test_make_fills_placeholders_in_both_languages(catalogue: Catalogue) -> None:
    en = catalogue.make("shared_cost_phone", number="0771-25 25 25")
    sv = catalogue.make("shared_cost_phone", lang="sv", number="0771-25 25 25")
    assert en.message.startswith("The phone number 0771-25 25 25 is a shared-cost number")
    assert sv.message.startswith("Telefonnumret 0771-25 25 25 har delad kostnad")
    for finding in (en, sv):
        assert "{" not in finding.message and "}" not in finding.message
        assert finding.severity == "medium"


def test_every_message_renders_with_its_declared_placeholders(catalogue: Catalogue) -> None:
    for finding_id in catalogue.ids():
        entry = catalogue.entry(finding_id)
        values = {name: f"<{name}-value>" for name in entry.placeholders}
        for lang in LANGUAGES:
            finding = catalogue.make(finding_id, lang=lang, **values)  # type: ignore[arg-type]
            assert all(v in finding.message for v in values.values()), (finding_id, lang)
            assert "{" not in finding.message, (finding_id, lang)
            assert "\n" not in finding.message  # one line for people
            title = entry.render("title", lang, **values)
            assert title and "{" not in title


def test_make_builds_a_complete_finding(catalogue: Catalogue) -> None:
    evidence = {"url": "https://example.test/kontakt", "text": "0900-123 45 67"}
    finding = catalogue.make("premium_rate_phone", evidence=evidence, number="0900-123 45 67")
    assert isinstance(finding, Finding)
    assert finding.id == "premium_rate_phone"
    assert finding.severity == "high"
    assert finding.evidence == evidence
    assert next(r["id"] for r in finding.rules) == "crd_art21"
    for ref in finding.rules:
        assert set(ref) == {"id", "title", "url"}
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_make_accepts_an_evidence_object(catalogue: Catalogue) -> None:
    evidence = Evidence(url="https://example.test/", text="chat", selector="#chat")
    finding = catalogue.make("chat_script_without_launcher", evidence=evidence, vendor="intercom")
    assert finding.evidence == evidence.to_dict()
    assert "intercom" in finding.message


def test_positive_finding_has_no_rules(catalogue: Catalogue) -> None:
    finding = catalogue.make("jsonld_contact_point")
    assert finding.rules == ()
    assert finding.severity == "info"


def test_missing_or_unknown_placeholders_are_errors(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError, match="number"):
        catalogue.make("premium_rate_phone")
    with pytest.raises(CatalogueError, match="numbr"):
        catalogue.make("premium_rate_phone", number="0900", numbr="0900")


def test_unknown_id_and_language(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="no_such_finding"):
        catalogue.make("no_such_finding")
    with pytest.raises(ValueError, match="de"):
        catalogue.make("no_phone", lang="de")


def test_page_text_in_a_placeholder_is_not_a_template(catalogue: Catalogue) -> None:
    hostile = "{number.__class__} {0}"
    finding = catalogue.make("premium_rate_phone", number=hostile)
    assert hostile in finding.message


def test_loader_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


def test_parse_catalogue_cross_checks(raw: dict[str, Any]) -> None:
    dangling = copy.deepcopy(raw)
    dangling["findings"]["no_phone"]["rules"].append("no_such_rule")
    with pytest.raises(CatalogueError, match="no_such_rule"):
        parse_catalogue(dangling)

    undeclared = copy.deepcopy(raw)
    undeclared["findings"]["no_phone"]["message"]["sv"] = "Inget nummer på {url}."
    with pytest.raises(CatalogueError, match="undeclared"):
        parse_catalogue(undeclared)

    unused = copy.deepcopy(raw)
    unused["findings"]["premium_rate_phone"]["message"]["en"] = "A premium-rate number."
    with pytest.raises(CatalogueError, match="every placeholder"):
        parse_catalogue(unused)


def test_says_it_is_not_legal_advice(catalogue: Catalogue) -> None:
    assert "not legal advice" in (catalogue_module.__doc__ or "").lower()
    assert "not legal advice" in catalogue.notice("en")
    assert "inte juridisk rådgivning" in catalogue.notice("sv")
