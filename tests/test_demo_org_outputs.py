"""`abm segment` and `abm explain` on the Salesforce demo org's own exports
(tests/data/real), as a marketing-ops user runs them before loading the files into
Salesforce, HubSpot and the ad platforms: an update never blanks CRM fields, never names
one record twice, a file never carries another file type's content under its name, and
an account is found by the name it is shown with."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.formats.registry import UPLOAD_FORMATS

REAL = Path(__file__).parent / "data" / "real"
runner = CliRunner()


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo org's Account, Contact and Lead exports merged (`hub`, no tiers yet) and
    tiered (`tiers`), as REPORT.md's repro does."""
    folder = tmp_path_factory.mktemp("sf")
    hub, tiers = folder / "sf.xlsx", folder / "sf_t.xlsx"
    merged = runner.invoke(app, ["merge", *(str(REAL / f"salesforce-demo-{name}.csv")
                                            for name in ("Account", "Contact", "Lead")),
                                 "-o", str(hub)])
    assert merged.exit_code == 0, merged.output
    tiered = runner.invoke(app, ["tier", str(hub), "-o", str(tiers), "--as-of", "2026-11-30"])
    assert tiered.exit_code == 0, tiered.output
    return {"hub": hub, "tiers": tiers}


def segment(workbook: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["segment", str(workbook), *args])
    return result.exit_code, result.output


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --- an update of an untiered hub (REPORT.md item 3) ----------------------------------


UPDATES = sorted(name for name, fmt in UPLOAD_FORMATS.items() if fmt.updates)


def test_the_crm_update_formats_say_they_update_records() -> None:
    assert {"salesforce_update", "hubspot_update"} <= set(UPDATES)


@pytest.mark.parametrize("fmt", UPDATES)
def test_a_crm_update_of_a_hub_without_tiers_is_refused_not_written_blank(
        workbooks: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "update.csv"
    code, output = segment(workbooks["hub"], "--where", "crm_id is not empty", "--format",
                           fmt, "-o", str(out))
    assert code == 2
    error = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(error) == 1
    assert f"{fmt} needs tiers: run abm tier {workbooks['hub']} first" in error[0]
    assert not out.exists()


@pytest.mark.parametrize(("where", "command"), [
    ('tier == "Tier 1"', "abm tier"), ("account_score > 50", "abm score"),
    ("stars >= 3", "abm score"),
])
def test_a_filter_on_a_tier_or_score_column_of_a_hub_without_them_names_the_command(
        workbooks: dict[str, Path], tmp_path: Path, where: str, command: str) -> None:
    code, output = segment(workbooks["hub"], "--where", where, "-o", str(tmp_path / "x.csv"))
    assert code == 2
    assert f"come from {command}: run {command} on the hub" in output
    assert "did you mean" not in output  # not 'ticker', 'state' or 'account_name'


def test_a_tier_column_chosen_on_a_hub_without_tiers_names_the_command(
        workbooks: dict[str, Path], tmp_path: Path) -> None:
    code, output = segment(workbooks["hub"], "--where", "crm_id is not empty", "--column",
                           "tier", "-o", str(tmp_path / "x.csv"))
    assert code == 2
    assert "tiers come from abm tier" in output and "ticker" not in output


def test_the_tiered_workbook_writes_the_update(workbooks: dict[str, Path],
                                               tmp_path: Path) -> None:
    out = tmp_path / "sfu.csv"
    code, output = segment(workbooks["tiers"], "--where", "crm_id is not empty", "--format",
                           "salesforce_update", "-o", str(out))
    assert code == 0, output
    rows = read(out)
    assert rows[0][:2] == ["Id", "ABM_Tier__c"]
    assert all(row[1] for row in rows[1:])  # every account has its tier


# --- the file's suffix is the format's (REPORT.md item 9) -------------------------------


@pytest.mark.parametrize("fmt", sorted(UPLOAD_FORMATS))
def test_a_list_under_another_file_types_suffix_is_refused_naming_the_right_one(
        workbooks: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    right = UPLOAD_FORMATS[fmt].suffix
    wrong = ".csv" if right == ".xlsx" else ".xlsx"
    for name in (f"list{wrong}", "list"):
        out = tmp_path / name
        code, output = segment(workbooks["tiers"], "--where", "crm_id is not empty",
                               "--format", fmt, "-o", str(out))
        assert code == 2, output
        assert f"needs the suffix {right}; write -o {tmp_path / 'list'}{right}" in output
        assert list(tmp_path.iterdir()) == []
    code, output = segment(workbooks["tiers"], "--where", "crm_id is not empty", "--format",
                           fmt, "-o", str(tmp_path / f"list{right.upper()}"))
    assert code == 0, output


# --- an update names each CRM record once (REPORT.md item 1) ----------------------------


def test_a_salesforce_update_holds_each_id_once_for_the_better_tiered_account(
        workbooks: dict[str, Path], tmp_path: Path) -> None:
    """United Oil & Gas Corp. (Account row, no website) and uog.com (its contacts'
    domain) hold one Account Id and stay two accounts with a Review pair: the update
    writes that Id once, with the Account row's tier (Tier 3, the better one), and says
    so."""
    out = tmp_path / "sfu.csv"
    code, output = segment(workbooks["tiers"], "--where", "crm_id is not empty", "--format",
                           "salesforce_update", "-o", str(out))
    assert code == 0, output
    rows = read(out)[1:]
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))
    united = [row for row in rows if row[0] == "001bm00001ZL8UEAA1"]
    assert [row[1] for row in united] == ["Tier 3"]
    assert "1 Salesforce Id is held by two accounts" in output
    assert "United Oil & Gas Corp." in output and "Review sheet" in output


