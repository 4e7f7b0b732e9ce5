"""`contact-auditor history`, `batches` and `compare`, on a store and documents written here.
No browser: the audits are made up, the commands are the real CLI (in this process)."""

from __future__ import annotations

import json

import pytest

from auditor.cli import main
from auditor.result import ChannelResult, Finding, ResultDocument, SiteResult
from auditor.store import StoredTarget, open_store

SITE = StoredTarget("https://www.example.se/", name="Exempel [bold]AB[/bold]")
OTHER = StoredTarget("https://other.example.se/")


def audit(url: str, score: int, phone_clicks: int | None, findings: tuple[str, ...] = ()) -> SiteResult:
    return SiteResult(
        url=url, device="desktop", status="ok", score=score, grade="C", name=SITE.name if url == SITE.url else None,
        channels={"phone": ChannelResult("phone", phone_clicks is not None, clicks=phone_clicks),
                  "email": ChannelResult("email", True, clicks=1)},
        findings=tuple(Finding(f, "high", f) for f in findings),
    )


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps cells to the width; keep each row on one line


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "results.sqlite3")
    store = open_store(path)
    for week, (score, clicks) in enumerate([(50, 2), (64, 1), (40, None)], start=1):
        batch = f"week{week}"
        store.open_batch(batch, [SITE, OTHER], "{}")
        store.save(batch, SITE, audit(SITE.url, score, clicks), f"2026-11-0{week}T10:00:00Z")
        store.save(batch, OTHER, audit(OTHER.url, 90, 0), f"2026-11-0{week}T10:00:00Z")
    store.close()
    return path


def test_history_of_one_site_is_oldest_first_with_the_score_change(db, capsys):
    assert main(["history", "www.example.se", "--db", db]) == 0  # typed without scheme or slash
    rows = [line for line in capsys.readouterr().out.splitlines() if "2026-11-0" in line]
    assert [r.split()[2] for r in rows] == ["week1", "week2", "week3"]
    assert "+14" in rows[1] and "-24" in rows[2]


def test_history_without_url_shows_every_site_latest_audit(db, capsys):
    assert main(["history", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "other.example.se" in out and "[bold]AB" in out  # a name is shown as written, not as markup
    assert "-24" in out


def test_history_of_a_missing_store_is_a_usage_error(tmp_path, capsys):
    assert main(["history", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no result store" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()  # looking does not create one


def test_batches_lists_newest_first(db, capsys):
    assert main(["batches", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.index("week3") < out.index("week2") < out.index("week1")


def test_compare_lists_better_and_worse_and_exits_0(tmp_path, capsys):
    old = ResultDocument("2026-11-01T00:00:00Z", "0.1.0", (audit(SITE.url, 50, 2, ("faq_before_contact",)),))
    new = ResultDocument("2026-11-08T00:00:00Z", "0.1.0", (audit(SITE.url, 40, None, ("no_phone",)),))
    paths = []
    for name, doc in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(doc.to_dict()), encoding="utf-8")
        paths.append(str(tmp_path / name))
    assert main(["compare", *paths]) == 0
    out = capsys.readouterr().out
    assert "worse   score 50 -> 40 (-10)" in out
    assert "worse   phone lost (was 2 clicks)" in out
    assert "worse   new finding no_phone (high)" in out
    assert "better  resolved finding faq_before_contact (high)" in out
    assert main(["compare", paths[0], paths[0]]) == 0
    assert "no changes" in capsys.readouterr().out


def test_compare_of_a_file_that_is_not_a_result_document_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something-else/9"}', encoding="utf-8")
    assert main(["compare", str(bad), str(bad)]) == 2
    assert "not a contact-auditor/1 result document" in capsys.readouterr().err


def test_an_existing_batch_id_needs_resume_and_resume_needs_a_batch(db, tmp_path, capsys):
    assert main(["audit", SITE.url, "--db", db, "--batch", "week1"]) == 2
    assert "batch 'week1' already exists" in capsys.readouterr().err
    assert main(["audit", "--resume", "--db", db, "--batch", "week9"]) == 2
    assert "no batch 'week9'" in capsys.readouterr().err
    assert main(["audit", "--resume", "--db", str(tmp_path / "empty.sqlite3")]) == 2
    assert "nothing to resume" in capsys.readouterr().err
