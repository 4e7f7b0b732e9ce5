"""Which links the visitor follows (spec section 4, "Scope of the search").

Links on the start URL's registrable domain and its subdomains are followed freely. An
off-site link is followed one hop when its text or URL is about contact/help/support (a
help centre on a vendor's domain); the visitor reads that page but follows nothing from it.

Registrable domains come from tldextract's bundled public-suffix snapshot (never a live
download). A host whose suffix is not on the list (the reserved `.test` TLD of the
corpora, an intranet name) is read as `<name>.<last label>`, so `hjalp.resebolaget.test`
and `www.resebolaget.test` are one site and `cloudbooks.freshdesk.test` is another. An IP
address is its own site, port included.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

#: Files a person does not "visit" looking for contact details.
NOT_PAGES = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|zip|docx?|xlsx?|pptx?|mp4|mp3|ics|csv|xml|json|rss|exe|dmg)$",
    re.I,
)


@lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    """The registrable domain a URL belongs to ("resebolaget.test", "example.co.uk")."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return f"{host}:{parts.port or ''}"
    ext = _EXTRACT(host)
    if ext.suffix and ext.domain:
        return f"{ext.domain}.{ext.suffix}"
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def normalise(url: str) -> str:
    """The page a URL shows: scheme and host lower-cased, empty path '/', fragment dropped
    (it only scrolls) unless it is a hash route of a single-page app (`#/kontakt`, `#!/x`),
    which shows another page."""
    p = urlsplit(url)
    path = p.path or "/"
    netloc = (p.hostname or "").lower()
    if p.port:
        netloc += f":{p.port}"
    fragment = p.fragment if p.fragment.startswith(("/", "!/")) else ""
    return urlunsplit((p.scheme.lower(), netloc, path, p.query, fragment))


def is_page_link(url: str) -> bool:
    p = urlsplit(url)
    return p.scheme in ("http", "https") and not NOT_PAGES.search(p.path)


def same_site(url: str, start_url: str) -> bool:
    return site_key(url) == site_key(start_url)
