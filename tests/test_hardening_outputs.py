"""Outputs under failure: every output of a command or none, no link followed, no vendor
rows left in a temporary folder, and a clear line (never a traceback) when the disk is
full, a folder is read-only, a workbook was hand-edited or the run is stopped."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner
from weekly_bundle import make_bundle, pausing_abm

from abmcli.cli.app import app
from abmcli.errors import AbmError
from abmcli.lock import LOCK_NAME, run_lock
from abmcli.xlsx.workbook import Sheet, read_sheet, sheet_names, write_workbook

TESTS = Path(__file__).parent
DATA = TESTS / "data" / "merge"
FILES = sorted(str(p) for p in DATA.glob("*.csv"))
runner = CliRunner()


def abm(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hub")
    result = abm("merge", *FILES, "-o", out / "hub.xlsx", "-q")
    assert result.exit_code == 0, result.output
    result = abm("tier", out / "hub.xlsx", "-o", out / "tiers.xlsx", "-q")
    assert result.exit_code == 0, result.output
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- every output or none ---------------------------------------------------------------


def test_merge_with_an_unwritable_lineage_keeps_the_old_hub(tmp_path):
    (tmp_path / "hub.xlsx").write_bytes(b"last week's hub")
    result = abm("merge", *FILES, "-o", tmp_path / "hub.xlsx", "--lineage",
                 tmp_path / "missing" / "lineage.csv")
    assert result.exit_code == 2, result.output
    assert "lineage.csv" in result.output and "Traceback" not in result.output
    assert (tmp_path / "hub.xlsx").read_bytes() == b"last week's hub"
    assert leftovers(tmp_path) == []


def test_tier_with_an_unwritable_csv_dir_writes_no_tier_workbook(hub, tmp_path):
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    result = abm("tier", hub / "hub.xlsx", "-o", tmp_path / "tiers.xlsx", "--csv-dir",
                 tmp_path / "not-a-folder")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "tiers.xlsx").exists()
    assert leftovers(tmp_path) == []


def test_segments_are_written_all_or_none(hub, tmp_path):
    config = tmp_path / "abm.toml"
    config.write_text('[segments.a]\nwhere = "account_score >= 0"\nformat = "csv"\n'
                      '[segments.b]\nwhere = "account_score >= 0"\nformat = "csv"\n',
                      encoding="utf-8")
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "a.csv").write_text("last week\n", encoding="utf-8")
    (lists / "b.csv").mkdir()  # b cannot be written
    result = abm("segment", hub / "tiers.xlsx", "--config", config, "-o", lists)
    assert result.exit_code == 2, result.output
    assert "b.csv" in result.output
    assert (lists / "a.csv").read_text(encoding="utf-8") == "last week\n"
    assert leftovers(lists) == []


def test_two_segments_writing_one_file_are_refused_by_the_config_check(hub, tmp_path):
    config = tmp_path / "abm.toml"
    config.write_text('[segments."Tier 1"]\nwhere = "account_score >= 0"\n'
                      '[segments.tier_1]\nwhere = "account_score < 50"\n', encoding="utf-8")
    for command in (["segment", hub / "tiers.xlsx", "-o", tmp_path / "lists"],
                    ["run", "--as-of", "2026-11-25"]):
        result = abm(*command, "--config", config)
        assert result.exit_code == 2, result.output
        assert "writes tier_1.csv, as [segments.Tier 1] does" in result.output
    assert not (tmp_path / "lists").exists()


def test_a_group_file_colliding_with_another_segment_is_refused(hub, tmp_path):
    config = tmp_path / "abm.toml"
    config.write_text('[segments.t]\nwhere = "account_score >= 0"\ngroup_by = "tier"\n'
                      '[segments.t_tier_1]\nwhere = "account_score >= 0"\n',
                      encoding="utf-8")
    result = abm("segment", hub / "tiers.xlsx", "--config", config, "-o", tmp_path / "l")
    assert result.exit_code == 2, result.output
    assert "segments t and t_tier_1 both write this file" in result.output
    assert list((tmp_path / "l").iterdir()) == []


# --- links ------------------------------------------------------------------------------


def test_a_lock_file_planted_as_a_link_is_not_followed(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    with pytest.raises(AbmError, match="symbolic link"), run_lock(out):
        pytest.fail("took a lock through a link")
    os.unlink(out / LOCK_NAME)
    os.link(victim, out / LOCK_NAME)
    with pytest.raises(AbmError, match="hard link"), run_lock(out):
        pytest.fail("took a lock on a hard link")
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def test_abm_run_with_a_planted_lock_link_exits_2_and_leaves_the_target(tmp_path):
    config = make_bundle(tmp_path)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "weekly").mkdir()
    (tmp_path / "weekly" / LOCK_NAME).symlink_to(victim)
    result = abm("run", "--config", config, "--as-of", "2026-11-25")
    assert result.exit_code == 2, result.output
    assert victim.read_text(encoding="utf-8") == "keep me\n"


# --- temporary files --------------------------------------------------------------------


def test_xlsxwriter_row_files_are_written_beside_the_output_not_in_the_system_temp(
        tmp_path, monkeypatch):
    import xlsxwriter.worksheet

    folders = []
    real = xlsxwriter.worksheet.tempfile.mkstemp

    def recording(*args, **kwargs):
        folders.append(Path(kwargs["dir"]).parent if kwargs.get("dir") else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsxwriter.worksheet.tempfile, "mkstemp", recording)
    import pandas as pd
    write_workbook(tmp_path / "out.xlsx", [Sheet("Hub", pd.DataFrame({"a": ["x", "y"]}))])
    assert folders and set(folders) == {tmp_path}
    assert leftovers(tmp_path) == []


def test_the_next_write_removes_what_a_killed_writer_left(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    parts = tmp_path / f".hub.xlsx.{dead}-0a1b2c3d.parts"
    parts.mkdir()
    (parts / "tmpabc").write_text("vendor rows", encoding="utf-8")
    (tmp_path / f".hub.xlsx.{dead}-0a1b2c3d.tmp").write_text("half", encoding="utf-8")
    alive = tmp_path / f".hub.xlsx.{os.getpid()}-0a1b2c3d.tmp"
    alive.write_text("mine", encoding="utf-8")
    import pandas as pd
    write_workbook(tmp_path / "hub.xlsx", [Sheet("Hub", pd.DataFrame({"a": [1]}))])
    assert leftovers(tmp_path) == [alive.name]


# --- hand-edited workbooks, folders, full disks -----------------------------------------


@pytest.fixture(scope="module")
def renamed(hub: Path) -> Path:
    """The tier workbook and the hub with account_id renamed by hand."""
    for name in ("tiers.xlsx", "hub.xlsx"):
        sheets = [Sheet(s, read_sheet(hub / name, s).rename(columns={"account_id": "ID"}))
                  for s in sheet_names(hub / name) if s not in ("Summary", "Scores")]
        write_workbook(hub / f"renamed-{name}", sheets)
    return hub


@pytest.mark.parametrize("command", [
    ["explain", "renamed-tiers.xlsx", "acme.com"],
    ["explain", "renamed-hub.xlsx", "acme.com"],
    ["segment", "renamed-tiers.xlsx", "--where", "account_score > 1", "-o", "x.csv"],
    ["diff", "tiers.xlsx", "renamed-tiers.xlsx"],
    ["score", "renamed-hub.xlsx", "-o", "scored.xlsx"],
    ["tier", "renamed-hub.xlsx", "-o", "t.xlsx"],
])
def test_a_workbook_whose_account_id_was_renamed_is_a_clear_error(renamed, command):
    result = abm(*(renamed / part if part.endswith(".xlsx") or part.endswith(".csv")
                   else part for part in command))
    assert result.exit_code == 2, result.output
    assert "account_id" in result.output and "internal error" not in result.output


def test_a_decisions_setting_naming_a_folder_is_a_config_error(tmp_path):
    config = make_bundle(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace(
        'folder = "weekly"', 'folder = "weekly"\ndecisions = "."'), encoding="utf-8")
    result = abm("run", "--config", config, "--as-of", "2026-11-25")
    assert result.exit_code == 2, result.output
    assert "[output] decisions = '.' names a folder" in result.output
    result = abm("merge", *FILES, "-o", tmp_path / "hub.xlsx", "--decisions", tmp_path)
    assert result.exit_code == 2, result.output
    assert "is a folder, not a decisions file" in result.output


def test_an_output_folder_made_read_only_after_a_run_is_a_clear_error(tmp_path, monkeypatch):
    # The lock file of the first run is still writable; the folder is not. (Tests run as
    # root on CI, where chmod does not stop writes, so the refusal is simulated.)
    config = make_bundle(tmp_path)
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.parent == tmp_path / "weekly":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = abm("run", "--config", config, "--as-of", "2026-11-25")
    assert result.exit_code == 2, result.output
    assert "cannot write this week's folder there (Permission denied)" in result.output


FULL_DISK = """
import errno, sys, zipfile
def full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")
zipfile.ZipFile.write = zipfile.ZipFile.writestr = full
from abmcli.cli.app import main
sys.argv = ["abm", *sys.argv[1:]]
main()
"""


def test_a_full_disk_is_one_line_naming_the_output_and_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-c", FULL_DISK, "merge", FILES[0], "-o",
                           str(tmp_path / "hub.xlsx")], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "hub.xlsx: cannot write the workbook (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert leftovers(tmp_path) == []


def test_a_full_standard_output_is_one_line_and_no_traceback():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "abmcli", "inspect", FILES[0]],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# --- stopped runs -----------------------------------------------------------------------


def test_ctrl_c_says_interrupted_and_exits_130(tmp_path, monkeypatch):
    import abmcli.stages.merge

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(abmcli.stages.merge, "merge_files", interrupted)
    result = abm("merge", *FILES, "-o", tmp_path / "hub.xlsx")
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"


def test_a_run_stopped_by_cron_s_timeout_cleans_up_and_says_so(tmp_path):
    """SIGTERM unwinds as Ctrl-C does (the test above), in a real process."""
    config = make_bundle(tmp_path)
    mark = tmp_path / "paused"
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent),
                                          os.environ.get("PYTHONPATH", "")])}
    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen(pausing_abm("writing", mark, "run", "--config", str(config),
                                           "--as-of", "2026-11-25"),
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while not mark.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.strip().endswith("terminated") and "Traceback" not in stderr
    out = tmp_path / "weekly"
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    assert (out / LOCK_NAME).read_text(encoding="utf-8") == ""
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_decisions_file_planted_as_a_link_is_neither_read_nor_replaced(tmp_path):
    victim = tmp_path / "secrets.csv"
    victim.write_text("key_a,key_b,decision\nsecret.com,other.com,accept\n", encoding="utf-8")
    (tmp_path / "decisions.csv").symlink_to(victim)
    result = abm("merge", *FILES, "-o", tmp_path / "hub.xlsx", "--decisions",
                 tmp_path / "decisions.csv")
    assert result.exit_code == 2, result.output
    assert "is a symbolic link" in result.output
    assert (tmp_path / "decisions.csv").is_symlink() and not (tmp_path / "hub.xlsx").exists()
