"""The CI gate (auditor/gates.py) and the comparison under it (auditor/compare.py), as pure
functions of result documents. No browser, no files."""

from __future__ import annotations

import copy

from auditor import compare, gates


def channel(found: bool, clicks: int | None = None) -> dict:
    return {"found": found, "clicks": clicks if found else None, "values": [], "path": []}


def site(url="https://a.example.se/", device="desktop", *, score=70, status="ok", findings=(), **channels) -> dict:
    chans = {c: channel(False) for c in ("phone", "email", "chat", "form")}
    chans.update(channels)
    if status == "error":
        return {"url": url, "device": device, "status": "error", "score": None, "grade": None,
                "error": {"kind": "http_error", "message": "HTTP 500"}, "channels": {}, "findings": []}
    return {"url": url, "device": device, "status": status, "score": score, "grade": "C", "error": None,
            "channels": chans, "findings": [{"id": f, "severity": "high", "message": f} for f in findings]}


def doc(*sites: dict) -> dict:
    return {"schema": "contact-auditor/1", "sites": list(sites)}


# --- fail-under --------------------------------------------------------------------------


def test_fail_under_passes_at_the_threshold_and_fails_below():
    d = doc(site("https://a.example.se/", score=70), site("https://b.example.se/", score=69))
    assert gates.fail_under(d, 69) == []
    (failure,) = gates.fail_under(d, 70)
    assert failure.url == "https://b.example.se/" and failure.gate == "fail-under"
    assert failure.line() == "gate fail-under failed: https://b.example.se/ (desktop): score 69 is below 70"


def test_fail_under_fails_a_site_that_could_not_be_audited():
    (failure,) = gates.fail_under(doc(site(status="error")), 0)
    assert "could not be audited (http_error)" in failure.reason


# --- fail-on -----------------------------------------------------------------------------


def test_fail_on_names_the_findings_that_were_hit():
    d = doc(site("https://a.example.se/", findings=["no_email", "premium_rate_phone"]),
            site("https://b.example.se/", findings=["no_email"]),
            site("https://c.example.se/", status="error"))
    failures = gates.fail_on(d, ["premium_rate_phone", "contact_behind_login"])
    assert [(f.url, f.reason) for f in failures] == [("https://a.example.se/", "finding premium_rate_phone")]
    assert len(gates.fail_on(d, ["no_email"])) == 2
    assert gates.fail_on(d, []) == []


# --- baseline ----------------------------------------------------------------------------


def test_baseline_fails_a_lost_or_deeper_channel_and_not_a_better_one():
    old = doc(site(phone=channel(True, 1), email=channel(True, 1), chat=channel(False), form=channel(True, 3)))
    new = doc(site(phone=channel(True, 2), email=channel(False), chat=channel(True, 0), form=channel(True, 1)))
    (failure,) = gates.against_baseline(new, old)
    assert failure.gate == "baseline"
    assert "phone deeper: 1 click -> 2 clicks" in failure.reason
    assert "email lost (was 1 click)" in failure.reason
    assert "chat" not in failure.reason and "form" not in failure.reason


def test_baseline_passes_the_same_and_better_results():
    old = doc(site(score=50, phone=channel(True, 2)))
    better = doc(site(score=80, phone=channel(True, 0), email=channel(True, 1)))
    assert gates.against_baseline(old, old) == []
    assert gates.against_baseline(better, old) == []


def test_baseline_matches_sites_by_url_and_device_and_ignores_the_unmatched():
    old = doc(site("https://a.example.se", "desktop", phone=channel(True, 1)),
              site("https://a.example.se", "mobile", phone=channel(True, 1)))
    new = doc(site("HTTPS://A.example.se/", "mobile", phone=channel(False)),  # the same page, written otherwise
              site("https://new.example.se/", phone=channel(False)))
    (failure,) = gates.against_baseline(new, old)
    assert (failure.url, failure.device) == ("HTTPS://A.example.se/", "mobile")


def test_baseline_fails_a_site_that_can_no_longer_be_audited():
    old = doc(site(phone=channel(True, 1)))
    (failure,) = gates.against_baseline(doc(site(status="error")), old)
    assert "could not be audited now (http_error)" in failure.reason
    assert gates.against_baseline(doc(site(status="error")), doc(site(status="error"))) == []


def test_evaluate_runs_only_the_gates_that_are_set():
    d = doc(site(score=10, findings=["no_phone"], phone=channel(False)))
    base = doc(site(score=90, phone=channel(True, 0)))
    assert gates.evaluate(d) == []
    found = gates.evaluate(d, fail_under_score=50, fail_on_ids=["no_phone"], baseline=base)
    assert [f.gate for f in found] == ["fail-under", "fail-on", "baseline"]


def test_gates_do_not_change_the_documents():
    d = doc(site(score=10, findings=["no_phone"]))
    before = copy.deepcopy(d)
    gates.evaluate(d, fail_under_score=50, fail_on_ids=["no_phone"], baseline=d)
    assert d == before


# --- compare -----------------------------------------------------------------------------


def test_compare_lists_what_got_better_and_worse():
    old = doc(site(score=60, findings=["no_email", "faq_before_contact"], phone=channel(True, 1),
                   email=channel(False), chat=channel(True, 0), form=channel(True, 2)),
              site("https://gone.example.se/"))
    new = doc(site(score=72, findings=["no_email", "premium_rate_phone"], phone=channel(True, 2),
                   email=channel(True, 1), chat=channel(False), form=channel(True, 1)),
              site("https://new.example.se/"))
    changes = compare.compare_documents(old, new)
    kinds = [(c.kind, c.channel, c.better) for c in changes]
    assert kinds == [
        (compare.SCORE, None, True),
        (compare.CHANNEL_DEEPER, "phone", False),
        (compare.CHANNEL_FOUND, "email", True),
        (compare.CHANNEL_LOST, "chat", False),
        (compare.CHANNEL_SHALLOWER, "form", True),
        (compare.FINDING_NEW, None, False),
        (compare.FINDING_RESOLVED, None, True),
        (compare.SITE_NEW, None, None),
        (compare.SITE_GONE, None, None),
    ]
    assert changes[0].message == "score 60 -> 72 (+12)"
    assert changes[5].message == "new finding premium_rate_phone (high)"
    assert changes[6].message == "resolved finding faq_before_contact (high)"


def test_compare_of_a_document_with_itself_is_empty():
    d = doc(site(findings=["no_email"], phone=channel(True, 1)), site("https://b.example.se/", status="error"))
    assert compare.compare_documents(d, d) == []


def test_compare_says_when_a_site_recovered():
    (change,) = compare.compare_documents(doc(site(status="error")), doc(site()))
    assert change.kind == compare.STATUS_RECOVERED and change.better is True
