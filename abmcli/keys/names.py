"""Company names: a match key that ignores how vendors spell a name, and display helpers.

`name_key("The Home Depot, Inc.") == name_key("Home Depot (The)") == "home depot"`.
The key ignores case, accents, HTML entities, quotes, punctuation, `&`/`+`/"and",
a leading "The", legal-form suffixes (also stacked and non-English ones, and CJK
forms glued to either end: "株式会社大林組"), trailing
region tags ("Acme - Germany", "Acme (UK)") and share-class tags ("(Class A)").

Legal forms come from a table of our own rather than the `cleanco` package: cleanco
keeps "The" and bracketed forms, can empty a name on a second pass, and strips words
such as "Spa" wherever they stand; a table we test costs no dependency.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from abmcli.keys.values import PLACEHOLDERS as VALUE_PLACEHOLDERS

if TYPE_CHECKING:
    import pandas as pd


def _phrases(text: str) -> tuple[str, ...]:
    """Comma-separated phrases of a table below, each with single spaces."""
    return tuple(" ".join(phrase.split()) for phrase in text.split(",") if phrase.strip())


# Cells that mean "no name" in vendor exports (compared case-insensitively, stripped):
# the one placeholder list of keys/values.py. Excel error values are among them: a
# column of "#REF!" is a broken lookup, and its rows must not merge into one account
# named "ref".
PLACEHOLDERS: Final = VALUE_PLACEHOLDERS

# Legal forms, written as they look after normalisation (lower case, no dots, single
# letters joined: "S.A. de C.V." -> "sa de cv", "A/S" -> "as"). Stacked forms such as
# "GmbH & Co. KG" or "Co., Ltd." are removed one by one from the end.
_LEGAL_FORMS: Final = _phrases(
    """
    inc, incorporated, llc, llp, lllp, pllc, lp, ltd, limited, corp, corporation, co,
    company, plc, ulc, na, limited liability company, limited liability partnership,
    private limited, pvt, pte, pty, bhd, sdn bhd, tbk, gmbh, mbh, kg, kgaa, ohg, ug,
    ug haftungsbeschrankt, haftungsbeschrankt, ag, aktiengesellschaft, se, sa, sas, sasu,
    sarl, eurl, sca, snc, societe anonyme, societa per azioni, srl, srls, sl, slu, sau,
    sociedad anonima, sa de cv, sab de cv, de cv, s de rl, s de rl de cv, ltda, eireli, bv,
    nv, oy, oyj, ab, publ, as, asa, aps, sro, zrt, kft, sp z oo, sp zoo, spzoo, kk,
    kabushiki kaisha, kabushikigaisha, godo kaisha, yugen kaisha, ltee, limitee,
    naamloze vennootschap, besloten vennootschap, gesellschaft mit beschrankter haftung,
    aktiebolag, aktieselskab, anpartsselskab, osakeyhtio, kabushiki gaisha,
    societe par actions simplifiee, societe a responsabilite limitee, sociedade anonima,
    sociedad limitada, spolka akcyjna, akciova spolecnost
    """
)

# Words of legal forms, wherever they stand in a name ("BOSCH GMBH ROBERT"): the
# matcher gives them no weight. Short words of longer forms ("de" of "sa de cv") are
# left out, as they are also particles of real names ("De Beers").
LEGAL_WORDS: Final = frozenset(
    word for phrase in _LEGAL_FORMS for word in phrase.split()
    if " " not in phrase or len(word) >= 5
)

# Trailing words that carry no identity once they end a name ("Acme & Co." -> "acme").
_FILLERS: Final = _phrases("the, and")

# Region tags, removed only when bracketed or after a separator ("Acme - EMEA").
_REGIONS: Final = _phrases(
    """
    global, worldwide, international, intl, hq, headquarters, head office, emea, apac, apj,
    amer, americas, latam, eu, europe, asia, asia pacific, middle east,
    africa, mena, anz, dach, benelux, nordics, nordic, north america, south america,
    latin america, central america, caribbean, oceania, western europe, eastern europe, us,
    usa, uk, gb, de, fr, es, it, nl, be, ch, at, se, dk, fi, ie, pl, pt, cz, ca, mx, br,
    ar, au, nz, jp, cn, hk, sg, in, kr, tw, za, ae, il, tr, ru, lu, hu, ro, gr,
    united states, united states of america, america, united kingdom, great britain,
    britain, england, scotland, wales, northern ireland, ireland, germany, deutschland,
    austria, osterreich, switzerland, schweiz, suisse, svizzera, france, spain, espana,
    italy, italia, netherlands, nederland, holland, belgium, belgie, belgique, sweden,
    sverige, norway, norge, denmark, danmark, finland, suomi, iceland, poland, polska,
    portugal, czech republic, czechia, slovakia, hungary, romania, bulgaria, greece,
    croatia, slovenia, serbia, estonia, latvia, lithuania, luxembourg, cyprus, malta,
    ukraine, russia, turkey, turkiye, israel, uae, united arab emirates, saudi arabia,
    qatar, egypt, nigeria, kenya, south africa, canada, mexico, brazil, brasil, argentina,
    chile, colombia, peru, australia, new zealand, japan, nippon, china, prc, hong kong,
    taiwan, korea, south korea, india, pakistan, bangladesh, singapore, malaysia,
    indonesia, thailand, vietnam, philippines, alabama, alaska, arizona, arkansas,
    california, colorado, connecticut, delaware, florida, georgia, hawaii, idaho, illinois,
    indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan,
    minnesota, mississippi, missouri, montana, nebraska, nevada, new hampshire, new jersey,
    new mexico, new york, north carolina, north dakota, ohio, oklahoma, oregon,
    pennsylvania, rhode island, south carolina, south dakota, tennessee, texas, utah,
    vermont, virginia, washington, west virginia, wisconsin, wyoming, ontario, quebec,
    british columbia, alberta
    """
)

# A bracket or separated tail starting with one of these names a past, informal or
# parent name ("Acme (formerly Foo)", "AndAI, Inc. (informally, &AI)", "Acme (also
# known as Foo)", "LiveRamp, An Acxiom Company").
_ALIAS_WORDS: Final = frozenset({"formerly", "fka", "aka", "dba", "previously", "publ", "a", "an",
                                 "informally", "also", "known"})

_OPEN, _CLOSE, _SEP = "(", ")", "|"
_MARKERS: Final = frozenset({_OPEN, _CLOSE, _SEP})

# Letters that NFKD does not decompose into a base letter plus a mark.
_LETTER_MAP: Final = str.maketrans(
    dict(zip("æøłđðþœıħŀß", "ae o l d d th oe i h l ss".split(), strict=True))
)

# Accents of Latin, Greek and Cyrillic letters; other scripts' marks (kana voicing)
# carry meaning and stay.
_COMBINING_RE: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# Marks that are part of a word in other scripts, which `\w` does not match: Hebrew
# points, Arabic vowels, the vowel signs of Indic scripts, Thai, Lao, Tibetan, Myanmar
# and Khmer, kana voicing. Read as punctuation they cut "टाटा" into "ट ट".
_SCRIPT_MARKS: Final = ("\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
                        "\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f"
                        "\u1780-\u17ff\u3099\u309a")
# Legal forms written in CJK scripts, glued to the name before or after it ("株式会社
# 大林組", "トヨタ自動車株式会社", "阿里巴巴集团控股有限公司"), as NFKD writes them ("㈱" and
# "（株）" are "(株)").
_CJK_LEGAL_RE: Final = re.compile(
    "^(?:株式会社|有限会社|合同会社|\\(株\\)|\\(有\\)|주식회사|\\(주\\))\\s*"
    "|\\s*(?:株式会社|有限会社|合同会社|合資会社|合名会社|\\(株\\)|\\(有\\)|股份有限公司"
    "|有限责任公司|有限責任公司|有限公司|주식회사|\\(주\\)|유한회사)$")
_INVISIBLE: Final = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE_RE: Final = re.compile(f"[{_INVISIBLE}]")
_WHITESPACE_RE: Final = re.compile(r"\s+")
# "SpA" / "S.p.A." is Italian's legal form; lower-case "spa" is a word ("Day Spa").
_SPA_RE: Final = re.compile(r"\s(?:S\.p\.A\.?|SpA|S\.P\.A\.)(?=\s*(?:[(\[].*)?$)")
# One pass for single characters: quotes and dots vanish ("Macy's" -> "macys",
# "A.O." -> "ao"), "&" and "+" become "and", brackets become "(" / ")" markers.
_CHARACTER_MAP: Final = str.maketrans(
    {
        **dict.fromkeys("'\u2018\u2019\u201a\u201b`\u00b4\"\u201c\u201d\u201e\u201f«»′″."),
        **dict.fromkeys(_INVISIBLE),
        **dict.fromkeys("&+", " and "),
        **dict.fromkeys("([{", " ( "),
        **dict.fromkeys(")]}", " ) "),
        "|": " | ",
    }
)
# "Salesforce.com, Inc." is "Salesforce"; ".io" and ".ai" are part of a brand.
_DOT_COM_RE: Final = re.compile(r"(?<=\w)\.com\b", re.IGNORECASE)
_LETTER_SLASH_RE: Final = re.compile(r"\b([^\W\d_])/(?=[^\W\d_]\b)")
_SEPARATOR_CHARS: Final = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015,;:")
_SEPARATOR_RE: Final = re.compile(r"\s+[-\u2010-\u2015]+\s*|\s*[-\u2010-\u2015]+\s+|[,;:]")
_NON_WORD_RE: Final = re.compile(f"[^\\w()|{_SCRIPT_MARKS}]+|_+")


def _phrase_index(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Index phrases by their last word, longest first, for matching at a name's end."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        index.setdefault(words[-1], []).append(words)
    return {last: tuple(sorted(found, key=len, reverse=True)) for last, found in index.items()}


_LEGAL_INDEX: Final = _phrase_index(_LEGAL_FORMS + _FILLERS)
_TAG_INDEX: Final = _phrase_index(_LEGAL_FORMS + _FILLERS + _REGIONS)


def _is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA/NaT (anything that is not equal to itself)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _is_placeholder(text: str) -> bool:
    return text.strip().casefold() in PLACEHOLDERS


def _unescape(text: str) -> str:
    """Unescape HTML entities, also double-escaped ones ("AT&amp;amp;T")."""
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def _fold(text: str) -> str:
    """Lower case without accents: "Société Générale" -> "societe generale"."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold().translate(_LETTER_MAP)
    # NFC joins what NFKD split and the accents left: kana and their voicing ("デ"), a
    # Hangul syllable's letters.
    text = unicodedata.normalize("NFC", _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text)))
    without_form = _CJK_LEGAL_RE.sub("", text.strip())
    return without_form if without_form else text


