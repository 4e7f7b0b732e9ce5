"""End to end: each finding fires where it should, and a clean site gets none (issue 5).

Sites: the bundled demo companies (one open, one average, one that hides its contact
details), the cookie-wall and help-moves fixtures, and small sites in
`tests/fixtures/findings/`, each built around one problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.demo.server import demo_site_roots, serve_sites
from tests.test_e2e_fixtures import FIXTURES, run_cli

FINDING_SITES = FIXTURES / "findings"


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    roots = dict(demo_site_roots())
    roots |= {p.name: p for p in FINDING_SITES.iterdir() if p.is_dir()}
    roots |= {n: FIXTURES / "sites" / n for n in ("cookie-wall", "show-number")}
    out = tmp_path_factory.mktemp("findings") / "r.json"
    with serve_sites(roots) as urls:
        proc = run_cli(["audit", *urls.values(), "--json", str(out)])
        assert proc.returncode == 0, proc.stderr[-3000:]
    by_url = {s["url"]: s for s in json.loads(out.read_text())["sites"]}
    return {name: by_url[url] for name, url in urls.items()}


def ids(site: dict) -> set[str]:
    return {f["id"] for f in site["findings"]}


NEGATIVE = {
    "no_phone", "no_email", "no_human_channel", "premium_rate_phone", "shared_cost_phone",
    "contact_behind_login", "faq_before_contact", "no_contact_link_on_start_page",
    "chat_script_without_launcher", "consent_wall", "contact_only_as_image", "inconsistent_help",
}


def test_a_clean_site_has_no_problem_findings(results):
    assert ids(results["oppna-banken"]) & NEGATIVE == set()
    assert results["oppna-banken"]["grade"] in ("A", "B")


@pytest.mark.parametrize(
    "site, expected",
    [
        ("gomda-telekom", {"premium_rate_phone", "contact_behind_login", "faq_before_contact",
                           "chat_script_without_launcher", "no_email"}),
        ("mellan-el", {"shared_cost_phone"}),
        ("show-number", {"shared_cost_phone"}),
        ("no-contact-link", {"no_contact_link_on_start_page"}),
        ("bot-only", {"no_phone", "no_email", "no_human_channel"}),
        ("image-only", {"contact_only_as_image", "jsonld_contact_point", "no_email"}),
        ("cookie-wall", {"consent_wall"}),
    ],
)
def test_finding_fires(results, site, expected):
    assert expected <= ids(results[site]), ids(results[site])


@pytest.mark.parametrize(
    "site, absent",
    [
        ("mellan-el", {"premium_rate_phone", "contact_behind_login", "no_phone"}),
        ("no-contact-link", {"no_phone", "contact_only_as_image"}),
        ("image-only", {"no_phone", "no_contact_link_on_start_page"}),
        ("bot-only", {"chat_script_without_launcher", "shared_cost_phone"}),
        ("cookie-wall", {"no_phone"}),
    ],
)
def test_finding_does_not_fire(results, site, absent):
    assert not (absent & ids(results[site])), ids(results[site])


def test_findings_name_their_rules_and_evidence(results):
    for f in results["gomda-telekom"]["findings"]:
        assert f["severity"] in ("info", "low", "medium", "high", "critical")
        assert f["message"] and f["recommendation"]
        assert f["rules"] and all(r["url"].startswith("https://") for r in f["rules"])
    premium = next(f for f in results["gomda-telekom"]["findings"] if f["id"] == "premium_rate_phone")
    assert premium["evidence"]["number"].startswith("+46939")


def test_bot_chat_is_a_bot(results):
    chat = results["bot-only"]["channels"]["chat"]
    assert chat["found"] and chat["clicks"] == 0 and chat["kind"] == "bot"
