"""Formatted workbooks: formula-safe, typed, filterable, charted, atomic, and readable back."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from xlsxwriter.worksheet import Worksheet

from abmcli.errors import AbmError, WorkbookError
from abmcli.xlsx.workbook import (
    Chart,
    ColumnFormat,
    Sheet,
    SummarySheet,
    excel_sheet_names,
    key_values,
    read_sheet,
    sheet_names,
    write_workbook,
)

HOSTILE_NAMES = [
    '=HYPERLINK("http://x","click")',
    "+1+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
TIER_FILLS = {"Tier 1": "#C6EFCE", "Tier 2": "#FFEB9C", 'Tier "3"': "#FCE4D6"}


def hub_frame() -> pd.DataFrame:
    """Four accounts as the hub holds them, with blanks of every kind pandas has."""
    return pd.DataFrame(
        {
            "account_name": ["Société Générale S.A.", "AT&amp;T Inc.", "Müller & Söhne GmbH", None],
            "domain": ["societegenerale.com", "att.com", "mueller-soehne.de", "initech.io"],
            "employees": pd.array([117_000, None, 85, 1_200], dtype="Int64"),
            "revenue": [27.1e9, np.nan, 1.2e7, np.inf],
            "fit_score": [92.5, 40.0, 77.25, 0.0],
            "intent_latest_date": pd.to_datetime(["2025-03-31", None, "2025-01-06", "2024-12-30"]),
            "engagement_spike": [True, False, True, False],
            "tier": ["Tier 1", "Tier 2", 'Tier "3"', "Tier 4"],
            "founded_year": [1864, 1885, 1998, 2001],
        }
    )


def hub_sheet(frame: pd.DataFrame | None = None) -> Sheet:
    return Sheet(
        "Hub",
        hub_frame() if frame is None else frame,
        formats={"revenue": ColumnFormat("money"), "fit_score": ColumnFormat("score")},
        row_fill="tier",
        fills=TIER_FILLS,
    )


def tiers_summary() -> SummarySheet:
    tiers = pd.DataFrame({"tier": ["Tier 1", "Tier 2", "Tier 3"], "accounts": [100, 200, 200]})
    facts = key_values({"Accounts": 500, "As of": dt.date(2025, 3, 31), "Vendor": "=bad()"})
    return SummarySheet(
        "Summary",
        blocks=[("Run", facts), ("Tiers", tiers)],
        charts=[Chart("column", "Accounts per tier", "Tiers", "accounts", "tier")],
    )


@pytest.fixture(scope="module")
def hub_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "hub.xlsx"
    return write_workbook(path, [hub_sheet(), tiers_summary()])


@pytest.fixture(scope="module")
def hub_ws(hub_book: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(hub_book)["Hub"]


def test_hostile_text_is_shown_as_text_never_as_a_formula(tmp_path: Path) -> None:
    frame = pd.DataFrame({"account_name": HOSTILE_NAMES, "domain": ["x.example"] * 8})
    path = write_workbook(tmp_path / "hostile.xlsx", [Sheet("Hub", frame)])
    ws = openpyxl.load_workbook(path)["Hub"]
    cells = [ws.cell(row=row, column=1) for row in range(2, 10)]
    assert [cell.data_type for cell in cells] == ["s"] * 8
    # OOXML stores a carriage return as _x000D_; Excel decodes it, openpyxl does not.
    assert [cell.value.replace("_x000D_", "\r") for cell in cells] == HOSTILE_NAMES
    assert read_sheet(path, "Hub")["account_name"].tolist() == HOSTILE_NAMES


def test_no_cell_anywhere_is_a_formula(hub_book: Path) -> None:
    book = openpyxl.load_workbook(hub_book)
    kinds = {cell.data_type for ws in book.worksheets for row in ws.iter_rows() for cell in row}
    assert "f" not in kinds
    assert book["Summary"]["B5"].value == "=bad()"


def test_numbers_dates_and_flags_keep_their_types(hub_ws) -> None:
    assert hub_ws["C2"].value == 117_000 and hub_ws["C2"].data_type == "n"
    assert hub_ws["C2"].number_format == "#,##0"
    assert hub_ws["D2"].value == 27.1e9 and hub_ws["D2"].number_format == "$#,##0"
    assert hub_ws["E4"].value == 77.25 and hub_ws["E4"].number_format == "0.0"
    assert hub_ws["F2"].value == dt.datetime(2025, 3, 31)
    assert hub_ws["F2"].number_format == "yyyy-mm-dd"
    assert hub_ws["G2"].value is True and hub_ws["G3"].value is False
    assert hub_ws["I2"].number_format == "0"  # a year shows as 1864, not 1,864


def test_missing_and_infinite_values_are_blank_cells(hub_ws) -> None:
    assert hub_ws["A5"].value is None  # None text
    assert hub_ws["C3"].value is None  # pd.NA
    assert hub_ws["D3"].value is None  # NaN
    assert hub_ws["D5"].value is None  # inf: Excel has no infinity
    assert hub_ws["F3"].value is None  # NaT


def test_header_is_bold_frozen_and_filtered_over_all_data(hub_ws) -> None:
    assert [cell.value for cell in hub_ws[1]][:3] == ["account_name", "domain", "employees"]
    assert hub_ws["A1"].font.b
    assert hub_ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert hub_ws.freeze_panes == "A2"
    assert hub_ws.auto_filter.ref == "A1:I5"


def test_widths_follow_header_and_values(hub_ws) -> None:
    widths = {letter: hub_ws.column_dimensions[letter].width for letter in "ABCI"}
    assert widths["A"] >= len("Société Générale S.A.")
    assert widths["C"] >= len("employees")
    assert widths["I"] < widths["A"]
    assert all(width <= 50 for width in widths.values())


def test_long_text_is_capped_and_explicit_width_wins(tmp_path: Path) -> None:
    frame = pd.DataFrame({"fit_reasons": ["industry Software (+30); " * 10], "id": ["ACC-1"]})
    sheet = Sheet("Hub", frame, formats={"id": ColumnFormat(width=22)})
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", [sheet]))["Hub"]
    assert ws.column_dimensions["A"].width == pytest.approx(50, abs=1)
    assert ws.column_dimensions["B"].width == pytest.approx(22, abs=1)


def test_score_colour_scale_and_tier_fills_are_conditional_formats(hub_ws) -> None:
    rules = {
        str(rng.sqref): [(rule.type, rule.formula) for rule in rng.rules]
        for rng in hub_ws.conditional_formatting
    }
    assert set(rules) == {"E2:E5", "A2:I5"}
    (scale,) = hub_ws.conditional_formatting["E2:E5"]
    assert [color.rgb[-6:] for color in scale.colorScale.color] == ["F8696B", "FFEB84", "63BE7B"]
    assert rules["A2:I5"] == [
        ("expression", ['$H2="Tier 1"']),
        ("expression", ['$H2="Tier 2"']),
        ("expression", ['$H2="Tier ""3"""']),
    ]


