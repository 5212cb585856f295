"""Decide which account every input row belongs to.

The rules, in order (PRODUCT.md §3.3):

1. Rows with the same registered domain are one account (`domain`). A reviewer's
   accepted decision can join two domains into one account (`decision`). A row without
   a usable domain whose CRM account id is one account's joins it (`crm id`,
   crm_ids.py): before the names, and again after them for rows with no name.
2. Rows without a usable domain match by name: the exact name key of an account
   first (`name`), then a fuzzy match (`fuzzy`) judged on the name, with rare words
   weighing more than common ones (similarity.py), and on the evidence of the rows
   beyond the name (evidence.py): a difference in country, ticker or CRM parent blocks
   it; an agreeing city, postal code, phone, ticker or parent lets it merge at a lower
   name score, and a city rare in the run (with the same country) settles a vowel
   dropped inside a word ("AMTEK" / "Ametek" in Berwyn); without either it merges
   only when the name leaves no doubt (score at least `match.fuzzy_threshold`, no rare
   word differing). A name that is close but in doubt stays an account of its own
   and goes to Review as a candidate pair. Rows that match nothing become a name-only
   account of their own.
3. Two accounts with different domains whose names match strongly are *candidates*:
   listed for review with their score, never merged without a decision.
4. Rows with neither a usable domain nor a name are `rejected`, with the reason.

Fuzzy matching uses blocking (accounts sharing a word or a word's first or last letters
with the name, a short one-word name's consonants, or a phone, ticker or CRM parent with
its rows), so cost grows with the number of rows, not with their square.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from abmcli.fields import CRM_ID_FIELD, EVIDENCE_FIELDS, WEIGHT_COLUMN
from abmcli.keys.domains import domain_keys
from abmcli.keys.names import (
    is_legal_form_only,
    name_keys,
    name_tokens,
    without_misspelt_legal_form,
)
from abmcli.matching.crm_ids import id_keys, place_by_crm_id, shared_id_pairs
from abmcli.matching.decisions import QUALIFIER_MARK, Decisions, qualifier_words
from abmcli.matching.evidence import (
    BLOCKING_FIELDS,
    CONTRADICTING_FIELDS,
    PLACE,
    STRONG,
    CityRarity,
    Profile,
    Verdict,
    merged,
    normalised,
    normalised_all,
    place_words,
    profile,
    weigh,
)
from abmcli.matching.similarity import NameComparison, WordWeights, is_dropped_inside
from abmcli.sections import MatchSettings

DOMAIN, NAME, FUZZY, DECISION, REJECTED = "domain", "name", "fuzzy", "decision", "rejected"
NAME_PREFIX = "name:"

# Keys shorter than this never match fuzzily: one letter is too much of a short name
# ("acme" / "acne"), unless a phone, ticker or CRM parent says one company.
MIN_FUZZY_KEY_LENGTH = 6
# A phone or parent held by more accounts than this is a switchboard or a placeholder,
# not one company's.
MAX_OWNERS_PER_SHARED_VALUE = 10
# A word carried by more accounts than this is too common to block on ("group").
MAX_BLOCK_SIZE = 1000
# Blocks compared pairwise for review candidates are capped at this size.
MAX_CANDIDATE_BLOCK = 60
_DIGITS = re.compile(r"\d+")
# One-word keys of these lengths are also found by their consonants (`skeleton`).
SKELETON_LENGTHS = (5, 7)
_INNER_VOWELS = re.compile(r"[aeiou]")
# Names compared in full: those scoring at least this on rapidfuzz's token-set ratio
# (typos, word order, added words; spacing is looked up), at most this many.
PREFILTER_SCORE = 80
PREFILTER_LIMIT = 3
# A doubtful name merges at this weighted score when the evidence corroborates it ...
EVIDENCE_SCORE = 70.0
# ... and otherwise goes to Review from this score on (below it, the names just differ).
REVIEW_SCORE = 65.0
# A name within another merges on the same city when the words they share weigh at
# least this: two words (each weighs at least 0.5), or one word in at most 1 of 2,000
# names ("acacia", in about 1 of 1,000, weighs 0.5).
CONTAINED_IN_CITY_WEIGHT = 1.0
# At most this many Review pairs for one name-only row.
MAX_REVIEWS_PER_NAME = 3
# Rows without a domain that share a name key but whose evidence contradicts (two
# countries, two tickers, two states and cities: "Bolt" of San Francisco and "Bolt" of
# Tallinn) are accounts of their own: `name:bolt` and `name:bolt @ estonia`
# (decisions.QUALIFIER_MARK).
# The evidence that names such an account, in order of preference.
SEPARATING_FIELDS = ("country", "ticker", "parent_id", "state", "city", "postal_code", "phone")


@dataclass
class MatchResult:
    """Where every input row went, and what a reviewer should look at."""

    rows: pd.DataFrame  # per input row: account_key, match, score, reason, domain, name_key
    # key_a, key_b, score, reason, separated: different domains with similar names, and
    # name-only rows close to an account but in doubt (kept apart until a reviewer
    # decides); `separated` marks look-alikes whose evidence already says two companies
    candidates: pd.DataFrame
    fuzzy: pd.DataFrame  # key_a (name-only key), key_b (account key), score, reason


def account_id(key: str) -> str:
    """A short stable id derived from the account key, so ids survive reordering."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest().upper()
    return f"ACC-{digest}"


