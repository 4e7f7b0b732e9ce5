"""Scoring profiles and the site score (auditor/scoring.py, auditor/profiles/*.toml)."""

from __future__ import annotations

import itertools
import json
from importlib import resources
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

from auditor.result import CHANNELS, ChannelResult, Finding
from auditor.scoring import (
    GRADES,
    ProfileError,
    ScoringProfile,
    load_profile,
    score_site,
)
from checks.findings_catalogue import load_catalogue


def channel(name: str, clicks: int | None) -> ChannelResult:
    if clicks is None:
        return ChannelResult.not_found(name)
    return ChannelResult(channel=name, found=True, clicks=clicks)


def site(**clicks: int | None) -> dict[str, ChannelResult]:
    return {name: channel(name, clicks.get(name)) for name in CHANNELS}


def findings(*ids: str) -> list[Finding]:
    return [Finding(id=i, severity="info", message=i) for i in ids]


@pytest.fixture(scope="module")
def consumer() -> ScoringProfile:
    return load_profile(None)


@pytest.fixture(scope="module")
def self_check() -> ScoringProfile:
    return load_profile("self-check")


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- loading shipped profiles ------------------------------------------------------------


def test_default_is_consumer(consumer: ScoringProfile) -> None:
    assert load_profile("consumer") == consumer
    assert consumer.name == "consumer"
    assert consumer.source == "auditor/profiles/consumer.toml"
    assert consumer.defaults_from is None


def test_consumer_profile_is_the_toml_file_verbatim(consumer: ScoringProfile) -> None:
    raw = tomllib.loads(
        resources.files("auditor").joinpath("profiles", "consumer.toml").read_text("utf-8")
    )
    d = consumer.to_dict()
    for section in ("channels", "clicks", "penalties", "grades", "human_time"):
        assert d[section] == {k: float(v) for k, v in raw[section].items()}, section
    assert d["name"] == raw["profile"]["name"]


def test_consumer_weighs_phone_most(consumer: ScoringProfile) -> None:
    assert max(consumer.channels, key=consumer.channels.__getitem__) == "phone"


def test_self_check_fills_gaps_from_consumer(
    consumer: ScoringProfile, self_check: ScoringProfile
) -> None:
    assert self_check.name == "self-check"
    assert self_check.source == "auditor/profiles/self-check.toml"
    assert self_check.defaults_from == "consumer"
    assert self_check.channels == consumer.channels  # deliberately inherited
    assert self_check.human_time == consumer.human_time
    assert self_check.clicks != consumer.clicks


@pytest.mark.parametrize("name", ["consumer", "self-check"])
def test_shipped_profiles_price_every_catalogue_finding(name: str) -> None:
    profile = load_profile(name)
    assert set(profile.penalties) == set(load_catalogue().ids())


def test_jsonld_contact_point_is_at_most_a_small_bonus(consumer: ScoringProfile) -> None:
    assert -5 <= consumer.penalty("jsonld_contact_point") <= 0
    others = [p for i, p in consumer.penalties.items() if i != "jsonld_contact_point"]
    assert all(p > 0 for p in others)


def test_to_dict_is_json_and_names_the_source(self_check: ScoringProfile) -> None:
    d = json.loads(json.dumps(self_check.to_dict()))
    assert d["source"] == "auditor/profiles/self-check.toml"
    assert d["clicks"] == {"0": 1.0, "1": 0.85, "2": 0.65, "3": 0.35, "4+": 0.1}
    assert list(d["grades"]) == list(GRADES)


def test_profile_is_read_only(consumer: ScoringProfile) -> None:
    with pytest.raises(TypeError):
        consumer.penalties["no_phone"] = 0  # type: ignore[index]


# --- user profiles -----------------------------------------------------------------------


def test_partial_user_profile_overrides_only_what_it_gives(
    tmp_path: Path, consumer: ScoringProfile
) -> None:
    path = write(tmp_path, '[profile]\nname = "ours"\n\n[penalties]\nconsent_wall = 0\n')
    profile = load_profile(str(path))
    assert profile.name == "ours"
    assert profile.source == str(path)
    assert profile.defaults_from == "consumer"
    assert profile.penalty("consent_wall") == 0
    assert profile.penalty("no_phone") == consumer.penalty("no_phone")
    assert profile.channels == consumer.channels
    assert profile.clicks == consumer.clicks
    assert profile.grades == consumer.grades
    assert profile.human_time == consumer.human_time


