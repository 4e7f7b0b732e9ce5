"""The one small interface between the engine and every detector."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.page_state import PageState


@dataclass(frozen=True)
class DetectContext:
    """What a detector may know besides the state itself."""

    region: str = "SE"  # ISO 3166 alpha-2 country for reading national phone numbers
    site_host: str = ""  # host of the start URL, e.g. "www.example.se"
    language: str = ""  # primary language subtag of the page, e.g. "sv"


@dataclass(frozen=True)
class ChannelHit:
    """One perceivable contact detail in a state.

    `key` is the element it was perceived in (a `TextBlock`, `Link`, `FormInfo`, frame or
    DOM match key of the state), so the engine can tell how many clicks revealed it.
    `value` is normalised: E.164 phone (short numbers digits only), lower-case e-mail,
    the vendor id (or "") for chat, "" for forms.
    """

    channel: str  # "phone" | "email" | "chat" | "form"
    value: str
    key: int
    text: str = ""  # the visible text (or label) it was read from: evidence
    selector: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    # phone meta: {"number_type": "SHARED_COST" | "PREMIUM_RATE" | "TOLL_FREE" | ...,
    #              "short": bool, "source": "text"|"alt"|"tel"}
    # chat meta:  {"vendor": "tawk" | None, "kind": "human"|"bot"|"unknown"}
    # form meta:  {"kind": "contact"}


class Detector(Protocol):
    def __call__(self, state: PageState, ctx: DetectContext) -> list[ChannelHit]: ...
