"""A ticker names a listing on one exchange (keys/tickers.py, matching/evidence.py).

Merging the real exports together, NYSE's "AVX Corporation" (AVX) joined ASX's
"AVEXA LIMITED" (ASX code AVX) and NYSE's "Atmos Energy" (ATO) Euronext Paris' "ATOS"
(ATO): "ticker avx agrees" lowered the bar for names that differ.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from abmcli.config import Config, MatchSettings
from abmcli.keys.tickers import exchange_key, header_exchange
from abmcli.matching.evidence import normalised, profile, weigh
from abmcli.matching.match import match_rows
from abmcli.sources.load import load_source
from abmcli.stages.merge import InputSpec, merge_files

SHARED = Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
ASX = SHARED / "asx-listed-companies-2016" / "ASXListedCompanies.csv"
NYSE = SHARED / "nyse-companylist-2019" / "companylist_nyse.csv"
EURONEXT = SHARED / "euronext-equities-2023" / "Euronext_Equities_2023-06-01.csv"
COLUMNS = ["name", "domain", "email", "country", "city", "ticker"]


@pytest.mark.parametrize(("cell", "value"), [
    ("ASX: AVX", "asx:avx"), ("Euronext Paris: ATO", "euronextparis:ato"),
    # a bare ticker is a US listing's, as are NYSE's and Nasdaq's written out
    ("AVX", "avx"), ("NYSE: ALL^A", "all"), ("NASDAQ: BLNK", "blnk"),
    ("New York Stock Exchange: ALL", "all"),
])
def test_a_ticker_keeps_its_exchange_unless_it_is_a_us_one(cell: str, value: str) -> None:
    assert normalised("ticker", cell) == value


def test_headers_and_names_of_exchanges() -> None:
    assert header_exchange("ASX code") == "ASX" and header_exchange("Symbol") == ""
    assert exchange_key("Euronext Paris") == "euronextparis" and exchange_key("NYSE") == ""


def test_a_crm_market_column_is_no_exchange(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account Name,Ticker,Market\nAcme,ACME,SMB\nGlobex,GBX,Euronext Paris\n")
    assert load_source(path).records["ticker"].tolist() == ["ACME", "Euronext Paris: GBX"]


def _verdict(ours: str, theirs: str):
    return weigh(profile({"ticker": [ours]}), profile({"ticker": [theirs]}))


def test_one_symbol_on_two_exchanges_is_no_proof_and_two_symbols_still_differ() -> None:
    strong = _verdict("NASDAQ: BLNK", "BLNK")
    assert strong.corroboration == 2 and not strong.contradicted
    across = _verdict("ASX: AVX", "AVX")
    assert across.corroboration < 2 and not across.contradicted
    assert across.agree == ["ticker avx agrees on another exchange"]
    assert _verdict("ASX: AVX", "Euronext Paris: AVX").agree == []
    # Atlantic Ltd (ASX: ATI) and Atlantic Power (NYSE: AT) stay two companies
    assert _verdict("ASX: ATI", "AT").contradicted


def test_a_name_that_differs_merges_by_a_ticker_of_its_own_exchange_only() -> None:
    def run(ours: str, theirs: str) -> str:
        rows = pd.DataFrame([
            {"name": "AVX Corporation", "domain": "avx.com", "ticker": theirs},
            {"name": "Avexa Limited", "domain": "", "ticker": ours}],
            columns=COLUMNS).astype(object).fillna("")
        return str(match_rows(rows, MatchSettings()).rows.loc[1, "account_key"])
    assert run("AVX", "AVX") == "avx.com"  # one listing: the ticker settles the name
    assert run("ASX: AVX", "AVX") != "avx.com"


@pytest.mark.skipif(not ASX.exists(), reason="shared reference exports not present")
def test_listed_companies_of_three_exchanges_keep_their_own_tickers_apart() -> None:
    assert load_source(ASX).records["ticker"].iloc[0] == "ASX: 1PG"
    euronext = load_source(EURONEXT).records
    assert euronext.loc[euronext["name"] == "ATOS", "ticker"].tolist() == [
        "Euronext Paris: ATO"]
    result = merge_files([InputSpec(str(p)) for p in (NYSE, ASX, EURONEXT)], Config())
    names = result.hub["account_name"].str.upper()
    for one, other in (("AVX CORPORATION", "AVEXA LIMITED"), ("ATMOS ENERGY", "ATOS"),
                       ("ATLANTIC POWER", "ATLANTIC LIMITED")):
        first = result.hub.loc[names.str.startswith(one), "account_id"]
        second = result.hub.loc[names.str.startswith(other), "account_id"]
        assert len(first) == 1 and len(second) == 1 and first.iloc[0] != second.iloc[0]
