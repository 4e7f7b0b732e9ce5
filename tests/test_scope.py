"""Scope of the search (spec section 4) and page identity."""

from auditor import scope


def test_subdomains_share_the_registrable_domain():
    assert scope.same_site("http://hjalp.resebolaget.test/kontakt/", "http://www.resebolaget.test/")
    assert scope.same_site("https://kundservice.example.co.uk/", "https://www.example.co.uk/")


def test_a_vendor_help_centre_is_another_site():
    assert not scope.same_site("http://cloudbooks.freshdesk.test/support/", "http://www.cloudbooks.test/")
    assert scope.site_key("https://www.example.co.uk/a") == "example.co.uk"


def test_local_servers_on_other_ports_are_other_sites():
    assert not scope.same_site("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")
    assert scope.same_site("http://127.0.0.1:8001/kontakt/", "http://127.0.0.1:8001/")


def test_normalise_drops_the_fragment_and_keeps_the_query():
    assert scope.normalise("HTTP://WWW.Example.se/a/#top") == "http://www.example.se/a/"
    assert scope.normalise("http://www.example.se") == "http://www.example.se/"
    assert scope.normalise("http://x.se/?n=1") != scope.normalise("http://x.se/?n=2")


def test_files_are_not_pages():
    assert not scope.is_page_link("http://x.se/prislista.pdf")
    assert not scope.is_page_link("mailto:a@x.se")
    assert scope.is_page_link("http://x.se/kontakt/")


def test_a_hash_route_is_another_page():
    assert scope.normalise("http://x.se/#/kontakt") == "http://x.se/#/kontakt"
    assert scope.normalise("http://x.se/#/kontakt") != scope.normalise("http://x.se/#/")
    assert scope.normalise("http://x.se/#kontakt") == "http://x.se/"
