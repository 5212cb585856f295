"""Text folded for comparison: accents off, letters of every script kept.

Encoding to ASCII would erase a Japanese or Russian industry, city or title; removing
only the combining marks NFKD splits off keeps them ("Société" -> "societe", "日本"
stays).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_NON_WORD: Final = re.compile(r"[\W_]+")


def without_accents(text: str) -> str:
    """NFKD without its combining marks ("Ørsted" keeps its Ø: it is no accent)."""
    if text.isascii():  # most cells: NFKD leaves ASCII as it is
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded(text: str) -> str:
    """Lower case without accents, spacing and punctuation kept: "Société" -> "societe"."""
    return without_accents(text.casefold())


def folded_words(text: str) -> str:
    """Lower-case words without accents, single-spaced, `&` read as `and`."""
    plain = without_accents(text.casefold().replace("&", " and "))
    return _NON_WORD.sub(" ", plain).strip()
