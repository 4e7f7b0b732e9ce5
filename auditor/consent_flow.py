"""Answering a cookie-consent dialog before anything else (spec section 1).

The visitor prefers "reject"/"only necessary", else "accept". Where the first layer has no
reject (a OneTrust centre layout), it opens the settings and rejects there, as a careful
person would. None of these clicks count in any channel: consent is a toll, not a path.
The dialog is answered again on every host where it shows (consent cookies are per host).

The decision (which button) is `checks.consent.plan_answer`, a pure function of the state;
this module only performs it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor import settings as S
from auditor.page_state import PageState
from auditor.settle import NetworkTracker, settle
from checks.consent import dialog_present, plan_answer

MAX_CONSENT_STEPS = 3


@dataclass(frozen=True)
class ConsentOutcome:
    present: bool
    answered: bool
    answer: str | None  # reject | accept | None
    platform: str | None
    blocking: bool
    host: str
    gone: bool  # the dialog is no longer visible after answering
    reject_available: bool  # a reject/only-necessary choice existed somewhere


async def _click(element: Callable[[int], Awaitable[Any]], key: int) -> bool:
    el = await element(key)
    if el is None:
        return False
    try:
        try:
            await el.click(timeout=1500)
        except PlaywrightError:
            await el.dispatch_event("click")
    except PlaywrightError:
        return False
    return True


async def answer_dialog(
    page: Page,
    net: NetworkTracker,
    collect: Callable[[], Awaitable[PageState]],
    element: Callable[[int], Awaitable[Any]],
) -> ConsentOutcome | None:
    """Answer the consent dialog of the current page, if one shows. `element` resolves a
    state key to the element (main document or child frame)."""
    host = urlsplit(page.url).hostname or ""
    state = await collect()
    plan = plan_answer(state)
    if plan is None:
        return None
    first = plan
    answer: str | None = None
    reject_available = plan.click_key is not None and plan.answer == "reject"
    for _ in range(MAX_CONSENT_STEPS):
        if plan.click_key is not None:
            if await _click(element, plan.click_key):
                answer = plan.answer
            break
        if plan.settings_key is not None:
            await _click(element, plan.settings_key)
            await settle(page, net, cap=S.ACTION_SETTLE_CAP_SECONDS, minimum=S.ACTION_SETTLE_SECONDS)
            inner = plan_answer(await collect())
            if inner is not None and inner.click_key is not None and inner.answer == "reject":
                reject_available = True
                plan = inner
                continue
            if inner is not None and inner.fallback_accept_key is not None:
                plan = replace(inner, settings_key=None, click_key=inner.fallback_accept_key, answer="accept")
                continue
        if first.fallback_accept_key is not None:
            if await _click(element, first.fallback_accept_key):
                answer = "accept"
        break
    await settle(page, net, cap=S.ACTION_SETTLE_CAP_SECONDS, minimum=S.ACTION_SETTLE_SECONDS)
    try:
        gone = not dialog_present(await collect())
    except PlaywrightError:
        gone = False
    return ConsentOutcome(
        present=True,
        answered=answer is not None,
        answer=answer,
        platform=first.platform,
        blocking=first.blocking,
        host=host,
        gone=gone,
        reject_available=reject_available,
    )
