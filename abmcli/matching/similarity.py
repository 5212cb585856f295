"""How alike two company names are, when the word that differs matters more than the rest.

"Sharp Communications" and "Shaw Communications" score 91 on a plain string ratio, yet
they share only the word that says least. Here every word weighs by how rare it is
among the names of the run, as Splink's term-frequency adjustment weighs an agreement
on a rare value above one on a common value (the chance that two names share a word by
accident is the word's frequency): `communications`, `holdings`, `group` weigh little,
`shaw`, `xeris`, `blink` weigh much. Legal-form words weigh nothing wherever they stand
("BOSCH GMBH ROBERT"), and so do words naming the place the rows say they are in
("CARGILL B.V., BERGEN OP ZOOM" with city Bergen op Zoom).

On a small run the counts say little, so a word's frequency starts from how common it
is in real company lists (`name_words.py`) and the run's own names move it from there.
rapidfuzz compares the words; the result also says, in words, why the names are in
doubt ("rare word differs: sharp/shaw"), for the Review sheet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from abmcli.keys.names import LEGAL_WORDS
from abmcli.matching.name_words import REFERENCE_NAMES, WORD_SHARES

# A word in at least this share of names is common: it says little about which company
# a name means (`holdings`, `software`, `communications`).
COMMON_SHARE: Final = 0.001
# The least weight a word that is not a legal form has, however common it is.
MIN_WEIGHT: Final = 0.5
# Short legal forms that exports mistype at the end of a name ("Ic.", "Crop.", "Ltd").
_SHORT_LEGAL_FORMS: Final = ("inc", "corp", "ltd", "llc", "plc", "gmbh")
# Web suffixes written onto a name ("Conveo.ai", "Million.js"). Endings of English
# words ("-ly", "-me", "-co", "-app") are left out: glued to a name they make another
# brand as often as a web address ("Fabric" / "Fabricly", "Grammar" / "Grammarly").
_GLUED_SUFFIXES: Final = frozenset({"ai", "io", "js", "hq"})
# Words that join names and carry no identity.
_FILLER_WORDS: Final = frozenset({"and", "the", "of"})
# Common words that, added to a name, say how the company is organised or how widely it
# works, not what it does: "Advertise Purple" / "Advertise Purple Holdings", "Ameriprise
# Financial" / "Ameriprise Financial Services" are one company. Any other added word
# leaves a doubt, however common: a word naming a line of business ("resources",
# "energy", "capital", "pharmaceuticals") or a place makes another company as often as
# not ("Alchemy", a fintech, and "Alchemy Resources", a miner); so does "AI" written
# apart ("Simple" / "Simple AI" are two companies; "Conveo.ai" glued is a web address).
# Legal forms and fillers say nothing either.
_ORGANISATION_WORDS: Final = frozenset({
    "group", "groups", "holdings", "holding", "international", "intl", "global",
    "worldwide", "companies", "enterprises", "industries", "services", "solutions"})
# Two words at least this alike are one word written differently (else: different words).
PAIR_SIMILARITY: Final = 60.0
# Beside a word both names share, a word with one letter dropped, added or two letters
# swapped is a typing error ("Indigo Shoer AI" / "Indigo Shore AI"); beside common words
# only, in words of at least 7 letters ("Salesfroce Technologies"). A replaced letter
# makes another name as often as a typo ("Ritter" / "Rieter", "Blinn" / "Blink"), and a
# one-word name one letter longer is another brand as often as not ("Webnode" /
# "Webnodes", "Automatic" / "Auctomatic"): alone, only a swap in a word of 8 letters or
# a dropped letter in one of 11 is a typo ("ContnetRaven", "Instapaiting").
TYPO_MIN_LENGTH: Final = 7
TYPO_MIN_LENGTH_BESIDE_RARE: Final = 3
SWAP_MIN_LENGTH_ALONE: Final = 8
DROP_MIN_LENGTH_ALONE: Final = 11
# Shorter swaps and drops beside a shared word are still slight doubts, which the rows'
# city can settle.
SLIGHT_TYPO_LENGTH: Final = 6
# A doubled letter written once ("Goldbely" / "Goldbelly") is the commonest typo, and
# unlike a dropped vowel ("RankTrackr" / "RankTracker") or an added letter ("Webnodes")
# no two companies of the reference lists differ by one in a word of this length: alone,
# it is a slight doubt the rows' city can settle.
DOUBLED_LETTER_LENGTH: Final = 7
# A vowel dropped inside a word, its first and last letters kept ("Ametek" / "AMTEK",
# "GiveSpark" / "GiveSprk"), in a word of at least this many letters, is a typo as often
# as another brand ("RankTracker" / "RankTrackr", "Cinder" / "Cindr" are two companies):
# not even the same city settles it, unless few companies sit there (evidence.CityRarity).
# Left out, as the look-alike pairs of the reference lists show: a consonant dropped
# inside makes another name more often than a typo ("Upstream" / "Ustream", "Perfion" /
# "Perion", "Medium" / "Meldium"), and a letter dropped at the end is a plural or a
# brand's ending ("Hive" / "Hiver", "Gauge" / "Gauges", "Anglera" / "Angler").
DROPPED_INSIDE_LENGTH: Final = 6
_VOWELS: Final = frozenset("aeiou")
# Words whose addition to a name leaves no doubt (see _ORGANISATION_WORDS).
_SAYS_NOTHING_ADDED: Final = LEGAL_WORDS | _FILLER_WORDS | _ORGANISATION_WORDS
TYPO_SIMILARITY: Final = 96.0


@dataclass(frozen=True)
class NameComparison:
    """`score` 0-100 weighs each word by its rarity; `doubt` says why the names may
    still be two companies ("" when the name leaves no doubt)."""

    score: float
    doubt: str
    # The doubt is only a word one name adds ("Air Products" / "Air Products and
    # Chemicals") or one letter dropped or swapped in a long word ("Goldbely"), not a
    # word that differs: the rows' place can settle it.
    slight: bool = False
    # One name is the other with words added, and the shorter has a rare word of its
    # own ("Prayas Analytics" / "Prayas Analytics MetricBoy").
    contained: bool = False
    # How much the words both names share say (the sum of their weights): "acacia", a
    # word of many company names, says little (0.5); "air products" says more (1.0).
    shared_weight: float = 0.0
    # Every doubt is a word with one vowel dropped inside it ("ametek" / "amtek"): the
    # same city settles it only where few companies sit.
    dropped_vowel: bool = False


class WordWeights:
    """How much each word of a company name says, from its frequency across the names.

    `names_with(word)` is how many distinct names of the run hold the word and
    `names()` how many names the run has: the matcher answers both from its index of
    names as it grows, so the weights cost no pass of their own.
    """

    def __init__(self, names_with: Callable[[str], int], names: Callable[[], int]) -> None:
        self._names_with = names_with
        self._names = names

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> WordWeights:
        """Weights for a fixed list of name keys (each counted once)."""
        distinct = set(keys)
        counts = Counter(word for key in distinct for word in set(key.split()))
        return cls(lambda word: counts.get(word, 0), lambda: len(distinct))

    def share(self, word: str) -> float:
        """The share of names holding `word`: the run's names and the reference lists'."""
        seen = self._names_with(word) + WORD_SHARES.get(word, 0.0) * REFERENCE_NAMES
        return max(seen, 1.0) / (self._names() + REFERENCE_NAMES)

    def common(self, word: str) -> bool:
        return word in LEGAL_WORDS or word in _FILLER_WORDS or self.share(word) >= COMMON_SHARE

    def weight(self, word: str) -> float:
        """0 for legal forms and fillers; else log2 of how much rarer than common it is."""
        if word in LEGAL_WORDS or word in _FILLER_WORDS:
            return 0.0
        return max(MIN_WEIGHT, math.log2(COMMON_SHARE / self.share(word)))

    def compare(self, a: str, b: str, ignore: frozenset[str] = frozenset()) -> NameComparison:
        """Compare name keys `a` and `b`, leaving out the words in `ignore` (places)."""
        words_a, words_b = _words(a, ignore), _words(b, ignore)
        if "".join(words_a) == "".join(words_b) or sorted(words_a) == sorted(words_b):
            return NameComparison(100.0, "")  # spacing or word order only
        only_a, only_b = _minus(words_a, words_b), _minus(words_b, words_a)
        if "".join(only_a) == "".join(only_b):
            only_a, only_b = [], []  # "st microelectronics" / "stmicroelectronics"
        glued_a, glued_b = _split_glued(only_a, only_b), _split_glued(only_b, only_a)
        only_a, only_b = _minus(glued_a, glued_b), _minus(glued_b, glued_a)
        pairs, left_a, left_b = _pair_words(only_a, only_b)
        total = sum(map(self.weight, words_a)) + sum(map(self.weight, words_b))
        if total == 0:
            return NameComparison(float(fuzz.ratio(a, b)), "only legal-form words")
        differing = sum(map(self.weight, only_a)) + sum(map(self.weight, only_b))
        shared = _minus(words_a, only_a)
        typo_length = self._typo_length(shared)
        doubts = []
        differs = False
        dropped = 0  # doubts that are a vowel dropped inside a word
        for word_a, word_b, similarity in pairs:
            if is_typo(word_a, word_b, *typo_length):
                similarity = TYPO_SIMILARITY
            elif not (self.common(word_a) and self.common(word_b)):
                # Beside a shared word; a one-word brand one letter off is another brand
                # as often as not, even in the same city ("Automatic" / "Auctomatic").
                slip = (bool(shared) and is_typo(word_a, word_b, SLIGHT_TYPO_LENGTH,
                                                 SLIGHT_TYPO_LENGTH)
                        ) or is_doubled_letter(word_a, word_b)
                inside = not slip and is_dropped_inside(word_a, word_b)
                dropped += inside
                kind = "typo or" if slip else "vowel dropped or" if inside else "rare"
                doubts.append(f"{kind} word differs: {word_a}/{word_b}")
                differs |= not slip
            differing -= (self.weight(word_a) + self.weight(word_b)) * similarity / 100
        added = self._unpaired_doubts(left_a, left_b)
        differs |= bool(added) and bool(left_a) and bool(left_b)
        doubts += added
        # A letter added at the end is a brand's mark ("Collective[i]", "Apollo M",
        # "Plan B"), not a word that describes the same company.
        letter_mark = _added_last_letter(words_a, left_a) or _added_last_letter(words_b, left_b)
        if letter_mark:
            doubts = [d for d in doubts if d != f"added word: {letter_mark}"]
            doubts.append(f"letter added: {letter_mark}")
            differs = True
        contained = not pairs and not (left_a and left_b) and not letter_mark and any(
            not self.common(w) for w in min(words_a, words_b, key=len))
        return NameComparison(round(100 * (1 - differing / total), 1), "; ".join(doubts),
                              slight=bool(doubts) and not differs, contained=contained,
                              shared_weight=sum(map(self.weight, shared)),
                              dropped_vowel=bool(dropped) and dropped == len(doubts))

    def _tells(self, word: str) -> bool:
        """Whether a word one name has and the other lacks may name another company: a
        rare word, or a common one that says more than the company's organisation."""
        return not self.common(word) or word not in _SAYS_NOTHING_ADDED

    def _typo_length(self, shared: list[str]) -> tuple[int, int]:
        """The shortest words in which two swapped letters, or one dropped letter, are a
        typo, given the words the names share."""
        if len(shared) >= 2 or any(not self.common(w) for w in shared):
            return TYPO_MIN_LENGTH_BESIDE_RARE, TYPO_MIN_LENGTH_BESIDE_RARE
        if shared:
            return TYPO_MIN_LENGTH, TYPO_MIN_LENGTH
        return SWAP_MIN_LENGTH_ALONE, DROP_MIN_LENGTH_ALONE

    def _unpaired_doubts(self, left_a: list[str], left_b: list[str]) -> list[str]:
        telling_a = [w for w in left_a if self._tells(w)]
        telling_b = [w for w in left_b if self._tells(w)]
        if left_a and left_b and (telling_a or telling_b):
            return [f"different words: {' '.join(left_a)}/{' '.join(left_b)}"]
        if telling_a or telling_b:
            return [f"added word: {' '.join(telling_a + telling_b)}"]
        return []


