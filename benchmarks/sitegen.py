"""Deterministic generator of fictional Swedish company websites for the benchmark.

`generate(n, out_dir, seed)` writes `n` sites, one folder each (`site-000`, `site-001`,
...), plus `truth.json`: per site the expected result on the `desktop` profile (found,
clicks and values per channel), the page list and the features that were drawn. Every
folder is meant to be served by its own `auditor.demo.server.SiteServer` (each gets its
own port, so each is its own site for the auditor).

What a site looks like (the patterns of `shared/corpus/` and `tests/fixtures/sites/`):

* 10-25 pages: start page, 2-3 category pages with product/service pages that link to
  each other ("Relaterat"), optionally a news section with articles, "Om oss" with a
  jobs page, an FAQ page with accordions, privacy and cookie pages, the contact page and
  sometimes a separate form page; a header nav, a footer with address, org.nr (a trap)
  and legal links, a newsletter form (a decoy form) on some sites.
* a cookie banner on most sites: a non-blocking bar ("Endast nödvändiga"/"Godkänn alla"),
  a blocking wall with the same buttons, or a banner with only "Godkänn alla" and
  "Inställningar" (whose panel has "Spara mina val"); the answer is kept in a cookie.
* the way to the contact page: a footer link, a visible nav link, a hover dropdown, a
  hamburger (`button aria-expanded=false aria-controls=...`), only from "Om oss", or only
  from the FAQ page ("Hittade du inte svaret?").
* contact details at different depths: phone in the footer, on the contact page, behind
  "Visa telefonnummer" or in a closed `<details>`; e-mail in the footer, on the contact
  page, in an accordion on the contact or FAQ page; a contact form on the contact page or
  one link further; chat launchers injected 1-4 s after load on every page (a tawk-like
  `iframe.tawk-min-container` with `window.Tawk_API`, or an in-house "Chatta med oss"
  button) or only on the contact page; any channel may be absent.
* noise: deferred tags (a `setTimeout` beacon), a carousel (`setInterval`), server
  latency and a slow contact page through `_server.json`, hidden and commented-out old
  numbers, org.nr, bankgiro, prices, postcodes, JSON-LD.

Ground truth is not written by hand: while a page is rendered, every link and every
channel occurrence is registered with its in-page cost (0 visible or behind a free hover,
1 behind a hamburger, accordion, `<details>` or reveal button), and the clicks are the
shortest paths over that graph (a link costs its in-page cost plus one).
"""

from __future__ import annotations

import heapq
import html
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

TRUTH_FILE = "truth.json"
TRUTH_SCHEMA = "contact-auditor-bench-truth/1"
CHANNELS = ("phone", "email", "chat", "form")

# -- what is drawn, with weights ------------------------------------------------------
CONTACT_LINK = {"footer": 25, "nav": 20, "hover": 20, "hamburger": 15, "about": 10, "faq": 10}
PHONE = {"footer": 30, "contact": 30, "reveal": 15, "details": 10, None: 15}
EMAIL = {"footer": 20, "contact": 35, "accordion": 10, "faq_accordion": 10, None: 25}
FORM = {"contact": 45, "form_page": 25, None: 30}
CHAT = {"tawk_all": 25, "inhouse_all": 20, "inhouse_contact": 15, None: 40}
CONSENT = {"bar": 35, "wall": 25, "settings": 20, None: 20}

SECTORS: dict[str, dict[str, Any]] = {
    "vvs": {
        "names": ["Rörkraft", "VVS-Kompaniet", "Vattenvägen", "Rörläggarna"],
        "tagline": "VVS och rörjour",
        "cats": {
            "tjanster": ("Tjänster", ["Badrumsrenovering", "Byte av blandare", "Värmepumpar",
                                      "Stambyte", "Avloppsspolning", "Golvvärme", "Rörjour"]),
            "produkter": ("Produkter", ["Varmvattenberedare", "Duschväggar", "Handdukstorkar",
                                        "Köksblandare", "Vattenfilter"]),
            "offert": ("Offert och priser", ["Fast pris badrum", "ROT-avdrag", "Serviceavtal"]),
        },
        "news": ["Så undviker du frusna rör", "Nytt kontor i Borås", "Vi är nu certifierade för Säker Vatten",
                 "Tips inför vårens renovering", "Priserna på värmepumpar"],
    },
    "el": {
        "names": ["Elkraft", "Lysande El", "Strömstad El", "Norrsken Energi"],
        "tagline": "el och energi",
        "cats": {
            "elavtal": ("Elavtal", ["Rörligt pris", "Fast pris 1 år", "Fast pris 3 år", "Timpris",
                                    "Grön el", "Företagsavtal"]),
            "solceller": ("Solceller", ["Solpaket villa", "Batterilager", "Laddbox", "Mikroproduktion"]),
            "energiradgivning": ("Energirådgivning", ["Spara energi", "Elbilsladdning", "Energideklaration"]),
        },
        "news": ["Elpriset i vinter", "Nya laddboxar i sortimentet", "Så läser du din elräkning",
                 "Vi bygger solpark i Härjedalen", "Effektavgiften förklarad"],
    },
    "bokhandel": {
        "names": ["Bokhörnan", "Pappersbruket", "Läslust", "Bokkällaren"],
        "tagline": "böcker och papper",
        "cats": {
            "bocker": ("Böcker", ["Skönlitteratur", "Deckare", "Barnböcker", "Fackböcker",
                                  "Kokböcker", "Ljudböcker", "Pocket"]),
            "papper": ("Papper och kontor", ["Anteckningsböcker", "Pennor", "Kalendrar", "Kort"]),
            "evenemang": ("Evenemang", ["Författarkväll", "Bokcirkel", "Barnens lästimme"]),
        },
        "news": ["Årets julklappsböcker", "Höstens författarbesök", "Vi öppnar i Visby",
                 "Topplistan i mars", "Bokrea – så fungerar det"],
    },
    "tandvard": {
        "names": ["Tandkliniken Leendet", "Friskvik Tandvård", "Tandhuset", "Emaljen"],
        "tagline": "tandvård för hela familjen",
        "cats": {
            "behandlingar": ("Behandlingar", ["Undersökning", "Tandblekning", "Implantat",
                                              "Tandreglering", "Akut tandvård", "Fasader"]),
            "priser": ("Priser", ["Prislista", "Frisktandvård", "Högkostnadsskydd"]),
        },
        "news": ["Nya öppettider i sommar", "Vi välkomnar en ny tandhygienist", "Fluor – hur ofta?",
                 "Så borstar barn bäst", "Frisktandvård för 195 kr/mån"],
    },
    "bilverkstad": {
        "names": ["Motorverkstan", "Bilkliniken", "Däckmästarna", "Växellådan"],
        "tagline": "bilservice och däck",
        "cats": {
            "service": ("Service", ["Årsservice", "Bromsar", "AC-service", "Kamremsbyte",
                                    "Felsökning", "Hjulinställning"]),
            "dack": ("Däck", ["Sommardäck", "Vinterdäck", "Däckhotell", "Fälgar"]),
            "boka": ("Boka tid", ["Onlinebokning", "Lånebil", "Hämta och lämna"]),
        },
        "news": ["Dags för vinterdäck", "Ny verkstad i Kungälv", "Så länge håller kamremmen",
                 "Elbilsservice hos oss", "Priser på däckhotell 2026"],
    },
    "bostad": {
        "names": ["Ljusgården Bostäder", "Hemvist", "Kvarteret Fastigheter", "Trähusen"],
        "tagline": "hyresrätter och lokaler",
        "cats": {
            "lediga": ("Lediga lägenheter", ["Haga", "Ålidhem", "Teg", "Centrum", "Mariehem",
                                             "Västerslätt"]),
            "lokaler": ("Lokaler", ["Kontor", "Butik", "Lager"]),
            "boende": ("Att bo hos oss", ["Felanmälan", "Tvättstuga", "Parkering", "Renovering"]),
        },
        "news": ["Stambytet på Kungsgatan klart", "Nya lägenheter på Teg", "Hyresförhandlingen 2026",
                 "Sopsortering i kvarteret", "Grillplatser i sommar"],
    },
    "cykel": {
        "names": ["Cykelverkstan", "Trampkraft", "Kedjan", "Ekerverket"],
        "tagline": "cyklar och service",
        "cats": {
            "cyklar": ("Cyklar", ["Elcyklar", "Stadscyklar", "Barncyklar", "Lådcyklar",
                                  "Mountainbike", "Racercyklar"]),
            "verkstad": ("Verkstad", ["Vårservice", "Punktering", "Växeljustering", "Hjulbygge"]),
            "tillbehor": ("Tillbehör", ["Hjälmar", "Lås", "Belysning", "Cykelväskor"]),
        },
        "news": ["Vårservice från 595 kr", "Nyinkomna elcyklar", "Så låser du cykeln rätt",
                 "Provkör lådcykel i helgen", "Vi flyttar till Ågatan"],
    },
    "kaffe": {
        "names": ["Rosteriet", "Bönan & Co", "Kaffekvarnen", "Mörkrost"],
        "tagline": "kafferosteri",
        "cats": {
            "kaffe": ("Kaffe", ["Mellanrost", "Mörkrost", "Espresso", "Koffeinfritt",
                                "Etiopien Yirgacheffe", "Colombia Huila"]),
            "utrustning": ("Utrustning", ["Kaffekvarnar", "Bryggare", "Espressomaskiner", "Termosar"]),
            "foretag": ("För företag", ["Kontorskaffe", "Kaffeprovning", "Grossist"]),
        },
        "news": ["Årets skörd från Kenya", "Så brygger du perfekt filterkaffe", "Nytt café i Uppsala",
                 "Vi blir KRAV-certifierade", "Julkaffet är här"],
    },
}

