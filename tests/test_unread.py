"""Counts and dates a field cannot use are read as empty, named in a note, and never
turn a total into infinity."""

from __future__ import annotations

import datetime as dt
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
    # an engagement date also says what the undated row is left out of
    assert ("'Date': 1 row with no readable date ('9999-12-31'), left out of the engagement "
            "totals and spikes: an undated row belongs to no week") in notes


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


def test_an_engagement_row_without_a_readable_week_is_named_and_counted_nowhere(
        tmp_path: Path) -> None:
    # beta.com's 10 page views became 0 in the hub with only "read as empty" to say so
    path = write(tmp_path, "Account Name,Account Domain,Week Starting,Page Views\n"
                           "Beta,beta.com,2026-13-45,10\nGamma,gamma.com,,4\n"
                           "Zeta,zeta.com,11/16/2026,10\n")
    notes = load_source(path, family="engagement").notes
    assert ("'Week Starting': 2 rows with no readable date ('2026-13-45', (blank)), left out "
            "of the engagement totals and spikes: an undated row belongs to no week") in notes
    assert not [n for n in notes if "read as empty" in n]  # one note per column
    hub = merge_files([InputSpec(str(path), "engagement")], Config()).hub.set_index("domain")
    assert hub.loc["zeta.com", "engagement_total"] == 10
    assert hub.loc[["beta.com", "gamma.com"], "engagement_total"].tolist() == [0, 0]
    assert hub["engagement_last_date"].notna().sum() == 1


def test_an_undated_intent_row_never_looks_fresher_than_a_dated_one(tmp_path: Path) -> None:
    # a1.com's undated 95 scored 65 with a blank date, above every dated account
    from abmcli.stages.score import score_hub

    path = tmp_path / "bombora.csv"
    path.write_text("Company Name,Domain,Topic,Composite Score,Report Date\n"
                    "A1,a1.com,Intent Data,95,2026-13-45\nA5,a5.com,Intent Data,80,2026-11-23\n"
                    "A6,a6.com,Intent Data,90,2026-11-23\nA6,a6.com,Cloud,99,\n",
                    encoding="utf-8")
    notes = load_source(path).notes
    assert any(n.startswith("'Report Date': 2 rows with no readable date ('2026-13-45', "
                            "(blank)), left out of the intent columns") for n in notes)
    hub = merge_files([InputSpec(str(path), None)], Config()).hub
    scored = score_hub(hub, Config(as_of=dt.date(2026, 11, 30))).hub.set_index("domain")
    assert math.isnan(scored.loc["a1.com", "intent_score"])
    assert scored.loc["a6.com", "intent_max_score"] == 90  # the undated 99 is no report
    assert scored.loc["a6.com", "intent_score"] > scored.loc["a5.com", "intent_score"]


def test_a_file_without_readable_dates_is_still_one_report(tmp_path: Path) -> None:
    # no dated row at all: the export is one undated report, counted whole, as before
    path = write(tmp_path, "Account Domain,Week Starting,Page Views\nbeta.com,soon,10\n"
                           "zeta.com,,5\n")
    hub = merge_files([InputSpec(str(path), "engagement")], Config()).hub.set_index("domain")
    assert hub["engagement_total"].tolist() == [10, 5]
    assert not [n for n in load_source(path, family="engagement").notes
                if "no readable date" in n]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.com", "b.com", "c.com"]),
                          st.sampled_from(["2026-11-16", "2026-11-23", "", "2026-13-45",
                                           "9999-12-31", "soon"]),
                          st.integers(min_value=0, max_value=50)), min_size=1, max_size=15))
def test_engagement_totals_are_the_dated_rows_in_the_window(rows: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines = "".join(f"{d},{w},{v}\n" for d, w, v in rows)
        path = write(Path(folder), "Account Domain,Week Starting,Page Views\n" + lines)
        hub = merge_files([InputSpec(str(path), "engagement")], Config()).hub
    dated = any(w.startswith("2026-11-") for _, w, _ in rows)
    expected: dict[str, float] = {}
    for domain, week, views in rows:
        counted = week.startswith("2026-11-") or not dated
        expected[domain] = expected.get(domain, 0) + (views if counted else 0)
    totals = dict(zip(hub["domain"], pd.to_numeric(hub["engagement_total"]), strict=True))
    assert totals == expected
