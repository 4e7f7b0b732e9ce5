"""Phone detector: what counts as a visible phone number (spec section 3) and what only
looks like one (opening hours, org.nr, bankgiro, dates, prices, postcodes, IBAN, Swish,
fax, customer numbers). Formats come from reference/swedish-phone-formats.md and
reference/swedish-contact-pages.md."""

from __future__ import annotations

import json
import re
from importlib import resources

import phonenumbers
import pytest
from phonenumbers import Leniency, PhoneNumberMatcher

from auditor.page_state import Link, PageState, TextBlock
from checks.base import ChannelHit, DetectContext
from checks.phone import classify_cost, detect, load_rules

SE = DetectContext(region="SE")


def state(*texts: str, links: tuple[Link, ...] = (), alt: bool = False) -> PageState:
    blocks = tuple(
        TextBlock(key=i + 1, text=t, source="alt" if alt else "text", region="footer",
                  selector=f"#b{i + 1}")
        for i, t in enumerate(texts)
    )
    return PageState(url="http://www.example.test/", blocks=blocks, links=links)


def hits(*texts: str, ctx: DetectContext = SE, **kw: object) -> list[ChannelHit]:
    return detect(state(*texts, **kw), ctx)  # type: ignore[arg-type]


def values(*texts: str, ctx: DetectContext = SE) -> list[str]:
    return [h.value for h in hits(*texts, ctx=ctx)]


# --------------------------------------------------------------------------- full numbers


@pytest.mark.parametrize(
    ("text", "e164", "number_type"),
    [
        ("Ring 0771-75 75 75 så hjälper vi dig", "+46771757575", "SHARED_COST"),
        ("Kundservice 0771-950 950", "+46771950950", "SHARED_COST"),
        ("ringa oss på 077-225 25 25.", "+46772252525", "SHARED_COST"),
        ("Reach us: 020-82 00 00", "+4620820000", "TOLL_FREE"),
        ("0200-22 58 00", "+46200225800", "TOLL_FREE"),
        ("Växel 08-701 10 00", "+4687011000", "FIXED_LINE"),
        ("telefon 08-43 737 858", "+46843737858", "FIXED_LINE"),
        ("tel: 070-344 59 32", "+46703445932", "MOBILE"),
        ("Telefon: 0735-300 344", "+46735300344", "MOBILE"),
        ("From abroad +46 771 82 00 00", "+46771820000", "SHARED_COST"),
        ("+46 8 14 72 00", "+468147200", "FIXED_LINE"),
        ("Ring +46(0)771-22 11 22", "+46771221122", "SHARED_COST"),
        ("Bokning 0939-20 30 40", "+46939203040", "PREMIUM_RATE"),
        ("Växel: 010-123 45 00", "+46101234500", "UAN"),
    ],
)
def test_full_numbers_in_swedish_formats(text: str, e164: str, number_type: str) -> None:
    found = hits(text)
    assert [h.value for h in found] == [e164]
    assert found[0].meta == {"number_type": number_type, "short": False, "source": "text"}
    assert found[0].channel == "phone"


def test_hit_carries_key_selector_and_raw_text() -> None:
    [hit] = hits("Inget här", "Ring oss på 08-123 456 78 idag")
    assert hit.key == 2
    assert hit.selector == "#b2"
    assert hit.text == "08-123 456 78"
    assert hit.value == "+46812345678"


def test_same_number_in_two_forms_is_one_value_per_element() -> None:
    found = hits("Ring 0771-22 11 00, från utlandet +46 771 22 11 00")
    assert [h.value for h in found] == ["+46771221100"]


def test_same_number_in_two_elements_gives_one_hit_each() -> None:
    found = hits("Ring 0771-22 11 00", "Från utlandet: +46 771 22 11 00")
    assert [(h.key, h.value) for h in found] == [(1, "+46771221100"), (2, "+46771221100")]


