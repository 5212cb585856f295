"""Reading vendor CSV and Excel exports into text tables (abmcli.sources.read)."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from abmcli.errors import InputFileError
from abmcli.sources.read import cell_text, read_table, split_sheet_spec

DATA = Path(__file__).parent / "data" / "read"
SF_HEADER = [
    "Account Name", "Website", "Billing City", "Billing State/Province",
    "Billing Zip/Postal Code", "Billing Country", "Account Owner", "Territory", "Type",
    "Annual Revenue", "Employees", "Industry", "Account ID", "Parent Account ID",
]


def column(table, name: str) -> list[str]:
    return table.rows[name].tolist()


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


# ------------------------------------------------------------------ encodings


def test_utf8_keeps_accents_and_detects_comma():
    table = read_table(DATA / "utf8.csv")
    assert (table.encoding, table.delimiter) == ("utf-8", ",")
    assert table.header == ["Company Name", "Website", "City"]
    assert column(table, "Company Name") == ["Nestlé S.A.", "Müller GmbH"]
    assert table.notes == []


def test_utf8_bom_is_not_part_of_the_first_header():
    table = read_table(DATA / "utf8_bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "Company Name"
    assert column(table, "Employees") == ["120", "NA"]  # "NA" stays text, not NaN


def test_excel_unicode_text_is_utf16_and_tab_delimited():
    table = read_table(DATA / "utf16_unicode_text.txt")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert column(table, "Company Name") == ["L’Oréal S.A.", "Société Générale"]


def test_utf16_without_bom_is_detected_from_nul_bytes():
    table = read_table(DATA / "utf16le_no_bom.csv")
    assert table.encoding == "utf-16-le"
    assert column(table, "Company Name") == ["Åbo Akademi", "Acme Corp"]


def test_cp1252_is_detected_and_noted():
    table = read_table(DATA / "cp1252.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert column(table, "Company Name") == ["Café Müller GmbH", "Zürich Insurance"]
    assert column(table, "Note") == ["L’été", "“quoted”"]
    assert any("not UTF-8" in note and "--encoding" in note for note in table.notes)


def test_byte_undefined_in_cp1252_falls_back_to_latin1():
    table = read_table(DATA / "cp1252_undefined_byte.csv")
    assert table.encoding == "latin-1"
    assert column(table, "Company Name") == ["Acme\x81 Corp", "Café Inc"]


def test_explicit_encoding_overrides_detection():
    table = read_table(DATA / "cp1252.csv", encoding="latin-1")
    assert table.encoding == "latin-1"
    assert column(table, "Company Name")[0] == "Café Müller GmbH"


def test_unknown_encoding_names_the_option():
    with pytest.raises(InputFileError) as err:
        read_table(DATA / "utf8.csv", encoding="utf-9")
    assert "utf8.csv" in str(err.value)
    assert "unknown encoding 'utf-9' given with --encoding" in str(err.value)


def test_wrong_explicit_encoding_says_where_and_what_to_try():
    with pytest.raises(InputFileError) as err:
        read_table(DATA / "cp1252.csv", encoding="utf-8")
    message = str(err.value)
    assert "cp1252.csv: not valid utf-8 at byte 29" in message
    assert "try --encoding cp1252" in message


UTF16_TEXT = "Company,Website\nCafé Müller GmbH,mueller.de\nAcme,acme.com\n"


@pytest.mark.parametrize(("given", "data", "mark"), [
    ("cp1252", codecs.BOM_UTF16_LE + UTF16_TEXT.encode("utf-16-le"), "UTF-16"),
    ("latin-1", codecs.BOM_UTF16_BE + UTF16_TEXT.encode("utf-16-be"), "UTF-16"),
    ("cp1252", codecs.BOM_UTF8 + UTF16_TEXT.encode("utf-8"), "UTF-8"),
])
def test_a_byte_order_mark_wins_over_an_encoding_it_contradicts(tmp_path, given: str,
                                                                 data: bytes, mark: str):
    """--encoding cp1252 on a UTF-16 file read every other byte as NUL, "removed 24,798
    NUL bytes (the file was damaged ...)" and a header "ÿþCompany". A byte-order mark is
    certain: the file is read as it says, and a note says the option was overruled."""
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    table = read_table(path, encoding=given)
    assert table.header == ["Company", "Website"]
    assert column(table, "Company") == ["Café Müller GmbH", "Acme"]
    assert not any("NUL" in note for note in table.notes)
    assert (f"the file starts with a {mark} byte-order mark, which --encoding {given} "
            f"contradicts: read it as {mark} (drop --encoding for this file)") in table.notes


@pytest.mark.parametrize("given", ["utf-16", "utf-16-le", "UTF16"])
def test_an_encoding_that_agrees_with_the_mark_is_read_without_a_note(tmp_path, given: str):
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + UTF16_TEXT.encode("utf-16-le"))
    table = read_table(path, encoding=given)
    assert table.header == ["Company", "Website"]
    assert not any("byte-order mark" in note for note in table.notes)


def test_nul_bytes_are_removed_with_a_note():
    table = read_table(DATA / "nul_bytes.csv")
    assert column(table, "Company Name") == ["Acme Corp", "Globex"]
    assert column(table, "Website") == ["acme.com", "globex.com"]
    assert any("removed 2 NUL bytes" in note for note in table.notes)


def test_terminal_sequences_leave_names_with_a_note_and_the_table_keeps_its_shape(
    tmp_path: Path,
) -> None:
    # OSC sets a title or the clipboard, CSI colours, BEL rings, U+202E reverses text: none
    # belongs in a company name, and a name kept with them could not be found by explain.
    path = tmp_path / "hostile.csv"
    path.write_text('Company,Website\n"\x1b]0;pwned\x07\x1b[31mRedCorp\x1b[0m",redcorp.com\n'
                    "\x1b]52;c;aGk=,acme.com\nBell\x07 Co\u202e,bell.com\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, "Company") == ["RedCorp", "]52;c;aGk=", "Bell Co"]  # unterminated
    assert column(table, "Website") == ["redcorp.com", "acme.com", "bell.com"]
    assert any("removed 7 control characters" in note for note in table.notes)


# ------------------------------------------------------------------ delimiters and quoting


@pytest.mark.parametrize(
    ("name", "delimiter", "second_column"),
    [
        ("semicolon.csv", ";", ["siemens.com", "sap.com"]),
        ("pipe.txt", "|", ["acme.com", "globex.com"]),
        ("tab.tsv", "\t", ["acme.com", "initech.com"]),
    ],
)
def test_delimiter_is_sniffed(name, delimiter, second_column):
    table = read_table(DATA / name)
    assert table.delimiter == delimiter
    assert len(table.header) == 3
    assert table.rows.iloc[:, 1].tolist() == second_column


def test_decimal_commas_stay_in_semicolon_cells():
    table = read_table(DATA / "semicolon.csv")
    assert column(table, "Umsatz") == ["77,8", "31,2"]


def test_quoted_fields_keep_newlines_delimiters_and_doubled_quotes():
    table = read_table(DATA / "quoted_newlines.csv")
    assert column(table, "Company Name") == ["Acme, Inc.", "Globex", "Initech"]
    assert column(table, "Description")[0] == 'Makes rockets,\nand "anvils"'
    assert column(table, "Website") == ["acme.com", "globex.com", "initech.com"]
    assert table.row_numbers.tolist() == [1, 2, 3]


def test_missing_value_markers_stay_text():
    table = read_table(DATA / "quoted_nulls.csv")
    assert column(table, "Revenue") == ["NA", "n/a"]
    assert column(table, "Employees") == ["null", "#N/A"]
    assert all(isinstance(v, str) for v in table.rows.to_numpy().ravel())


# ------------------------------------------------------------------ report titles and footers


def test_salesforce_report_skips_titles_and_footer():
    table = read_table(DATA / "salesforce_report.csv")
    assert table.header == SF_HEADER
    assert column(table, "Account Name") == [
        "Société Générale S.A.", "3M Company", "Abbott Laboratories",
    ]
    assert table.title_rows == 4
    assert table.row_numbers.tolist() == [1, 2, 3]
    assert table.footer_rows == [
        "Grand Totals (3 records)",
        "Confidential Information - Do Not Distribute",
        "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
        "Generated By: Jane Doe 11/23/2026 9:14 AM",
        "Acme Corp",
    ]
    # Three lines of title and an empty line, as a person sees them.
    assert "skipped 3 title rows and 1 blank row above the header" in table.notes
    assert any(n.startswith("skipped footer: Grand Totals (3 records)") for n in table.notes)


def test_first_data_row_that_looks_like_a_header_is_kept():
    table = read_table(DATA / "header_like_first_row.csv")
    assert table.header == ["Name", "Domain", "Type"]
    assert column(table, "Name") == ["Company", "Acme Corp"]
    assert table.title_rows == 0


def test_sparse_last_data_row_is_not_taken_for_a_footer():
    table = read_table(DATA / "sparse_last_row.csv")
    assert column(table, "Account Name") == ["Acme Corp", "Globex"]
    assert table.footer_rows == []


@pytest.mark.parametrize("footer", ["Total,812", "Grand Total,,812", "Totals:,812,",
                                    "Count,,3", "Sum,1200,"])
@pytest.mark.parametrize("width", [2, 3, 4, 6])
def test_a_marked_footer_after_a_blank_record_is_no_account_in_any_width(
        tmp_path, footer: str, width: int):
    # A report's "Total,,812" line holds two cells: in a narrow table that is also the
    # shape of a short data row, so the mark and the blank record decide together.
    header = ["Company", "Website", "Employees", "Country", "City", "State"][:width]
    cells = footer.split(",")
    row = ",".join((cells + [""] * width)[:width])
    path = tmp_path / "list.csv"
    path.write_text(",".join(header) + "\n" + "Acme," + ",".join(["acme.com", "50", "US",
                    "Denver", "CO"][:width - 1]) + "\n\n" + row + "\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, "Company") == ["Acme"]
    assert len(table.footer_rows) == 1


def _wide_list(first: str, owners: bool) -> str:
    header = "Account Name,Owner,Type,Account Id,Website\n"
    rows = "".join(f"Company {i},{'Jane' if owners or i % 2 else ''},Prospect,001{i:05},"
                   f"c{i}.com\n" for i in range(30))
    return header + first + "\n" + rows


def test_one_cell_notes_under_the_header_of_a_steady_list_are_rejected(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(_wide_list("As of 2026-11-30\nAll figures in USD", owners=True),
                    encoding="utf-8")
    table = read_table(path)
    assert column(table, "Account Name")[0] == "Company 0"
    assert [(r.row, r.reason) for r in table.skipped] == [
        (1, "note under the header"), (2, "note under the header")]
    assert "skipped notes under the header: As of 2026-11-30; All figures in USD" in table.notes


def test_a_first_account_with_only_its_name_stays_when_few_columns_are_always_filled(tmp_path):
    # Owner is filled in half the rows and Website in 28 of 30: only Type and Id are
    # always filled besides the name, too few to call a name-only record a note.
    text = _wide_list("Acme Corp", owners=False).replace("c3.com", "").replace("c5.com", "")
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    assert column(read_table(path), "Account Name")[0] == "Acme Corp"


def test_notes_under_the_header_need_a_long_enough_list(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Account Name,Owner,Type,Account Id,Website\nAcme Corp\n"
                    + "".join(f"C{i},Jane,Prospect,{i},c{i}.com\n" for i in range(5)),
                    encoding="utf-8")
    assert column(read_table(path), "Account Name")[0] == "Acme Corp"


def test_a_short_last_row_without_a_blank_record_before_it_stays_data(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Company,Website,Employees\nAcme,acme.com,50\nAcme Two,,50\n",
                    encoding="utf-8")
    assert column(read_table(path), "Company") == ["Acme", "Acme Two"]


TOTALS = ["Total", "Totals", "TOTAL", "Grand Total (3 records)", "Grand Totals", "Sum",
          "Subtotal", "Sub-total", "Total:"]


@pytest.mark.parametrize("total", TOTALS)
@pytest.mark.parametrize("header", ["Company,Website,Revenue,Employees",
                                    "Company,Website,Employees",
                                    "Account Name,Website,Billing City,Annual Revenue,Employees"])
def test_a_trailing_totals_row_is_a_footer_in_every_layout(tmp_path, total: str, header: str):
    """A totals row sums the columns above it: read as data it became an account named
    "Total" with the summed revenue. Whatever the width, with or without a blank record
    before it, a last record whose first cell is a totals word and whose other cells
    are only numbers is a footer, rejected into the lineage with its text."""
    width = header.count(",") + 1
    rows = [["Acme Corp", "acme.com"], ["Globex", "globex.com"], [total, ""]]
    numbers = ["1200", "$25000000.00", "300"]
    lines = [header] + [",".join((row + numbers)[:width]) for row in rows]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, header.split(",")[0]) == ["Acme Corp", "Globex"]
    assert [(r.row, r.reason) for r in table.skipped] == [(3, "footer")]
    assert table.skipped[0].text.startswith(total)


def test_a_totals_row_under_a_workbooks_numbers_is_a_footer():
    """A report workbook: titles, numeric cells (1234.5), a "Total" row of sums last."""
    table = read_table(DATA / "total_under_numbers.xlsx")
    assert column(table, "Company") == ["Acme Corp", "Globex", "Initech"]
    assert table.footer_rows == ["Total 1235.25 27212"]


@pytest.mark.parametrize("rows", [
    # A company named Total with its website, last in the list.
    ["Acme Corp,acme.com,1200", "Total,total.com,100000"],
    # ... in the middle of the list, without a website.
    ["Acme Corp,acme.com,1200", "Total,,100000", "Globex,globex.com,300"],
    # ... last, without a website, but with what a company has and a sum has not.
    ["Acme Corp,acme.com,1200", "Total,,100000,Energy"],
])
def test_a_company_named_total_stays_a_company(tmp_path, rows: list[str]):
    path = tmp_path / "list.csv"
    path.write_text("Company,Website,Employees,Industry\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    table = read_table(path)
    assert "Total" in column(table, "Company")
    assert table.skipped == []


def test_company_named_like_a_footer_word_stays_data(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Account Name,Website,Billing City,Industry\n"
        "Acme Corp,acme.com,Denver,Software\n"
        "TOTAL SE,totalenergies.com,,\n",
        encoding="utf-8",
    )
    assert column(read_table(path), "Account Name") == ["Acme Corp", "TOTAL SE"]


def test_blank_records_are_skipped_but_keep_their_numbers():
    table = read_table(DATA / "blank_rows.csv")
    assert column(table, "Company Name") == ["Acme Corp", "Globex"]
    assert table.row_numbers.tolist() == [2, 5]
    assert table.blank_rows == 3
    assert "skipped 3 blank records" in table.notes
    assert [(r.row, r.reason) for r in table.skipped] == [
        (1, "blank record"), (3, "blank record"), (4, "blank record")]


SUMMARY_REPORT = (  # a Salesforce summary report: sections, subtotals, a blank record
    '"Accounts by Owner"\n"As of 11/30/2026"\n""\n'
    '"Account Owner","Account Name","Website","Billing Country","Employees","Annual Revenue"\n'
    '"Ann Lee","Acme Corp","acme.com","United States","300","$25,000,000.00"\n'
    '"Ann Lee","Globex","globex.com","United States","1200","$90,000,000.00"\n'
    '"Subtotal","","","","1500","$115,000,000.00"\n'
    '"Bob Stone","Initech","initech.com","Canada","800","$40,000,000.00"\n'
    '"Subtotal","","","","800","$40,000,000.00"\n'
    '"Total","","","","2300","$155,000,000.00"\n""\n"Grand Totals (3 records)"\n\n\n')


def test_every_record_under_the_header_is_data_or_listed_as_skipped(tmp_path):
    """Record 7 of the report, a blank line between the totals and the footer, was
    counted in a note but listed nowhere, so the lineage lacked it. Blank lines after
    the last text end the file and are no records."""
    path = tmp_path / "sf_summary_report.csv"
    path.write_text(SUMMARY_REPORT, encoding="utf-8")
    table = read_table(path)
    listed = table.row_numbers.tolist() + [record.row for record in table.skipped]
    assert sorted(listed) == list(range(1, 9))
    assert [(r.row, r.reason) for r in table.skipped if not r.text] == [(7, "blank record")]
    assert table.blank_rows == 1


def test_a_summary_reports_subtotal_between_groups_is_skipped_not_data(tmp_path):
    """The "Subtotal" under Ann Lee's group sits between data records: read as data it
    was a row with no company name, rejected as one. It is skipped with its text."""
    path = tmp_path / "sf_summary_report.csv"
    path.write_text(SUMMARY_REPORT, encoding="utf-8")
    table = read_table(path)
    assert column(table, "Account Name") == ["Acme Corp", "Globex", "Initech"]
    assert table.row_numbers.tolist() == [1, 2, 4]
    assert [(r.row, r.reason, r.text) for r in table.skipped if r.row == 3] == [
        (3, "subtotal", "Subtotal 1500 $115,000,000.00")]
    assert "skipped 1 subtotal row between the data: Subtotal 1500 $115,000,000.00" in table.notes


GROUPED_HEADER = "Account Owner,Account Name,Website,Employees,Annual Revenue"
GROUPS = [["Ann Lee,Acme Corp,acme.com,300,25000000", "Ann Lee,Globex,,1200,90000000"],
          ["Bob Stone,Initech,initech.com,800,40000000"],
          ["Cy Park,Hooli,hooli.com,50,1000000"]]


def _grouped_report(path: Path, totals: list[str]) -> Path:
    """Groups of GROUPS, each followed by its totals line (a {} in it is filled with the
    group's summed employees), then one data record more."""
    lines = [GROUPED_HEADER]
    for group, total in zip(GROUPS, totals, strict=False):
        lines += group
        employees = sum(int(record.split(",")[3]) for record in group)
        lines.append(total.format(employees))
    lines += GROUPS[-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("total", [
    # Words no company bears: skipped whatever the numbers.
    "Subtotal,,,7,", "Sub-total,,,,", "Grand Total,,,1,2", "Total:,,,,5", "Total (2 records),,,,",
    ",Subtotal,,{},",  # the word in the name column, the grouping column left empty
    # A bare "Total" or "Sum": the sum of the group above it.
    "Total,,,{},", "TOTAL,,,{}.00,", "Sum,,,{},",
])
def test_every_kind_of_subtotal_between_groups_is_skipped(tmp_path, total: str):
    table = read_table(_grouped_report(tmp_path / "report.csv", [total, total]))
    assert column(table, "Account Name") == ["Acme Corp", "Globex", "Initech", "Hooli"]
    assert [(r.row, r.reason) for r in table.skipped] == [(3, "subtotal"), (5, "subtotal")]


def test_an_outer_groups_total_sums_the_sections_under_it(tmp_path):
    """Two grouping levels: the region's "Total" sums both owners' subtotals."""
    path = tmp_path / "report.csv"
    path.write_text("\n".join([
        "Region,Account Owner,Account Name,Employees", "EMEA,Ann,Acme,300", "EMEA,Ann,Globex,1200",
        ",Subtotal,,1500", "EMEA,Bob,Initech,800", ",Subtotal,,800", "Total,,,2300",
        "APAC,Cy,Hooli,50"]) + "\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, "Account Name") == ["Acme", "Globex", "Initech", "Hooli"]
    assert [r.reason for r in table.skipped] == ["subtotal"] * 3


@pytest.mark.parametrize("record", [
    "Total,,,999,",  # not the sum of anything above it: a company named Total
    "Total,total.com,,1500,",  # a website: a company, whatever its numbers
    "Subtotal,,,1500,Energy",  # text besides numbers: no totals line
])
def test_a_record_that_only_looks_like_a_subtotal_stays_data(tmp_path, record: str):
    table = read_table(_grouped_report(tmp_path / "report.csv", [record]))
    assert table.row_numbers.tolist() == [1, 2, 3, 4]  # Acme, Globex, the record, Hooli
    assert table.skipped == []


# ------------------------------------------------------------------ ragged records and headers


def test_ragged_records_are_padded_or_kept_in_extra_columns():
    table = read_table(DATA / "ragged.csv")
    assert table.header == ["Company Name", "Website", "Country", "Column 4"]
    assert column(table, "Column 4") == ["", "extra note", "", ""]
    assert column(table, "Country") == ["US", "US", "", "UK"]
    assert table.ragged_rows == [2, 3]
    assert any("record 2 has more cells than the header" in n for n in table.notes)
    assert any("record 3 has fewer cells than the header" in n for n in table.notes)


def test_more_cells_found_late_in_a_large_file_are_kept(tmp_path):
    path = tmp_path / "long.csv"
    lines = ["Company Name,Website"] + [f"Company {i},c{i}.com" for i in range(2000)]
    lines[1500] += ",note"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert len(table.rows) == 2000
    assert table.ragged_rows == [1500]
    assert table.rows.loc[1499, "Column 3"] == "note"


def test_trailing_delimiter_makes_no_empty_column():
    table = read_table(DATA / "trailing_delimiter.csv")
    assert table.header == ["Company Name", "Website"]
    assert table.ragged_rows == []


def test_duplicate_and_empty_headers_get_unique_names():
    table = read_table(DATA / "duplicate_headers.csv")
    assert table.header == ["Email", "Company", "email (3)", "Column 4", "Email (2)"]
    assert column(table, "email (3)") == ["k@acme.com"]
    assert any('named it "Column 4"' in n for n in table.notes)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "missing.csv: file not found. check the path"),
        ("empty.csv", "empty.csv: the file is empty (0 bytes). re-export it"),
        ("whitespace_only.csv", "whitespace_only.csv: the file is empty (only blank lines)"),
        ("header_only.csv", "header_only.csv: has a header row but no data rows"),
        ("not_a_table.png", "not_a_table.png: not a CSV or Excel file: it is a PNG image"),
        ("html_export.xlsx", "html_export.xlsx: this .xlsx is an HTML page. open it in Excel "
                             "and save as .xlsx or CSV"),
        ("login_page.csv", "login_page.csv: is an HTML page, not a CSV"),
    ],
)
def test_bad_files_get_one_line_messages(name, message):
    with pytest.raises(InputFileError) as err:
        read_table(DATA / name)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_folder_is_refused():
    with pytest.raises(InputFileError, match="is a folder, not a file"):
        read_table(DATA)


