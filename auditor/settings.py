"""Audit settings, resolved once and passed down explicitly.

Order of precedence: defaults < config file (`[tool.contact-auditor]` in pyproject.toml, or
contact-auditor.toml) < environment (`CONTACT_AUDITOR_BROWSER`) < command-line flags. Only
`resolve_settings` reads the environment; every other module gets this frozen object.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

#: Timing constants of the visitor. Sources: measured on the public corpus and the
#: fixture sites; each is the smallest value that caught what a patient person would see.
PAGE_TIMEOUT_SECONDS = 20.0  # one navigation, to the load event
SETTLE_CAP_SECONDS = 1.6  # after load: wait at most this long for requests/short timers
SETTLE_HORIZON_SECONDS = 1.2  # ...and only for timers due within this horizon
QUIET_SECONDS = 0.15  # a page is quiet after this long without requests in flight
ACTION_SETTLE_SECONDS = 0.25  # after a click or hover, for transitions to finish
ACTION_SETTLE_CAP_SECONDS = 1.2
#: A chat launcher injected after load (lazy loading) is "on the page" when it appears
#: within this many seconds of the load event; the public corpus uses 2-4 s delays, and
#: performance guides recommend deferring third-party widgets by a few seconds.
LATE_WIDGET_SECONDS = 6.0


@dataclass(frozen=True)
class AuditSettings:
    device: str = "desktop"
    region: str | None = None  # --region; None = infer from the site
    max_depth: int = 4  # clicks from the start page
    max_pages: int = 40  # page loads per site
    site_timeout: float = 150.0  # seconds per site, all pages included
    page_timeout: float = PAGE_TIMEOUT_SECONDS
    proxy: str | None = None
    ignore_robots: bool = False
    browser_path: str | None = None
    screenshots_dir: str | None = None
    profile: str | None = None  # scoring profile name or TOML path
    concurrency: int = 4  # sites audited at once (isolated browser contexts)
    page_concurrency: int = 2  # pages of one site loaded at once
    max_actions_per_page: int = 30  # in-page clicks (menus, accordions, tabs) tried per page
    max_in_page_clicks: int = 3  # deepest chain of in-page clicks followed
    host_delay: float = 0.0  # seconds between page loads on one host (politeness)
    late_widget_seconds: float = LATE_WIDGET_SECONDS
    lang: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **kw: Any) -> "AuditSettings":
        return replace(self, **kw)


def resolve_settings(config: dict[str, Any], flags: dict[str, Any]) -> AuditSettings:
    """Merge defaults < config < environment < flags (None flags are 'not given')."""
    known = set(AuditSettings.__dataclass_fields__)
    merged: dict[str, Any] = {}
    for k, v in config.items():
        key = k.replace("-", "_")
        if key in known:
            merged[key] = v
    env_browser = os.environ.get("CONTACT_AUDITOR_BROWSER")
    if env_browser:
        merged["browser_path"] = env_browser
    for k, v in flags.items():
        if v is not None and k in known:
            merged[k] = v
    return AuditSettings(**merged)