def _added_last_letter(words: list[str], added: list[str]) -> str:
    """The name's last word when it is a single letter the other name lacks, else ""."""
    last = words[-1] if len(words) >= 2 else ""
    return last if len(last) == 1 and last in added else ""


def _minus(words: list[str], others: list[str]) -> list[str]:
    """`words` without one occurrence of each of `others` (a multiset difference)."""
    rest = list(others)
    kept = []
    for word in words:
        if word in rest:
            rest.remove(word)
        else:
            kept.append(word)
    return kept


def _words(key: str, ignore: frozenset[str]) -> list[str]:
    words = key.split()
    if len(words) >= 2 and _mistyped_legal_form(words[-1]):
        words = words[:-1]
    kept = [w for w in words if w not in ignore]
    return kept or words


def _split_glued(words: list[str], others: list[str]) -> list[str]:
    """"conveoai" beside "conveo" is "conveo" + "ai" (from "Conveo.ai")."""
    if len(words) == 1 and len(others) == 1 and words[0].startswith(others[0]):
        rest = words[0][len(others[0]):]
        if rest in _GLUED_SUFFIXES:
            return [others[0], rest]
    return words


def _mistyped_legal_form(word: str) -> bool:
    """"ic", "icn", "nic", "orp": a short legal form one letter off ("inc", "corp")."""
    return word not in LEGAL_WORDS and len(word) <= 5 and any(
        OSA.distance(word, form) == 1 for form in _SHORT_LEGAL_FORMS)


