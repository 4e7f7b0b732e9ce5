"""JUnit XML report: lets a CI system show an audit as a test run.

Shape: `<testsuites>` holding one `<testsuite name="contact-auditor">`; each site result
(a site on one device) is one `<testcase>`, named by its URL, with `classname`
`contact-auditor.<device>` and `time` the audit's duration. A testcase gets one
`<failure>` per reason, most important first:

1. the site's status is `error` (type `status_error`; the message names the error kind);
2. its score is below `RenderOptions.fail_under`, when given (type `score_below`); an
   error site has no score and is not compared;
3. each finding at or above `RenderOptions.junit_min_severity` (type is the finding id),
   most severe first.

Several `<failure>` elements in one testcase are accepted by Jenkins, GitLab and the
common JUnit readers; a reader that follows the strict Ant schema sees the first, which is
the most important. The suite's `failures` counts failing testcases. `<system-out>` holds
a short summary (score, grade, clicks per channel) for people reading the CI log.

Page text is stripped of characters that are illegal in XML 1.0 (`clean_text`) and
escaped by xml.etree. Report text is English: CI logs are read by engineers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from reports import (
    CHANNELS,
    RenderOptions,
    channel_result,
    check_document,
    clean_text,
    localized,
    one_line,
    severity_rank,
    sites,
    sorted_findings,
)


def _failure_reasons(site: dict, options: RenderOptions) -> list[tuple[str, str, str]]:
    """(type, message, details) for each reason the site fails, most important first."""
    reasons: list[tuple[str, str, str]] = []
    if site.get("status") == "error":
        error = site.get("error") or {}
        kind = one_line(error.get("kind")) or "unknown"
        reasons.append(
            ("status_error", f"audit could not run: {kind}", clean_text(error.get("message")))
        )
    else:
        score = site.get("score")
        if (
            options.fail_under is not None
            and isinstance(score, (int, float))
            and not isinstance(score, bool)
            and score < options.fail_under
        ):
            grade = one_line(site.get("grade"))
            reasons.append(
                (
                    "score_below",
                    f"score {score} is below {options.fail_under}",
                    f"score {score}, grade {grade}" if grade else f"score {score}",
                )
            )
    threshold = severity_rank(options.junit_min_severity)
    for finding in sorted_findings(site):
        severity = finding.get("severity")
        if severity_rank(severity) < threshold:
            continue
        details = [localized(finding.get("message"), "en")]
        evidence = finding.get("evidence")
        if isinstance(evidence, dict):
            details += [f"{clean_text(k)}: {clean_text(v)}" for k, v in evidence.items()]
        for rule in finding.get("rules") or ():
            if isinstance(rule, dict):
                details.append(
                    f"rule: {clean_text(rule.get('title'))} {clean_text(rule.get('url'))}"
                )
        recommendation = localized(finding.get("recommendation"), "en")
        if recommendation:
            details.append(f"recommendation: {recommendation}")
        reasons.append(
            (
                one_line(finding.get("id")) or "finding",
                f"[{one_line(severity)}] {one_line(localized(finding.get('message'), 'en'))}",
                "\n".join(details),
            )
        )
    return reasons


def _summary(site: dict) -> str:
    lines = [f"url: {clean_text(site.get('url'))}", f"status: {clean_text(site.get('status'))}"]
    if site.get("status") == "error":
        lines.append("score: not scored")
    else:
        lines.append(
            f"score: {clean_text(site.get('score'))}, grade: {clean_text(site.get('grade'))}"
        )
        for name in CHANNELS:
            result = channel_result(site, name)
            if result is None or not result.get("found"):
                lines.append(f"{name}: not found")
            else:
                lines.append(f"{name}: clicks {clean_text(result.get('clicks'))}")
    return "\n".join(lines) + "\n"


def _number(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.3f}"
    return "0.000"


def render_junit(doc: dict, options: RenderOptions) -> bytes:
    """The JUnit XML report of `doc` as UTF-8 bytes with an XML declaration."""
    check_document(doc)
    site_list = sites(doc)
    root = ET.Element("testsuites", {"name": "contact-auditor"})
    suite = ET.SubElement(root, "testsuite", {"name": "contact-auditor"})
    failing = 0
    total_time = 0.0
    for site in site_list:
        device = one_line(site.get("device")) or "desktop"
        duration = site.get("duration_seconds")
        if isinstance(duration, (int, float)) and not isinstance(duration, bool):
            total_time += duration
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"contact-auditor.{device}",
                "name": one_line(site.get("url")) or one_line(site.get("name")),
                "time": _number(duration),
            },
        )
        reasons = _failure_reasons(site, options)
        if reasons:
            failing += 1
        for kind, message, details in reasons:
            failure = ET.SubElement(case, "failure", {"type": kind, "message": message})
            failure.text = details
        ET.SubElement(case, "system-out").text = _summary(site)
    attrs = {
        "tests": str(len(site_list)),
        "failures": str(failing),
        "errors": "0",
        "skipped": "0",
        "time": f"{total_time:.3f}",
    }
    generated_at = one_line(doc.get("generated_at"))
    if generated_at:
        attrs["timestamp"] = generated_at
    suite.attrib.update(attrs)
    root.attrib.update({k: attrs[k] for k in ("tests", "failures", "errors", "time")})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
