"""Many sites, one browser: isolated contexts, a concurrency limit, nothing lost.

Every site gets its own browser context (cookies, storage and consent answers never leak
between sites). A site that fails becomes an error result and the others go on. When the
browser itself dies, it is launched again and the site that was running is audited once
more; a second failure is recorded as a `browser` error for that site.

Politeness: with `host_delay` set, the page loads of one site keep that distance
(`auditor/search.py`), and two sites on one host (host and port) are not audited at the same
time either: the second starts `host_delay` seconds after the first ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Browser, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from auditor.audit import audit_site, error_result
from auditor.browser import find_browser, launch_options
from auditor.errors import BrowserNotFound, SiteAuditError
from auditor.result import SiteResult
from auditor.scoring import ScoringProfile
from auditor.settings import AuditSettings

#: Extra seconds over the site budget before a hung audit is cut off from outside.
HARD_TIMEOUT_MARGIN_SECONDS = 30.0


@dataclass(frozen=True)
class Target:
    url: str
    name: str | None = None
    sector: str | None = None
    device: str | None = None  # None: the settings' device


class BrowserPool:
    """One Chromium, relaunched when it dies."""

    def __init__(self, pw: Playwright, settings: AuditSettings):
        self._pw = pw
        self._settings = settings
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()
        self.launches = 0

    async def get(self) -> Browser:
        async with self._lock:
            if self._browser is None or not self._browser.is_connected():
                exe = find_browser(self._settings.browser_path, self._pw.chromium.executable_path)
                try:
                    self._browser = await self._pw.chromium.launch(**launch_options(exe, self._settings.proxy))
                except PlaywrightError as exc:
                    raise BrowserNotFound(f"Chromium could not start: {str(exc).splitlines()[0]}") from exc
                self.launches += 1
            return self._browser

    async def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            await self._browser.close()


async def run_targets(
    targets: list[Target],
    settings: AuditSettings,
    profile: ScoringProfile,
    on_start: Callable[[Target], None] | None = None,
    on_result: Callable[[Target, SiteResult], None] | None = None,
) -> list[SiteResult]:
    """Audit all targets; results come back in input order, each also reported to
    `on_result` the moment it is finished (so a caller can store it at once)."""
    async with async_playwright() as pw:
        pool = BrowserPool(pw, settings)
        await pool.get()  # fail fast, with one clear message, when there is no browser
        sem = asyncio.Semaphore(max(1, settings.concurrency))
        hosts: dict[str, asyncio.Lock] = {}

        @contextlib.asynccontextmanager
        async def polite(t: Target) -> AsyncIterator[None]:
            if settings.host_delay <= 0:
                yield
                return
            async with hosts.setdefault(urlsplit(t.url).netloc.lower(), asyncio.Lock()):
                yield
                await asyncio.sleep(settings.host_delay)

        async def one(t: Target) -> SiteResult:
            # The host first: a site waiting for its host holds no concurrency slot.
            async with polite(t), sem:
                if on_start:
                    on_start(t)
                s = settings.with_(device=t.device) if t.device else settings
                result = await _audit_with_retry(pool, t, s, profile)
                if on_result:
                    on_result(t, result)
                return result

        try:
            return list(await asyncio.gather(*(one(t) for t in targets)))
        finally:
            await pool.close()


async def _audit_with_retry(pool: BrowserPool, t: Target, s: AuditSettings, profile: ScoringProfile) -> SiteResult:
    started = time.monotonic()
    for attempt in (1, 2):
        browser = await pool.get()
        try:
            return await asyncio.wait_for(
                audit_site(browser, t.url, s, profile, name=t.name, sector=t.sector),
                timeout=s.site_timeout + HARD_TIMEOUT_MARGIN_SECONDS,
            )
        except asyncio.TimeoutError:
            return error_result(t.url, s, SiteAuditError("timeout", "the site audit did not finish in time"),
                                started, name=t.name, sector=t.sector)
        except PlaywrightError as exc:
            if attempt == 1 and not browser.is_connected():
                continue  # the browser died: relaunch and audit this site again
            return error_result(t.url, s, SiteAuditError("browser", str(exc).splitlines()[0][:300]),
                                started, name=t.name, sector=t.sector)
        except BrowserNotFound:
            raise
        except Exception as exc:  # a bug in one site's audit must not stop the batch
            return error_result(
                t.url, s, SiteAuditError("browser", f"internal error: {type(exc).__name__}: {exc}"),
                started, name=t.name, sector=t.sector,
            )
    raise AssertionError("unreachable")