def test_several_numbers_in_one_block_in_reading_order() -> None:
    assert values("Privat 020-82 00 00, företag 08-701 10 00") == ["+4620820000", "+4687011000"]


def test_number_split_across_inline_elements() -> None:
    # <span>0771</span> - <span>22 11 00</span> joined by the collector with spaces
    assert values("Ring 0771 - 22 11 00") == ["+46771221100"]
    # <strong>010-456 78 90</strong><br><small>Vardagar ...: a <br> leaves no space
    assert values("Ring oss på 010-456 78 90Vardagar 09–18, helger 10–16") == ["+46104567890"]


def test_alt_text_counts_and_says_so() -> None:
    [hit] = hits("Ring oss på 08-123 456 78 – vi hjälper dig", alt=True)
    assert hit.value == "+46812345678"
    assert hit.meta["source"] == "alt"


def test_finnish_number_read_for_region_fi() -> None:
    text = "Kundbetjäning vardagar kl. 9 -17 tel. 0200 19000 (lna/msa)"
    assert values(text, ctx=DetectContext(region="FI")) == ["+35820019000"]
    # The same digits are a valid Swedish freephone number: the region decides.
    assert values(text, ctx=SE) == ["+4620019000"]


def test_foreign_number_with_country_code_is_read_as_written() -> None:
    assert values("Från Finland: +358 10 19 18 18") == ["+35810191818"]


# --------------------------------------------------------------------------- short numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Kundservice telefon: 90 222", "90222"),
        ("kontakta oss via vår kundtjänst på telefon 90 200. Du kan också chatta.", "90200"),
        ("Vid reklamation och frågor om leverans: Ring 90400", "90400"),
        ("Du kan också ringa till Tele2 kundservice på telefonnummer 90 222.", "90222"),
        ("Tel. 90 200", "90200"),
        ("Call us on 90 200", "90200"),
    ],
)
def test_short_numbers_after_a_cue_word(text: str, value: str) -> None:
    [hit] = hits(text)
    assert hit.value == value
    assert hit.meta["short"] is True
    assert hit.meta["number_type"] == "SHORT_UNKNOWN"  # operator numbers: cost not in metadata
    assert hit.text.replace(" ", "") == value


def test_directory_short_number_is_premium() -> None:
    [hit] = hits("Ring 118 118")
    assert (hit.value, hit.meta["number_type"], hit.meta["short"]) == ("118118", "PREMIUM_RATE", True)


@pytest.mark.parametrize(
    "text",
    [
        "90 200",  # no cue
        "Vi har 90 200 kunder i Norrland",
        "Eniros 118118",
        "Pris 90 200 kr",
        "postnummer 902 00",
        "Box 1234, 902 00 Umeå",
    ],
)
def test_short_numbers_without_a_cue_are_not_read(text: str) -> None:
    assert values(text) == []


def test_short_number_validity_is_checked() -> None:
    # 11122 is not a Swedish short number even after a cue word.
    assert values("Ring 111 22") == []
    assert values("Ring 12345") == []


def test_a_list_of_numbers_shares_the_cue() -> None:
    assert values("Ring 118 118 eller 90 200 eller 90 222") == ["118118", "90200", "90222"]


def test_cue_in_the_heading_block_above_the_number() -> None:
    # <h2>Ring kundservice</h2><div class="big-number">90 200</div>
    assert values("Ring kundservice", "90 200") == ["90200"]
    assert values("Våra öppettider idag och imorgon", "90 200") == []


def test_short_number_shapes_inside_traps_are_not_read_even_after_a_cue() -> None:
    assert values("Kundservice, 902 00 Umeå") == []  # postcode
    assert values("Mobil 90 200 kr") == []  # price
    assert values("Kundservice 90 01 22-3") == []  # plusgiro


