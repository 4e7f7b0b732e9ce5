"""The site's score (0-100) and grade (A-F) from its channels and findings (spec section 5).

Every number the score depends on lives in one declared place, a *scoring profile*
(``auditor/profiles/*.toml``), which is printed in every report and which a user may
replace with a file of their own:

- ``consumer`` (the default): how a consumer organisation weighs reachability.
- ``self-check``: stricter, for a company preparing for a regulator's review.

A profile other than ``consumer`` (shipped or the user's) may give only some sections or
keys; everything it leaves out is taken from ``consumer.toml``, key by key.

The score::

    reach   = 100 * sum(weight[c] * credit(clicks[c])) / sum(weight)   # over phone, email, chat, form
    penalty = sum(penalty[id] for each distinct finding id)            # negative = bonus
    score   = clamp(round_half_up(reach - penalty), 0, 100)

A channel not found (``clicks`` null) earns no credit; a finding the profile does not price
costs nothing (the shipped profiles price every id of ``checks/data/findings.json``, and a
test holds them to it). A finding id counts once however many pages it was seen on.

What this module does not do: it never scores a site whose audit failed. A site with
``status: error`` gets ``score: null`` (spec section 5: "never scored as if it had hidden
everything"); the caller decides that before calling `score_site`.

Errors: a profile that cannot be read or makes no sense raises `ProfileError` with a
one-line reason naming the file and the key; the CLI prints it and exits without auditing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: the same parser, published as tomli
    import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

from auditor.human_time import HumanTimeConstants
from auditor.result import CHANNELS, ChannelResult, Finding

__all__ = [
    "DEFAULT_PROFILE",
    "GRADES",
    "SHIPPED_PROFILES",
    "ProfileError",
    "ScoringProfile",
    "load_profile",
    "score_site",
]

#: The profile used when the user names none (spec section 5: "a scoring profile").
DEFAULT_PROFILE = "consumer"
#: Profiles shipped in ``auditor/profiles/`` (package data), by name -> file name.
SHIPPED_PROFILES: Mapping[str, str] = MappingProxyType(
    {"consumer": "consumer.toml", "self-check": "self-check.toml"}
)
#: Grade letters, best first (spec section 5: "grade A-F").
GRADES = ("A", "B", "C", "D", "E", "F")
#: ``[clicks]`` keys: credit by clicks to reach a channel; the last means "that many or more".
CLICK_KEYS = ("0", "1", "2", "3", "4+")
#: Sections a profile file may contain.
SECTIONS = ("profile", "channels", "clicks", "penalties", "grades", "human_time")
#: Bound on a single penalty or bonus: a larger value would decide the score on its own.
MAX_ABS_PENALTY = 100.0  # = the whole score range


class ProfileError(ValueError):
    """A scoring profile cannot be read or is invalid. ``message`` is one line naming the
    file and, where there is one, the ``[section] key`` at fault."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ScoringProfile:
    """A resolved scoring profile: every value present, checked, read-only.

    Mappings are read-only views, so the profile cannot drift after it has been printed
    in a report (and, being unhashable, is not meant to be a dict key).
    """

    name: str
    description: str
    channels: Mapping[str, float]  # channel -> relative weight (normalised in score_site)
    clicks: tuple[float, ...]  # credit by clicks, index = clicks; the last is "4 or more"
    penalties: Mapping[str, float]  # finding id -> points subtracted (negative = bonus)
    grades: tuple[tuple[str, float], ...]  # (letter, minimum score), best first
    human_time: HumanTimeConstants
    source: str  # the file it was read from (shipped: "auditor/profiles/<name>.toml")
    defaults_from: str | None = field(default=None)  # "consumer" when gaps were filled from it

    def click_credit(self, clicks: int | None) -> float:
        """Fraction of a channel's weight earned at ``clicks`` clicks; 0 when not found."""
        if clicks is None:
            return 0.0
        if clicks < 0:
            raise ValueError(f"clicks must be >= 0, got {clicks}")
        return self.clicks[min(clicks, len(self.clicks) - 1)]

    def penalty(self, finding_id: str) -> float:
        """Points a finding costs (0 for an id this profile does not price)."""
        return self.penalties.get(finding_id, 0.0)

    def grade_for(self, score: float) -> str:
        """The letter of the best band whose minimum the score reaches."""
        for letter, minimum in self.grades:
            if score >= minimum:
                return letter
        return self.grades[-1][0]  # unreachable for 0..100: the last band starts at 0

    def to_dict(self) -> dict[str, Any]:
        """The profile as printed in reports (the result document's ``profile``)."""
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "defaults_from": self.defaults_from,
            "channels": dict(self.channels),
            "clicks": dict(zip(CLICK_KEYS, self.clicks)),
            "penalties": dict(self.penalties),
            "grades": dict(self.grades),
            "human_time": self.human_time.to_dict(),
        }


