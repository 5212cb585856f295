"""`abm merge` end to end through the CLI, on a small realistic week of exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.xlsx.workbook import read_sheet, sheet_names

DATA = Path(__file__).parent / "data" / "merge"
FILES = sorted(str(p) for p in DATA.glob("*.csv"))
DATA_ROWS = {  # data rows per file, counted by hand (title rows and footer excluded)
    "bombora_surge.csv": 4,
    "engagement_weekly.csv": 7,
    "relationship_contacts.csv": 4,
    "salesforce_accounts.csv": 5,
}

SALESFORCE_FOOTER_LINES = 5  # 3 footers and 2 blank records: rejected, with their text
runner = CliRunner()


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merge")
    result = runner.invoke(app, ["merge", *FILES, "-o", str(out / "hub.xlsx"),
                                 "--lineage", str(out / "lineage.csv")])
    assert result.exit_code == 0, result.output
    return out


def lineage_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_input_row_is_in_the_lineage_once(merged: Path):
    rows = lineage_rows(merged / "lineage.csv")
    assert list(rows[0]) == ["source_file", "row", "account_id", "match", "score", "reason"]
    per_file: dict[str, list[int]] = {}
    for row in rows:
        if not row["reason"].startswith("footer: ") and row["reason"] != "blank record":
            per_file.setdefault(Path(row["source_file"]).name, []).append(int(row["row"]))
    assert {name: len(numbers) for name, numbers in per_file.items()} == DATA_ROWS
    for numbers in per_file.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    rejected = [r for r in rows if r["match"] == "rejected"]
    # The Salesforce report's footer lines are rejected with their text, numbered as
    # records under the header, and so are the blank records among them.
    assert [(r["account_id"], r["row"], r["reason"]) for r in rejected] == [
        ("", "4", "only a free-mail address and no company name"),
        ("", "6", "blank record"),
        ("", "7", "footer: Grand Totals (5 records)"),
        ("", "8", "blank record"),
        ("", "9", "footer: Confidential Information - Do Not Distribute"),
        ("", "10", "footer: Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."),
    ]


def test_hub_has_one_row_per_account_with_every_family(merged: Path):
    hub = read_sheet(merged / "hub.xlsx", "Hub")
    assert sorted(hub["domain"].fillna("")) == [
        "acme.com", "acme.de", "globex.de", "initech.com", "nestle.com"]
    acme = hub[hub["domain"] == "acme.com"].iloc[0]
    assert acme["account_name"] == "Acme, Inc."
    assert acme["coverage"] == "- I R E CRM"
    assert acme["crm_acv"] == 120000
    assert acme["crm_owner"] == "Dana Scully"
    assert acme["intent_surging_topics"] == 1
    assert acme["intent_topics"] == "Account Based Marketing"
    assert acme["relationship_score"] == 82
    assert acme["relationship_contacts"] == 2
    assert bool(acme["engagement_spike"]) is True
    nestle = hub[hub["domain"] == "nestle.com"].iloc[0]
    assert nestle["account_name"] == "Nestlé S.A."


def test_workbook_has_the_sheets_a_reviewer_needs(merged: Path):
    assert sheet_names(merged / "hub.xlsx") == ["Summary", "Hub", "Review", "Conflicts",
                                                "Rejected", "Lineage"]
    review = read_sheet(merged / "hub.xlsx", "Review")
    assert list(zip(review["key_a"], review["key_b"], review["kind"], strict=True)) == [
        ("acme.com", "acme.de", "candidate")]
    rejected = read_sheet(merged / "hub.xlsx", "Rejected")
    assert list(rejected["email"].dropna()) == ["someone@hotmail.com"]
    assert [reason.split(":")[0] for reason in rejected["reason"]] == [
        "only a free-mail address and no company name", "blank record", "footer",
        "blank record", "footer", "footer"]


def test_a_reviewers_decision_merges_the_candidate_on_the_next_run(merged: Path, tmp_path: Path):
    template = merged / "hub-decisions.csv"
    rows = lineage_rows(template)
    assert [(r["key_a"], r["key_b"], r["decision"]) for r in rows] == [
        ("acme.com", "acme.de", "")]
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(template.read_text(encoding="utf-8").replace(
        "acme.com,acme.de,,", "acme.com,acme.de,accept,"), encoding="utf-8")
    result = runner.invoke(app, ["merge", *FILES, "-o", str(tmp_path / "hub.xlsx"),
                                 "--decisions", str(decisions),
                                 "--lineage", str(tmp_path / "lineage.csv")])
    assert result.exit_code == 0, result.output
    hub = read_sheet(tmp_path / "hub.xlsx", "Hub")
    assert len(hub) == 4
    acme = hub[hub["domain"] == "acme.com"].iloc[0]
    assert acme["other_domains"] == "acme.de"
    lineage = lineage_rows(tmp_path / "lineage.csv")
    assert [r["match"] for r in lineage if r["reason"].startswith("acme.de")] == ["decision"]
    assert "candidate pair" not in result.output


def test_merge_without_files_says_how_to_call_it():
    result = runner.invoke(app, ["merge", "-o", "hub.xlsx"])
    assert result.exit_code == 2
    assert "no input files given" in result.output


def test_missing_file_is_one_line_naming_it(tmp_path: Path):
    missing = tmp_path / "zoominfo_export.csv"
    result = runner.invoke(app, ["merge", str(missing), "-o", str(tmp_path / "hub.xlsx")])
    assert result.exit_code == 2
    assert "zoominfo_export.csv" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "hub.xlsx").exists()


def test_same_inputs_give_the_same_workbook_and_lineage(merged: Path, tmp_path: Path):
    result = runner.invoke(app, ["merge", *FILES, "-o", str(tmp_path / "hub.xlsx"),
                                 "--lineage", str(tmp_path / "lineage.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "lineage.csv").read_bytes() == (merged / "lineage.csv").read_bytes()
    for sheet in ("Hub", "Review", "Rejected", "Lineage"):
        again = read_sheet(tmp_path / "hub.xlsx", sheet)
        first = read_sheet(merged / "hub.xlsx", sheet)
        assert again.equals(first), sheet


def test_scoring_the_hub_keeps_the_merge_summary_and_its_chart(merged: Path, tmp_path: Path):
    import openpyxl

    scored = tmp_path / "scored.xlsx"
    result = runner.invoke(app, ["score", str(merged / "hub.xlsx"), "-o", str(scored)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(scored)["Summary"]
    assert [sheet.cell(1, 1).value, sheet.cell(2, 1).value, sheet.cell(3, 1).value] == [
        "Merge", "item", "Accounts"]
    assert sheet.cell(1, 2).value is None  # a title row, not a table header
    assert len(sheet._charts) == 1


def test_a_file_named_twice_is_merged_once_with_the_family_given(tmp_path: Path):
    crm = str(DATA / "salesforce_accounts.csv")
    result = runner.invoke(app, ["merge", *FILES, "--crm", crm, "-o", str(tmp_path / "hub.xlsx"),
                                 "--lineage", str(tmp_path / "lineage.csv")])
    assert result.exit_code == 0, result.output
    rows = lineage_rows(tmp_path / "lineage.csv")
    assert len(rows) == sum(DATA_ROWS.values()) + SALESFORCE_FOOTER_LINES
    clash = runner.invoke(app, ["merge", "--crm", crm, "--fit", crm, "-o",
                                str(tmp_path / "clash.xlsx")])
    assert clash.exit_code == 2
    assert "given as both fit and crm" in clash.output
