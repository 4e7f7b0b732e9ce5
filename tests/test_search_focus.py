"""End to end: where the focused search looks, and what it says when it stopped looking.

Real CLI, real Chromium, two fixture sites on 127.0.0.1 (`tests/fixtures/focus/`):

* `passed-over`: the start page links "Nyheter", "Produkter" and "Kontakt". The contact
  page has the e-mail and, in its body, a "reklamation" link to the contact form. A sales
  number sits only on the product page. A customer who has found the contact page does
  not go on to read the product pages: the focused search reports no phone and says
  `focus` in `limits_hit`; the exhaustive search finds the number one click away. The
  news page is opened anyway, as the fourth page of the WCAG 3.2.6 sample, and opened
  fully (it is listed among the pages).
* `no-contact-page`: no link promises contact. Until a contact page is seen the focused
  search opens everything, so the number on the product page is found.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.demo.server import serve_sites
from tests.test_e2e_fixtures import run_cli

FOCUS = Path(__file__).parent / "fixtures" / "focus"


def _audit(tmp: Path, *extra: str) -> dict[str, dict]:
    roots = {p.name: p for p in sorted(FOCUS.iterdir()) if p.is_dir()}
    out = tmp / "result.json"
    with serve_sites(roots) as urls:
        proc = run_cli(["audit", *urls.values(), "--no-db", "--json", str(out), *extra])
        assert proc.returncode == 0, proc.stderr[-3000:]
    by_url = {s["url"]: s for s in json.loads(out.read_text(encoding="utf-8"))["sites"]}
    return {name: by_url[url] for name, url in urls.items()}


@pytest.fixture(scope="module")
def focused(tmp_path_factory) -> dict[str, dict]:
    return _audit(tmp_path_factory.mktemp("focused"))


@pytest.fixture(scope="module")
def exhaustive(tmp_path_factory) -> dict[str, dict]:
    return _audit(tmp_path_factory.mktemp("exhaustive"), "--search", "exhaustive")


def _opened(site: dict) -> set[str]:
    return {p["url"].split("/", 3)[-1] for p in site["pages"]}


def test_focused_search_skips_unrelated_pages_once_the_contact_page_is_seen(focused):
    site = focused["passed-over"]
    assert site["status"] == "ok"
    assert site["channels"]["email"]["clicks"] == 1
    assert site["channels"]["phone"]["found"] is False
    assert "focus" in site["limits_hit"]
    assert "produkter/" not in _opened(site)
    assert "nyheter/" in _opened(site)  # the Consistent Help sample's fourth page


def test_links_in_the_body_of_a_contact_page_are_followed(focused):
    form = focused["passed-over"]["channels"]["form"]
    assert form["found"] is True and form["clicks"] == 2
    assert [s["label"] for s in form["path"]] == ["Kontakt", "Anmäl en reklamation"]


def test_exhaustive_search_opens_every_page(exhaustive):
    site = exhaustive["passed-over"]
    phone = site["channels"]["phone"]
    assert phone["found"] is True and phone["clicks"] == 1
    assert phone["values"] == ["+4660123456"]
    assert phone["path"][0]["label"] == "Produkter"
    assert "focus" not in site["limits_hit"]
    assert site["channels"]["form"]["clicks"] == 2  # the rest is the same


def test_without_a_contact_page_the_focused_search_opens_everything(focused):
    site = focused["no-contact-page"]
    phone = site["channels"]["phone"]
    assert phone["found"] is True and phone["clicks"] == 1
    assert phone["values"] == ["+46498123456"]
    assert {"produkter/", "nyheter/"} <= _opened(site)