CITIES = [
    ("Stockholm", "08", "111 22"), ("Göteborg", "031", "411 05"), ("Malmö", "040", "211 20"),
    ("Umeå", "090", "903 26"), ("Linköping", "013", "582 22"), ("Uppsala", "018", "753 20"),
    ("Västerås", "021", "722 19"), ("Sundsvall", "060", "852 30"), ("Örebro", "019", "702 10"),
]
STREETS = ["Storgatan", "Industrivägen", "Kungsgatan", "Ågatan", "Tallbacken", "Lundavägen",
           "Hamngatan", "Järnvägsgatan"]
FAQ_GENERIC = [
    ("Hur lång är leveranstiden?", "Normalt två till fem arbetsdagar. Under högsäsong kan det ta upp till en vecka."),
    ("Kan jag betala med faktura?", "Ja, vi erbjuder faktura med 30 dagars betalningsvillkor för privatpersoner."),
    ("Hur gör jag en reklamation?", "Spara kvittot och beskriv felet. Reklamationer hanteras inom 14 dagar."),
    ("Har ni öppet på helger?", "Vi har öppet lördagar 10–14. Söndagar håller vi stängt."),
    ("Erbjuder ni RUT- eller ROT-avdrag?", "Ja, avdraget dras direkt på fakturan när du anger ditt personnummer."),
    ("Hur avbokar jag?", "Avbokning ska ske senast 24 timmar innan. Annars debiteras en avgift på 300 kr."),
    ("Var hittar jag mina fakturor?", "Alla fakturor finns under Mina sidor, där du också kan ändra adress."),
]


@dataclass
class SiteSpec:
    """What was drawn for one site (written to the ground truth as `features`)."""

    id: str
    name: str
    slug: str
    sector: str
    city: str
    contact_link: str
    phone: str | None
    email: str | None
    form: str | None
    chat: str | None
    chat_delay_ms: int
    consent: str | None
    n_pages: int
    phone_text: str
    phone_e164: str
    email_addr: str
    deferred_tag_ms: int | None
    carousel: bool
    newsletter: bool
    search_box: bool
    latency_ms: int
    slow_contact_ms: int
    hidden_old_number: bool
    jsonld: bool
    sitemap: bool
    palette: tuple[str, str]


@dataclass
class Page:
    path: str  # "/", "/kontakt/", ...
    title: str
    kind: str  # start | category | item | news | article | about | jobs | faq | contact | form | legal
    links: list[tuple[str, int]] = field(default_factory=list)  # (target path, in-page cost)
    hits: list[tuple[str, int, str]] = field(default_factory=list)  # (channel, in-page cost, value)
    html: str = ""


def _pick(rng: random.Random, table: dict) -> Any:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys], k=1)[0]


def _slugify(text: str) -> str:
    t = text.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("&", "och")):
        t = t.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def _phone(rng: random.Random, area: str) -> tuple[str, str]:
    """A libphonenumber-valid Swedish number as written on a site, and its E.164 form."""
    kind = rng.choice(["area", "area", "010", "0771"])
    for _ in range(200):
        if kind == "010":
            digits, text = "010" + "".join(rng.choice("123456789") for _ in range(7)), None
            text = f"010-{digits[3:6]} {digits[6:8]} {digits[8:]}"
        elif kind == "0771":
            digits = "0771" + "".join(rng.choice("123456789") for _ in range(6))
            text = f"0771-{digits[4:6]} {digits[6:8]} {digits[8:]}"
        elif area == "08":
            digits = "08" + rng.choice("567") + "".join(rng.choice("0123456789") for _ in range(6))
            text = f"08-{digits[2:5]} {digits[5:7]} {digits[7:]}"
        else:
            digits = area + rng.choice("12345678") + "".join(rng.choice("0123456789") for _ in range(5))
            text = f"{area}-{digits[len(area):len(area) + 2]} {digits[len(area) + 2:len(area) + 4]} {digits[len(area) + 4:]}"
        num = phonenumbers.parse(digits, "SE")
        if phonenumbers.is_valid_number(num):
            return text, phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    raise RuntimeError("no valid number drawn")  # pragma: no cover


