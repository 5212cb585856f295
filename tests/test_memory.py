"""The weekly run remembers: hand-built week sequences with gaps in the exports.

Every sequence starts from one run of the examples for 2026-11-25 (2026-W48), copied
into each test's folder; the following weeks edit the exports the way vendors' noise
does (a company left out of ZoomInfo, engagement rows missing or restated) and check
the tiers, the carried marks and the Changes rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from weekly_bundle import CONFIG, EXAMPLES, FILES, LEAVING_DOMAIN, make_bundle

from abmcli.cli.explain import render_explanation
from abmcli.config import MemorySettings, load_config
from abmcli.errors import AbmError, ConfigError
from abmcli.matching.decisions import Decision, Decisions
from abmcli.matching.match import account_id
from abmcli.outputs.workbook_accounts import explain_in_workbook
from abmcli.run import RunResult, merged_into, run_weekly
from abmcli.stages.hub import KEY
from abmcli.stages.memory import FAMILY, MEMORY_FILE, WEEK, Memory, read_memory, recall
from abmcli.xlsx.workbook import read_sheet

# 2026-W48, W49 and W50: from one to the next, the same files move no account.
W48, W49, W50 = dt.date(2026, 11, 25), dt.date(2026, 12, 2), dt.date(2026, 12, 9)
# The examples' own settings (the weekly bundle's [inputs] and [output]): with them the
# same files a week later move no account, so every move here comes from the gaps.
_EXAMPLE = (EXAMPLES / "abm.toml").read_text(encoding="utf-8")
SETTINGS = _EXAMPLE[:_EXAMPLE.index("[inputs]")] + CONFIG[:CONFIG.index("[intent]")]
MEMORY_OFF = SETTINGS + "\n[memory]\ncarry_forward_weeks = 0\n"
ONE_WEEK = SETTINGS + "\n[memory]\ncarry_forward_weeks = 1\n"
# planhat.com: Tier 2 with fit data from ZoomInfo alone (no CRM record).
FIT_ONLY_FROM_ZOOMINFO = "planhat.com"
# venturescanner.com: Tier 2 with an engagement spike in the latest week;
# chargehound.com: no spike, but one with its 2026-11-09 baseline row missing (25
# against a baseline of 12.5 instead of 18.25).
SPIKING, STEADY = "venturescanner.com", "chargehound.com"
# informatica.com: engagement every week; 63 over the 4 weeks to 2026-11-23.
RESTATED = "informatica.com"


@pytest.fixture(scope="module")
def first_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("first-week")
    run_weekly(make_bundle(folder, SETTINGS), as_of=W48)
    return folder


def _bundle(first_week: Path, folder: Path, config: str = SETTINGS) -> Path:
    """A copy of the first week's exports and output, with `config` as abm.toml."""
    shutil.copytree(first_week, folder, symlinks=True, dirs_exist_ok=True)
    path = folder / "abm.toml"
    path.write_text(config, encoding="utf-8")
    return path


def _edit(folder: Path, family: str, keep: object, replace: dict[bytes, bytes] | None = None,
          ) -> None:
    """Keep the lines of an export for which keep(line) holds; replace whole lines."""
    path = folder / "exports" / FILES[family]
    lines = path.read_bytes().splitlines(keepends=True)
    kept = [(replace or {}).get(line.rstrip(b"\r\n"), line.rstrip(b"\r\n")) + b"\r\n"
            for line in lines if keep(line)]
    assert len(kept) < len(lines) or replace
    path.write_bytes(b"".join(kept))


def _without(*needles: bytes) -> object:
    return lambda line: not all(needle.lower() in line.lower() for needle in needles)


def _accounts(result: RunResult) -> pd.DataFrame:
    hub = read_sheet(result.folder / "hub.xlsx", "Hub").set_index("domain")
    return hub.assign(carried=hub["carried"].fillna("")) if "carried" in hub else hub


def _tiers(result: RunResult) -> pd.Series:
    sheets = [read_sheet(result.folder / "tiers.xlsx", tier)
              for tier in ("Tier 1", "Tier 2", "Tier 3", "Waitlist", "Out of ICP", "Fit unknown")]
    frame = pd.concat([s for s in sheets if not s.empty], ignore_index=True)
    return frame.set_index("domain")[["tier", "tier_reason"]]


def _changes(result: RunResult, domain: str) -> dict[str, str]:
    rows = read_sheet(result.folder / "tiers.xlsx", "Changes")
    rows = rows[rows["domain"] == domain]
    return dict(zip(rows["change"], rows["detail"], strict=True))


# --- one week with gaps in the exports --------------------------------------------------


