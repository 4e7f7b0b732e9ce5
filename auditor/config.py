"""The configuration file: where it is, what it may say, and the one check of every value.

A project keeps its audit and CI-gate settings next to its code, in the current directory:

* `contact-auditor.toml`, the keys at the top level, or
* `pyproject.toml`, the keys under `[tool.contact-auditor]` (read only when that table is
  there; `contact-auditor.toml` wins when both are).

`--config PATH` names a file instead (either form). Keys are the long flag names, with `-` or
`_` (`max-pages` or `max_pages`); the values have the flags' meaning and limits::

    device = "mobile"
    max-pages = 25
    fail-under = 70
    fail-on = ["premium_rate_phone", "contact_behind_login"]

A path in the file (`profile`, `baseline`, `db`, `screenshots`, `browser`) is relative to
the file's folder. An unknown key, a wrong type or a value out of range is a usage error on
one line that names the file and the key, as is a file that is not TOML. What does not
belong here: the URLs to audit and the output paths (those are per run).

The checks in `VALUE_CHECKS` are also what the command line's flags run (through
`flag_type`), so a limit is written once. `auditor/settings.py resolve_settings` merges the
result: defaults < this file < environment < flags.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.errors import UsageError
from auditor.settings import FLAG_FOR_FIELD

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: the same parser, published as tomli
    import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

CONFIG_FILE = "contact-auditor.toml"
PYPROJECT_FILE = "pyproject.toml"
PYPROJECT_TABLE = "contact-auditor"  # [tool.contact-auditor]

#: Keys whose value is a file system path, resolved against the config file's folder.
PATH_KEYS = frozenset({"profile", "baseline", "db", "screenshots", "browser"})

#: The highest score there is (auditor/scoring.py: 0-100).
MAX_SCORE = 100


class ValueCheckError(ValueError):
    """A value out of its limits; the message says what was expected."""


# --- the checks: typed value in, checked value out -----------------------------------------


def _integer(value: Any, least: int, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueCheckError(f"expected a whole number, not {value!r}")
    if value < least or (most is not None and value > most):
        span = f"from {least} to {most}" if most is not None else f"{least} or more"
        raise ValueCheckError(f"must be {span}, not {value!r}")
    return value


def _seconds(value: Any, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueCheckError(f"expected a number of seconds, not {value!r}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueCheckError(f"must be {'0' if allow_zero else 'more than 0'} or more seconds, not {value!r}")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueCheckError(f"expected a text, not {value!r}")
    return value.strip()


def _choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueCheckError(f"expected one of {', '.join(options)}, not {value!r}")
        return str(value)

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueCheckError(f"expected true or false, not {value!r}")
    return value


def _region(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
        raise ValueCheckError(f"expected a two-letter country code such as SE or FI, not {value!r}")
    return value.upper()


def _proxy(value: Any) -> str:
    text = _text(value)
    p = urlsplit(text)
    if p.scheme not in ("http", "https", "socks5") or not p.hostname:
        raise ValueCheckError(f"expected a proxy URL such as http://127.0.0.1:8080, not {value!r}")
    return text


def _finding_ids(value: Any) -> tuple[str, ...]:
    """A list of finding ids, or one text of ids separated by commas."""
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ValueCheckError(f"expected finding ids (a list, or a text with commas), not {value!r}")
    ids = tuple(dict.fromkeys(i for i in items if i))
    if not ids:
        raise ValueCheckError("expected at least one finding id")
    from checks.findings_catalogue import load_catalogue  # late: checks imports auditor

    known = set(load_catalogue().ids())
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueCheckError(
            f"unknown finding id {', '.join(map(repr, unknown))} (see checks/data/findings.json)"
        )
    return ids


#: Key (as a long flag, without --) -> (what a flag's text becomes before the check, check).
VALUE_CHECKS: dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]] = {
    "device": (str, _choice("desktop", "mobile")),
    "region": (str, _region),
    "max-depth": (int, lambda v: _integer(v, 0)),
    "max-pages": (int, lambda v: _integer(v, 1)),
    "search": (str, _choice("focused", "exhaustive")),
    "timeout": (float, lambda v: _seconds(v, allow_zero=False)),
    "host-delay": (float, lambda v: _seconds(v, allow_zero=True)),
    "proxy": (str, _proxy),
    "ignore-robots": (str, _boolean),
    "screenshots": (str, _text),
    "profile": (str, _text),
    "concurrency": (int, lambda v: _integer(v, 1)),
    "browser": (str, _text),
    "lang": (str, _choice("en", "sv")),
    "fail-under": (int, lambda v: _integer(v, 0, MAX_SCORE)),
    "fail-on": (str, _finding_ids),
    "baseline": (str, _text),
    "db": (str, _text),
    "no-db": (str, _boolean),
}

_FIELD_FOR_FLAG = {flag: field for field, flag in FLAG_FOR_FIELD.items()}


def field_name(key: str) -> str:
    """The `AuditSettings` field a key sets: `max-pages` -> `max_pages`, `timeout` ->
    `site_timeout`."""
    flag = key.replace("_", "-")
    return _FIELD_FOR_FLAG.get(flag, flag.replace("-", "_"))


def flag_type(key: str) -> Callable[[str], Any]:
    """An argparse `type=` for the flag `--KEY`: the flag's text through the key's check."""
    convert, check = VALUE_CHECKS[key]

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            kind = "whole number" if convert is int else "number"
            raise argparse.ArgumentTypeError(f"not a {kind}: {text!r}") from None
        try:
            return check(value)
        except ValueCheckError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = key  # argparse names the type in its messages
    return parse


# --- finding and reading the file --------------------------------------------------------


def find_config(folder: Path) -> Path | None:
    """`contact-auditor.toml` in `folder`, else its `pyproject.toml` when that has a
    `[tool.contact-auditor]` table, else None."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = folder / PYPROJECT_FILE
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return pyproject  # broken: `load_config` says so, on one line
        if isinstance(data.get("tool"), dict) and PYPROJECT_TABLE in data["tool"]:
            return pyproject
    return None


def load_config(path: Path) -> dict[str, Any]:
    """The checked settings of a config file, keyed by `AuditSettings` field name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such config file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from None
    where = str(path)
    if path.name == PYPROJECT_FILE:
        table = (data.get("tool") or {}).get(PYPROJECT_TABLE, {}) if isinstance(data.get("tool"), dict) else {}
        where = f"{path} [tool.{PYPROJECT_TABLE}]"
        if not isinstance(table, dict):
            raise UsageError(f"{where}: expected a table of settings")
        data = table
    return check_config(data, where, base=path.resolve().parent)


def check_config(data: dict[str, Any], where: str, base: Path | None = None) -> dict[str, Any]:
    """Check every key and value of a config table; paths are made relative to `base`."""
    out: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        if key not in VALUE_CHECKS:
            known = ", ".join(sorted(VALUE_CHECKS))
            raise UsageError(f"{where}: unknown key {raw_key!r} (known keys: {known})")
        _, check = VALUE_CHECKS[key]
        try:
            checked = check(value)
        except ValueCheckError as exc:
            raise UsageError(f"{where}: {raw_key}: {exc}") from None
        if key in PATH_KEYS and base is not None:
            checked = _relative_to(checked, key, base)
        out[field_name(key)] = checked
    return out


def _relative_to(value: str, key: str, base: Path) -> str:
    if key == "profile":
        from auditor.scoring import SHIPPED_PROFILES

        if value in SHIPPED_PROFILES:
            return value
    if key == "db" and "://" in value:
        return value
    p = Path(value).expanduser()
    return str(p if p.is_absolute() else base / p)
