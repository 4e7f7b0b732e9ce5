"""What changed between two audits of the same sites: better, worse, or neither.

Pure functions of two result documents (spec section 5, as the plain dicts written to
JSON). Sites are matched by URL (`auditor/scope.py normalise`: scheme and host case, empty
path) and device; a site audited only once is reported as new or gone and nothing else.

Per site, in this order:

* status: a site that could be audited and now cannot (worse), or the other way (better);
  while either audit is an error, nothing else of the site is compared;
* score: up is better (`auditor/scoring.py`: higher is easier to reach);
* per channel (`auditor/result.py CHANNELS`): lost (found before, not now: worse), found
  (better), deeper (more clicks: worse), shallower (fewer clicks: better);
* findings, by id: new (worse) and resolved (better).

`auditor/gates.py` fails a CI run on the "lost" and "deeper" changes against a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.result import CHANNELS
from auditor.scope import normalise

# Change kinds.
STATUS_ERROR = "status_error"  # could be audited before, not now
STATUS_RECOVERED = "status_recovered"
SCORE = "score"
CHANNEL_LOST = "channel_lost"
CHANNEL_FOUND = "channel_found"
CHANNEL_DEEPER = "channel_deeper"
CHANNEL_SHALLOWER = "channel_shallower"
FINDING_NEW = "finding_new"
FINDING_RESOLVED = "finding_resolved"
SITE_NEW = "site_new"
SITE_GONE = "site_gone"


@dataclass(frozen=True)
class Change:
    url: str
    device: str
    kind: str  # one of the change kinds above
    better: bool | None  # True better, False worse, None neither (a site new or gone)
    message: str  # one line for people, without the site
    channel: str | None = None
    old: Any = None
    new: Any = None


def site_key(site: dict[str, Any]) -> tuple[str, str]:
    """How a site is matched between documents: its normalised URL and its device."""
    return normalise(str(site.get("url") or "")), str(site.get("device") or "desktop")


def sites_by_key(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {site_key(s): s for s in doc.get("sites") or ()}


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new`, sites in `new`'s order, then the gone ones."""
    before = sites_by_key(old)
    changes: list[Change] = []
    seen: set[tuple[str, str]] = set()
    for site in new.get("sites") or ():
        key = site_key(site)
        seen.add(key)
        if key in before:
            changes.extend(compare_sites(before[key], site))
        else:
            changes.append(_change(site, SITE_NEW, None, "audited now, not in the old results"))
    for key, site in before.items():
        if key not in seen:
            changes.append(_change(site, SITE_GONE, None, "in the old results, not audited now"))
    return changes


def compare_sites(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes of one site between two audits of it."""
    old_error, new_error = old.get("status") == "error", new.get("status") == "error"
    if new_error and not old_error:
        return [_change(new, STATUS_ERROR, False, f"could not be audited now ({_error(new)})")]
    if old_error and not new_error:
        return [_change(new, STATUS_RECOVERED, True, f"could be audited again (was {_error(old)})")]
    if old_error and new_error:
        return []
    out: list[Change] = []
    o_score, n_score = old.get("score"), new.get("score")
    if isinstance(o_score, int) and isinstance(n_score, int) and o_score != n_score:
        out.append(
            _change(new, SCORE, n_score > o_score, f"score {o_score} -> {n_score} ({n_score - o_score:+d})",
                    old=o_score, new=n_score)
        )
    for channel in CHANNELS:
        out.extend(_channel_changes(new, channel, _channel(old, channel), _channel(new, channel)))
    o_ids, n_ids = _finding_ids(old), _finding_ids(new)
    for fid in n_ids:
        if fid not in o_ids:
            out.append(_change(new, FINDING_NEW, False, f"new finding {fid} ({n_ids[fid]})", new=fid))
    for fid in o_ids:
        if fid not in n_ids:
            out.append(_change(new, FINDING_RESOLVED, True, f"resolved finding {fid} ({o_ids[fid]})", old=fid))
    return out


def _channel_changes(site: dict[str, Any], channel: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    was, now = bool(old.get("found")), bool(new.get("found"))
    o_clicks, n_clicks = old.get("clicks"), new.get("clicks")
    if was and not now:
        return [_change(site, CHANNEL_LOST, False, f"{channel} lost (was {_clicks(o_clicks)})",
                        channel=channel, old=o_clicks)]
    if now and not was:
        return [_change(site, CHANNEL_FOUND, True, f"{channel} found ({_clicks(n_clicks)})",
                        channel=channel, new=n_clicks)]
    if was and now and isinstance(o_clicks, int) and isinstance(n_clicks, int) and o_clicks != n_clicks:
        deeper = n_clicks > o_clicks
        return [_change(site, CHANNEL_DEEPER if deeper else CHANNEL_SHALLOWER, not deeper,
                        f"{channel} {'deeper' if deeper else 'shallower'}: "
                        f"{_clicks(o_clicks)} -> {_clicks(n_clicks)}",
                        channel=channel, old=o_clicks, new=n_clicks)]
    return []


def _change(site: dict[str, Any], kind: str, better: bool | None, message: str, **kw: Any) -> Change:
    return Change(str(site.get("url") or ""), str(site.get("device") or "desktop"), kind, better, message, **kw)


def _channel(site: dict[str, Any], channel: str) -> dict[str, Any]:
    value = (site.get("channels") or {}).get(channel)
    return value if isinstance(value, dict) else {}


def _finding_ids(site: dict[str, Any]) -> dict[str, str]:
    """Finding id -> severity, in document order."""
    return {str(f.get("id")): str(f.get("severity") or "") for f in site.get("findings") or () if f.get("id")}


def _clicks(n: Any) -> str:
    if n is None:
        return "? clicks"
    return f"{n} click" if n == 1 else f"{n} clicks"


def _error(site: dict[str, Any]) -> str:
    return str((site.get("error") or {}).get("kind") or "error")
