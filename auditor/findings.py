"""Site-level finding checks: pure functions of what the search observed.

Each check reads the `SiteObservation` (pages, states, bests) and the channel results and
returns zero or more `Finding`s made from the catalogue (`checks/data/findings.json`),
which holds each finding's severity, wording and the rules it relates to. The checks
point at risks; they are not legal advice.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from auditor.page_state import PageState
from auditor.result import ChannelResult, Finding
from auditor.search import SiteObservation
from checks import chat as chat_check
from checks import jsonld
from checks.contact_words import login_gate_words, matches
from checks.findings_catalogue import load_catalogue
from checks.phone import classify_cost

HUMAN_CHANNELS = ("phone", "email", "form")
#: A sentence longer than this is an article, not a gate notice next to a channel.
LOGIN_GATE_MAX_CHARS = 400


def _states(obs: SiteObservation) -> Iterable[tuple[str, PageState]]:
    for node, visit in obs.visits:
        for state, _ in visit.states:
            yield visit.final_url or node.href, state


def check_missing_channels(obs, channels, make) -> list[Finding]:
    out = []
    if not channels["phone"].found:
        out.append(make("no_phone", evidence={"pages_visited": len(obs.visits)}))
    if not channels["email"].found:
        out.append(make("no_email", evidence={"pages_visited": len(obs.visits)}))
    human_chat = channels["chat"].found and channels["chat"].kind != "bot"
    if not any(channels[c].found for c in HUMAN_CHANNELS) and not human_chat:
        only = "bot" if channels["chat"].found else "self_help"
        out.append(make("no_human_channel", evidence={"only": only}))
    return out


def check_phone_costs(obs, channels, make) -> list[Finding]:
    """Premium-rate and shared-cost numbers anywhere the visitor saw them."""
    seen: dict[str, str] = {}
    for node, visit in obs.visits:
        for hit, _, _ in visit.hits:
            if hit.channel == "phone" and hit.value not in seen:
                seen[hit.value] = visit.final_url or node.href
    out = []
    for value, url in seen.items():
        cost = classify_cost(value, obs.region)
        if cost == "premium":
            out.append(make("premium_rate_phone", evidence={"number": value, "url": url}, number=value))
        elif cost == "shared_cost":
            out.append(make("shared_cost_phone", evidence={"number": value, "url": url}, number=value))
    return out


def check_login_gate(obs, channels, make) -> list[Finding]:
    """A contact channel offered only after logging in: a visible notice that joins a login
    word and a message/contact word in one sentence ("Logga in för att skriva till oss")."""
    login_rx, contact_rx = login_gate_words()
    for url, state in _states(obs):
        for block in state.blocks:
            if block.region in ("nav", "header") or len(block.text) > LOGIN_GATE_MAX_CHARS:
                continue
            for sentence in _sentences(block.text):
                if login_rx.search(sentence) and contact_rx.search(sentence):
                    return [make("contact_behind_login", evidence={"url": url, "text": sentence[:200]})]
    return []


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def check_faq_first(obs, channels, make) -> list[Finding]:
    """Every human channel found only after passing through an FAQ page."""
    found = [obs.best[c] for c in HUMAN_CHANNELS if c in obs.best]
    if not found or any(b.clicks == 0 for b in found):
        return []
    if all(b.node.via_faq for b in found):
        b = min(found, key=lambda x: x.clicks)
        return [make("faq_before_contact", evidence={"path": [s.label for s in b.node.steps]})]
    return []


def check_start_page_link(obs, channels, make) -> list[Finding]:
    """No contact/help link on the start page (hover menus count on desktop) and no
    phone or e-mail shown there either."""
    visit = obs.start_visit
    if visit is None or not visit.states:
        return []
    zero_states = [s for s, r in visit.states if r.cost == 0]
    for st in zero_states:
        for lk in st.links:
            if lk.href.startswith(("tel:", "mailto:")):
                return []
            if matches("contact", lk.text) or matches("help", lk.text) or matches("contact", lk.href.split("//", 1)[-1].split("/", 1)[-1]):
                return []
        for c in st.controls:
            if matches("contact", c.text) or matches("help", c.text):
                return []
    if any(channels[c].found and channels[c].clicks == 0 for c in ("phone", "email")):
        return []
    return [make("no_contact_link_on_start_page", evidence={"url": visit.final_url or visit.url})]


def check_chat_script(obs, channels, make) -> list[Finding]:
    loaded: dict[str, str] = {}
    shown: set[str] = set()
    for url, state in _states(obs):
        for v in chat_check.loaded_vendors(state):
            loaded.setdefault(v, url)
    for _, visit in obs.visits:
        for hit, _, _ in visit.hits:
            if hit.channel == "chat" and hit.meta.get("vendor"):
                shown.add(hit.meta["vendor"])
    out = []
    for vendor, url in sorted(loaded.items()):
        if vendor in shown:
            continue
        if channels["chat"].found and channels["chat"].vendor is None and len(loaded) == 1:
            continue  # an in-house button opens the vendor's chat: the launcher is the button
        out.append(make("chat_script_without_launcher", evidence={"vendor": vendor, "url": url}, vendor=vendor))
    return out


def check_consent(obs, channels, make) -> list[Finding]:
    outcomes = [v.consent for _, v in obs.visits if v.consent is not None]
    if obs.start_visit is not None and obs.start_visit.consent is not None:
        outcomes.insert(0, obs.start_visit.consent)
    for o in outcomes:
        if o.blocking:
            return [make("consent_wall", evidence={"host": o.host, "platform": o.platform, "answer": o.answer})]
    return []


def check_image_only(obs, channels, make) -> list[Finding]:
    phone_sources = {h.meta.get("source") for _, v in obs.visits for h, _, _ in v.hits if h.channel == "phone"}
    if phone_sources == {"alt"}:
        b = obs.best.get("phone")
        return [make("contact_only_as_image", evidence={"url": b.visit.final_url if b else "", "text": b.hit.text if b else ""})]
    return []


def check_jsonld(obs, channels, make) -> list[Finding]:
    points = machine_readable(obs)
    if points:
        return [make("jsonld_contact_point", evidence={"contact_points": points[:5]})]
    return []


def machine_readable(obs: SiteObservation) -> list[dict]:
    points: list[dict] = []
    seen: set[str] = set()
    for _, visit in obs.visits:
        st = visit.first_state
        if st is None:
            continue
        for p in jsonld.contact_points(st):
            key = repr(sorted(p.items()))
            if key not in seen and (p.get("telephone") or p.get("email")):
                seen.add(key)
                points.append(p)
    return points


def check_consistent_help(obs, channels, make) -> list[Finding]:
    """WCAG 2.2 SC 3.2.6 over the sampled pages (auditor/consistent_help.py)."""
    from checks import DetectContext

    from auditor.consistent_help import compare, mechanisms

    from urllib.parse import urlsplit

    ctx = DetectContext(region=obs.region)
    start_host = urlsplit(obs.start_visit.final_url or obs.start_url).hostname if obs.start_visit else None
    pages = [(url, mechanisms(state, ctx)) for url, state in obs.help_pages
             if urlsplit(url).hostname == start_host]
    out = []
    for inc in compare(pages)[:3]:
        worst = next((u for u, band in inc.pages if band in ("absent",)), None) or inc.pages[-1][0]
        out.append(make(
            "inconsistent_help",
            evidence={
                "mechanism": inc.label,
                "problem": inc.problem,
                "pages": [{"url": u, "position": band} for u, band in inc.pages],
                "pages_compared": [u for u, _ in obs.help_pages],
            },
            url=worst,
        ))
    return out


CHECKS: tuple[Callable[..., list[Finding]], ...] = (
    check_missing_channels,
    check_phone_costs,
    check_login_gate,
    check_faq_first,
    check_start_page_link,
    check_chat_script,
    check_consent,
    check_image_only,
    check_jsonld,
    check_consistent_help,
)


def evaluate(obs: SiteObservation, channels: dict[str, ChannelResult], lang: str = "en",
             extra: Iterable[Callable[..., list[Finding]]] = ()) -> list[Finding]:
    catalogue = load_catalogue()

    def make(fid: str, evidence: dict | None = None, **placeholders) -> Finding:
        return catalogue.make(fid, lang=lang, evidence=evidence, **placeholders)

    findings: list[Finding] = []
    for check in (*CHECKS, *extra):
        findings.extend(check(obs, channels, make))
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    return sorted(findings, key=lambda f: (order.get(f.severity, 5), f.id))
