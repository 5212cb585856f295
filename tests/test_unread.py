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