def test_a_terminus_list_names_the_shared_account_id_once(
        workbooks: dict[str, Path], tmp_path: Path) -> None:
    """The same pair in a plain id list: Terminus would take United Oil & Gas twice."""
    out = tmp_path / "terminus.csv"
    code, output = segment(workbooks["tiers"], "--where", "crm_id is not empty", "--format",
                           "terminus", "-o", str(out))
    assert code == 0, output
    ids = [row[0] for row in read(out)]
    assert ids.count("001bm00001ZL8UEAA1") == 1 and len(ids) == len(set(ids))
    assert "1 CRM account id is held by two accounts" in output and "(1 row folded)" in output


# --- explain finds an account by its exact name (REPORT.md item 14) ---------------------


@pytest.mark.parametrize(("query", "account"), [
    ("United Oil & Gas Corp.", "United Oil & Gas Corp. · no domain"),
    ("united oil & gas,  SINGAPORE", "United Oil & Gas, Singapore · no domain"),
])
def test_explain_finds_the_account_whose_name_is_written_exactly(
        workbooks: dict[str, Path], query: str, account: str) -> None:
    """Both names have the key 'united oil and gas'; the one written out is the one."""
    result = runner.invoke(app, ["explain", str(workbooks["tiers"]), query])
    assert result.exit_code == 0, result.output
    assert account in result.output and "found by name" in result.output


def test_explain_asks_which_account_a_name_shared_by_two_means(
        workbooks: dict[str, Path]) -> None:
    result = runner.invoke(app, ["explain", str(workbooks["tiers"]), "United Oil & Gas"])
    assert result.exit_code == 2
    assert "'United Oil & Gas' matches 2 accounts" in result.output


# --- explain's points are the points earned (REPORT.md item 18) -------------------------


def _rule_cells(output: str, rule: str) -> list[str]:
    """The cells of the rules table's row for `rule` (the rule's first line)."""
    line = next(line for line in output.splitlines() if f"│ {rule} " in line)
    return [cell.strip() for cell in line.split("│") if cell.strip()]


def test_explain_shows_each_rules_weight_and_the_points_it_earned(
        workbooks: dict[str, Path]) -> None:
    """Dickenson plc: fit 37.5 (employees ✗, revenue ✓). The missed rule is worth 62.5
    and earns 0; the points add up to the fit score."""
    result = runner.invoke(app, ["explain", str(workbooks["tiers"]), "Dickenson plc"])
    assert result.exit_code == 0, result.output
    assert "fit 37.5 = the points of the ICP rules met" in result.output
    employees, revenue = (_rule_cells(result.output, rule) for rule in ("employees",
                                                                         "revenue"))
    assert employees[0] == "✗" and employees[-2:] == ["62.5", "0"]
    assert revenue[0] == "✓" and revenue[-2:] == ["37.5", "37.5"]