def test_user_profile_without_a_name_is_not_called_consumer(tmp_path: Path) -> None:
    path = write(tmp_path, "[channels]\nchat = 0\n", name="no-chat.toml")
    profile = load_profile(str(path))
    assert profile.name == "no-chat"
    assert profile.channels["chat"] == 0
    assert str(path) in profile.description


def test_user_weights_change_the_score(tmp_path: Path, consumer: ScoringProfile) -> None:
    path = write(tmp_path, "[channels]\nphone = 0\nchat = 0\nform = 0\nemail = 1\n")
    email_only = load_profile(str(path))
    only_email_site = site(email=0)
    assert score_site(only_email_site, [], email_only) == (100, "A")
    assert score_site(only_email_site, [], consumer)[0] == 25


def test_user_human_time_override(tmp_path: Path) -> None:
    path = write(tmp_path, "[human_time]\nhick_s_per_bit = 0.2\n")
    profile = load_profile(str(path))
    assert profile.human_time.hick_s_per_bit == 0.2
    assert profile.human_time.mental_s == 1.35


BAD_PROFILES = [
    ("not toml", "[channels\nphone = 1\n", "not valid TOML"),
    ("unknown section", "[weights]\nphone = 1\n", "[weights]"),
    ("section not a table", "channels = 3\n", "[channels]"),
    ("unknown channel", "[channels]\nfax = 10\n", "[channels] fax"),
    ("unknown finding id", "[penalties]\nno_phon = 5\n", "[penalties] no_phon"),
    ("weight as string", '[channels]\nphone = "40"\n', "[channels] phone"),
    ("weight as boolean", "[channels]\nphone = true\n", "[channels] phone"),
    ("negative weight", "[channels]\nphone = -1\n", "[channels] phone"),
    ("all weights zero", "[channels]\nphone = 0\nemail = 0\nchat = 0\nform = 0\n", "[channels]"),
    ("credit above 1", "[clicks]\n1 = 1.5\n", "[clicks] 1"),
    ("credit grows with clicks", "[clicks]\n3 = 0.8\n", "[clicks] 3"),
    ("unknown click key", "[clicks]\n5 = 0.1\n", "[clicks] 5"),
    ("infinite penalty", "[penalties]\nno_phone = inf\n", "[penalties] no_phone"),
    ("huge penalty", "[penalties]\nno_phone = 500\n", "[penalties] no_phone"),
    ("bands out of order", "[grades]\nB = 90\n", "[grades] B"),
    ("F above zero", "[grades]\nF = 10\n", "[grades] F"),
    ("grade above 100", "[grades]\nA = 120\n", "[grades] A"),
    ("unknown grade", "[grades]\nG = 0\n", "[grades] G"),
    ("negative seconds", "[human_time]\nmental_s = -1\n", "[human_time] mental_s"),
    ("unknown time constant", "[human_time]\nfitts_a = 0.1\n", "[human_time] fitts_a"),
    ("empty name", '[profile]\nname = ""\n', "[profile] name"),
]


@pytest.mark.parametrize(("case", "text", "key"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES])
def test_bad_profile_names_file_and_key(tmp_path: Path, case: str, text: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = info.value.message
    assert str(path) in message
    assert key in message
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


def test_missing_profile_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ProfileError, match="no such profile file") as info:
        load_profile(str(missing))
    assert str(missing) in info.value.message
    assert "self-check" in info.value.message  # says which names are shipped


def test_misspelt_shipped_name_is_a_missing_file() -> None:
    with pytest.raises(ProfileError, match="self_check"):
        load_profile("self_check")


