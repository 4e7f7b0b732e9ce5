"""How long a person would need along a found path: the `human_seconds` of spec section 4.

The browser's own wall-clock time (`seconds`) says how fast the *site* is. It says little
about how long a *person* needs, who must read, choose, point and click. This module gives
a documented, configurable estimate in the style of the Keystroke-Level Model (KLM):

    for each click step:   M + visual_search(n) + scroll(y) + P + click
    for the final step:    M + visual_search(n) + scroll(y) + locate_read
    plus:                  the page waits the browser measured along the path

where

- **M** (mental preparation, 1.35 s), **P** (pointing with a mouse, 1.1 s) and **B**
  (pressing or releasing a button, 0.1 s; a click is press + release = 2 B) are the KLM
  operators of Card, Moran & Newell, *The Psychology of Human-Computer Interaction*
  (Erlbaum, 1983), and earlier Card, Moran & Newell, "The Keystroke-Level Model for User
  Performance Time with Interactive Systems", *Communications of the ACM* 23(7), 1980.
  KLM places an M before each pointing action that selects a command, which is what
  choosing a link is.
- **visual_search(n)** = ``hick_s_per_bit * log2(n + 1)``: the Hick–Hyman law (W. E. Hick,
  "On the rate of gain of information", *Quarterly Journal of Experimental Psychology* 4,
  1952; R. Hyman, "Stimulus information as a determinant of reaction time", *Journal of
  Experimental Psychology* 45, 1953), where ``n`` is how many candidate links or buttons
  the person scans on that page; the ``+ 1`` is Hick's allowance for the uncertainty of
  whether to respond at all. Choosing among unfamiliar, unordered links tends to grow
  faster than logarithmically, so this term is a lower bound: a page with many links
  costs more than a page with few, but never implausibly much.
- **scroll(y)** = ``scroll_s_per_viewport * max(0, y - viewport) / viewport``: the cost of
  bringing a target that lies below the fold into view, per viewport height (fractional,
  so a target just below the fold costs a little and a footer link on a long page costs
  several gestures). KLM has no scrolling operator; the constant is a documented estimate.
- **locate_read**: reading the found detail itself (a phone number, an address), a
  documented estimate.

No step is free of M: even on the start page, a person must decide where to look. The
consent dialog is not a step (spec section 1: it is answered before anything else and
not counted); its page wait is part of the measured waits only if the caller adds it.

The constants are not defined here: they live in the scoring profile's ``[human_time]``
section (``auditor/profiles/*.toml``), where each carries its source, and reach this
module as a `HumanTimeConstants` (``profile.human_time``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

__all__ = [
    "HumanStep",
    "HumanTimeConstants",
    "estimate_seconds",
    "scroll_seconds",
    "step_seconds",
    "visual_search_seconds",
]


@dataclass(frozen=True)
class HumanTimeConstants:
    """The named constants of the estimate, in seconds. Values and sources: the profile TOML.

    There are deliberately no defaults here, so the profile stays the one place a number
    is declared (STYLE: "weights live in one config").
    """

    mental_s: float  # KLM M, mental preparation (Card, Moran & Newell 1983: 1.35 s)
    pointing_s: float  # KLM P, point with a mouse (Card, Moran & Newell 1983: 1.1 s)
    button_press_s: float  # KLM B, press *or* release (1983: 0.1 s); a click is 2 B
    hick_s_per_bit: float  # Hick–Hyman slope, seconds per bit of choice uncertainty
    scroll_s_per_viewport: float  # seconds per viewport height the target lies below the fold
    locate_read_s: float  # reading the found detail on the final page

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")

    @property
    def click_s(self) -> float:
        """One click: a button press plus its release (KLM: 2 B)."""
        return 2 * self.button_press_s

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class HumanStep:
    """One page of the path as the person meets it.

    A click step ends in activating the target (a link, a menu toggle, a "Show number"
    button). The final step of a path (``is_click=False``) is finding the detail itself on
    the page where the channel was found: searched for and scrolled to, but not clicked.
    """

    n_candidates: int  # candidate links/buttons the person scans on that page
    target_y: float  # document y of the target (or the found detail), CSS px
    viewport_height: float  # CSS px, from the device profile (desktop 768, mobile 844)
    is_click: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.n_candidates, bool) or not isinstance(self.n_candidates, int):
            raise TypeError(f"n_candidates must be an int, got {self.n_candidates!r}")
        if self.n_candidates < 0:
            raise ValueError(f"n_candidates must be >= 0, got {self.n_candidates}")
        if not math.isfinite(self.target_y):
            raise ValueError(f"target_y must be finite, got {self.target_y!r}")
        if not math.isfinite(self.viewport_height) or self.viewport_height <= 0:
            raise ValueError(f"viewport_height must be > 0, got {self.viewport_height!r}")


def visual_search_seconds(n_candidates: int, constants: HumanTimeConstants) -> float:
    """Hick–Hyman choice time over ``n_candidates`` alternatives: b * log2(n + 1)."""
    return constants.hick_s_per_bit * math.log2(n_candidates + 1)


def scroll_seconds(target_y: float, viewport_height: float, constants: HumanTimeConstants) -> float:
    """Scrolling cost for a target ``target_y`` px down a page seen through ``viewport_height``.

    Zero while the target is in the first viewport (above the fold); then proportional to
    the viewport heights it lies below the fold. A target above the page top (negative y,
    e.g. a fixed header read after scrolling) costs nothing.
    """
    below_fold = max(0.0, target_y - viewport_height)
    return constants.scroll_s_per_viewport * below_fold / viewport_height


def step_seconds(step: HumanStep, constants: HumanTimeConstants) -> float:
    """Unrounded seconds for one step: M + search + scroll, then P + click or the final read."""
    seconds = (
        constants.mental_s
        + visual_search_seconds(step.n_candidates, constants)
        + scroll_seconds(step.target_y, step.viewport_height, constants)
    )
    if step.is_click:
        seconds += constants.pointing_s + constants.click_s
    else:
        seconds += constants.locate_read_s
    return seconds


def estimate_seconds(
    steps: Sequence[HumanStep], page_wait_seconds: float, constants: HumanTimeConstants
) -> float:
    """A person's estimated seconds along a path, rounded to 0.1 s (spec `human_seconds`).

    ``steps`` are the click steps in path order followed by the final locate step
    (``is_click=False``); a channel found on the start page is a single locate step.
    ``page_wait_seconds`` is the sum of the page waits the browser measured along that
    path (navigations to the load event plus settle time), added as measured.
    """
    if not math.isfinite(page_wait_seconds) or page_wait_seconds < 0:
        raise ValueError(
            f"page_wait_seconds must be a finite number >= 0, got {page_wait_seconds!r}"
        )
    total = math.fsum(step_seconds(step, constants) for step in steps) + page_wait_seconds
    return round(total, 1)
