"""Every family is optional: each command works on every non-empty subset of the five,
and a family without data is "no data", never zero evidence."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.errors import ExitCode
from abmcli.fields import FAMILIES
from abmcli.run import run_weekly
from abmcli.xlsx.workbook import read_sheet, sheet_names

EXAMPLES = Path(__file__).parents[1] / "examples"
AS_OF = dt.date(2026, 11, 25)
EXAMPLE_FILES = {
    "fit": "zoominfo_company_export.csv",
    "intent": "bombora_company_surge.csv",
    "relationship": "relationship_contacts.csv",
    "engagement": "engagement_weekly.csv",
    "crm": "salesforce_account_report.csv",
}
# Lines kept of each example (title rows and header included): small enough that 31
# runs stay within seconds, large enough that every family has a few accounts.
KEPT_LINES = 45
SUBSETS = [combo for size in range(1, 6) for combo in itertools.combinations(FAMILIES, size)]
HUB_SHEETS = ["Summary", "Hub", "Scores", "Review", "Conflicts", "Rejected", "Lineage"]
TIER_SHEETS = ["Summary", "Changes", "Tier 1", "Tier 2", "Tier 3", "Waitlist", "Expansion",
               "Out of ICP", "Fit unknown"]
# A score column may hold a value only where the hub has that family's data (a meeting
# or a reply in a relationship export is engagement too: docs/TIERS.md).
EVIDENCE = {
    "intent_score": ["has_intent"],
    "relationship_score": ["has_relationship"],
    "engagement_score": ["has_engagement", "has_relationship"],
}
FIRMOGRAPHICS = ["industry", "country", "employees", "revenue", "technologies"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first lines of each example export (bytes kept as they are: cp1252, BOM)."""
    folder = tmp_path_factory.mktemp("exports")
    for name in EXAMPLE_FILES.values():
        lines = (EXAMPLES / name).read_bytes().splitlines(keepends=True)
        (folder / name).write_bytes(b"".join(lines[:KEPT_LINES]))
    return folder


def _config(folder: Path, exports: Path, families: tuple[str, ...]) -> Path:
    """The example config (ICP, tiers, segments) reading only `families`."""
    text = (EXAMPLES / "abm.toml").read_text(encoding="utf-8").split("\n[inputs]")[0]
    inputs = "\n".join(f'{family} = "{exports / EXAMPLE_FILES[family]}"'
                       for family in families)
    path = folder / "abm.toml"
    path.write_text(f'{text}\n[inputs]\n{inputs}\n\n[output]\nfolder = "out"\n',
                    encoding="utf-8")
    return path


