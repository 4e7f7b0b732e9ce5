"""Waiting like a patient person: until the page is quiet, never a fixed sleep.

A page is *settled* when no request is in flight (for `QUIET_SECONDS`) and no one-shot timer
that the page scheduled is due within the horizon (`js/timers.js` tracks them). Each wait
has a cap, so a page that polls forever costs the cap and no more.
"""

from __future__ import annotations

import asyncio
import time
from importlib import resources

from playwright.async_api import Page, Request

from auditor import settings as S

TIMERS_JS = resources.files("auditor").joinpath("js/timers.js").read_text(encoding="utf-8")

#: A request still open after this long is a long poll or a stream, not page loading.
STALE_REQUEST_SECONDS = 3.0


class NetworkTracker:
    """Requests in flight for one page (Playwright events)."""

    def __init__(self, page: Page):
        self._open: dict[Request, float] = {}
        self.last_activity = time.monotonic()
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, req: Request) -> None:
        self._open[req] = time.monotonic()
        self.last_activity = time.monotonic()

    def _end(self, req: Request) -> None:
        self._open.pop(req, None)
        self.last_activity = time.monotonic()

    def in_flight(self) -> int:
        now = time.monotonic()
        return sum(1 for t in self._open.values() if now - t < STALE_REQUEST_SECONDS)


async def pending_timers(page: Page) -> list[float]:
    """Seconds until each tracked timer of the page fires."""
    try:
        ms = await page.evaluate("() => (window.__caTimers ? window.__caTimers() : [])")
    except Exception:  # page navigated or closed meanwhile: nothing to wait for here
        return []
    return [m / 1000.0 for m in ms]


async def settle(
    page: Page,
    net: NetworkTracker,
    *,
    cap: float = S.SETTLE_CAP_SECONDS,
    horizon: float = S.SETTLE_HORIZON_SECONDS,
    minimum: float = 0.0,
) -> float:
    """Wait until quiet; returns the seconds waited."""
    start = time.monotonic()
    if minimum:
        await asyncio.sleep(minimum)
    while True:
        elapsed = time.monotonic() - start
        left = cap - elapsed
        if left <= 0:
            break
        timers = await pending_timers(page)
        due = [t for t in timers if t <= min(horizon, left)]
        quiet_for = time.monotonic() - net.last_activity
        if net.in_flight() == 0 and not due and quiet_for >= S.QUIET_SECONDS:
            break
        wait = min(0.1, left)
        if due and net.in_flight() == 0:
            wait = min(max(min(due) + 0.05, 0.05), left)
        await asyncio.sleep(wait)
    return time.monotonic() - start
