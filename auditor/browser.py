"""Finding and launching Chromium, and the two visitor device profiles.

Which browser (in this order): `--browser PATH` / `CONTACT_AUDITOR_BROWSER`, resolved once
into settings; Playwright's own Chromium when `playwright install chromium` has put it
there; a system Chromium or Chrome on PATH (Debian's `chromium` package installs
`/usr/bin/chromium`). Nothing is ever downloaded. When none is found the audit stops with
`BrowserNotFound`, whose message says how to install one.

Flags: `--no-sandbox` only when running as root (Chromium refuses to start otherwise);
background networking, component updates and sync are off, so that an audit makes no
request the visitor did not cause (and a closed network is not flooded with refused
connections).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.errors import BrowserNotFound

#: System browsers, first found wins. `chromium-headless-shell` first: it is the same
#: Chromium built for headless use only (what Playwright itself launches for headless runs),
#: and on the benchmark (`benchmarks/run.py`) it needed half the CPU and half the time of the
#: full `chromium` for the same results (16 sites: 18.5 against 34.0 CPU-seconds).
SYSTEM_BROWSERS = (
    "chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
)

CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
)

#: Honest user agent: the browser's own string stays recognisable, with the tool named.
TOOL_UA_SUFFIX = f"contact-auditor/{__version__} (+https://github.com/contact-auditor/contact-auditor)"


@dataclass(frozen=True)
class DeviceProfile:
    """Spec section 1: desktop (1366x768, mouse, hover) or mobile (390x844, touch, no hover)."""

    name: str
    width: int
    height: int
    is_mobile: bool
    has_touch: bool
    can_hover: bool
    user_agent_base: str
    device_scale_factor: float = 1.0

    def context_options(self) -> dict[str, Any]:
        return {
            "viewport": {"width": self.width, "height": self.height},
            "is_mobile": self.is_mobile,
            "has_touch": self.has_touch,
            "device_scale_factor": self.device_scale_factor,
            "user_agent": f"{self.user_agent_base} {TOOL_UA_SUFFIX}",
            "locale": "sv-SE",
        }


DEVICES = {
    "desktop": DeviceProfile(
        name="desktop",
        width=1366,
        height=768,
        is_mobile=False,
        has_touch=False,
        can_hover=True,
        user_agent_base=(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36"
        ),
    ),
    "mobile": DeviceProfile(
        name="mobile",
        width=390,
        height=844,
        is_mobile=True,
        has_touch=True,
        can_hover=False,
        device_scale_factor=2.0,
        user_agent_base=(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Mobile Safari/537.36"
        ),
    ),
}


def find_browser(explicit: str | None, playwright_default: str | None) -> str | None:
    """Path of the Chromium to launch, or None for Playwright's own (when installed)."""
    if explicit:
        if not Path(explicit).exists():
            raise BrowserNotFound(f"the browser given with --browser does not exist: {explicit}")
        return explicit
    if playwright_default and Path(playwright_default).exists():
        return None
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "no Chromium found: run `playwright install chromium`, or install one with your "
        "package manager (Debian/Ubuntu: `sudo apt-get install chromium`), or pass --browser PATH"
    )


def launch_options(executable: str | None, proxy: str | None) -> dict[str, Any]:
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    opts: dict[str, Any] = {"headless": True, "args": args}
    if executable:
        opts["executable_path"] = executable
    if proxy:
        # Chromium bypasses proxies for loopback unless told not to: a proxy given by the
        # user means every request goes through it.
        opts["proxy"] = {"server": proxy, "bypass": "<-loopback>"}
    return opts