@dataclass
class GapWeek:
    remembered: RunResult  # the gap week, memory on (the default)
    forgetful: RunResult  # the same gap week, memory off
    same_files: RunResult  # the first week's files again, a week later


def _gap_exports(folder: Path) -> None:
    """ZoomInfo leaves one company out; the engagement export lacks one account, one
    baseline row of another, and restates a third's week of 2026-11-16 while leaving
    out its 2026-11-02 row."""
    _edit(folder, "fit", _without(FIT_ONLY_FROM_ZOOMINFO.encode()))
    informatica = b"Informatica LLC,informatica.com,"
    _edit(folder, "engagement",
          lambda line: (_without(SPIKING.encode())(line)
                        and _without(STEADY.encode(), b"11/9/2026")(line)
                        and _without(informatica + b"11/2/2026")(line)),
          {informatica + b"11/16/2026,14,6,0,11/17/2026":
           informatica + b"11/16/2026,30,10,0,11/17/2026"})


@pytest.fixture(scope="module")
def gap_week(first_week: Path, tmp_path_factory: pytest.TempPathFactory) -> GapWeek:
    results = []
    for name, config in (("memory-on", SETTINGS), ("memory-off", MEMORY_OFF)):
        folder = tmp_path_factory.mktemp(name)
        path = _bundle(first_week, folder, config)
        _gap_exports(folder)
        results.append(run_weekly(path, as_of=W49))
    folder = tmp_path_factory.mktemp("same-files")
    results.append(run_weekly(_bundle(first_week, folder), as_of=W49))
    return GapWeek(*results)


def test_an_account_missing_from_one_export_keeps_its_tier_marked_as_carried(
        gap_week: GapWeek) -> None:
    hub = _accounts(gap_week.remembered)
    account = hub.loc[FIT_ONLY_FROM_ZOOMINFO]
    assert account["carried"] == "fit from 2026-W48"
    assert account["carried_age_weeks"] == 1
    assert account["coverage"] == "f I - E -"  # the carried family in lower case
    assert account["industry"] != ""  # the carried ZoomInfo values
    tiers = _tiers(gap_week.remembered).loc[FIT_ONLY_FROM_ZOOMINFO]
    assert tiers["tier"] == "Tier 2"
    assert tiers["tier_reason"].endswith("; fit from 2026-W48, not in this week's export")
    assert _changes(gap_week.remembered, FIT_ONLY_FROM_ZOOMINFO) == {
        "data carried": "fit from 2026-W48, not in this week's export"}
    # abm explain says so too, from the tiers or from the hub (tiered again)
    out = gap_week.remembered.folder
    config = load_config(out.parent.parent / "abm.toml")
    for workbook in ("tiers.xlsx", "hub.xlsx"):
        explained = explain_in_workbook(out / workbook, FIT_ONLY_FROM_ZOOMINFO, config, W49)
        assert explained.carried == "fit from 2026-W48"
        assert explained.tier == "Tier 2"
        assert explained.tier_reason.endswith("fit from 2026-W48, not in this week's export")
    shown = Console(record=True, width=200)
    shown.print(render_explanation(explained))
    assert "carried: fit from 2026-W48, not in this week's export" in shown.export_text()
    # without memory the gap loses ZoomInfo's values: the firmographics left are those the
    # intent export carries (Bombora's size, industry, country), and nothing is carried
    forgotten = _accounts(gap_week.forgetful).loc[FIT_ONLY_FROM_ZOOMINFO]
    assert not forgotten.get("carried", "")
    assert forgotten["industry_source"] == "intent"
    assert "data carried" not in _changes(gap_week.forgetful, FIT_ONLY_FROM_ZOOMINFO)


def test_engagement_rows_an_export_lacks_still_count_and_restated_weeks_replace(
        gap_week: GapWeek) -> None:
    hub, forgetful = _accounts(gap_week.remembered), _accounts(gap_week.forgetful)
    # 11-02 from memory (18) + 11-09 (7) + 11-16 as restated (40, not 20 + 40) + 11-23 (18)
    assert hub.loc[RESTATED, "engagement_total"] == 83
    assert hub.loc[RESTATED, "engagement_page_views"] == 12 + 5 + 30 + 13
    assert forgetful.loc[RESTATED, "engagement_total"] == 7 + 40 + 18
    assert hub.loc[RESTATED, "carried"] == ""  # in this week's export: nothing carried