def test_line_breaks_inside_a_block() -> None:
    # <p>Ring oss<br>90 200</p> and <p>Fax:<br>060-12 34 57</p>: the collector keeps <br> as "\n"
    assert values("Ring oss\n90 200") == ["90200"]
    assert values("Fax:\n060-12 34 57") == []
    assert values("Fax 060-12 34 57\nTelefon 060-12 34 56") == ["+4660123456"]
    assert values("Org.nr 556677-8899\n90 200") == []


def test_alt_text_is_not_labelled_by_the_block_before_it() -> None:
    st = PageState(url="http://x.test/", blocks=(
        TextBlock(key=1, text="Ring kundservice"), TextBlock(key=2, text="90 200", source="alt")))
    assert detect(st, SE) == []


def test_cue_does_not_jump_over_another_number() -> None:
    assert values("Tel 060-12 34 56, Box 1234, 902 00 Umeå") == ["+4660123456"]


def test_emergency_numbers_are_not_the_company() -> None:
    assert values("Vid fara för liv, ring 112") == []


# --------------------------------------------------------------------------- traps


def test_opening_hours_trap_is_real_and_rejected() -> None:
    text = "Vardagar: 08.00 - 19.00"
    raw = [m.raw_string for m in PhoneNumberMatcher(text, "SE", leniency=Leniency.VALID)]
    assert raw == ["08.00 - 19.00"]  # libphonenumber alone reports +468001900
    assert values(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Vardagar 08.00–17.00",
        "Vardagar 08.00–20.00 · Lördag–söndag 10.00–16.00",
        "Öppet 09:00-17:00",
        "mån–fre 8–17",
        "mån–fre kl. 9–16.30",
        "Måndag till fredag 8.00 - 20.00",
        "vardagar mellan 8:00 och 15:00",
        "Trettondagsafton, kl 8-13",
        "Planerat avbrott 2026-12-03 kl. 00.00–05.00 (postnummer 903 25–903 38).",
    ],
)
def test_opening_hours_are_not_numbers(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Org.nr 556677-8899", "organisation number"),
        ("Tele2 Sverige AB, org.nr 556267-5164, ansvarar", "organisation number"),
        ("Organisationsnummer: 202100-1234", "organisation number"),
        ("Bankgiro 5050-1055", "bankgiro"),
        ("Vårt bankgironummer är 5050-1055.", "bankgiro"),
        ("PlusGiro 90 01 22-3", "plusgiro"),
        ("Personnummer 19850312-1234", "personnummer"),
        ("850312-1234", "personnummer without century"),
        ("Avresa 2026-09-19", "date"),
        ("Uppdaterad 19.09.2026", "date"),
        ("Pris 1 299 kr", "price"),
        ("Endast 299 kr/mån", "price"),
        ("Lån 2 000 000 kr, 25 år.", "price"),
        ("Box 1234, 111 22 Stockholm", "postcode"),
        ("Tele2 Sverige AB, 106 66 Stockholm", "postcode"),
        ("IBAN SE45 5000 0000 0583 9825 7466", "IBAN"),
        ("Betala till SE45 5000 0000 0583 9825 7466 senast", "IBAN without label"),
        ("DE89 3704 0044 0532 0130 00", "German IBAN"),
        ("Clearingnummer 8327-9, kontonummer 123 456 789-0", "clearing and account"),
        ("Vårt Swish-nummer är 123 380 34 34", "Swish"),
        ("Swish 1231234567", "Swish"),
        ("Anläggnings-ID 735999123456789012", "anläggnings-ID"),
        ("735999123456789012", "long customer number without label"),
        ("Ditt ordernummer står på kvittot, t.ex. 100234567", "order number"),
        ("Art.nr 123456", "article number"),
        ("Ange alltid ditt diarienummer (t.ex. TM 2026-004512)", "case number"),
        ("Ordernummer HE-20261123-0042", "order id"),
        ("Kundnummer 0771221100", "customer number that is phone-shaped"),
        ("Fax: 090-13 65 90", "fax"),
        ("Telefax 08-123 45 67", "fax"),
        ("Ring 08-123 45 67 (fax)", "fax after the number"),
        ("Norwegian 915 09000 and Danish 72 100 100", "other countries' national numbers"),
    ],
)
def test_things_that_look_like_numbers_but_are_not(text: str, why: str) -> None:
    assert values(text) == [], why