def match_rows(
    identities: pd.DataFrame, settings: MatchSettings, decisions: Decisions | None = None,
    keys: pd.DataFrame | None = None,
) -> MatchResult:
    """Assign each row of `identities` (columns name, domain, email and any evidence
    fields: country, city, phone ...) to an account key. `keys`: the rows'
    `identity_keys`, where they were found already (by the workers that read the files)."""
    decisions = decisions or Decisions()
    rows = row_keys(identities, keys)
    # A streamed feed's identity record counts as the input rows it stands for.
    weights = (identities[WEIGHT_COLUMN].fillna(1) if WEIGHT_COLUMN in identities
               else pd.Series(1, index=identities.index))
    rows[WEIGHT_COLUMN] = weights.astype("int64")
    _assign_domain_rows(rows, decisions)
    crm_ids = (id_keys(identities[CRM_ID_FIELD]) if CRM_ID_FIELD in identities
               else pd.Series("", index=identities.index))
    place_by_crm_id(rows, crm_ids)  # an Account row without a website joins its contacts
    name_index = _NameIndex.from_rows(rows)
    context = _NameContext(
        index=name_index, settings=settings, decisions=decisions,
        weights=WordWeights(name_index.names_with, name_index.names),
        evidence=_EvidenceBook(identities, rows),
    )
    fuzzy = _assign_name_rows(rows, context)
    place_by_crm_id(rows, crm_ids)  # a contact without an email joins its named account
    _assign_rejected_rows(rows)
    candidates = find_candidates(name_index, settings, decisions)
    context.reviews.extend(_shared_id_reviews(rows, crm_ids, decisions))
    if context.reviews:
        doubtful = pd.DataFrame(context.reviews, columns=candidates.columns)
        candidates = pd.concat([candidates, doubtful], ignore_index=True).drop_duplicates(
            ["key_a", "key_b"]).sort_values(
            ["score", "key_a", "key_b"], ascending=[False, True, True], ignore_index=True)
    return MatchResult(rows=rows, candidates=candidates, fuzzy=fuzzy)


def _shared_id_reviews(rows: pd.DataFrame, crm_ids: pd.Series,
                       decisions: Decisions) -> list[dict[str, object]]:
    """Accounts one CRM id names but their keys keep apart: a pair for Review."""
    return [review_pair(a, b, 100.0, reason) for a, b, reason in shared_id_pairs(rows, crm_ids)
            if not decisions.decided(a, b)]


def review_pair(key_a: str, key_b: str, score: float, reason: str,
                separated: bool = False) -> dict[str, object]:
    """A pair for the Review sheet (`MatchResult.candidates`' columns)."""
    return {"key_a": key_a, "key_b": key_b, "score": score, "reason": reason,
            "separated": separated}


