"""Config values no stage can use are config errors with their line (exit 2): dates and
durations past what the date arithmetic holds, TOML nested past the parser's recursion,
segments whose files would overwrite each other."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import load_config
from abmcli.errors import ConfigError
from abmcli.run import load_run_config

EXAMPLES = Path(__file__).parents[1] / "examples"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "abm.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "shown"), [
    ("as_of = 9999-12-31\n", 1, "9999-12-31"),
    ("as_of = 0001-01-01\n", 1, "0001-01-01"),
    ("\n[engagement]\nwindow_weeks = 9223372036854775807\n", 3, "window_weeks"),
    ("[tiers]\nrecent_intent_days = 1_000_000_000\n", 2, "recent_intent_days"),
    ("[scoring]\nengagement_decay_days = 1e300\n", 2, "engagement_decay_days"),
])
def test_dates_and_durations_out_of_range_are_config_errors_with_their_line(
        tmp_path, text, line, shown):
    with pytest.raises(ConfigError) as error:
        load_run_config(write(tmp_path, text + '[inputs]\nfit = "x.csv"\n'))
    message = str(error.value)
    assert f"line {line}: " in message and shown in message
    assert "outside the" in message


def test_a_run_date_out_of_range_never_reaches_the_scoring(tmp_path):
    result = CliRunner().invoke(app, ["score", str(tmp_path / "hub.xlsx"), "--config",
                                      str(write(tmp_path, "as_of = 9999-12-31\n"))])
    assert result.exit_code == 2, result.output
    assert "9999-12-31 is outside the dates abm accepts" in result.output


def test_as_of_on_the_command_line_is_checked_too(tmp_path):
    result = CliRunner().invoke(app, ["tier", str(tmp_path / "hub.xlsx"), "--as-of",
                                      "9999-12-31"])
    assert result.exit_code == 2, result.output
    assert "--as-of 9999-12-31 is outside" in result.output


def test_the_accepted_range_loads(tmp_path):
    config = load_config(write(tmp_path, "as_of = 2099-12-31\n[engagement]\n"
                                         "window_weeks = 5214\n"))
    assert config.as_of == dt.date(2099, 12, 31)


@pytest.mark.parametrize(("text", "said"), [
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested hundreds of levels deep"),
    ("[icp]\nemployees = " + "{a = " * 600 + "1" + "}" * 600 + "\n", "nested hundreds"),
    ("[icp]\nemployees = " + "{a = " * 60 + "1" + "}" * 60 + "\n", "line 2: [icp] employees"
     ": arrays or tables nested more than 20 deep"),
    ("[tiers]\nstrategic = " + "[" * 40 + '"a.com"' + "]" * 40 + "\n", "more than 20 deep"),
])
def test_deeply_nested_toml_is_a_config_error(tmp_path, text, said):
    with pytest.raises(ConfigError) as error:
        load_run_config(write(tmp_path, text))
    assert said in str(error.value)


def test_locating_problems_in_a_file_with_long_odd_lines_takes_linear_time(tmp_path):
    import time

    odd = "[[" + " " * 100_000 + "\n[a" + " " * 100_000 + "\n" + " " * 100_000 + "x\n"
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="line 6: as_of: 9999-12-31"):
        load_run_config(write(tmp_path, f'notes = """\n{odd}"""\nas_of = 9999-12-31\n'))
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("key", ["folder", "decisions"])
def test_an_output_path_too_long_to_look_at_is_a_config_error(tmp_path, key):
    """The system refuses names over 255 bytes (ENAMETOOLONG): a setting, not a crash."""
    text = f'[inputs]\nfit = "x.csv"\n[output]\n{key} = "{"not " * 100}x"\n'
    with pytest.raises(ConfigError, match=rf"line 4: \[output\] {key} is no usable path"):
        load_run_config(write(tmp_path, text))
