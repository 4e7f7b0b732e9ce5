"""The config file (auditor/config.py) and the order settings are resolved in
(auditor/settings.py): defaults < config file < environment < flags. No browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.cli import main
from auditor.config import find_config, load_config
from auditor.errors import UsageError
from auditor.settings import (
    AuditSettings,
    batch_settings_json,
    default_concurrency,
    default_store_path,
    resolve_settings,
    restore_batch_settings,
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_is_no_config(tmp_path):
    assert find_config(tmp_path) is None
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\nline-length = 100\n")
    assert find_config(tmp_path) is None  # a pyproject.toml without our table is not ours


def test_contact_auditor_toml_wins_over_pyproject(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.contact-auditor]\nmax-pages = 10\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path, "contact-auditor.toml", "max-pages = 20\n")
    assert find_config(tmp_path) == tmp_path / "contact-auditor.toml"
    assert load_config(tmp_path / "pyproject.toml") == {"max_pages": 10}
    assert load_config(tmp_path / "contact-auditor.toml") == {"max_pages": 20}


def test_keys_are_the_long_flag_names_with_dashes_or_underscores(tmp_path):
    path = write(tmp_path, "contact-auditor.toml", """
        device = "mobile"
        max_pages = 12
        max-depth = 3
        timeout = 90
        host-delay = 0.5
        concurrency = 2
        region = "fi"
        ignore-robots = true
        fail-under = 70
        fail_on = ["premium_rate_phone", "no_phone"]
        lang = "sv"
    """.replace("\n        ", "\n"))
    assert load_config(path) == {
        "device": "mobile", "max_pages": 12, "max_depth": 3, "site_timeout": 90.0, "host_delay": 0.5,
        "concurrency": 2, "region": "FI", "ignore_robots": True, "fail_under": 70,
        "fail_on": ("premium_rate_phone", "no_phone"), "lang": "sv",
    }


def test_fail_on_may_be_one_text_with_commas(tmp_path):
    path = write(tmp_path, "contact-auditor.toml", 'fail-on = "no_phone, premium_rate_phone"\n')
    assert load_config(path)["fail_on"] == ("no_phone", "premium_rate_phone")


def test_paths_are_relative_to_the_config_file(tmp_path):
    path = write(tmp_path, "contact-auditor.toml",
                 'profile = "profiles/strict.toml"\nbaseline = "prod.json"\ndb = "audits.sqlite3"\n')
    got = load_config(path)
    assert got["profile"] == str(tmp_path / "profiles" / "strict.toml")
    assert got["baseline"] == str(tmp_path / "prod.json")
    assert got["db"] == str(tmp_path / "audits.sqlite3")
    shipped = write(tmp_path, "contact-auditor.toml", 'profile = "self-check"\n')
    assert load_config(shipped)["profile"] == "self-check"  # a shipped profile name stays a name


@pytest.mark.parametrize(
    "text, words",
    [
        ("max-pages = 0\n", ["max-pages", "1 or more"]),
        ("max-pages = '40'\n", ["max-pages", "whole number"]),
        ("fail-under = 101\n", ["fail-under", "from 0 to 100"]),
        ("device = 'tablet'\n", ["device", "desktop, mobile"]),
        ("search = 'deep'\n", ["search", "focused, exhaustive"]),
        ("ignore-robots = 'yes'\n", ["ignore-robots", "true or false"]),
        ("fail-on = ['no_such_finding']\n", ["fail-on", "unknown finding id 'no_such_finding'"]),
        ("max-pagez = 10\n", ["unknown key 'max-pagez'", "max-pages"]),
        ("max-pages = \n", ["not valid TOML"]),
    ],
)
def test_a_bad_config_is_a_one_line_usage_error_naming_file_and_key(tmp_path, text, words):
    path = write(tmp_path, "contact-auditor.toml", text)
    with pytest.raises(UsageError) as exc:
        load_config(path)
    message = str(exc.value)
    assert "\n" not in message and str(path) in message
    for w in words:
        assert w in message


def test_a_bad_pyproject_table_names_the_table(tmp_path):
    path = write(tmp_path, "pyproject.toml", "[tool.contact-auditor]\nconcurrency = -1\n")
    with pytest.raises(UsageError, match=r"\[tool.contact-auditor\]: concurrency"):
        load_config(path)


def test_defaults_then_config_then_environment_then_flags(monkeypatch, tmp_path):
    monkeypatch.delenv("CONTACT_AUDITOR_BROWSER", raising=False)
    monkeypatch.delenv("CONTACT_AUDITOR_DB", raising=False)
    assert resolve_settings({}, {}).max_pages == AuditSettings().max_pages
    config = {"max_pages": 10, "browser_path": "/from/config", "db": "/config.sqlite3", "fail_under": 50}
    s = resolve_settings(config, {"max_pages": None})
    assert (s.max_pages, s.browser_path, s.db, s.fail_under) == (10, "/from/config", "/config.sqlite3", 50)
    monkeypatch.setenv("CONTACT_AUDITOR_BROWSER", "/from/env")
    monkeypatch.setenv("CONTACT_AUDITOR_DB", "/env.sqlite3")
    s = resolve_settings(config, {})
    assert (s.browser_path, s.db) == ("/from/env", "/env.sqlite3")
    s = resolve_settings(config, {"max_pages": 3, "browser_path": "/from/flag", "db": "/flag.sqlite3"})
    assert (s.max_pages, s.browser_path, s.db) == (3, "/from/flag", "/flag.sqlite3")
    assert resolve_settings(config, {"no_db": True}).db is None
    assert resolve_settings({"no_db": True}, {}).db is None


def test_default_store_follows_xdg_and_falls_back_to_home():
    assert default_store_path({"XDG_DATA_HOME": "/data", "HOME": "/home/u"}) == "/data/contact-auditor/results.sqlite3"
    expected = "/home/u/.local/share/contact-auditor/results.sqlite3"
    assert default_store_path({"HOME": "/home/u"}) == expected
    assert default_store_path({"XDG_DATA_HOME": "relative/dir", "HOME": "/home/u"}) == expected


def test_default_concurrency_is_two_per_cpu_at_most_four():
    assert [default_concurrency(n) for n in (None, 1, 2, 8)] == [2, 2, 4, 4]


def test_a_resumed_batch_keeps_its_result_settings_and_says_so():
    started = AuditSettings(max_pages=40, device="mobile", concurrency=4)
    now = AuditSettings(max_pages=5, device="mobile", concurrency=1, fail_under=80)
    restored, notes = restore_batch_settings(now, batch_settings_json(started))
    assert (restored.max_pages, restored.concurrency, restored.fail_under) == (40, 1, 80)
    assert notes == ["max-pages stays 40 for this batch (not 5)"]
    # how far the search looks changes what is found: a batch keeps it too
    restored, notes = restore_batch_settings(AuditSettings(), batch_settings_json(AuditSettings(search="exhaustive")))
    assert restored.search == "exhaustive" and notes == ["search stays 'exhaustive' for this batch (not 'focused')"]


def test_the_cli_reports_a_broken_config_file_on_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "contact-auditor.toml", "max-pages = [\n")
    assert main(["audit", "https://www.example.se/", "--no-db"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("contact-auditor: error: ") and "contact-auditor.toml is not valid TOML" in err


def test_flags_are_checked_like_config_values(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["audit", "https://www.example.se/", "--fail-under", "101"])
    assert exc.value.code == 2
    assert "from 0 to 100" in capsys.readouterr().err