def row_keys(identities: pd.DataFrame, keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per row its `identity_keys` (or `keys`, found already) and the columns of where
    it goes, to be filled."""
    rows = identity_keys(identities) if keys is None else keys.set_axis(identities.index)
    rows["account_key"] = None
    rows["match"] = None
    rows["score"] = float("nan")
    rows["reason"] = ""
    return rows


def identity_keys(identities: pd.DataFrame) -> pd.DataFrame:
    """Domain and name keys per row (columns domain, domain_reason and name_key; the
    identity fields as text, "" for none); the domain comes from the website, else the
    email. Row by row, so the keys of files read apart can be put together."""
    by_site = domain_keys(identities["domain"])
    by_email = domain_keys(identities["email"], emails=True)
    email_domains, email_reasons = by_email["domain"], by_email["domain_reason"]
    use_email = by_site["domain"].isna() & email_domains.notna()
    site_blank = by_site["domain_reason"].eq("blank")
    rows = pd.DataFrame(index=identities.index)
    rows["domain"] = by_site["domain"].where(~use_email, email_domains)
    # Report why the website was unusable; if it was blank, why the email was.
    rows["domain_reason"] = by_site["domain_reason"].where(
        ~site_blank | identities["email"].eq(""), email_reasons
    )
    rows.loc[rows["domain"].notna(), "domain_reason"] = None
    rows["name_key"] = name_keys(identities["name"])
    return rows


def _assign_domain_rows(rows: pd.DataFrame, decisions: Decisions) -> None:
    """Rows with a domain join the account of that domain (or the account a reviewer's
    decision joined it to). Worked per distinct domain: 700,000 rows hold 100,000."""
    codes, domains = pd.factorize(rows["domain"], use_na_sentinel=True)
    if not len(domains):
        return
    has_domain = codes >= 0
    codes = codes[has_domain]
    texts = [str(domain) for domain in domains]
    roots = [decisions.account_key(domain) for domain in texts]
    joined = np.array([root != domain for root, domain in zip(roots, texts, strict=True)])
    reasons = [f"{domain} joined to {root} by a reviewer's decision" if root != domain
               else f"domain {domain}" for root, domain in zip(roots, texts, strict=True)]
    for column, values in (("account_key", roots), ("reason", reasons),
                           ("match", np.where(joined, DECISION, DOMAIN).tolist())):
        filled = rows[column].to_numpy(dtype=object, copy=True)
        filled[has_domain] = np.array(values, dtype=object)[codes]
        rows[column] = pd.Series(filled, index=rows.index, dtype=rows[column].dtype)


class _NameIndex:
    """Name keys of known accounts, indexed by word and by word prefix for blocking."""

    def __init__(self) -> None:
        self.accounts_by_key: dict[str, list[str]] = defaultdict(list)
        self.keys_by_block: dict[str, list[str]] = defaultdict(list)
        # Keys by their letters without spaces: "st microelectronics" finds
        # "stmicroelectronics" (a string ratio would, a token ratio would not).
        self.keys_by_letters: dict[str, list[str]] = defaultdict(list)
        # Short one-word keys by their consonants: "amtek" finds "ametek".
        self.keys_by_skeleton: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> _NameIndex:
        index = cls()
        named = rows[rows["account_key"].notna() & rows["name_key"].notna()
                     & rows["name_key"].ne("")]
        # Each name key's accounts, the most rows first, then by key: counted on integer
        # codes (sorted, so code order is text order), as a group-by on 700,000 text
        # pairs costs a second.
        key_codes, keys = pd.factorize(named["name_key"], sort=True)
        account_codes, accounts = pd.factorize(named["account_key"], sort=True)
        pairs, pair_codes = np.unique(key_codes.astype("int64") * len(accounts) + account_codes,
                                      return_inverse=True)
        counts = np.bincount(pair_codes, weights=named[WEIGHT_COLUMN].to_numpy(dtype="float64"),
                             minlength=len(pairs))
        pair_keys, pair_accounts = np.divmod(pairs, len(accounts))
        order = np.lexsort((pair_accounts, -counts, pair_keys))
        keys, accounts = np.asarray(keys, dtype=object), np.asarray(accounts, dtype=object)
        for key, account in zip(keys[pair_keys[order]], accounts[pair_accounts[order]],
                                strict=True):
            index.add(key, account)
        return index

    def add(self, key: str, account: str) -> None:
        accounts = self.accounts_by_key[key]
        if not accounts:
            for block in blocking_keys(key):
                self.keys_by_block[block].append(key)
            self.keys_by_letters[key.replace(" ", "")].append(key)
            if consonants := skeleton(key):
                self.keys_by_skeleton[consonants].append(key)
        if account not in accounts:
            accounts.append(account)

    def one_vowel_apart(self, key: str) -> list[str]:
        """Known short one-word keys that are `key` with a vowel dropped inside or
        added ("amtek" / "ametek")."""
        consonants = skeleton(key)
        found = self.keys_by_skeleton.get(consonants, ()) if consonants else ()
        return [other for other in found if is_dropped_inside(key, other)]

    def names_with(self, word: str) -> int:
        """How many known name keys hold `word` (each word of a key is a block)."""
        return len(self.keys_by_block.get(word, ()))

    def names(self) -> int:
        return len(self.accounts_by_key)

    def similar_keys(self, key: str) -> list[str]:
        """Known keys sharing a block with `key`, rarest blocks first, deduplicated."""
        blocks = [self.keys_by_block.get(b, []) for b in blocking_keys(key)]
        seen: dict[str, None] = {}
        for block in sorted(blocks, key=len):
            if len(block) <= MAX_BLOCK_SIZE:
                seen.update(dict.fromkeys(block))
        seen.pop(key, None)
        return list(seen)


def blocking_keys(key: str) -> list[str]:
    """Words of the key and the first and last four letters of its longer words (a
    typo spares one end: "twlert" / "twilert")."""
    words = name_tokens(key)
    prefixes = [f"{w[:4]}…" for w in words if len(w) >= 5]
    prefixes += [f"…{w[-4:]}" for w in words if len(w) >= 6]
    return list(dict.fromkeys(words + prefixes))


def skeleton(key: str) -> str:
    """A one-word key of 5 to 7 letters without the vowels inside it ("ametek" and
    "amtek": "amtk"), else "": a vowel dropped inside so short a word can change both
    its first and its last four letters, and no other word is shared to block on."""
    shortest, longest = SKELETON_LENGTHS
    if not shortest <= len(key) <= longest or " " in key:
        return ""
    return key[0] + _INNER_VOWELS.sub("", key[1:-1]) + key[-1]


def fuzzy_score(a: str, b: str) -> float:
    """Similarity 0-100 of two name keys; 0 when they must not match fuzzily."""
    return float(fuzz.ratio(a, b)) if may_match_fuzzily(a, b) else 0.0


def may_match_fuzzily(a: str, b: str) -> bool:
    """Short names and names with different numbers never match on similarity alone."""
    return min(len(a), len(b)) >= MIN_FUZZY_KEY_LENGTH and same_numbers(a, b)


def same_numbers(a: str, b: str) -> bool:
    """"Studio 3" is not "Studio 4"."""
    return _DIGITS.findall(a) == _DIGITS.findall(b) or _digits_only_in_added_words(a, b)


def _digits_only_in_added_words(a: str, b: str) -> bool:
    """One name is the other with words added, and the numbers that differ are inside
    added words of letters ("Human Interest (Captain401)" / "Human Interest"): such a
    word is weighed as any added word. A number on its own names another company or
    branch ("Studio 3" / "Studio"), and a number in a word both names spell differently
    another brand ("Gravity4" / "Gravity", "Market6" / "Marketo")."""
    words_a, words_b = set(a.split()), set(b.split())
    if not (words_a <= words_b or words_b <= words_a):
        return False
    return not any(word.isdigit() for word in words_a ^ words_b)


class _EvidenceBook:
    """The evidence (country, city, phone ...) of name keys and of accounts, gathered
    only for the names and accounts the matcher compares, and cached."""

    def __init__(self, identities: pd.DataFrame, rows: pd.DataFrame) -> None:
        self._fields = [f for f in EVIDENCE_FIELDS if f in identities.columns]
        self._identities = identities
        self._rows = rows
        self._groups: dict[str, _RowGroups] = {}
        self._values: dict[str, np.ndarray] = {}
        self._profiles: dict[str, Profile] = {}
        self._shared: _SharedValues | None = None
        self._has_domain: np.ndarray | None = None
        self._with_evidence: np.ndarray | None = None
        self._cities: CityRarity | None = None

    def cities(self) -> CityRarity:
        """How rare each city is in the run (counted over all its rows, once)."""
        if self._cities is None:
            self._cities = self._count_cities()
        return self._cities

    def _count_cities(self) -> CityRarity:
        """Rows per normalised city, each counted as the input rows it stands for."""
        if "city" not in self._fields:
            return CityRarity({})
        codes, uniques = pd.factorize(self._identities["city"].to_numpy())
        normal = normalised_all("city", [str(u) for u in uniques]) + [""]
        city_codes, cities = pd.factorize(np.array(normal, dtype=object))
        rows = np.bincount(city_codes[codes], minlength=len(cities),  # -1 reads ""
                           weights=self._rows[WEIGHT_COLUMN].to_numpy())
        return CityRarity({str(city): int(n) for city, n in zip(cities, rows, strict=True)
                           if city and n})

    def sharing(self, key: str) -> dict[str, str]:
        """Owners whose rows share a phone, ticker or CRM parent with the rows without
        a domain named `key` (account keys, `name:` keys of other rows without one), and
        the name key of their row that does."""
        if self._shared is None:
            self._shared = _SharedValues(self._arrays(), self._rows, *self._masks())
        return self._shared.owners(key)

    def _rows_of(self, column: str, value: str) -> np.ndarray:
        """Positions of the rows with evidence whose `column` is `value`: account_key
        over rows with a domain, name_key over rows without; built on first use."""
        if column not in self._groups:
            has_domain, with_evidence = self._masks()
            chosen = has_domain if column == "account_key" else ~has_domain
            positions = np.flatnonzero(chosen & with_evidence)
            self._groups[column] = _RowGroups(self._rows[column].to_numpy()[positions],
                                              positions)
        return self._groups[column].positions(value)

    def _masks(self) -> tuple[np.ndarray, np.ndarray]:
        """Which rows have a domain, and which carry any evidence (computed once)."""
        if self._has_domain is None or self._with_evidence is None:
            self._has_domain = self._rows["account_key"].notna().to_numpy()
            self._with_evidence = np.zeros(len(self._has_domain), dtype=bool)
            for values in self._arrays().values():
                self._with_evidence |= values != ""
        return self._has_domain, self._with_evidence

    def _arrays(self) -> dict[str, np.ndarray]:
        if not self._values:
            self._values = {f: self._identities[f].to_numpy() for f in self._fields}
        return self._values

    def _profile_of(self, positions: np.ndarray,
                    fields: frozenset[str] | None = None) -> Profile:
        if len(positions) == 0:
            return {}
        return profile({f: set(values[positions]) for f, values in self._arrays().items()
                        if fields is None or f in fields})

    def contradicting(self, account: str) -> Profile:
        """The account's evidence that can contradict (country, state, city, ticker, CRM
        parent), not kept: most accounts are checked once, by the rows of their name."""
        if not self._fields or account in self._profiles or account.startswith(NAME_PREFIX):
            return self.of_account(account)
        return self._profile_of(self._rows_of("account_key", account), CONTRADICTING_FIELDS)

    def of_name(self, key: str) -> Profile:
        """Evidence of the rows without a domain whose name key is `key`."""
        own = NAME_PREFIX + key
        if not self._fields:
            return {}
        if own not in self._profiles:
            self._profiles[own] = self._profile_of(self._rows_of("name_key", key))
        return self._profiles[own]

    def of_account(self, account: str) -> Profile:
        if not self._fields:
            return {}
        if account in self._profiles:
            return self._profiles[account]
        if account.startswith(NAME_PREFIX):
            return self.of_name(account.removeprefix(NAME_PREFIX))
        self._profiles[account] = self._profile_of(self._rows_of("account_key", account))
        return self._profiles[account]

    def signatures(self, positions: np.ndarray) -> np.ndarray:
        """Per row at `positions`, a code of its evidence that can contradict another
        row's (country, state, city, ticker, CRM parent): rows of one name with a single
        code are one company. Values are normalised once per distinct value ("USA" and
        "United States" code alike)."""
        combined = np.zeros(len(positions), dtype=np.int64)
        for name in (f for f in self._fields if f in CONTRADICTING_FIELDS):
            codes, uniques = pd.factorize(self._identities[name].to_numpy()[positions])
            values = normalised_all(name, [str(u) for u in uniques])
            normal, distinct = pd.factorize(np.array(values + [""], dtype=object))
            combined = pd.factorize(combined * (len(distinct) + 1) + normal[codes])[0]
        return combined

    def names(self, positions: np.ndarray) -> list[str]:
        """The names the rows at `positions` give, as written (case aside)."""
        return [str(n).casefold() for n in self._identities["name"].to_numpy()[positions]]

    def of_rows(self, positions: np.ndarray) -> Profile:
        """Evidence of the rows at `positions`."""
        return self._profile_of(positions) if self._fields else {}

    def register(self, account: str, evidence: Profile) -> None:
        """`account` holds just these rows' evidence (a name key's rows split apart)."""
        if self._fields:
            self._profiles[account] = evidence

    def absorb(self, account: str, own: str) -> None:
        """The rows of name-only account `own` joined `account`: their evidence is the
        account's too."""
        if account != own and self._fields:
            self._profiles[account] = merged(self.of_account(account), self.of_account(own))


