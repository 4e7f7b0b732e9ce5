"""Every word a report says of its own, in one place per language.

`WORDS[lang][key]` is a `str.format` template. Page text (labels, evidence, finding
messages) is never translated: it is shown as found. Keys name what the text is for, with
a dotted prefix for families of values from the result document (`channel.phone`,
`severity.high`, `status.error`, `error.dns`, `action.open_menu`).

Counted words have a `.one` and a `.other` form (`clicks.one`, `clicks.other`): pass
`count=`. A key missing in Swedish falls back to English. Values from the document go
through `term(lang, family, value)`, which shows a value this table does not know yet (a
new error kind, say) as itself rather than crashing a report.

Swedish follows Språkrådet's conventions: "e-post", decimal comma, a space before the unit.
"""

from __future__ import annotations

import math
from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # the report itself
        "report.title": "Contact audit",
        "report.title_site": "Contact audit: {site}",
        "report.subtitle": "How hard is it to reach a human?",
        "report.skip": "Skip to the results",
        "report.no_sites": "This document holds no site results.",
        "report.sites_count.one": "{count} site",
        "report.sites_count.other": "{count} sites",
        "report.contents": "Sites in this report",
        # overview of several sites
        "overview.title": "Overview",
        "overview.league": "League table",
        "overview.league_caption": "All sites, best score first. Select a column header to sort.",
        "overview.distribution": "Score distribution",
        "overview.distribution_desc": "Number of sites per grade.",
        "overview.filter": "Sector",
        "overview.filter_all": "All sectors",
        "overview.showing": "Showing {shown} of {total} sites",
        "overview.sort_by": "Sort by {column}",
        # columns
        "col.site": "Site",
        "col.device": "Device",
        "col.sector": "Sector",
        "col.status": "Status",
        "col.score": "Score",
        "col.grade": "Grade",
        "col.findings": "Findings",
        "col.worst_finding": "Worst finding",
        "col.clicks": "Clicks",
        "col.seconds": "Measured time",
        "col.human_seconds": "Estimated time for a person",
        "col.values": "Found",
        "col.vendor": "Chat vendor",
        "col.kind": "Chat kind",
        "col.path": "How to get there",
        "col.evidence": "Evidence",
        "col.screenshot": "Screenshot",
        "col.selector": "Element",
        "col.url": "Address",
        "col.pages_visited": "Pages visited",
        "col.duration": "Audit time",
        "col.region": "Region",
        "col.final_url": "Final address",
        "col.limits_hit": "Limits reached",
        "col.generated_at": "Generated",
        "col.tool": "Tool",
        "col.profile": "Scoring profile",
        "col.key": "Item",
        "col.value": "Value",
        # a site
        "site.glance": "At a glance",
        "site.channels": "Contact channels",
        "site.findings": "Findings",
        "site.no_findings": "No findings.",
        "site.visit": "About this visit",
        "site.score_of": "{score} of 100",
        "site.grade_badge": "Grade {grade}",
        "site.not_scored": "not scored",
        "site.not_scored_title": "Not scored",
        "site.not_scored_why": "The audit could not run, so this site has no score.",
        "site.partial_note": "Some pages failed to load; the score is based on the pages that did.",
        "site.failed_pages": "Pages that failed",
        "site.channels_found": "{found} of {total} channels found",
        "site.machine_readable": "Machine-readable contact points (JSON-LD)",
        "site.error": "What went wrong",
        "site.start": "Start page",
        "site.on_start_page": "On the start page, no clicks needed.",
        "site.new_tab": "opens a new tab",
        "site.screenshot_alt": "Screenshot where {channel} was found",
        "site.open_screenshot": "Open the full-size screenshot",
        "site.recommendation": "Recommendation",
        "site.rules": "Rules and standards",
        "site.finding_id": "Finding id",
        # channels
        "channel.phone": "Phone",
        "channel.email": "E-mail",
        "channel.chat": "Chat",
        "channel.form": "Contact form",
        "found": "Found",
        "not_found": "not found",
        "not_found_title": "Not found",
        "unknown": "unknown",
        "none": "none",
        "yes": "yes",
        "no": "no",
        "clicks.one": "{count} click",
        "clicks.other": "{count} clicks",
        "seconds": "{value} s",
        # statuses
        "status.ok": "OK",
        "status.partial": "Partial",
        "status.error": "Error",
        # severities
        "severity.critical": "Critical",
        "severity.high": "High",
        "severity.medium": "Medium",
        "severity.low": "Low",
        "severity.info": "Info",
        # error kinds (spec section 5)
        "error.dns": "The address does not resolve (DNS)",
        "error.connection": "The connection was refused or dropped",
        "error.timeout": "The site did not answer in time",
        "error.http_error": "The start page answered with an HTTP error",
        "error.bot_protection": "Bot protection blocked the visit",
        "error.robots_disallowed": "robots.txt forbids the start page",
        "error.not_html": "The start page is not a web page",
        "error.browser": "The browser itself failed",
        "error.worker_lost": "The worker auditing the site stopped before it finished",
        # path step actions (spec section 2)
        "action.click": "Click",
        "action.open_menu": "Open menu",
        "action.expand": "Expand",
        "action.open_dialog": "Open dialog",
        # chat kinds
        "chat_kind.human": "people",
        "chat_kind.bot": "bot",
        "chat_kind.unknown": "unknown",
        # phone number types (libphonenumber PhoneNumberType names)
        "number_type.FIXED_LINE": "landline",
        "number_type.MOBILE": "mobile",
        "number_type.FIXED_LINE_OR_MOBILE": "landline or mobile",
        "number_type.TOLL_FREE": "free to call",
        "number_type.PREMIUM_RATE": "premium rate",
        "number_type.SHARED_COST": "shared cost",
        "number_type.VOIP": "internet telephony",
        "number_type.PERSONAL_NUMBER": "personal number",
        "number_type.PAGER": "pager",
        "number_type.UAN": "company number",
        "number_type.VOICEMAIL": "voicemail",
        "number_type.SHORT": "short number",
        "number_type.UNKNOWN": "unknown type",
        # consent
        "consent.title": "Cookie consent",
        "consent.present": "Consent dialog shown",
        "consent.blocking": "Dialog blocked the page",
        "consent.answer": "Answered with",
        "consent.platform": "Consent platform",
        "consent.hosts": "Answered on",
        "consent.answer.reject": "reject (only necessary cookies)",
        "consent.answer.accept": "accept",
        "consent.answer.none": "not answered",
        "consent.not_counted": "Answering the dialog is not counted as a click.",
        # devices
        "device.desktop": "desktop",
        "device.mobile": "mobile",
        # the scoring profile
        "profile.title": "Scoring profile: {name}",
        "profile.title_unnamed": "Scoring profile",
        "profile.none": "The document does not say which scoring profile was used.",
        "profile.channels": "Channel weights",
        "profile.clicks": "Click credits",
        "profile.penalties": "Finding penalties",
        "profile.grades": "Grade bands",
        "profile.head.channel": "Channel",
        "profile.head.weight": "Weight",
        "profile.head.clicks": "Clicks",
        "profile.head.credit": "Share of the weight",
        "profile.head.finding": "Finding",
        "profile.head.penalty": "Penalty",
        "profile.head.grade": "Grade",
        "profile.head.band": "Lowest score",
        "profile.head.constant": "Constant",
        "profile.head.seconds": "Seconds",
        "profile.human_time": "Time estimate for a person",
        "profile.description": "Description",
        "profile.source": "Read from",
        "profile.defaults_from": "Defaults from",
        "report.worst_findings": "Worst findings",
        "report.more": "… and {count} more",
        "footer.about": "About this report",
        "footer.devices": "Device profiles",
        "footer.tool": "{name} {version}",
        # added for the report layout: overview figures, cards, comparisons, evidence
        "report.measured": "Measured in a real browser, the way a customer looks for contact details.",
        "overview.scorecards": "Sites at a glance",
        "kpi.sites": "Sites audited",
        "kpi.not_audited.one": "{count} could not be audited",
        "kpi.not_audited.other": "{count} could not be audited",
        "kpi.average": "Average score",
        "kpi.range": "lowest {low}, highest {high}",
        "kpi.of": "{part} of {whole}",
        "kpi.channels": "Contact channels found",
        "kpi.channels_note": "phone, e-mail, chat and form on each audited site",
        "kpi.serious": "Serious findings",
        "kpi.serious_note": "high or critical severity",
        "card.not_found": "{channel} was not found.",
        "card.not_found_pages.one": "Not found on the page visited.",
        "card.not_found_pages.other": "Not found on any of the {count} pages visited.",
        "site.step_screenshot_alt": "Screenshot after step {n}",
        "site.severity_count": "{severity}: {count}",
        "site.found_here": "Found here",
        "site.compare_link": "Desktop and mobile compared",
        "compare.title": "{site}: desktop and mobile compared",
        "compare.channel": "{channel}: {desktop} on {desktop_device}, {mobile} on {mobile_device}",
        "compare.score": "Score: {desktop} on {desktop_device}, {mobile} on {mobile_device}",
        "compare.finding_only": "Only on {device}: {finding}",
        "compare.differences": "Differences",
        "compare.same": "No differences: both devices reach every channel with the same number of clicks.",
        "compare.details": "Details",
        "col.page": "Page",
        "quoted": "“{text}”",
        "help.where": "Where “{mechanism}” is",
        "help.where_any": "Where the help is",
        "help.pages_compared": "Pages compared",
        "help.not_judged": "–: sampled, but not judged for this mechanism (a page need not link to itself).",
        "help_problem.moved": "moved to another part of the page",
        "help_problem.reordered": "in a different order",
        "help_problem.missing": "missing on some pages",
        "help_position.top": "at the top (header)",
        "help_position.main": "in the main content",
        "help_position.bottom": "at the bottom (footer)",
        "help_position.floating": "floating",
        "help_position.absent": "not on the page",
        "evidence.url": "Page",
        "evidence.text": "Text on the page",
        "evidence.number": "Number",
        "evidence.pages_visited": "Pages visited",
        "evidence.only": "Only channel",
        "evidence.path": "Path",
        "evidence.vendor": "Chat vendor",
        "evidence.host": "Host",
        "evidence.platform": "Consent platform",
        "evidence.answer": "Answered with",
        "evidence.contact_points": "Contact points",
        "evidence.mechanism": "Help mechanism",
        "evidence.problem": "Problem",
        "evidence.selector": "Element",
        "footer.notice": (
            "This report points at risks in how a website presents its contact channels. "
            "It is not legal advice: whether a site meets a rule is for the competent "
            "authority or court to decide."
        ),
    },
    "sv": {
        "report.title": "Kontaktgranskning",
        "report.title_site": "Kontaktgranskning: {site}",
        "report.subtitle": "Hur svårt är det att nå en människa?",
        "report.skip": "Hoppa till resultaten",
        "report.no_sites": "Dokumentet innehåller inga webbplatsresultat.",
        "report.sites_count.one": "{count} webbplats",
        "report.sites_count.other": "{count} webbplatser",
        "report.contents": "Webbplatser i rapporten",
        "overview.title": "Översikt",
        "overview.league": "Topplista",
        "overview.league_caption": (
            "Alla webbplatser, högst poäng först. Välj en kolumnrubrik för att sortera."
        ),
        "overview.distribution": "Poängfördelning",
        "overview.distribution_desc": "Antal webbplatser per betyg.",
        "overview.filter": "Bransch",
        "overview.filter_all": "Alla branscher",
        "overview.showing": "Visar {shown} av {total} webbplatser",
        "overview.sort_by": "Sortera efter {column}",
        "col.site": "Webbplats",
        "col.device": "Enhet",
        "col.sector": "Bransch",
        "col.status": "Status",
        "col.score": "Poäng",
        "col.grade": "Betyg",
        "col.findings": "Anmärkningar",
        "col.worst_finding": "Allvarligaste anmärkning",
        "col.clicks": "Klick",
        "col.seconds": "Uppmätt tid",
        "col.human_seconds": "Uppskattad tid för en människa",
        "col.values": "Hittat",
        "col.vendor": "Chattleverantör",
        "col.kind": "Typ av chatt",
        "col.path": "Så kommer man dit",
        "col.evidence": "Belägg",
        "col.screenshot": "Skärmbild",
        "col.selector": "Element",
        "col.url": "Adress",
        "col.pages_visited": "Besökta sidor",
        "col.duration": "Granskningstid",
        "col.region": "Region",
        "col.final_url": "Slutlig adress",
        "col.limits_hit": "Nådda gränser",
        "col.generated_at": "Skapad",
        "col.tool": "Verktyg",
        "col.profile": "Poängprofil",
        "col.key": "Post",
        "col.value": "Värde",
        "site.glance": "I korthet",
        "site.channels": "Kontaktvägar",
        "site.findings": "Anmärkningar",
        "site.no_findings": "Inga anmärkningar.",
        "site.visit": "Om besöket",
        "site.score_of": "{score} av 100",
        "site.grade_badge": "Betyg {grade}",
        "site.not_scored": "inte poängsatt",
        "site.not_scored_title": "Inte poängsatt",
        "site.not_scored_why": "Granskningen kunde inte genomföras, så webbplatsen har ingen poäng.",
        "site.partial_note": (
            "Några sidor gick inte att läsa in; poängen bygger på de sidor som fungerade."
        ),
        "site.failed_pages": "Sidor som inte fungerade",
        "site.channels_found": "{found} av {total} kontaktvägar hittades",
        "site.machine_readable": "Maskinläsbara kontaktuppgifter (JSON-LD)",
        "site.error": "Vad som gick fel",
        "site.start": "Startsidan",
        "site.on_start_page": "På startsidan, inga klick behövs.",
        "site.new_tab": "öppnas i en ny flik",
        "site.screenshot_alt": "Skärmbild där {channel} hittades",
        "site.open_screenshot": "Öppna skärmbilden i full storlek",
        "site.recommendation": "Rekommendation",
        "site.rules": "Regler och standarder",
        "site.finding_id": "Anmärkningens id",
        "channel.phone": "Telefon",
        "channel.email": "E-post",
        "channel.chat": "Chatt",
        "channel.form": "Kontaktformulär",
        "found": "Hittades",
        "not_found": "hittades inte",
        "not_found_title": "Hittades inte",
        "unknown": "okänt",
        "none": "inga",
        "yes": "ja",
        "no": "nej",
        "clicks.one": "{count} klick",
        "clicks.other": "{count} klick",
        "seconds": "{value} s",
        "status.ok": "OK",
        "status.partial": "Delvis",
        "status.error": "Fel",
        "severity.critical": "Kritisk",
        "severity.high": "Hög",
        "severity.medium": "Medel",
        "severity.low": "Låg",
        "severity.info": "Info",
        "error.dns": "Adressen går inte att slå upp (DNS)",
        "error.connection": "Anslutningen nekades eller bröts",
        "error.timeout": "Webbplatsen svarade inte i tid",
        "error.http_error": "Startsidan svarade med ett HTTP-fel",
        "error.bot_protection": "Ett robotskydd stoppade besöket",
        "error.robots_disallowed": "robots.txt förbjuder startsidan",
        "error.not_html": "Startsidan är inte en webbsida",
        "error.browser": "Själva webbläsaren slutade fungera",
        "error.worker_lost": "Processen som granskade webbplatsen slutade innan den var klar",
        "action.click": "Klicka",
        "action.open_menu": "Öppna meny",
        "action.expand": "Fäll ut",
        "action.open_dialog": "Öppna dialog",
        "chat_kind.human": "människor",
        "chat_kind.bot": "chattbot",
        "chat_kind.unknown": "okänt",
        "number_type.FIXED_LINE": "fast telefon",
        "number_type.MOBILE": "mobil",
        "number_type.FIXED_LINE_OR_MOBILE": "fast telefon eller mobil",
        "number_type.TOLL_FREE": "avgiftsfritt",
        "number_type.PREMIUM_RATE": "betalnummer",
        "number_type.SHARED_COST": "delad kostnad",
        "number_type.VOIP": "internettelefoni",
        "number_type.PERSONAL_NUMBER": "personnummer (tjänst)",
        "number_type.PAGER": "personsökare",
        "number_type.UAN": "företagsnummer",
        "number_type.VOICEMAIL": "röstbrevlåda",
        "number_type.SHORT": "kortnummer",
        "number_type.UNKNOWN": "okänd typ",
        "consent.title": "Samtycke till kakor",
        "consent.present": "Samtyckesruta visades",
        "consent.blocking": "Rutan blockerade sidan",
        "consent.answer": "Besvarades med",
        "consent.platform": "Samtyckesplattform",
        "consent.hosts": "Besvarades på",
        "consent.answer.reject": "neka (endast nödvändiga kakor)",
        "consent.answer.accept": "godkänn",
        "consent.answer.none": "inte besvarad",
        "consent.not_counted": "Att svara i rutan räknas inte som ett klick.",
        "device.desktop": "dator",
        "device.mobile": "mobil",
        "profile.title": "Poängprofil: {name}",
        "profile.title_unnamed": "Poängprofil",
        "profile.none": "Dokumentet anger inte vilken poängprofil som användes.",
        "profile.channels": "Vikt per kontaktväg",
        "profile.clicks": "Poäng per antal klick",
        "profile.penalties": "Avdrag per anmärkning",
        "profile.grades": "Betygsgränser",
        "profile.head.channel": "Kontaktväg",
        "profile.head.weight": "Vikt",
        "profile.head.clicks": "Klick",
        "profile.head.credit": "Andel av vikten",
        "profile.head.finding": "Anmärkning",
        "profile.head.penalty": "Avdrag",
        "profile.head.grade": "Betyg",
        "profile.head.band": "Lägsta poäng",
        "profile.head.constant": "Konstant",
        "profile.head.seconds": "Sekunder",
        "profile.human_time": "Tidsuppskattning för en människa",
        "profile.description": "Beskrivning",
        "profile.source": "Läst från",
        "profile.defaults_from": "Standardvärden från",
        "report.worst_findings": "Allvarligaste anmärkningarna",
        "report.more": "… och {count} till",
        "footer.about": "Om rapporten",
        "footer.devices": "Enhetsprofiler",
        "footer.tool": "{name} {version}",
        "report.measured": "Uppmätt i en riktig webbläsare, så som en kund letar efter kontaktuppgifter.",
        "overview.scorecards": "Webbplatserna i korthet",
        "kpi.sites": "Granskade webbplatser",
        "kpi.not_audited.one": "{count} kunde inte granskas",
        "kpi.not_audited.other": "{count} kunde inte granskas",
        "kpi.average": "Medelpoäng",
        "kpi.range": "lägst {low}, högst {high}",
        "kpi.of": "{part} av {whole}",
        "kpi.channels": "Hittade kontaktvägar",
        "kpi.channels_note": "telefon, e-post, chatt och formulär på varje granskad webbplats",
        "kpi.serious": "Allvarliga anmärkningar",
        "kpi.serious_note": "hög eller kritisk allvarlighetsgrad",
        "card.not_found": "{channel} hittades inte.",
        "card.not_found_pages.one": "Hittades inte på den besökta sidan.",
        "card.not_found_pages.other": "Hittades inte på någon av de {count} besökta sidorna.",
        "site.step_screenshot_alt": "Skärmbild efter steg {n}",
        "site.severity_count": "{severity}: {count}",
        "site.found_here": "Hittades här",
        "site.compare_link": "Dator och mobil jämförda",
        "compare.title": "{site}: dator och mobil jämförda",
        "compare.channel": "{channel}: {desktop} på {desktop_device}, {mobile} på {mobile_device}",
        "compare.score": "Poäng: {desktop} på {desktop_device}, {mobile} på {mobile_device}",
        "compare.finding_only": "Bara på {device}: {finding}",
        "compare.differences": "Skillnader",
        "compare.same": "Inga skillnader: båda enheterna når varje kontaktväg med lika många klick.",
        "compare.details": "Detaljer",
        "col.page": "Sida",
        "quoted": "”{text}”",
        "help.where": "Var ”{mechanism}” finns",
        "help.where_any": "Var hjälpen finns",
        "help.pages_compared": "Jämförda sidor",
        "help.not_judged": "–: med i urvalet men inte bedömd för den här funktionen (en sida behöver inte länka till sig själv).",
        "help_problem.moved": "flyttad till en annan del av sidan",
        "help_problem.reordered": "i en annan ordning",
        "help_problem.missing": "saknas på några sidor",
        "help_position.top": "överst (sidhuvudet)",
        "help_position.main": "i huvudinnehållet",
        "help_position.bottom": "nederst (sidfoten)",
        "help_position.floating": "flytande",
        "help_position.absent": "finns inte på sidan",
        "evidence.url": "Sida",
        "evidence.text": "Text på sidan",
        "evidence.number": "Nummer",
        "evidence.pages_visited": "Besökta sidor",
        "evidence.only": "Enda kontaktväg",
        "evidence.path": "Väg",
        "evidence.vendor": "Chattleverantör",
        "evidence.host": "Värd",
        "evidence.platform": "Samtyckesplattform",
        "evidence.answer": "Besvarades med",
        "evidence.contact_points": "Kontaktuppgifter",
        "evidence.mechanism": "Hjälpfunktion",
        "evidence.problem": "Problem",
        "evidence.selector": "Element",
        "footer.notice": (
            "Rapporten pekar på risker i hur en webbplats visar sina kontaktvägar. Den är "
            "inte juridisk rådgivning: om en webbplats uppfyller en regel avgör behörig "
            "myndighet eller domstol."
        ),
    },
}