def test_summary_blocks_sit_one_under_another_with_a_chart(hub_book: Path) -> None:
    ws = openpyxl.load_workbook(hub_book)["Summary"]
    column_a = [ws.cell(row=row, column=1).value for row in range(1, 12)]
    assert column_a == [
        "Run", "item", "Accounts", "As of", "Vendor", None,
        "Tiers", "tier", "Tier 1", "Tier 2", "Tier 3",
    ]  # fmt: skip
    assert ws["B3"].value == 500
    assert ws["B4"].value == dt.datetime(2025, 3, 31) and ws["B4"].number_format == "yyyy-mm-dd"
    assert len(ws._charts) == 1
    series = ws._charts[0].series[0]
    assert series.val.numRef.f == "Summary!$B$9:$B$11"
    assert series.cat.strRef.f == "Summary!$A$9:$A$11"


def test_read_sheet_round_trips_values_and_types(hub_book: Path) -> None:
    back = read_sheet(hub_book, "Hub")
    assert list(back.columns) == list(hub_frame().columns)
    assert back["account_name"].tolist()[:3] == hub_frame()["account_name"].tolist()[:3]
    assert pd.isna(back["account_name"].iloc[3])
    assert str(back["employees"].dtype) == "Int64"
    assert back["employees"].tolist()[::2] == [117_000, 85]
    assert back["founded_year"].dtype == "int64"
    assert back["fit_score"].tolist() == [92.5, 40.0, 77.25, 0.0]
    assert back["intent_latest_date"].iloc[0] == dt.date(2025, 3, 31)
    assert type(back["intent_latest_date"].iloc[0]) is dt.date
    assert back["engagement_spike"].dtype == bool
    assert back["engagement_spike"].tolist() == [True, False, True, False]


def test_text_that_looks_numeric_stays_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"postal_code": ["02139", "-12.5", "1e5"], "crm_id": ["001", "2", "3"]})
    path = write_workbook(tmp_path / "codes.xlsx", [Sheet("Hub", frame)])
    back = read_sheet(path, "Hub")
    assert back["postal_code"].tolist() == ["02139", "-12.5", "1e5"]
    assert back["crm_id"].tolist() == ["001", "2", "3"]