def test_a_missing_baseline_row_makes_no_spike_and_a_missing_spike_week_keeps_its_spike(
        gap_week: GapWeek) -> None:
    hub, forgetful = _accounts(gap_week.remembered), _accounts(gap_week.forgetful)
    assert not hub.loc[STEADY, "engagement_spike"]
    assert forgetful.loc[STEADY, "engagement_spike"]  # what memory prevents
    assert _changes(gap_week.remembered, STEADY) == {}
    assert "new spike" in _changes(gap_week.forgetful, STEADY)
    # the spiking account's rows are all missing: its history still holds the spike
    assert hub.loc[SPIKING, "engagement_spike"]
    assert hub.loc[SPIKING, "carried"] == "engagement from 2026-W48"
    assert _tiers(gap_week.remembered).loc[SPIKING, "tier"] == "Tier 2"
    assert _changes(gap_week.remembered, SPIKING) == {
        "data carried": "engagement from 2026-W48, not in this week's export"}
    assert not forgetful.loc[SPIKING, "has_engagement"]


def test_counts_only_change_for_the_gaps(gap_week: GapWeek) -> None:
    counts = gap_week.remembered.changes.counts()
    assert counts["data carried"] == 2  # planhat's fit, venturescanner's engagement
    # The same files a week later move a few accounts as their signals age past the
    # windows (issue 12: meetings count, the engagement score ends with its window); the
    # gaps move none beyond those.
    baseline = gap_week.same_files.changes.counts()
    assert (counts["tier up"], counts["tier down"]) == (baseline["tier up"],
                                                        baseline["tier down"])
    assert counts["new spike"] == 0
    assert counts["dropped account"] == 0
    memory = gap_week.remembered.summary["memory"]
    assert memory["accounts_with_carried_data"] >= 2 and memory["file"] == MEMORY_FILE
    assert gap_week.forgetful.summary["memory"]["file"] is None


def test_the_memory_file_is_published_with_the_week(gap_week: GapWeek) -> None:
    out = gap_week.remembered.folder.parent
    memory = read_memory(out / MEMORY_FILE, follow_link=True)  # the link beside decisions.csv
    assert (out / MEMORY_FILE).resolve() == (out / "2026-W49" / MEMORY_FILE).resolve()
    carried = memory.records[memory.records[KEY] == FIT_ONLY_FROM_ZOOMINFO]
    kept = set(zip(carried[FAMILY], carried[WEEK], strict=True))
    assert kept >= {("fit", "2026-W48"), ("engagement", "2026-W49")}
    assert not (gap_week.forgetful.folder / MEMORY_FILE).exists()  # memory off


# --- longer sequences ---------------------------------------------------------------------


def test_an_account_back_in_the_export_is_no_longer_carried(first_week: Path,
                                                            tmp_path: Path) -> None:
    config = _bundle(first_week, tmp_path)
    pristine = (tmp_path / "exports" / FILES["fit"]).read_bytes()
    _edit(tmp_path, "fit", _without(FIT_ONLY_FROM_ZOOMINFO.encode()))
    run_weekly(config, as_of=W49)
    (tmp_path / "exports" / FILES["fit"]).write_bytes(pristine)
    back = run_weekly(config, as_of=W50)
    assert _accounts(back).loc[FIT_ONLY_FROM_ZOOMINFO, "carried"] == ""
    assert _tiers(back).loc[FIT_ONLY_FROM_ZOOMINFO, "tier"] == "Tier 2"
    assert _changes(back, FIT_ONLY_FROM_ZOOMINFO) == {}


def test_an_account_absent_past_the_carry_window_is_dropped_with_the_week_last_seen(
        first_week: Path, tmp_path: Path) -> None:
    config = _bundle(first_week, tmp_path, ONE_WEEK)
    _edit(tmp_path, "fit", lambda line: (_without(LEAVING_DOMAIN.encode())(line)
                                         and _without(FIT_ONLY_FROM_ZOOMINFO.encode())(line)))
    carried = run_weekly(config, as_of=W49)
    assert _changes(carried, LEAVING_DOMAIN) == {
        "data carried": "fit from 2026-W48, not in this week's export"}
    assert _accounts(carried).loc[LEAVING_DOMAIN, "carried"] == "fit from 2026-W48"
    gone = run_weekly(config, as_of=W50)
    assert LEAVING_DOMAIN not in _accounts(gone).index
    assert _changes(gone, LEAVING_DOMAIN) == {
        "dropped account": "last seen 2026-W48: not in any export since, and the fit data "
                           "carried since then expired"}
    # an account still in other exports loses only the expired family, with a line
    expired = _changes(gone, FIT_ONLY_FROM_ZOOMINFO)
    assert expired["data expired"] == "fit from 2026-W48 expired: past the carry window"
    # its fit now rests on what the intent export says of it (Bombora's firmographics)
    assert _accounts(gone).loc[FIT_ONLY_FROM_ZOOMINFO, "industry_source"] == "intent"
    assert _accounts(gone).loc[FIT_ONLY_FROM_ZOOMINFO, "coverage"] == "- I - E -"