def test_traps_next_to_a_real_number() -> None:
    text = ("© 2026 Telekom Nord AB · Org.nr 556677-8899 · Box 1234, 111 22 Stockholm · "
            "Tel 08-701 10 00 · Bankgiro 5050-1055")
    assert values(text) == ["+4687011000"]


def test_fax_beside_the_phone_keeps_the_phone() -> None:
    text = "Industrivägen 12, 852 30 Sundsvall. Tel 060-12 34 56 · Fax: 060-12 34 57"
    assert values(text) == ["+4660123456"]
    assert values("Telefon: 08-123 45 67, fax: 08-123 45 68") == ["+4681234567"]


def test_fax_label_in_the_block_above() -> None:
    # <dt>Fax</dt><dd>060-12 34 57</dd>
    assert values("Fax", "060-12 34 57") == []
    assert values("Telefon", "060-12 34 56") == ["+4660123456"]


def test_nearest_label_decides() -> None:
    assert values("Faxa eller ring 08-123 45 67") == ["+4681234567"]
    assert values("Telefon/fax 08-123 45 67") == ["+4681234567"]
    assert values("Ange kundnummer när du ringer 08-123 45 67") == ["+4681234567"]


def test_price_glued_to_a_number_does_not_hide_it() -> None:
    assert values("Bokning 0939-20 30 40 9,90 kr/min + ev. öppningsavgift") == ["+46939203040"]


def test_hours_after_a_number_do_not_hide_it() -> None:
    assert values("Ring 0771-22 11 00 (vardagar 08:00-17:00)") == ["+46771221100"]
    assert values("Ring 08–12 34 56 mån–fre 8–17") == ["+468123456"]


# --------------------------------------------------------------------------- tel: links


def link(key: int, href: str, text: str) -> Link:
    return Link(key=key, href=href, text=text, selector=f"a#l{key}", region="header")


def test_tel_link_without_digits_in_its_text() -> None:
    st = PageState(url="http://x.test/", links=(link(7, "tel:+46771607080", "Ring oss"),))
    [hit] = detect(st, SE)
    assert (hit.value, hit.key, hit.text, hit.selector) == ("+46771607080", 7, "Ring oss", "a#l7")
    assert hit.meta == {"number_type": "SHARED_COST", "short": False, "source": "tel"}


def test_tel_link_to_a_short_number() -> None:
    st = PageState(url="http://x.test/", links=(link(3, "tel:90200", "90 200"),))
    [hit] = detect(st, SE)
    assert (hit.value, hit.meta["short"], hit.meta["source"]) == ("90200", True, "tel")


@pytest.mark.parametrize(
    ("href", "value"),
    [
        ("tel:0771-22%2011%2000", "+46771221100"),
        ("tel:+46-8-713-10-00", "+4687131000"),
        ("tel://+4687131000", "+4687131000"),
        ("TEL:08-701 10 00;ext=12", "+4687011000"),
    ],
)
def test_tel_href_forms(href: str, value: str) -> None:
    st = PageState(url="http://x.test/", links=(link(1, href, "Ring"),))
    assert [h.value for h in detect(st, SE)] == [value]


def test_links_that_are_not_tel_are_ignored() -> None:
    st = PageState(
        url="http://x.test/",
        links=(link(1, "http://x.test/kontakt/", "Ring 08-701 10 00"), link(2, "tel:", "Ring oss"),
               link(3, "tel:112", "Nödnummer")),
    )
    assert detect(st, SE) == []


def test_tel_link_and_its_visible_text_are_separate_elements() -> None:
    st = PageState(
        url="http://x.test/",
        blocks=(TextBlock(key=1, text="Ring kundservice 90 200"),),
        links=(link(2, "tel:90200", "90 200"),),
    )
    assert [(h.key, h.value, h.meta["source"]) for h in detect(st, SE)] == [
        (1, "90200", "text"), (2, "90200", "tel")]


