"""The site search: fewest clicks from the start page to each contact channel.

Pages are the nodes; an edge is "see a link (after 0..n in-page clicks) and follow it",
costing the in-page clicks plus one. Because every edge costs at least one click, a page
reached with `d` clicks can only be improved by pages at `d-1` or less, so the search goes
level by level (a breadth-first search with the in-page costs folded in), loading pages of
one level concurrently in a few tabs, contact/help links first. It stops as soon as no
shorter path can exist: when every channel is found no deeper than the current level, or
the limits (`max_depth`, `max_pages`, the site budget) are reached; the result says which
limit was hit.

Where the search looks (the spec is silent; this is what a careful mystery shopper does): a
person looking for contact details follows links that promise contact, help or the company
("Kontakt", "Kundservice", "Hjälp", "Om oss"), and the links in the body of a contact or help
page; once they know where the company's contact page is they do not go on to read every
product page, news article and policy. The default *focused* search does the same: on each
level it opens the promising pages first; the others it opens only while no link to a
contact page (a contact-worded link) has been seen. Should every contact page it counted on
fail to open, it goes back and opens what it passed over. Every click it counts is still
the fewest among the pages it opened. When a page passed over could have changed the answer
(a channel is missing, or was found deeper than that page) the result says `focus` in
`limits_hit`. `--search exhaustive` opens every page within the limits (what an auditor
proving an absence wants).

Spec section 4 scope: the start URL's registrable domain (and subdomains) freely; an
off-site link one hop when its text or URL is about contact/help/support.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor import scope
from auditor.explorer import ExploreContext, NavEdge, PageExplorer, PageVisit, Reveal
from auditor.human_time import HumanStep
from auditor.page_state import PageState
from auditor.result import PathStep
from auditor.robots import RobotsPolicy
from auditor.settings import AuditSettings
from auditor.settle import NetworkTracker
from checks import ChannelHit
from checks.contact_words import link_rank, matches, skip_link

CHANNEL_NAMES = ("phone", "email", "chat", "form")
#: Where a page's own content is (not its header, menus or footer): a link there on a
#: contact or help page is part of that page's answer.
BODY_REGIONS = ("main", "other", "dialog")


@dataclass
class PageNode:
    url: str  # normalised: the identity of the page
    href: str  # what to load
    depth: int
    steps: tuple[PathStep, ...] = ()
    human: tuple[HumanStep, ...] = ()
    seconds: float = 0.0  # measured seconds spent before this page started loading
    waits: float = 0.0  # of which page loads (what a person waits through, not acts in)
    offsite: bool = False
    rank: int = 3
    order: int = 0
    via_faq: bool = False  # an FAQ page lies on the path to it
    #: Its link promised contact, help or the company (rank 0-2), or it is linked from the
    #: body of a contact or help page. The focused search opens only these once the
    #: company's contact page has been seen.
    relevant: bool = True
    failed: bool = False  # could not be opened (an error, an HTTP error, robots.txt)


@dataclass
class ChannelBest:
    channel: str
    clicks: int
    node: PageNode
    visit: PageVisit
    hit: ChannelHit
    reveal: Reveal
    state: PageState


@dataclass
class SiteObservation:
    """What the search gathered: the artifacts the findings and the result are made from."""

    start_url: str
    device: str
    start_visit: PageVisit | None = None
    visits: list[tuple[PageNode, PageVisit]] = field(default_factory=list)
    best: dict[str, ChannelBest] = field(default_factory=dict)
    limits_hit: set[str] = field(default_factory=set)
    region: str = "SE"
    region_reason: str = ""
    skipped_by_robots: int = 0
    failed_pages: int = 0
    help_pages: list[tuple[str, PageState]] = field(default_factory=list)  # WCAG 3.2.6 sample


def fold_best(obs: SiteObservation, node: PageNode, visit: PageVisit) -> None:
    """Keep, per channel, the hit with the fewest clicks (the first one among equals)."""
    for hit, reveal, state in visit.hits:
        clicks = node.depth + reveal.cost
        cur = obs.best.get(hit.channel)
        if cur is None or clicks < cur.clicks:
            obs.best[hit.channel] = ChannelBest(hit.channel, clicks, node, visit, hit, reveal, state)


class SiteSearch:
    def __init__(
        self,
        context: BrowserContext,
        settings: AuditSettings,
        *,
        can_hover: bool,
        robots: RobotsPolicy,
        selectors: list[str],
        globals_: list[str],
        detect_ctx,
        consent,
        start_deadline: float,
    ):
        self.context = context
        self.settings = settings
        self.can_hover = can_hover
        self.robots = robots
        self.selectors = selectors
        self.globals = globals_
        self.detect_ctx = detect_ctx
        self.consent = consent
        self.deadline = start_deadline
        self.seen_signatures: dict[str, int] = {}
        self.nodes: dict[str, PageNode] = {}
        self.done: set[str] = set()
        self._order = 0
        self._shots = 0
        self._tabs: list[tuple[Page, NetworkTracker]] = []
        self._host_last: dict[str, float] = {}
        self._host_lock: dict[str, asyncio.Lock] = {}
        self.focused = settings.search != "exhaustive"
        self.passed_over: list[PageNode] = []  # pages the focused search chose not to open

    # -- bounds -----------------------------------------------------------------------
    def _max_best(self, obs: SiteObservation) -> float:
        if len(obs.best) < len(CHANNEL_NAMES):
            return math.inf
        return max(b.clicks for b in obs.best.values())

    def _explore_ctx(self, obs: SiteObservation, node: PageNode) -> ExploreContext:
        max_best = self._max_best(obs)
        limit = self.settings.max_depth - node.depth
        if max_best != math.inf:
            limit = min(limit, int(max_best) - node.depth - 1)
        best_chat = obs.best.get("chat")
        return ExploreContext(
            depth=node.depth,
            can_hover=self.can_hover,
            max_cost=max(0, min(self.settings.max_in_page_clicks, limit)),
            selectors=self.selectors,
            globals=self.globals,
            detect_ctx=self.detect_ctx,
            seen_signatures=self.seen_signatures,
            chat_wanted=lambda total: best_chat is None or best_chat.clicks > total,
            max_actions=self.settings.max_actions_per_page,
            late_widget_seconds=self.settings.late_widget_seconds,
            late_wait=node.depth == 0 or node.rank <= 1 or node.offsite,
            consent=self.consent,
            screenshot_for=self._screenshot_for(obs) if self.settings.screenshots_dir else None,
        )

    def _screenshot_for(self, obs: SiteObservation):
        """A file name for a screenshot when a hit would improve its channel."""
        from pathlib import Path
        import re as _re

        folder = Path(self.settings.screenshots_dir or ".")
        slug = _re.sub(r"[^a-z0-9]+", "-", obs.start_url.lower().split("//", 1)[-1]).strip("-")[:60]

        def name(channel: str, clicks: int) -> str | None:
            cur = obs.best.get(channel)
            if cur is not None and cur.clicks <= clicks:
                return None
            self._shots += 1
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"{slug}-{obs.device}-{channel}-{self._shots}.png")

        return name

    # -- tabs and politeness ------------------------------------------------------------
    async def _tab(self, i: int) -> tuple[Page, NetworkTracker]:
        while len(self._tabs) <= i:
            page = await self.context.new_page()
            self._tabs.append((page, NetworkTracker(page)))
        return self._tabs[i]

    async def _polite(self, url: str) -> None:
        if self.settings.host_delay <= 0:
            return
        host = urlsplit(url).netloc.lower()
        lock = self._host_lock.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._host_last.get(host, 0.0) + self.settings.host_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._host_last[host] = time.monotonic()

    @property
    def start_explorer(self) -> PageExplorer:
        """The explorer holding the loaded start page (after `start`)."""
        return self._start_explorer

    # -- the search ---------------------------------------------------------------------
    async def start(self, obs: SiteObservation, start_url: str) -> PageVisit:
        """Load and explore the start page (errors propagate to the caller)."""
        node = PageNode(scope.normalise(start_url), start_url, 0, rank=0)
        self.nodes[node.url] = node
        page, net = await self._tab(0)
        explorer = PageExplorer(page, net, self._explore_ctx(obs, node), self.settings)
        visit = await explorer.load(start_url)
        self._start_explorer = explorer
        obs.start_visit = visit
        return visit

    async def continue_start(self, obs: SiteObservation, visit: PageVisit) -> None:
        """Explore the already loaded start page, then the rest of the site."""
        node = self.nodes[scope.normalise(visit.url)]
        page, net = await self._tab(0)
        explorer = self._start_explorer
        explorer.ctx = self._explore_ctx(obs, node)
        await explorer.explore_loaded()
        # the start page may redirect: its final URL is the same node
        self.nodes[scope.normalise(visit.final_url or visit.url)] = node
        self.done.update({node.url, scope.normalise(visit.final_url or visit.url)})
        self._absorb(obs, node, visit)
        await self._levels(obs)

    async def _levels(self, obs: SiteObservation) -> None:
        level = 0
        while True:
            level += 1
            if level > self.settings.max_depth:
                if any(n.depth > self.settings.max_depth for n in self.nodes.values()):
                    obs.limits_hit.add("max_depth")
                break
            if self._max_best(obs) <= level:
                break
            batch = sorted(
                (n for n in self.nodes.values() if n.depth == level and n.url not in self.done),
                key=lambda n: (n.rank, n.order),
            )
            if not batch and not any(
                n.depth > level and n.url not in self.done for n in self.nodes.values()
            ):
                break
            await self._run_level(obs, batch, level)
            if "max_pages" in obs.limits_hit or "site_timeout" in obs.limits_hit:
                break
        stopped = obs.limits_hit & {"max_pages", "site_timeout"}
        if self.focused and self.passed_over and not stopped and not self._contact_page_known():
            # every contact page the search counted on failed to open: look everywhere
            self.focused = False
            self.passed_over.clear()
            await self._levels(obs)
            return
        self._note_focus(obs)

    def _contact_page_known(self) -> bool:
        """Is a page reached by a contact-worded link known and not failed to open? (One
        known but never opened because every channel was found sooner needs no fallback.)"""
        return any(n.rank == 0 and n.depth >= 1 and not n.failed for n in self.nodes.values())

    def _note_focus(self, obs: SiteObservation) -> None:
        """Say `focus` in `limits_hit` when a page passed over (and never opened later, for
        the Consistent Help sample) could have changed a channel: one is missing, or was
        found deeper than such a page."""
        obs.limits_hit.discard("focus")
        unopened = [n for n in self.passed_over if n.url not in self.done]
        if not unopened:
            return
        shallowest = min(n.depth for n in unopened)
        if any(obs.best.get(c) is None or obs.best[c].clicks > shallowest for c in CHANNEL_NAMES):
            obs.limits_hit.add("focus")

    async def _run_level(self, obs: SiteObservation, batch: list[PageNode], level: int) -> None:
        """Open one level's pages: the relevant ones first, then (exhaustive search, or no
        contact page seen yet) the rest."""
        if not self.focused:
            await self._open_pages(obs, batch, level)
            return
        await self._open_pages(obs, [n for n in batch if n.relevant], level)
        rest = [n for n in batch if not n.relevant]
        if self._contact_page_known():
            self.passed_over.extend(rest)
        else:
            await self._open_pages(obs, rest, level)

    async def _open_pages(self, obs: SiteObservation, batch: list[PageNode], level: int) -> None:
        if not batch:
            return
        queue: asyncio.Queue[PageNode] = asyncio.Queue()
        for n in batch:
            queue.put_nowait(n)

        async def worker(i: int) -> None:
            while not queue.empty():
                node = queue.get_nowait()
                if self._max_best(obs) <= level:
                    return
                if len(obs.visits) >= self.settings.max_pages:
                    obs.limits_hit.add("max_pages")
                    return
                if time.monotonic() > self.deadline:
                    obs.limits_hit.add("site_timeout")
                    return
                if node.url in self.done:
                    continue
                self.done.add(node.url)
                if not await self.robots.allowed(node.href):
                    obs.skipped_by_robots += 1
                    node.failed = True
                    continue
                await self._visit(obs, node, i)

        workers = max(1, min(self.settings.page_concurrency, len(batch)))
        await asyncio.gather(*(worker(i) for i in range(workers)))

    async def _visit(self, obs: SiteObservation, node: PageNode, tab: int) -> None:
        page, net = await self._tab(tab)
        await self._polite(node.href)
        explorer = PageExplorer(page, net, self._explore_ctx(obs, node), self.settings)
        try:
            visit = await explorer.explore(node.href)
        except PlaywrightError as exc:
            visit = explorer.visit or PageVisit(url=node.href)
            visit.error = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "error"
            obs.failed_pages += 1
            node.failed = True
            obs.visits.append((node, visit))
            if "closed" in str(exc):  # the tab died with the page: open a fresh one in its place
                fresh = await self.context.new_page()
                self._tabs[tab] = (fresh, NetworkTracker(fresh))
            return
        if visit.status is not None and visit.status >= 400:
            visit.error = f"HTTP {visit.status}"
            obs.failed_pages += 1
            node.failed = True
            obs.visits.append((node, visit))
            return
        final = scope.normalise(visit.final_url or node.href)
        self.done.add(final)
        self._absorb(obs, node, visit)

    def _absorb(self, obs: SiteObservation, node: PageNode, visit: PageVisit) -> None:
        """Fold one explored page into the bests and the frontier."""
        if not any(v is visit for _, v in obs.visits):
            obs.visits.append((node, visit))
        page_url = visit.final_url or node.href
        faq_page = self._is_faq(visit)
        fold_best(obs, node, visit)
        if node.offsite:
            return
        for edge in visit.edges:
            self._add_edge(obs, node, visit, edge, page_url, faq_page)

    def _is_faq(self, visit: PageVisit) -> bool:
        st = visit.first_state
        if st is None:
            return False
        head = " ".join([st.title] + [b.text for b in st.blocks if b.region in ("main", "other")][:40])
        return matches("faq", head)

    def _add_edge(self, obs, node: PageNode, visit: PageVisit, edge: NavEdge, page_url: str, faq_page: bool) -> None:
        href = edge.url
        if not scope.is_page_link(href) or skip_link(href):
            return
        key = scope.normalise(href)
        if key == scope.normalise(page_url) or key in self.done:
            return
        offsite = not scope.same_site(href, obs.start_url)
        rank = link_rank(edge.rank_text, href)
        if offsite and rank > 1:
            return
        depth = node.depth + edge.reveal.cost + 1
        if depth > self.settings.max_depth:
            if len(obs.best) < len(CHANNEL_NAMES):
                obs.limits_hit.add("max_depth")
            return
        relevant = _promising(edge.rank_text, href) or (
            node.depth >= 1 and node.rank <= 1 and edge.region in BODY_REGIONS
        )
        existing = self.nodes.get(key)
        if existing is not None and existing.depth <= depth:
            if existing.depth == depth and key not in self.done:
                # another link to it at the same depth may promise more
                existing.rank = min(existing.rank, rank)
                existing.relevant = existing.relevant or relevant
            return
        steps = node.steps + tuple(
            PathStep(a.action, a.label, page_url) for a in edge.reveal.chain
        ) + (PathStep("click", edge.label or href, href, edge.new_tab),)
        human = node.human + tuple(
            HumanStep(a.n_candidates, a.target_y, a.viewport_height, True) for a in edge.reveal.chain
        ) + (HumanStep(edge.n_candidates, edge.target_y, _vh(visit), True),)
        self._order += 1
        self.nodes[key] = PageNode(
            url=key,
            href=href,
            depth=depth,
            steps=steps,
            human=human,
            seconds=node.seconds + visit.load_seconds + edge.reveal.seconds,
            waits=node.waits + visit.load_seconds,
            offsite=offsite,
            rank=rank,
            order=self._order,
            via_faq=node.via_faq or faq_page,
            relevant=relevant,
        )


    # -- Consistent Help sample --------------------------------------------------------
    async def sample_help_pages(self, obs: SiteObservation, extra_urls: list[str], minimum: int) -> None:
        """Pages to compare for WCAG 2.2 SC 3.2.6: the pages the search visited, topped up
        with pages of other templates (another first path segment) from the start page's
        links and the sitemap, each loaded once and read without any click."""
        pages: list[tuple[str, PageState]] = []
        for node, visit in obs.visits:
            if node.offsite or visit.error or visit.first_state is None:
                continue
            pages.append((visit.final_url or node.href, visit.first_state))
        obs.help_pages = pages
        if len(pages) >= minimum:
            return
        have = {scope.normalise(u) for u, _ in pages}
        segments = {_segment(u) for u in have}
        start = obs.start_visit
        links = [e.url for e in (start.edges if start else []) if e.reveal.cost == 0]
        candidates: list[str] = []
        for url in links + extra_urls:
            key = scope.normalise(url)
            if key in have or not scope.is_page_link(url) or not scope.same_site(url, obs.start_url):
                continue
            if skip_link(url) or url in candidates:
                continue
            candidates.append(url)
        candidates.sort(key=lambda u: (_segment(u) in segments, link_rank("", u) == 0))
        page, net = await self._tab(0)
        passed_over = {n.url: n for n in self.passed_over}
        for url in candidates[: 2 * minimum]:  # a few tries, not a crawl
            if len(obs.help_pages) >= minimum or time.monotonic() > self.deadline:
                break
            if not await self.robots.allowed(url):
                continue
            key = scope.normalise(url)
            if key in passed_over and key not in self.done:
                # a page the focused search passed over: now that it is loaded anyway, open
                # it the way the search would have, so what it shows counts too
                self.done.add(key)
                await self._visit(obs, passed_over[key], 0)
                node, visit = obs.visits[-1]
                if node is passed_over[key] and not visit.error and visit.first_state is not None:
                    segments.add(_segment(url))
                    obs.help_pages.append((visit.final_url or url, visit.first_state))
                page, net = await self._tab(0)
                continue
            await self._polite(url)
            node = PageNode(scope.normalise(url), url, self.settings.max_depth + 1)
            explorer = PageExplorer(page, net, self._explore_ctx(obs, node), self.settings)
            try:
                visit = await explorer.load(url)
                if visit.status is not None and visit.status >= 400:
                    continue
                if self.consent is not None:
                    await self.consent(page, net, explorer.collect, explorer._element)
                state = await explorer.collect()
            except PlaywrightError:
                continue
            segments.add(_segment(url))
            obs.help_pages.append((visit.final_url or url, state))
        self._note_focus(obs)


def _promising(text: str, url: str) -> bool:
    """Does a link promise contact, help or the company, by its text or the last part of its
    path? (Not the whole path: "/om-oss/jobba-hos-oss/" is about jobs, not the company.)"""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return link_rank(text, f"/{last}/") <= 2


def _segment(url: str) -> str:
    path = urlsplit(url).path.strip("/")
    return path.split("/", 1)[0] if path else ""


def _vh(visit: PageVisit) -> float:
    st = visit.first_state
    return st.viewport_height if st else 768.0
