"""Hostile inputs found in the second hardening round (issue 13): what reading them gives.

Each test builds its hostile file in a temporary folder (large ones are generated, never
committed) and checks the promise: a result with every data row in the lineage, or one
line "error: FILE: ..." and exit 2. Never a traceback, a hang or a machine out of memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_inputs import assert_clean, assert_one_line_error, lineage, run
from typer.testing import CliRunner

from abmcli.errors import AbmError
from abmcli.sources import read as read_module
from abmcli.sources.read import MAX_COLUMNS, read_table, reference_extent
from abmcli.xlsx.workbook import read_sheet

EXAMPLES = Path(__file__).parents[1] / "examples"
FAMILY_FILES = ["zoominfo_company_export.csv", "bombora_company_surge.csv",
                "relationship_contacts.csv", "salesforce_account_report.csv"]


def _merge(tmp_path: Path, *files: Path) -> tuple[Path, Path]:
    hub, lineage_csv = tmp_path / "hub.xlsx", tmp_path / "lineage.csv"
    result = run("merge", *map(str, files), "-o", str(hub), "--lineage", str(lineage_csv))
    assert_clean(result)
    assert result.exit_code == 0, result.output
    return hub, lineage_csv


# --- dates pandas cannot hold ------------------------------------------------------


def test_forever_dates_in_an_engagement_export_score_and_tier(tmp_path: Path) -> None:
    data = (EXAMPLES / "engagement_weekly.csv").read_bytes()
    data = data.replace(b"10/20/2026\r\n", b"12/31/9999\r\n").replace(b"11/18/2026\r\n",
                                                                      b"01/01/0001\r\n")
    engagement = tmp_path / "engagement.csv"
    engagement.write_bytes(data)
    hub, _ = _merge(tmp_path, *(EXAMPLES / name for name in FAMILY_FILES), engagement)
    for command in (["score", str(hub)], ["tier", str(hub), "-o", str(tmp_path / "t.xlsx")]):
        result = run(*command)
        assert_clean(result)
        assert result.exit_code == 0, result.output


def test_a_forever_date_typed_into_a_hub_is_no_date(tmp_path: Path) -> None:
    hub, _ = _merge(tmp_path, *(EXAMPLES / name for name in [*FAMILY_FILES,
                                                              "engagement_weekly.csv"]))
    workbook = openpyxl.load_workbook(hub)
    sheet = workbook["Hub"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("engagement_last_date") + 1
    sheet.cell(2, column).value = dt.datetime(9999, 12, 31)
    sheet.cell(3, column).value = dt.datetime(1, 1, 1)
    sheet.cell(4, column).value = dt.datetime(9999, 12, 31, 5, 0)
    workbook.save(hub)
    for command in (["score", str(hub), "-o", str(tmp_path / "s.xlsx")],
                    ["tier", str(hub), "-o", str(tmp_path / "t.xlsx")]):
        result = run(*command)
        assert_clean(result)
        assert result.exit_code == 0, result.output


# --- numbers too large for their column ---------------------------------------------


def test_employee_counts_too_large_for_any_company_are_left_blank(tmp_path: Path) -> None:
    source = tmp_path / "fit.csv"
    source.write_text("Company Name,Website,Employees\nAcme,acme.com,1e19\n"
                      "Beta,beta.com,100000000000000000000\nGamma,gamma.com,inf\n"
                      "Delta,delta.com,NaN\nEpsilon,epsilon.com,250\n")
    hub, lineage_csv = _merge(tmp_path, source)
    accounts = read_sheet(hub, "Hub").set_index("domain")
    assert accounts["employees"].isna().sum() == 4
    assert accounts.loc["epsilon.com", "employees"] == 250
    assert len(lineage(lineage_csv)) == 5


# --- files that are not regular files -----------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/full"])
def test_a_device_is_refused_not_read_until_memory_runs_out(device: str) -> None:
    assert_one_line_error(run("inspect", device), Path(device), "is a device, not a file")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "accounts.csv"
    os.mkfifo(fifo)  # opening it to read would block until a writer comes
    assert_one_line_error(run("inspect", str(fifo)), fifo, "is a pipe")


def test_a_device_as_the_decisions_file_is_refused(tmp_path: Path) -> None:
    result = run("merge", str(EXAMPLES / "zoominfo_company_export.csv"), "-o",
                 str(tmp_path / "hub.xlsx"), "--decisions", "/dev/zero")
    assert_one_line_error(result, Path("/dev/zero"), "is a device, not a file")


# --- widths ---------------------------------------------------------------------------


def test_one_record_of_a_million_commas_is_refused_before_parsing(tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    source.write_text("Company Name,Website\nAcme,acme.com\n" + "," * 1_000_000 + "\n")
    assert_one_line_error(run("inspect", str(source)), source,
                          f"record 3 has 1,000,001 cells; abm reads at most {MAX_COLUMNS:,}")


def test_thousands_of_copies_of_one_header_get_one_note(tmp_path: Path) -> None:
    source = tmp_path / "copies.csv"
    source.write_text("Company Name,Website," + ",".join(["x"] * 3_000) + "\nAcme,acme.com\n")
    table = read_table(source)  # 30,000 copies took 214 s (quadratic renaming)
    assert table.header[-1] == "x (3000)"
    assert [n for n in table.notes if "appears more than once" in n] == [
        'the header "x" appears more than once; renamed 2,999 copies "x (2)" to "x (3000)"']


# --- workbooks ------------------------------------------------------------------------


def _workbook(tmp_path: Path, name: str, patch: tuple[bytes, bytes] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company Name", "Website", "Founded"])
    sheet.append(["Acme", "acme.com", dt.datetime(2020, 1, 1)])
    sheet.append(["Beta", "beta.com", 20])
    buffer = io.BytesIO()
    book.save(buffer)
    source, path = zipfile.ZipFile(buffer), tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if patch and member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(patch[0], patch[1], data)
            target.writestr(member.filename, data)
    return path


def _stray_cell(reference: str) -> tuple[bytes, bytes]:
    row = re.sub("[A-Z]", "", reference)
    return (b"</sheetData>", f'<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>x</t>'
            f"</is></c></row></sheetData>".encode())


@pytest.mark.parametrize(("reference", "words"), [
    ("XFD1048576", "spans 1,048,576 rows by 16,384 columns but holds only"),
    ("ZZ200000", "spans 200,000 rows by 702 columns but holds only"),
    ("XFE5", "has a cell past Excel's last cell XFD1048576"),
    ("A1048577", "has a cell past Excel's last cell XFD1048576"),
])
def test_a_stray_far_cell_is_refused_before_the_reader_allocates(
        tmp_path: Path, reference: str, words: str) -> None:
    path = _workbook(tmp_path, "stray.xlsx", _stray_cell(reference))
    assert_one_line_error(run("inspect", str(path)), path, words)  # aborted with rc 134


def test_a_stray_far_cell_in_a_hub_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "hub.xlsx", _stray_cell("XFD1048576"))
    with pytest.raises(AbmError, match="holds only"):
        read_sheet(path, "Sheet")


def test_a_date_serial_the_reader_panics_on_is_one_clean_error(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "panic.xlsx", (rb'(<c r="C2"[^>]*><v>)[^<]*', rb"\g<1>-1e16"))
    assert_one_line_error(run("inspect", str(path)), path, "the xlsx reader cannot handle")


# --- random inputs to every reader ------------------------------------------------------


def _read_or_refuse(path: Path) -> None:
    """A table with one row number per data row, or an AbmError: nothing else."""
    try:
        table = read_table(path)
    except AbmError:
        return
    assert len(table.row_numbers) == len(table.rows) == len(set(table.row_numbers.tolist()))


FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_read_or_fail_cleanly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _read_or_refuse(path)


@FUZZ
@given(rows=st.lists(st.lists(st.text(alphabet='ab1 ,;"\t\r\n', max_size=8), max_size=12),
                     max_size=30))
def test_random_csv_shapes_keep_every_data_row_once(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "shapes.csv"
    path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    _read_or_refuse(path)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
# Near cells are read; far ones (past XFD1048576, or spanning a vast sparse rectangle)
# are refused. Rectangles in between are left out: reading one costs the reader seconds.
@given(column=st.one_of(st.integers(1, 60), st.integers(16_000, 20_000)),
       row=st.one_of(st.integers(1, 100), st.integers(1_000_000, 1_100_000)),
       serial=st.one_of(st.floats(allow_nan=True), st.integers(-10**17, 10**17)))
def test_random_cell_references_and_date_serials(tmp_path: Path, column: int, row: int,
                                                 serial: float) -> None:
    letters, number = "", column
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    path = _workbook(tmp_path, "random.xlsx", _stray_cell(f"{letters}{row}"))
    path = _workbook(tmp_path, "random.xlsx") if row < 4 else path
    patched = tmp_path / "dated.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<c r="C2"[^>]*><v>)[^<]*', rb"\g<1>" + repr(serial).encode(),
                              data)
            target.writestr(member.filename, data)
    _read_or_refuse(patched)


# --- footers and repeated headers: never an account, never lost -------------------------


HEADER = "Company Name,Website,Employees,Industry\n"


def test_companies_named_like_footers_are_data_rows(tmp_path: Path) -> None:
    source = tmp_path / "fit.csv"
    source.write_text(HEADER + "Acme,acme.com,100,Software\nTotal,total.com,,\n"
                      "Confidential Computing Inc,,,\n")
    table = read_table(source)
    assert list(table.rows["Company Name"]) == ["Acme", "Total", "Confidential Computing Inc"]
    assert table.skipped == []


def test_every_footer_line_is_in_the_lineage_with_its_text(tmp_path: Path) -> None:
    source = tmp_path / "fit.csv"
    source.write_text(HEADER + "Acme,acme.com,100,Software\n\nGrand Totals (1 records),,,\n"
                      "Confidential,,,\n")
    _, lineage_csv = _merge(tmp_path, source)
    rows = lineage(lineage_csv)
    assert [(r["row"], r["match"], r["reason"]) for r in rows[1:]] == [
        ("2", "rejected", "blank record"),
        ("3", "rejected", "footer: Grand Totals (1 records)"),
        ("4", "rejected", "footer: Confidential")]


def test_a_header_repeated_every_50_rows_is_no_account(tmp_path: Path) -> None:
    lines = [f"Co {i},co{i}.com,10,Software\n" for i in range(120)]
    for at in (100, 50):
        lines.insert(at, HEADER)
    source = tmp_path / "paged.csv"
    source.write_text(HEADER + "".join(lines))
    hub, lineage_csv = _merge(tmp_path, source)
    assert "Company Name" not in set(read_sheet(hub, "Hub")["account_name"])
    rows = lineage(lineage_csv)
    assert len(rows) == 122
    repeated = [r for r in rows if r["reason"].startswith("repeated header row: ")]
    assert [r["row"] for r in repeated] == ["51", "102"]


# --- hand-edited hubs -----------------------------------------------------------------


def _edited_hub(tmp_path: Path, edit: str) -> Path:
    hub, _ = _merge(tmp_path, *(EXAMPLES / name for name in FAMILY_FILES))
    workbook = openpyxl.load_workbook(hub)
    sheet = workbook["Hub"]
    if edit == "title":
        sheet.insert_rows(1)
        sheet.cell(1, 1).value = "Account hub, week 48"
    else:
        header = [cell.value for cell in sheet[1]]
        sheet.cell(1, header.index("industry") + 1).value = "country"
    workbook.save(hub)
    return hub


@pytest.mark.parametrize(("edit", "words"), [
    ("title", "column B has values but no name in row 1; the header must be row 1"),
    ("duplicate", "has two columns named 'country'"),
])
def test_a_hand_edited_hub_header_is_refused_not_misread(tmp_path: Path, edit: str,
                                                         words: str) -> None:
    hub = _edited_hub(tmp_path, edit)
    for command in (["score", str(hub), "-o", str(tmp_path / "s.xlsx")],
                    ["tier", str(hub), "-o", str(tmp_path / "t.xlsx")],
                    ["explain", str(hub), "acme.com"]):
        assert_one_line_error(run(*command), hub, words)


# --- what a file really is --------------------------------------------------------------


def _ole_file(path: Path, stream: str) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
                     + stream.encode("utf-16-le") + b"\0" * 600)
    return path


@pytest.mark.parametrize(("name", "make", "words"), [
    ("old.xlsx", lambda p: _ole_file(p, "Workbook"), "is an old Excel 97-2003 workbook (.xls)"),
    ("locked.xlsx", lambda p: _ole_file(p, "EncryptedPackage"),
     "is a password-protected Excel workbook"),
])
def test_an_ole_file_named_xlsx_gets_advice_for_what_it_is(tmp_path: Path, name: str, make,
                                                           words: str) -> None:
    path = make(tmp_path / name)
    assert_one_line_error(run("inspect", str(path)), path, words)


def test_an_ods_gets_advice_for_an_ods(tmp_path: Path) -> None:
    path = tmp_path / "accounts.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert_one_line_error(run("inspect", str(path)), path, "is an OpenDocument file (.ods")


def test_a_utf16_sheet_xml_gets_advice_not_an_empty_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "utf16.xlsx", (rb"^", b"\xff\xfe"))
    assert_one_line_error(run("inspect", str(path)), path, "stored as UTF-16 XML")


@pytest.mark.parametrize(("kind", "words"), [("fifo", "is a pipe"),
                                             ("folder", "is a folder, not a file")])
def test_a_pipe_or_folder_in_inputs_says_what_it_is(tmp_path: Path, kind: str,
                                                    words: str) -> None:
    from weekly_bundle import CONFIG, cli_app, make_bundle

    config = make_bundle(tmp_path, CONFIG.replace('"exports/salesforce*.csv"',
                                                  '"exports/salesforce.csv"'))
    target = tmp_path / "exports" / "salesforce.csv"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    result = CliRunner().invoke(cli_app(), ["run", "--config", str(config), "--as-of",
                                            "2026-11-25", "--quiet"])
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert "file not found" not in result.stderr


def test_a_header_of_a_million_columns_is_refused_in_seconds(tmp_path: Path) -> None:
    source = tmp_path / "wide_header.csv"
    source.write_text("Company Name,Website" + ",x" * 1_000_000 + "\nA,a.com\n")
    assert_one_line_error(run("inspect", str(source)), source,  # took over 15 minutes
                          "record 1 has 1,000,002 cells")


CELLS = st.one_of(st.sampled_from(["", " ", "Total", "Confidential", "Grand Totals (3 records)",
                                   "acme.com", "jane@acme.com", "Acme Inc", "12/31/9999", "1e19",
                                   "Company Name", "Website", '"', "=1+1"]),
                  st.text(alphabet="ab1 .@,;-", max_size=6))


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=25))
def test_merging_random_tables_keeps_every_record_in_the_lineage_once(
        tmp_path: Path, rows: list[list[str]]) -> None:
    source = tmp_path / "random.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Company Name", "Website", "Employees", "Last Activity Date"])
        writer.writerows(rows)
    hub, lineage_csv = tmp_path / "hub.xlsx", tmp_path / "lineage.csv"
    lineage_csv.unlink(missing_ok=True)
    result = run("merge", str(source), "-o", str(hub), "--lineage", str(lineage_csv))
    assert_clean(result)
    if result.exit_code == 2:
        return
    assert result.exit_code == 0, result.output
    table = read_table(source)
    placed = lineage(lineage_csv)
    assert len(placed) == len(table.rows) + len(table.skipped)
    assert len({row["row"] for row in placed}) == len(placed)


def test_a_hub_from_one_family_only_scores(tmp_path: Path) -> None:
    hub, _ = _merge(tmp_path, EXAMPLES / "engagement_weekly.csv")
    result = run("score", str(hub))  # KeyError 'relationship_score' before
    assert_clean(result)
    assert result.exit_code == 0, result.output


# --- the scan of cell references: the regex scan it replaced, as the reference ----------

_COLUMN_RE = re.compile(rb' r="([A-Za-z]{1,7})[0-9]')
_CELL_ROW_RE = re.compile(rb' r="[A-Za-z]{1,7}([0-9]{1,12})"')
_FAR_ROW_RE = re.compile(rb' r="[A-Za-z]{0,7}([0-9]{7,12})"')


def _regex_extent(xml: bytes) -> tuple[int, int]:
    """What the regex scan (before 2026-11-30) found: the last column (at least 26) and
    the last row of a cell reference, or of any reference of 7 digits or more."""
    columns = [sum((letter - 64) * 26 ** i for i, letter in enumerate(reversed(found.upper())))
               for found in _COLUMN_RE.findall(xml)]
    rows = [int(found) for found in _CELL_ROW_RE.findall(xml) + _FAR_ROW_RE.findall(xml)]
    return max([26, *columns]), max([0, *rows])


_REFERENCE_PIECES = st.one_of(
    st.sampled_from([' r="', ' r="A1"', ' r="XFD1048576"', ' r="xfe5"', ' r="12"',
                     ' r="1234567"', ' r="ABCDEFGH1"', ' r="A1234567890123"', ' r="ZZ',
                     '<row r="7">', '<c r="B2" t="s">', ' ref="A1:B2"', ' r=""', 'r="A1"',
                     ' r="123456"', '<row r="999999">', ' r="AB123456"', ' r="a1048577"']),
    st.builds(lambda letters, digits, close: f' r="{letters}{digits}{close}',
              st.one_of(st.just(""), st.text(alphabet="AZaz", max_size=9)),
              st.text(alphabet="0189", max_size=14),
              st.sampled_from(['"', "", ":", '"/>'])),
    st.text(alphabet='<>/ r="cAZ09', max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_REFERENCE_PIECES, max_size=30))
def test_the_reference_scan_finds_what_the_regex_scan_found(pieces: list[str]) -> None:
    xml = "".join(pieces).encode()
    assert reference_extent(xml) == _regex_extent(xml)


_ENCODING_BYTES = st.sampled_from([0x0A, 0x41, 0x80, 0x9F, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                    0xEF, 0xF0, 0xF4, 0xF5, 0xFF])


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(_ENCODING_BYTES, max_size=40), enough=st.integers(1, 4),
       slice_bytes=st.integers(1, 9))
def test_utf8_sequences_are_counted_as_the_regex_scan_counted(
        data: list[int], enough: int, slice_bytes: int, monkeypatch) -> None:
    """A file that is not UTF-8 is read as UTF-8 + cp1252 when it holds two real UTF-8
    characters: counted with numpy a slice at a time, as the regex scan (before
    2026-11-30) counted them, sequences across a slice's end included."""
    raw = bytes(data)
    expected = len(list(itertools.islice(read_module.UTF8_SEQUENCE_RE.finditer(raw), enough)))
    monkeypatch.setattr(read_module, "SEQUENCE_SCAN_BYTES", slice_bytes)
    assert read_module._utf8_sequences(raw, enough) == expected


def test_a_workbook_is_checked_once_per_content(tmp_path: Path, monkeypatch) -> None:
    path = _workbook(tmp_path, "twice.xlsx")
    scans: list[Path] = []
    monkeypatch.setattr(read_module, "refuse_sparse_sheets", scans.append)
    for _ in range(3):
        read_module.refuse_unsafe_workbook(path)
    assert scans == [path]
    stray = _workbook(tmp_path, "twice.xlsx", _stray_cell("XFD1048576"))  # same name
    monkeypatch.undo()
    with pytest.raises(AbmError, match="holds only"):
        read_module.refuse_unsafe_workbook(stray)
