"""The weekly run as a library call: dated folders, Changes, partial runs, recovery."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest
from weekly_bundle import CONFIG, FILES, LEAVING_DOMAIN, make_bundle, next_week_exports

from abmcli.errors import ConfigError, ExitCode
from abmcli.outputs.readback import read_accounts
from abmcli.run import iso_week, recover, run_weekly
from abmcli.xlsx.workbook import Sheet, read_sheet, sheet_names, write_workbook

LAST_WEEK, THIS_WEEK = dt.date(2026, 11, 18), dt.date(2026, 11, 25)


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_iso_week_names_the_folder() -> None:
    assert iso_week(THIS_WEEK) == "2026-W48"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"  # ISO year, not calendar year


def test_a_run_writes_the_week_folder_and_points_latest_at_it(tmp_path: Path) -> None:
    result = run_weekly(make_bundle(tmp_path), as_of=THIS_WEEK)
    week = tmp_path / "weekly" / "2026-W48"
    assert result.exit_code == ExitCode.OK
    assert result.folder == week
    assert os.readlink(tmp_path / "weekly" / "latest") == "2026-W48"
    files = {str(p.relative_to(week)) for p in week.rglob("*") if p.is_file()}
    assert {"hub.xlsx", "tiers.xlsx", "lineage.csv", "summary.json", "abm.toml",
            "tiers/tier-1.csv", "segments/spikes.csv", "segments/crm_salesforce.csv",
            "segments/crm_hubspot.csv"} <= files
    assert sheet_names(week / "tiers.xlsx")[:2] == ["Summary", "Changes"]
    assert "Scores" in sheet_names(week / "hub.xlsx")
    assert [p.name for p in (tmp_path / "weekly").iterdir() if p.name.startswith(".")] == []


def test_summary_json_says_what_was_read_and_what_came_out(tmp_path: Path) -> None:
    result = run_weekly(make_bundle(tmp_path), as_of=THIS_WEEK)
    summary = _summary(result.folder)
    assert summary["status"] == "ok" and summary["exit_code"] == 0
    assert summary["week"] == "2026-W48" and summary["as_of"] == "2026-11-25"
    crm = next(i for i in summary["inputs"] if i["family"] == "crm")
    assert crm["path"] == "exports/salesforce_account_report.csv"
    assert crm["rows"] == 232
    expected = hashlib.sha256((tmp_path / "exports" / FILES["crm"]).read_bytes()).hexdigest()
    assert crm["sha256"] == expected
    tiered = read_accounts(result.folder / "tiers.xlsx")
    assert summary["accounts"] == result.accounts == len(tiered)
    # Only surges on the config's [intent] topics count (issue 12): 2 accounts qualify
    # for Tier 1 (5 when every topic counted), under its cap of 5; Tier 2 is at its cap.
    assert summary["tiers"]["Tier 1"] == 2
    assert summary["tiers"]["Tier 2"] == 50
    assert sum(summary["tiers"].values()) == summary["accounts"]
    # data rows + the Salesforce footer lines and the 2 blank records among them (rejected)
    assert summary["rows_in"] == 2424 + 3 + 2
    assert 0 < summary["coverage"]["intent"] < 1
    assert summary["changes"]["compared_with"] is None
    assert summary["failed_inputs"] == []
    assert "summary.json" in summary["files"]


def test_two_weeks_in_a_row_give_a_correct_changes_view(tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    first = run_weekly(config, as_of=LAST_WEEK)
    next_week_exports(tmp_path)
    second = run_weekly(config, as_of=THIS_WEEK)
    changes = read_sheet(second.folder / "tiers.xlsx", "Changes")
    by_kind = changes.groupby("change")["domain"].apply(list).to_dict()
    assert by_kind["new account"] == ["nordwind-logistik.de"]
    # the account the ZoomInfo export left out is kept, its fit data carried
    assert by_kind["data carried"] == [LEAVING_DOMAIN]
    assert "dropped account" not in by_kind
    # every tier move, checked against the two tier workbooks directly
    old = read_accounts(first.folder / "tiers.xlsx").set_index("account_id")["tier"]
    new = read_accounts(second.folder / "tiers.xlsx").set_index("account_id")["tier"]
    both = old.index.intersection(new.index)
    moved = sorted(i for i in both if old[i] != new[i])
    assert moved  # the week's new dates move some accounts
    ids = changes.groupby("change")["account_id"].apply(list).to_dict()
    assert sorted(ids.get("tier up", []) + ids.get("tier down", [])) == moved
    summary = _summary(second.folder)
    assert summary["changes"]["compared_with"] == "2026-W47"
    assert summary["changes"]["counts"]["new account"] == 1
    assert sum(summary["changes"]["counts"].values()) == len(changes)
    assert (tmp_path / "weekly" / "2026-W47" / "tiers.xlsx").is_file()  # last week kept


def test_last_week_s_own_tier_workbook_is_read_without_the_far_cell_scan(
        tmp_path: Path, monkeypatch) -> None:
    """summary.json keeps the hash of the tiers.xlsx the run wrote; next week's run
    reads that content without scanning its sheet XML again (230 MB at 100,000
    accounts), and scans any other content (a file put in its place) as any workbook."""
    import abmcli.sources.read as read_module

    config = make_bundle(tmp_path)
    first = run_weekly(config, as_of=LAST_WEEK, sequential=True)
    tiers = first.folder / "tiers.xlsx"
    assert _summary(first.folder)["workbook_digests"] == {
        "tiers.xlsx": "blake2b-128:" + read_module.workbook_digest(tiers)}
    scanned: list[Path] = []
    scan = read_module.refuse_sparse_sheets
    monkeypatch.setattr(read_module, "refuse_sparse_sheets",
                        lambda path: scanned.append(Path(path)) or scan(path))
    read_module._SAFE_WORKBOOKS.clear()  # as in a fresh process
    second = run_weekly(config, as_of=THIS_WEEK, sequential=True)
    assert tiers not in scanned
    assert _summary(second.folder)["changes"]["compared_with"] == "2026-W47"
    # The same workbook saved again (other bytes, as Excel would): scanned, still read.
    accounts = read_accounts(tiers)
    write_workbook(tiers, [Sheet("Tier 1", accounts)])
    read_module._SAFE_WORKBOOKS.clear()
    run_weekly(config, as_of=THIS_WEEK, sequential=True)
    assert tiers in scanned


def test_rerunning_a_week_replaces_it_and_still_compares_with_the_week_before(
        tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    run_weekly(config, as_of=LAST_WEEK)
    run_weekly(config, as_of=THIS_WEEK)
    next_week_exports(tmp_path)
    again = run_weekly(config, as_of=THIS_WEEK)
    assert again.changes.old == "2026-W47"
    assert again.changes.counts()["new account"] == 1
    weekly = sorted(p.name for p in (tmp_path / "weekly").iterdir())
    assert weekly == ["2026-W47", "2026-W48", "abm-run.lock", "decisions.csv", "latest",
                      "memory.zip"]


@pytest.mark.parametrize("breakage", ["missing", "empty"])
def test_a_missing_or_unreadable_source_gives_a_partial_run(tmp_path: Path,
                                                           breakage: str) -> None:
    config = make_bundle(tmp_path)
    intent = tmp_path / "exports" / FILES["intent"]
    if breakage == "missing":
        intent.unlink()
    else:
        intent.write_bytes(b"")
    result = run_weekly(config, as_of=THIS_WEEK)
    assert result.exit_code == ExitCode.PARTIAL
    assert [f.family for f in result.failures] == ["intent"]
    summary = _summary(result.folder)
    assert summary["status"] == "partial" and summary["exit_code"] == 1
    assert summary["failed_inputs"][0]["pattern"] == "exports/bombora*.csv"
    assert {i["family"] for i in summary["inputs"]} == {"fit", "relationship", "engagement",
                                                         "crm"}
    hub = read_sheet(result.folder / "hub.xlsx", "Hub")  # the others' outputs are complete
    assert not hub["has_intent"].any() and hub["has_crm"].any()
    assert (result.folder / "tiers.xlsx").is_file()
    assert os.readlink(tmp_path / "weekly" / "latest") == "2026-W48"


def test_a_glob_takes_the_newest_file_and_the_summary_says_which(tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    exports = tmp_path / "exports"
    older = exports / "zoominfo_2026-11-16.csv"
    older.write_text("Company Name,Website\nOld Co,old.example.org\n", encoding="utf-8")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    result = run_weekly(config, as_of=THIS_WEEK)
    fit = next(used for used in result.inputs if used.family == "fit")
    assert fit.path == "exports/zoominfo_company_export.csv"
    assert fit.matched == 2


def test_config_problems_stop_the_run_before_any_work(tmp_path: Path) -> None:
    bad = CONFIG.replace('format = "csv"', 'format = "csv"\nwhere_clause = 1').replace(
        "[tiers]", "[tiers]\nmin_fit = 150")
    config = make_bundle(tmp_path, bad)
    with pytest.raises(ConfigError) as caught:
        run_weekly(config, as_of=THIS_WEEK)
    message = str(caught.value)
    assert "2 problems" in message
    assert "line 21: [tiers] needs 0 <= min_fit (150) <= tier1_min_fit" in message
    assert "line 29: [segments.spikes] unknown setting 'where_clause'" in message
    assert not (tmp_path / "weekly").exists()


def test_reviewer_decisions_carry_over_to_the_next_run(tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    run_weekly(config, as_of=LAST_WEEK)
    decisions = tmp_path / "weekly" / "decisions.csv"
    lines = decisions.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    key_a, key_b = first[header.index("key_a")], first[header.index("key_b")]
    first[header.index("decision")] = "accept"
    decisions.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n",
                         encoding="utf-8")
    result = run_weekly(config, as_of=THIS_WEEK)
    hub = read_sheet(result.folder / "hub.xlsx", "Hub")
    merged = hub[hub["domain"].isin([key_a, key_b])]
    assert len(merged) == 1
    assert {key_a, key_b} == {merged["domain"].iloc[0], merged["other_domains"].iloc[0]}
    assert "accept" in decisions.read_text(encoding="utf-8")  # the reviewer's row is kept


def test_recovery_finishes_a_complete_unpublished_run_and_clears_half_written_ones(
        tmp_path: Path) -> None:
    out = tmp_path / "weekly"
    (out / "2026-W47").mkdir(parents=True)
    (out / "2026-W47" / "summary.json").write_text("{}", encoding="utf-8")
    complete = out / ".2026-W48.tmp-0a1b2c3d"
    complete.mkdir()
    (complete / "summary.json").write_text("{}", encoding="utf-8")
    half = out / ".2026-W49.tmp-99887766"
    half.mkdir()
    (half / "hub.xlsx").write_bytes(b"PK")
    os.symlink(complete.name, out / "latest")
    notes = recover(out)
    assert sorted(p.name for p in out.iterdir()) == ["2026-W47", "2026-W48", "latest"]
    assert os.readlink(out / "latest") == "2026-W48"
    assert (out / "2026-W48" / "summary.json").is_file()
    assert any("finished publishing 2026-W48" in note for note in notes)


def test_recovery_restores_a_week_folder_moved_aside(tmp_path: Path) -> None:
    out = tmp_path / "weekly"
    aside = out / ".2026-W48.old-1234abcd"
    aside.mkdir(parents=True)
    (aside / "summary.json").write_text("{}", encoding="utf-8")
    os.symlink("2026-W48", out / "latest")
    recover(out)
    assert (out / "latest" / "summary.json").is_file()
    assert not aside.exists()


def test_inputs_name_a_workbook_sheet_as_the_command_line_does(tmp_path: Path) -> None:
    import openpyxl

    exports = tmp_path / "exports"
    exports.mkdir()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Summary"
    workbook.active.append(["Report", "Accounts by region"])
    accounts = workbook.create_sheet("Accounts")
    for row in (["Company Name", "Website"], ["Acme GmbH", "acme.de"],
                ["Globex Inc", "globex.com"]):
        accounts.append(row)
    workbook.save(exports / "fit_report.xlsx")
    config = tmp_path / "abm.toml"
    for entry in ('"exports/fit_report.xlsx:Accounts"', '"exports/fit_*.xlsx:Accounts"'):
        config.write_text(f"[inputs]\nfit = {entry}\n[output]\nfolder = \"weekly\"\n",
                          encoding="utf-8")
        result = run_weekly(config, as_of=THIS_WEEK)
        assert result.exit_code == ExitCode.OK
        (used,) = result.inputs
        assert (used.path, used.rows) == ("exports/fit_report.xlsx:Accounts", 2)
        assert result.accounts == 2
