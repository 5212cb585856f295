"""`[[mapping]] file` as a path relative to the config, and a mapping that matches none
of the files a command reads is a warning (inspect, merge, run), never silently unused."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import load_config
from abmcli.run import run_weekly
from abmcli.sources.load import load_source
from abmcli.stages.merge import InputSpec, merge_files

GERMAN = "Firma,Webseite,Mitarbeiter\nMüller GmbH,mueller.de,250\n"
MAPPING = '[[mapping]]\nfile = "{file}"\ncolumns = {{ "Firma" = "name", "Webseite" = "domain" }}\n'
UNUSED = '\n[[mapping]]\nfile = "no_such_export.csv"\ncolumns = { "X" = "domain" }\n'


def _project(tmp_path: Path, file: str, extra: str = "") -> tuple[Path, Path]:
    (tmp_path / "exports").mkdir()
    export = tmp_path / "exports" / "de_accounts.csv"
    export.write_text(GERMAN, encoding="utf-8")
    config = tmp_path / "abm.toml"
    config.write_text(MAPPING.format(file=file) + extra, encoding="utf-8")
    return config, export


@pytest.mark.parametrize("file", ["exports/de_accounts.csv", "exports/de_*.csv",
                                  "./exports/../exports/de_accounts.csv", "de_accounts.csv"])
def test_a_mapping_file_may_be_a_path_relative_to_the_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str) -> None:
    config_path, export = _project(tmp_path, file)
    monkeypatch.chdir(export.parent)  # the command runs elsewhere than the config's folder
    source = load_source("de_accounts.csv", config=load_config(config_path))
    assert "config mapping" in source.layout.how
    assert source.records["domain"].tolist() == ["mueller.de"]


def test_a_path_does_not_match_a_file_of_that_name_in_another_folder(tmp_path: Path) -> None:
    config_path, export = _project(tmp_path, "other/de_accounts.csv")
    assert load_config(config_path).mapping_for(export) is None


def test_a_mapping_matching_no_input_is_a_warning_in_merge_inspect_and_run(
        tmp_path: Path) -> None:
    config_path, export = _project(tmp_path, "exports/de_accounts.csv", UNUSED)
    config = load_config(config_path)
    merged = merge_files([InputSpec(str(export))], config)
    (warning,) = merged.warnings
    assert warning.startswith("[[mapping]] #2 file = 'no_such_export.csv' matches none of "
                              "the files read (de_accounts.csv)")

    result = CliRunner().invoke(app, ["inspect", "--config", str(config_path), str(export)])
    assert result.exit_code == 0, result.output
    assert "[[mapping]] #2 file = 'no_such_export.csv' matches none" in result.output

    with open(config_path, "a", encoding="utf-8") as handle:
        handle.write('\n[inputs]\nfit = "exports/de_*.csv"\n')
    week = run_weekly(config_path, as_of=dt.date(2026, 11, 25)).folder
    summary = json.loads((week / "summary.json").read_text(encoding="utf-8"))
    assert any(w.startswith("[[mapping]] #2 file = 'no_such_export.csv'")
               for w in summary["warnings"])
    assert not any("[[mapping]] #1" in w for w in summary["warnings"])
    assert os.path.isdir(week)