class _SharedValues:
    """Who holds each phone, ticker and CRM parent that rows without a domain hold: the
    owners of rows with those values (account keys, `name:` keys) with the name the row
    gives, built in one pass over the rows."""

    def __init__(self, arrays: dict[str, np.ndarray], rows: pd.DataFrame,
                 has_domain: np.ndarray, with_evidence: np.ndarray) -> None:
        self._values_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._owners_of: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self._accounts = rows["account_key"].to_numpy()
        self._keys = rows["name_key"].to_numpy()
        self._loose = ~has_domain
        evidence = np.flatnonzero(with_evidence)
        for name in (f for f in BLOCKING_FIELDS if f in arrays):
            held = evidence[arrays[name][evidence] != ""]
            self._add_field(name, arrays[name][held], held)

    def _add_field(self, name: str, raw: np.ndarray, positions: np.ndarray) -> None:
        codes, uniques = pd.factorize(raw)
        loose_codes = pd.unique(codes[self._loose[positions]])  # order unused: a set below
        if len(loose_codes) == 0:
            return
        wanted = {normalised(name, uniques[c]) for c in loose_codes} - {""}
        if not wanted:
            return
        values = normalised_all(name, uniques.tolist())
        # Only the rows holding a value that some row without a domain holds.
        kept = np.array([v in wanted for v in values], dtype=bool)[codes]
        for position, code in zip(positions[kept].tolist(), codes[kept].tolist(), strict=True):
            key, value = self._keys[position], (name, values[code])
            if not key:
                continue  # no name to compare
            if self._loose[position]:
                self._values_of[key].add(value)
                self._owners_of[value].setdefault(NAME_PREFIX + key, key)
            else:
                self._owners_of[value].setdefault(self._accounts[position], key)

    def owners(self, key: str) -> dict[str, str]:
        """Owner -> the name key of its row that shares a value with `key`'s rows."""
        found: dict[str, str] = {}
        for value in sorted(self._values_of.get(key, ())):
            owners = self._owners_of[value]
            if len(owners) <= MAX_OWNERS_PER_SHARED_VALUE:
                for owner, their_key in owners.items():
                    found.setdefault(owner, their_key)
        found.pop(NAME_PREFIX + key, None)
        return found


