"""Detectors: pure functions from a `PageState` to what a visitor perceives in it.

Each channel detector module exposes ``detect(state, ctx) -> list[ChannelHit]`` and is
listed in `CHANNEL_DETECTORS`. None of them touch the browser: the engine gathers states,
the detectors read them, so a saved snapshot replays any detector bug.
"""

from checks.base import ChannelHit, DetectContext, Detector

__all__ = ["ChannelHit", "DetectContext", "Detector", "channel_detectors"]


def channel_detectors() -> dict[str, Detector]:
    """The detector for each contact channel, in the order reports list them."""
    from checks import chat, email, form, phone

    return {"phone": phone.detect, "email": email.detect, "chat": chat.detect, "form": form.detect}
