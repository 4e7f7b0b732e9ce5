"""Which in-page controls the visitor presses, in what order, and what a press is called
(spec section 2). Pure rules, no browser."""

from auditor.explorer import classify_action, control_priority, worth_clicking
from auditor.page_state import Control
from checks.contact_words import link_rank, matches


def ctl(text, **kw):
    return Control(key=kw.pop("key", 1), tag=kw.pop("tag", "button"), text=text, **kw)


def test_closed_things_are_pressed_open_things_are_not():
    assert worth_clicking(ctl("Visa telefonnummer", expanded=False, kind="toggle"))
    assert worth_clicking(ctl("Frågor om faktura", tag="summary", kind="summary", expanded=False))
    assert worth_clicking(ctl("Telefon", role="tab", kind="tab", selected=False))
    assert not worth_clicking(ctl("Kontaktformulär", role="tab", kind="tab", selected=True))
    assert not worth_clicking(ctl("Meny", expanded=True, kind="toggle"))


def test_buttons_that_buy_log_in_search_or_open_chat_are_left_alone():
    for text in ("Logga in", "Sök", "Lägg i varukorg", "Chatta med oss", "Godkänn alla cookies", "Stäng"):
        assert not worth_clicking(ctl(text)), text
    assert not worth_clicking(ctl("Skicka", submit=True, in_form=True))


def test_contact_words_come_first_then_menus_then_accordions():
    reveal = control_priority(ctl("Visa telefonnummer", expanded=False))
    menu = control_priority(ctl("Meny", expanded=False, region="header"))
    acc = control_priority(ctl("Leveranstider", tag="summary", kind="summary", expanded=False, region="main"))
    other = control_priority(ctl("Läs mer"))
    assert reveal < menu < acc < other


def test_action_names():
    assert classify_action(ctl("Meny", expanded=False, kind="toggle", region="header")) == "open_menu"
    assert classify_action(ctl("Open menu", kind="toggle", expanded=False)) == "open_menu"
    assert classify_action(ctl("Telefon", role="tab", kind="tab")) == "expand"
    assert classify_action(ctl("Visa nummer", expanded=False, kind="toggle")) == "expand"
    assert classify_action(ctl("Boka möte", haspopup="dialog")) == "open_dialog"


def test_contact_words_in_six_languages():
    for text in ("Kontakta oss", "Kundtjänst", "Contact us", "Kundeservice", "Ota yhteyttä", "Kundenservice"):
        assert link_rank(text, "") == 0, text
    assert link_rank("Hjälp", "") == 1 and link_rank("Hilfe", "") == 1
    assert link_rank("Ringsignaler", "") == 3  # "ring" is a whole word only
    assert matches("contact", "/kundservice/kontakt/")