class _RowGroups:
    """Row positions by value of one column: codes sorted once, sliced per value."""

    def __init__(self, values: np.ndarray, positions: np.ndarray) -> None:
        codes, uniques = pd.factorize(values)
        self._order = positions[np.argsort(codes, kind="stable")]
        self._bounds = np.searchsorted(np.sort(codes), np.arange(len(uniques) + 1))
        self._code = {value: code for code, value in enumerate(uniques)}

    def positions(self, value: str) -> np.ndarray:
        code = self._code.get(value)
        if code is None:
            return np.empty(0, dtype=np.intp)
        return self._order[self._bounds[code]:self._bounds[code + 1]]


@dataclass
class _NameContext:
    """What placing a name needs: known names, word weights, evidence, decisions."""

    index: _NameIndex
    settings: MatchSettings
    decisions: Decisions
    weights: WordWeights
    evidence: _EvidenceBook
    reviews: list[dict[str, object]] = field(default_factory=list)


Placement = tuple[str, str, float, str]


@dataclass(frozen=True)
class _NameGroup:
    """Rows without a domain placed together: those of one name key, unless their
    evidence says two companies (then one group per company), or each alike row of a
    name that is only a legal form."""

    key: str
    account: str  # the account the rows are when they join none: name:<key>[ @ <qualifier>]
    positions: np.ndarray
    weight: int  # of all the rows of the name: a name's groups are placed together
    legal_only: bool = False
    order: int = 0  # among the groups of the name


def _assign_name_rows(rows: pd.DataFrame, context: _NameContext) -> pd.DataFrame:
    name_only = (rows["account_key"].isna() & rows["name_key"].ne("")).to_numpy()
    placements: list[tuple[np.ndarray, Placement]] = []
    fuzzy_merges = []
    for group in _name_groups(rows, name_only, context.evidence):
        placement = _place_name(group, context)
        placements.append((group.positions, placement))
        account, match, score, reason = placement
        if not group.legal_only:
            context.index.add(group.key, account)
        if match in (FUZZY, DECISION):
            context.evidence.absorb(account, group.account)
        if match == FUZZY:
            fuzzy_merges.append({"key_a": group.account, "key_b": account,
                                 "score": score, "reason": reason})
    _write_placements(rows, placements)
    return pd.DataFrame(fuzzy_merges, columns=["key_a", "key_b", "score", "reason"])


def _name_groups(rows: pd.DataFrame, name_only: np.ndarray,
                 evidence: _EvidenceBook) -> list[_NameGroup]:
    """The groups of rows without a domain, most rows first."""
    positions = np.flatnonzero(name_only)
    if len(positions) == 0:
        return []
    keys = rows["name_key"].to_numpy()[positions]
    weights = rows[WEIGHT_COLUMN].to_numpy()[positions]
    signatures = evidence.signatures(positions)
    # Names whose rows have more than one signature (vectorised: most have one).
    varied = pd.DataFrame({"key": keys, "sign": signatures}).groupby(
        "key", sort=False)["sign"].nunique()
    varied = set(varied.index[varied.to_numpy() > 1])
    groups: list[_NameGroup] = []
    by_key = _RowGroups(keys, np.arange(len(positions)))
    for key in pd.unique(keys):
        at = by_key.positions(key)
        weight = int(weights[at].sum())
        legal_only = is_legal_form_only(key)
        if not legal_only and key not in varied:
            groups.append(_NameGroup(key, NAME_PREFIX + key, positions[at], weight))
            continue
        signed: list[object] = signatures[at].tolist()
        if legal_only:  # "! LTD" and "!? LTD" are two rows that say nothing alike
            signed = list(zip(signed, evidence.names(positions[at]), strict=True))
        groups += [replace(g, weight=weight) for g in _split_name(
            key, positions[at], weights[at], signed, legal_only, evidence)]
    groups.sort(key=lambda g: (-g.weight, g.key, g.order))
    return groups


