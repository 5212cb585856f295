"""An [inputs] glob that matches several files reads the newest and says so in one
line, naming the file read and how many were passed over (a stale or misnamed export
in exports/ does not go unseen)."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from abmcli.cli.app import app

EXAMPLES = Path(__file__).parents[1] / "examples"
runner = CliRunner()


def test_a_glob_matching_three_files_names_the_one_read(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    newest = exports / "zoominfo_3.csv"
    newest.write_bytes((EXAMPLES / "zoominfo_company_export.csv").read_bytes())
    for number, stamp in ((1, 1_700_000_000), (2, 1_700_100_000)):
        older = exports / f"zoominfo_{number}.csv"
        older.write_text("Company Name,Website\nOld Co,old.example.org\n")
        os.utime(older, (stamp, stamp))
    config = tmp_path / "abm.toml"
    config.write_text('[inputs]\nfit = "exports/zoominfo*.csv"\n[output]\nfolder = "out"\n')
    result = runner.invoke(app, ["run", "--config", str(config), "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "passed over" in line]
    assert lines == ["fit: 'exports/zoominfo*.csv' matched 3 files; read the newest, "
                     "exports/zoominfo_3.csv, and passed over 2 older files"], result.output