def test_random_binary_is_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputFileError, match="export.csv: not a CSV or Excel file"):
        read_table(path)


def test_xlsx_that_is_really_csv_is_read_as_csv():
    table = read_table(DATA / "csv_export.xlsx")
    assert column(table, "Website") == ["acme.com", "globex.com"]
    assert table.sheet is None
    assert any("really delimited text" in n for n in table.notes)


def test_sheet_given_for_a_csv_is_an_error():
    with pytest.raises(InputFileError, match="has no sheet 'Accounts'"):
        read_table(DATA / "utf8.csv", sheet="Accounts")


# ------------------------------------------------------------------ workbooks


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_workbook(
        tmp_path / "accounts.xlsx",
        {
            "Accounts": [
                ["Company Name", "Employees", "Revenue", "Last Activity", "Created", "Target"],
                ["Acme Corp", 1200, 12.5, dt.date(2026, 11, 23), dt.datetime(2026, 11, 23, 9, 14),
                 True],
                ["Globex", None, 1e20, None, dt.datetime(2026, 1, 2), False],
            ],
            "Sheet 2": [["Domain"], ["initech.com"]],
        },
    )


def test_xlsx_first_sheet_values_become_text(workbook):
    table = read_table(workbook)
    assert (table.sheet, table.encoding, table.delimiter) == ("Accounts", None, None)
    assert table.rows.to_dict("records") == [
        {"Company Name": "Acme Corp", "Employees": "1200", "Revenue": "12.5",
         "Last Activity": "2026-11-23", "Created": "2026-11-23 09:14:00", "Target": "TRUE"},
        {"Company Name": "Globex", "Employees": "", "Revenue": "100000000000000000000",
         "Last Activity": "", "Created": "2026-01-02", "Target": "FALSE"},
    ]
    assert any("also has: Sheet 2" in n for n in table.notes)