def _split_name(key: str, positions: np.ndarray, weights: np.ndarray, signatures: list[object],
                legal_only: bool, evidence: _EvidenceBook) -> list[_NameGroup]:
    """One group per company among the rows named `key`: rows whose evidence contradicts
    (evidence.weigh) are two companies. When there are two or more, each is named by
    what sets it apart (`name:bolt @ estonia`, the same whatever other rows come), and
    the rows without evidence are a group `name:bolt` placed after them: it joins the
    first account of that name, as any row of the name alone would. A name of legal-form
    words only says nothing, so each distinct row of it is a group of its own."""
    by_signature: dict[object, list[int]] = defaultdict(list)
    for i, signature in enumerate(signatures):
        by_signature[signature].append(i)
    profiled = []
    for signature, members in by_signature.items():
        found = evidence.of_rows(positions[members])
        # Ties broken by what the rows say, not by where they stand in the files.
        said = repr((sorted((n, sorted(v)) for n, v in found.items()),
                     signature[1] if isinstance(signature, tuple) else ""))
        profiled.append((members, found, said))
    profiled.sort(key=lambda item: (-int(weights[item[0]].sum()), item[2]))
    # Each cluster: its rows, their evidence, and the least of what its rows say (a
    # name for it that no other row of the run changes).
    clusters: list[tuple[list[int], Profile, str]] = []
    loose: list[int] = []
    for members, found, said in profiled:
        if not found and not legal_only:
            loose += members
            continue
        home = None if legal_only else next(
            (c for c in clusters if not weigh(c[1], found).contradicted), None)
        if home is None:
            clusters.append((list(members), found, said))
        else:
            home[0].extend(members)
            clusters[clusters.index(home)] = (home[0], merged(home[1], found),
                                              min(home[2], said))
    if len(clusters) <= 1:
        return [_NameGroup(key, NAME_PREFIX + key, positions, int(weights.sum()), legal_only)]
    groups: list[_NameGroup] = []
    used: set[str] = set()
    for number, (members, found, said) in enumerate(clusters):
        others: Profile = {}
        for other in clusters[:number] + clusters[number + 1:]:
            others = merged(others, other[1])
        account = NAME_PREFIX + key + QUALIFIER_MARK + _qualifier(found, others, used, said)
        used.add(account)
        evidence.register(account, found)
        groups.append(_group(key, account, positions, weights, members, legal_only, number))
    if loose:
        groups.append(_group(key, NAME_PREFIX + key, positions, weights, loose, legal_only,
                             len(groups)))
    return groups


def _group(key: str, account: str, positions: np.ndarray, weights: np.ndarray,
           members: list[int], legal_only: bool, order: int) -> _NameGroup:
    at = np.array(sorted(members))
    return _NameGroup(key, account, positions[at], int(weights[at].sum()), legal_only, order)


def _qualifier(found: Profile, others: Profile, used: set[str], said: str) -> str:
    """What sets a group apart from the name's other groups, in words ("estonia"),
    unique among the name's groups; else a tag hashed from what its rows say (rows of a
    legal-form name without evidence: `name:ltd @ r3f9a2c`), the same every week the
    rows come again, whatever other rows of the name come or go (a number by order
    would pass to another group)."""
    words = [sorted(found[name])[0] for name in SEPARATING_FIELDS
             if found.get(name) and not found[name] & others.get(name, frozenset())]
    words += [sorted(found[name])[0] for name in SEPARATING_FIELDS
              if found.get(name) and sorted(found[name])[0] not in words]
    tag = "r" + hashlib.blake2b(said.encode("utf-8"), digest_size=3).hexdigest()
    for qualifier in [qualifier_words(" ".join(words[:count]))
                      for count in range(1, len(words) + 1)] + [tag]:
        if qualifier and not any(u.endswith(QUALIFIER_MARK + qualifier) for u in used):
            return qualifier
    return f"{tag} {len(used) + 1}"  # two groups saying the same: never (distinct rows)


def _place_name(group: _NameGroup, context: _NameContext) -> Placement:
    decisions, key = context.decisions, group.key
    own_key = group.account
    decided = decisions.account_key(own_key)
    if decided != own_key:
        return decided, DECISION, float("nan"), f"name joined to {decided} by a reviewer's decision"
    if group.legal_only:
        return own_key, NAME, float("nan"), (
            "name only, no domain; a name of legal-form words only joins no other row")
    ours = context.evidence.of_account(own_key)
    exact, contradicted = _same_name(key, own_key, ours, context)
    if exact:
        others = f" (also on {', '.join(exact[1:4])})" if len(exact) > 1 else ""
        return exact[0], NAME, 100.0, f"same name as {exact[0]}{others}"
    shorter = without_misspelt_legal_form(key)
    if shorter is not None:
        spelt, _ = _same_name(shorter[0], own_key, ours, context)
        if spelt:
            return spelt[0], FUZZY, shorter[1], (
                f"name '{key}' is '{shorter[0]}' with a misspelt legal form, as {spelt[0]}")
    best = _best_fuzzy(key, own_key, ours, context)
    if best is not None:
        return best
    for account, verdict in contradicted[:MAX_REVIEWS_PER_NAME]:
        context.reviews.append(review_pair(
            own_key, account, 100.0,
            f"name-only '{key}' = '{key}' of {account}: name 100, {verdict.describe()}"))
    return own_key, NAME, float("nan"), "name only, no domain"