def test_non_utf8_profile(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[profile]\nname = "åäö"\n'.encode("latin-1"))
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(str(path))


# --- the score ---------------------------------------------------------------------------


def test_open_site_beats_hidden_site(consumer: ScoringProfile) -> None:
    open_site = site(phone=0, email=0, chat=0, form=1)
    hidden_site = site(phone=4, form=3)
    open_score, open_grade = score_site(open_site, findings("jsonld_contact_point"), consumer)
    hidden_score, hidden_grade = score_site(
        hidden_site,
        findings(
            "no_email", "no_contact_link_on_start_page", "faq_before_contact", "shared_cost_phone"
        ),
        consumer,
    )
    assert open_score > hidden_score
    assert open_grade == "A"
    assert hidden_grade == "F"


def test_every_extra_click_lowers_the_score(consumer: ScoringProfile) -> None:
    scores = [score_site(site(phone=c, email=0, form=0), [], consumer)[0] for c in range(6)]
    assert scores[:5] == sorted(scores[:5], reverse=True)
    assert len(set(scores[:5])) == 5  # 0, 1, 2, 3, 4+ clicks all differ
    assert scores[4] == scores[5]  # "4+" covers 5
    assert score_site(site(email=0, form=0), [], consumer)[0] < scores[4]  # not found is worst


def test_hand_computed_score(consumer: ScoringProfile) -> None:
    # phone 1 click: 40 * 0.9 = 36; e-mail 1 click: 25 * 0.9 = 22.5; form 2 clicks:
    # 20 * 0.75 = 15; no chat: 0. Sum 73.5 of 100 -> rounds half up to 74, grade B (>= 70).
    typical = site(phone=1, email=1, form=2)
    assert score_site(typical, [], consumer) == (74, "B")
    # shared-cost number (5 points): 68.5 -> 69, grade C (>= 55).
    assert score_site(typical, findings("shared_cost_phone"), consumer) == (69, "C")


def test_finding_counts_once_per_id(consumer: ScoringProfile) -> None:
    typical = site(phone=1, email=1, form=2)
    once = score_site(typical, findings("inconsistent_help"), consumer)
    thrice = score_site(typical, findings(*["inconsistent_help"] * 3), consumer)
    assert once == thrice == (70, "B")


def test_unpriced_finding_costs_nothing(consumer: ScoringProfile) -> None:
    typical = site(phone=1, email=1, form=2)
    assert score_site(typical, findings("some_future_finding"), consumer) == (74, "B")


def test_not_found_or_missing_channels_earn_nothing(consumer: ScoringProfile) -> None:
    assert score_site({}, [], consumer) == (0, "F")
    contradictory = {"phone": ChannelResult(channel="phone", found=False, clicks=0)}
    assert score_site(contradictory, [], consumer) == (0, "F")
    only_phone = {"phone": channel("phone", 0)}
    assert score_site(only_phone, [], consumer) == (40, "D")


def test_score_is_clamped(consumer: ScoringProfile) -> None:
    everything_everywhere = site(phone=0, email=0, chat=0, form=0)
    assert score_site(everything_everywhere, findings("jsonld_contact_point"), consumer) == (
        100,
        "A",
    )
    all_bad = findings(*load_catalogue().ids())
    assert score_site(site(chat=4), all_bad, consumer) == (0, "F")


def test_grade_bands(consumer: ScoringProfile) -> None:
    bands = dict(consumer.grades)
    assert list(bands) == list(GRADES)
    assert bands["F"] == 0
    for letter, minimum in consumer.grades:
        assert consumer.grade_for(minimum) == letter
        if minimum > 0:
            assert consumer.grade_for(minimum - 1) == GRADES[GRADES.index(letter) + 1]
    assert consumer.grade_for(100) == "A"


def test_click_credit(consumer: ScoringProfile) -> None:
    assert consumer.click_credit(None) == 0.0
    assert consumer.click_credit(0) == 1.0
    assert consumer.click_credit(17) == consumer.clicks[-1]
    with pytest.raises(ValueError):
        consumer.click_credit(-1)


# --- self-check is stricter ----------------------------------------------------------------

FINDING_SETS = [
    (),
    ("jsonld_contact_point",),
    ("shared_cost_phone",),
    ("no_email", "no_contact_link_on_start_page"),
    ("contact_behind_login", "faq_before_contact", "inconsistent_help"),
]


def test_self_check_is_never_kinder_than_consumer(
    consumer: ScoringProfile, self_check: ScoringProfile
) -> None:
    click_options = (None, 0, 1, 2, 3, 4)
    for combo in itertools.product(click_options, repeat=len(CHANNELS)):
        channels = site(**dict(zip(CHANNELS, combo)))
        for ids in FINDING_SETS:
            c_score, c_grade = score_site(channels, findings(*ids), consumer)
            s_score, s_grade = score_site(channels, findings(*ids), self_check)
            assert s_score <= c_score, (combo, ids)
            assert GRADES.index(s_grade) >= GRADES.index(c_grade), (combo, ids)


def test_self_check_is_strictly_harsher_on_a_typical_site(
    consumer: ScoringProfile, self_check: ScoringProfile
) -> None:
    typical = site(phone=2, email=1, form=3)
    ids = findings("shared_cost_phone", "faq_before_contact")
    c_score, c_grade = score_site(typical, ids, consumer)
    s_score, s_grade = score_site(typical, ids, self_check)
    assert s_score < c_score
    assert GRADES.index(s_grade) > GRADES.index(c_grade)