def test_mixed_object_columns_and_timezones_are_written_by_value_type(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "value": pd.Series(["Bombora", 42, 2.5, True, dt.date(2025, 1, 6), None], dtype=object),
            "seen_at": pd.to_datetime(["2025-03-31 09:30"] * 6).tz_localize("Europe/Berlin"),
            "first_seen": pd.Series([dt.date(1899, 12, 1)] + [dt.date(2025, 1, 1)] * 5),
        }
    )
    path = write_workbook(tmp_path / "mixed.xlsx", [Sheet("Mixed", frame)])
    ws = openpyxl.load_workbook(path)["Mixed"]
    assert [ws.cell(row=row, column=1).value for row in range(2, 8)] == [
        "Bombora", 42, 2.5, True, dt.datetime(2025, 1, 6), None,
    ]  # fmt: skip
    assert ws["B2"].value == dt.datetime(2025, 3, 31, 9, 30)  # wall-clock time kept
    assert ws["C2"].value == "1899-12-01"  # before Excel's calendar: shown as text
    assert ws["C3"].value == dt.datetime(2025, 1, 1)


def test_sheet_names_are_made_excel_safe_and_unique(tmp_path: Path) -> None:
    names = excel_sheet_names(
        ["Tier 1: Just right [1:1]", "tier 1: just right [1:1]", "a/b\\c?d*e", "", "History"]
    )
    assert names == [
        "Tier 1_ Just right _1_1_",
        "tier 1_ just right _1_1_ (2)",
        "a_b_c_d_e",
        "Sheet",
        "History_",
    ]
    long = excel_sheet_names(["Accounts surging on ABM intent this week"] * 2)
    assert [len(name) for name in long] == [31, 31] and long[0] != long[1]
    frames = [Sheet(name, pd.DataFrame({"a": [1]})) for name in ("Tier 1", "TIER 1", "x" * 40)]
    assert sheet_names(write_workbook(tmp_path / "n.xlsx", frames)) == [
        "Tier 1",
        "TIER 1 (2)",
        "x" * 31,
    ]


def test_a_failed_write_leaves_last_weeks_workbook_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"  # where xlsxwriter keeps its row files
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    target = tmp_path / "hub.xlsx"
    write_workbook(target, [hub_sheet()])
    last_week = target.read_bytes()
    calls = 0

    def write_number_then_fail(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls > 5:
            raise RuntimeError("killed midway")
        return original(self, *args, **kwargs)

    original = Worksheet.write_number
    monkeypatch.setattr(Worksheet, "write_number", write_number_then_fail)
    with pytest.raises(RuntimeError, match="killed midway"):
        write_workbook(target, [hub_sheet()])
    assert target.read_bytes() == last_week
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hub.xlsx", "tmp"]
    assert list(scratch.iterdir()) == []  # no vendor rows left in the temp folder


def test_mistakes_in_the_sheet_spec_are_reported_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "hub.xlsx"
    bad_fill = Sheet("Hub", hub_frame(), row_fill="Tier")
    with pytest.raises(WorkbookError, match="row_fill names column 'Tier'.*columns: account_name"):
        write_workbook(target, [bad_fill])
    bad_colour = Sheet("Hub", hub_frame(), row_fill="tier", fills={"Tier 1": "green"})
    with pytest.raises(WorkbookError, match="fill colour 'green'.*#RRGGBB"):
        write_workbook(target, [bad_colour])
    summary = tiers_summary()
    summary.charts = [Chart("column", "Accounts", "Tiers", "count", "tier")]
    with pytest.raises(WorkbookError, match="block 'Tiers' has no column 'count'"):
        write_workbook(target, [summary])
    with pytest.raises(WorkbookError, match="kind 'percentage' is not known"):
        ColumnFormat("percentage")
    assert not target.exists()


def test_reading_a_missing_sheet_lists_the_sheets(hub_book: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_sheet(hub_book, "Tier 1")
    assert str(caught.value) == (
        f"{hub_book}: has no sheet 'Tier 1' (sheets: Hub, Summary); "
        "give a workbook written by abm merge"
    )


def test_reading_a_csv_renamed_to_xlsx_says_what_to_do(tmp_path: Path) -> None:
    fake = tmp_path / "Account.xlsx"
    fake.write_text("Id,Name,Website\n001,Acme Corp.,acme.com\n")
    with pytest.raises(WorkbookError, match="Account.xlsx: is not a readable .xlsx workbook"):
        read_sheet(fake, "Hub")
    with pytest.raises(WorkbookError, match="missing.xlsx: no such file"):
        sheet_names(tmp_path / "missing.xlsx")


def test_empty_sheet_keeps_its_header(tmp_path: Path) -> None:
    frame = hub_frame().iloc[0:0]
    path = write_workbook(tmp_path / "empty.xlsx", [hub_sheet(frame)])
    ws = openpyxl.load_workbook(path)["Hub"]
    assert ws.auto_filter.ref == "A1:I1"
    assert list(read_sheet(path, "Hub").columns) == list(frame.columns)


def test_reading_a_workbook_that_would_unpack_to_gigabytes_is_refused(tmp_path):
    bomb = tmp_path / "hub.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 << 20))
    with pytest.raises(AbmError, match="decompression bomb"):
        read_sheet(bomb, "Hub")