def _same_name(key: str, own_key: str, ours: Profile, context: _NameContext,
               ) -> tuple[list[str], list[tuple[str, Verdict]]]:
    """The accounts named `key` whose evidence does not contradict `ours`, and those
    whose evidence does (with the verdict): the same name is no proof against two
    countries, two tickers, or two states and cities."""
    agreeing, contradicted = [], []
    for account in context.index.accounts_by_key.get(key, ()):
        if context.decisions.rejected(own_key, account):
            continue
        if not ours:  # rows without evidence contradict nothing
            agreeing.append(account)
            continue
        if weigh(ours, context.evidence.contradicting(account)).contradicted:
            # The whole evidence, for the reason on the Review sheet.
            contradicted.append((account, weigh(ours, context.evidence.of_account(account))))
        else:
            agreeing.append(account)
    return agreeing, contradicted


@dataclass(frozen=True)
class _Judged:
    other_key: str
    account: str
    name: NameComparison
    verdict: Verdict
    # Too short to match on the name alone: only a shared phone, ticker or parent, or
    # a vowel dropped in a rare city, may merge it ("AMTEK" / "Ametek").
    short: bool = False
    # The rows agree on country and on a city few of the run's rows give
    # (evidence.CityRarity) ...
    rare_city: bool = False
    # ... and their city's agreement with how rare it is, in words, for the reason and
    # the Review sheet.
    city: str = ""

    def separated(self) -> bool:
        """The name differs by more than an added word or a slip ("Alligator Energy" /
        "Aleator Energy") and the evidence says two companies (another ticker on the same
        exchange, not one root as a share class's: "DCACS" / "DCACW"; another country): a
        look-alike a reviewer need not decide. A name that leaves no doubt, or only a
        slight one, against contradicting evidence is still in doubt ("AusNet Services
        Holdings" / "AusNet Services")."""
        return (self.verdict.contradicted and not self.verdict.share_classes
                and bool(self.name.doubt) and not self.name.slight and not self.name.contained)

    def explain(self) -> str:
        """`name 71.4 (rare word differs: sharp/shaw), country united states ≠ canada`."""
        doubt = f" ({self.name.doubt})" if self.name.doubt else ""
        evidence = self.verdict.describe()
        if self.city:  # "city berwyn agrees" says how rare the city is
            agree = [self.city if said.startswith("city ") else said
                     for said in self.verdict.agree]
            evidence = ", ".join(self.verdict.differ + agree)
        return f"name {self.name.score:g}{doubt}" + (f", {evidence}" if evidence else "")


def _best_fuzzy(key: str, own_key: str, ours: Profile,
                context: _NameContext) -> Placement | None:
    """The account a name-only group merges into, or None (then doubtful matches are
    recorded in `context.reviews`)."""
    merges, doubtful = [], []
    for judged in _judge_similar(key, own_key, ours, context):
        if _merges(judged, context.settings.fuzzy_threshold):
            merges.append(judged)
        elif judged.name.score >= REVIEW_SCORE or judged.name.contained:
            doubtful.append(judged)
    if merges:
        best = min(merges, key=lambda j: (-j.name.score, j.other_key, j.account))
        return best.account, FUZZY, best.name.score, (
            f"name '{key}' ~ '{best.other_key}' of {best.account}: {best.explain()}")
    doubtful.sort(key=lambda j: (-j.name.score, j.other_key, j.account))
    for judged in doubtful[:MAX_REVIEWS_PER_NAME]:
        context.reviews.append(review_pair(
            own_key, judged.account, judged.name.score,
            f"name-only '{key}' ~ '{judged.other_key}': {judged.explain()}",
            judged.separated()))
    return None


def _merges(judged: _Judged, threshold: float) -> bool:
    """Contradicting evidence blocks. Strong evidence (phone, ticker, CRM parent, postal
    code with city or country) lowers the bar for any name, and alone lets a short name
    merge; the same city lowers it for a name whose only doubt is slight (an added word,
    a dropped letter), and a rare city in the same country settles a vowel dropped
    inside a word. Without evidence the name must leave no doubt."""
    name, corroboration = judged.name, judged.verdict.corroboration
    if judged.verdict.contradicted:
        return False
    if judged.rare_city and name.dropped_vowel and name.score >= EVIDENCE_SCORE:
        # "AMTEK" / "Ametek", both in Berwyn: two companies one letter apart seldom sit
        # in one small town; in San Francisco they do ("Cinder" / "Cindr").
        return True
    if judged.short and corroboration != STRONG:
        return False
    if name.score >= EVIDENCE_SCORE and (
        corroboration == STRONG
        or (corroboration == PLACE and (not name.doubt or name.slight))
    ):
        return True
    if name.contained and (corroboration == STRONG or (
            corroboration == PLACE and name.shared_weight >= CONTAINED_IN_CITY_WEIGHT)):
        # "Prayas Analytics" in the same city as "Prayas Analytics MetricBoy". A city
        # holds many companies whose names begin with a word many names have: "Acacia"
        # and "Acacia Interactive" in Nashville are two.
        return True
    return not name.doubt and name.score >= threshold


