"""Contact-form detector: is there a form a visitor can write a message in?

Spec section 3: a contact form is found when a visible `<form>` (or a form-like group
without a `<form>` element around it, such as `div role=form` with a textarea and a
`type=button` "Skicka") has a free-text message field (`<textarea>` or contenteditable)
and a submit control. Every `FormInfo` in a `PageState` is visible already (the collector
drops hidden ones).

What is not a contact form, and how it is told (word lists in
`checks/data/form_words.json`):

- search: `role=search`, an `<input type=search>`, an action that is a search path
  (`/search`, `/sok`, `?s=`), or only search buttons ("Sök", "Search");
- login: any password field, or a submit that logs in ("Logga in med BankID", "Sign in");
  a login form with a message box is still a login form (the message is behind login);
- newsletter: no message field, only an e-mail address (it fails the message-field test,
  and `classify_form` names it);
- blog comments: WordPress `wp-comments-post.php`, "Lämna en kommentar", "Post comment".
  Decision (the spec is silent): a comment under a blog post is published to other
  readers, not sent to customer service, so it is not a contact channel;
- cookie forms: a consent dialog built as a `<form>` (cookie text with consent buttons).

A `<form>` element needs at least one submit control that is not a cancel/reset/attach
button (its text may be any: "Talk to sales"; an icon-only submit has an empty text). A
form-like group (`is_form_element=False`) has no submit semantics, so one of its buttons
must read as a submit word ("Skicka", "Send", "Submit", "Lähetä", "Senden", "Send inn").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.page_state import FormInfo, PageState
from checks import consent
from checks.base import ChannelHit, DetectContext

DATA_DIR = Path(__file__).resolve().parent / "data"
WORDS_FILE = DATA_DIR / "form_words.json"

#: Field tags that take a free-text message (spec: "<textarea> or equivalent").
MESSAGE_FIELD_TAGS = ("textarea", "contenteditable")
#: Evidence text is cut to this many characters (a form's text can be long).
EVIDENCE_CHARS = 160

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FormWords:
    submit: tuple[re.Pattern[str], ...]
    not_submit: tuple[re.Pattern[str], ...]
    search: tuple[re.Pattern[str], ...]
    search_action: re.Pattern[str]
    comment_action: re.Pattern[str]
    comment: tuple[re.Pattern[str], ...]
    login: tuple[re.Pattern[str], ...]
    newsletter: tuple[re.Pattern[str], ...]


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def load_words(path: Path = WORDS_FILE) -> FormWords:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return FormWords(
        submit=_compile(raw["submit_words"]),
        not_submit=_compile(raw["not_submit_words"]),
        search=_compile(raw["search_words"]),
        search_action=re.compile(raw["search_action"], re.IGNORECASE),
        comment_action=re.compile(raw["comment_action"], re.IGNORECASE),
        comment=_compile(raw["comment_words"]),
        login=_compile(raw["login_words"]),
        newsletter=_compile(raw["newsletter_words"]),
    )


WORDS: FormWords = load_words()


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip().lower()


def _any(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def has_message_field(form: FormInfo) -> bool:
    return any(f.tag.lower() in MESSAGE_FIELD_TAGS for f in form.fields)


def has_submit_control(form: FormInfo) -> bool:
    """A `<form>`: any submit that is not cancel/reset/attach. A form-like group: a button
    whose text is a submit word."""
    texts = [_norm(t) for t in form.submit_texts]
    if form.is_form_element:
        return any(not _any(WORDS.not_submit, t) for t in texts)
    return any(_any(WORDS.submit, t) and not _any(WORDS.not_submit, t) for t in texts)


def is_search_form(form: FormInfo) -> bool:
    if form.role.lower() == "search":
        return True
    if any(f.tag.lower() == "input" and f.type.lower() == "search" for f in form.fields):
        return True
    if form.action and WORDS.search_action.search(form.action):
        return True
    texts = [_norm(t) for t in form.submit_texts if t.strip()]
    return bool(texts) and all(_any(WORDS.search, t) for t in texts)


def is_login_form(form: FormInfo) -> bool:
    """A password field, or a submit that logs in ("Logga in med BankID", "Sign in")."""
    if any(f.type.lower() == "password" for f in form.fields):
        return True
    return any(_any(WORDS.login, _norm(t)) for t in form.submit_texts)


def is_comment_form(form: FormInfo) -> bool:
    if form.action and WORDS.comment_action.search(form.action):
        return True
    texts = [_norm(t) for t in form.submit_texts] + [_norm(form.text)]
    return any(_any(WORDS.comment, t) for t in texts)


def is_cookie_form(form: FormInfo) -> bool:
    """A consent dialog built as a form: it talks about cookies and its buttons are
    consent buttons. (Region alone is not enough: contact forms in a modal often carry a
    "Jag samtycker till behandlingen av mina personuppgifter" box.)"""
    if not consent.mentions_cookies(form.text):
        return False
    return any(consent.classify_button(t) is not None for t in form.submit_texts)


def is_newsletter_form(form: FormInfo) -> bool:
    """No message field and the only text inputs are e-mail addresses (or it says so)."""
    if has_message_field(form):
        return False
    inputs = [
        f
        for f in form.fields
        if f.tag.lower() == "input"
        and f.type.lower() not in ("hidden", "submit", "button", "checkbox", "radio")
    ]
    only_email = bool(inputs) and all(
        f.type.lower() == "email" or "mail" in (f.name + " " + f.label).lower() for f in inputs
    )
    words = " ".join([_norm(form.text)] + [_norm(t) for t in form.submit_texts])
    return only_email or _any(WORDS.newsletter, words)


def classify_form(form: FormInfo) -> str:
    """The kind of a form: "contact", "search", "login", "comment", "cookie", "newsletter"
    or "other".

    The exclusions are tested before the contact rule, so a login form with a message
    box stays a login form.
    """
    if is_search_form(form):
        return "search"
    if is_login_form(form):
        return "login"
    if is_cookie_form(form):
        return "cookie"
    if is_comment_form(form):
        return "comment"
    if has_message_field(form) and has_submit_control(form):
        return "contact"
    if is_newsletter_form(form):
        return "newsletter"
    return "other"


def detect(state: PageState, ctx: DetectContext) -> list[ChannelHit]:
    """One hit per visible contact form: value "", meta {"kind": "contact"}."""
    del ctx  # form detection is language-independent beyond the word lists
    hits: list[ChannelHit] = []
    for form in state.forms:
        if classify_form(form) != "contact":
            continue
        label = next(
            (f.label for f in form.fields if f.tag.lower() in MESSAGE_FIELD_TAGS and f.label), ""
        )
        text = _SPACE.sub(" ", form.text or label or "").strip()[:EVIDENCE_CHARS]
        hits.append(
            ChannelHit(
                channel="form",
                value="",
                key=form.key,
                text=text,
                selector=form.selector,
                meta={"kind": "contact"},
            )
        )
    return hits


__all__ = [
    "classify_form",
    "detect",
    "has_message_field",
    "has_submit_control",
    "is_comment_form",
    "is_cookie_form",
    "is_login_form",
    "is_newsletter_form",
    "is_search_form",
]
