"""Saved observations: audit once in the browser, judge again without it.

`--save-snapshot DIR` writes, per site, everything the browser gathered: the pages in the
order the search reached them (with their click depth and path), every `PageState` of every
page with the reveal that produced it, consent outcomes and the Consistent Help sample.
`contact-auditor replay SNAPSHOT.json ...` rebuilds the observation from that file, runs
the detectors, findings and scoring again, and writes an ordinary result document. A
detector bug seen on a real site is then a file that reproduces it, and a detector fix can
be checked against old audits (the Lighthouse gather/audit split).

Snapshot format: `{"schema": "contact-auditor-snapshot/1", ...}`; pages hold hostile text
and are written as JSON only.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.consent_flow import ConsentOutcome
from auditor.explorer import InPageAction, PageVisit, Reveal
from auditor.human_time import HumanStep
from auditor.page_state import PageState
from auditor.recorder import StateRecorder
from auditor.result import PathStep
from auditor.search import PageNode, SiteObservation, fold_best
from checks import DetectContext

SCHEMA = "contact-auditor-snapshot/1"


def _reveal_dict(r: Reveal) -> dict[str, Any]:
    return {"cost": r.cost, "seconds": r.seconds, "via_hover": r.via_hover,
            "chain": [asdict(a) for a in r.chain]}


def _reveal(d: dict[str, Any]) -> Reveal:
    return Reveal(d["cost"], tuple(InPageAction(**a) for a in d.get("chain", ())), d.get("seconds", 0.0),
                  d.get("via_hover", ""))


def _node_dict(n: PageNode) -> dict[str, Any]:
    d = asdict(n)
    d["steps"] = [s.to_dict() for s in n.steps]
    return d


def _node(d: dict[str, Any]) -> PageNode:
    d = dict(d)
    d["steps"] = tuple(PathStep.from_dict(s) for s in d.get("steps", ()))
    d["human"] = tuple(HumanStep(**h) for h in d.get("human", ()))
    return PageNode(**d)


def to_dict(obs: SiteObservation) -> dict[str, Any]:
    visits = []
    for node, visit in obs.visits:
        visits.append({
            "node": _node_dict(node),
            "url": visit.url, "final_url": visit.final_url, "status": visit.status,
            "load_seconds": visit.load_seconds, "error": visit.error,
            "consent": asdict(visit.consent) if visit.consent is not None else None,
            "states": [
                {"state": st.to_dict(), "reveal": _reveal_dict(rv), "at": at, "late": late}
                for (st, rv), (at, late) in zip(visit.states, visit.state_times, strict=False)
            ],
            "start": visit is obs.start_visit,
        })
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "start_url": obs.start_url,
        "device": obs.device,
        "region": obs.region,
        "region_reason": obs.region_reason,
        "limits_hit": sorted(obs.limits_hit),
        "failed_pages": obs.failed_pages,
        "skipped_by_robots": obs.skipped_by_robots,
        "visits": visits,
        "help_pages": [{"url": u, "state": s.to_dict()} for u, s in obs.help_pages],
    }


def from_dict(d: dict[str, Any]) -> SiteObservation:
    """Rebuild the observation; detectors run again on every saved state."""
    if d.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} file (schema: {d.get('schema')!r})")
    obs = SiteObservation(start_url=d["start_url"], device=d["device"])
    obs.region, obs.region_reason = d.get("region", "SE"), d.get("region_reason", "")
    obs.limits_hit = set(d.get("limits_hit", ()))
    obs.failed_pages = d.get("failed_pages", 0)
    obs.skipped_by_robots = d.get("skipped_by_robots", 0)
    host = re.sub(r"^https?://([^/:]+).*$", r"\1", obs.start_url)
    for v in d.get("visits", ()):
        node = _node(v["node"])
        visit = PageVisit(url=v["url"], final_url=v.get("final_url", ""), status=v.get("status"),
                          load_seconds=v.get("load_seconds", 0.0), error=v.get("error"))
        if v.get("consent"):
            visit.consent = ConsentOutcome(**v["consent"])
        states = [PageState.from_dict(s["state"]) for s in v.get("states", ())]
        lang = (states[0].lang.split("-")[0].lower() if states else "")

        def ctx(_state: PageState, lang: str = lang) -> DetectContext:
            return DetectContext(region=obs.region, site_host=host, language=lang)

        recorder = StateRecorder(visit, ctx)
        for st, s in zip(states, v.get("states", ()), strict=False):
            recorder.record(st, _reveal(s["reveal"]), at=s.get("at", 0.0), only_chat=s.get("late", False))
        obs.visits.append((node, visit))
        if v.get("start"):
            obs.start_visit = visit
        fold_best(obs, node, visit)
    obs.help_pages = [(h["url"], PageState.from_dict(h["state"])) for h in d.get("help_pages", ())]
    return obs


def save(obs: SiteObservation, folder: str | Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", obs.start_url.lower().split("//", 1)[-1]).strip("-")[:80]
    path = folder / f"{slug}-{obs.device}.json"
    path.write_text(json.dumps(to_dict(obs), ensure_ascii=False), encoding="utf-8")
    return path


def load(path: str | Path) -> SiteObservation:
    return from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
