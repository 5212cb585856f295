"""What rows say about a company beyond its name, and whether two sets of rows agree.

A fuzzy name match needs more than the name when the name leaves doubt: the rows'
country, state, city, postal code, phone, ticker, industry, size and CRM parent. Each
field has a rule (a registry below): whether a difference contradicts the match (two
countries, two tickers, two CRM parents: not one company), how much an agreement
corroborates it (the same postal code, phone, ticker or parent is strong: two companies
rarely share one; the same city is weaker: a city holds many companies with similar
names), or whether it only goes into the explanation (industry, size, state). How much
the same city says depends on how rare the city is (`CityRarity`): in a small town it
settles a vowel dropped inside a word ("AMTEK" / "Ametek" in Berwyn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from abmcli.keys.countries import canonical_country
from abmcli.keys.fold import folded
from abmcli.keys.tickers import exchange_key
from abmcli.matching.city_shares import CITY_SHARES, REFERENCE_COMPANIES

Profile = dict[str, frozenset[str]]

# Letters and digits of every script are kept: a Japanese address read as its digits
# alone ("前橋市古市町一丁目５０番地１２" as "50 12") said two offices differ or agree by chance.
_NON_ALNUM: Final = re.compile(r"[\W_]+")
_NON_DIGIT: Final = re.compile(r"\D+")
_EXCHANGE: Final = re.compile(r"^([^:]{1,40}):\s*")
_SHARE_CLASS: Final = re.compile(r"[\^./\s-].*$")


def _words(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", folded(text)).split())


# Countries whose exports write a state as its code ("TX") as often as its name.
_STATE_CODE_COUNTRIES: Final = ("US", "CA", "AU")


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """State codes to names ("tx" -> "texas") from ISO 3166-2 (pycountry)."""
    import pycountry

    names: dict[str, str] = {}
    for country in _STATE_CODE_COUNTRIES:
        for state in pycountry.subdivisions.get(country_code=country) or ():
            names.setdefault(state.code.split("-")[1].lower(), _words(state.name))
    return names


def _state(text: str) -> str:
    words = _words(text)
    return _state_names().get(words, words)


def _postal(text: str) -> str:
    code = _NON_ALNUM.sub("", folded(text))
    return code[:5] if code.isdigit() and len(code) == 9 else code  # ZIP+4 -> ZIP


def _phone(text: str) -> str:
    return _phone_from_digits(_NON_DIGIT.sub("", text))


def _phone_from_digits(digits: str) -> str:
    if len(digits) < 7 or digits.count(digits[-1], 1) == len(digits) - 1:
        return ""  # too short, or a placeholder ("000-000-0000", "1 999 999 9999")
    # The last nine digits survive every way of writing the country and trunk prefixes.
    return digits[-9:]


_NON_DIGIT_OR_SEPARATOR: Final = re.compile(r"[^\d\x00]+")


def _phones(texts: list[str]) -> list[str]:
    """`_phone` of a whole column: one regex pass over the joined values."""
    digits = _NON_DIGIT_OR_SEPARATOR.sub("", "\x00".join(texts)).split("\x00")
    if len(digits) != len(texts):  # a value held the separator
        return [_phone(text) for text in texts]
    return [_phone_from_digits(d) for d in digits]


def _ticker(text: str) -> str:
    """The issuer's ticker without the share class or exchange suffix ("ALL^A", "ALL-PA",
    "BRK.B", "BRK/B", "SHOP.TO"), so a listing's preferred shares and its common stock
    are one company, as a person reads them; with its exchange when the cell names one
    ("NYSE: ALL" -> "nyse:all"), as a ticker is one company's on one exchange only."""
    ticker = folded(text.strip())
    named = _EXCHANGE.match(ticker)
    exchange = exchange_key(named.group(1)) if named else ""
    ticker = ticker[named.end():] if named else ticker
    symbol = _NON_ALNUM.sub("", _SHARE_CLASS.sub("", ticker) or ticker)
    return f"{exchange}:{symbol}" if exchange and symbol else symbol


