"""A saved observation judged again without a browser gives the same result."""

from __future__ import annotations

import asyncio
import json

from auditor import snapshot
from auditor.audit import judge
from auditor.demo.server import serve_sites
from auditor.runner import Target, run_targets
from auditor.scoring import load_profile
from auditor.settings import AuditSettings
from tests.test_e2e_fixtures import FIXTURES


def test_replay_gives_the_same_channels_findings_and_score(tmp_path):
    roots = {n: FIXTURES / "sites" / n for n in ("show-number", "hover-menu", "late-chat")}
    settings = AuditSettings(snapshot_dir=str(tmp_path))
    profile = load_profile(None)
    with serve_sites(roots) as urls:
        live = asyncio.run(run_targets([Target(u) for u in urls.values()], settings, profile))
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 3
    by_url = {r.url: r for r in live}
    for f in files:
        raw = json.loads(f.read_text())
        assert raw["schema"] == snapshot.SCHEMA
        obs = snapshot.load(f)
        again = judge(obs, settings, profile, duration=0.0)
        before = by_url[obs.start_url]
        assert again.score == before.score and again.grade == before.grade
        for ch in ("phone", "email", "chat", "form"):
            a, b = again.channels[ch].to_dict(), before.channels[ch].to_dict()
            assert (a["found"], a["clicks"], a["values"], a["path"]) == (b["found"], b["clicks"], b["values"], b["path"])
        assert [x.id for x in again.findings] == [x.id for x in before.findings]