def _judge_similar(key: str, own_key: str, ours: Profile,
                   context: _NameContext) -> Iterable[_Judged]:
    """Known names similar to `key`, each account judged on name and evidence."""
    spaced = [k for k in context.index.keys_by_letters.get(key.replace(" ", ""), ()) if k != key]
    vowel_apart = context.index.one_vowel_apart(key)
    sharing = _keys_sharing_evidence(key, context)
    choices = context.index.similar_keys(key)
    close = [other for other, _, _ in process.extract(
        key, choices, scorer=fuzz.token_set_ratio, score_cutoff=PREFILTER_SCORE,
        limit=PREFILTER_LIMIT)] if choices else []
    for other_key in dict.fromkeys(spaced + close + sharing + vowel_apart):
        # The same letters spaced otherwise ("&AI" / "AndAI") are no guess, however short;
        # a short name one vowel off ("amtek" / "ametek") is judged: a rare city merges it.
        short = other_key not in spaced and not may_match_fuzzily(key, other_key)
        if short and not (same_numbers(key, other_key)
                          and (other_key in sharing or other_key in vowel_apart)):
            continue
        for account in context.index.accounts_by_key[other_key][:MAX_REVIEWS_PER_NAME]:
            if context.decisions.rejected(own_key, account):
                continue
            theirs = context.evidence.of_account(account)
            name = context.weights.compare(key, other_key, place_words(ours, theirs))
            rare_city, city = (context.evidence.cities().agreement(ours, theirs)
                               if name.dropped_vowel else (False, ""))
            yield _Judged(other_key, account, name, weigh(ours, theirs), short, rare_city, city)


def _keys_sharing_evidence(key: str, context: _NameContext) -> list[str]:
    """Known name keys of the accounts whose rows share a phone, ticker or CRM parent
    with the rows named `key`, whether or not the names share a word."""
    # A row without a domain not placed yet finds this key in turn when it is placed.
    placed = context.index.accounts_by_key
    return [other for other in context.evidence.sharing(key).values() if other in placed]


def _write_placements(rows: pd.DataFrame,
                      placements: list[tuple[np.ndarray, Placement]]) -> None:
    if not placements:
        return
    for position, column in enumerate(["account_key", "match", "score", "reason"]):
        values = rows[column].to_numpy(dtype=object, copy=True)
        for at, placement in placements:
            values[at] = placement[position]
        rows[column] = values if column != "score" else values.astype(float)


# Why a row without a company name could not be placed, by domain reject reason.
REJECTED_LABELS = {
    "blank": "no website, domain or email",
    "placeholder": "a placeholder instead of a website",
    "not_a_domain": "the website is not a company domain",
    "ip_address": "an IP address instead of a website",
    "freemail": "only a free-mail address",
    "bare_suffix": "a domain ending without a name",
}


def _assign_rejected_rows(rows: pd.DataFrame) -> None:
    rejected = rows["account_key"].isna()
    if not rejected.any():
        return
    labels = rows.loc[rejected, "domain_reason"].map(REJECTED_LABELS).fillna("no usable domain")
    rows.loc[rejected, "match"] = REJECTED
    rows.loc[rejected, "reason"] = labels + " and no company name"


def find_candidates(
    index: _NameIndex, settings: MatchSettings, decisions: Decisions
) -> pd.DataFrame:
    """Pairs of different domain accounts whose names match strongly, best first."""
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for key, accounts in index.accounts_by_key.items():
        domain_accounts = [a for a in accounts if not a.startswith(NAME_PREFIX)]
        if len(domain_accounts) > MAX_CANDIDATE_BLOCK or is_legal_form_only(key):
            # A name on that many domains is a generic word, not one company; one of
            # legal-form words only ("ltd") says nothing.
            continue
        for a, b in _pairs(domain_accounts):
            pairs.setdefault((a, b), (100.0, f"same name '{key}'"))
    for a_key, b_key, score in _similar_key_pairs(index, settings.candidate_threshold):
        for a, b in _cross_pairs(index.accounts_by_key[a_key], index.accounts_by_key[b_key]):
            pairs.setdefault((a, b), (score, f"names '{a_key}' ~ '{b_key}'"))
    records = [
        review_pair(a, b, score, reason + _domain_hint(a, b))
        for (a, b), (score, reason) in pairs.items()
        if not decisions.decided(a, b) and decisions.account_key(a) != decisions.account_key(b)
    ]
    frame = pd.DataFrame(records, columns=["key_a", "key_b", "score", "reason", "separated"])
    return frame.sort_values(["score", "key_a", "key_b"], ascending=[False, True, True],
                             ignore_index=True)


def _pairs(accounts: list[str]) -> Iterable[tuple[str, str]]:
    ordered = sorted(set(accounts))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def _cross_pairs(left: list[str], right: list[str]) -> Iterable[tuple[str, str]]:
    for a in left:
        for b in right:
            if a != b and not a.startswith(NAME_PREFIX) and not b.startswith(NAME_PREFIX):
                yield (a, b) if a < b else (b, a)


def _similar_key_pairs(index: _NameIndex, threshold: float) -> Iterable[tuple[str, str, float]]:
    """Pairs of distinct name keys scoring at least `threshold`, compared within blocks
    of keys that share their first word (their first two words where one word is too
    common), so the cost stays linear in the number of accounts."""
    for block in _candidate_blocks(list(index.accounts_by_key)):
        scores = process.cdist(block, block, scorer=fuzz.ratio, score_cutoff=threshold)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j and may_match_fuzzily(block[i], block[j]):
                yield block[i], block[j], round(float(scores[i, j]), 1)


def _candidate_blocks(keys: list[str], words: int = 1) -> Iterable[list[str]]:
    by_prefix: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in keys:
        tokens = name_tokens(key)
        if len(tokens) >= words:
            by_prefix[tuple(tokens[:words])].append(key)
    for block in by_prefix.values():
        if len(block) <= MAX_CANDIDATE_BLOCK:
            if len(block) > 1:
                yield sorted(block)
        elif words < 2:  # "united ..." is too common: split by the first two words
            yield from _candidate_blocks(block, words + 1)


def _domain_hint(a: str, b: str) -> str:
    if a.split(".")[0] == b.split(".")[0]:
        return f"; both domains are '{a.split('.')[0]}' under different suffixes"
    return ""
