"""`abm run`, `abm diff` and `abm init` as cron and people use them: exit codes, quiet,
logs, a run killed at any moment, two runs at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner
from weekly_bundle import CONFIG, FILES, cli_app, make_bundle, next_week_exports, pausing_abm

from abmcli.outputs.readback import read_accounts
from abmcli.run import run_weekly
from abmcli.stages.memory import MEMORY_FILE, read_memory
from abmcli.xlsx.workbook import read_sheet

runner = CliRunner()
TESTS = Path(__file__).parent
EXAMPLES = TESTS.parent / "examples"
LAST_WEEK = dt.date(2026, 11, 18)


def _abm(*args: str):
    return runner.invoke(cli_app(), list(args))


def test_run_prints_the_week_the_tiers_and_where_it_wrote(tmp_path: Path) -> None:
    result = _abm("run", "--config", str(make_bundle(tmp_path)), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "2026-W48 (as of 2026-11-25)" in result.stdout
    assert "Tier 1 2 · Tier 2 50" in result.stdout  # named topics only (issue 12)
    assert "no earlier run to compare with" in result.stdout
    assert f"wrote {tmp_path / 'weekly' / '2026-W48'} (latest → 2026-W48)" in result.stdout


def test_quiet_prints_nothing_and_the_log_gets_plain_counts(tmp_path: Path) -> None:
    log = tmp_path / "abm-run.log"
    result = _abm("run", "--config", str(make_bundle(tmp_path)), "--as-of", "2026-11-25",
                  "--quiet", "--log-file", str(log))
    assert result.exit_code == 0
    assert result.stdout == ""
    text = log.read_text(encoding="utf-8")
    assert "\x1b" not in text  # no colour codes
    assert "reading exports/zoominfo_company_export.csv" in text
    assert "input crm exports/salesforce_account_report.csv: 232 rows, sha256 " in text
    assert "finished ok (exit 0)" in text
    names = read_accounts(tmp_path / "weekly" / "latest" / "tiers.xlsx")["account_name"]
    assert not [name for name in names.dropna() if len(name) > 4 and name in text]


def test_a_missing_source_exits_1_and_says_so_even_when_quiet(tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    (tmp_path / "exports" / FILES["crm"]).unlink()
    log = tmp_path / "run.log"
    result = _abm("run", "--config", str(config), "--as-of", "2026-11-25", "--quiet",
                  "--log-file", str(log))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "crm input exports/salesforce*.csv:" in result.stderr
    assert "no file matches this pattern" in result.stderr
    assert "partial run: 1 input(s) failed" in result.stderr
    assert "finished partial (exit 1)" in log.read_text(encoding="utf-8")
    hub = read_sheet(tmp_path / "weekly" / "latest" / "hub.xlsx", "Hub")
    assert hub["has_fit"].any() and not hub["has_crm"].any()


def test_config_errors_exit_2_with_every_problem_and_its_line(tmp_path: Path) -> None:
    config = make_bundle(tmp_path, '[inputs]\nfit = "exports/zoominfo*.csv"\ncolour = 1\n'
                                   '[segments.bad]\nwhere = "tier =="\n')
    result = _abm("run", "--config", str(config))
    assert result.exit_code == 2
    assert "line 3: [inputs] unknown family 'colour'" in result.stderr
    assert "line 5: [segments.bad] where:" in result.stderr


def test_a_missing_config_says_to_run_init(tmp_path: Path) -> None:
    result = _abm("run", "--config", str(tmp_path / "abm.toml"))
    assert result.exit_code == 2
    assert "config file not found. Create one with 'abm init'" in result.stderr


def test_init_then_run_on_the_bundled_examples(tmp_path: Path) -> None:
    folder = tmp_path / "northwind"
    result = _abm("init", str(folder))
    assert result.exit_code == 0, result.output
    assert f"abm run --config {folder / 'abm.toml'}" in result.stdout
    for name in FILES.values():
        shutil.copy(EXAMPLES / name, folder / "exports" / name)
    ran = _abm("run", "--config", str(folder / "abm.toml"), "--as-of", "2026-11-25")
    assert ran.exit_code == 0, ran.output
    summary = json.loads((folder / "abm-output" / "latest" / "summary.json").read_text())
    assert len(summary["inputs"]) == 5
    assert (folder / "abm-output" / "latest" / "segments" / "tier1_and_2.csv").is_file()
    again = _abm("init", str(folder))
    assert again.exit_code == 2
    assert "already exists and was left as it is" in again.stderr


def test_diff_shows_the_changes_between_two_runs(tmp_path: Path) -> None:
    # memory off: the account the ZoomInfo export leaves is dropped at once
    config = make_bundle(tmp_path, CONFIG + "\n[memory]\ncarry_forward_weeks = 0\n")
    run_weekly(config, as_of=LAST_WEEK)
    next_week_exports(tmp_path)
    run_weekly(config, as_of=dt.date(2026, 11, 25))
    old, new = (str(tmp_path / "weekly" / week / "tiers.xlsx") for week in ("2026-W47",
                                                                           "2026-W48"))
    result = _abm("diff", old, new)
    assert result.exit_code == 0, result.output
    assert "1 new account, 1 dropped account" in result.stdout
    assert "nordwind-logistik.de" in result.stdout
    as_json = json.loads(_abm("diff", old, new, "--json").stdout)
    assert as_json["counts"]["dropped account"] == 1
    assert as_json["accounts"]["dropped account"][0]["domain"] == "tidemark.com"


# --- killed runs and overlapping runs, with a real second process ---------------------


def _start(config: Path, as_of: str, pause_at: str, mark: Path) -> subprocess.Popen:
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        pausing_abm(pause_at, mark, "run", "--config", str(config), "--as-of", as_of,
                    "--quiet"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(mark: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not mark.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached its pause point"
        time.sleep(0.02)


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("pause_at", ["writing", "publishing", "moved-aside"])
def test_a_run_killed_at_any_moment_leaves_latest_and_earlier_weeks_intact(
        tmp_path: Path, pause_at: str) -> None:
    config = make_bundle(tmp_path)
    out = tmp_path / "weekly"
    run_weekly(config, as_of=LAST_WEEK)
    if pause_at == "moved-aside":  # a rerun of this week: its folder is moved aside
        run_weekly(config, as_of=dt.date(2026, 11, 25))
    before = {week.name: _fingerprint(week) for week in out.glob("2026-W*")}
    next_week_exports(tmp_path)
    mark = tmp_path / "paused"
    killed = _start(config, "2026-11-25", pause_at, mark)
    _wait_for(mark, killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert [p for p in out.iterdir() if p.name.startswith(".2026-W48.tmp-")]  # mid-run
    # latest names a complete run, and the week before is untouched
    assert json.loads((out / "latest" / "summary.json").read_text())["status"] == "ok"
    assert len(read_accounts(out / "latest" / "tiers.xlsx")) > 0
    assert _fingerprint(out / "2026-W47") == before["2026-W47"]
    # the memory beside decisions.csv is the complete one of the run latest names
    assert not read_memory(out / MEMORY_FILE, follow_link=True).records.empty
    assert (out / MEMORY_FILE).resolve() == (out / "latest" / MEMORY_FILE).resolve()
    # the next run clears what the killed one left and publishes normally
    mark.unlink()
    result = run_weekly(config, as_of=dt.date(2026, 11, 25))
    assert os.readlink(out / "latest") == "2026-W48"
    assert result.changes.counts()["new account"] == 1
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_two_overlapping_runs_one_proceeds_one_exits_3(tmp_path: Path) -> None:
    config = make_bundle(tmp_path)
    mark = tmp_path / "paused"
    first = _start(config, "2026-11-25", "writing", mark)
    _wait_for(mark, first)
    second = _abm("run", "--config", str(config), "--as-of", "2026-11-25")
    assert second.exit_code == 3
    assert f"another abm run is writing to this folder (pid {first.pid} on" in second.stderr
    mark.unlink()  # let the first run go on
    assert first.wait(timeout=60) == 0, first.communicate()
    assert os.readlink(tmp_path / "weekly" / "latest") == "2026-W48"
