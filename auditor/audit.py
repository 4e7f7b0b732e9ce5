"""Audit one site in one device profile: gather, then judge, then score.

Gathering is the site search in a fresh, isolated browser context. Judging (channel
results, findings) and scoring work on what was gathered only. An audit that could not
run returns `status: error` with a kind and a reason, never a score; a site budget that
runs out keeps everything gathered so far and says `site_timeout` in `limits_hit`.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from auditor import findings as finding_checks
from auditor.browser import DEVICES, TOOL_UA_SUFFIX
from auditor.channels import all_channels
from auditor.consent_flow import answer_dialog
from auditor.errors import SiteAuditError
from auditor.explorer import COLLECTOR_INIT_JS
from auditor.region import infer_region
from auditor.result import ConsentRecord, SiteError, SiteResult, VisitedPage
from auditor.robots import RobotsPolicy
from auditor.scoring import ScoringProfile, score_site
from auditor.search import SiteObservation, SiteSearch
from auditor.settings import AuditSettings
from auditor.settle import TIMERS_JS
from auditor.sitemap import sitemap_urls
from auditor.start_errors import from_exception, from_response
from auditor.consistent_help import MIN_PAGES as HELP_MIN_PAGES
from checks import DetectContext
from checks import chat as chat_check
from checks import consent as consent_check

#: Seconds kept back from the site budget for closing the context and judging.
BUDGET_RESERVE_SECONDS = 2.0


def error_result(url: str, settings: AuditSettings, err: SiteAuditError, started: float, **kw) -> SiteResult:
    return SiteResult(
        url=url,
        device=settings.device,
        status="error",
        error=SiteError(err.kind, err.message),
        duration_seconds=round(time.monotonic() - started, 2),
        **kw,
    )


async def audit_site(
    browser: Browser,
    url: str,
    settings: AuditSettings,
    profile: ScoringProfile,
    *,
    name: str | None = None,
    sector: str | None = None,
) -> SiteResult:
    started = time.monotonic()
    device = DEVICES[settings.device]
    ua = f"{device.user_agent_base} {TOOL_UA_SUFFIX}"
    robots = RobotsPolicy(proxy=settings.proxy, user_agent=ua, ignore=settings.ignore_robots)
    meta = {"name": name, "sector": sector}
    obs = SiteObservation(start_url=url, device=device.name)
    try:
        if not await robots.allowed(url):
            raise SiteAuditError("robots_disallowed", "robots.txt does not allow auditing the start URL")
        try:
            context = await browser.new_context(**device.context_options())
        except PlaywrightError as exc:
            raise SiteAuditError("browser", f"could not open a browser context: {exc}") from exc
        try:
            await context.add_init_script(TIMERS_JS)
            await context.add_init_script(COLLECTOR_INIT_JS)
            await _gather(context, url, settings, obs, robots, started)
        finally:
            if settings.snapshot_dir and obs.start_visit is not None and obs.visits:
                from auditor import snapshot

                snapshot.save(obs, settings.snapshot_dir)
            try:
                await context.close()
            except PlaywrightError:
                pass
    except SiteAuditError as err:
        return error_result(url, settings, err, started, **meta)

    return judge(obs, settings, profile, duration=time.monotonic() - started, **meta)


def judge(obs: SiteObservation, settings: AuditSettings, profile: ScoringProfile, *,
          duration: float, name: str | None = None, sector: str | None = None) -> SiteResult:
    """From what was gathered to the site's result: channels, findings, score. No browser:
    a saved snapshot (`auditor/snapshot.py`) is judged by this same function."""
    channels = all_channels(obs, profile.human_time)
    _drop_unused_screenshots(obs, channels)
    found = finding_checks.evaluate(obs, channels, lang=settings.lang)
    score, grade = score_site(channels, found, profile)
    pages = tuple(
        VisitedPage(
            url=v.final_url or n.href,
            clicks=n.depth,
            seconds=v.load_seconds,
            status=v.status,
            error=v.error,
            template=_template(n, v),
        )
        for n, v in obs.visits
    )
    status = "partial" if obs.failed_pages else "ok"
    start = obs.start_visit
    return SiteResult(
        url=obs.start_url,
        final_url=(start.final_url if start else None) or obs.start_url,
        device=obs.device,
        status=status,
        score=score,
        grade=grade,
        pages_visited=len(obs.visits),
        duration_seconds=round(duration, 2),
        limits_hit=tuple(sorted(obs.limits_hit)),
        consent=_consent_record(obs),
        channels=channels,
        findings=tuple(found),
        region=obs.region,
        pages=pages,
        machine_readable={"contact_points": finding_checks.machine_readable(obs)},
        name=name,
        sector=sector,
    )


async def _gather(context, url: str, settings: AuditSettings, obs: SiteObservation,
                  robots: RobotsPolicy, started: float) -> None:
    host = urlsplit(url).hostname or ""
    deadline = started + settings.site_timeout - BUDGET_RESERVE_SECONDS
    language = {"lang": ""}

    def detect_ctx(state) -> DetectContext:
        return DetectContext(region=obs.region, site_host=host, language=language["lang"])

    search = SiteSearch(
        context,
        settings,
        can_hover=DEVICES[settings.device].can_hover,
        robots=robots,
        selectors=list(chat_check.LAUNCHER_SELECTORS) + list(consent_check.CONSENT_SELECTORS),
        globals_=list(chat_check.VENDOR_GLOBALS),
        detect_ctx=detect_ctx,
        consent=answer_dialog,
        start_deadline=deadline,
    )
    try:
        visit = await asyncio.wait_for(search.start(obs, url), timeout=settings.page_timeout + 10)
    except asyncio.TimeoutError as exc:
        raise SiteAuditError("timeout", "the start page did not finish loading in time") from exc
    except PlaywrightError as exc:
        raise from_exception(exc) from exc
    page = search.start_explorer.page
    try:
        title = await page.title()
        body = await page.content() if (visit.status or 200) >= 400 or "moment" in title.lower() else ""
    except PlaywrightError:
        title, body = "", ""
    err = from_response(visit.status, visit.headers, title, body)
    if err is not None:
        raise err
    first = await search.start_explorer.collect()
    language["lang"] = (first.lang or "").split("-")[0].lower()
    obs.region, obs.region_reason = infer_region(
        explicit=settings.region, lang=first.lang, host=host, texts=[b.text for b in first.blocks]
    )
    remaining = deadline - time.monotonic()
    try:
        await asyncio.wait_for(search.continue_start(obs, visit), timeout=max(1.0, remaining))
    except asyncio.TimeoutError:
        obs.limits_hit.add("site_timeout")
    except PlaywrightError as exc:
        if obs.start_visit is None or not obs.start_visit.states:
            raise from_exception(exc) from exc
        obs.failed_pages += 1
    remaining = deadline - time.monotonic()
    if remaining > 2:
        ua = f"{DEVICES[settings.device].user_agent_base} {TOOL_UA_SUFFIX}"
        try:
            extra = await asyncio.wait_for(sitemap_urls(url, proxy=settings.proxy, user_agent=ua), timeout=min(10, remaining))
            await asyncio.wait_for(search.sample_help_pages(obs, extra, HELP_MIN_PAGES), timeout=max(1.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, PlaywrightError):
            pass


def _drop_unused_screenshots(obs: SiteObservation, channels) -> None:
    """Screenshots taken for hits that a cheaper one later beat are not evidence: remove."""
    import os

    keep = {c.evidence.screenshot for c in channels.values() if c.evidence and c.evidence.screenshot}
    for _, visit in obs.visits:
        for path in visit.screenshots.values():
            if path not in keep:
                try:
                    os.remove(path)
                except OSError:
                    pass


def _consent_record(obs: SiteObservation) -> ConsentRecord:
    outcomes = [v.consent for _, v in obs.visits if v.consent is not None]
    if not outcomes:
        return ConsentRecord(present=False)
    first = outcomes[0]
    return ConsentRecord(
        present=True,
        blocking=any(o.blocking for o in outcomes),
        answer=first.answer,
        platform=first.platform,
        hosts=tuple(dict.fromkeys(o.host for o in outcomes)),
    )


def _template(node, visit) -> str:
    if node.depth == 0:
        return "start"
    from checks.contact_words import link_rank

    rank = link_rank(node.steps[-1].label if node.steps else "", visit.final_url or node.href)
    return {0: "contact", 1: "help"}.get(rank, "other")
