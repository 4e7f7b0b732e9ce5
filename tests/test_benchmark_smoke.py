"""Smoke test of the benchmark's parts (not the benchmark itself, which is not timed here):
the site generator writes valid sites with complete ground truth, and the naive crawler
loads one generated site breadth-first and sees what the truth says is there."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/ is not installed

from auditor.demo.server import SiteServer
from benchmarks import naive, sitegen


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench-sites")
    doc = sitegen.generate(2, out, seed=7, pages_range=(10, 12))
    return out, doc


def test_generator_output_is_valid(generated):
    out, doc = generated
    truth = json.loads((out / sitegen.TRUTH_FILE).read_text(encoding="utf-8"))
    assert truth == json.loads(json.dumps(doc))
    assert sorted(truth["sites"]) == ["site-000", "site-001"]
    for site in truth["sites"].values():
        root = out / site["folder"]
        assert 10 <= site["n_pages"] <= 12
        assert len(site["pages"]) == site["n_pages"]
        for path in site["pages"]:
            f = root / path.strip("/") / "index.html" if path != "/" else root / "index.html"
            text = f.read_text(encoding="utf-8")
            assert text.startswith("<!DOCTYPE html>") and '<html lang="sv-SE">' in text
        assert all(d is not None for d in site["page_hops"].values()), "every page is linked"
        for ch in sitegen.CHANNELS:
            entry = site["desktop"][ch]
            assert entry["found"] == (entry["clicks"] is not None)
            if entry["found"] and ch in ("phone", "email"):
                assert entry["values"]
    # deterministic: the same seed writes the same sites
    again = sitegen.generate(2, out.parent / (out.name + "-again"), seed=7, pages_range=(10, 12))
    assert again == doc


def test_naive_crawler_on_one_site(generated):
    out, doc = generated
    site = next(iter(doc["sites"].values()))
    with SiteServer(out / site["folder"]) as srv:
        sitegen.set_origin(out / site["folder"], srv.url.rstrip("/"))
        [res] = asyncio.run(naive.crawl_sites([srv.url], concurrency=1, late_widget_seconds=1.0, tabs=2))
        loads = sum(1 for r in srv.requests if r.path.split("?")[0].endswith("/"))
    assert res.error is None
    assert res.page_loads == site["n_pages"] == loads
    want, got = site["desktop"], res.channels
    for ch in ("phone", "email", "form"):
        if want[ch]["found"]:  # the DOM text holds even what sits behind a click
            assert got[ch]["found"], ch
            assert got[ch]["clicks"] <= want[ch]["clicks"], ch
    if want["phone"]["found"]:
        assert want["phone"]["values"][0] in got["phone"]["values"]
