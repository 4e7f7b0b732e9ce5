"""Why an audit could not run: reading a failed start page (spec section 5 error kinds).

An audit that could not run is an error with a reason, never a score of zero. These
functions turn what the browser saw on the start URL into a `SiteAuditError`.
"""

from __future__ import annotations

import re

from auditor.errors import SiteAuditError

#: Chromium's net error names (net/base/net_error_list.h) by the kind they mean here.
NET_ERRORS = {
    "dns": ("ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED", "ERR_DNS_"),
    "connection": (
        "ERR_CONNECTION_REFUSED",
        "ERR_CONNECTION_RESET",
        "ERR_CONNECTION_CLOSED",
        "ERR_CONNECTION_FAILED",
        "ERR_ADDRESS_UNREACHABLE",
        "ERR_EMPTY_RESPONSE",
        "ERR_PROXY_CONNECTION_FAILED",
        "ERR_TUNNEL_CONNECTION_FAILED",
        "ERR_INTERNET_DISCONNECTED",
        "ERR_NETWORK_CHANGED",
        "ERR_SSL_",
        "ERR_CERT_",
        "ERR_INVALID_RESPONSE",
    ),
    "timeout": ("ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT"),
}

#: Markers of bot-protection challenge pages: Cloudflare ("Just a moment...",
#: `cf-mitigated: challenge`), Akamai, Imperva/Incapsula, DataDome, PerimeterX, hCaptcha
#: and reCAPTCHA interstitials. Sources: the vendors' documented challenge responses.
CHALLENGE_HEADERS = (("cf-mitigated", "challenge"), ("x-datadome", ""), ("x-iinfo", ""))
CHALLENGE_TEXT = re.compile(
    r"just a moment\.\.\.|checking your browser|attention required|cf-chl|challenge-platform|"
    r"_incapsula_resource|datadome|px-captcha|are you a robot|verify you are human|"
    r"bekräfta att du är en människa|captcha-delivery",
    re.I,
)


def from_exception(exc: BaseException) -> SiteAuditError:
    text = str(exc)
    for kind, names in NET_ERRORS.items():
        if any(n in text for n in names):
            return SiteAuditError(kind, _first_line(text))
    if "Timeout" in type(exc).__name__ or "timeout" in text.lower():
        return SiteAuditError("timeout", "the start page did not finish loading in time")
    if "Target page, context or browser has been closed" in text or "crash" in text.lower():
        return SiteAuditError("browser", _first_line(text))
    return SiteAuditError("connection", _first_line(text))


def from_response(status: int | None, headers: dict[str, str], title: str, body: str) -> SiteAuditError | None:
    """The error a start page answer means, or None when it is a page to audit."""
    challenge = any(
        h in headers and (not v or v in headers[h].lower()) for h, v in CHALLENGE_HEADERS
    ) or bool(CHALLENGE_TEXT.search(title or "")) or (
        status in (403, 429, 503) and bool(CHALLENGE_TEXT.search(body[:20000]))
    )
    if challenge:
        return SiteAuditError(
            "bot_protection",
            f"the start page answered with a bot challenge (HTTP {status}, title {title!r})",
        )
    if status is not None and status >= 400:
        squid = headers.get("x-squid-error", "")
        if "ERR_DNS_FAIL" in squid:
            return SiteAuditError("dns", f"the host name does not resolve (proxy: {squid})")
        return SiteAuditError("http_error", f"the start page answered HTTP {status}")
    ctype = headers.get("content-type", "")
    if ctype and not any(t in ctype for t in ("html", "xml")):
        return SiteAuditError("not_html", f"the start URL is not a web page ({ctype})")
    return None


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line[:300]
