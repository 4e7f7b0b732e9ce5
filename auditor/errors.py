"""The exception tree, and what the runner does with each.

    AuditorError                    base; never escapes the CLI as a traceback
    ├── UsageError                  bad command-line input or config -> one line, exit 2
    │   ├── ProfileError            (auditor/scoring.py) a scoring profile that cannot load
    │   └── StoreError              the result store (--db) cannot be opened or written ->
    │                               one line, exit 2; a save that fails during a batch is
    │                               reported and the site's result is kept in memory
    ├── BrowserNotFound             no Chromium to launch -> one line saying how to get one, exit 2
    └── SiteAuditError              the audit of ONE site could not run -> that site gets
        │                           status "error" with `kind` and message, never a score;
        │                           the other sites go on
        ├── kind "dns"              the host name does not resolve
        ├── kind "connection"       refused / reset / unreachable
        ├── kind "timeout"          the start page or the site budget timed out
        ├── kind "http_error"       4xx/5xx on the start page (also a proxy's 502)
        ├── kind "bot_protection"   a challenge page (Cloudflare "Just a moment...", captcha)
        ├── kind "robots_disallowed" robots.txt forbids the start URL
        ├── kind "not_html"         the start URL is not a web page
        ├── kind "browser"          the browser itself failed (crash, launch failure)
        └── kind "worker_lost"      (distributed sweeps) the worker auditing it died 3 times

A page that fails *after* the start page does not raise: it is recorded on the page and
the site ends `partial`.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base of everything this tool raises on purpose."""


class UsageError(AuditorError):
    """Bad input from the user: the CLI prints the message on one line and exits 2."""


class StoreError(UsageError):
    """The result store cannot be opened, read or written."""


class BrowserNotFound(AuditorError):
    """No Chromium could be found or launched."""


class SiteAuditError(AuditorError):
    """The audit of one site could not run."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message
