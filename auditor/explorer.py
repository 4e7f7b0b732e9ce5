"""One page, explored like a person would: look, hover the menus, open what is closed.

The explorer loads one page, answers a cookie dialog (free), takes the first `PageState`,
then reveals what is hidden behind in-page controls and records, for every element that
becomes visible, the cheapest way it was revealed (`Reveal`: how many clicks, which
actions). Spec section 2:

- hovering a menu is free on desktop (one click on mobile, where it must be tapped);
- opening a closed menu, expanding `<details>`/accordions/tabs/`aria-expanded` controls or
  a "Visa telefonnummer" button, and opening a dialog cost one click each;
- a control that navigates is a link: it becomes an edge to another page.

What a click newly revealed is what is visible after it and was not before (element keys
are stable within one page load, see `js/collect.js`). An element whose text changed is
new again, so a number that appears inside an already visible paragraph costs the click.

Controls are tried cheapest first, contact words first among equals, and a control that
the same site showed on a page at most as deep (same signature: a site-wide menu) is not
tried again: nothing behind it could be cheaper there.
"""

from __future__ import annotations

import heapq
import json
import logging
import itertools
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor import settings as S
from auditor.page_state import Control, PageState
from auditor.settle import NetworkTracker, settle
from auditor.recorder import StateRecorder
from checks import ChannelHit, DetectContext
from checks.contact_words import matches

log = logging.getLogger(__name__)

COLLECT_JS = resources.files("auditor").joinpath("js/collect.js").read_text(encoding="utf-8")
#: The collector installed once in every document of an audit's browser context (see
#: `auditor/audit.py`), read-only so a page cannot swap it; a state is then read with a short
#: call instead of sending the 20 KB source with each of the ten or so reads per page.
COLLECTOR_INIT_JS = (
    "Object.defineProperty(window, '__contactAuditorCollect', {value: "
    + COLLECT_JS.strip()
    + "\n, writable: false, configurable: false, enumerable: false});"
)
COLLECT_CALL_JS = (
    "(a) => typeof window.__contactAuditorCollect === 'function' ? window.__contactAuditorCollect(a) : null"
)
#: How long a control may take to become clickable (visible, stable, not covered) before it
#: gets a synthetic click instead; and, once it is, how long the click itself may take (a
#: slow machine under load). Measured on the corpus: clickable controls pass within 100 ms.
CLICK_TIMEOUT_MS = 1500
CLICK_AFTER_CHECK_TIMEOUT_MS = 5000
HOVER_TIMEOUT_MS = 2000
#: Most viewport-height steps of the scroll pass (a page longer than this many screens is
#: scrolled in bigger steps), and the pause per step for IntersectionObserver callbacks
#: (a few animation frames).
SCROLL_STEPS = 12
SCROLL_JS = """async (steps) => {
  const se = document.scrollingElement || document.documentElement;
  const h = se.scrollHeight, vh = window.innerHeight;
  if (h <= vh + 4) return 0;
  const step = Math.max(vh, Math.ceil(h / steps));
  const pause = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
  for (let y = step; y < h + step; y += step) { window.scrollTo(0, y); await pause(); }
  window.scrollTo(0, 0); await pause();
  return h;
}"""
#: Chromium keys of elements inside child frames are offset by this, per frame.
FRAME_KEY_STRIDE = 10_000_000


@dataclass(frozen=True)
class InPageAction:
    """One counted activation on a page (spec `path` step, without the URL)."""

    action: str  # expand | open_menu | open_dialog | click
    label: str
    signature: str
    seconds: float  # measured: the click and the settle after it
    n_candidates: int  # links and buttons a person scans to find it
    target_y: float
    viewport_height: float


@dataclass(frozen=True)
class Reveal:
    """How an element became visible on a page."""

    cost: int  # in-page clicks
    chain: tuple[InPageAction, ...] = ()
    seconds: float = 0.0  # measured, from the settled page to the moment it showed
    via_hover: str = ""  # label of the free hover that showed it, if any


