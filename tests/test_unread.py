"""Counts and dates a field cannot use are read as empty, named in a note, and never
turn a total into infinity."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.config import Config
from abmcli.sources.load import load_source
from abmcli.stages.merge import InputSpec, merge_files


def write(folder: Path, text: str) -> Path:
    path = folder / "engagement.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_unreadable_counts_and_dates_are_named_with_their_column(tmp_path: Path) -> None:
    path = write(tmp_path, "Domain,Page Views,Date\n"
                           "acme.com,1e308,2026-11-20\n"
                           "acme.com,5,9999-12-31\n"
                           "beta.com,lots,2026-11-21\n"
                           "gamma.com,,2026-11-21\n")
    notes = load_source(path, family="engagement").notes
    assert "'Page Views': 2 cells not an activity count ('1e308', 'lots'), read as empty" \
        in notes
    assert "'Date': 1 cell not a date from 1900 to 2099 ('9999-12-31'), read as empty" in notes


def test_readable_columns_get_no_note(tmp_path: Path) -> None:
    path = write(tmp_path, "Domain,Page Views,Date\nacme.com,\"1,200\",2026-11-20\n"
                           "beta.com,,\n")
    assert not [n for n in load_source(path, family="engagement").notes if "read as empty" in n]


def test_an_absurd_employee_count_is_named(tmp_path: Path) -> None:
    path = tmp_path / "fit.csv"
    path.write_text("Company,Website,Employees\nAcme,acme.com,1e19\nBeta,beta.com,50\n",
                    encoding="utf-8")
    notes = load_source(path, family="fit").notes
    assert "'Employees': 1 cell not an employee count ('1e19'), read as empty" in notes


CELLS = st.one_of(
    st.sampled_from(["1e308", "-1e308", "inf", "-5", "NaN", "1e8", "100000001", "12",
                     "1,5", "", "lots", "9" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=12))
def test_engagement_totals_stay_finite_and_not_negative(cells: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines = "".join(f"acme.com,{cell},{cell},2026-11-20\n" for cell in cells)
        path = write(Path(folder), "Domain,Page Views,Minutes,Date\n" + lines)
        hub = merge_files([InputSpec(str(path), "engagement")], Config()).hub
    totals = pd.to_numeric(hub["engagement_total"])
    assert all(math.isfinite(v) and v >= 0 for v in totals)
    assert totals.iloc[0] <= 2 * 1e8 * len(cells)


def test_implausible_revenue_is_unknown_and_named(tmp_path: Path) -> None:
    # 1e308 passed "revenue >= 20M" and -1,000,000 failed it; both are unknown ("?")
    path = tmp_path / "fit.csv"
    path.write_text("Company,Website,Annual Revenue,Total Funding\n"
                    "Huge,huge.com,1e308,5000000\nNeg,neg.com,-1000000,-3\n"
                    "Fine,fine.com,$25M,0\n", encoding="utf-8")
    notes = load_source(path, family="fit").notes
    assert ("'Annual Revenue': 2 cells not an amount from 0 to 10 trillion ('1e308', "
            "'-1000000'), read as empty") in notes
    assert "'Total Funding': 1 cell not an amount from 0 to 10 trillion ('-3'), read as empty" \
        in notes
    hub = merge_files([InputSpec(str(path), "fit")], Config()).hub.set_index("domain")
    assert hub.loc["huge.com", "revenue"] != hub.loc["huge.com", "revenue"]  # NaN
    assert hub.loc["neg.com", "revenue"] != hub.loc["neg.com", "revenue"]
    assert hub.loc["fine.com", "revenue"] == 25e6
    assert hub.loc["fine.com", "funding"] == 0
    assert hub.loc["huge.com", "funding"] == 5e6


def test_intent_scores_outside_0_to_100_are_named_and_not_counted(tmp_path: Path) -> None:
    path = tmp_path / "bombora.csv"
    path.write_text("Company Name,Domain,Topic,Composite Score,Report Date\n"
                    "A2,a2.com,Intent Data,150,2026-11-23\nA3,a3.com,Intent Data,-5,2026-11-23\n"
                    "A4,a4.com,Intent Data,1e308,2026-11-23\n"
                    "A4,a4.com,Cloud,70,2026-11-23\nA5,a5.com,Intent Data,80,2026-11-23\n",
                    encoding="utf-8")
    notes = load_source(path).notes
    assert ("'Composite Score': 3 cells not a score from 0 to 100 ('150', '-5', '1e308'), "
            "read as empty") in notes
    hub = merge_files([InputSpec(str(path), None)], Config()).hub.set_index("domain")
    means = pd.to_numeric(hub["intent_mean_score"])
    assert means.loc["a4.com"] == 70 and means.loc["a5.com"] == 80
    assert means.loc[["a2.com", "a3.com"]].isna().all()
    assert pd.to_numeric(hub["intent_max_score"]).max() <= 100
    assert len(hub) == 4  # the accounts stay; only their unreadable scores are unknown


def test_relationship_scores_outside_0_to_100_are_named(tmp_path: Path) -> None:
    path = tmp_path / "rel.csv"
    path.write_text("Account Name,Domain,Relationship Score\nA,a.com,1e308\nB,b.com,Strong\n",
                    encoding="utf-8")
    source = load_source(path, family="relationship")
    assert any("1e308" in note and "read as empty" in note for note in source.notes)
