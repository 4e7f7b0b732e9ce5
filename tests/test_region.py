"""Region inference: which numbering plan a site's numbers are read in (spec section 1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auditor.region import infer_region


def infer(explicit: str | None = None, lang: str = "", host: str = "", texts: tuple[str, ...] = ()) -> tuple[str, str]:
    return infer_region(explicit=explicit, lang=lang, host=host, texts=texts)


def test_explicit_flag_wins_over_everything() -> None:
    assert infer("fi", lang="sv-SE", host="www.acme.se", texts=("+46 8 713 10 00",)) == ("FI", "--region")
    assert infer("uk") == ("GB", "--region")


def test_explicit_unknown_region_falls_back_and_says_so() -> None:
    assert infer("XX", host="www.acme.fi") == ("FI", "--region XX unknown; ccTLD .fi")
    assert infer("XX") == ("SE", "--region XX unknown; default SE")


@pytest.mark.parametrize(
    ("lang", "region"),
    [("fi-FI", "FI"), ("sv-FI", "FI"), ("sv_SE", "SE"), ("en-US", "US"), ("en-GB", "GB"),
     ("de-AT", "AT"), ("zh-Hans-CN", "CN"), ("nb-no", "NO")],
)
def test_html_lang_region_subtag(lang: str, region: str) -> None:
    assert infer(lang=lang, host="www.acme.se") == (region, f"html lang {lang}")


@pytest.mark.parametrize(
    ("host", "region", "tld"),
    [("www.acme.se", "SE", "se"), ("kundservice.acme.fi", "FI", "fi"), ("acme.no", "NO", "no"),
     ("www.acme.dk:8080", "DK", "dk"), ("shop.acme.co.uk", "GB", "uk"), ("acme.de", "DE", "de"),
     ("acme.ch", "CH", "ch"), ("ACME.AT", "AT", "at")],
)
def test_country_code_tld(host: str, region: str, tld: str) -> None:
    assert infer(lang="en", host=host) == (region, f"ccTLD .{tld}")


@pytest.mark.parametrize("host", ["www.acme.com", "www.telekom-nord.test", "acme.io", "acme.nu",
                                  "acme.eu", "127.0.0.1", "localhost", ""])
def test_generic_and_reserved_hosts_say_nothing(host: str) -> None:
    assert infer(lang="", host=host) == ("SE", "default SE")


def test_lang_subtag_beats_cctld() -> None:
    assert infer(lang="fi-FI", host="www.acme.se") == ("FI", "html lang fi-FI")


def test_cctld_beats_language() -> None:
    assert infer(lang="sv", host="www.fortum.fi") == ("FI", "ccTLD .fi")


@pytest.mark.parametrize(
    ("lang", "region"),
    [("sv", "SE"), ("fi", "FI"), ("nb", "NO"), ("nn", "NO"), ("no", "NO"), ("da", "DK"), ("de", "DE")],
)
def test_language_tied_to_one_country(lang: str, region: str) -> None:
    assert infer(lang=lang, host="www.acme.test") == (region, f"language {lang}")


def test_language_beats_numbers_in_text() -> None:
    assert infer(lang="da", host="acme.com", texts=("+46 8 713 10 00",)) == ("DK", "language da")


def test_most_common_country_code_in_text() -> None:
    texts = ("Ring +358 10 19 18 18", "Från Sverige +46 8 713 10 00", "Felanmälan +358 800 1 3800")
    assert infer(lang="en", host="www.acme.com", texts=texts) == ("FI", "+358 numbers in text")
    assert infer(lang="", host="x.test", texts=("+46(0)771-22 11 22",)) == ("SE", "+46 numbers in text")
    assert infer(lang="en", texts=("Call +1 650 253 0000",)) == ("US", "+1 numbers in text")


def test_plus_without_a_number_is_not_a_country_code() -> None:
    assert infer(lang="en", texts=("C++ 20 and +5 points",)) == ("SE", "default SE")


@pytest.mark.parametrize(
    ("lang", "texts", "expected"),
    [
        ("en", ("Pris 1 299 kr",), ("SE", "currency kr")),
        ("en", ("Price SEK 1 299",), ("SE", "currency SEK")),
        ("en", ("Pris 1 299 NOK",), ("NO", "currency NOK")),
        ("en", ("399 DKK per måned",), ("DK", "currency DKK")),
        ("en", ("CHF 49.90",), ("CH", "currency CHF")),
        ("en", ("€ 49,90",), ("SE", "default SE")),  # euro alone does not say which country
        ("", ("Dein Preis 1 299 kr",), ("SE", "currency kr")),
    ],
)
def test_currency(lang: str, texts: tuple[str, ...], expected: tuple[str, str]) -> None:
    assert infer(lang=lang, host="www.acme.com", texts=texts) == expected


def test_numbers_beat_currency() -> None:
    texts = ("Pris 1 299 kr", "Call +47 915 09 000")
    assert infer(lang="en", host="acme.com", texts=texts) == ("NO", "+47 numbers in text")


def test_default_is_sweden() -> None:
    assert infer() == ("SE", "default SE")


def test_texts_may_be_a_generator() -> None:
    def gen() -> Iterator[str]:
        yield "Ring +45 72 100 100"

    assert infer_region(explicit=None, lang="en", host="acme.com", texts=gen()) == ("DK", "+45 numbers in text")