def ticker_symbol(value: str) -> str:
    """A normalised ticker without its exchange: "nyse:all" -> "all"."""
    return value.rpartition(":")[2]


def _on_one_exchange(left: frozenset[str], right: frozenset[str]
                     ) -> tuple[frozenset[str], frozenset[str]]:
    """The tickers of each side listed on an exchange the other side's are (an unknown
    exchange is one of its own): "avx" of a plain list and "asx:avx" say nothing."""
    common = {v.rpartition(":")[0] for v in left} & {v.rpartition(":")[0] for v in right}
    return (frozenset(v for v in left if v.rpartition(":")[0] in common),
            frozenset(v for v in right if v.rpartition(":")[0] in common))


# How much an agreement on a field corroborates a name match.
NONE, PLACE, STRONG = 0, 1, 2


@dataclass(frozen=True)
class EvidenceRule:
    """How one field counts: normalise, then does a difference block, an agreement help?"""

    label: str
    normalise: Callable[[str], str]
    contradicts: bool = False  # different values: not one company
    corroborates: int = NONE  # same value: PLACE (same city) or STRONG (same phone)
    # Vendors label industries and count employees differently: a difference says
    # nothing, so it is not listed against a match.
    differences_count: bool = True
    # The agreement is STRONG only when one of these fields agrees too, else PLACE:
    # countries reuse postal codes ("75001" is Paris and Addison, Texas).
    strong_with: tuple[str, ...] = ()
    # `normalise` of many values at once, where one pass is much faster (phones).
    normalise_all: Callable[[list[str]], list[str]] | None = None
    # A difference contradicts only when these fields differ too: two states alone are
    # a company's offices, two states and two cities ("Accion" in Boston, "Accion
    # Texas" in San Antonio) are two organisations.
    contradicts_with: tuple[str, ...] = ()
    # Values scoped by a prefix ("asx:avx"): compared only within one scope.
    scoped: bool = False


EVIDENCE_RULES: Final[dict[str, EvidenceRule]] = {
    "country": EvidenceRule("country", canonical_country, contradicts=True),
    "state": EvidenceRule("state", _state, contradicts_with=("city",)),
    "city": EvidenceRule("city", _words, corroborates=PLACE),
    "postal_code": EvidenceRule("postal code", _postal, corroborates=STRONG,
                                strong_with=("city", "country")),
    "phone": EvidenceRule("phone", _phone, corroborates=STRONG, normalise_all=_phones),
    "ticker": EvidenceRule("ticker", _ticker, contradicts=True, corroborates=STRONG,
                           scoped=True),
    "industry": EvidenceRule("industry", _words, differences_count=False),
    "employees": EvidenceRule("employees", _words, differences_count=False),
    "parent_id": EvidenceRule("CRM parent", _words, contradicts=True, corroborates=STRONG),
}
# Fields whose difference can say "two companies".
CONTRADICTING_FIELDS: Final = frozenset(
    name for name, rule in EVIDENCE_RULES.items() if rule.contradicts or rule.contradicts_with
) | {other for rule in EVIDENCE_RULES.values() for other in rule.contradicts_with}
# Fields whose words, found in a name, name a place rather than the company.
PLACE_FIELDS: Final = ("country", "state", "city")
# Fields whose same value alone says "one company" (a phone line, a ticker, a CRM
# parent): rows sharing one are compared by name even when their names share no word
# ("AMTEK" / "Ametek" with ticker AME).
BLOCKING_FIELDS: Final = tuple(name for name, rule in EVIDENCE_RULES.items()
                               if rule.corroborates == STRONG and not rule.strong_with)


def profile(values: dict[str, Iterable[str]]) -> Profile:
    """The normalised values of each evidence field found in some rows."""
    found: Profile = {}
    for name, raw in values.items():
        normalised = frozenset(n for v in raw if v and (n := _normalised(name, v)))
        if normalised:
            found[name] = normalised
    return found


