"""`abm inspect` through the CLI: what it reports, and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from abmcli.cli.app import app

DATA = Path(__file__).parent / "data" / "merge"
runner = CliRunner()


def inspect_json(*files: str) -> list[dict]:
    result = runner.invoke(app, ["inspect", "--json", *files])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_salesforce_report_is_recognised_with_its_preamble_and_footer_skipped():
    (report,) = inspect_json(str(DATA / "salesforce_accounts.csv"))
    assert report["family"] == "crm"
    assert report["vendor"] == "Salesforce account report"
    assert report["rows"] == 5
    assert report["columns"]["Website"] == "domain"
    assert report["columns"]["Account Owner"] == "owner"
    assert report["rows_with_domain"] == 4
    assert report["name_only_rows"] == 1
    notes = " ".join(report["notes"])
    assert "title rows" in notes
    assert "Grand Totals" in notes


def test_contact_export_reports_free_mail_rows_with_examples():
    (report,) = inspect_json(str(DATA / "relationship_contacts.csv"))
    assert report["family"] == "relationship"
    assert report["rows_with_domain"] == 2
    assert report["name_only_rows"] == 1  # the Initech contact on gmail.com
    assert report["unmatchable_rows"] == 1
    (freemail,) = report["rejected_domains"]
    assert freemail["reason"] == "freemail"
    assert freemail["rows"] == 2
    assert freemail["examples"] == ["bob.smith1962@gmail.com", "someone@hotmail.com"]


def test_terminal_report_names_the_layout_and_the_mapping():
    result = runner.invoke(app, ["inspect", str(DATA / "bombora_surge.csv")])
    assert result.exit_code == 0, result.output
    assert "Bombora Company Surge" in result.output
    assert "Composite Score" in result.output
    assert "4 rows (100%)" in result.output


def test_file_without_name_or_domain_column_says_how_to_map_one(tmp_path: Path):
    export = tmp_path / "partner_list.csv"
    export.write_text("Partner Tier,Region,Deal Count\nGold,EMEA,4\n", encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(export)])
    assert result.exit_code == 2
    assert "partner_list.csv" in result.output
    assert "Partner Tier, Region, Deal Count" in result.output
    assert "[[mapping]]" in result.output
    assert "Traceback" not in result.output


def test_missing_file_directory_and_empty_file_exit_2(tmp_path: Path):
    empty = tmp_path / "bombora_empty.csv"
    empty.write_bytes(b"")
    for target in (tmp_path / "nope.csv", tmp_path, empty):
        result = runner.invoke(app, ["inspect", str(target)])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error:")
        assert str(target.name) in result.output
        assert "Traceback" not in result.output


def test_workbook_whose_first_sheet_is_a_cover_page_names_the_other_sheets(tmp_path: Path):
    import openpyxl

    export = tmp_path / "zoominfo_export.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Exported from ZoomInfo on 11/23/2026"])
    companies = book.create_sheet("Companies")
    companies.append(["Company Name", "Website", "Employees"])
    companies.append(["Acme, Inc.", "www.acme.com", "1200"])
    book.save(export)
    result = runner.invoke(app, ["inspect", str(export)])
    assert result.exit_code == 2
    assert "first sheet 'Read me' holds no account table" in result.output
    assert f"{export}:Companies" in result.output
    (report,) = inspect_json(f"{export}:Companies")
    assert report["rows"] == 1
    assert report["family"] == "fit"


def test_one_unreadable_file_does_not_hide_the_others_reports(tmp_path: Path):
    """`abm inspect GOOD.csv EMPTY.csv GOOD2.csv` printed only the empty file's error:
    each readable file keeps its report, each unreadable one its one-line error, and
    the exit code says that one failed."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    files = [str(DATA / "bombora_surge.csv"), str(empty), str(DATA / "salesforce_accounts.csv")]
    result = runner.invoke(app, ["inspect", *files])
    assert result.exit_code == 2
    assert "Bombora Company Surge" in result.stdout
    assert "Salesforce account report" in result.stdout
    assert result.stderr.strip() == f"error: {empty}: the file is empty (0 bytes). re-export " \
        "it from the vendor"


def test_inspect_json_holds_every_report_and_every_error(tmp_path: Path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["inspect", "--json", str(DATA / "bombora_surge.csv"),
                                 str(empty)])
    assert result.exit_code == 2
    report, failed = json.loads(result.stdout)
    assert report["vendor"] == "Bombora Company Surge"
    assert failed == {"file": str(empty),
                      "error": f"{empty}: the file is empty (0 bytes). re-export it from the "
                               "vendor"}
