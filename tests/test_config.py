"""abm.toml: every problem reported at once, each with its line; [inputs], [output], [changes]."""

from __future__ import annotations

from pathlib import Path

import pytest

from abmcli.config import Config, load_config
from abmcli.config_lines import key_lines, where
from abmcli.errors import ConfigError
from abmcli.stages.score import score_model
from abmcli.stages.tier import tier_model

BAD_CONFIG = """\
# Northwind's weekly run
as_of = 2026-11-25
colour = "blue"

[match]
fuzzy_threshold = 120
precedence = ["crm", "fit"]

[inputs]
fit = "exports/zoominfo*.csv"
intnt = "exports/bombora*.csv"

[icp]
industries = ["Software",
              "Financial Services"]
employees = { min = 10_000, max = 200 }

[tiers]
min_fit = 90
tier1_min_fit = 80

[[icp.rules]]
column = "crm_type"
op = "~"
value = "Customer"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "abm.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_together_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD_CONFIG)
    with pytest.raises(ConfigError) as caught:
        load_config(path, checks=(score_model, tier_model))
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 6 problems; fix them and run again:"
    assert lines[1:] == [
        "  line 3: unknown setting 'colour' (known: as_of, mapping, match, intent, engagement, "
        "inputs, output, changes, memory, icp, scoring, tiers, acv, segments, crm_fields, "
        "measure, limits)",
        "  line 6: [match] fuzzy_threshold = 120 must be between 0 and 100",
        "  line 11: [inputs] unknown family 'intnt' (families: fit, intent, relationship, "
        "engagement, crm, opportunities, contacts); did you mean 'intent'?",
        "  line 16: [icp] employees: min 10,000 is above max 200",
        "  line 19: [tiers] needs 0 <= min_fit (90) <= tier1_min_fit (80) <= 100",
        "  line 24: [icp.rules #1] op '~' is not one of == != < <= > >= in contains",
    ]


def test_one_problem_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "[engagement]\nwindow_weeks = \"four\"\n")
    with pytest.raises(ConfigError, match=r"abm.toml line 2: \[engagement\] window_weeks: "
                                          r"'four' is text; it takes a whole number$"):
        load_config(path)


def test_key_lines_knows_sections_arrays_of_tables_and_quoted_keys() -> None:
    text = ('as_of = 2026-11-25\n[[mapping]]\nfile = "a.csv"\n[[mapping]]\nfile = "b.csv"\n'
            '[mapping.columns]\n"Web Address" = "domain"\n[scoring.weights]\nfit = 40\n')
    index = key_lines(text)
    assert index[("as_of",)] == 1
    assert index[("mapping", 1, "file")] == 3
    assert index[("mapping", 2, "file")] == 5
    assert index[("mapping", 2, "columns", "Web Address")] == 7
    assert where(("mapping", 2, "file"), index) == 5
    assert where(("scoring", "weights", "intent"), index) == 8  # not written: its table's


def test_a_problem_with_no_line_in_the_file_is_still_reported() -> None:
    assert where(("icp",), key_lines("as_of = 2026-11-25\n")) is None


def test_inputs_take_a_path_or_a_list_and_paths_are_relative_to_the_config(
        tmp_path: Path) -> None:
    path = _write(tmp_path, '[inputs]\nfit = "exports/zoominfo*.csv"\n'
                            'crm = ["exports/salesforce*.csv", "exports/hubspot*.xlsx"]\n'
                            '[output]\nfolder = "weekly"\n[changes]\nscore_threshold = 5\n')
    config = load_config(path)
    assert config.inputs == {"fit": ["exports/zoominfo*.csv"],
                             "crm": ["exports/salesforce*.csv", "exports/hubspot*.xlsx"]}
    assert config.output_folder() == tmp_path / "weekly"
    assert config.decisions_path(tmp_path / "weekly") == tmp_path / "weekly" / "decisions.csv"
    assert config.changes.score_threshold == 5.0


def test_defaults_without_a_file() -> None:
    config = Config()
    assert config.inputs == {}
    assert config.output.folder == "abm-output"
    assert config.changes.score_threshold == 10.0


def test_a_check_without_a_file_still_raises() -> None:
    with pytest.raises(ConfigError,
                       match="^config: --max-tier1 -1: the Tier 1 cap must be 0 or more$"):
        load_config(None, checks=(lambda c: tier_model(c, {"Tier 1": -1}),))