def draw_spec(i: int, seed: int, pages_range: tuple[int, int] = (10, 25)) -> SiteSpec:
    rng = random.Random(f"contact-auditor-bench/{seed}/{i}")
    sector = rng.choice(sorted(SECTORS))
    sec = SECTORS[sector]
    city, area, _ = rng.choice(CITIES)
    base = rng.choice(sec["names"])
    name = base if rng.random() < 0.5 else f"{base} {city}"
    slug = _slugify(base) + f"-{i:03d}"
    phone_text, e164 = _phone(rng, area)
    mailbox = rng.choice(["kundservice", "info", "hej", "kontakt", "order"])
    contact_link = _pick(rng, CONTACT_LINK)
    chat = _pick(rng, CHAT)
    return SiteSpec(
        id=f"site-{i:03d}",
        name=name,
        slug=slug,
        sector=sector,
        city=city,
        contact_link=contact_link,
        phone=_pick(rng, PHONE),
        email=_pick(rng, EMAIL),
        form=_pick(rng, FORM),
        chat=chat,
        chat_delay_ms=rng.randrange(1000, 4001, 250),
        consent=_pick(rng, CONSENT),
        n_pages=rng.randint(*pages_range),
        phone_text=phone_text,
        phone_e164=e164,
        email_addr=f"{mailbox}@{slug}.test",
        deferred_tag_ms=rng.choice([None, None, None, None, 1500, 2500, 4000]),
        carousel=rng.random() < 0.3,
        newsletter=rng.random() < 0.5,
        search_box=rng.random() < 0.5,
        latency_ms=rng.choice([0, 0, 0, 30, 80, 150]),
        slow_contact_ms=rng.choice([0, 0, 0, 0, 1200]),
        hidden_old_number=rng.random() < 0.2,
        jsonld=rng.random() < 0.3,
        sitemap=rng.random() < 0.5,
        palette=rng.choice([("#0d3b66", "#eef4fa"), ("#35633a", "#f1f7f3"), ("#7a2e3b", "#fbf1f2"),
                            ("#3b3f8f", "#f0f1fb"), ("#8a5a00", "#fdf6e8"), ("#1f5f6b", "#eef7f8")]),
    )


# -- the site plan ------------------------------------------------------------------------
CONTACT_PATH = {"faq": "/kundservice/kontakt/"}
FAQ_PATH = {"faq": "/kundservice/"}