def normalised(name: str, value: str) -> str:
    """`value` of evidence field `name` as compared ("" when it says nothing)."""
    return _normalised(name, value) if value else ""


def normalised_all(name: str, values: list[str]) -> list[str]:
    """`normalised` of each of many values of field `name`."""
    rule = EVIDENCE_RULES.get(name)
    if rule is not None and rule.normalise_all is not None:
        return rule.normalise_all(values)
    return [normalised(name, value) for value in values]


@lru_cache(maxsize=1 << 16)
def _normalised(name: str, value: str) -> str:
    rule = EVIDENCE_RULES.get(name)
    return rule.normalise(value) if rule else ""


def merged(a: Profile, b: Profile) -> Profile:
    return {name: a.get(name, frozenset()) | b.get(name, frozenset()) for name in {*a, *b}}


def place_words(*profiles: Profile) -> frozenset[str]:
    """Words of the places the rows name ("bergen op zoom" -> bergen, op, zoom)."""
    return frozenset(
        word for p in profiles for name in PLACE_FIELDS for value in p.get(name, ())
        for word in value.split()
    )


@dataclass
class Verdict:
    """Evidence for and against two sets of rows being one company, in words."""

    agree: list[str] = field(default_factory=list)
    differ: list[str] = field(default_factory=list)
    contradicted: bool = False
    corroboration: int = NONE  # the strongest agreement: NONE, PLACE or STRONG
    # The only contradiction is two tickers on one exchange with one root ("dcacs" /
    # "dcacw", "bai" / "baiw"): one issuer's shares, units or warrants as often as two
    # companies, so a reviewer may still join them.
    share_classes: bool = False

    def describe(self) -> str:
        return ", ".join(self.differ + self.agree)


def weigh(a: Profile, b: Profile) -> Verdict:
    """Compare the evidence of two sets of rows field by field (fields both have)."""
    verdict = Verdict()
    differing: set[str] = set()
    one_exchange: tuple[frozenset[str], frozenset[str]] | None = None  # tickers compared
    for name, rule in EVIDENCE_RULES.items():
        left, right = a.get(name), b.get(name)
        if left and right and rule.scoped:
            same_left, same_right = _on_one_exchange(left, right)
            if same_left and same_right:
                left, right = one_exchange = same_left, same_right
            elif _weigh_across_exchanges(verdict, rule, left, right):
                continue
        if not left or not right:
            continue
        if left & right:
            verdict.agree.append(f"{rule.label} {_shown(left & right)} agrees")
            verdict.corroboration = max(verdict.corroboration, _corroboration(rule, a, b))
        elif rule.differences_count:
            verdict.differ.append(f"{rule.label} {_shown(left)} ≠ {_shown(right)}")
            differing.add(name)
    contradicting = {name for name, rule in EVIDENCE_RULES.items() if name in differing and (
        rule.contradicts or (bool(rule.contradicts_with)
                             and differing.issuperset(rule.contradicts_with)))}
    verdict.contradicted = bool(contradicting)
    verdict.share_classes = (contradicting == {"ticker"} and one_exchange is not None
                             and _one_root(*one_exchange))
    return verdict


# Two symbols of one exchange sharing this many first letters have one root ("dcacs" /
# "dcacw"); three-letter codes ("aaj" / "aai" of the ASX) are other companies.
ROOT_LETTERS: Final = 4