def test_xlsx_named_sheet(workbook):
    table = read_table(workbook, sheet="Sheet 2")
    assert (table.sheet, table.header, column(table, "Domain")) == (
        "Sheet 2", ["Domain"], ["initech.com"],
    )


def test_xlsx_unknown_sheet_lists_the_sheets(workbook):
    with pytest.raises(InputFileError) as err:
        read_table(workbook, sheet="Leads")
    assert "accounts.xlsx: has no sheet 'Leads'. the sheets are: 'Accounts', 'Sheet 2'" in str(
        err.value
    )


def test_xlsx_report_titles_footer_and_blank_rows(tmp_path):
    rows: list[list[object]] = [
        ["Accounts with Website"], ["As of 11/23/2026"], [], list(SF_HEADER),
        ["Acme Corp", "acme.com", "Denver", "CO", 80202, "United States", "Jane Doe", "West",
         "Prospect", 12000000, 120, "Software", "0015g00000AbCdEAAV", None],
        [],
        ["Globex", "globex.com", "Springfield", "IL", 62701, "United States", "Jane Doe",
         "Central", "Customer", 5.5e6, 48, "Retail", "0015g00000AbCdFAAV", None],
        [], ["Grand Totals (2 records)"], ["Confidential Information - Do Not Distribute"],
    ]
    table = read_table(write_workbook(tmp_path / "report.xlsx", {"Report": rows}))
    assert table.header == SF_HEADER
    assert column(table, "Annual Revenue") == ["12000000", "5500000"]
    assert table.row_numbers.tolist() == [1, 3]
    assert (table.title_rows, table.blank_rows) == (3, 2)
    assert table.footer_rows == [
        "Grand Totals (2 records)", "Confidential Information - Do Not Distribute",
    ]


