"""Which country's numbering plan to read a site's phone numbers in.

Spec section 1: "phone numbers are read for the site's country, taken from `--region`
when the user gives it, else inferred from the site (`<html lang>` such as `fi-FI`, the
country-code top-level domain, numbers written with a country code, the currency)".
A national number such as "0200 19000" is toll-free in Sweden and in Finland alike, so
getting the region wrong reports a wrong E.164 value; hence the evidence is taken in
order of how directly it names a country:

1. the explicit ``--region`` flag;
2. the region subtag of ``<html lang>`` (BCP 47: "sv-SE", "fi-FI", "en-US", "sv_FI");
3. the host's country-code TLD (".se", ".fi", ".uk" -> GB), skipping generic TLDs, the
   reserved ".test"/".example"/".localhost" (RFC 2606/6761) and ccTLDs sold as generic
   names (".io", ".co", ".tv", ".me", ".nu" ...);
4. the primary language when it is spoken as a national language in one country only
   (sv -> SE, fi -> FI, nb/nn/no -> NO, da -> DK, de -> DE as the brief decided for
   German, is -> IS, et -> EE ...). Swedish is also Finland's second language: a
   Finland-Swedish page without "sv-FI" and without a .fi host reads as SE here;
5. the most common "+CC" country calling code in the visible texts
   (libphonenumber's region for that code);
6. a currency named in the texts (kr/SEK -> SE, or NO/DK when the language says so;
   NOK, DKK, ISK; EUR/euro -> FI for Finnish or Swedish pages, DE for German ones);
7. otherwise "SE": the tool's home market, whose reference data
   (reference/swedish-phone-formats.md) the detectors are tuned on. A default is always
   returned so that an audit runs; the reason string says it was a default.

The reason is a short string for the report ("--region", "html lang fi-FI",
"ccTLD .se", "language sv", "+46 numbers in text", "currency kr", "default SE").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import phonenumbers

__all__ = ["DEFAULT_REGION", "infer_region"]

#: The tool's home market (see the module docstring, step 7).
DEFAULT_REGION = "SE"

#: Country codes that are not ISO 3166 alpha-2 as used by libphonenumber.
_ALIASES = {"UK": "GB", "EL": "GR"}

#: Two-letter TLDs that do not say where a site is: ccTLDs marketed as generic names
#: (IANA root zone lists them as country codes, but e.g. .io/.co/.tv/.me/.ai are sold
#: worldwide; .nu is popular in Sweden as "now"), and .eu/.su which are not one country.
_GENERIC_CC_TLDS = frozenset(
    {"io", "co", "tv", "me", "ai", "fm", "am", "ly", "gg", "cc", "ws", "to", "nu", "sh", "ac",
     "la", "eu", "su", "tk", "ml", "ga", "cf", "gq", "cx", "gs", "pw"}
)

#: Primary languages spoken as a national language in essentially one country
#: (ISO 639-1 -> ISO 3166-1). English, French, Spanish, Portuguese, Arabic, Dutch and
#: the like are left out on purpose: the language alone does not say where.
LANGUAGE_REGIONS: dict[str, str] = {
    "sv": "SE",
    "fi": "FI",
    "nb": "NO",
    "nn": "NO",
    "no": "NO",
    "da": "DK",
    "de": "DE",
    "is": "IS",
    "et": "EE",
    "lv": "LV",
    "lt": "LT",
    "pl": "PL",
    "cs": "CZ",
    "sk": "SK",
    "hu": "HU",
    "sl": "SI",
    "hr": "HR",
    "bg": "BG",
    "ro": "RO",
    "uk": "UA",
    "ja": "JP",
    "ko": "KR",
    "he": "IL",
    "tr": "TR",
    "el": "GR",
}

#: "+46 8 ...", "+46(0)771 ...", "+4687131000": a plus sign, then a number. The country
#: code is read by libphonenumber from the whole number, not guessed from the digits.
_PLUS_NUMBER = re.compile(r"(?<![\w+])\+\s?\d[\d \u00a0().\-]{5,20}\d")

#: Currency words. "kr" is the krona/krone of SE, NO, DK and IS; the language decides.
_CURRENCY = re.compile(
    r"(?<![^\W\d_])(kr|kronor|kroner|krónur|sek|nok|dkk|isk|eur|euro|euros|euroa|€|chf|gbp|£)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_CURRENCY_KEY = {
    "kr": "kr", "kronor": "kr", "kroner": "kr", "krónur": "ISK", "sek": "SEK", "nok": "NOK",
    "dkk": "DKK", "isk": "ISK", "eur": "EUR", "euro": "EUR", "euros": "EUR", "euroa": "EUR",
    "€": "EUR", "chf": "CHF", "gbp": "GBP", "£": "GBP",
}
_KRONA_BY_LANGUAGE = {"nb": "NO", "nn": "NO", "no": "NO", "da": "DK", "is": "IS"}
_EURO_BY_LANGUAGE = {"fi": "FI", "sv": "FI", "de": "DE", "et": "EE", "lv": "LV", "lt": "LT",
                     "sk": "SK", "sl": "SI", "el": "GR", "nl": "NL"}
_FIXED_CURRENCY = {"SEK": "SE", "NOK": "NO", "DKK": "DK", "ISK": "IS", "CHF": "CH", "GBP": "GB"}


def _known(region: str) -> str | None:
    """`region` upper-cased and aliased when libphonenumber knows it, else None."""
    region = _ALIASES.get(region.upper(), region.upper())
    if len(region) == 2 and region.isalpha() and phonenumbers.country_code_for_region(region):
        return region
    return None


def _lang_parts(lang: str) -> tuple[str, str | None]:
    """("sv", "FI") for "sv-FI"; ("zh", "CN") for "zh-Hans-CN"; ("en", None) for "en"."""
    tags = [t for t in re.split(r"[-_]", (lang or "").strip()) if t]
    if not tags:
        return "", None
    primary = tags[0].lower()
    for tag in tags[1:]:
        if len(tag) == 2 and tag.isalpha():
            return primary, tag.upper()
        if len(tag) == 1:  # extension / private-use singleton: region subtags come before it
            break
    return primary, None


def _cc_tld(host: str) -> str | None:
    host = (host or "").strip().lower().rstrip(".")
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):  # IPv6 literal
        return None
    host = host.split(":", 1)[0]
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CC_TLDS:
        return None
    return tld


def infer_region(*, explicit: str | None, lang: str, host: str, texts: Iterable[str]) -> tuple[str, str]:
    """(ISO 3166-1 alpha-2 region, reason) for reading the site's phone numbers.

    `explicit` is the ``--region`` flag, `lang` the ``<html lang>`` value, `host` the
    start URL's host and `texts` visible texts of the site. See the module docstring for
    the order of evidence. An `explicit` value libphonenumber does not know ("XX") is not
    used: the region is inferred as if it were absent, and the reason says so
    ("--region XX unknown; ccTLD .se"), so a typo neither crashes an audit nor hides."""
    if explicit and explicit.strip():
        region = _known(explicit.strip())
        if region:
            return region, "--region"
        inferred, reason = _infer(lang=lang, host=host, texts=texts)
        return inferred, f"--region {explicit.strip()} unknown; {reason}"
    return _infer(lang=lang, host=host, texts=texts)


def _infer(*, lang: str, host: str, texts: Iterable[str]) -> tuple[str, str]:
    """Steps 2-7 of the module docstring."""
    primary, subtag = _lang_parts(lang)
    if subtag:
        region = _known(subtag)
        if region:
            return region, f"html lang {lang.strip()}"

    tld = _cc_tld(host)
    if tld:
        region = _known(tld)
        if region:
            return region, f"ccTLD .{tld}"

    if primary in LANGUAGE_REGIONS:
        return LANGUAGE_REGIONS[primary], f"language {primary}"

    text_list = [t for t in texts if isinstance(t, str)]

    codes: Counter[int] = Counter()
    for text in text_list:
        for m in _PLUS_NUMBER.finditer(text):
            try:
                number = phonenumbers.parse(m.group(0), None)
            except phonenumbers.NumberParseException:
                continue
            if number.country_code and phonenumbers.is_possible_number(number):
                codes[number.country_code] += 1
    for code, _count in codes.most_common():
        region = phonenumbers.region_code_for_country_code(code)
        if region and region != "ZZ" and region != "001":
            return region, f"+{code} numbers in text"

    currencies: Counter[str] = Counter()
    for text in text_list:
        for m in _CURRENCY.finditer(text):
            currencies[_CURRENCY_KEY[m.group(1).lower()]] += 1
    for currency, _count in currencies.most_common():
        region = None
        if currency == "kr":
            region = _KRONA_BY_LANGUAGE.get(primary, "SE")
        elif currency == "EUR":
            region = _EURO_BY_LANGUAGE.get(primary)
        else:
            region = _FIXED_CURRENCY.get(currency)
        if region:
            return region, f"currency {currency}"

    return DEFAULT_REGION, f"default {DEFAULT_REGION}"
