"""Stock exchanges of tickers: a ticker names a listing on one exchange only.

"AVX" is AVX Corporation on the NYSE and Avexa on the ASX; "ATO" is Atmos Energy on
the NYSE and Atos on Euronext Paris. Where a file says the exchange -- the cell
("ASX: AVX"), the ticker column's header ("ASX code") or an exchange column (Euronext's
"Market") -- it is kept with the ticker, and tickers of different exchanges are not
compared (matching/evidence.py). A ticker written bare is a US listing's, as quote
sites write them (and US symbols are unique across NYSE, Nasdaq and the rest): "NYSE:
ALL", "NASDAQ: BLNK" and a plain list's "ALL", "BLNK" are one listing each.
"""

from __future__ import annotations

import re
from typing import Final

from abmcli.keys.fold import folded

# Exchanges as their names are written, to one key each; the US exchanges to "", the
# key of a bare ticker.
_US: Final = ("nyse", "newyorkstockexchange", "nysearca", "nysemkt", "nyseamerican", "amex",
              "nasdaq", "nasdaqgs", "nasdaqgm", "nasdaqcm", "nasdaqglobalselect",
              "nasdaqglobalmarket", "nasdaqcapitalmarket", "otc", "otcmarkets", "otcqx",
              "otcqb", "bats", "cboe", "us", "usa")
_ALIASES: Final = {
    **dict.fromkeys(_US, ""), "australiansecuritiesexchange": "asx",
    "londonstockexchange": "lse", "torontostockexchange": "tsx", "tokyostockexchange": "tse",
    "epa": "euronextparis", "ams": "euronextamsterdam", "ebr": "euronextbrussels",
}
# Words that name an exchange in a ticker column's header ("ASX code", "NYSE Symbol").
HEADER_EXCHANGES: Final = frozenset({
    "asx", "nyse", "nasdaq", "lse", "tsx", "tse", "euronext", "xetra", "hkex", "sgx",
    "jse", "bse", "nse", "amex", "otc",
})
_NON_WORD: Final = re.compile(r"[\W_]+")


def exchange_key(name: str) -> str:
    """One key per exchange: "ASX", "Australian Securities Exchange" -> "asx"; "Euronext
    Paris" -> "euronextparis"; "" for a blank and a US exchange ("NYSE", "Nasdaq GS")."""
    key = _NON_WORD.sub("", folded(name))
    return _ALIASES.get(key, key)


def header_exchange(header: str | None) -> str:
    """The exchange a ticker column's header names ("ASX code" -> "ASX"), else ""."""
    words = _NON_WORD.sub(" ", folded(header or "")).split()
    return next((word.upper() for word in words if word in HEADER_EXCHANGES), "")


# Words only an exchange's name holds: a "Market" column of a CRM ("SMB", "EMEA") is
# no exchange.
_EXCHANGE_WORDS: Final = HEADER_EXCHANGES | {"exchange", "borse", "bourse", "bolsa", "borsa",
                                             "bors", "stock", "euronext", "nasdaq"}


def names_an_exchange(text: str) -> bool:
    """Whether a cell of an exchange column names one ("Euronext Paris", "NYSE", "Tokyo
    Stock Exchange"), not a market segment ("SMB")."""
    words = set(_NON_WORD.sub(" ", folded(text)).split())
    return bool(words & _EXCHANGE_WORDS) or _NON_WORD.sub("", folded(text)) in _ALIASES
