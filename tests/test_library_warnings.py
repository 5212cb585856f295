"""Warnings the library logs (not results, not errors) reach the person running abm: on
stderr, and in `abm run`'s log file, where `--quiet` keeps them off the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner
from weekly_bundle import cli_app, make_bundle

from abmcli.cli.app import app
from abmcli.xlsx import workbook

EXAMPLES = Path(__file__).parents[1] / "examples"
runner = CliRunner()
SLOW = "warning: writing workbook rows cell by cell (slower): xlsxwriter 9.0.0 is not a version"


@pytest.fixture
def untested_xlsxwriter(monkeypatch: pytest.MonkeyPatch) -> None:
    """An xlsxwriter release the fast row writer was not checked against."""
    monkeypatch.setattr(xlsxwriter, "__version__", "9.0.0")
    monkeypatch.setattr(workbook, "_SLOW_ROWS_WARNED", set())


def test_merge_says_once_that_rows_are_written_cell_by_cell(
    tmp_path: Path, untested_xlsxwriter: None
) -> None:
    result = runner.invoke(app, ["merge", str(EXAMPLES / "zoominfo_company_export.csv"),
                                 "-o", str(tmp_path / "hub.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count(SLOW) == 1
    assert (tmp_path / "hub.xlsx").exists()


def test_a_quiet_run_logs_the_warning_and_prints_nothing(
    tmp_path: Path, untested_xlsxwriter: None
) -> None:
    log = tmp_path / "abm-run.log"
    result = runner.invoke(cli_app(), ["run", "--config", str(make_bundle(tmp_path)),
                                       "--as-of", "2026-11-25", "--quiet", "--log-file",
                                       str(log)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert log.read_text(encoding="utf-8").count(SLOW) == 1
