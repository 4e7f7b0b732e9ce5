"""robots.txt politeness (spec section 4), with httpx for the fetch and protego for the rules.

Every page after the start URL is checked unless the user says `--ignore-robots` (a company
auditing itself). A start URL that robots.txt forbids ends the audit with
`robots_disallowed`.

Decisions where RFC 9309 leaves room: a robots.txt that answers 4xx, or cannot be fetched
at all, allows everything (RFC 9309 2.3.1.3). A 5xx answer also allows everything here,
although the RFC says to assume a full disallow: a site that answers 5xx everywhere is
reported as the `http_error` it is, rather than as a robots refusal. The rules are read
for the user-agent token `contact-auditor`.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import httpx
from protego import Protego

from auditor.plain_http import plain_client

USER_AGENT_TOKEN = "contact-auditor"
ROBOTS_TIMEOUT_SECONDS = 10.0


class RobotsPolicy:
    """robots.txt rules per host, fetched once each."""

    def __init__(self, *, proxy: str | None, user_agent: str, ignore: bool = False):
        self._proxy = proxy
        self._ua = user_agent
        self._ignore = ignore
        self._rules: dict[str, Protego | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        if self._ignore:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._fetch(origin)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(url, USER_AGENT_TOKEN)

    async def _fetch(self, origin: str) -> Protego | None:
        try:
            async with plain_client(proxy=self._proxy, user_agent=self._ua, timeout=ROBOTS_TIMEOUT_SECONDS) as client:
                resp = await client.get(f"{origin}/robots.txt")
        except (httpx.HTTPError, OSError):
            return None
        if resp.status_code != 200:
            return None
        return Protego.parse(resp.text)
