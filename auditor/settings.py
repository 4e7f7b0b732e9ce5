"""Audit settings, resolved once and passed down explicitly.

Order of precedence: defaults < config file (`[tool.contact-auditor]` in pyproject.toml, or
contact-auditor.toml; read by `auditor/config.py`) < environment (`CONTACT_AUDITOR_BROWSER`,
`CONTACT_AUDITOR_DB`; `XDG_DATA_HOME`/`HOME` for the default store) < command-line flags.
Only `resolve_settings` reads the environment; every other module gets this frozen object.

Besides the knobs of the audit itself the object carries the CI gate (`fail_under`,
`fail_on`, `baseline`: `auditor/gates.py`) and where finished sites are stored (`db`). A
resumed batch keeps the settings that change what an audit finds (`RESULT_KEYS`), whatever
the command line says now, so every site of a batch is audited the same way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: Timing constants of the visitor. Sources: measured on the public corpus and the
#: fixture sites; each is the smallest value that caught what a patient person would see.
PAGE_TIMEOUT_SECONDS = 20.0  # one navigation, to the load event
SETTLE_CAP_SECONDS = 1.2  # after load: wait at most this long for requests/short timers
SETTLE_HORIZON_SECONDS = 0.7  # ...and only for timers due within this horizon (consent banners, SPA renders)
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
    snapshot_dir: str | None = None  # --save-snapshot: keep what was gathered, to judge again
    profile: str | None = None  # scoring profile name or TOML path
    concurrency: int = 4  # sites audited at once (isolated browser contexts)
    page_concurrency: int = 2  # pages of one site loaded at once
    max_actions_per_page: int = 30  # in-page clicks (menus, accordions, tabs) tried per page
    max_in_page_clicks: int = 3  # deepest chain of in-page clicks followed
    #: How far the search looks (auditor/search.py): "focused" stops opening pages whose
    #: link promises nothing about contact, help or the company once the contact page has
    #: been seen, as a mystery shopper does; "exhaustive" opens every page within the limits.
    search: str = "focused"
    #: Politeness: at least this many seconds between page loads on one host (with at most
    #: `page_concurrency` loads at once), a pace well under what a person clicking achieves.
    host_delay: float = 0.2
    late_widget_seconds: float = LATE_WIDGET_SECONDS
    lang: str = "en"
    # The CI gate (auditor/gates.py); the audit itself never reads these.
    fail_under: int | None = None  # a site scoring below this fails
    fail_on: tuple[str, ...] = ()  # finding ids that fail the run wherever they appear
    baseline: str | None = None  # a result document: a channel lost or deeper fails
    # The result store (auditor/store): a SQLite file or a postgresql:// URL; None = none.
    db: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **kw: Any) -> "AuditSettings":
        return replace(self, **kw)


#: Settings that change what an audit finds. They are saved with a batch and a resumed
#: batch is audited with them again; the others (how many at once, which browser binary,
#: report language, gates, screenshots) may differ between the runs of one batch.
RESULT_KEYS = (
    "device",
    "region",
    "max_depth",
    "max_pages",
    "site_timeout",
    "page_timeout",
    "ignore_robots",
    "profile",
    "page_concurrency",
    "max_actions_per_page",
    "max_in_page_clicks",
    "late_widget_seconds",
    "search",
)

#: Most sites audited at once by default. Each site is one browser context loading up to
#: `page_concurrency` pages; on the 2-core machines this was measured on, more than two
#: sites per core made page timings (and so `seconds`) noisy without finishing sooner.
MAX_DEFAULT_CONCURRENCY = 4

#: The store file under the user's data directory (XDG Base Directory specification).
STORE_DIR_NAME = "contact-auditor"
STORE_FILE_NAME = "results.sqlite3"


#: Fields whose command-line flag (and config key) has another name.
FLAG_FOR_FIELD = {"site_timeout": "timeout", "browser_path": "browser", "screenshots_dir": "screenshots"}


def flag_name(field_name: str) -> str:
    """The long flag (without --) that sets a field: `site_timeout` -> `timeout`."""
    return FLAG_FOR_FIELD.get(field_name, field_name).replace("_", "-")


def default_concurrency(cpus: int | None) -> int:
    return max(1, min(MAX_DEFAULT_CONCURRENCY, 2 * (cpus or 1)))


def default_store_path(environ: Mapping[str, str]) -> str:
    """`$XDG_DATA_HOME/contact-auditor/results.sqlite3`, else under ~/.local/share."""
    base = environ.get("XDG_DATA_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is invalid, ignore it
        home = environ.get("HOME") or str(Path.home())
        base = os.path.join(home, ".local", "share")
    return os.path.join(base, STORE_DIR_NAME, STORE_FILE_NAME)


def _cpu_count() -> int | None:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except (AttributeError, OSError):
        return os.cpu_count()


def resolve_settings(config: dict[str, Any], flags: dict[str, Any]) -> AuditSettings:
    """Merge defaults < config < environment < flags (None flags are 'not given').

    `config` and `flags` use the field names of `AuditSettings` (`auditor/config.py` turns
    a file's `max-pages` into `max_pages`); a true `no_db` in either means no store.
    """
    known = {f.name for f in fields(AuditSettings)}
    merged: dict[str, Any] = {
        "concurrency": default_concurrency(_cpu_count()),
        "db": default_store_path(os.environ),
    }
    no_db = False
    for k, v in config.items():
        key = k.replace("-", "_")
        if key == "no_db":
            no_db = bool(v)
        elif key in known:
            merged[key] = v
    env_browser = os.environ.get("CONTACT_AUDITOR_BROWSER")
    if env_browser:
        merged["browser_path"] = env_browser
    env_db = os.environ.get("CONTACT_AUDITOR_DB")
    if env_db:
        merged["db"] = env_db
    for k, v in flags.items():
        if k == "no_db" and v:
            no_db = True
        elif v is not None and k in known:
            merged[k] = v
    if no_db:
        merged["db"] = None
    if "fail_on" in merged:
        merged["fail_on"] = tuple(merged["fail_on"])
    return AuditSettings(**merged)


def batch_settings_json(settings: AuditSettings) -> str:
    """The settings saved with a batch: those that change what an audit finds."""
    return json.dumps({k: getattr(settings, k) for k in RESULT_KEYS}, sort_keys=True)


def restore_batch_settings(settings: AuditSettings, saved_json: str) -> tuple[AuditSettings, list[str]]:
    """`settings` with a batch's saved `RESULT_KEYS` put back, and one note per value that
    the current command would have changed (it is not: a batch is audited one way)."""
    try:
        saved = json.loads(saved_json or "{}")
    except json.JSONDecodeError:
        saved = {}
    if not isinstance(saved, dict):
        saved = {}
    keep = {k: saved[k] for k in RESULT_KEYS if k in saved}
    notes = [
        f"{flag_name(k)} stays {keep[k]!r} for this batch (not {getattr(settings, k)!r})"
        for k in keep
        if getattr(settings, k) != keep[k]
    ]
    return replace(settings, **keep), notes
