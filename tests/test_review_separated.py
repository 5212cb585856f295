"""The Review sheet is a reviewer's work queue: a look-alike pair whose name differs by
more than an added word and whose evidence already says two companies (another ticker
on the same exchange, another country) needs no decision. It is listed last, for the
record, and stays out of the decisions file; a pair that is really in doubt stays."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import MatchSettings
from abmcli.matching.match import match_rows
from abmcli.xlsx.workbook import read_sheet

ASX = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
       / "asx-listed-companies-2016" / "ASXListedCompanies.csv")
COLUMNS = ["name", "domain", "email", "country", "city", "ticker"]


def pairs(*rows: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=COLUMNS).astype(object).fillna("")
    return match_rows(frame, MatchSettings()).candidates


@pytest.mark.parametrize(("account", "loose", "separated"), [
    # A rare word differs and the evidence contradicts: two companies, twice over.
    ({"name": "Shaw Communications Inc.", "country": "Canada"},
     {"name": "Sharp Communications", "country": "US"}, True),
    ({"name": "Aleator Energy Limited", "ticker": "ASX:AWD"},
     {"name": "Alligator Energy Limited", "ticker": "ASX:AGE"}, True),
    # The name alone is in doubt: the reviewer decides.
    ({"name": "Shaw Communications Inc."}, {"name": "Sharp Communications"}, False),
    # The names leave no doubt, or a slight one, and only the evidence differs: a parent
    # and its subsidiary, a second line of bonds: really in doubt.
    ({"name": "AusNet Services Limited", "ticker": "ASX:AST"},
     {"name": "AusNet Services Holdings Pty Ltd", "ticker": "ASX:ANV"}, False),
    ({"name": "Australian Government Treasury Bonds", "ticker": "ASX:GSB"},
     {"name": "Australian Government Treasury Indexed Bonds", "ticker": "ASX:GSI"}, False),
    ({"name": "Bolt", "country": "United States"}, {"name": "Bolt", "country": "Estonia"},
     False),
    # Tickers of one root on one exchange: an issuer's shares and warrants (Euronext).
    ({"name": "Disruptive Cap Sha", "ticker": "NYSE:DCACS"},
     {"name": "Disruptive Cap War", "ticker": "NYSE:DCACW"}, False),
    ({"name": "BenevolentAI", "ticker": "NYSE:BAI"},
     {"name": "BenevolentAI W", "ticker": "NYSE:BAIW"}, False),
])
def test_a_pair_is_separated_only_when_name_and_evidence_both_say_two_companies(
        account, loose, separated):
    found = pairs(account, loose)
    assert len(found) == 1
    assert found.loc[0, "separated"] == separated


def test_the_asx_lists_look_alikes_go_last_and_out_of_the_decisions_file(tmp_path: Path):
    if not ASX.exists():
        pytest.skip(f"{ASX} is not beside this checkout")  # ../shared is beside it in CI
    hub, decisions = tmp_path / "hub.xlsx", tmp_path / "decisions.csv"
    result = CliRunner().invoke(app, ["merge", str(ASX), "-o", str(hub),
                                      "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    assert "3 candidate pairs to review" in result.output
    assert "26 look-alike pairs listed last on Review" in result.output
    review = read_sheet(hub, "Review")
    kinds = review["kind"].tolist()
    assert kinds == ["candidate"] * 3 + ["separated"] * 26
    # Each separated pair: a word of the name differs and the two ASX codes differ.
    for reason in review.loc[review["kind"] == "separated", "reason"]:
        assert "differs" in reason or "different words" in reason
        assert "ticker asx:" in reason and " ≠ asx:" in reason
    with decisions.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["name_a"] for r in rows) == [
        "AUSNET SERVICES HOLDINGS PTY LTD", "AUSTRALIAN AGRICULTURAL PROJECTS LIMITED",
        "AUSTRALIAN GOVERNMENT TREASURY INDEXED BONDS"]


@pytest.mark.parametrize(("ours", "theirs", "share_classes"), [
    ({"afg"}, {"afgb"}, True),  # American Financial Group's notes
    ({"nyse:dcacs"}, {"nyse:dcacw"}, True),
    ({"asx:aaj"}, {"asx:aai"}, False),  # three-letter codes: other companies
    ({"nyse:deezw"}, {"nyse:deew"}, False),
    ({"euronextparis:elior"}, {"euronextbrussels:eli"}, False),  # two exchanges
])
def test_tickers_of_one_root_on_one_exchange_may_be_one_issuer(ours, theirs, share_classes):
    from abmcli.matching.evidence import weigh

    verdict = weigh({"ticker": frozenset(ours)}, {"ticker": frozenset(theirs)})
    assert verdict.contradicted
    assert verdict.share_classes == share_classes
    other_country = weigh({"ticker": frozenset(ours), "country": frozenset({"france"})},
                          {"ticker": frozenset(theirs), "country": frozenset({"japan"})})
    assert not other_country.share_classes  # a second contradiction settles it


@pytest.mark.skipif(not ASX.is_file(), reason="needs ../shared/reference")
def test_a_weekly_run_counts_the_separated_look_alikes_and_asks_only_about_the_rest(
        tmp_path: Path) -> None:
    """abm run says how many look-alikes it listed for the record, apart from the pairs
    to decide, in summary.json and on the terminal; the decisions file gets only those."""
    import json
    import shutil

    shutil.copy(ASX, tmp_path / "asx.csv")
    (tmp_path / "abm.toml").write_text('as_of = 2026-11-25\n[inputs]\nfit = "asx.csv"\n'
                                       '[output]\nfolder = "out"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--config", str(tmp_path / "abm.toml")])
    assert result.exit_code == 0, result.output
    summary = json.loads(next((tmp_path / "out").glob("2026-W*/summary.json")).read_text())
    decisions = summary["decisions"]
    assert (decisions["candidates_to_review"], decisions["look_alikes_separated"]) == (3, 26)
    assert decisions["added_this_run"] == 3
    assert "26 look-alike pairs listed last" in " ".join(result.output.split())
