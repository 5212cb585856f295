"""The README says only what is true: its commands exist, its config parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import load_config
from abmcli.stages.score import score_model
from abmcli.stages.tier import tier_model

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(command.name or "" for command in app.registered_commands)
runner = CliRunner()


def test_readme_opens_with_the_demo_and_test_commands():
    opening = README.split("```")[1]
    assert "make demo" in opening
    assert "make test" in opening


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_and_its_help_has_an_example(command: str):
    assert f"`abm {command}" in README
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: abm " + command in result.output


def test_the_readme_config_is_a_valid_config(tmp_path: Path):
    block = re.search(r"```toml\n(.*?)```", README, re.S)
    assert block is not None
    path = tmp_path / "abm.toml"
    path.write_text(block.group(1), encoding="utf-8")
    config = load_config(path)
    assert config.match.fuzzy_threshold == 92
    assert score_model(config).scoring.weights["fit"] == 40
    assert tier_model(config).tiers.max_tier1 == 100


def test_the_example_config_is_valid():
    config = load_config(ROOT / "examples" / "abm.toml")
    score_model(config)
    tier_model(config)
