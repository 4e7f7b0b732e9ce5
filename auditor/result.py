"""The result document (spec section 5), as frozen typed models.

The JSON written to disk is generated from these models (`ResultDocument.to_dict`) and
read back by `ResultDocument.from_dict`, so every renderer in `reports/` works on a saved
document alone. `auditor/schema/result.schema.json` describes the same shape and a test
checks real audit output against it.

Schema versions: `contact-auditor/1` is the first. A breaking change bumps the number and
is documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "contact-auditor/1"
CHANNELS = ("phone", "email", "chat", "form")
#: Step actions that cost one click each (spec section 2). Hover and wait are free and are
#: not path steps.
STEP_ACTIONS = ("click", "open_menu", "expand", "open_dialog")
STATUSES = ("ok", "partial", "error")
ERROR_KINDS = (
    "dns",
    "connection",
    "timeout",
    "http_error",
    "bot_protection",
    "robots_disallowed",
    "not_html",
    "browser",
    "worker_lost",
)
SEVERITIES = ("info", "low", "medium", "high", "critical")


@dataclass(frozen=True)
class PathStep:
    action: str  # one of STEP_ACTIONS
    label: str  # visible text or accessible name of what was activated
    url: str  # where a link leads (click), or the page the control is on (expand, menus)
    new_tab: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"action": self.action, "label": self.label, "url": self.url}
        if self.new_tab:
            d["new_tab"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PathStep":
        return cls(d["action"], d.get("label", ""), d.get("url", ""), bool(d.get("new_tab")))


@dataclass(frozen=True)
class Evidence:
    url: str
    text: str = ""
    selector: str = ""
    screenshot: str | None = None  # path relative to the result document, when taken

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"url": self.url, "text": self.text}
        if self.selector:
            d["selector"] = self.selector
        if self.screenshot:
            d["screenshot"] = self.screenshot
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Evidence | None":
        if not d:
            return None
        return cls(d.get("url", ""), d.get("text", ""), d.get("selector", ""), d.get("screenshot"))


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    found: bool
    clicks: int | None = None
    seconds: float | None = None
    human_seconds: float | None = None
    values: tuple[str, ...] = ()
    path: tuple[PathStep, ...] = ()
    evidence: Evidence | None = None
    vendor: str | None = None  # chat only
    kind: str | None = None  # chat only: human | bot | unknown
    number_types: dict[str, str] = field(default_factory=dict)  # phone: value -> type

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "found": self.found,
            "clicks": self.clicks,
            "seconds": self.seconds,
            "human_seconds": self.human_seconds,
            "values": list(self.values),
            "path": [s.to_dict() for s in self.path],
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }
        if self.channel == "chat":
            d["vendor"] = self.vendor
            d["kind"] = self.kind
        if self.channel == "phone":
            d["number_types"] = dict(self.number_types)
        return d

    @classmethod
    def from_dict(cls, channel: str, d: dict[str, Any]) -> "ChannelResult":
        return cls(
            channel=channel,
            found=bool(d.get("found")),
            clicks=d.get("clicks"),
            seconds=d.get("seconds"),
            human_seconds=d.get("human_seconds"),
            values=tuple(d.get("values") or ()),
            path=tuple(PathStep.from_dict(s) for s in d.get("path") or ()),
            evidence=Evidence.from_dict(d.get("evidence")),
            vendor=d.get("vendor"),
            kind=d.get("kind"),
            number_types=dict(d.get("number_types") or {}),
        )

    @classmethod
    def not_found(cls, channel: str) -> "ChannelResult":
        return cls(channel=channel, found=False)


@dataclass(frozen=True)
class Finding:
    id: str  # stable snake_case id from checks/data/findings.json
    severity: str  # one of SEVERITIES
    message: str  # one line for people
    evidence: dict[str, Any] = field(default_factory=dict)
    rules: tuple[dict[str, str], ...] = ()  # [{"id", "title", "url"}] the rule(s) it relates to
    title: str = ""
    explanation: str = ""  # plain language: why it matters
    recommendation: str = ""  # what to do about it

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "rules": [dict(r) for r in self.rules],
        }
        for k in ("title", "explanation", "recommendation"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        return cls(
            d["id"],
            d.get("severity", "info"),
            d.get("message", ""),
            dict(d.get("evidence") or {}),
            tuple(d.get("rules") or ()),
            d.get("title", ""),
            d.get("explanation", ""),
            d.get("recommendation", ""),
        )


@dataclass(frozen=True)
class ConsentRecord:
    present: bool = False
    blocking: bool = False
    answer: str | None = None  # "reject" | "accept" | None (no dialog, or none answered)
    platform: str | None = None  # e.g. "onetrust", "cookiebot", "generic"
    hosts: tuple[str, ...] = ()  # hosts where a dialog was answered (consent is per host)

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "blocking": self.blocking,
            "answer": self.answer,
            "platform": self.platform,
            "hosts": list(self.hosts),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "ConsentRecord":
        d = d or {}
        return cls(
            bool(d.get("present")),
            bool(d.get("blocking")),
            d.get("answer"),
            d.get("platform"),
            tuple(d.get("hosts") or ()),
        )


@dataclass(frozen=True)
class SiteError:
    kind: str  # one of ERROR_KINDS
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class VisitedPage:
    url: str
    clicks: int  # fewest clicks from the start page to reach it
    seconds: float | None = None  # load + settle, measured
    status: int | None = None  # HTTP status, None when the load failed
    error: str | None = None
    template: str = ""  # "start" | "contact" | "help" | "article" | "other"

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "clicks": self.clicks,
            "seconds": self.seconds,
            "status": self.status,
            "error": self.error,
            "template": self.template,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "VisitedPage":
        return cls(
            d["url"], d.get("clicks", 0), d.get("seconds"), d.get("status"), d.get("error"),
            d.get("template", ""),
        )


@dataclass(frozen=True)
class SiteResult:
    url: str
    device: str
    status: str
    final_url: str | None = None
    error: SiteError | None = None
    score: int | None = None
    grade: str | None = None
    pages_visited: int = 0
    duration_seconds: float = 0.0
    limits_hit: tuple[str, ...] = ()
    consent: ConsentRecord = field(default_factory=ConsentRecord)
    channels: dict[str, ChannelResult] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    region: str | None = None
    name: str | None = None
    sector: str | None = None
    pages: tuple[VisitedPage, ...] = ()
    machine_readable: dict[str, Any] = field(default_factory=dict)  # JSON-LD ContactPoints

    def to_dict(self) -> dict[str, Any]:
        channels = {
            c: (self.channels.get(c) or ChannelResult.not_found(c)).to_dict() for c in CHANNELS
        }
        return {
            "url": self.url,
            "final_url": self.final_url,
            "name": self.name,
            "sector": self.sector,
            "device": self.device,
            "status": self.status,
            "error": self.error.to_dict() if self.error else None,
            "score": self.score,
            "grade": self.grade,
            "region": self.region,
            "pages_visited": self.pages_visited,
            "duration_seconds": self.duration_seconds,
            "limits_hit": list(self.limits_hit),
            "consent": self.consent.to_dict(),
            "channels": channels if self.status != "error" else {},
            "findings": [f.to_dict() for f in self.findings],
            "machine_readable": self.machine_readable,
            "pages": [p.to_dict() for p in self.pages],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SiteResult":
        err = d.get("error")
        return cls(
            url=d["url"],
            device=d.get("device", "desktop"),
            status=d.get("status", "error"),
            final_url=d.get("final_url"),
            error=SiteError(err.get("kind", ""), err.get("message", "")) if err else None,
            score=d.get("score"),
            grade=d.get("grade"),
            pages_visited=d.get("pages_visited", 0),
            duration_seconds=d.get("duration_seconds", 0.0),
            limits_hit=tuple(d.get("limits_hit") or ()),
            consent=ConsentRecord.from_dict(d.get("consent")),
            channels={
                c: ChannelResult.from_dict(c, v) for c, v in (d.get("channels") or {}).items()
            },
            findings=tuple(Finding.from_dict(f) for f in d.get("findings") or ()),
            region=d.get("region"),
            name=d.get("name"),
            sector=d.get("sector"),
            pages=tuple(VisitedPage.from_dict(p) for p in d.get("pages") or ()),
            machine_readable=dict(d.get("machine_readable") or {}),
        )


@dataclass(frozen=True)
class ResultDocument:
    generated_at: str
    tool_version: str
    sites: tuple[SiteResult, ...]
    profile: dict[str, Any] = field(default_factory=dict)  # the scoring profile used

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "generated_at": self.generated_at,
            "tool": {"name": "contact-auditor", "version": self.tool_version},
            "profile": self.profile,
            "sites": [s.to_dict() for s in self.sites],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ResultDocument":
        schema = d.get("schema")
        if schema != SCHEMA:
            raise ValueError(f"not a {SCHEMA} result document (schema: {schema!r})")
        return cls(
            generated_at=d.get("generated_at", ""),
            tool_version=(d.get("tool") or {}).get("version", ""),
            sites=tuple(SiteResult.from_dict(s) for s in d.get("sites") or ()),
            profile=dict(d.get("profile") or {}),
        )