def test_two_runs_on_identical_inputs_give_no_changes(first_week: Path,
                                                      tmp_path: Path) -> None:
    again = run_weekly(_bundle(first_week, tmp_path), as_of=W49)
    assert again.changes.old == "2026-W48"
    # Nothing is carried, new, dropped or spiking; the only moves are signals aging out
    # of their windows a week later and the capacity caps re-ranking (issue 12).
    moved = {kind for kind, count in again.changes.counts().items() if count}
    assert moved <= {"tier up", "tier down", "score up", "score down"}
    details = read_sheet(again.folder / "tiers.xlsx", "Changes")["detail"].astype(str)
    assert details.str.contains("no engagement in|no surge|capacity cap|score").all()


# --- the memory itself, on hand-made records --------------------------------------------


def _records(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[KEY, FAMILY, WEEK, "date"]).assign(page_views="1")


def test_history_restated_by_date_replaces_and_decisions_join_accounts() -> None:
    stored = pd.concat([
        _records([("acme.com", "engagement", "2026-W47", "2026-11-09"),
                  ("acme.com", "engagement", "2026-W47", "2026-11-16"),
                  ("acme.org", "engagement", "2026-W47", "2026-11-02")]),
    ], ignore_index=True)
    this_week = pd.DataFrame({KEY: ["acme.com"], "date": ["11/16/2026"], "page_views": ["5"]})
    decisions = Decisions([Decision("acme.com", "acme.org", True)])
    found = recall(Memory.of(stored), {"engagement": this_week}, "2026-W48", MemorySettings(),
                   decisions)
    rows = found.family_rows["engagement"].sort_values("date")
    # 11-16 is restated (5 replaces 1); 11-09 and the joined account's 11-02 still count
    assert rows[[KEY, "date", "page_views"]].values.tolist() == [
        ["acme.com", "11/16/2026", "5"], ["acme.com", "2026-11-02", "1"],
        ["acme.com", "2026-11-09", "1"]]
    assert found.carried.empty


def test_a_family_is_carried_for_the_window_and_then_expires() -> None:
    stored = _records([("acme.com", "crm", "2026-W44", ""), ("beta.com", "crm", "2026-W43", "")])
    found = recall(Memory.of(stored), {}, "2026-W48", MemorySettings(carry_forward_weeks=4),
                   Decisions())
    assert found.family_rows["crm"][KEY].tolist() == ["acme.com"]  # 4 weeks: carried
    assert found.carried["carried"].tolist() == ["crm from 2026-W44"]
    assert found.state.records[KEY].tolist() == ["acme.com"]  # beta.com is forgotten


def test_a_negative_carry_window_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "abm.toml"
    path.write_text("[memory]\ncarry_forward_weeks = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[memory\] carry_forward_weeks = -1 must be 0"):
        load_config(path)


def test_an_account_an_accepted_decision_joined_to_another_is_mapped_to_it() -> None:
    old = pd.DataFrame({"account_id": [account_id("acme.org"), account_id("name:beta")],
                        "domain": ["acme.org", ""], "account_name": ["Acme", "Beta"]})
    decisions = Decisions([Decision("acme.com", "acme.org", True)])
    assert merged_into(old, decisions) == {account_id("acme.org"): account_id("acme.com")}


def test_a_split_name_an_accepted_decision_joined_is_mapped_by_its_own_key() -> None:
    """The hub shows "Bolt" for `name:bolt @ estonia`: its key is not the name's."""
    old = pd.DataFrame({"account_id": [account_id("name:bolt @ estonia"),
                                       account_id("name:bolt")],
                        "domain": ["", ""], "account_name": ["Bolt", "Bolt"]})
    decisions = Decisions([Decision("name:bolt @ estonia", "bolt.eu", True)])
    assert merged_into(old, decisions) == {
        account_id("name:bolt @ estonia"): account_id("bolt.eu")}


def test_a_memory_planted_as_a_link_or_broken_is_refused_and_the_run_goes_on(
        first_week: Path, tmp_path: Path) -> None:
    config = _bundle(first_week, tmp_path)
    stored = tmp_path / "weekly" / "2026-W48" / MEMORY_FILE
    secret = tmp_path / "secret.txt"
    secret.write_text("not for abm", encoding="utf-8")
    stored.unlink()
    stored.symlink_to(secret)
    with pytest.raises(AbmError, match="is a symbolic link"):
        read_memory(stored)
    stored.unlink()
    stored.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_weekly(config, as_of=W49)
    assert any("started without memory of earlier weeks" in w for w in result.warnings)
    assert read_memory(result.folder / MEMORY_FILE).rows() > 0  # a fresh memory
