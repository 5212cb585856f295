"""A workbook abm wrote records its run date and config; later commands use them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.outputs.readback import read_accounts
from abmcli.outputs.workbook_accounts import explain_in_workbook
from abmcli.sections import IcpSettings
from abmcli.xlsx.provenance import settings_for
from abmcli.xlsx.workbook import read_facts, sheet_names

EXAMPLES = Path(__file__).parents[1] / "examples"
CONFIG = EXAMPLES / "abm.toml"


def _tiers(tmp_path: Path) -> Path:
    hub, tiers = tmp_path / "hub.xlsx", tmp_path / "tiers.xlsx"
    runner = CliRunner()
    files = [str(EXAMPLES / name) for name in ("zoominfo_company_export.csv",
                                               "bombora_company_surge.csv")]
    assert runner.invoke(app, ["merge", *files, "--config", str(CONFIG), "-o", str(hub),
                               "-q"]).exit_code == 0
    assert runner.invoke(app, ["tier", str(hub), "--config", str(CONFIG), "--as-of",
                               "2026-11-20", "-o", str(tiers), "-q"]).exit_code == 0
    return tiers


def test_explain_without_flags_agrees_with_the_workbook(tmp_path: Path) -> None:
    tiers = _tiers(tmp_path)
    assert "_abm" not in sheet_names(tiers)  # very hidden, and not a sheet users read
    assert read_facts(tiers)["as_of"] == "2026-11-20"
    chosen = settings_for(tiers, None, None)
    assert chosen.as_of == dt.date(2026, 11, 20)
    assert chosen.used == (f"using the config recorded in tiers.xlsx (made with {CONFIG}) "
                           "and run date 2026-11-20 recorded in tiers.xlsx")
    accounts = read_accounts(tiers).set_index("domain")
    for domain in accounts.index[:8]:
        found = explain_in_workbook(tiers, domain, chosen.config, chosen.as_of)
        row = accounts.loc[domain]
        assert (found.tier, found.tier_reason) == (row["tier"], row["tier_reason"])
        assert found.fit_score == (None if pd.isna(row["fit_score"]) else row["fit_score"])


def test_flags_override_what_the_workbook_recorded(tmp_path: Path) -> None:
    tiers = _tiers(tmp_path)
    other = tmp_path / "other.toml"
    other.write_text("as_of = 2026-12-01\n", encoding="utf-8")
    chosen = settings_for(tiers, other, None)
    assert chosen.as_of == dt.date(2026, 12, 1) and chosen.config.icp == IcpSettings()
    assert chosen.used == (f"using the config {other} (--config) and run date 2026-12-01 "
                           "(the config)")
    dated = settings_for(tiers, None, dt.date(2026, 12, 7))
    assert dated.as_of == dt.date(2026, 12, 7) and dated.config.icp != IcpSettings()
    assert dated.used.endswith("and run date 2026-12-07 (--as-of)")


def test_explain_says_which_settings_it_used(tmp_path: Path) -> None:
    tiers = _tiers(tmp_path)
    domain = read_accounts(tiers)["domain"].iloc[0]
    done = CliRunner().invoke(app, ["explain", str(tiers), domain], terminal_width=200)
    assert done.exit_code == 0
    assert "using the config recorded in tiers.xlsx" in done.output
    assert "as of 2026-11-20" in done.output


def test_a_workbook_without_facts_uses_the_defaults(tmp_path: Path) -> None:
    from abmcli.xlsx.workbook import Sheet, write_workbook

    path = write_workbook(tmp_path / "old.xlsx", [Sheet("Hub", pd.DataFrame({"a": [1]}))])
    chosen = settings_for(path, None, None)
    assert chosen.used.startswith("using the default settings (the workbook records no config)")
