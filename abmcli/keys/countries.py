"""Countries written many ways ("PL", "POL", "Polska", "Poland"; "US", "USA", "United
States of America") as one spelling, for ICP rules and for the hub's country column.

Every ISO 3166-1 country comes from pycountry (maintained with the standard: names,
official names, alpha-2 and alpha-3 codes), so no country is missing and ISO's new
names (Türkiye, Eswatini, Czechia) are understood. A small table adds what pycountry lacks: the
names people write in exports (native names such as Deutschland, España, Nippon, 日本;
English variants such as Holland, Great Britain, South Korea) and a shorter display
name where ISO's is a sentence ("Korea, Republic of" shows as "South Korea").
"""

from __future__ import annotations

import functools

from abmcli.keys.fold import folded_words

# Display names where ISO's short name is not what people write.
_DISPLAY_BY_CODE = {
    "RU": "Russia", "BN": "Brunei", "CZ": "Czech Republic", "CD": "DR Congo",
    "CG": "Republic of the Congo", "FM": "Micronesia", "PS": "Palestine",
    "VA": "Vatican City", "TR": "Turkey", "CI": "Ivory Coast", "KR": "South Korea",
    "KP": "North Korea", "IR": "Iran", "SY": "Syria", "TW": "Taiwan", "LA": "Laos",
    "MD": "Moldova", "TZ": "Tanzania", "VE": "Venezuela", "BO": "Bolivia", "VN": "Vietnam",
    "VG": "British Virgin Islands", "VI": "US Virgin Islands", "MF": "Saint Martin",
    "SX": "Sint Maarten", "FK": "Falkland Islands", "MO": "Macao", "HK": "Hong Kong",
}
# Names in exports that pycountry does not carry: native names and English variants.
_EXTRA_NAMES = {
    "US": ["u s", "u s a", "america", "united states of america", "estados unidos",
           "etats unis", "vereinigte staaten"],
    "GB": ["uk", "u k", "great britain", "britain", "england", "scotland", "wales",
           "northern ireland", "united kingdom of great britain", "grossbritannien",
           "royaume uni", "reino unido"],
    "DE": ["deutschland", "germany", "allemagne", "alemania", "germania", "brd"],
    "FR": ["france", "frankreich", "francia", "republique francaise"],
    "NL": ["the netherlands", "holland", "nederland", "niederlande", "pays bas",
           "paises bajos"],
    "CH": ["schweiz", "suisse", "svizzera", "svizra", "confoederatio helvetica"],
    "AT": ["osterreich", "oesterreich", "autriche"],
    "BE": ["belgique", "belgie", "belgien", "belgica"],
    "LU": ["letzebuerg", "luxemburg"],
    "ES": ["espana", "spanien", "espagne", "spagna"],
    "IT": ["italia", "italien", "italie"],
    "PT": ["portugal"],
    "IE": ["republic of ireland", "eire"],
    "SE": ["sverige", "schweden", "suede"],
    "NO": ["norge", "noreg", "norwegen", "norvege"],
    "DK": ["danmark", "danemark", "daenemark"],
    "FI": ["suomi"],
    "IS": ["island"],
    "PL": ["polska", "polen", "pologne", "polonia", "rzeczpospolita polska"],
    "CZ": ["czechia", "ceska republika", "cesko", "tschechien"],
    "SK": ["slovensko", "slowakei"],
    "HU": ["magyarorszag", "ungarn", "hongrie"],
    "RO": ["romania"],
    "BG": ["bulgariya", "българия"],
    "GR": ["hellas", "ellada", "ελλαδα", "griechenland", "grece"],
    "HR": ["hrvatska", "kroatien"],
    "SI": ["slovenija"],
    "RS": ["srbija", "србија"],
    "EE": ["eesti"],
    "LV": ["latvija"],
    "LT": ["lietuva"],
    "UA": ["ukraina", "україна"],
    "RU": ["russia", "rossiya", "россия"],
    "TR": ["turkiye", "turkei"],
    "CY": ["kypros", "kibris"],
    "AL": ["shqiperia"],
    "GE": ["sakartvelo"],
    "AM": ["hayastan"],
    "JP": ["nippon", "nihon", "日本", "japon"],
    "CN": ["prc", "people s republic of china", "mainland china", "zhongguo", "中国"],
    "TW": ["republic of china", "台灣", "台湾"],
    "HK": ["hong kong sar", "香港"],
    "KR": ["korea", "republic of korea", "korea republic of", "korea south", "s korea",
           "hanguk", "대한민국", "한국"],
    "KP": ["korea north", "dprk"],
    "IN": ["bharat"],
    "BR": ["brasil"],
    "MX": ["mexico"],
    "AE": ["uae", "emirates"],
    "SA": ["ksa"],
    "ZA": ["rsa", "suid afrika"],
    "EG": ["misr"],
    "MA": ["maroc"],
    "PH": ["pilipinas"],
    "VN": ["viet nam"],
    "TH": ["prathet thai", "ประเทศไทย"],
    "IL": ["yisrael"],
    "LB": ["liban"],
    "CI": ["cote d ivoire"],
    "NZ": ["aotearoa"],
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


def _folded(text: str) -> str:
    """Lower-case words without accents, single-spaced, `&` read as `and`; letters of
    other scripts (日本, Россия) are kept."""
    return folded_words(text)


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(alias -> canonical key, canonical key -> display name), built on first use."""
    import pycountry

    country_of: dict[str, str] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        shown = _DISPLAY_BY_CODE.get(code) or getattr(country, "common_name", None) or (
            country.name)
        key = _folded(shown)
        display[key] = shown
        names = [country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", ""), shown, code, country.alpha_3,
                 *_EXTRA_NAMES.get(code, [])]
        for name in names:
            if name:
                country_of.setdefault(_folded(name), key)
    return country_of, display


def canonical_country(value: str) -> str:
    """One spelling per country: "USA", "U.S." and "United States of America" all give
    "united states"; "PL", "POL" and "Polska" give "poland". Names that are no country
    are returned folded (lower case, no accents)."""
    key = _folded(value)
    return _tables()[0].get(key, key)


def is_country(value: str) -> bool:
    """Whether `value` names a country ("USA", "Israel", "PL"), not merely folds."""
    return _folded(value) in _tables()[0]


@functools.cache
def _region_codes() -> frozenset[str]:
    """US, Canadian and Australian state codes ("ca", "wa", "in"): in "San Francisco,
    CA" the code is California's, not Canada's."""
    import pycountry

    return frozenset(state.code.split("-")[1].lower() for country in ("US", "CA", "AU")
                     for state in pycountry.subdivisions.get(country_code=country) or ())


def split_location(text: str) -> tuple[str, str, str]:
    """(city, state, country) of a location written in one cell, each "" when absent:
    "Redmond, WA, USA", "Tel Aviv, Israel", "new york, new york, united states",
    "San Francisco, CA" (California, not Canada: two letters after a city are a state
    code when they are one), "Germany". A last part that names no country is a state
    after a city, else a city."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return "", "", ""
    last = parts[-1]
    state_code = len(parts) == 2 and last.casefold() in _region_codes()
    country = last if is_country(last) and not state_code else ""
    places = parts[:-1] if country else parts
    if not places:
        return "", "", country
    state = places[-1] if len(places) >= 2 else ""
    return places[0], state, country


def countries_in(entry: str) -> set[str]:
    """The canonical countries an ICP entry stands for: a country or a region name."""
    key = _folded(entry)
    if key in _REGIONS:
        return set(_REGIONS[key])
    return {canonical_country(entry)}


def display_country(value: object) -> object:
    """The country as the hub shows it: "United States" for "USA" or "U.S.", "Poland"
    for "PL"; the value as written when it is no known country (or not text)."""
    if not isinstance(value, str) or not value.strip():
        return value
    return _tables()[1].get(canonical_country(value), value.strip())
