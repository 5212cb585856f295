"""abm measure through the CLI, on the Northwind examples and on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.xlsx.workbook import read_blocks, read_sheet, sheet_names

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
REAL = ROOT / ".." / "shared" / "reference" / "real-exports" / "salesforce-demo-org-export"
runner = CliRunner()


@pytest.fixture(scope="module")
def tiers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("measure")
    config = str(EXAMPLES / "abm.toml")
    files = sorted(str(p) for p in EXAMPLES.glob("*.csv"))
    assert runner.invoke(app, ["merge", *files, "-c", config, "-o", str(folder / "hub.xlsx"),
                               "-q"]).exit_code == 0
    assert runner.invoke(app, ["tier", str(folder / "hub.xlsx"), "-c", config, "-o",
                               str(folder / "tiers.xlsx"), "-q"]).exit_code == 0
    return folder / "tiers.xlsx"


def test_the_examples_give_a_scorecard_with_its_sheets_and_charts(tiers: Path) -> None:
    out = tiers.parent / "scorecard.xlsx"
    result = runner.invoke(app, [
        "measure", str(tiers), "-c", str(EXAMPLES / "abm.toml"),
        "--opportunities", str(EXAMPLES / "measure" / "salesforce_opportunity_report.csv"),
        "--contacts", str(EXAMPLES / "measure" / "hubspot_contacts.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "target pipeline" in result.output and "persona gaps" in result.output
    assert sheet_names(out) == ["Scorecard", "Accounts", "Buying committees", "Gaps",
                                "Opportunities", "Issues", "Lineage"]
    blocks = dict(read_blocks(out, "Scorecard"))
    assert "Influenced" in set(blocks["How it is computed"]["figure"])
    issues = read_sheet(out, "Issues")
    # the example's hostile rows: a credit note, a close before create, a custom stage
    # mapped in the config, a EUR amount converted by the config's rate
    assert issues["problem"].str.contains("negative amount").any()
    assert issues["problem"].str.contains("before it was created").any()
    assert not issues["problem"].str.contains("On Hold").any()
    lineage = read_sheet(out, "Lineage")
    assert len(lineage) == 143 + 560  # every row of both files
    with __import__("zipfile").ZipFile(out) as archive:
        assert sum(n.startswith("xl/charts/chart") for n in archive.namelist()) == 3


def test_json_output_holds_the_kpis(tiers: Path) -> None:
    result = runner.invoke(app, [
        "measure", str(tiers), "-c", str(EXAMPLES / "abm.toml"), "--json",
        "--opportunities", str(EXAMPLES / "measure" / "salesforce_opportunity_report.csv"),
        "-o", str(tiers.parent / "s.xlsx")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # Tier 1-3 of the example: 2 + 50 + 40 (only the config's named topics count, issue 12)
    assert data["kpis"]["target_accounts"] == 92
    assert 0 <= data["kpis"]["influenced_share"] <= 1


def test_the_real_salesforce_export_is_read_and_every_row_accounted_for(
        tiers: Path, tmp_path: Path) -> None:
    if not REAL.is_dir():
        pytest.skip("../shared/reference is not beside the project")
    out = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["measure", str(tiers), "--opportunities",
                                 str(REAL / "Opportunity.csv"), "--contacts",
                                 str(REAL / "Contact.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lineage = read_sheet(out, "Lineage")
    assert len(lineage) == 36 + 25
    # none of the demo org's companies is a Northwind account: all listed as outside
    assert set(lineage["match"]) == {"not in the hub"}


def test_a_contacts_file_without_a_title_column_is_one_clear_line(
        tiers: Path, tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("Company,Email\nAcme,a@acme.com\n", encoding="utf-8")
    result = runner.invoke(app, ["measure", str(tiers), "--contacts", str(bad),
                                 "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 2
    assert "people.csv" in result.output and "contacts file needs a title column" in \
        result.output
    assert "Traceback" not in result.output


def test_a_missing_opportunities_file_exits_2(tiers: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["measure", str(tiers), "--opportunities",
                                 str(tmp_path / "nope.csv"), "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_the_weekly_run_writes_the_scorecard_and_a_trend(tmp_path: Path) -> None:
    work = tmp_path / "nw"
    shutil.copytree(EXAMPLES, work)
    config = work / "abm.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'folder = "../demo-output/weekly"', 'folder = "out"').replace(
        "program_start = 2026-09-01", "program_start = 2026-11-30"), encoding="utf-8")
    for day in ("2026-11-18", "2026-11-25"):
        result = runner.invoke(app, ["run", "-c", str(config), "--as-of", day, "-q"])
        assert result.exit_code == 0, result.output
    latest = work / "out" / "latest"
    summary = json.loads((latest / "summary.json").read_text(encoding="utf-8"))
    assert summary["measure"]["kpis"]["target_accounts"] > 0
    assert "scorecard.xlsx" in summary["files"]
    trend = dict(read_blocks(latest / "scorecard.xlsx", "Trend"))["Trend"]
    assert trend["week"].tolist() == ["2026-W47", "2026-W48"]
    assert trend["period"].tolist() == ["baseline", "baseline"]  # program starts 2026-11-30


def test_merge_refuses_a_file_mapped_as_contacts(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    shutil.copy(EXAMPLES / "measure" / "hubspot_contacts.csv", people)
    config = tmp_path / "abm.toml"
    config.write_text('[[mapping]]\nfile = "people.csv"\nfamily = "contacts"\n',
                      encoding="utf-8")
    result = runner.invoke(app, ["merge", str(people), "-c", str(config),
                                 "-o", str(tmp_path / "hub.xlsx")])
    assert result.exit_code == 2
    assert "does not merge contacts into accounts" in result.output
    assert not (tmp_path / "hub.xlsx").exists()


def test_inspect_reads_a_file_as_opportunities_when_told(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", "--family", "opportunities", str(
        EXAMPLES / "measure" / "salesforce_opportunity_report.csv")])
    assert result.exit_code == 0, result.output
    assert "Salesforce opportunity report" in result.output
    assert "deal_stage" in result.output


def test_an_untiered_hub_is_tiered_first_and_since_is_stated(tiers: Path) -> None:
    result = runner.invoke(app, [
        "measure", str(tiers.parent / "hub.xlsx"), "-c", str(EXAMPLES / "abm.toml"),
        "--opportunities", str(EXAMPLES / "measure" / "salesforce_opportunity_report.csv"),
        "--since", "2026-07-01", "--json", "-o", str(tiers.parent / "s2.xlsx")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["since"] == "2026-07-01"
    assert data["notes"][0] == "the workbook has no tiers: tiered with the config first"
    assert "need --contacts FILE" in data["notes"][1]
    # Tier 1-3 of the example: 2 + 50 + 40 (only the config's named topics count, issue 12)
    assert data["kpis"]["target_accounts"] == 92


def test_bad_measure_settings_are_reported_with_their_lines(tiers: Path, tmp_path: Path) -> None:
    config = tmp_path / "abm.toml"
    config.write_text("[measure]\ninfluence_days = -3\n\n[measure.personas.boss]\n"
                      'seniority = ["Overlord"]\n', encoding="utf-8")
    result = runner.invoke(app, ["measure", str(tiers), "-c", str(config),
                                 "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 2
    # one message for one problem: the duration check, not [measure]'s own again
    assert "2 problems" in result.output
    assert ("line 2: [measure] influence_days: -3 days is outside the durations abm "
            "accepts" in result.output)
    assert "line 5: [measure.personas.boss] seniority names 'Overlord'" in result.output


def test_an_empty_tier_shows_no_share_not_nan() -> None:
    # A tier with no accounts has no share of engaged accounts: "–", never "nan%".
    from abmcli.cli.measure import _money, _percent

    assert [_percent(float("nan")), _percent(None), _percent(0.25)] == ["–", "–", "25%"]
    assert [_money(float("nan")), _money(1500.0)] == ["–", "1,500"]
