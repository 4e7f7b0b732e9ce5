"""The naive baseline: load every page breadth-first, read channels from the page text.

What a simple crawler does, and what the spec (section 2) says is wrong about it: it
follows every same-site `href` in the HTML (also links inside closed menus), counts one
click per page, and never opens a menu, an accordion or a "Visa telefonnummer" button. It
is kept honest and comparable with the tool:

* the same browser: Playwright async, Chromium (the one `benchmarks/run.py` gives both
  runs) with `--no-sandbox --disable-background-networking
  --disable-component-update --disable-sync`; one isolated context per site, desktop
  viewport 1366x768; the same number of tabs per site as the tool's `page_concurrency`;
* the same depth (`max_depth` link hops from the start page, default the tool's 4);
* after the load event it waits for a late chat launcher, up to the tool's
  `late_widget_seconds` after load, unless the site's chat was already found on an
  earlier page (the tool skips that wait in the same case);
* channels from each page: phone numbers and e-mail addresses by regular expression over
  the page text (``text="dom"``: the rendered DOM's text, hidden elements included, as a
  grep over the HTML would see it; ``text="visible"``: `innerText`), a `<textarea>` for a
  form, a chat launcher (a tawk bubble iframe or a button/link offering chat). A channel's
  "clicks" is the link depth of the first page it was seen on.

Every `page.goto` is a page load; the count is in the result.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

import phonenumbers
from playwright.async_api import Browser, BrowserContext, async_playwright
from playwright.async_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CHANNELS = ("phone", "email", "chat", "form")
NOT_PAGES = re.compile(r"\.(pdf|jpe?g|png|gif|webp|svg|zip|docx?|xlsx?|ics|csv|xml|json|js|css)$", re.IGNORECASE)

PHONE_RE = re.compile(r"(?<![\w+\-])(?:\+46[\s-]?|0)\d(?:[\s-]?\d){5,10}(?![\d-])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

READ_JS = r"""
(mode) => {
  const body = document.body;
  let text = "";
  if (body) {
    if (mode === "visible") text = body.innerText || "";
    else {
      // every text node, hidden or not, one space between nodes (as a grep of the HTML
      // with the tags taken out would read it)
      const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
      const w = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement && skip.has(n.parentElement.tagName)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      const parts = [];
      for (let n = w.nextNode(); n; n = w.nextNode()) parts.push(n.nodeValue);
      text = parts.join(" ");
    }
  }
  const hrefs = [...document.querySelectorAll("a[href]")].map((a) => a.href);
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const areas = [...document.querySelectorAll("textarea")];
  const form = mode === "visible" ? areas.some(visible) : areas.length > 0;
  return {text, hrefs, form, title: document.title};
}
"""

CHAT_JS = r"""
() => {
  if (document.querySelector("iframe.tawk-min-container")) return "tawk";
  for (const el of document.querySelectorAll("button,a,[role=button]")) {
    const t = (el.innerText || el.textContent || "").trim();
    if (t.length < 60 && /\b(chatta|chatt med|starta chatt|chat with us|live ?chat)\b/i.test(t)) return "inhouse";
  }
  return "";
}
"""


@dataclass
class NaiveResult:
    url: str
    page_loads: int = 0
    seconds: float = 0.0
    error: str | None = None
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: list[tuple[str, int]] = field(default_factory=list)  # (url, depth) in load order

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "page_loads": self.page_loads, "seconds": round(self.seconds, 3),
                "error": self.error, "channels": self.channels,
                "pages": [{"url": u, "depth": d} for u, d in self.pages]}


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower()


def _norm(url: str) -> str:
    u, _ = urldefrag(url)
    p = urlsplit(u)
    return f"{p.scheme.lower()}://{p.netloc.lower()}{p.path or '/'}" + (f"?{p.query}" if p.query else "")


def phones_in(text: str, region: str = "SE") -> list[str]:
    out: list[str] = []
    for m in PHONE_RE.finditer(text):
        try:
            num = phonenumbers.parse(m.group(0), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            if e164 not in out:
                out.append(e164)
    return out


def emails_in(text: str) -> list[str]:
    out: list[str] = []
    for m in EMAIL_RE.finditer(text):
        e = m.group(0).lower().rstrip(".")
        if e not in out:
            out.append(e)
    return out


async def crawl_site(context: BrowserContext, start_url: str, *, max_depth: int = 4,
                     late_widget_seconds: float = 6.0, tabs: int = 2, text: str = "dom",
                     page_timeout: float = 20.0, max_pages: int = 1000) -> NaiveResult:
    started = time.monotonic()
    res = NaiveResult(url=start_url)
    origin = _origin(start_url)
    found: dict[str, dict[str, Any]] = {}
    seen = {_norm(start_url)}
    level = [start_url]
    pages = [await context.new_page() for _ in range(max(1, tabs))]

    async def read(page, url: str, depth: int) -> list[str]:
        res.page_loads += 1
        res.pages.append((url, depth))
        try:
            await page.goto(url, wait_until="load", timeout=page_timeout * 1000)
        except PlaywrightError as exc:
            if depth == 0:
                res.error = str(exc).splitlines()[0][:200]
            return []
        loaded = time.monotonic()
        chat = ""
        while True:
            try:
                chat = await page.evaluate(CHAT_JS)
            except PlaywrightError:
                chat = ""
            if chat or "chat" in found or time.monotonic() - loaded >= late_widget_seconds:
                break
            await asyncio.sleep(0.25)
        try:
            data = await page.evaluate(READ_JS, text)
        except PlaywrightError:
            return []
        hits: dict[str, list[str]] = {
            "phone": phones_in(data["text"]),
            "email": emails_in(data["text"]),
            "form": ["textarea"] if data["form"] else [],
            "chat": [chat] if chat else [],
        }
        for ch, values in hits.items():
            if not values:
                continue
            cur = found.get(ch)
            if cur is None or depth < cur["clicks"]:
                found[ch] = {"found": True, "clicks": depth, "values": list(values), "url": url}
            elif depth == cur["clicks"]:
                cur["values"] += [v for v in values if v not in cur["values"]]
        return data["hrefs"]

    try:
        for depth in range(max_depth + 1):
            if not level:
                break
            queue: asyncio.Queue[str] = asyncio.Queue()
            for u in level:
                queue.put_nowait(u)
            nxt: list[str] = []

            async def worker(page, queue: asyncio.Queue[str], depth: int, nxt: list[str]) -> None:
                while not queue.empty() and res.page_loads < max_pages:
                    url = queue.get_nowait()
                    for href in await read(page, url, depth):
                        if not href.startswith(("http://", "https://")) or _origin(href) != origin:
                            continue
                        key = _norm(href)
                        if key in seen or NOT_PAGES.search(urlsplit(key).path):
                            continue
                        seen.add(key)
                        nxt.append(key)

            await asyncio.gather(*(worker(p, queue, depth, nxt) for p in pages))
            level = nxt
    finally:
        for p in pages:
            try:
                await p.close()
            except PlaywrightError:
                pass
    for ch in CHANNELS:
        res.channels[ch] = found.get(ch) or {"found": False, "clicks": None, "values": [], "url": None}
        if ch == "chat" and res.channels[ch]["found"]:
            v = res.channels[ch]["values"][0]
            res.channels[ch]["vendor"] = v if v != "inhouse" else None
    res.seconds = time.monotonic() - started
    return res


async def launch(pw, executable: str | None = CHROMIUM) -> Browser:
    opts: dict[str, Any] = {"headless": True, "args": list(CHROMIUM_ARGS)}
    if executable:
        opts["executable_path"] = executable
    return await pw.chromium.launch(**opts)


async def crawl_sites(urls: list[str], *, concurrency: int = 4, executable: str | None = CHROMIUM,
                      on_start: Callable[[str], None] | None = None,
                      on_result: Callable[[str, NaiveResult], None] | None = None,
                      **kw: Any) -> list[NaiveResult]:
    """Crawl every site, `concurrency` at once, one browser, one context per site."""
    async with async_playwright() as pw:
        browser = await launch(pw, executable)
        sem = asyncio.Semaphore(max(1, concurrency))

        async def one(url: str) -> NaiveResult:
            async with sem:
                if on_start:
                    on_start(url)
                context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
                try:
                    r = await crawl_site(context, url, **kw)
                except PlaywrightError as exc:
                    r = NaiveResult(url=url, error=str(exc).splitlines()[0][:200])
                finally:
                    await context.close()
                if on_result:
                    on_result(url, r)
                return r

        try:
            return list(await asyncio.gather(*(one(u) for u in urls)))
        finally:
            await browser.close()