def load_profile(name_or_path: str | None = None) -> ScoringProfile:
    """The scoring profile named (``None``/"consumer", "self-check") or read from a path.

    Any value other than a shipped name is a path to a user's TOML file. What that file
    leaves out comes from ``consumer``. Raises `ProfileError` for a missing, unreadable,
    malformed or invalid file.
    """
    if name_or_path is None or name_or_path in SHIPPED_PROFILES:
        return _shipped_profile(name_or_path or DEFAULT_PROFILE)
    path = Path(name_or_path)
    label = str(name_or_path)
    user_table = _validate_table(_read_toml(path, label), label)
    return _build(user_table, label, source=label)


def score_site(
    channels: Mapping[str, ChannelResult],
    findings: Sequence[Finding],
    profile: ScoringProfile,
) -> tuple[int, str]:
    """(score 0-100, grade letter) for one audited site under ``profile``.

    ``channels`` maps channel name to its result; a channel missing from the mapping, or
    not found, earns nothing. Only the channels the profile weighs count.
    """
    total_weight = math.fsum(profile.channels.values())
    earned = math.fsum(
        weight * profile.click_credit(_clicks_if_found(channels.get(channel)))
        for channel, weight in profile.channels.items()
    )
    reach = 100.0 * earned / total_weight
    penalty = math.fsum(profile.penalty(finding_id) for finding_id in {f.id for f in findings})
    score = min(100, max(0, _round_half_up(reach - penalty)))
    return score, profile.grade_for(score)


# --- scoring helpers -------------------------------------------------------------------


def _clicks_if_found(result: ChannelResult | None) -> int | None:
    if result is None or not result.found:
        return None
    return result.clicks  # a found channel without clicks is inconsistent: earns nothing


def _round_half_up(value: float) -> int:
    # round() rounds halves to even (72.5 -> 72); a score reads better rounding halves up.
    # Rounding to 9 places first absorbs float noise such as 0.9 * 40 = 36.00000000000001.
    return math.floor(round(value, 9) + 0.5)


# --- loading ---------------------------------------------------------------------------


@cache
def _shipped_profile(name: str) -> ScoringProfile:
    label = f"auditor/profiles/{SHIPPED_PROFILES[name]}"
    table = _validate_table(_shipped_table(name), label)
    if name == DEFAULT_PROFILE:
        return _from_complete_table(table, label, source=label, defaults_from=None)
    return _build(table, label, source=label)


@cache
def _shipped_table(name: str) -> Mapping[str, Any]:
    file = resources.files("auditor").joinpath("profiles", SHIPPED_PROFILES[name])
    label = f"auditor/profiles/{SHIPPED_PROFILES[name]}"
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:  # a broken installation, not a user error
        raise ProfileError(f"{label}: cannot read shipped profile: {exc.strerror or exc}") from exc
    return _parse_toml(text, label)


def _read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        shipped = ", ".join(SHIPPED_PROFILES)
        raise ProfileError(
            f"{label}: no such profile file (shipped profiles are: {shipped})"
        ) from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ProfileError(f"{label}: cannot read profile file: {exc.strerror or exc}") from None
    return _parse_toml(text, label)


