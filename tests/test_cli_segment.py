"""`abm segment` through the command line: config segments, --only, --previous alerts,
ad hoc lists, the printed table, and errors as one line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from abmcli.cli.app import AbmGroup
from abmcli.cli.segment import segment
from abmcli.xlsx.workbook import Sheet, write_workbook

CONFIG = """
as_of = 2026-11-25

[segments.linkedin_tiers]
where = 'tier in ["Tier 1", "Tier 2"]'
format = "linkedin"

[segments.sdr_alert]
description = "Tier 1 spikes per owner"
where = 'tier == "Tier 1" and engagement_spike'
format = "csv"
columns = ["account_name", "crm_owner"]
alert = true
"""

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    """`abm` with only the segment command, rendering errors as abm does."""
    local = typer.Typer(cls=AbmGroup, add_completion=False)
    local.command("segment")(segment)

    @local.callback()
    def root() -> None:
        """abm"""

    return local


def tier_workbook(path: Path, spikes: list[bool]) -> Path:
    accounts = pd.DataFrame({
        "account_id": ["ACC-0000000001", "ACC-0000000002", "ACC-0000000003"],
        "account_name": ["Snowflake Inc.", "Zendesk, Inc.", "Gong.io Ltd"],
        "domain": ["snowflake.com", "zendesk.com", "gong.io"],
        "tier": ["Tier 1", "Tier 1", "Tier 2"],
        "account_score": [81.5, 77.0, 60.0],
        "engagement_spike": spikes,
        "crm_owner": ["Maria Gonzalez", "James O'Connor", "Maria Gonzalez"],
        "country": ["United States", "United States", "Israel"],
    })
    sheets = [Sheet(tier, accounts[accounts["tier"] == tier]) for tier in ("Tier 1", "Tier 2")]
    return write_workbook(path, sheets)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "abm.toml").write_text(CONFIG, encoding="utf-8")
    return {
        "config": tmp_path / "abm.toml",
        "tiers": tier_workbook(tmp_path / "tiers.xlsx", [True, True, False]),
        "last_week": tier_workbook(tmp_path / "last_week.xlsx", [True, False, False]),
        "out": tmp_path / "lists",
    }


def test_writes_every_segment_of_the_config_and_prints_a_table(app, files):
    result = runner.invoke(app, ["segment", str(files["tiers"]), "--config",
                                 str(files["config"]), "-o", str(files["out"])])
    assert result.exit_code == 0, result.output
    assert "2 lists from 3 accounts" in result.output
    assert "linkedin_tiers" in result.output and "sdr_alert" in result.output
    assert sorted(p.name for p in files["out"].iterdir()) == [
        "linkedin_tiers.csv", "sdr_alert_james_o_connor.csv", "sdr_alert_maria_gonzalez.csv"]
    assert "LinkedIn needs at least 300" in result.output  # the warning reaches the user


def test_previous_keeps_only_accounts_new_to_the_alert(app, files):
    result = runner.invoke(app, ["segment", str(files["tiers"]), "-c", str(files["config"]),
                                 "-o", str(files["out"]), "--only", "SDR_alert",
                                 "--previous", str(files["last_week"])])
    assert result.exit_code == 0, result.output
    assert [p.name for p in files["out"].iterdir()] == ["sdr_alert_james_o_connor.csv"]
    assert (files["out"] / "sdr_alert_james_o_connor.csv").read_text() == (
        "account_name,crm_owner\n\"Zendesk, Inc.\",James O'Connor\n")


def test_an_adhoc_list_needs_no_config(app, files, tmp_path):
    target = tmp_path / "israel.csv"
    result = runner.invoke(app, ["segment", str(files["tiers"]), "--where",
                                 'country == "Israel"', "--format", "6sense", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text() == "Account Name,Country,Domain\nGong.io Ltd,Israel,gong.io\n"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--where", "tier === 'Tier 1'"], "at character 8: expected a value after '=='"),
    (["--where", "teir == 'Tier 1'"], "did you mean 'tier'"),
    (["--where", "tier == 'Tier 1'", "--format", "pdf"], "format 'pdf' is not one of"),
    (["--only", "ads"], "no segment named ads in the config (segments: linkedin_tiers"),
])
def test_errors_are_one_line_with_exit_code_2(app, files, arguments, message):
    result = runner.invoke(app, ["segment", str(files["tiers"]), "-c", str(files["config"]),
                                 "-o", str(files["out"] / "x.csv"), *arguments])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_config_without_segments_says_how_to_get_a_list(app, files, tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("as_of = 2026-11-25\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(files["tiers"]), "-c", str(empty),
                                 "-o", str(files["out"])])
    assert result.exit_code == 2
    assert "has no [segments.*]" in result.output


def test_help_has_an_example(app):
    result = runner.invoke(app, ["segment", "--help"])
    assert result.exit_code == 0
    assert "Example: abm segment" in result.output