def test_csv_that_is_really_a_workbook_is_read_as_one(workbook, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(workbook.read_bytes())
    table = read_table(path)
    assert table.sheet == "Accounts"
    assert column(table, "Company Name") == ["Acme Corp", "Globex"]
    assert any("this .csv is really an Excel workbook" in n for n in table.notes)


def test_a_workbook_named_csv_gets_the_advice_a_workbook_gets(tmp_path):
    # Its first sheet is a summary: the advice names its sheets, and the named sheet reads.
    from abmcli.sources.load import load_source

    path = write_workbook(tmp_path / "book.xlsx", {
        "Summary": [["item", "value"], ["rows", 2]],
        "Accounts": [["Company Name", "Website"], ["Acme Corp", "acme.com"]],
    })
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(InputFileError) as raised:
        load_source(renamed)
    assert f"'{renamed}:Accounts' (sheets: Summary, Accounts)" in str(raised.value)
    assert split_sheet_spec(f"{renamed}:Accounts") == (renamed, "Accounts")
    assert load_source(f"{renamed}:Accounts").records["domain"].tolist() == ["acme.com"]
    assert split_sheet_spec(f"{tmp_path / 'plain.csv'}:x") == (tmp_path / "plain.csv:x", None)


def test_corrupt_workbook_says_re_export(workbook, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook.read_bytes()[:1500])
    with pytest.raises(InputFileError) as err:
        read_table(path)
    assert "broken.xlsx: cannot be opened as an Excel workbook" in str(err.value)
    assert "re-export it" in str(err.value)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("accounts.csv", "Company Name\nAcme\n")
    with pytest.raises(InputFileError, match="not a CSV or Excel file: it is a zip archive"):
        read_table(path)


def test_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))
    with pytest.raises(InputFileError, match="decompression bomb"):
        read_table(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1200.0, "1200"), (0.1, "0.1"), (True, "TRUE"), (None, ""),
        (dt.date(2026, 11, 23), "2026-11-23"), (dt.time(9, 14), "09:14:00"),
        (dt.datetime(2026, 11, 23, 9, 14), "2026-11-23 09:14:00"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


# ------------------------------------------------------------------ sheet specs


@pytest.mark.parametrize(
    ("spec", "path", "sheet"),
    [
        ("exports/acc.xlsx:Sheet 2", Path("exports/acc.xlsx"), "Sheet 2"),
        ("exports/acc.xlsx", Path("exports/acc.xlsx"), None),
        ("C:\\exports\\acc.xlsx", Path("C:\\exports\\acc.xlsx"), None),
        ("C:\\exports\\acc.XLSM:Q4 Targets", Path("C:\\exports\\acc.XLSM"), "Q4 Targets"),
        ("exports/acc.csv", Path("exports/acc.csv"), None),
    ],
)
def test_split_sheet_spec(spec, path, sheet):
    assert split_sheet_spec(spec) == (path, sheet)


def test_split_sheet_spec_keeps_an_existing_file_with_a_colon(tmp_path):
    real = tmp_path / "acc.xlsx:v2"
    real.write_bytes(b"")
    assert split_sheet_spec(str(real)) == (real, None)


# ------------------------------------------------------------------ hardening (issue 7)

BAD = Path(__file__).parent / "data" / "bad"


def test_nul_padding_at_the_end_is_not_binary_data():
    table = read_table(BAD / "nul_bytes.csv")
    assert column(table, "Name") == ["Snowflake Inc.", "Datadog"]
    assert any("removed 2,049 NUL bytes" in note for note in table.notes)


def test_header_longer_than_the_sniffed_sample_keeps_every_column(tmp_path, recwarn):
    header = ["Company Name", "Website"] + [f"Custom Field {i}" for i in range(3, 12_001)]
    row = ["Stripe", "stripe.com"] + [str(i) for i in range(3, 12_001)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.header == header
    assert table.rows.iloc[0].tolist() == row
    assert not [w for w in recwarn if "loss of data" in str(w.message)]


def test_cell_over_the_csv_module_limit_in_a_ragged_file(tmp_path):
    description = "Cloud data platform. " * 10_000  # 210 kB, over csv's 128 KiB default
    path = tmp_path / "ragged_big_cell.csv"
    path.write_text("Company Name,Website,Short Description\n"
                    f'Snowflake,snowflake.com,"{description}"\n'
                    "Datadog,datadoghq.com,Monitoring,extra cell\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, "Short Description") == [description, "Monitoring"]
    assert table.ragged_rows == [2]


def test_unclosed_quote_is_an_error_naming_the_line():
    with pytest.raises(InputFileError) as caught:
        read_table(BAD / "unbalanced_quotes.csv")
    assert str(caught.value).startswith(
        f"{BAD / 'unbalanced_quotes.csv'}: line 3 opens a quoted cell that is never closed, "
        "so the 2 lines after it would be read as one cell")


def test_quoted_line_break_in_the_last_record_is_data(tmp_path):
    path = tmp_path / "address.csv"
    path.write_text('Company Name,Website,Address\nStripe,stripe.com,"354 Oyster Point Blvd\n'
                    'South San Francisco"\n', encoding="utf-8")
    table = read_table(path)
    assert column(table, "Address") == ["354 Oyster Point Blvd\nSouth San Francisco"]


def test_mixed_utf8_and_cp1252_lines_keep_every_accent():
    table = read_table(BAD / "mixed_encodings.csv")
    assert table.encoding == "utf-8 + cp1252"
    assert column(table, "Company Name") == ["Société Générale", "Müller GmbH", "Nestlé S.A."]
    assert column(table, "Company City") == ["Paris", "Düsseldorf", "Vevey"]
    assert any("mixes UTF-8 and Windows-1252" in note for note in table.notes)


def test_download_cut_inside_a_character_keeps_the_other_accents():
    table = read_table(BAD / "truncated_multibyte.csv")
    assert column(table, "Company Name") == ["Société Générale", "Nestlé S.A.", "UBS Group AG"]


def test_a_2_gb_csv_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "bombora_full_history.csv"
    with path.open("wb") as handle:
        handle.truncate(2 << 30)  # sparse: 2 GB to stat, no disk or memory used
    with pytest.raises(InputFileError) as caught:
        read_table(path)
    assert str(caught.value) == (
        f"{path}: is 2,048 MB; reading a CSV takes about 10 times its size in memory, so abm "
        "refuses CSVs over 1,024 MB. split the export (by region or date), or set "
        "max_input_mb = 2048 under [limits] in abm.toml if this machine has 20 GB of memory "
        "to spare")


def test_empty_rows_above_the_header_are_called_blank_not_titles(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["B4"], sheet["C4"] = "Company", "Website", "Acme", "acme.com"
    book.save(tmp_path / "lower.xlsx")
    assert "skipped 2 blank rows above the header" in read_table(tmp_path / "lower.xlsx").notes
    (tmp_path / "lower.csv").write_text("\nCompany,Website\nAcme,acme.com\n", encoding="utf-8")
    assert "skipped 1 blank row above the header" in read_table(tmp_path / "lower.csv").notes


def test_a_parquet_file_over_the_limit_is_refused_in_parquet_words(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "accounts.parquet"
    pq.write_table(pa.table({"Company": [f"Company {i}" for i in range(2000)]}), path)
    with pytest.raises(InputFileError) as caught:
        read_table(path, max_bytes=1 << 10)
    said = str(caught.value)
    assert "abm refuses Parquet files over 0.00098 MB of data" in said
    assert "CSV" not in said


def test_the_size_limit_is_a_parameter_of_the_reader():
    with pytest.raises(InputFileError, match=r"refuses CSVs over 0\.00098 MB"):
        read_table(BAD / "nul_bytes.csv", max_bytes=1 << 10)  # 1 KB: the sample is 2 KB
    assert len(read_table(BAD / "nul_bytes.csv", max_bytes=10 << 10).rows) == 2


def test_the_size_limit_comes_from_the_config_and_the_environment_is_not_read(
        tmp_path, monkeypatch):
    from abmcli.config import load_config
    from abmcli.sources.load import load_source

    monkeypatch.setenv("ABM_MAX_INPUT_MB", "0.001")  # the old variable: no longer read
    assert load_source(BAD / "nul_bytes.csv").rows == 2
    config = tmp_path / "abm.toml"
    config.write_text("[limits]\nmax_input_mb = 0.001\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"refuses CSVs over 0\.001 MB"):
        load_source(BAD / "nul_bytes.csv", config=load_config(config))


@pytest.mark.parametrize("setting", ["'abc'", "0", "-5", "nan", "inf"])
def test_a_size_limit_that_is_not_a_size_is_a_config_error(tmp_path, setting):
    from abmcli.config import load_config
    from abmcli.errors import ConfigError

    config = tmp_path / "abm.toml"
    config.write_text(f"[limits]\nmax_input_mb = {setting}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2: \[limits\] max_input_mb[ =:]"):
        load_config(config)


def test_unclosed_quote_on_the_last_line_is_an_error_too(tmp_path):
    # The quote swallows the website into the name: a cell lost, not just a row.
    path = tmp_path / "accounts.csv"
    path.write_text('Company Name,Website\nStripe,stripe.com\n"Umbrella Pharma,umbrella.example\n',
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="line 3 opens a quoted cell that is never closed, "
                       "so the rest of that line would be read as one cell"):
        read_table(path)


APOLLO_CELL = ("Albert Heijn is de grootste supermarktketen van Nederland.\n\n"
               "Ook zet Albert Heijn de stap richting B Corp certificering, naadloos.\n\n"
               "Overal en op elk moment zijn wij de vertrouwde partner. Wil je wete")


@pytest.mark.parametrize("cut", [APOLLO_CELL, APOLLO_CELL[:90], "Albert Heijn\n\nde grootste"])
def test_a_file_cut_inside_a_quoted_cell_says_it_looks_cut_off(tmp_path, cut: str):
    """A download cut inside a multi-line description: the quote is no stray one, and
    removing it would not help; the export is incomplete."""
    path = tmp_path / "apollo.csv"
    path.write_text('Company,Website,# Employees,Short Description\n'
                    'Stripe,stripe.com,8000,"Payments"\n'
                    f'Albert Heijn,ah.nl,100000,"{cut}', encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_table(path)
    assert str(caught.value) == (
        f"{path}: the file ends inside a quoted cell opened on line 3: it looks cut off. "
        "export it again")


def test_a_stray_quote_swallowing_records_is_named_as_one(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text('Company,Website,Employees\n"Acme,acme.com,5\nGlobex,globex.com,7\n'
                    'Initech,initech.com,9', encoding="utf-8")
    with pytest.raises(InputFileError, match='line 2 opens a quoted cell that is never '
                       'closed, so the 2 lines after it would be read as one cell. fix or '
                       'remove the stray "'):
        read_table(path)


def test_short_last_record_without_quotes_is_kept(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("Company Name,Website,City\nStripe,stripe.com,SF\nTwilio,twilio.com\n",
                    encoding="utf-8")
    assert column(read_table(path), "Website") == ["stripe.com", "twilio.com"]


def test_a_hub_abm_wrote_passes_the_bomb_check_and_a_padded_one_does_not(tmp_path):
    import pandas as pd

    from abmcli.sources.read import refuse_zip_bomb
    from abmcli.xlsx.workbook import Sheet, write_workbook

    hub = pd.DataFrame({"account_id": [f"ACC-{i:010X}" for i in range(20_000)],
                        "domain": [f"company{i}.com" for i in range(20_000)],
                        "employees": list(range(20_000))})
    path = write_workbook(tmp_path / "hub.xlsx", [Sheet("Hub", hub)])
    refuse_zip_bomb(path)  # a real hub packs far below the refused ratio
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b" " * (20 << 20))
    with pytest.raises(InputFileError, match="refusing a possible decompression bomb"):
        refuse_zip_bomb(path)


# Issue 10 corpus: a Japanese register (EDINET) in Shift_JIS under a key/value title line.
def test_shift_jis_file_is_read_as_japanese(tmp_path: Path):
    text = ("EDINET Code,Submitter Name,Submitter Name（alphabetic）,Province\n"
            "E00004,カネコ種苗株式会社,\"KANEKO SEEDS CO., LTD.\",群馬県前橋市古市町\n"
            "E00006,ホクト株式会社,HOKUTO CORPORATION,長野県長野市\n")
    path = tmp_path / "edinet.csv"
    path.write_bytes(text.encode("cp932"))
    table = read_table(path)
    assert table.encoding == "cp932"
    assert table.header[2] == "Submitter Name（alphabetic）"
    assert column(table, "Submitter Name") == ["カネコ種苗株式会社", "ホクト株式会社"]
    assert any("Shift_JIS" in note for note in table.notes)


def test_utf8_accents_beside_cp1252_bytes_are_not_taken_for_japanese(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("Company,City\nCafé Müller,Zürich\n".encode() + b"Caf\xe9 Nord,Li\xe8ge\n")
    assert read_table(path).encoding != "cp932"


def test_a_short_key_value_line_above_a_wide_table_is_a_title(tmp_path: Path):
    path = tmp_path / "register.csv"
    path.write_text("Date of download data creation,As Of 2025.09.20,Number of data,2\n"
                    "Code,Type,Listed,Capital,Closing,Submitter Name,Province\n"
                    "E1,Corp,Listed,1491,5.31,Kaneko,Gunma\n"
                    "E2,Corp,Listed,13500,3.31,Hokuto,Nagano\n", encoding="utf-8")
    table = read_table(path)
    assert table.header[0] == "Code"
    assert column(table, "Submitter Name") == ["Kaneko", "Hokuto"]
    assert table.title_rows == 1


@pytest.mark.parametrize("name", ["Schäfer GmbH", "Açores Lda", "Société Générale"])
def test_cp1252_accents_that_read_as_kanji_are_not_taken_for_japanese(tmp_path: Path, name):
    path = tmp_path / "western.csv"
    path.write_bytes(f"Company,City\n{name},Lisboa\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert column(table, "Company") == [name]


def test_workbook_and_parquet_text_lose_control_characters_as_csv_text_does(tmp_path):
    # A terminal escape in a vendor's name must not follow it into the hub, whatever
    # file type carried it; line breaks inside a cell stay.
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["Acme\x1b[31m Inc", "Beta\u202eCo", "Line\nbreak Co"]
    import xlsxwriter  # openpyxl refuses to write control characters; Excel's writers do not

    book = tmp_path / "w.xlsx"
    with xlsxwriter.Workbook(book) as workbook:
        sheet = workbook.add_worksheet("Accounts")
        sheet.write_column(0, 0, ["Company", *names])
    pq.write_table(pa.table({"Company": names}), tmp_path / "p.parquet")
    for path in (book, tmp_path / "p.parquet"):
        assert column(read_table(path), "Company") == ["Acme Inc", "BetaCo", "Line\nbreak Co"]
    assert any("control characters" in note for note in read_table(book).notes)


def test_a_long_cell_in_a_totals_row_is_read_in_linear_time(tmp_path):
    """Digits ending in a letter made a backtracking value pattern quadratic (minutes
    for 64 KB); the totals and website checks of the last records must not be."""
    import time

    path = tmp_path / "list.csv"
    cell = "1." * 32_000 + "a"
    path.write_text(f"Company,Website,Employees\nAcme,acme.com,5\nTotal,{cell},1\n",
                    encoding="utf-8")
    start = time.perf_counter()
    table = read_table(path)
    assert time.perf_counter() - start < 3
    assert column(table, "Company") == ["Acme", "Total"]


def test_of_two_columns_with_one_header_the_one_with_values_keeps_the_name():
    """Company,Website,Employees,Website with the first Website empty: the empty copy
    kept the name (and the field), the filled one became "Website (2)", unused, and no
    row had a domain. The copy holding values keeps the name, and the note says which."""
    table = read_table(DATA / "duplicate_website_empty_first.csv")
    assert table.header == ["Company", "Website (2)", "Employees", "Website"]
    assert column(table, "Website") == ["acme.com", "globex.com"]
    assert ('the header "Website" appears more than once; kept the name for column 4, '
            'which holds the most values, and renamed a copy "Website (2)"') in table.notes


def test_of_two_filled_columns_with_one_header_the_fuller_keeps_it_else_the_first(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Company,Email,Email\nAcme,a@acme.com,\nGlobex,b@globex.com,c@globex.com\n"
                    "Initech,,d@initech.com\nUmbrella,e@umbrella.com,\n", encoding="utf-8")
    assert read_table(path).header == ["Company", "Email", "Email (2)"]


FORMULA_NOTE = ("{} without a saved value (the workbook was written by a tool that does not "
                "calculate) and {} read as empty: open it in Excel, save it, and read it again")


def test_formula_cells_without_a_saved_value_are_named_in_a_note():
    """=CONCATENATE("Ac","me") and =100*3 with no value saved read as empty cells, and
    nothing said so: the Acme row lost its name and its employees silently."""
    table = read_table(DATA / "formulas_without_values.xlsx")
    assert column(table, "Company") == ["", "Globex", "@SUM(1)"]
    assert FORMULA_NOTE.format("2 cells hold formulas", "were") in table.notes


def test_formulas_of_a_workbook_saved_by_a_tool_that_does_not_calculate(tmp_path):
    path = write_workbook(tmp_path / "made.xlsx", {"Accounts": [
        ["Company", "Website", "Employees"], ["Acme", "acme.com", "=20*5"],
        ["Globex", '=HYPERLINK("https://globex.com","Globex")', 12],
        ["Initech", "initech.com", 7]]})
    notes = read_table(path).notes
    # The HYPERLINK cell is the link reader's to name (one note per cell, not two).
    assert FORMULA_NOTE.format("1 cell holds a formula", "was") in notes


def test_formulas_with_saved_values_need_no_note(tmp_path):
    path = write_workbook(tmp_path / "plain.xlsx", {"Accounts": [
        ["Company", "Website"], ["Acme", "acme.com"]]})
    assert not any("formula" in note for note in read_table(path).notes)


def test_a_file_cut_inside_its_last_record_says_it_looks_cut_off(tmp_path):
    """A Fortune list cut after "22,Ford Moto": read as a short last record, with only
    the usual fewer-cells note; the missing line break says the download stopped."""
    path = tmp_path / "fortune.csv"
    text = "rank,name,revenues,employees\n1,Walmart,572754,2300000\n22,Ford Moto"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert column(table, "name") == ["Walmart", "Ford Moto"]
    assert ("the file ends inside record 2 (fewer cells than the header and no line break "
            "after it): it looks cut off; export it again") in table.notes
    path.write_text(text + "\n", encoding="utf-8")  # a short last row, written whole
    assert not any("cut off" in note for note in read_table(path).notes)


def test_a_formatted_reports_group_headings_are_skipped_not_data(tmp_path):
    """A formatted summary report heads each group with one cell naming it and its
    count: read as data, each was a row with no company name."""
    path = tmp_path / "formatted.csv"
    path.write_text("Account Owner,Account Name,Website,Employees\n"
                    '"Account Owner: Ann Lee (2 records)",,,\n'
                    ",Acme Corp,acme.com,300\n,Globex,globex.com,1200\n"
                    ",Subtotal,,1500\n"
                    '"Account Owner: Bob Stone (1 record)",,,\n'
                    ",Initech,initech.com,800\n", encoding="utf-8")
    table = read_table(path)
    assert column(table, "Account Name") == ["Acme Corp", "Globex", "Initech"]
    assert [(r.row, r.reason) for r in table.skipped] == [
        (1, "group heading"), (4, "subtotal"), (5, "group heading")]
    assert any(n.startswith("skipped 2 group headings between the data: Account Owner: Ann")
               for n in table.notes)


def test_a_title_and_a_blank_line_above_the_header_are_each_called_what_they_are(tmp_path):
    (tmp_path / "listed.csv").write_text(
        "ASX listed companies as at Mon Feb 01 2016\r\n\r\nCompany name,ASX code\r\n"
        '"1-PAGE LIMITED",1PG\r\n', encoding="ascii")
    table = read_table(tmp_path / "listed.csv")
    assert table.notes == ["skipped 1 title row and 1 blank row above the header"]
    assert table.rows["Company name"].tolist() == ["1-PAGE LIMITED"]


def test_the_asx_lists_title_and_blank_line_are_described_as_such():
    asx = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
           / "asx-listed-companies-2016" / "ASXListedCompanies.csv")
    if not asx.exists():
        pytest.skip(f"{asx} is not beside this checkout")  # ../shared is beside it in CI
    assert read_table(asx).notes == ["skipped 1 title row and 1 blank row above the header"]