def _one_root(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether a ticker of each side is the other's with letters added ("afg" / "afgb")
    or both begin with the same ROOT_LETTERS letters, on one exchange."""
    for v, w in ((v, w) for v in left for w in right if v != w):
        if v.rpartition(":")[0] != w.rpartition(":")[0]:
            continue
        s, t = ticker_symbol(v), ticker_symbol(w)
        if s.startswith(t) or t.startswith(s) or (
                len(s) > ROOT_LETTERS and len(t) > ROOT_LETTERS
                and s[:ROOT_LETTERS] == t[:ROOT_LETTERS]):
            return True
    return False


def _weigh_across_exchanges(verdict: Verdict, rule: EvidenceRule, left: frozenset[str],
                            right: frozenset[str]) -> bool:
    """Tickers with no exchange in common. One symbol on two exchanges may be two
    companies ("asx:avx" is Avexa, a bare "avx" AVX Corporation): it agrees only as a
    shared city does, and only beside a bare ticker. Different symbols still tell two
    companies apart (False: weigh them as any other field). True when weighed here."""
    shared = {ticker_symbol(v) for v in left} & {ticker_symbol(w) for w in right}
    if not shared:
        return False
    if any(not v.rpartition(":")[0] or not w.rpartition(":")[0]
           for v in left for w in right if ticker_symbol(v) == ticker_symbol(w)):
        verdict.agree.append(f"{rule.label} {_shown(frozenset(shared))} agrees on another "
                             "exchange")
        verdict.corroboration = max(verdict.corroboration, PLACE)
    return True


def _corroboration(rule: EvidenceRule, a: Profile, b: Profile) -> int:
    if rule.corroborates == STRONG and rule.strong_with and not any(
            a.get(name, frozenset()) & b.get(name, frozenset()) for name in rule.strong_with):
        return PLACE
    return rule.corroborates


def _shown(values: frozenset[str]) -> str:
    return "/".join(sorted(values)[:2])


# A city holding at most this share of the rows that give a city (with the reference
# lists' companies) is rare: two different companies whose names differ by one vowel
# seldom both sit there. Berwyn, with 2 of the look-alike bench's 244 located rows and
# none of the 2,434 listed companies, is rare (0.07 %); Palo Alto (61 listed companies,
# 2.5 %) and San Francisco are not; a town of 5 rows in a run of a few rows is not.
RARE_CITY_SHARE: Final = 0.002


class CityRarity:
    """How many of the run's rows sit in each city, as Splink adjusts an agreement for
    how common the agreed value is among the records: the same city says "one company"
    far more in Berwyn than in San Francisco. A city's share of the rows that give a
    city starts from the share of the reference lists' companies there (city_shares.py),
    so two rows in San Francisco never make it a small town. The counts cover every row
    of the run, whatever its order: more rows only make a city less rare."""

    def __init__(self, rows_in: dict[str, int]) -> None:
        self._rows_in = rows_in
        self._rows = sum(rows_in.values())

    def rows_in(self, city: str) -> int:
        return self._rows_in.get(city, 0)

    def share(self, city: str) -> float:
        seen = self.rows_in(city) + CITY_SHARES.get(city, 0.0) * REFERENCE_COMPANIES
        return seen / (self._rows + REFERENCE_COMPANIES)

    def rare(self, city: str) -> bool:
        return self.share(city) <= RARE_CITY_SHARE

    def agreement(self, a: Profile, b: Profile) -> tuple[bool, str]:
        """Whether both sets of rows give one rare city in one country, and the rarest
        city they share in words ("city berwyn agrees (rare: 2 of 240 rows in the run,
        0 of 2,434 listed companies)"), "" when they share none."""
        shared = sorted(a.get("city", frozenset()) & b.get("city", frozenset()),
                        key=lambda city: (self.share(city), city))
        if not shared:
            return False, ""
        city = shared[0]
        rare = self.rare(city)
        listed = round(CITY_SHARES.get(city, 0.0) * REFERENCE_COMPANIES)
        said = (f"city {city} agrees ({'rare' if rare else 'common'}: {self.rows_in(city):,}"
                f" of {self._rows:,} rows in the run, {listed:,} of"
                f" {REFERENCE_COMPANIES:,} listed companies)")
        same_country = bool(a.get("country", frozenset()) & b.get("country", frozenset()))
        return rare and same_country, said
