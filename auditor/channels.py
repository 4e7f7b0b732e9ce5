"""From the search's bests to the per-channel measurement (spec section 4).

`clicks` is the fewest clicks; `seconds` is what the browser spent along that path
(page loads to the load event plus settling, and each in-page action, measured);
`human_seconds` is the documented estimate of `auditor/human_time.py` over the same path;
`values` are the channel's values at the found state (every value of that channel the
found page showed at no more clicks), first the one that was found first.
"""

from __future__ import annotations

from auditor.human_time import HumanStep, HumanTimeConstants, estimate_seconds
from auditor.page_state import PageState
from auditor.result import ChannelResult, Evidence, PathStep
from auditor.search import CHANNEL_NAMES, ChannelBest, SiteObservation


def element_y(state: PageState, key: int) -> float:
    for group in (state.blocks, state.links, state.forms, state.controls, state.cf_emails):
        for item in group:
            if item.key == key:
                return float(item.y)
    for m in state.frames:
        if m.key == key:
            return 0.0
    return 0.0


def channel_result(best: ChannelBest | None, channel: str, constants: HumanTimeConstants) -> ChannelResult:
    if best is None:
        return ChannelResult.not_found(channel)
    node, visit, reveal, hit, state = best.node, best.visit, best.reveal, best.hit, best.state
    screenshot = visit.screenshots.get((channel, hit.key))
    page_url = visit.final_url or node.href
    steps = node.steps + tuple(PathStep(a.action, a.label, page_url) for a in reveal.chain)
    human = node.human + tuple(
        HumanStep(a.n_candidates, a.target_y, a.viewport_height, True) for a in reveal.chain
    ) + (
        HumanStep(len(state.links) + len(state.controls), element_y(state, hit.key),
                  state.viewport_height, False),
    )
    seconds = node.seconds + visit.load_seconds + reveal.seconds
    page_waits = _page_waits(best)
    values: list[str] = []
    number_types: dict[str, str] = {}
    vendor = kind = None
    if channel in ("phone", "email"):
        for h, r, _ in visit.hits:
            if h.channel == channel and r.cost <= reveal.cost and h.value and h.value not in values:
                values.append(h.value)
                if channel == "phone" and h.meta.get("number_type"):
                    number_types[h.value] = str(h.meta["number_type"])
        if hit.value in values:
            values.remove(hit.value)
        values.insert(0, hit.value)
        if channel == "phone" and hit.meta.get("number_type"):
            number_types[hit.value] = str(hit.meta["number_type"])
    if channel == "chat":
        vendor = hit.meta.get("vendor") or None
        kind = hit.meta.get("kind") or "unknown"
    return ChannelResult(
        channel=channel,
        found=True,
        clicks=best.clicks,
        seconds=round(seconds, 2),
        human_seconds=estimate_seconds(human, page_waits, constants),
        values=tuple(values),
        path=steps,
        evidence=Evidence(page_url, hit.text[:300], hit.selector, screenshot),
        vendor=vendor,
        kind=kind,
        number_types=number_types,
    )


def _page_waits(best: ChannelBest) -> float:
    """Measured waits along the path: every page load, and the wait for a widget that
    showed up late (a reveal without clicks). Actions are costed by the model itself."""
    late = best.reveal.seconds if not best.reveal.chain else 0.0
    return round(best.node.waits + best.visit.load_seconds + late, 2)


def all_channels(obs: SiteObservation, constants: HumanTimeConstants) -> dict[str, ChannelResult]:
    return {c: channel_result(obs.best.get(c), c, constants) for c in CHANNEL_NAMES}
