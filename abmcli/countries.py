"""Countries written many ways ("US", "USA", "United States of America", "Deutschland")
as one spelling, for ICP rules and for the hub's country column."""

from __future__ import annotations

import re
import unicodedata

_COUNTRY_ALIASES = {
    "united states": ["us", "usa", "u s", "u s a", "united states of america", "america"],
    "canada": ["ca", "can"],
    "united kingdom": ["uk", "u k", "gb", "gbr", "great britain", "britain", "england",
                       "scotland", "wales", "northern ireland"],
    "germany": ["de", "deu", "deutschland"],
    "france": ["fr", "fra"],
    "netherlands": ["nl", "nld", "the netherlands", "holland"],
    "switzerland": ["ch", "che", "schweiz", "suisse"],
    "austria": ["at", "aut", "osterreich", "österreich"],
    "belgium": ["be", "bel", "belgique", "belgie", "belgië"],
    "luxembourg": ["lu", "lux"],
    "spain": ["es", "esp", "espana", "españa"],
    "italy": ["it", "ita", "italia"],
    "ireland": ["ie", "irl", "republic of ireland"],
    "sweden": ["se", "swe", "sverige"],
    "norway": ["no", "nor", "norge"],
    "denmark": ["dk", "dnk", "danmark"],
    "finland": ["fi", "fin", "suomi"],
    "australia": ["au", "aus"],
    "new zealand": ["nz", "nzl"],
    "japan": ["jp", "jpn"],
    "india": ["in", "ind"],
    "brazil": ["br", "bra", "brasil"],
    "mexico": ["mx", "mex", "méxico"],
    "singapore": ["sg", "sgp"],
    "israel": ["il", "isr"],
    "united arab emirates": ["ae", "are", "uae"],
    "south korea": ["kr", "kor", "korea", "republic of korea", "korea republic of"],
    "china": ["cn", "chn", "prc", "people s republic of china"],
}
_REGIONS = {
    "north america": ["united states", "canada"],
    "dach": ["germany", "austria", "switzerland"],
    "benelux": ["belgium", "netherlands", "luxembourg"],
    "nordics": ["sweden", "norway", "denmark", "finland"],
    "uk and ireland": ["united kingdom", "ireland"],
    "anz": ["australia", "new zealand"],
    "europe": ["united kingdom", "germany", "france", "netherlands", "switzerland",
               "austria", "belgium", "luxembourg", "spain", "italy", "ireland", "sweden",
               "norway", "denmark", "finland"],
}
_COUNTRY_OF = {alias: name for name, aliases in _COUNTRY_ALIASES.items() for alias in aliases}


def canonical_country(value: str) -> str:
    """One spelling per country: "USA", "U.S." and "United States of America" all give
    "united states"; names not in the alias table are returned lower-cased."""
    key = _folded(value)
    return _COUNTRY_OF.get(key, key)


def countries_in(entry: str) -> set[str]:
    """The canonical countries an ICP entry stands for: a country or a region name."""
    key = _folded(entry)
    if key in _REGIONS:
        return set(_REGIONS[key])
    return {canonical_country(entry)}


def display_country(value: object) -> object:
    """The country as the hub shows it: "United States" for "USA" or "U.S.", the
    value as written when it is not in the alias table (or not text)."""
    if not isinstance(value, str) or not value.strip():
        return value
    key = canonical_country(value)
    return _DISPLAY.get(key, value.strip()) if key in _COUNTRY_ALIASES else value.strip()


def _folded(text: str) -> str:
    """Lower-case words without accents, single-spaced, `&` read as `and`."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("&", " and "))
    return re.sub(r"[^0-9a-z]+", " ", folded.encode("ascii", "ignore").decode()).strip()


# Names whose display is not simply title case.
_DISPLAY = {name: name.title() for name in _COUNTRY_ALIASES} | {
    "united states": "United States", "united kingdom": "United Kingdom",
    "united arab emirates": "United Arab Emirates",
}
