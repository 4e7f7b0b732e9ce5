"""The CI gate end to end: every exit code of `contact-auditor audit`, from the real CLI, real
Chromium and fixture sites on 127.0.0.1.

    0 passed   1 a gate failed (fail-under, fail-on, baseline)   2 usage error
    3 no site could be audited

One server per fixture site for the whole module; each run audits one or two small sites.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.demo.server import serve_sites, unreachable_url
from auditor.result import ChannelResult, ResultDocument, SiteResult

ROOT = Path(__file__).parent.parent
SITES = Path(__file__).parent / "fixtures" / "sites"


def run_cli(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        check=False, capture_output=True, text=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def gate_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("gate ")]


@pytest.fixture(scope="module")
def urls():
    # footer-link: phone and e-mail one click away, no findings; hamburger: no e-mail
    # (finding no_email); server-error: HTTP 500 on the start page.
    with serve_sites({n: SITES / n for n in ("footer-link", "hamburger", "server-error")}) as u:
        yield u


@pytest.fixture
def work(tmp_path) -> Path:
    return tmp_path  # cwd of the CLI: no config file there, unless a test writes one


def test_exit_0_when_every_gate_passes_and_bad_input_rows_are_skipped(urls, work):
    # Also: --single-file puts the screenshots inside the HTML report.
    sites = work / "sites.txt"
    sites.write_text(f"# staging\n{urls['footer-link']}\nnot a web address\n", encoding="utf-8")
    proc = run_cli(["audit", "--input", str(sites), "--db", str(work / "r.sqlite3"), "--fail-under", "20",
                    "--fail-on", "premium_rate_phone", "--junit", str(work / "j.xml"),
                    "--json", str(work / "r.json"), "--screenshots", str(work / "shots"),
                    "--html", str(work / "r.html"), "--single-file"], work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{sites} line 3: not a web address" in proc.stderr
    assert gate_lines(proc) == [] and "gates passed" in proc.stderr
    doc = json.loads((work / "r.json").read_text(encoding="utf-8"))
    assert [s["url"] for s in doc["sites"]] == [urls["footer-link"]]
    assert 'failures="0"' in (work / "j.xml").read_text(encoding="utf-8")
    assert "data:image/png;base64," in (work / "r.html").read_text(encoding="utf-8")  # --single-file


def test_exit_1_fail_under_from_the_config_file(urls, work):
    (work / "contact-auditor.toml").write_text("fail-under = 99\nmax-pages = 10\n", encoding="utf-8")
    proc = run_cli(["audit", urls["footer-link"], "--no-db", "--junit", str(work / "j.xml")], work)
    assert proc.returncode == 1, proc.stderr[-3000:]
    (line,) = gate_lines(proc)
    assert line.startswith(f"gate fail-under failed: {urls['footer-link']} (desktop): score ")
    assert line.endswith("is below 99")
    assert "score_below" in (work / "j.xml").read_text(encoding="utf-8")  # fail_under reaches JUnit


def test_exit_1_fail_on_a_finding(urls, work):
    proc = run_cli(["audit", urls["hamburger"], "--no-db", "--fail-on", "premium_rate_phone,no_email"], work)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert gate_lines(proc) == [f"gate fail-on failed: {urls['hamburger']} (desktop): finding no_email"]


def test_exit_1_when_a_channel_was_lost_or_got_deeper_than_in_the_baseline(urls, work):
    # A baseline in which footer-link's phone was on the start page and it had a chat.
    url = urls["footer-link"]
    base = SiteResult(url=url, device="desktop", status="ok", score=90, grade="A", channels={
        "phone": ChannelResult("phone", True, clicks=0), "email": ChannelResult("email", True, clicks=1),
        "chat": ChannelResult("chat", True, clicks=0), "form": ChannelResult.not_found("form")})
    baseline = work / "baseline.json"
    baseline.write_text(json.dumps(ResultDocument("2026-11-01T00:00:00Z", "0.1.0", (base,)).to_dict()), encoding="utf-8")
    proc = run_cli(["audit", url, "--no-db", "--baseline", str(baseline)], work)
    assert proc.returncode == 1, proc.stderr[-3000:]
    (line,) = gate_lines(proc)
    assert line.startswith(f"gate baseline failed: {url} (desktop): ")
    assert "phone deeper: 0 clicks -> 1 click" in line and "chat lost (was 0 clicks)" in line
    assert "email" not in line


@pytest.mark.parametrize(
    "args, words",
    [
        (["--fail-on", "no_such_finding"], "unknown finding id 'no_such_finding'"),
        (["--baseline", "missing.json"], "no such file: missing.json"),
        (["--resume", "--no-db"], "--resume and --batch need the result store"),
    ],
)
def test_exit_2_usage_error_before_anything_is_audited(work, args, words):
    proc = run_cli(["audit", unreachable_url(), *args], work)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr
    assert "auditing" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_exit_3_when_no_site_could_be_audited(urls, work):
    proc = run_cli(["audit", urls["server-error"], unreachable_url(), "--no-db", "--fail-under", "50",
                    "--json", str(work / "r.json")], work)
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert "no site could be audited" in proc.stderr
    doc = json.loads((work / "r.json").read_text(encoding="utf-8"))
    assert {s["error"]["kind"] for s in doc["sites"]} == {"http_error", "connection"}


def test_report_gates_a_saved_document_without_a_browser(work):
    site = SiteResult(url="https://www.example.se/", device="desktop", status="ok", score=40, grade="E")
    saved = work / "r.json"
    saved.write_text(json.dumps(ResultDocument("2026-11-01T00:00:00Z", "0.1.0", (site,)).to_dict()), encoding="utf-8")
    assert run_cli(["report", str(saved), "--fail-under", "40"], work).returncode == 0
    proc = run_cli(["report", str(saved), "--fail-under", "41"], work)
    assert proc.returncode == 1 and gate_lines(proc) == [
        "gate fail-under failed: https://www.example.se/ (desktop): score 40 is below 41"]
