"""The CI gate: pure functions from result documents to the reasons a run fails.

Each gate takes the result document of the run (spec section 5, the plain dict written to
JSON) and its own threshold, and returns one `GateFailure` per site that fails it; an
empty list passes. The CLI prints `GateFailure.line()` for each and exits 1 when there is
any (exit codes: `auditor/cli.py`).

* `fail_under(doc, score)`: a site scoring below `score` fails. A site that could not be
  audited (status `error`) has no score and fails too: nothing checked is not a pass.
* `fail_on(doc, ids)`: a site with any finding whose id is in `ids` fails.
* `against_baseline(doc, baseline)`: a site that lost a channel, or needs more clicks to
  reach one, than in the baseline document fails (`auditor/compare.py`: `channel_lost`,
  `channel_deeper`), as does a site that could be audited in the baseline and not now.
  Sites only in one of the two are not judged (a run may audit a subset).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditor import compare

FAIL_UNDER, FAIL_ON, BASELINE = "fail-under", "fail-on", "baseline"

#: Changes against the baseline that fail the run.
BASELINE_FAILURES = (compare.CHANNEL_LOST, compare.CHANNEL_DEEPER, compare.STATUS_ERROR)


@dataclass(frozen=True)
class GateFailure:
    gate: str  # FAIL_UNDER | FAIL_ON | BASELINE
    url: str
    device: str
    reason: str

    def line(self) -> str:
        return f"gate {self.gate} failed: {self.url} ({self.device}): {self.reason}"


def fail_under(doc: dict[str, Any], minimum: int) -> list[GateFailure]:
    out = []
    for site in _sites(doc):
        score = site.get("score")
        if site.get("status") == "error" or not isinstance(score, int):
            kind = (site.get("error") or {}).get("kind") or "error"
            out.append(_failure(FAIL_UNDER, site, f"could not be audited ({kind}), so it has no score"))
        elif score < minimum:
            out.append(_failure(FAIL_UNDER, site, f"score {score} is below {minimum}"))
    return out


def fail_on(doc: dict[str, Any], ids: Iterable[str]) -> list[GateFailure]:
    wanted = set(ids)
    out = []
    for site in _sites(doc):
        hits = list(dict.fromkeys(str(f.get("id")) for f in site.get("findings") or () if f.get("id") in wanted))
        if hits:
            out.append(_failure(FAIL_ON, site, f"finding {', '.join(hits)}"))
    return out


def against_baseline(doc: dict[str, Any], baseline: dict[str, Any]) -> list[GateFailure]:
    before = compare.sites_by_key(baseline)
    out = []
    for site in _sites(doc):
        old = before.get(compare.site_key(site))
        if old is None:
            continue
        worse = [c.message for c in compare.compare_sites(old, site) if c.kind in BASELINE_FAILURES]
        if worse:
            out.append(_failure(BASELINE, site, "; ".join(worse)))
    return out


def evaluate(
    doc: dict[str, Any],
    *,
    fail_under_score: int | None = None,
    fail_on_ids: Iterable[str] = (),
    baseline: dict[str, Any] | None = None,
) -> list[GateFailure]:
    """Every failure of every gate that is set, gate by gate."""
    out: list[GateFailure] = []
    if fail_under_score is not None:
        out.extend(fail_under(doc, fail_under_score))
    ids = tuple(fail_on_ids)
    if ids:
        out.extend(fail_on(doc, ids))
    if baseline is not None:
        out.extend(against_baseline(doc, baseline))
    return out


def _sites(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in doc.get("sites") or () if isinstance(s, dict)]


def _failure(gate: str, site: dict[str, Any], reason: str) -> GateFailure:
    return GateFailure(gate, str(site.get("url") or ""), str(site.get("device") or "desktop"), reason)