@dataclass(frozen=True)
class NavEdge:
    url: str
    label: str
    reveal: Reveal  # what it took to see the link (or control) on this page
    new_tab: bool
    rank_text: str
    n_candidates: int
    target_y: float
    region: str = "other"  # landmark band of the link: header, nav, main, footer, other


@dataclass
class PageVisit:
    """Everything one page contributed: its states, channel hits, links out."""

    url: str
    final_url: str = ""
    status: int | None = None
    load_seconds: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""
    states: list[tuple[PageState, Reveal]] = field(default_factory=list)
    hits: list[tuple[ChannelHit, Reveal, PageState]] = field(default_factory=list)
    screenshots: dict[tuple[str, int], str] = field(default_factory=dict)  # (channel, key) -> file
    state_times: list[tuple[float, bool]] = field(default_factory=list)  # (s after load, late look) per state
    edges: list[NavEdge] = field(default_factory=list)
    consent: Any = None  # auditor.consent_flow.ConsentOutcome
    actions_tried: int = 0

    @property
    def first_state(self) -> PageState | None:
        return self.states[0][0] if self.states else None


@dataclass
class ExploreContext:
    """What the site search tells the explorer about the rest of the site."""

    depth: int
    can_hover: bool
    max_cost: int  # deepest in-page chain worth trying from this page
    selectors: list[str]
    globals: list[str]
    detect_ctx: Callable[[PageState], DetectContext]
    seen_signatures: dict[str, int]  # control signature -> shallowest page depth tried on
    chat_wanted: Callable[[int], bool]  # is a chat at this total cost still an improvement?
    max_actions: int = 30
    late_widget_seconds: float = S.LATE_WIDGET_SECONDS
    #: Wait for late widgets here? On the start page and on contact/help pages: a site-wide
    #: launcher shows on the start page, a contact-page-only one on the contact page.
    late_wait: bool = True
    consent: Callable[..., Any] | None = None  # async (page, net, collect) -> outcome
    #: Screenshots of found details: (channel, total clicks) -> file path to write, or None
    #: when this hit would not improve the channel (or screenshots are off).
    screenshot_for: Callable[[str, int], str | None] | None = None


def classify_action(control: Control) -> str:
    """The spec's name for activating this control (before seeing what it did)."""
    text = control.text
    if control.kind == "tab" or control.kind == "summary":
        return "expand"
    if matches("menu", text) or control.haspopup in ("menu", "true") and control.region in (
        "header",
        "nav",
    ):
        return "open_menu"
    if control.haspopup == "dialog":
        return "open_dialog"
    return "expand"


def control_priority(control: Control) -> int:
    """Contact and reveal words first, then menus, then content accordions, then the rest."""
    if matches("reveal", control.text) or matches("contact", control.text):
        return 0
    if matches("menu", control.text) or (control.haspopup and control.region in ("header", "nav")):
        return 1
    if matches("help", control.text):
        return 1
    if control.kind in ("summary", "tab") or control.expanded is False:
        return 2 if control.region != "footer" else 3
    return 4


def worth_clicking(control: Control) -> bool:
    if control.submit or control.key >= FRAME_KEY_STRIDE:
        return False
    if control.region == "dialog" and control.expanded is None and control.kind != "tab":
        return False
    if control.expanded is True or control.selected is True:
        return False
    if not control.text or len(control.text) > 100:
        return False
    if matches("skip_controls", control.text) and not matches("reveal", control.text):
        return False
    if control.in_form and control.expanded is None and control.kind not in ("tab", "summary"):
        return False
    if control.kind in ("summary", "tab") or control.expanded is False or control.haspopup:
        return True
    if control.controls:
        return True
    return matches("reveal", control.text) or matches("menu", control.text) or matches(
        "contact", control.text
    ) or control.kind in ("button", "link")


