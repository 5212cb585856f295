"""Hostile inputs found in the second hardening round (issue 13): what reading them gives.

Each test builds its hostile file in a temporary folder (large ones are generated, never
committed) and checks the promise: a result with every data row in the lineage, or one
line "error: FILE: ..." and exit 2. Never a traceback, a hang or a machine out of memory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from test_bad_inputs import assert_clean, assert_one_line_error, lineage, run

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
    accounts = pd.read_excel(hub, sheet_name="Hub").set_index("domain")
    assert accounts["employees"].isna().sum() == 4
    assert accounts.loc["epsilon.com", "employees"] == 250
    assert len(lineage(lineage_csv)) == 5
