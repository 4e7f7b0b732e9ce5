"""sitemap.xml, read only to sample page templates for the Consistent Help check.

The sitemap's own address comes from robots.txt `Sitemap:` lines, else `/sitemap.xml`. A
sitemap index is followed one level. Failures are silent: a sitemap is a hint, never a
requirement, and a site without one is sampled from its navigation instead.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx

from auditor.plain_http import plain_client

SITEMAP_TIMEOUT_SECONDS = 8.0
MAX_URLS = 200
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_SITEMAP_LINE = re.compile(r"^\s*sitemap:\s*(\S+)", re.I | re.M)


async def sitemap_urls(start_url: str, *, proxy: str | None, user_agent: str) -> list[str]:
    parts = urlsplit(start_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    try:
        async with plain_client(proxy=proxy, user_agent=user_agent, timeout=SITEMAP_TIMEOUT_SECONDS) as client:
            maps: list[str] = []
            r = await client.get(urljoin(origin, "/robots.txt"))
            if r.status_code == 200:
                maps = _SITEMAP_LINE.findall(r.text)
            if not maps:
                maps = [urljoin(origin, "/sitemap.xml")]
            urls: list[str] = []
            for m in maps[:3]:
                r = await client.get(m)
                if r.status_code != 200:
                    continue
                locs = _LOC.findall(r.text)
                if "<sitemapindex" in r.text[:500].lower():
                    for sub in locs[:3]:
                        r2 = await client.get(sub)
                        if r2.status_code == 200:
                            urls.extend(_LOC.findall(r2.text))
                else:
                    urls.extend(locs)
                if len(urls) >= MAX_URLS:
                    break
            return urls[:MAX_URLS]
    except (httpx.HTTPError, OSError, ValueError):
        return []