def _pair_words(
    only_a: list[str], only_b: list[str]
) -> tuple[list[tuple[str, str, float]], list[str], list[str]]:
    """Pair each differing word with its closest counterpart, most alike first."""
    scored = sorted(
        ((fuzz.ratio(x, y), i, j) for i, x in enumerate(only_a) for j, y in enumerate(only_b)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for similarity, i, j in scored:
        if similarity < PAIR_SIMILARITY:
            break
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((only_a[i], only_b[j], float(similarity)))
    left_a = [w for i, w in enumerate(only_a) if i not in used_a]
    left_b = [w for j, w in enumerate(only_b) if j not in used_b]
    return pairs, left_a, left_b


def is_typo(a: str, b: str, swap_length: int = TYPO_MIN_LENGTH,
            drop_length: int = TYPO_MIN_LENGTH) -> bool:
    """Two swapped letters ("uproar" / "uporar") or one dropped letter in a word long
    enough for that to be a typing error rather than another name."""
    shorter = min(len(a), len(b))
    if shorter < min(swap_length, drop_length) or OSA.distance(a, b) != 1:
        return False
    if len(a) != len(b):
        return shorter >= drop_length
    # Same length at OSA distance 1 is a swap (Levenshtein 2) or a replaced letter (1).
    return shorter >= swap_length and Levenshtein.distance(a, b) == 2


def is_dropped_inside(a: str, b: str, min_length: int = DROPPED_INSIDE_LENGTH) -> bool:
    """One word is the other with one vowel dropped, neither its first nor its last
    letter ("ametek" / "amtek"), in words of at least `min_length` letters (the longer)."""
    shorter, longer = sorted((a, b), key=len)
    if len(longer) < min_length or len(longer) != len(shorter) + 1:
        return False
    return any(longer[i] in _VOWELS and longer[:i] + longer[i + 1:] == shorter
               for i in range(1, len(longer) - 1))


def is_doubled_letter(a: str, b: str, min_length: int = DOUBLED_LETTER_LENGTH) -> bool:
    """One word is the other with a doubled letter written once ("goldbely" /
    "goldbelly"), in words of at least `min_length` letters."""
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < min_length or len(longer) != len(shorter) + 1:
        return False
    return any(longer[i] == longer[i + 1] and longer[:i] + longer[i + 1:] == shorter
               for i in range(len(longer) - 1))
