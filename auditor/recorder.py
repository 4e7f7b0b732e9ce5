"""Folding the states of one page load into channel hits and links out (no browser).

The explorer hands every state it collects to a `StateRecorder`; so does the snapshot
replay (`auditor/snapshot.py`), which is why this is a module of its own: the same states
give the same hits, with or without a browser.

What a state newly shows is what it shows that no earlier state of the same page load
showed (an element key with the same content); a hit costs the clicks of the state that
first showed its element. One exception: a floating (`position: fixed`) chat widget that
appeared while a menu was being opened was brought by time, not by the click: 0 clicks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from auditor.page_state import Control, PageState
from checks import ChannelHit, DetectContext, channel_detectors

if TYPE_CHECKING:
    from auditor.explorer import PageVisit, Reveal


def content_ids(state: PageState) -> dict[int, str]:
    """What each key shows in a state: a key whose content changed counts as new."""
    out: dict[int, list[str]] = {}
    for b in state.blocks:
        out.setdefault(b.key, []).append(b.text)
    for lk in state.links:
        out.setdefault(lk.key, []).append(lk.href + "|" + lk.text)
    for c in state.controls:
        out.setdefault(c.key, []).append("c:" + c.text)
    for f in state.forms:
        out.setdefault(f.key, []).append(f"f:{len(f.fields)}")
    for fr in state.frames:
        if fr.visible:
            out.setdefault(fr.key, []).append("fr:" + fr.src)
    for e in state.cf_emails:
        out.setdefault(e.key, []).append("cf:" + e.encoded)
    for m in state.dom_matches:
        if m.visible:
            out.setdefault(m.key, []).append("m:" + m.selector)
    return {k: "\n".join(v) for k, v in out.items()}


def floating(state: PageState, key: int) -> bool:
    """Is this element a position:fixed widget (a chat bubble), not part of the page?"""
    if any(f.key == key and f.fixed for f in state.frames):
        return True
    if any(c.key == key and c.fixed for c in state.controls):
        return True  # an in-house "Chatta med oss" bubble
    return any(m.key == key and m.fixed for m in state.dom_matches)


class StateRecorder:
    def __init__(self, visit: "PageVisit", detect_ctx: Callable[[PageState], DetectContext]):
        self.visit = visit
        self.detect_ctx = detect_ctx
        self.first_seen: dict[tuple[int, str], "Reveal"] = {}
        self.detectors = channel_detectors()

    def record(self, state: PageState, reveal: "Reveal", *, at: float, only_chat: bool = False
               ) -> tuple[list[Control], list[tuple[ChannelHit, "Reveal"]]]:
        """Note what `state` (taken `at` seconds after the settled load) shows for the
        first time. Returns the newly visible controls and the hits of this state."""
        from auditor.explorer import NavEdge, Reveal

        visit = self.visit
        visit.states.append((state, reveal))
        visit.state_times.append((at, only_chat))
        content = content_ids(state)
        new_keys: set[int] = set()
        for key, cid in content.items():
            if (key, cid) not in self.first_seen:
                self.first_seen[(key, cid)] = reveal
                new_keys.add(key)
        hits: list[tuple[ChannelHit, Reveal]] = []
        dctx = self.detect_ctx(state)
        for channel, detect in self.detectors.items():
            if only_chat and channel != "chat":
                continue
            for hit in detect(state, dctx):
                r = self.first_seen.get((hit.key, content.get(hit.key, "")), reveal)
                if r.cost and channel == "chat" and floating(state, hit.key):
                    r = Reveal(0, (), at)
                visit.hits.append((hit, r, state))
                hits.append((hit, r))
        if only_chat:
            return [], hits
        n_cand = len(state.links) + len(state.controls)
        for link in state.links:
            if link.key in new_keys:
                r = self.first_seen.get((link.key, content.get(link.key, "")), reveal)
                visit.edges.append(NavEdge(link.href, link.text, r, link.new_tab, link.text, n_cand, link.y, link.region))
        return [c for c in state.controls if c.key in new_keys], hits
