"""No command writes over one of its own inputs: an output (-o, --lineage, --decisions,
--log-file, [output] decisions) that is an input file, however it is spelled (a
symlink, a relative path), is refused in one line with exit 2 and the input is kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app

EXAMPLES = Path(__file__).parents[1] / "examples"
FIT = EXAMPLES / "zoominfo_company_export.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("kept")
    shutil.copy(FIT, here / "fit.csv")
    os.symlink(here / "fit.csv", here / "link.csv")
    (here / "sub").mkdir()
    result = runner.invoke(app, ["merge", str(here / "fit.csv"), "-o", str(here / "hub.xlsx"),
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["tier", str(here / "hub.xlsx"), "-o",
                                 str(here / "tiers.xlsx"), "--quiet"])
    assert result.exit_code == 0, result.output
    return here


def _commands(here: Path) -> dict[str, list[str]]:
    fit, hub, tiers = str(here / "fit.csv"), str(here / "hub.xlsx"), str(here / "tiers.xlsx")
    return {
        "merge -o the input": ["merge", hub, "-o", hub],
        "merge --lineage the input": ["merge", fit, "-o", str(here / "h.xlsx"),
                                      "--lineage", fit],
        "merge --lineage a symlink to it": ["merge", fit, "-o", str(here / "h.xlsx"),
                                            "--lineage", str(here / "link.csv")],
        "merge --decisions a relative path": ["merge", fit, "-o", str(here / "h.xlsx"),
                                              "--decisions", str(here / "sub" / ".." / "fit.csv")],
        "tier -o the hub": ["tier", hub, "-o", hub],
        "segment -o its --previous": ["segment", tiers, "--where", "fit >= 0", "--format", "xlsx",
                                      "--previous", hub, "-o", hub],
        "segment -o the workbook": ["segment", tiers, "--where", "fit >= 0", "--format", "xlsx",
                                    "-o", tiers],
        "measure -o the workbook": ["measure", tiers, "-o", tiers],
    }


@pytest.mark.parametrize("name", list(_commands(Path("."))))
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(folder: Path,
                                                                 name: str) -> None:
    before = {path: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    result = runner.invoke(app, _commands(folder)[name])
    assert result.exit_code == 2, result.output
    assert "is also an input" in result.output
    assert len(result.output.strip().splitlines()) <= 3  # one message, wrapped at most
    after = {path: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    assert after == before


def test_the_weekly_runs_log_and_decisions_are_never_its_inputs(tmp_path: Path) -> None:
    shutil.copy(FIT, tmp_path / "fit.csv")
    config = tmp_path / "abm.toml"
    config.write_text('[inputs]\nfit = "fit.csv"\n[output]\nfolder = "out"\n')
    kept = config.read_bytes()
    result = runner.invoke(app, ["run", "--config", str(config), "--log-file", str(config)])
    assert result.exit_code == 2 and "is also an input" in result.output, result.output
    assert config.read_bytes() == kept
    config.write_text('[inputs]\nfit = "fit.csv"\n[output]\nfolder = "out"\n'
                      'decisions = "fit.csv"\n')
    fit = (tmp_path / "fit.csv").read_bytes()
    result = runner.invoke(app, ["run", "--config", str(config), "--quiet"])
    assert result.exit_code == 2 and "is also an input" in result.output, result.output
    assert (tmp_path / "fit.csv").read_bytes() == fit