def _parse_toml(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ProfileError(f"{label}: not valid TOML: {reason}") from None


def _build(table: Mapping[str, Any], label: str, *, source: str) -> ScoringProfile:
    """A profile from a partial table, the gaps filled from ``consumer`` key by key."""
    base = _validate_table(_shipped_table(DEFAULT_PROFILE), "auditor/profiles/consumer.toml")
    merged: dict[str, dict[str, Any]] = {
        section: {**base.get(section, {}), **table.get(section, {})} for section in SECTIONS
    }
    # A file that does not name itself must not pass for "consumer" in reports.
    profile_section = table.get("profile", {})
    if "name" not in profile_section:
        merged["profile"]["name"] = Path(source).stem or source
    if "description" not in profile_section:
        merged["profile"]["description"] = (
            f"Profile from {source}; values it leaves out are consumer's."
        )
    return _from_complete_table(merged, label, source=source, defaults_from=DEFAULT_PROFILE)


def _validate_table(table: Mapping[str, Any], label: str) -> dict[str, dict[str, Any]]:
    """Check sections, keys and value types of one file; return it as plain dicts.

    Whole-profile rules (every key present, credits falling, bands ordered) are checked
    after merging, in `_from_complete_table`.
    """
    known_ids = _known_finding_ids()
    allowed: dict[str, tuple[str, ...]] = {
        "profile": ("name", "description"),
        "channels": CHANNELS,
        "clicks": CLICK_KEYS,
        "penalties": known_ids,
        "grades": GRADES,
        "human_time": tuple(f.name for f in fields(HumanTimeConstants)),
    }
    out: dict[str, dict[str, Any]] = {}
    for section, body in table.items():
        if section not in allowed:
            raise ProfileError(
                f"{label}: unknown section [{section}] (sections are: {', '.join(SECTIONS)})"
            )
        if not isinstance(body, dict):
            raise ProfileError(f"{label}: [{section}] must be a table, got {_kind(body)}")
        for key, value in body.items():
            where = f"{label}: [{section}] {key}"
            if key not in allowed[section]:
                hint = (
                    "a finding id from checks/data/findings.json"
                    if section == "penalties"
                    else ("one of " + ", ".join(allowed[section]))
                )
                raise ProfileError(f"{where}: unknown key (expected {hint})")
            if section == "profile":
                if not isinstance(value, str) or (key == "name" and not value.strip()):
                    raise ProfileError(f"{where}: must be a non-empty string, got {value!r}")
                continue
            number = _number(value, where)
            if section == "channels" and number < 0:
                raise ProfileError(f"{where}: a weight must be >= 0, got {value!r}")
            if section == "clicks" and not 0 <= number <= 1:
                raise ProfileError(f"{where}: a credit is a fraction 0..1, got {value!r}")
            if section == "penalties" and abs(number) > MAX_ABS_PENALTY:
                raise ProfileError(f"{where}: a penalty must be within -100..100, got {value!r}")
            if section == "grades" and not 0 <= number <= 100:
                raise ProfileError(f"{where}: a minimum score must be 0..100, got {value!r}")
            if section == "human_time" and number < 0:
                raise ProfileError(f"{where}: seconds must be >= 0, got {value!r}")
        out[section] = dict(body)
    return out


def _from_complete_table(
    table: Mapping[str, Mapping[str, Any]], label: str, *, source: str, defaults_from: str | None
) -> ScoringProfile:
    def require(section: str, keys: Sequence[str]) -> Mapping[str, Any]:
        body = table.get(section, {})
        for key in keys:
            if key not in body:
                raise ProfileError(f"{label}: [{section}] {key}: missing")
        return body

    meta = require("profile", ("name", "description"))
    weights = require("channels", CHANNELS)
    if math.fsum(float(weights[c]) for c in CHANNELS) <= 0:
        raise ProfileError(f"{label}: [channels]: at least one weight must be above 0")
    credit_table = require("clicks", CLICK_KEYS)
    credits = tuple(float(credit_table[k]) for k in CLICK_KEYS)
    for previous, key, credit in zip(CLICK_KEYS, CLICK_KEYS[1:], credits[1:]):
        if credit > float(credit_table[previous]):
            raise ProfileError(
                f"{label}: [clicks] {key}: credit {credit:g} is above the credit for "
                f"{previous} clicks ({float(credit_table[previous]):g}); more clicks must not earn more"
            )
    penalties = require("penalties", _known_finding_ids())
    band_table = require("grades", GRADES)
    bands = tuple((letter, float(band_table[letter])) for letter in GRADES)
    for (better, better_min), (letter, minimum) in itertools.pairwise(bands):
        if minimum >= better_min:
            raise ProfileError(
                f"{label}: [grades] {letter}: minimum {minimum:g} must be below {better}'s ({better_min:g})"
            )
    if bands[-1][1] != 0:
        raise ProfileError(f"{label}: [grades] {GRADES[-1]}: must be 0 so every score has a grade")
    time_table = require("human_time", tuple(f.name for f in fields(HumanTimeConstants)))
    human_time = HumanTimeConstants(**{k: float(v) for k, v in time_table.items()})
    return ScoringProfile(
        name=str(meta["name"]),
        description=str(meta["description"]),
        channels=MappingProxyType({c: float(weights[c]) for c in CHANNELS}),
        clicks=credits,
        penalties=MappingProxyType({k: float(v) for k, v in penalties.items()}),
        grades=bands,
        human_time=human_time,
        source=source,
        defaults_from=defaults_from,
    )


def _known_finding_ids() -> tuple[str, ...]:
    # The findings catalogue is the one list of finding ids (auditor/result.py: "stable
    # snake_case id from checks/data/findings.json"). Imported late: checks depends on
    # auditor, not the other way round at import time.
    from checks.findings_catalogue import load_catalogue

    return load_catalogue().ids()


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"{where}: must be a number, got {_kind(value)} {value!r}")
    if not math.isfinite(value):
        raise ProfileError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def _kind(value: object) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
