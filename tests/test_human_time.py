"""The KLM-style human time estimate (auditor/human_time.py)."""

from __future__ import annotations

import math

import pytest

from auditor.human_time import (
    HumanStep,
    HumanTimeConstants,
    estimate_seconds,
    scroll_seconds,
    step_seconds,
    visual_search_seconds,
)
from auditor.scoring import load_profile

DESKTOP_VIEWPORT = 768.0  # spec section 1: desktop is 1366x768


@pytest.fixture(scope="module")
def klm() -> HumanTimeConstants:
    return load_profile(None).human_time


def test_shipped_constants_are_card_moran_newell(klm: HumanTimeConstants) -> None:
    assert klm.mental_s == 1.35
    assert klm.pointing_s == 1.1
    assert klm.button_press_s == 0.1
    assert klm.click_s == pytest.approx(0.2)  # press + release


def test_more_candidates_cost_more(klm: HumanTimeConstants) -> None:
    costs = [
        step_seconds(HumanStep(n, target_y=100, viewport_height=DESKTOP_VIEWPORT), klm)
        for n in (0, 1, 5, 20, 80, 300)
    ]
    assert costs == sorted(costs)
    assert len(set(costs)) == len(costs)


def test_visual_search_is_hick_hyman(klm: HumanTimeConstants) -> None:
    assert visual_search_seconds(0, klm) == 0.0
    assert visual_search_seconds(7, klm) == pytest.approx(0.15 * 3)  # log2(8) = 3 bits
    # Doubling the (n + 1) alternatives adds one bit, not twice the time.
    assert visual_search_seconds(15, klm) - visual_search_seconds(7, klm) == pytest.approx(0.15)


def test_deeper_targets_cost_more(klm: HumanTimeConstants) -> None:
    depths = [0, 500, 800, 1500, 3000, 9000]
    costs = [
        step_seconds(HumanStep(10, target_y=y, viewport_height=DESKTOP_VIEWPORT), klm)
        for y in depths
    ]
    assert costs == sorted(costs)
    assert costs[0] == costs[1]  # both above the fold: no scrolling
    assert costs[2] > costs[1]
    assert len(set(costs[1:])) == len(costs) - 1


def test_scroll_is_per_viewport_below_the_fold(klm: HumanTimeConstants) -> None:
    assert scroll_seconds(700, 768, klm) == 0.0
    assert scroll_seconds(-50, 768, klm) == 0.0
    assert scroll_seconds(768 * 3, 768, klm) == pytest.approx(2 * klm.scroll_s_per_viewport)
    # The same document position is further down for a shorter viewport (mobile vs desktop).
    assert scroll_seconds(2000, 600, klm) > scroll_seconds(2000, 844, klm)


def test_hand_computed_path(klm: HumanTimeConstants) -> None:
    steps = [
        # M 1.35 + search 0.15*log2(8)=0.45 + scroll 0 + P 1.1 + click 0.2 = 3.10
        HumanStep(7, target_y=300, viewport_height=DESKTOP_VIEWPORT),
        # M 1.35 + search 0.15*log2(16)=0.60 + scroll (2304-768)/768 = 2 viewports = 2.00
        # + P 1.1 + click 0.2 = 5.25
        HumanStep(15, target_y=2304, viewport_height=DESKTOP_VIEWPORT),
        # locate: M 1.35 + search 0.15*log2(4)=0.30 + scroll 0 + read 0.75 = 2.40
        HumanStep(3, target_y=100, viewport_height=DESKTOP_VIEWPORT, is_click=False),
    ]
    assert step_seconds(steps[0], klm) == pytest.approx(3.10)
    assert step_seconds(steps[1], klm) == pytest.approx(5.25)
    assert step_seconds(steps[2], klm) == pytest.approx(2.40)
    # 3.10 + 5.25 + 2.40 = 10.75, plus 1.42 s measured waits = 12.17 -> 12.2
    assert estimate_seconds(steps, page_wait_seconds=1.42, constants=klm) == 12.2


def test_hand_computed_with_custom_constants() -> None:
    constants = HumanTimeConstants(
        mental_s=1.0,
        pointing_s=1.0,
        button_press_s=0.5,
        hick_s_per_bit=1.0,
        scroll_s_per_viewport=2.0,
        locate_read_s=3.0,
    )
    click = HumanStep(1, target_y=1500, viewport_height=1000)  # 1 + 1 + 2*0.5 + 1 + 1 = 5
    locate = HumanStep(0, target_y=0, viewport_height=1000, is_click=False)  # 1 + 0 + 0 + 3
    assert estimate_seconds([click, locate], 0.0, constants) == 9.0
    assert estimate_seconds([click, locate], 0.04, constants) == 9.0  # rounded to 0.1 s
    assert estimate_seconds([click, locate], 0.06, constants) == 9.1


def test_start_page_channel_is_one_locate_step(klm: HumanTimeConstants) -> None:
    footer = HumanStep(40, target_y=3000, viewport_height=DESKTOP_VIEWPORT, is_click=False)
    expected = 1.35 + 0.15 * math.log2(41) + (3000 - 768) / 768 * 1.0 + 0.75
    assert estimate_seconds([footer], 0.0, klm) == round(expected, 1)


def test_page_waits_are_added_as_measured(klm: HumanTimeConstants) -> None:
    steps = [HumanStep(10, 200, DESKTOP_VIEWPORT), HumanStep(5, 200, DESKTOP_VIEWPORT, False)]
    assert estimate_seconds(steps, 3.0, klm) == pytest.approx(
        estimate_seconds(steps, 0.0, klm) + 3.0, abs=0.1
    )
    assert estimate_seconds([], 2.34, klm) == 2.3


def test_each_click_adds_time(klm: HumanTimeConstants) -> None:
    locate = HumanStep(5, 200, DESKTOP_VIEWPORT, is_click=False)
    click = HumanStep(5, 200, DESKTOP_VIEWPORT)
    times = [estimate_seconds([click] * k + [locate], 0.0, klm) for k in range(4)]
    assert times == sorted(times) and len(set(times)) == 4


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_candidates": -1, "target_y": 0, "viewport_height": 768},
        {"n_candidates": 3, "target_y": 0, "viewport_height": 0},
        {"n_candidates": 3, "target_y": float("nan"), "viewport_height": 768},
    ],
)
def test_invalid_steps_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        HumanStep(**kwargs)  # type: ignore[arg-type]


def test_invalid_inputs_are_rejected(klm: HumanTimeConstants) -> None:
    with pytest.raises(ValueError):
        estimate_seconds([], -1.0, klm)
    with pytest.raises(TypeError):
        HumanStep(2.5, 0, 768)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HumanTimeConstants(-1, 1, 1, 1, 1, 1)