DEFAULT_LANG = "en"


def _template(lang: str, key: str) -> str:
    table = WORDS.get(lang) or WORDS[DEFAULT_LANG]
    if key in table:
        return table[key]
    return WORDS[DEFAULT_LANG].get(key, key)


def t(lang: str, key: str, **kw: Any) -> str:
    """The report text `key` in `lang`, with `kw` filled in.

    With `count=`, the `.one` form is used for 1 and the `.other` form otherwise, when the
    key has them. Values are inserted as given: callers escape for their format afterwards.
    """
    if "count" in kw:
        form = "one" if kw["count"] == 1 else "other"
        plural_key = f"{key}.{form}"
        if plural_key in WORDS.get(lang, {}) or plural_key in WORDS[DEFAULT_LANG]:
            key = plural_key
    template = _template(lang, key)
    if not kw:
        return template
    try:
        return template.format(**kw)
    except (KeyError, IndexError, ValueError):
        return template


def term(lang: str, family: str, value: Any) -> str:
    """The words for a document value of a family (`term("sv", "channel", "phone")` is
    "Telefon"); the value itself, as text, when the table has no entry for it."""
    key = f"{family}.{value}"
    if key in WORDS.get(lang, {}) or key in WORDS[DEFAULT_LANG]:
        return t(lang, key)
    return "" if value is None else str(value)


def number(lang: str, value: Any, digits: int = 1) -> str:
    """A number for people: `digits` decimals, trailing zeros dropped; decimal comma in sv."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return t(lang, "unknown")
    if isinstance(value, int):
        text = str(value)
    else:
        text = f"{value:.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0":
            text = "0"
    return text.replace(".", ",") if lang == "sv" else text


def seconds(lang: str, value: Any) -> str:
    """Seconds for people ("1.9 s", "1,9 s"), or "" when unmeasured."""
    if value is None:
        return ""
    return t(lang, "seconds", value=number(lang, value))


def clicks(lang: str, value: Any) -> str:
    """Clicks for people ("1 click", "2 klick"), or "" when unmeasured."""
    if value is None or isinstance(value, bool):
        return ""
    return t(lang, "clicks", count=value)