def test_hidden_things_never_reach_the_detector() -> None:
    # JSON-LD and scripts are in the state, but the phone detector does not read them.
    st = PageState(url="http://x.test/", jsonld=('{"@type":"Organization","telephone":"+46 8 713 10 00"}',),
                   scripts=("http://x.test/app.js?tel=0771221100",))
    assert detect(st, SE) == []


# --------------------------------------------------------------------------- cost classes


@pytest.mark.parametrize(
    ("value", "region", "cost"),
    [
        ("+4620820000", "SE", "free"),
        ("+46200225800", "SE", "free"),
        ("+46771221122", "SE", "shared_cost"),
        ("+46772252525", "SE", "shared_cost"),
        ("+46900123456", "SE", "premium"),
        ("+46939203040", "SE", "premium"),
        ("+4699123450", "SE", "premium"),
        ("+4687011000", "SE", "normal"),
        ("+46703445932", "SE", "normal"),
        ("+46101234500", "SE", "normal"),
        ("90200", "SE", "unknown"),
        ("118118", "SE", "premium"),
        ("112", "SE", "free"),
        # Finnish 0200 is a service number at local-call rate ("lna/msa"), libphonenumber UAN;
        # Finnish 0800 is free ("avgiftsfri", reference/swedish-contact-pages.md, Fortum).
        ("+35820019000", "FI", "normal"),
        ("+358800190090", "FI", "free"),
        ("+358800190090", "SE", "free"),  # the number's own country decides, not the caller's
        ("not a number", "SE", "unknown"),
        ("", "SE", "unknown"),
    ],
)
def test_classify_cost(value: str, region: str, cost: str) -> None:
    assert classify_cost(value, region) == cost


def test_classify_cost_covers_every_detected_value() -> None:
    found = hits("Ring 020-82 00 00, 0771-22 11 00, 0939-20 30 40, 08-701 10 00 eller 90 200")
    assert [classify_cost(h.value, "SE") for h in found] == [
        "free", "shared_cost", "premium", "normal", "unknown"]


# --------------------------------------------------------------------------- rules data


def test_rules_file_is_complete_and_compiles() -> None:
    raw = json.loads(resources.files("checks").joinpath("data/phone_rules.json").read_text("utf-8"))
    for section in ("reject_labels", "cue_words"):
        assert set(raw[section]) >= {"sv", "en", "no", "da", "fi", "de"}, section
        assert all(raw[section][lang] for lang in raw[section])
    for label in ("fax", "org.nr", "bankgiro", "plusgiro", "swish", "iban", "clearing",
                  "kundnummer", "ordernummer", "artikelnummer", "ocr"):
        assert label in raw["reject_labels"]["sv"], label
    names = set()
    for entry in raw["not_phone_patterns"]:
        assert entry["why"] and entry["name"] not in names
        names.add(entry["name"])
        re.compile(entry["pattern"])
    assert load_rules() is load_rules()  # loaded once


def test_matcher_number_type_names_are_libphonenumber_names() -> None:
    allowed = {"FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "PREMIUM_RATE",
               "SHARED_COST", "UAN", "PERSONAL_NUMBER", "VOIP", "PAGER", "VOICEMAIL", "UNKNOWN",
               "SHORT_STANDARD", "SHORT_UNKNOWN"}
    found = hits("020-82 00 00 · 075-242 40 00 · 074-012 34 56", "Ring 90 200")
    assert {h.meta["number_type"] for h in found} <= allowed
    assert {h.meta["number_type"] for h in found} == {"TOLL_FREE", "PERSONAL_NUMBER", "PAGER", "SHORT_UNKNOWN"}
    assert phonenumbers.is_valid_number(phonenumbers.parse("075-242 40 00", "SE"))
