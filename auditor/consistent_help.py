"""WCAG 2.2 Success Criterion 3.2.6 Consistent Help (Level A), as far as a visitor can see.

SC 3.2.6: if a page contains a help mechanism (human contact details, a human contact
mechanism, a self-help option, a fully automated contact mechanism) and it is repeated on
several pages of a set, it occurs *in the same order relative to other page content*.
https://www.w3.org/TR/WCAG22/#consistent-help

How it is read here, per sampled page (its first state: no clicks, consent answered):

- mechanisms: contact links ("Kontakta oss", "Kundservice"), self-help links ("Hjälp",
  "Vanliga frågor"), phone numbers and e-mail addresses shown as text or tel:/mailto:
  links, chat launchers (human or bot). A link is identified by where it leads, a detail
  by its value, so the same mechanism is recognised on every template.
- position: which band of the page holds it, relative to the main content: `top` (header,
  navigation, anything above the main content), `main`, `bottom` (footer, anything below
  it); floating widgets (chat bubbles) have no order and are only checked for presence.

A mechanism that is repeated on two or more pages is inconsistent when its band differs
between pages, or when two repeated mechanisms swap order. This project also reports,
as the issue that asked for this check requires, a mechanism of the shared header/footer
that is missing on one sampled page while present on most (WCAG itself allows that): the
evidence says which kind it is. A page never has to link to itself, so the contact link is
not expected on the contact page.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.page_state import PageState
from auditor.scope import normalise
from checks import DetectContext
from checks import chat as chat_check
from checks import email as email_check
from checks import phone as phone_check
from checks.contact_words import matches

#: Fewest pages worth comparing; the search's own pages are topped up to this many.
MIN_PAGES = 4


@dataclass(frozen=True)
class HelpMechanism:
    kind: str  # contact_details | contact_mechanism | self_help | automated
    ident: str
    label: str
    band: str  # top | main | bottom | floating
    order: int  # order within the page (document order of links, then y)


@dataclass(frozen=True)
class Inconsistency:
    ident: str
    label: str
    problem: str  # "moved" | "reordered" | "missing"
    pages: tuple[tuple[str, str], ...]  # (url, band or "absent")


def _bands(state: PageState):
    main_ys = [b.y for b in state.blocks if b.region == "main"]
    top_of_main = min(main_ys) if main_ys else None
    bottom_of_main = max(main_ys) if main_ys else None

    def band(region: str, y: float) -> str:
        if region in ("header", "nav"):
            return "top"
        if region == "footer":
            return "bottom"
        if region in ("main", "aside"):
            return "main"
        if top_of_main is not None and y < top_of_main:
            return "top"
        if bottom_of_main is not None and y > bottom_of_main:
            return "bottom"
        return "main"

    return band


def mechanisms(state: PageState, ctx: DetectContext) -> list[HelpMechanism]:
    """Every occurrence of a help mechanism on the page (one per band it stands in)."""
    band = _bands(state)
    here = normalise(state.url)
    found: dict[tuple[str, str], HelpMechanism] = {}
    order = 0
    for link in state.links:
        order += 1
        if link.href.startswith(("tel:", "mailto:")):
            continue
        kind = None
        if matches("contact", link.text):
            kind = "contact_mechanism"
        elif matches("help", link.text) or matches("faq", link.text):
            kind = "self_help"
        if kind is None:
            continue
        target = normalise(link.href)
        if target == here:
            continue
        m = HelpMechanism(kind, f"link:{target}", link.text, band(link.region, link.y), order)
        found.setdefault((m.ident, m.band), m)
    by_key = {b.key: b for b in state.blocks} | {lk.key: lk for lk in state.links}
    for detect in (phone_check.detect, email_check.detect):
        for hit in detect(state, ctx):
            el = by_key.get(hit.key)
            if el is None:
                continue
            m = HelpMechanism("contact_details", f"{hit.channel}:{hit.value}", hit.text,
                              band(el.region, el.y), 10_000 + int(el.y))
            found.setdefault((m.ident, m.band), m)
    for hit in chat_check.detect(state, ctx):
        kind = "automated" if hit.meta.get("kind") == "bot" else "contact_mechanism"
        m = HelpMechanism(kind, f"chat:{hit.meta.get('vendor') or 'inhouse'}", hit.text or "chat", "floating", 99_999)
        found.setdefault((m.ident, m.band), m)
    return sorted(found.values(), key=lambda m: m.order)


def compare(pages: list[tuple[str, list[HelpMechanism]]]) -> list[Inconsistency]:
    """Inconsistencies among the sampled pages' help mechanisms. Pages are compared within
    the start page's host: a help centre on another host is another set of pages."""
    if len(pages) < 2:
        return []
    where: dict[str, dict[str, list[HelpMechanism]]] = {}
    for url, mechs in pages:
        for m in mechs:
            where.setdefault(m.ident, {}).setdefault(url, []).append(m)
    out: list[Inconsistency] = []
    repeated = {i: per for i, per in where.items() if len(per) >= 2}
    for ident, per in repeated.items():
        label = next(iter(per.values()))[0].label
        band_sets = {u: {m.band for m in ms} - {"floating"} for u, ms in per.items()}
        urls = [u for u in band_sets if band_sets[u]]
        disjoint = any(not (band_sets[a] & band_sets[b]) for i, a in enumerate(urls) for b in urls[i + 1:])
        if disjoint:
            out.append(Inconsistency(ident, label, "moved",
                                     tuple((u, "+".join(sorted(band_sets[u]))) for u in urls)))
            continue
        # present in the shared header/footer of nearly every page, absent on one
        chrome = all(b <= {"top", "bottom"} for b in band_sets.values() if b)
        if chrome and urls and len(per) >= 3 and len(per) * 4 >= len(pages) * 3:
            target = ident.split(":", 1)[1] if ident.startswith("link:") else None
            absent = [u for u, _ in pages if u not in per and normalise(u) != target]
            if absent:
                out.append(Inconsistency(
                    ident, label, "missing",
                    tuple((u, "+".join(sorted(band_sets[u])) if u in per else "absent") for u, _ in pages),
                ))
    # two repeated mechanisms that swap order within one band between pages
    idents = sorted(repeated)
    flagged = {x.ident for x in out}
    for i, a in enumerate(idents):
        for b in idents[i + 1:]:
            if a in flagged or b in flagged:
                continue
            orders = set()
            common = []
            for u in repeated[a]:
                if u not in repeated[b]:
                    continue
                for ma in repeated[a][u]:
                    for mb in repeated[b][u]:
                        if ma.band == mb.band != "floating":
                            orders.add(ma.order < mb.order)
                            common.append((u, ma.band))
            if len(orders) > 1:
                out.append(Inconsistency(a, next(iter(repeated[a].values()))[0].label, "reordered", tuple(common)))
                flagged.add(a)
    return out
