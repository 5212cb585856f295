"""csv_text writes the bytes pandas' to_csv writes, for every kind of column abm writes."""

from __future__ import annotations

import datetime as dt
import io
import os

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.csv_text import csv_chunks, write_frame

# Text a vendor file can hold: delimiters, quotes, line breaks, control characters,
# accents, emoji, leading and trailing spaces, formula starts.
TEXT = st.text(alphabet=st.sampled_from(list(',"\n\r\t =+-@\x00\x1b aZ9é€😀\'')) | st.characters(
    blacklist_categories=("Cs",)), max_size=12)
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.1, 1e16, 1.5e-7, 123456789012345680.0, -0.0, 85.0, 2.5])
OBJECTS = st.none() | TEXT | FLOATS | st.integers(-10**20, 10**20) | st.booleans() | st.dates(
    min_value=dt.date(1900, 1, 1)) | st.just(pd.NA) | st.just(pd.NaT)


def _column(kind: str, draw: st.DrawFn, rows: int) -> pd.Series:
    if kind == "str":
        return pd.Series(draw(st.lists(st.none() | TEXT, min_size=rows, max_size=rows)),
                         dtype="str")
    if kind == "float":
        return pd.Series(draw(st.lists(FLOATS, min_size=rows, max_size=rows)), dtype="float64")
    if kind == "int":
        return pd.Series(draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=rows,
                                       max_size=rows)), dtype="int64")
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=rows, max_size=rows)))
    if kind == "Int64":
        return pd.Series(draw(st.lists(st.none() | st.integers(-10**9, 10**9), min_size=rows,
                                       max_size=rows)), dtype="Int64")
    if kind == "boolean":
        return pd.Series(draw(st.lists(st.none() | st.booleans(), min_size=rows,
                                       max_size=rows)), dtype="boolean")
    return pd.Series(draw(st.lists(OBJECTS, min_size=rows, max_size=rows)), dtype=object)


KINDS = ["str", "float", "int", "bool", "Int64", "boolean", "object"]


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 8))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=6))
    headers = draw(st.lists(TEXT, min_size=len(kinds), max_size=len(kinds)))
    frame = pd.DataFrame({i: _column(kind, draw, rows) for i, kind in enumerate(kinds)})
    frame.columns = headers  # duplicates and odd names included
    return frame


@settings(max_examples=300, deadline=None)
@given(frames(), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_the_same_text_as_pandas(frame: pd.DataFrame, header: bool, terminator: str) -> None:
    chunks = csv_chunks(frame, header=header, line_terminator=terminator)
    assert chunks is not None
    assert "".join(chunks) == frame.to_csv(index=False, header=header, lineterminator=terminator)


def test_many_rows_are_written_in_chunks_in_order(monkeypatch) -> None:
    monkeypatch.setattr("abmcli.csv_text.CHUNK_ROWS", 7)
    frame = pd.DataFrame({"n": range(50), "name": [f'a,"{i}"' for i in range(50)]})
    chunks = list(csv_chunks(frame) or [])
    assert len(chunks) == 1 + 8  # the header, then 50 rows 7 at a time
    assert "".join(chunks) == frame.to_csv(index=False, lineterminator="\n")


def test_pandas_writes_what_is_not_handled_here(tmp_path) -> None:
    """datetime64 columns and one-column frames (the csv writer quotes a lone empty
    field) are left to pandas, and the file is still what pandas writes."""
    odd = [pd.DataFrame({"when": pd.to_datetime(["2026-11-25", None]), "n": [1, 2]}),
           pd.DataFrame({"only": ["", "x"]}),
           pd.DataFrame({"tier": pd.Categorical(["Tier 1", None]), "n": [1, 2]})]
    for number, frame in enumerate(odd):
        assert csv_chunks(frame) is None
        path = tmp_path / f"{number}.csv"
        write_frame(frame, path, encoding="utf-8-sig")
        assert path.read_bytes() == frame.to_csv(index=False, lineterminator="\n",
                                                 encoding="utf-8-sig").encode("utf-8-sig")


def test_a_file_and_a_handle_get_the_bytes_pandas_writes(tmp_path) -> None:
    frame = pd.DataFrame({"name": ["Zoë GmbH", None, "a\nb"], "score": [1.5, np.nan, 2.0]})
    path = tmp_path / "out.csv"
    write_frame(frame, path, encoding="utf-8-sig")
    frame.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8-sig",
                 lineterminator="\n")
    assert path.read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    handle = io.StringIO()
    write_frame(frame, handle, line_terminator=os.linesep)
    assert handle.getvalue() == frame.to_csv(index=False)
