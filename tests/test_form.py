"""Contact-form detection on hand-built states (spec section 3)."""

from __future__ import annotations

import pytest

from auditor.page_state import FormField, FormInfo, PageState
from checks import form
from checks.base import DetectContext

CTX = DetectContext()

NAME = FormField(tag="input", type="text", name="name", label="Namn")
EMAIL = FormField(tag="input", type="email", name="email", label="E-post")
MESSAGE = FormField(tag="textarea", name="message", label="Meddelande")
PASSWORD = FormField(tag="input", type="password", name="pw", label="Lösenord")
QUERY = FormField(tag="input", type="text", name="q", label="Sök")


def contact_form(**kw) -> FormInfo:
    base: dict = {
        "key": 1,
        "is_form_element": True,
        "fields": (NAME, EMAIL, MESSAGE),
        "submit_texts": ("Skicka",),
        "action": "/kontakt/",
        "text": "Namn E-post Meddelande",
    }
    base.update(kw)
    return FormInfo(**base)


def hits(*forms: FormInfo) -> list:
    return form.detect(PageState(url="http://www.example.test/kontakt/", forms=forms), CTX)


def test_contact_form_is_found() -> None:
    found = hits(contact_form(key=7, selector="form.frm"))
    assert [(h.channel, h.value, h.key, h.selector) for h in found] == [("form", "", 7, "form.frm")]
    assert found[0].meta == {"kind": "contact"}


def test_div_role_form_with_button_skicka_is_found() -> None:
    group = FormInfo(
        key=3,
        is_form_element=False,
        role="form",
        fields=(NAME, EMAIL, MESSAGE),
        submit_texts=("Skicka",),
        text="Kontaktformulär",
    )
    assert [h.key for h in hits(group)] == [3]


def test_form_like_group_needs_a_submit_word() -> None:
    group = FormInfo(key=3, is_form_element=False, fields=(MESSAGE,), submit_texts=("Visa mer",))
    assert hits(group) == []
    assert (
        hits(FormInfo(key=4, is_form_element=False, fields=(MESSAGE,), submit_texts=("Avbryt",)))
        == []
    )


def test_form_element_accepts_any_submit_label() -> None:
    assert [h.key for h in hits(contact_form(key=9, submit_texts=("Talk to sales",)))] == [9]
    assert [h.key for h in hits(contact_form(key=9, submit_texts=("",)))] == [9]  # icon submit


def test_no_submit_or_only_cancel_is_not_a_contact_form() -> None:
    assert hits(contact_form(submit_texts=())) == []
    assert hits(contact_form(submit_texts=("Avbryt", "Rensa"))) == []


def test_no_message_field_is_not_a_contact_form() -> None:
    assert hits(contact_form(fields=(NAME, EMAIL))) == []


def test_contenteditable_counts_as_message_field() -> None:
    editable = FormField(tag="contenteditable", label="Ditt meddelande")
    assert [h.key for h in hits(contact_form(key=5, fields=(EMAIL, editable)))] == [5]


@pytest.mark.parametrize(
    "search",
    [
        contact_form(role="search"),
        contact_form(fields=(FormField(tag="input", type="search", name="q"), MESSAGE)),
        contact_form(action="/sok"),
        contact_form(action="http://www.example.test/search?q="),
        contact_form(submit_texts=("Sök",)),
    ],
)
def test_search_forms_are_rejected(search: FormInfo) -> None:
    assert hits(search) == []
    assert form.classify_form(search) == "search"


def test_search_form_without_textarea() -> None:
    f = FormInfo(key=2, is_form_element=True, role="search", fields=(QUERY,), submit_texts=("Sök",))
    assert hits(f) == [] and form.classify_form(f) == "search"


def test_newsletter_form_is_rejected() -> None:
    f = FormInfo(
        key=2,
        is_form_element=True,
        fields=(EMAIL,),
        submit_texts=("Prenumerera",),
        action="/?na=s",
        text="Nyhetsbrev",
    )
    assert hits(f) == []
    assert form.classify_form(f) == "newsletter"


def test_login_forms_are_rejected_even_with_a_message_box() -> None:
    login = contact_form(fields=(EMAIL, PASSWORD, MESSAGE), submit_texts=("Skicka",))
    assert hits(login) == [] and form.classify_form(login) == "login"
    sign_in = FormInfo(key=2, is_form_element=True, fields=(EMAIL,), submit_texts=("Sign in",))
    assert form.classify_form(sign_in) == "login"
    bankid = FormInfo(
        key=2,
        is_form_element=True,
        submit_texts=("Logga in med BankID",),
        fields=(FormField(tag="input", name="pnr", label="Personnummer"),),
    )
    assert form.classify_form(bankid) == "login"


def test_blog_comment_form_is_not_contact() -> None:
    wp = contact_form(
        action="https://www.example.test/wp-comments-post.php",
        submit_texts=("Publicera kommentar",),
        text="Lämna en kommentar",
    )
    assert hits(wp) == [] and form.classify_form(wp) == "comment"


def test_cookie_form_is_not_contact() -> None:
    cookie = contact_form(
        text="Vi använder cookies. Välj vilka du godkänner.",
        submit_texts=("Godkänn alla", "Endast nödvändiga"),
        region="dialog",
    )
    assert hits(cookie) == [] and form.classify_form(cookie) == "cookie"


def test_contact_form_with_privacy_consent_box_stays_contact() -> None:
    f = contact_form(
        text="Meddelande Jag samtycker till att mina personuppgifter behandlas", region="dialog"
    )
    assert [h.key for h in hits(f)] == [1]


def test_only_contact_forms_among_several() -> None:
    search = FormInfo(
        key=1, is_form_element=True, role="search", fields=(QUERY,), submit_texts=("Sök",)
    )
    news = FormInfo(key=2, is_form_element=True, fields=(EMAIL,), submit_texts=("Prenumerera",))
    assert [h.key for h in hits(search, contact_form(key=3), news)] == [3]
