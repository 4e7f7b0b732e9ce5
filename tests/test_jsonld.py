"""JSON-LD contact points: machine-readable contact data, reported separately and never a
found channel (spec section 3)."""

from __future__ import annotations

import json

from auditor.page_state import PageState
from checks.jsonld import contact_points

URL = "http://www.resebolaget.test/"


def points(*scripts: str) -> list[dict]:
    return contact_points(PageState(url=URL, jsonld=scripts))


def test_nested_contact_point_object() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "TravelAgency",
        "name": "Resebolaget Nordic AB",
        "contactPoint": {"@type": "ContactPoint", "telephone": "+46-8-555 123 45",
                         "contactType": "customer service", "areaServed": "SE",
                         "availableLanguage": ["Swedish", "English"]},
    }
    assert points(json.dumps(doc)) == [{
        "type": "ContactPoint", "telephone": "+46-8-555 123 45", "email": None,
        "contactType": "customer service", "url": URL, "areaServed": "SE",
        "availableLanguage": "Swedish, English",
    }]


def test_contact_point_list_and_organisation_fields() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "telephone": "+46 10 123 45 00",
        "email": "mailto:registrator@tillstandsmyndigheten.test",
        "contactPoint": [
            {"@type": "ContactPoint", "telephone": "+46-8-520-277-00", "contactType": "sales"},
            {"@type": "ContactPoint", "email": "support@cloudbooks.test", "contactType": "technical support"},
        ],
    }
    result = points(json.dumps(doc))
    assert [(p["type"], p["telephone"], p["email"], p["contactType"]) for p in result] == [
        ("Organization", "+46 10 123 45 00", "registrator@tillstandsmyndigheten.test", None),
        ("ContactPoint", "+46-8-520-277-00", None, "sales"),
        ("ContactPoint", None, "support@cloudbooks.test", "technical support"),
    ]
    assert all(p["url"] == URL for p in result)


def test_graph_and_top_level_list() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "x"},
        {"@type": ["Organization", "LocalBusiness"], "contactPoint": {
            "@type": "https://schema.org/ContactPoint", "telephone": "0771-22 11 00"}},
    ]}
    top_list = [{"@type": "WebPage"}, {"@type": "LocalBusiness", "telephone": "060-12 34 56"}]
    result = points(json.dumps(graph), json.dumps(top_list))
    assert [(p["type"], p["telephone"]) for p in result] == [
        ("ContactPoint", "0771-22 11 00"), ("LocalBusiness", "060-12 34 56")]


def test_broken_json_is_skipped_and_others_still_read() -> None:
    good = json.dumps({"@type": "ContactPoint", "telephone": "+46 8 713 10 00"})
    result = points("{not json", "", "null", "42", '"text"', "[1, 2, {]", good)
    assert [p["telephone"] for p in result] == ["+46 8 713 10 00"]


def test_wrapped_scripts_and_control_characters() -> None:
    wrapped = "<!--\n" + json.dumps({"@type": "ContactPoint", "email": "a@b.test"}) + ";\n-->"
    control = '{"@type": "ContactPoint", "telephone": "08-1\t23 45 67"}'
    assert [p["email"] for p in points(wrapped)] == ["a@b.test"]
    assert [p["telephone"] for p in points(control)] == ["08-1\t23 45 67"]


def test_nodes_without_contact_data_are_left_out() -> None:
    doc = {"@type": "Organization", "name": "X", "address": {"@type": "PostalAddress", "postalCode": "111 22"},
           "contactPoint": {"@type": "ContactPoint", "contactType": "customer service"}}
    assert points(json.dumps(doc)) == []
    assert points(json.dumps({"telephone": "+46 8 1"})) == []  # untyped: not schema.org data


def test_contact_point_with_only_a_contact_page() -> None:
    doc = {"@type": "ContactPoint", "url": "http://www.acme.test/kontakt/", "contactType": "customer support"}
    assert points(json.dumps(doc)) == [{
        "type": "ContactPoint", "telephone": None, "email": None, "contactType": "customer support",
        "url": URL, "target_url": "http://www.acme.test/kontakt/"}]


def test_duplicates_are_removed() -> None:
    cp = {"@type": "ContactPoint", "telephone": "+46 8 713 10 00"}
    assert len(points(json.dumps(cp), json.dumps([cp, cp]))) == 1


def test_hostile_nesting_does_not_raise() -> None:
    deep = "[" * 5000 + "]" * 5000
    nested: dict = {"@type": "ContactPoint", "telephone": "1"}
    for _ in range(200):
        nested = {"@type": "Thing", "x": nested}
    assert points(deep) == []
    assert isinstance(points(json.dumps(nested)), list)


def test_no_jsonld() -> None:
    assert contact_points(PageState(url=URL)) == []