def plan_pages(spec: SiteSpec, rng: random.Random) -> dict[str, Page]:
    sec = SECTORS[spec.sector]
    contact = CONTACT_PATH.get(spec.contact_link, "/kontakt/")
    faq = FAQ_PATH.get(spec.contact_link, "/vanliga-fragor/")
    pages: dict[str, Page] = {}

    def add(path: str, title: str, kind: str) -> None:
        pages[path] = Page(path, title, kind)

    add("/", spec.name, "start")
    add("/om-oss/", "Om oss", "about")
    add("/om-oss/jobba-hos-oss/", "Jobba hos oss", "jobs")
    add(faq, "Kundservice" if spec.contact_link == "faq" else "Vanliga frågor", "faq")
    add(contact, "Kontakta oss", "contact")
    add("/integritetspolicy/", "Integritetspolicy", "legal")
    add("/cookies/", "Om kakor", "legal")
    if spec.form == "form_page":
        add(contact + "skriv-till-oss/", "Skriv till oss", "form")
    left = spec.n_pages - len(pages)
    cat_keys = list(sec["cats"])
    n_cats = min(len(cat_keys), 2 if left < 8 else 3)
    cats = rng.sample(cat_keys, n_cats)
    left -= n_cats
    n_articles = 0
    if left >= 5 and rng.random() < 0.7:
        n_articles = min(len(sec["news"]), max(1, left // 4))
        left -= 1 + n_articles
    per_cat = [0] * n_cats
    for j in range(max(0, left)):
        per_cat[j % n_cats] += 1
    for c, count in zip(cats, per_cat):
        title, items = sec["cats"][c]
        add(f"/{c}/", title, "category")
        for it in items[:count]:
            add(f"/{c}/{_slugify(it)}/", it, "item")
    # a category with more slots than items: the rest become articles
    short = sum(max(0, cnt - len(sec["cats"][c][1])) for c, cnt in zip(cats, per_cat))
    n_articles = min(len(sec["news"]), n_articles + short)
    if n_articles:
        # never more pages than drawn: the news index is a page too
        n_articles = min(n_articles, spec.n_pages - len(pages) - 1)
    if n_articles > 0:
        add("/nyheter/", "Nyheter", "news")
        for t in sec["news"][:n_articles]:
            add(f"/nyheter/{_slugify(t)}/", t, "article")
    return pages


# -- rendering ------------------------------------------------------------------------------
E = html.escape


class Renderer:
    def __init__(self, spec: SiteSpec, pages: dict[str, Page], rng: random.Random):
        self.s = spec
        self.pages = pages
        self.rng = rng
        self.contact = next(p for p in pages.values() if p.kind == "contact").path
        self.faq = next(p for p in pages.values() if p.kind == "faq").path
        self.cats = [p for p in pages.values() if p.kind == "category"]
        self.street = f"{rng.choice(STREETS)} {rng.randint(2, 88)}"
        self.city_row = next(c for c in CITIES if c[0] == spec.city)
        self.orgnr = f"556{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
        self.bankgiro = f"{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}"
        self.old_number = f"0{rng.randint(11, 99)}-{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"

    # helpers that register what a page shows
    def link(self, page: Page, href: str, text: str, cost: int, extra: str = "") -> str:
        page.links.append((href, cost))
        return f'<a href="{E(href)}"{extra}>{E(text)}</a>'

    def hit(self, page: Page, channel: str, cost: int, value: str = "") -> None:
        page.hits.append((channel, cost, value))

    # chrome
    def head(self, page: Page) -> str:
        s = self.s
        title = s.name if page.kind == "start" else f"{page.title} – {s.name}"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="sv-SE">',
            "<head>",
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
            '<link rel="icon" href="data:,">',
            f"<title>{E(title)}</title>",
            f'<meta name="description" content="{E(s.name)} – {E(SECTORS[s.sector]["tagline"])} i {E(s.city)}.">',
            '<link rel="stylesheet" href="/assets/site.css">',
        ]
        if s.jsonld and page.kind == "start":
            ld = {"@context": "https://schema.org", "@type": "Organization", "name": s.name,
                  "contactPoint": {"@type": "ContactPoint", "telephone": s.phone_e164,
                                   "contactType": "customer service"}}
            parts.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
        if self._chat_here(page) and s.chat == "tawk_all":
            parts.append(
                "<!--Start of chat widget script-->\n<script>\n"
                "var Tawk_API = Tawk_API || {}, Tawk_LoadStart = new Date();\n"
                f"Tawk_API.__lazyStartMs = {s.chat_delay_ms};\n"
                "(function () { var s1 = document.createElement('script'), s0 = document.getElementsByTagName('script')[0];\n"
                "  s1.async = true; s1.src = '/assets/tawk-widget.js'; s1.charset = 'UTF-8'; s0.parentNode.insertBefore(s1, s0); })();\n"
                "</script>\n<!--End of chat widget script-->"
            )
        parts.append("</head>")
        return "\n".join(parts)

    def _chat_here(self, page: Page) -> bool:
        c = self.s.chat
        return c in ("tawk_all", "inhouse_all") or (c == "inhouse_contact" and page.kind == "contact")

    def consent_banner(self) -> str:
        kind = self.s.consent
        if kind is None:
            return ""
        text = ("Vi använder kakor (cookies) för att webbplatsen ska fungera och, om du godkänner det, "
                "för statistik och marknadsföring.")
        more = '<a href="/cookies/">Läs mer om kakor</a>'  # not registered: a cookie link, in a dialog
        if kind == "bar":
            return (
                '<div id="kakbanner" class="cookie-bar" role="dialog" aria-label="Kakor" aria-live="polite">'
                f'<p>{text} {more}</p><div class="knappar">'
                '<button type="button" data-val="nodvandiga">Endast nödvändiga</button>'
                '<button type="button" data-val="alla" class="primar">Godkänn alla</button></div></div>'
            )
        if kind == "wall":
            return (
                '<div id="samtycke" class="consent-overlay"><div class="consent" role="dialog" aria-modal="true" '
                'aria-labelledby="samtycke-rubrik"><h2 id="samtycke-rubrik">Vi värnar om din integritet</h2>'
                f'<p>{text}</p><div class="knappar">'
                '<button type="button" data-val="nodvandiga">Endast nödvändiga</button>'
                '<button type="button" data-val="alla" class="primar">Godkänn alla</button></div></div></div>'
            )
        return (
            '<div id="cookieruta" class="cookie-bar" role="dialog" aria-label="Cookieinställningar">'
            f'<p>{text} {more}</p><div class="knappar">'
            '<button type="button" class="installningar" aria-expanded="false" aria-controls="cookieval">Inställningar</button>'
            '<button type="button" data-val="alla" class="primar">Godkänn alla</button></div>'
            '<div id="cookieval" hidden><fieldset><legend>Välj kakor</legend>'
            '<label><input type="checkbox" checked disabled> Nödvändiga</label> '
            '<label><input type="checkbox" name="statistik"> Statistik</label> '
            '<label><input type="checkbox" name="marknadsforing"> Marknadsföring</label></fieldset>'
            '<button type="button" data-val="urval">Spara mina val</button></div></div>'
        )

    def header(self, page: Page) -> str:
        s = self.s
        items: list[tuple[str, str]] = [(c.path, c.title) for c in self.cats]
        if "/nyheter/" in self.pages:
            items.append(("/nyheter/", "Nyheter"))
        items.append(("/om-oss/", "Om oss"))
        faq_label = "Kundservice" if s.contact_link == "faq" else "Vanliga frågor"
        search = ""
        if s.search_box:
            search = ('<form class="sok" role="search" action="/sok/"><label class="sr" for="q">Sök</label>'
                      '<input id="q" type="search" name="q" placeholder="Sök på sajten"><button type="submit">Sök</button></form>')
        logo = self.link(page, "/", s.name, 0, ' class="logo"')
        if s.contact_link == "hamburger":
            entries = items + [(self.faq, faq_label), (self.contact, "Kontakta oss")]
            links = "".join(self.link(page, h, t, 1) for h, t in entries)
            return (
                f'<header><div class="wrap bar">{logo}{search}'
                '<button class="menu-btn" type="button" aria-expanded="false" aria-controls="huvudmeny">'
                '<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" '
                'd="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z"/></svg>Meny</button>'
                f'<nav id="huvudmeny" class="drawer" aria-label="Huvudmeny" hidden>{links}</nav></div></header>'
            )
        lis = "".join(f"<li>{self.link(page, h, t, 0)}</li>" for h, t in items)
        if s.contact_link == "hover":
            drop = (f"<li>{self.link(page, self.faq, faq_label, 0)}</li>"
                    f"<li>{self.link(page, self.contact, 'Kontakta oss', 0)}</li>")
            lis += ('<li class="has-dropdown"><button type="button" aria-haspopup="true">Kundservice ▾</button>'
                    f'<ul class="dropdown">{drop}</ul></li>')
        else:
            lis += f"<li>{self.link(page, self.faq, faq_label, 0)}</li>"
            if s.contact_link == "nav":
                lis += f"<li>{self.link(page, self.contact, 'Kontakt', 0)}</li>"
        return (f'<header><div class="wrap bar">{logo}{search}'
                f'<nav aria-label="Huvudmeny"><ul class="nav">{lis}</ul></nav></div></header>')

    def footer(self, page: Page) -> str:
        s = self.s
        city, _, post = self.city_row
        col1 = [f"<strong>{E(s.name)} AB</strong>", f"{E(self.street)}, {post} {E(city)}"]
        if s.phone == "footer":
            col1.append(f'Telefon: <a href="tel:{s.phone_e164}">{E(s.phone_text)}</a>')
            self.hit(page, "phone", 0, s.phone_e164)
        if s.email == "footer":
            col1.append(f'E-post: <a href="mailto:{s.email_addr}">{E(s.email_addr)}</a>')
            self.hit(page, "email", 0, s.email_addr)
        col1.append(f"Org.nr {self.orgnr}")
        if self.rng.random() < 0.5 or page.kind == "start":
            col1.append(f"Bankgiro {self.bankgiro}")
        links = []
        if s.contact_link == "footer":
            links.append(self.link(page, self.contact, "Kontakta oss", 0))
        links.append(self.link(page, "/om-oss/jobba-hos-oss/", "Lediga jobb", 0))
        links.append(self.link(page, "/integritetspolicy/", "Integritetspolicy", 0))
        links.append(self.link(page, "/cookies/", "Kakor", 0))
        news = ""
        if s.newsletter:
            news = ('<form class="nyhetsbrev" action="/nyhetsbrev/" method="post"><label for="nb">Nyhetsbrev</label>'
                    '<input id="nb" type="email" name="epost" placeholder="din@epost.se">'
                    '<button type="submit">Prenumerera</button></form>')
        old = ""
        if s.hidden_old_number:
            old = f'<p class="gammal" style="display:none">Gamla växeln: {E(self.old_number)}</p>'
        comment = f"<!-- Fax: {self.old_number} (avvecklad) -->"
        return (
            f'<footer><div class="wrap cols"><div><p>{"<br>".join(col1)}</p>{old}{comment}</div>'
            f'<div><ul class="fotlankar">{"".join(f"<li>{x}</li>" for x in links)}</ul></div>'
            f'<div>{news}</div></div><div class="wrap copy">© 2026 {E(s.name)} AB</div></footer>'
        )

    def chat_script(self, page: Page) -> str:
        s = self.s
        if not self._chat_here(page):
            return ""
        self.hit(page, "chat", 0, "tawk" if s.chat == "tawk_all" else "")
        if s.chat == "tawk_all":
            return ""  # the loader is in <head>
        return (
            "<script>\n// The chat bubble is added late, when the page is idle.\n"
            "setTimeout(function () {\n"
            "  var b = document.createElement('button'); b.type = 'button'; b.className = 'chat-bubble';\n"
            "  b.innerHTML = '<svg aria-hidden=\"true\" width=\"20\" height=\"20\" viewBox=\"0 0 24 24\"><path fill=\"currentColor\" "
            "d=\"M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z\"/></svg>Chatta med oss';\n"
            "  b.addEventListener('click', function () { if (document.querySelector('.chat-window')) return;\n"
            "    var w = document.createElement('div'); w.className = 'chat-window'; w.setAttribute('role', 'dialog');\n"
            "    w.setAttribute('aria-label', 'Chatt'); w.innerHTML = '<strong>Hej!</strong><p>Skriv din fråga så svarar vi vardagar 9–16.</p>';\n"
            "    document.body.appendChild(w); });\n"
            "  document.body.appendChild(b);\n"
            f"}}, {s.chat_delay_ms});\n</script>"
        )

    def scripts(self, page: Page) -> str:
        s = self.s
        out = ['<script src="/assets/site.js"></script>']
        if s.deferred_tag_ms:
            out.append("<script>setTimeout(function () { var i = new Image(); i.src = '/assets/px.gif?t=' + Date.now(); }, "
                       f"{s.deferred_tag_ms});</script>")
        out.append(self.chat_script(page))
        return "\n".join(x for x in out if x)

    def page_html(self, page: Page, main: str) -> str:
        return "\n".join([
            self.head(page),
            f'<body class="sida-{page.kind}">',
            self.consent_banner(),
            self.header(page),
            f'<main><div class="wrap">{main}</div></main>',
            self.footer(page),
            self.scripts(page),
            "</body>",
            "</html>",
            "",
        ])

    # bodies
    def lorem(self, topic: str, n: int = 2) -> str:
        s = self.s
        bank = [
            f"{s.name} har arbetat med {SECTORS[s.sector]['tagline']} i {s.city} sedan {self.rng.randint(1952, 2015)}.",
            f"Vi erbjuder {topic.lower()} med fast pris och tydliga villkor.",
            f"Priserna börjar på {self.rng.randint(2, 40) * 50} kr inklusive moms.",
            "Våra medarbetare har lång erfarenhet och svarar gärna på frågor i butiken.",
            f"Erbjudandet gäller till och med 2026-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}.",
            "Läs villkoren noga innan du beställer. Ångerrätten är 14 dagar.",
            f"Under {self.rng.choice(['våren', 'hösten', 'sommaren', 'vintern'])} har vi extra många kunder, så var ute i god tid.",
            "Alla priser är rekommenderade cirkapriser och kan ändras utan föregående avisering.",
        ]
        self.rng.shuffle(bank)
        return "".join(f"<p>{E(x)}</p>" for x in bank[:n])

    def body_start(self, page: Page) -> str:
        s = self.s
        parts = [f'<section class="hero"><h1>{E(s.name)} – {E(SECTORS[s.sector]["tagline"])} i {E(s.city)}</h1>',
                 self.lorem(s.name, 2)]
        if self.cats:
            parts.append(f'<p>{self.link(page, self.cats[0].path, "Se hela utbudet", 0, " class=knapp")}</p>')
        parts.append("</section>")
        if s.carousel:
            parts.append('<div class="karusell" data-interval="5000"><p class="bild">Kampanj: -20 % på utvalda tjänster</p>'
                         '<p class="bild" hidden>Fri frakt över 499 kr</p></div>')
        items = [p for p in self.pages.values() if p.kind == "item"][:3]
        if items:
            parts.append("<h2>Populärt just nu</h2><ul class=kort>")
            for it in items:
                parts.append(f"<li>{self.link(page, it.path, it.title, 0)}</li>")
            parts.append("</ul>")
        arts = [p for p in self.pages.values() if p.kind == "article"][:2]
        if arts:
            parts.append("<h2>Senaste nytt</h2><ul>")
            for a in arts:
                parts.append(f"<li>{self.link(page, a.path, a.title, 0)}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def body_category(self, page: Page) -> str:
        kids = [p for p in self.pages.values() if p.kind == "item" and p.path.startswith(page.path)]
        parts = [f"<h1>{E(page.title)}</h1>", self.lorem(page.title, 2)]
        if kids:
            parts.append("<ul class=kort>")
            for k in kids:
                parts.append(f"<li>{self.link(page, k.path, k.title, 0)}<br><small>från {self.rng.randint(3, 90) * 100} kr</small></li>")
            parts.append("</ul>")
        return "".join(parts)

    def body_item(self, page: Page) -> str:
        parent = "/" + page.path.strip("/").split("/")[0] + "/"
        sibs = [p for p in self.pages.values() if p.kind == "item" and p.path.startswith(parent) and p.path != page.path]
        parts = [f'<p class="brod">{self.link(page, parent, self.pages[parent].title, 0)} › {E(page.title)}</p>',
                 f"<h1>{E(page.title)}</h1>", self.lorem(page.title, 3),
                 f"<p class=pris>Pris: {self.rng.randint(3, 99) * 100 - 1} kr</p>"]
        if sibs:
            parts.append("<h2>Relaterat</h2><ul>")
            for sp in self.rng.sample(sibs, min(2, len(sibs))):
                parts.append(f"<li>{self.link(page, sp.path, sp.title, 0)}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def body_news(self, page: Page) -> str:
        arts = [p for p in self.pages.values() if p.kind == "article"]
        parts = ["<h1>Nyheter</h1><ul>"]
        for a in arts:
            parts.append(f"<li>{self.link(page, a.path, a.title, 0)} <small>2026-0{self.rng.randint(1, 9)}-{self.rng.randint(10, 28)}</small></li>")
        parts.append("</ul>")
        return "".join(parts)

    def body_article(self, page: Page) -> str:
        arts = [p for p in self.pages.values() if p.kind == "article"]
        i = arts.index(page)
        parts = [f"<article><h1>{E(page.title)}</h1>", self.lorem(page.title, 4), "</article><nav class=blad>"]
        if i > 0:
            parts.append(self.link(page, arts[i - 1].path, "‹ Föregående", 0) + " ")
        if i + 1 < len(arts):
            parts.append(self.link(page, arts[i + 1].path, "Nästa ›", 0))
        parts.append(f' {self.link(page, "/nyheter/", "Alla nyheter", 0)}</nav>')
        return "".join(parts)

    def body_about(self, page: Page) -> str:
        parts = [f"<h1>Om {E(self.s.name)}</h1>", self.lorem("oss", 3),
                 f"<p>{self.link(page, '/om-oss/jobba-hos-oss/', 'Vill du jobba hos oss?', 0)}</p>"]
        if self.s.contact_link == "about":
            parts.append(f"<h2>Hör av dig</h2><p>Har du frågor? {self.link(page, self.contact, 'Kontakta oss', 0)}</p>")
        return "".join(parts)

    def body_jobs(self, page: Page) -> str:
        return ("<h1>Jobba hos oss</h1>" + self.lorem("rekrytering", 2)
                + "<ul><li>Servicetekniker, heltid</li><li>Säljare, deltid</li></ul>"
                + "<p>Skicka din ansökan via vår rekryteringspartner. Ange referens 2026-117.</p>")

    def body_legal(self, page: Page) -> str:
        return f"<h1>{E(page.title)}</h1>" + self.lorem("villkor", 4)

    def accordion(self, idx: int, question: str, answer_html: str) -> str:
        return (f'<h3><button type="button" id="q{idx}" class="fraga" aria-expanded="false" aria-controls="svar{idx}">'
                f'{E(question)}</button></h3><div class="panel" id="svar{idx}" role="region" aria-labelledby="q{idx}" hidden>'
                f"{answer_html}</div>")

    def body_faq(self, page: Page) -> str:
        s = self.s
        qa = self.rng.sample(FAQ_GENERIC, self.rng.randint(3, 5))
        parts = [f"<h1>{E(page.title)}</h1><p>Här har vi samlat svar på de vanligaste frågorna.</p><div class=faq>"]
        blocks = [self.accordion(i, q, f"<p>{E(a)}</p>") for i, (q, a) in enumerate(qa, start=1)]
        if s.email == "faq_accordion":
            blocks.insert(self.rng.randint(0, len(blocks)), self.accordion(
                9, "Kan jag mejla min fråga?",
                f'<p>Ja, skriv till <a href="mailto:{s.email_addr}">{E(s.email_addr)}</a> så svarar vi inom två arbetsdagar.</p>'))
            self.hit(page, "email", 1, s.email_addr)
        parts.extend(blocks)
        parts.append("</div>")
        if s.contact_link == "faq":
            parts.append(f'<div class="hittade"><h2>Hittade du inte svaret?</h2>'
                         f'<p>{self.link(page, self.contact, "Kontakta oss", 0)}</p></div>')
        return "".join(parts)

    def contact_form(self, page: Page) -> str:
        self.hit(page, "form", 0)
        return ('<form class="kontaktformular" action="/tack/" method="post"><h2>Skicka ett meddelande</h2>'
                '<p><label for="namn">Namn</label><input id="namn" name="namn" autocomplete="name"></p>'
                '<p><label for="epost">E-post</label><input id="epost" type="email" name="epost" autocomplete="email"></p>'
                '<p><label for="amne">Ämne</label><select id="amne" name="amne"><option>Fråga</option><option>Reklamation</option>'
                '<option>Faktura</option></select></p>'
                '<p><label for="meddelande">Meddelande</label><textarea id="meddelande" name="meddelande" rows="5"></textarea></p>'
                '<p><button type="submit">Skicka</button></p></form>')

    def body_contact(self, page: Page) -> str:
        s = self.s
        city, _, post = self.city_row
        parts = ["<h1>Kontakta oss</h1>", (f"<p>Du hittar oss på {E(self.street)}, {post} {E(city)}. "
                                           "Vi har öppet vardagar 8–17.</p>")]
        acc = []
        if s.phone in ("contact", "footer"):
            parts.append(f'<div class="ruta"><h2>Ring oss</h2><p><a href="tel:{s.phone_e164}">{E(s.phone_text)}</a> '
                         "(vardagar 8–17)</p></div>")
            self.hit(page, "phone", 0, s.phone_e164)
        elif s.phone == "reveal":
            parts.append('<div class="ruta"><h2>Ring kundtjänst</h2><p>Vardagar 08–18.</p>'
                         '<button class="reveal" type="button" aria-expanded="false" aria-controls="telefon">Visa telefonnummer</button>'
                         f'<div id="telefon" hidden><p class="nummer">{E(s.phone_text)}</p>'
                         "<p>Samtalet kostar som ett vanligt samtal enligt din operatörs taxa.</p></div></div>")
            self.hit(page, "phone", 1, s.phone_e164)
        elif s.phone == "details":
            parts.append(f'<details class="ruta"><summary>Telefon och öppettider</summary><p>Öppet vardagar 8–17.</p>'
                         f"<p>Ring oss: {E(s.phone_text)}</p></details>")
            self.hit(page, "phone", 1, s.phone_e164)
        if s.email in ("contact", "footer"):
            parts.append(f'<div class="ruta"><h2>Mejla oss</h2><p>{E(s.email_addr)}</p></div>')
            self.hit(page, "email", 0, s.email_addr)
        elif s.email == "accordion":
            acc.append(self.accordion(21, "Hur mejlar jag er?",
                                      f"<p>Skicka e-post till {E(s.email_addr)} så svarar vi inom en arbetsdag.</p>"))
            self.hit(page, "email", 1, s.email_addr)
        if acc or self.rng.random() < 0.5:
            acc.append(self.accordion(22, "Öppettider i helgerna", "<p>Vi har stängt på röda dagar.</p>"))
            parts.append("<h2>Vanliga frågor</h2><div class=faq>" + "".join(acc) + "</div>")
        if s.form == "contact":
            parts.append(self.contact_form(page))
        elif s.form == "form_page":
            parts.append(f'<p>Vill du hellre skriva? {self.link(page, self.contact + "skriv-till-oss/", "Skriv till oss", 0)}</p>')
        if s.form != "contact" and s.email is None and s.phone is None and s.chat is None:
            parts.append("<p>Du är välkommen att besöka oss i butiken.</p>")
        return "".join(parts)

    def body_form(self, page: Page) -> str:
        return "<h1>Skriv till oss</h1><p>Vi svarar inom två arbetsdagar.</p>" + self.contact_form(page)

    def render(self) -> None:
        bodies = {"start": self.body_start, "category": self.body_category, "item": self.body_item,
                  "news": self.body_news, "article": self.body_article, "about": self.body_about,
                  "jobs": self.body_jobs, "legal": self.body_legal, "faq": self.body_faq,
                  "contact": self.body_contact, "form": self.body_form}
        for page in self.pages.values():
            page.html = self.page_html(page, bodies[page.kind](page))

    # static assets
    def css(self) -> str:
        fg, bg = self.s.palette
        return f"""*{{box-sizing:border-box}}
body{{margin:0;font:16px/1.55 system-ui,"Segoe UI",Roboto,sans-serif;color:#1d2630;background:#fff}}
.wrap{{max-width:1000px;margin:0 auto;padding:0 20px}}
.sr{{position:absolute;left:-9999px}}
header{{background:{fg};color:#fff}}
header .bar{{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:12px;min-height:64px}}
.logo{{color:#fff;font-weight:800;text-decoration:none;font-size:1.2rem}}
.nav{{display:flex;gap:4px;list-style:none;margin:0;padding:0}}
.nav>li{{position:relative}}
.nav>li>a,.nav>li>button{{display:block;padding:20px 12px;color:#fff;text-decoration:none;font:inherit;font-weight:600;background:none;border:0;cursor:pointer}}
.nav .dropdown{{display:none;position:absolute;right:0;top:100%;min-width:200px;background:#fff;box-shadow:0 8px 24px rgba(0,0,0,.18);list-style:none;margin:0;padding:8px 0;z-index:10}}
.nav .dropdown a{{display:block;padding:10px 16px;color:{fg};text-decoration:none}}
.nav>li.has-dropdown:hover>.dropdown,.nav>li.has-dropdown:focus-within>.dropdown{{display:block}}
.menu-btn{{display:flex;gap:6px;align-items:center;background:none;border:1px solid #fff;color:#fff;border-radius:6px;padding:8px 12px;font:inherit;cursor:pointer}}
.drawer{{position:absolute;right:20px;top:64px;background:#fff;box-shadow:0 8px 24px rgba(0,0,0,.2);padding:12px 0;z-index:20;min-width:220px}}
.drawer a{{display:block;padding:10px 18px;color:{fg};text-decoration:none}}
.sok input{{padding:6px 8px}}
main{{padding:32px 0 64px}}
.hero{{background:{bg};padding:32px;border-radius:14px}}
.knapp{{display:inline-block;background:{fg};color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none}}
.kort{{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;list-style:none;padding:0}}
.kort li{{background:{bg};padding:14px;border-radius:8px}}
.ruta{{background:{bg};padding:16px 20px;border-radius:10px;margin:16px 0}}
.faq{{border-top:1px solid #ddd}}
.faq h3{{margin:0}}
.faq button{{display:flex;justify-content:space-between;width:100%;padding:14px 4px;background:none;border:0;border-bottom:1px solid #ddd;font:inherit;font-weight:600;text-align:left;cursor:pointer}}
.faq .panel{{padding:8px 4px 16px}}
form.kontaktformular p{{display:flex;flex-direction:column;max-width:480px}}
footer{{background:#1d2630;color:#e6ebef;padding:28px 0 12px;font-size:.92rem}}
footer a{{color:#fff}}
footer .cols{{display:grid;grid-template-columns:2fr 1fr 1fr;gap:24px}}
.fotlankar{{list-style:none;padding:0;margin:0}}
.copy{{margin-top:16px;color:#9aa5ae}}
.cookie-bar{{position:fixed;left:0;right:0;bottom:0;z-index:900;background:#fff;color:#1d2630;box-shadow:0 -6px 24px rgba(0,0,0,.2);padding:16px 24px}}
.consent-overlay{{position:fixed;inset:0;z-index:1000;background:rgba(20,30,20,.72);display:flex;align-items:center;justify-content:center;padding:16px}}
.consent{{background:#fff;max-width:520px;width:100%;border-radius:12px;padding:28px}}
.knappar{{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px}}
.knappar button,#cookieval button{{padding:10px 16px;border-radius:6px;font:inherit;font-weight:600;cursor:pointer;border:2px solid {fg};background:#fff;color:{fg}}}
.knappar .primar{{background:{fg};color:#fff}}
html.consent-open{{overflow:hidden}}
.chat-bubble{{position:fixed;right:20px;bottom:20px;z-index:800;display:flex;gap:8px;align-items:center;background:{fg};color:#fff;border:0;border-radius:24px;padding:12px 18px;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}}
.chat-window{{position:fixed;right:20px;bottom:80px;width:300px;background:#fff;border-radius:10px;box-shadow:0 8px 30px rgba(0,0,0,.25);padding:16px;z-index:801}}
"""

    def js(self) -> str:
        cookie = f"samtycke_{self.s.slug.replace('-', '_')}"
        return f"""(function () {{
  // menus and accordions
  document.querySelectorAll('.menu-btn, .faq button[aria-controls], .reveal').forEach(function (btn) {{
    btn.addEventListener('click', function () {{
      var panel = document.getElementById(btn.getAttribute('aria-controls'));
      var open = btn.getAttribute('aria-expanded') !== 'true';
      btn.setAttribute('aria-expanded', String(open));
      panel.hidden = !open;
      if (btn.classList.contains('reveal')) btn.hidden = true;
    }});
  }});
  document.addEventListener('keydown', function (e) {{
    var m = document.querySelector('.menu-btn');
    if (e.key === 'Escape' && m && m.getAttribute('aria-expanded') === 'true') {{ m.click(); }}
  }});
  // carousel (an interval, as sliders do)
  var k = document.querySelector('.karusell');
  if (k) {{ var i = 0, s = k.querySelectorAll('.bild');
    setInterval(function () {{ s[i].hidden = true; i = (i + 1) % s.length; s[i].hidden = false; }}, 5000); }}
  // consent, remembered in a cookie
  var box = document.getElementById('kakbanner') || document.getElementById('samtycke') || document.getElementById('cookieruta');
  if (!box) return;
  if (/(?:^|;\\s*){cookie}=/.test(document.cookie)) {{ box.remove(); return; }}
  if (box.id === 'samtycke') document.documentElement.classList.add('consent-open');
  function done(val) {{
    document.cookie = '{cookie}=' + val + '; path=/; max-age=31536000; SameSite=Lax';
    document.documentElement.classList.remove('consent-open');
    box.remove();
  }}
  box.querySelectorAll('button[data-val]').forEach(function (b) {{
    b.addEventListener('click', function () {{ done(b.getAttribute('data-val')); }});
  }});
  var inst = box.querySelector('.installningar');
  if (inst) inst.addEventListener('click', function () {{
    var p = document.getElementById('cookieval'); p.hidden = false; inst.setAttribute('aria-expanded', 'true');
  }});
}})();
"""


TAWK_JS = r"""/* Local stand-in for a tawk.to embed, built for the benchmark: a body-level
 * div.widget-visible holding the minimised bubble iframe.tawk-min-container and a hidden
 * panel iframe; built Tawk_API.__lazyStartMs after the script runs. */
(function () {
  var api = window.Tawk_API = window.Tawk_API || {};
  var wait = typeof api.__lazyStartMs === 'number' ? api.__lazyStartMs : 0;
  var FIXED = 'position:fixed!important;border:0!important;padding:0!important;margin:0!important;' +
    'background:none transparent!important;z-index:1000001!important;outline:none!important;';
  function build() {
    if (document.querySelector('iframe.tawk-min-container')) return;
    var holder = document.createElement('div');
    holder.className = 'widget-visible';
    var bubble = document.createElement('iframe');
    bubble.className = 'tawk-min-container';
    bubble.title = 'chat widget';
    bubble.setAttribute('frameborder', '0');
    bubble.style.cssText = FIXED + 'display:block!important;visibility:visible!important;opacity:1!important;' +
      'right:20px!important;bottom:20px!important;width:64px!important;height:64px!important;';
    bubble.srcdoc = '<!DOCTYPE html><html><body style="margin:0;background:transparent">' +
      '<button type="button" class="tawk-min-chat-icon" aria-label="Öppna chatten" ' +
      'style="width:60px;height:60px;border:0;border-radius:50%;background:#2a6;cursor:pointer">💬</button></body></html>';
    var panel = document.createElement('iframe');
    panel.className = 'tawk-chat-panel';
    panel.title = 'chat widget';
    panel.style.cssText = FIXED + 'display:none!important;right:20px!important;bottom:96px!important;width:350px!important;height:520px!important;';
    holder.appendChild(bubble);
    holder.appendChild(panel);
    document.body.appendChild(holder);
    api.maximize = function () { panel.style.setProperty('display', 'block', 'important'); };
    api.minimize = function () { panel.style.setProperty('display', 'none', 'important'); };
    if (typeof api.onLoad === 'function') api.onLoad();
  }
  function later() { setTimeout(build, wait); }
  if (document.body) later(); else document.addEventListener('DOMContentLoaded', later);
})();
"""

PX_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


# -- ground truth ---------------------------------------------------------------------------
def shortest_clicks(pages: dict[str, Page]) -> dict[str, int]:
    """Fewest clicks from "/" to each page: a link costs its in-page cost plus one."""
    dist = {"/": 0}
    heap = [(0, "/")]
    while heap:
        d, path = heapq.heappop(heap)
        if d > dist.get(path, 1 << 30):
            continue
        for target, cost in pages[path].links:
            if target not in pages:
                continue
            nd = d + cost + 1
            if nd < dist.get(target, 1 << 30):
                dist[target] = nd
                heapq.heappush(heap, (nd, target))
    return dist


def link_hops(pages: dict[str, Page]) -> dict[str, int]:
    """Breadth-first depth over every href in the HTML (what the naive crawler sees)."""
    dist = {"/": 0}
    frontier = ["/"]
    while frontier:
        nxt = []
        for path in frontier:
            for target, _ in pages[path].links:
                if target in pages and target not in dist:
                    dist[target] = dist[path] + 1
                    nxt.append(target)
        frontier = nxt
    return dist


def truth_for(spec: SiteSpec, pages: dict[str, Page]) -> dict[str, Any]:
    dist = shortest_clicks(pages)
    hops = link_hops(pages)
    channels: dict[str, Any] = {}
    for ch in CHANNELS:
        best: tuple[int, str] | None = None
        values: list[str] = []
        for p in pages.values():
            for c, cost, value in p.hits:
                if c != ch or p.path not in dist:
                    continue
                clicks = dist[p.path] + cost
                if best is None or clicks < best[0]:
                    best = (clicks, p.path)
                if value and value not in values and ch in ("phone", "email"):
                    values.append(value)
        entry: dict[str, Any] = {"found": best is not None, "clicks": best[0] if best else None,
                                 "values": values if best else [], "page": best[1] if best else None}
        if ch == "chat":
            entry["vendor"] = ("tawk" if spec.chat == "tawk_all" else None) if best else None
        channels[ch] = entry
    return {
        "desktop": channels,
        "pages": sorted(pages),
        "n_pages": len(pages),
        "page_clicks": {p: dist.get(p) for p in sorted(pages)},
        "page_hops": {p: hops.get(p) for p in sorted(pages)},
        "max_hops": max(hops.values()),
        "consent": spec.consent,
    }


def write_site(spec: SiteSpec, root: Path) -> dict[str, Any]:
    rng = random.Random(f"render/{spec.id}/{spec.slug}")
    pages = plan_pages(spec, rng)
    r = Renderer(spec, pages, rng)
    r.render()
    root.mkdir(parents=True, exist_ok=True)
    for p in pages.values():
        d = root / p.path.strip("/") if p.path != "/" else root
        d.mkdir(parents=True, exist_ok=True)
        (d / "index.html").write_text(p.html, encoding="utf-8")
    assets = root / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "site.css").write_text(r.css(), encoding="utf-8")
    (assets / "site.js").write_text(r.js(), encoding="utf-8")
    (assets / "px.gif").write_bytes(PX_GIF)
    if spec.chat == "tawk_all":
        (assets / "tawk-widget.js").write_text(TAWK_JS, encoding="utf-8")
    set_origin(root, None, sorted(pages) if spec.sitemap else None)
    (root / "404.html").write_text("<!DOCTYPE html><html lang=sv><title>Sidan finns inte</title><h1>Sidan finns inte</h1></html>",
                                   encoding="utf-8")
    cfg: dict[str, Any] = {}
    delays: dict[str, int] = {}
    if spec.latency_ms:
        delays["*"] = spec.latency_ms
    if spec.slow_contact_ms:
        contact = next(p.path for p in pages.values() if p.kind == "contact")
        delays[contact] = spec.slow_contact_ms
    if delays:
        cfg["delays"] = delays
    if cfg:
        (root / "_server.json").write_text(json.dumps(cfg, indent=2), encoding="utf-8")
    t = truth_for(spec, pages)
    t["features"] = {k: v for k, v in spec.__dict__.items() if k not in ("palette",)}
    return t


def set_origin(root: Path | str, origin: str | None, sitemap_paths: list[str] | None = None) -> None:
    """Write robots.txt (and sitemap.xml when the site has one) for the origin the site is
    served on (`http://127.0.0.1:PORT`): sitemaps hold absolute URLs, and the port is only
    known once the server is up. With `origin=None` the sitemap is left out; the page list
    is kept in `_sitemap.json` (never served: its name starts with `_`)."""
    root = Path(root)
    keep = root / "_sitemap.json"
    if sitemap_paths is not None:
        keep.write_text(json.dumps(sitemap_paths), encoding="utf-8")
    elif keep.is_file():
        sitemap_paths = json.loads(keep.read_text(encoding="utf-8"))
    robots = "User-agent: *\nAllow: /\n"
    if origin and sitemap_paths:
        robots += f"Sitemap: {origin}/sitemap.xml\n"
        locs = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in sitemap_paths)
        (root / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>', encoding="utf-8")
    (root / "robots.txt").write_text(robots, encoding="utf-8")


def generate(n: int, out_dir: Path | str, seed: int = 1,
             pages_range: tuple[int, int] = (10, 25)) -> dict[str, Any]:
    """Write `n` sites under `out_dir` and `out_dir/truth.json`; returns the truth document.

    Sites with a sitemap get it from `set_origin` once their server's port is known.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sites: dict[str, Any] = {}
    for i in range(n):
        spec = draw_spec(i, seed, pages_range)
        sites[spec.id] = {"folder": spec.id, "name": spec.name, "sector": spec.sector,
                          **write_site(spec, out / spec.id)}
        # truth is written as we go, so a partial generation still has its labels
        (out / TRUTH_FILE).write_text(json.dumps({"schema": TRUTH_SCHEMA, "seed": seed, "sites": sites},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    return {"schema": TRUTH_SCHEMA, "seed": seed, "sites": sites}


if __name__ == "__main__":  # python3 benchmarks/sitegen.py OUT_DIR [N] [SEED]
    import sys

    target = Path(sys.argv[1])
    doc = generate(int(sys.argv[2]) if len(sys.argv) > 2 else 10, target, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(f"{len(doc['sites'])} sites in {target}")