def _tokenize(text: str) -> list[str]:
    """Words plus bracket and separator markers, in lower case without punctuation."""
    # Each pattern runs only where its telltale character is (most names have none).
    if "p" in text or "P" in text:
        text = _SPA_RE.sub(" societa per azioni", text)
    if "." in text:
        text = _DOT_COM_RE.sub("", text)
    text = _fold(text).translate(_CHARACTER_MAP)
    if "/" in text:
        text = _LETTER_SLASH_RE.sub(r"\1", text)
    if not _SEPARATOR_CHARS.isdisjoint(text):
        text = _SEPARATOR_RE.sub(" | ", text)
    return _join_initials(_NON_WORD_RE.sub(" ", text).split())


def _join_initials(tokens: list[str]) -> list[str]:
    """Join runs of single letters: "a o smith" -> "ao smith" (as "A.O. Smith" gives)."""
    joined: list[str] = []
    run = ""
    for token in tokens + [_SEP]:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(token)
    return joined[:-1]


def _tail_length(words: Sequence[str], index: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Length of the longest indexed phrase (or share-class tag) that ends `words`."""
    if len(words) >= 2 and words[-2] == "class" and len(words[-1]) == 1:
        return 2
    for phrase in index.get(words[-1], ()) if words else ():
        if tuple(words[-len(phrase) :]) == phrase:
            return len(phrase)
    return 0


def _is_tag(words: list[str]) -> bool:
    """True when bracketed or separated words only say region, legal form, class or alias."""
    if words and words[0] in _ALIAS_WORDS:
        return True
    if _MARKERS.intersection(words):
        return False
    remaining = list(words)
    while remaining:
        length = _tail_length(remaining, _TAG_INDEX)
        if not length:
            return False
        del remaining[-length:]
    return True


def _has_word(tokens: Sequence[str]) -> bool:
    return any(token not in _MARKERS for token in tokens)


def _matching_open(tokens: list[str]) -> int | None:
    """Index of the "(" that the final ")" closes, or None when unbalanced."""
    depth = 0
    for position in range(len(tokens) - 1, -1, -1):
        if tokens[position] == _CLOSE:
            depth += 1
        elif tokens[position] == _OPEN:
            depth -= 1
            if depth == 0:
                return position
    return None


def _strip_bracket(tokens: list[str]) -> None:
    """Drop a final bracketed tag ("(UK)", "(The)"); unwrap any other final bracket."""
    opening = _matching_open(tokens)
    if opening is None:
        tokens.pop()
    elif _has_word(tokens[:opening]) and _is_tag(tokens[opening + 1 : -1]):
        del tokens[opening:]
    else:
        tokens.pop()
        del tokens[opening]


def _strip_separated_tag(tokens: list[str]) -> bool:
    """Drop a final separated tag (" - Germany", ", The"); False when there is none."""
    if _SEP not in tokens:
        return False
    separator = len(tokens) - 1 - tokens[::-1].index(_SEP)
    if _has_word(tokens[:separator]) and _is_tag(tokens[separator + 1 :]):
        del tokens[separator:]
        return True
    return False


def _strip_tail(tokens: list[str]) -> list[str]:
    """Remove legal forms, region/class tags and fillers from the end, repeatedly."""
    tokens = list(tokens)
    while tokens:
        if tokens[-1] in (_SEP, _OPEN):
            tokens.pop()
        elif tokens[-1] == _CLOSE:
            _strip_bracket(tokens)
        elif length := _tail_length(tokens, _LEGAL_INDEX):
            del tokens[-length:]
        elif not _strip_separated_tag(tokens):
            break
    return tokens


def _drop_leading_the(tokens: list[str]) -> list[str]:
    """Drop a leading "the" unless it is the name's only word ("The Home Depot")."""
    words = [token for token in tokens if token not in _MARKERS]
    if len(words) >= 2 and words[0] == "the":
        position = tokens.index("the")
        return tokens[:position] + tokens[position + 1 :]
    return tokens


def _words(tokens: list[str]) -> str:
    return " ".join(token for token in tokens if token not in _MARKERS)


def _key_from_tokens(tokens: list[str]) -> str:
    """Strip the name's ends; fall back to fuller text rather than give "" or "unknown"."""
    without_the = _drop_leading_the(tokens)
    # A name that is nothing but a legal form ("The Co.", "Limited") keeps its words,
    # and "Unknown Inc" keeps "inc" so that its key never reads as a placeholder.
    for candidate in (_strip_tail(without_the), without_the, tokens):
        words = _words(candidate)
        if words and words not in PLACEHOLDERS:
            return words
    return ""


def _rekey(key: str) -> str:
    """Key a key again; an ASCII key is already folded words, so skip tokenizing it."""
    if key.isascii():
        return _key_from_tokens(_join_initials(key.split()))
    return _key_from_tokens(_tokenize(key))


# The key is made from at most this many characters of a name (whitespace runs count
# as one). No company name is this long, and the key's patterns and tail stripping
# take quadratic time on a 100 KB cell of spaces or brackets.
MAX_NAME_CHARS: Final = 500


def _bounded(text: str) -> str:
    """The text with whitespace runs as one space, cut to MAX_NAME_CHARS (linear time)."""
    return " ".join(text[: MAX_NAME_CHARS * 8].split())[:MAX_NAME_CHARS]


@lru_cache(maxsize=1 << 20)
def _text_key(text: str) -> str:
    text = _bounded(text)
    if _is_placeholder(text):
        return ""
    key = _key_from_tokens(_tokenize(_unescape(text)))
    # Dropping markers can bring initials together ("A - Z Supplies" -> "a z supplies",
    # then "az supplies" as "A-Z Supplies" gives), and each pass drops one leading "the"
    # ("THE%THE%THE&"); iterate so a key is its own key. A pass that changes the key
    # shortens it, so this ends within the key's length.
    for _ in range(len(key) + 1):
        again = _rekey(key)
        if again == key:
            break
        key = again
    return key


def name_key(value: object) -> str:
    """The match key of a company name: "Acme, Inc. (UK)" -> "acme".

    "" only for blank, missing or placeholder values ("n/a", "-", "unknown"). A name
    that is nothing but a legal form keeps it ("The Company" -> "company").
    """
    if isinstance(value, str):
        return _text_key(value)
    if _is_missing(value):
        return ""
    return _text_key(str(value))


def forget_parsed_names() -> None:
    """Empty the per-name cache: once every row is keyed it only holds memory."""
    _text_key.cache_clear()


def name_keys(values: pd.Series) -> pd.Series:
    """`name_key` of every value of a Series, computed once per distinct value."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # The extra "" at the end is what the sentinel code -1 (missing) picks.
    # uniques as a plain list: indexing a pandas string array value by value is slow.
    keys = np.array([name_key(unique) for unique in uniques.tolist()] + [""], dtype=object)
    return pd.Series(keys[codes], index=values.index, name=values.name, dtype="str")


def is_legal_form_only(key: str) -> bool:
    """A key of nothing but legal-form words ("! LTD" and "!? LTD" are both "ltd", "The
    Company" is "company"): it says nothing about which company a row means."""
    return all(word in LEGAL_WORDS or word in _FILLERS for word in key.split())


def name_tokens(key: str) -> list[str]:
    """The words of a name key, for blocking candidate pairs in the matcher."""
    return key.split()


def clean_display_name(value: object) -> str:
    """The original spelling made presentable: entities unescaped, whitespace collapsed,
    stray marks after a legal form dropped ("AGL ENERGY LIMITED." -> "AGL ENERGY LIMITED").

    Case, legal form and quotes are kept ("Acme, Inc." stays "Acme, Inc."); "" for a
    blank, missing or placeholder value.
    """
    if _is_missing(value):
        return ""
    text = _unescape(_INVISIBLE_RE.sub("", str(value)))
    text = _WHITESPACE_RE.sub(" ", text).strip()
    return "" if _is_placeholder(text) else _without_stray_end(text)


# Legal forms abbreviated with a full stop ("Inc.", "Ltd.", "Pty."): the stop is part of
# the form. Any other legal form ("Limited", "GmbH", "NL", "REIT") ends a name without
# one; an export's full stop or comma after it ("AGL ENERGY LIMITED.", "3P LEARNING
# LIMITED..") is a mark left over from a sentence or a list, not the company's spelling.
_DOTTED_FORMS: Final = frozenset({"inc", "corp", "ltd", "co", "pty", "pvt", "pte", "bhd",
                                  "ltda", "ltee"})
# Besides the legal forms: entity types of listings written as a name's last word
# ("ADMIRALTY RESOURCES NL." is No Liability, Australia's form for miners).
_WHOLE_FORMS: Final = (LEGAL_WORDS - _DOTTED_FORMS) | {"nl", "reit", "trust"}
_END_MARKS: Final = ".,;:"
# Longer than any legal form: only this much of a name's end is looked at, so a hostile
# megabyte-long name costs no more than a short one.
_LONGEST_FORM: Final = 40
_WORD_BREAK_RE: Final = re.compile(r"[\s.,;:]")


def _without_stray_end(text: str) -> str:
    """`text` without the marks after a last word that is a legal form, but the one full
    stop an abbreviated form takes ("Ltd.." -> "Ltd."). Other endings are the name's own
    ("Yahoo!", "S.A.", "Acme Labs.")."""
    if text[-1:] not in _END_MARKS:
        return text
    name = text.rstrip(_END_MARKS)
    marks = text[len(name):]
    word = _WORD_BREAK_RE.split(name[-_LONGEST_FORM - 1:])[-1].casefold()
    if word in _DOTTED_FORMS:
        return name + ("." if "." in marks else "")
    return name if word in _WHOLE_FORMS else text


def _is_mixed_case(name: str) -> bool:
    return name != name.upper() and name != name.lower()


# Long legal forms that exports misspell ("Limtied", "Coporation"); short ones ("Inc",
# "AG") are too close to real words to guess at.
_LONG_LEGAL_WORDS: Final = ("incorporated", "corporation", "limited", "company",
                            "aktiengesellschaft", "gesellschaft")
MISSPELT_FORM_SCORE: Final = 80.0


def without_misspelt_legal_form(key: str) -> tuple[str, float] | None:
    """The key without a last word that is a misspelt legal form, and how close it was.

    `adly orporation` -> ("adly", 96.0); None when the last word is no such misspelling.
    """
    from rapidfuzz import fuzz, process

    words = key.split()
    if len(words) < 2 or len(words[-1]) < 5:
        return None
    found = process.extractOne(words[-1], _LONG_LEGAL_WORDS, scorer=fuzz.ratio,
                               score_cutoff=MISSPELT_FORM_SCORE)
    if found is None or found[1] == 100:
        return None
    return " ".join(words[:-1]), round(float(found[1]), 1)