def _known(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    present = [c for c in columns if c in frame.columns]
    known = pd.Series(False, index=frame.index)
    for column in present:
        values = frame[column]
        known |= values.eq(True) if column.startswith("has_") else values.notna() & values.ne("")
    return known


@pytest.fixture(scope="module")
def last_week(tmp_path_factory: pytest.TempPathFactory, exports: Path) -> Path:
    """A run of all five families a week earlier, for the changes stage to compare with."""
    folder = tmp_path_factory.mktemp("last_week")
    result = run_weekly(_config(folder, exports, FAMILIES), as_of=AS_OF - dt.timedelta(days=7))
    return result.folder


@pytest.mark.parametrize("families", SUBSETS, ids="+".join)
def test_the_weekly_run_works_on_every_subset_of_families(
        tmp_path: Path, exports: Path, last_week: Path, families: tuple[str, ...]) -> None:
    shutil.copytree(last_week, tmp_path / "out" / last_week.name)
    result = run_weekly(_config(tmp_path, exports, families), as_of=AS_OF)
    assert result.exit_code == ExitCode.OK and not result.failures
    assert result.changes.old == last_week.name  # compared with the full week before
    assert sheet_names(result.folder / "hub.xlsx") == HUB_SHEETS
    assert sheet_names(result.folder / "tiers.xlsx") == TIER_SHEETS
    hub = read_sheet(result.folder / "hub.xlsx", "Hub")
    for score, evidence in EVIDENCE.items():
        claimed = hub[score].notna() & ~_known(hub, evidence)
        assert not claimed.any(), f"{score} without {evidence}"
    fit_claimed = hub["fit_score"].notna() & ~_known(hub, FIRMOGRAPHICS)
    assert not fit_claimed.any(), "fit_score without any firmographics"
    # the account score is empty only with an unknown fit and no signal family in the hub
    hub_has_signals = hub[list(EVIDENCE)].notna().any().any()
    assert hub["account_score"].notna().eq(hub["fit_score"].notna() | hub_has_signals).all()
    if "fit" not in families and "crm" not in families and "intent" not in families:
        # nothing this week carries firmographics: a fit score rests on data of the week
        # before, carried forward by the run's memory and marked so
        carried = hub.get("carried", pd.Series("", index=hub.index)).fillna("")
        assert (hub["fit_score"].isna() | (carried != "")).all()


def test_merge_then_score_without_signal_families_exits_0(tmp_path: Path) -> None:
    runner = CliRunner()
    hub = tmp_path / "hub.xlsx"
    merged = runner.invoke(app, ["merge", str(EXAMPLES / EXAMPLE_FILES["fit"]),
                                 str(EXAMPLES / EXAMPLE_FILES["crm"]), "-o", str(hub)])
    assert merged.exit_code == 0, merged.output
    scored = runner.invoke(app, ["score", str(hub)])
    assert scored.exit_code == 0, scored.output
    assert scored.output.count("no data") == 3  # intent, relationship, engagement
    frame = read_sheet(hub, "Hub")
    assert frame["relationship_score"].isna().all() and frame["intent_score"].isna().all()
    # fit and nothing else: the account score is the fit score, not 40% of it
    with_fit = frame[frame["fit_score"].notna()]
    assert (with_fit["account_score"] == with_fit["fit_score"]).all()


def test_a_missing_relationship_glob_publishes_the_week_and_exits_1(
        tmp_path: Path, exports: Path) -> None:
    config = _config(tmp_path, exports, ("fit", "intent", "crm"))
    # a relationship glob that matches nothing this week
    text = config.read_text(encoding="utf-8").replace(
        "[inputs]\n", f'[inputs]\nrelationship = "{tmp_path}/sigstr*.csv"\n')
    config.write_text(text, encoding="utf-8")
    result = run_weekly(config, as_of=AS_OF)
    assert result.exit_code == ExitCode.PARTIAL
    assert [f.family for f in result.failures] == ["relationship"]
    assert (tmp_path / "out" / "latest" / "tiers.xlsx").is_file()


def test_verbose_keeps_the_exit_code_of_an_internal_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import abmcli.outputs.score_workbook

    def crash(*_args: object, **_kwargs: object) -> None:
        raise KeyError("relationship_score")

    monkeypatch.setattr(abmcli.outputs.score_workbook, "score_hub_file", crash)
    for arguments in (["score", "hub.xlsx"], ["--verbose", "score", "hub.xlsx"]):
        done = CliRunner().invoke(app, arguments)
        assert done.exit_code == int(ExitCode.INTERNAL), arguments


def test_firmographics_in_an_intent_export_are_used_for_fit_and_marked(tmp_path: Path) -> None:
    from abmcli.config import Config
    from abmcli.stages.merge import InputSpec, merge_files
    from abmcli.stages.score import score_hub

    merged = merge_files([InputSpec(str(EXAMPLES / EXAMPLE_FILES["intent"]))], Config())
    hub = merged.hub.set_index("domain")
    # webtrekk.com: Bombora's "Large (1,000 - 4,999 Employees)", Computer Software, US
    assert hub.loc["webtrekk.com", "employees"] == 3000
    assert hub.loc["webtrekk.com", "industry"] == "Computer Software"
    assert (hub.loc["webtrekk.com", ["employees_source", "industry_source", "country_source"]]
            == "intent").all()
    assert not hub.loc["webtrekk.com", "has_fit"]
    scored = score_hub(merged.hub, Config(as_of=AS_OF)).hub.set_index("domain")
    assert scored.loc["webtrekk.com", "fit_reasons"].startswith("employees ✓")


def test_fit_and_crm_values_win_over_the_intent_export() -> None:
    from abmcli.config import Config
    from abmcli.stages.merge import InputSpec, merge_files

    merged = merge_files([InputSpec(str(EXAMPLES / EXAMPLE_FILES["intent"])),
                          InputSpec(str(EXAMPLES / EXAMPLE_FILES["fit"]))], Config())
    both = merged.hub[merged.hub["has_fit"] & merged.hub["has_intent"]]
    assert not both.empty
    assert both["industry_source"].isin(["fit"]).all()


def test_an_ad_hoc_filter_on_a_missing_family_matches_nothing_there(tmp_path: Path) -> None:
    runner = CliRunner()
    hub = tmp_path / "hub.xlsx"
    assert runner.invoke(app, ["merge", str(EXAMPLES / EXAMPLE_FILES["fit"]), "-o", str(hub),
                               "-q"]).exit_code == 0
    done = runner.invoke(app, ["segment", str(hub), "--where",
                               'intent_topics contains "ABM" or employees > 10k',
                               "-o", str(tmp_path / "big.csv"), "-q"])
    assert done.exit_code == 0, done.output
    listed = pd.read_csv(tmp_path / "big.csv")
    assert len(listed) and (listed["employees"] > 10_000).all()