class PageExplorer:
    """Explores one page in one tab."""

    def __init__(self, page: Page, net: NetworkTracker, ctx: ExploreContext, settings: S.AuditSettings):
        self.page = page
        self.net = net
        self.ctx = ctx
        self.settings = settings
        self.visit: PageVisit | None = None
        self._recorder: StateRecorder | None = None
        self._loaded_at = 0.0
        self._to_shoot: list[tuple[int, str]] = []
        self._frames: dict[int, Any] = {}
        self._last_state: PageState | None = None
        self._args_json: str | None = None

    # -- browser access ---------------------------------------------------------------
    async def collect(self) -> PageState:
        args = self._collect_args()
        raw = json.loads(await _run_collector(self.page, args))
        await self._merge_frames(raw, args)
        self._last_state = PageState.from_dict(raw)
        return self._last_state

    def _collect_args(self) -> str:
        """The collector's argument as one JSON string, made once per explorer."""
        if self._args_json is None:
            self._args_json = json.dumps({"selectors": self.ctx.selectors, "globals": self.ctx.globals})
        return self._args_json

    async def _merge_frames(self, raw: dict[str, Any], args: str) -> None:
        """Fold the visible content of child frames (embedded forms, widget iframes) into
        the parent state, behind the iframe element's own visibility."""
        visible_frames = {f["key"]: f for f in raw.get("frames", []) if f.get("visible")}
        if not visible_frames:
            return
        self._frames = {}
        for i, frame in enumerate(self.page.main_frame.child_frames[:8], start=1):
            self._frames[i] = frame
            try:
                el = await frame.frame_element()
                pkey = await el.evaluate(
                    "e => window.__contactAuditor ? window.__contactAuditor.keyOf(e) : 0"
                )
                if pkey not in visible_frames:
                    continue
                sub = json.loads(await _run_collector(frame, args))
            except PlaywrightError:
                continue
            off = i * FRAME_KEY_STRIDE
            ftext = []
            for name in ("blocks", "links", "controls", "forms", "cf_emails", "dom_matches"):
                for item in sub.get(name, []):
                    item["key"] = item["key"] + off
                    if name == "controls":
                        item["signature"] = "frame|" + item.get("signature", "")
                    raw.setdefault(name, []).append(item)
                    if name == "blocks":
                        ftext.append(item["text"])
            visible_frames[pkey]["text"] = " ".join(ftext)[:500]
            raw["scripts"] = list(raw.get("scripts", [])) + list(sub.get("scripts", []))
            raw["globals"] = sorted(set(raw.get("globals", [])) | set(sub.get("globals", [])))

    async def _element(self, key: int):
        """The element behind a state key, in the main document or in a child frame (a
        consent dialog in an iframe, as Sourcepoint and TrustArc render theirs)."""
        target = self.page.main_frame
        if key >= FRAME_KEY_STRIDE:
            target = self._frames.get(key // FRAME_KEY_STRIDE)
            key %= FRAME_KEY_STRIDE
            if target is None:
                return None
        try:
            handle = await target.evaluate_handle(
                "k => (window.__contactAuditor && window.__contactAuditor.byKey.get(k)) || null", key
            )
        except PlaywrightError:
            return None
        return handle.as_element()

    # -- recording --------------------------------------------------------------------
    def _record(self, state: PageState, reveal: Reveal, *, only_chat: bool = False) -> list[Control]:
        """Note what this state shows for the first time; returns newly visible controls."""
        assert self.visit is not None
        if self._recorder is None or self._recorder.visit is not self.visit:
            self._recorder = StateRecorder(self.visit, self.ctx.detect_ctx)
        at = time.monotonic() - self._loaded_at
        controls, hits = self._recorder.record(state, reveal, at=at, only_chat=only_chat)
        if self.ctx.screenshot_for is not None:
            for hit, r in hits:
                if (hit.channel, hit.key) in self.visit.screenshots:
                    continue
                path = self.ctx.screenshot_for(hit.channel, self.ctx.depth + r.cost)
                if path:
                    self.visit.screenshots[(hit.channel, hit.key)] = path
                    self._to_shoot.append((hit.key, path))
        return controls

    async def _shoot(self) -> None:
        """Screenshot each newly found detail with its element outlined (evidence)."""
        while self._to_shoot:
            key, path = self._to_shoot.pop(0)
            try:
                el = await self._element(key) if key < FRAME_KEY_STRIDE else None
                if el is not None:
                    await el.evaluate(
                        "e => { e.scrollIntoView({block: 'center'}); e.__caOutline = e.style.outline;"
                        " e.style.outline = '4px solid #d4001a'; e.style.outlineOffset = '2px'; }"
                    )
                await self.page.screenshot(path=path)
                if el is not None:
                    await el.evaluate("e => { e.style.outline = e.__caOutline || ''; }")
            except PlaywrightError:
                continue

    # -- the walk ---------------------------------------------------------------------
    async def load(self, url: str) -> PageVisit:
        visit = PageVisit(url=url)
        self.visit = visit
        t0 = time.monotonic()
        resp = await self.page.goto(url, wait_until="load", timeout=self.settings.page_timeout * 1000)
        if resp is not None:
            visit.status = resp.status
            visit.headers = {k.lower(): v for k, v in (await resp.all_headers()).items()}
            visit.content_type = visit.headers.get("content-type", "")
        await settle(self.page, self.net)
        self._loaded_at = time.monotonic()
        visit.load_seconds = round(self._loaded_at - t0, 3)
        visit.final_url = self.page.url
        log.debug("loaded %s (HTTP %s) in %.2f s", url, visit.status, visit.load_seconds)
        return visit

    async def explore(self, url: str) -> PageVisit:
        visit = await self.load(url)
        if visit.status is not None and visit.status >= 400:
            return visit
        return await self.explore_loaded()

    async def explore_loaded(self) -> PageVisit:
        """Explore the page this explorer has just loaded (`load`)."""
        visit = self.visit
        assert visit is not None
        if self.ctx.consent is not None:
            visit.consent = await self.ctx.consent(self.page, self.net, self.collect, self._element)
            if visit.consent is not None and visit.consent.answered:
                self._loaded_at = time.monotonic()
        scrolled = await self._scroll_through()
        if visit.consent is None and not scrolled and self._last_state is not None:
            state = self._last_state  # what the consent check just read: nothing changed since
        else:
            state = await self.collect()
        controls = self._record(state, Reveal(0))
        log.debug("%s: %d links, %d controls (%d new), in-page clicks up to %d", visit.url,
                  len(state.links), len(state.controls), len(controls), self.ctx.max_cost)
        await self._shoot()
        if self.ctx.can_hover:
            await self._hover_pass(state, cost=0)
        elif self.ctx.max_cost >= 1:
            await self._hover_pass(state, cost=1)
        t = time.monotonic()
        await self._click_pass(controls)
        t2 = time.monotonic()
        await self._late_widgets()
        log.debug("explored %s: %d states, %d actions (%.1f s), late wait %.1f s, total %.1f s",
                  visit.url, len(visit.states), visit.actions_tried, t2 - t, time.monotonic() - t2,
                  time.monotonic() - self._loaded_at)
        return visit

    async def _scroll_through(self) -> bool:
        """Scroll down the page and back, as a person looking for the footer does (free,
        spec section 2): content rendered only when scrolled into view (lazy footers,
        IntersectionObserver) then shows in the state."""
        try:
            height = await self.page.evaluate(SCROLL_JS, SCROLL_STEPS)
        except PlaywrightError:
            return False
        if height:
            await settle(self.page, self.net, cap=S.ACTION_SETTLE_CAP_SECONDS)
        return bool(height)

    async def _hover_pass(self, state: PageState, cost: int) -> None:
        """Point at each menu item whose dropdown hides links (free on desktop)."""
        for target in state.hover_targets:
            seen = self.ctx.seen_signatures.get(target.signature)
            if seen is not None and seen <= self.ctx.depth:
                continue
            self.ctx.seen_signatures[target.signature] = self.ctx.depth
            el = await self._element(target.key)
            if el is None:
                continue
            t = time.monotonic()
            try:
                await el.hover(timeout=HOVER_TIMEOUT_MS)
            except PlaywrightError:
                # a busy page (or machine) may miss the actionability wait: point directly
                try:
                    box = await el.bounding_box()
                    if box is None:
                        continue
                    await self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                except PlaywrightError:
                    continue
            await settle(self.page, self.net, cap=S.ACTION_SETTLE_CAP_SECONDS, minimum=S.ACTION_SETTLE_SECONDS)
            after = await self.collect()
            secs = time.monotonic() - t
            if cost:
                act = InPageAction("open_menu", target.text, target.signature, secs,
                                   len(state.links) + len(state.controls), target.y, state.viewport_height)
                reveal = Reveal(cost, (act,), secs)
            else:
                reveal = Reveal(0, (), secs, via_hover=target.text)
            self._record(after, reveal)
            await self._shoot()
        try:
            await self.page.mouse.move(1, 1)
        except PlaywrightError:
            pass

    async def _click_pass(self, initial: list[Control]) -> None:
        order = itertools.count()
        queue: list[tuple[int, int, int, Control, Reveal]] = []

        def push(controls: list[Control], parent: Reveal) -> None:
            for c in controls:
                if not worth_clicking(c):
                    continue
                if parent.cost + 1 > self.ctx.max_cost:
                    continue
                if c.region != "main":
                    seen = self.ctx.seen_signatures.get(c.signature)
                    if seen is not None and seen <= self.ctx.depth:
                        continue
                heapq.heappush(queue, (parent.cost + 1, control_priority(c), next(order), c, parent))

        push(initial, Reveal(0))
        popups: list[Page] = []  # tabs a control opened (window.open)

        def on_popup(p: Page) -> None:
            popups.append(p)

        self.page.on("popup", on_popup)
        try:
            await self._click_loop(queue, push, popups)
        finally:
            self.page.remove_listener("popup", on_popup)

    async def _click_loop(self, queue, push, popups: list[Page]) -> None:
        tried = 0
        assert self.visit is not None
        while queue and tried < self.ctx.max_actions:
            cost, _, _, control, parent = heapq.heappop(queue)
            if cost > self.ctx.max_cost:
                break
            if control.region != "main":
                seen = self.ctx.seen_signatures.get(control.signature)
                if seen is not None and seen <= self.ctx.depth:
                    continue
                self.ctx.seen_signatures[control.signature] = self.ctx.depth
            if not await self._replay(parent):
                log.debug("%s: could not re-open the way to %r", self.page.url, control.text)
                continue
            el = await self._element(control.key)
            if el is None:
                log.debug("%s: %r is gone", self.page.url, control.text)
                continue
            tried += 1
            before_url = self.page.url
            popups.clear()
            t = time.monotonic()
            if not await self._press(el, control.text):
                continue
            await settle(self.page, self.net, cap=S.ACTION_SETTLE_CAP_SECONDS, minimum=S.ACTION_SETTLE_SECONDS)
            secs = time.monotonic() - t
            state_before = self.visit.states[-1][0]
            n_cand = len(state_before.links) + len(state_before.controls)
            if popups or _navigated(before_url, self.page.url):
                target = popups[0].url if popups else self.page.url
                for p in popups:
                    await p.close()
                self.visit.edges.append(
                    NavEdge(target, control.text, parent, bool(popups), control.text, n_cand, control.y, control.region)
                )
                if not popups:
                    await self._restore()
                continue
            try:
                after = await self.collect()
            except PlaywrightError as exc:
                log.debug("%s: no state after %r (%s)", self.page.url, control.text, str(exc).splitlines()[0][:120])
                continue
            log.debug("%s: pressed %r (%.2f s)", self.page.url, control.text, secs)
            action = classify_action(control)
            new_dialog = any(b.region == "dialog" for b in after.blocks) and not any(
                b.region == "dialog" for b in state_before.blocks
            )
            if new_dialog:
                action = "open_dialog"
            act = InPageAction(action, control.text, control.signature, secs, n_cand, control.y,
                               after.viewport_height)
            reveal = Reveal(parent.cost + 1, parent.chain + (act,), parent.seconds + secs)
            newly = self._record(after, reveal)
            await self._shoot()
            push(newly, reveal)
            if new_dialog:
                try:
                    await self.page.keyboard.press("Escape")
                except PlaywrightError:
                    pass
        self.visit.actions_tried = tried

    async def _press(self, el, label: str) -> bool:
        """Click `el` as a person would. First only check that it can be clicked (visible,
        stable, not covered: Playwright's trial click); one that never becomes clickable
        gets a synthetic click instead. Checking first matters on a loaded machine: a real
        click that lands after its timeout followed by a synthetic one toggles an accordion
        open and shut again, and what it hid is never seen."""
        try:
            await el.click(trial=True, timeout=CLICK_TIMEOUT_MS)
        except PlaywrightError as exc:
            log.debug("%s: %r is not clickable (%s), dispatching a click", self.page.url, label,
                      str(exc).splitlines()[0][:120])
            try:
                await el.dispatch_event("click")
            except PlaywrightError:
                log.debug("%s: %r could not be pressed", self.page.url, label)
                return False
            return True
        try:
            await el.click(timeout=CLICK_AFTER_CHECK_TIMEOUT_MS)
        except PlaywrightError as exc:  # it may still have landed: the next state tells
            log.debug("%s: click on %r did not finish (%s)", self.page.url, label, str(exc).splitlines()[0][:120])
        return True

    async def _replay(self, reveal: Reveal) -> bool:
        """Make the controls of a chain visible again (another branch may have closed them):
        re-open each link of the chain whose successor is hidden, by signature."""
        if not reveal.chain:
            return True
        state = await self.collect()
        by_sig = {c.signature: c for c in state.controls}
        last = reveal.chain[-1].signature
        if last in by_sig and by_sig[last].expanded is not False:
            return True
        for act in reveal.chain:
            c = by_sig.get(act.signature)
            if c is None:
                continue
            if c.expanded is True or c.selected is True:
                continue
            el = await self._element(c.key)
            if el is None or not await self._press(el, c.text):
                return False
            await settle(self.page, self.net, cap=S.ACTION_SETTLE_CAP_SECONDS, minimum=S.ACTION_SETTLE_SECONDS)
            state = await self.collect()
            by_sig = {c.signature: c for c in state.controls}
        return True

    async def _restore(self) -> None:
        """Back to the page after a control navigated away; keys are new after a reload,
        which is why the queue refers to controls by signature through `_replay`."""
        assert self.visit is not None
        try:
            await self.page.goto(self.visit.url, wait_until="load", timeout=self.settings.page_timeout * 1000)
            await settle(self.page, self.net)
            if self.ctx.consent is not None:
                await self.ctx.consent(self.page, self.net, self.collect, self._element)
            state = await self.collect()
            self._record(state, Reveal(0))
        except PlaywrightError:
            pass

    async def _late_widgets(self) -> None:
        """Wait for a chat launcher that the page schedules after load (lazy loading)."""
        if not self.ctx.late_wait or not self.ctx.chat_wanted(self.ctx.depth):
            return
        assert self.visit is not None
        if any(h.channel == "chat" and r.cost == 0 for h, r, _ in self.visit.hits):
            return
        left = self.ctx.late_widget_seconds - (time.monotonic() - self._loaded_at)
        if left > 0.2:
            await settle(self.page, self.net, cap=left, horizon=left, minimum=0.1)
        # else: the in-page clicks took longer than the wait; look once more anyway
        try:
            state = await self.collect()
        except PlaywrightError:
            return
        self._record(state, Reveal(0, (), time.monotonic() - self._loaded_at), only_chat=True)
        await self._shoot()


def _navigated(before: str, after: str) -> bool:
    from auditor.scope import normalise

    return normalise(before) != normalise(after)


async def _run_collector(target, args: str) -> str:
    """The collector's JSON for a page or frame: the installed copy, or (a document made
    before the context had it, e.g. about:blank) the full source."""
    out = await target.evaluate(COLLECT_CALL_JS, args)
    if not isinstance(out, str):
        out = await target.evaluate(COLLECT_JS, args)
    return out
