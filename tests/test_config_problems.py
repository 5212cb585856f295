"""Config problems are records (path, message, line), reported together with their line
and a "did you mean" by every command that takes --config, before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.config import ConfigProblems, Problem, load_config
from abmcli.config_checks import CONFIG_CHECKS
from abmcli.config_lines import key_lines, where

EXAMPLES = Path(__file__).parents[1] / "examples"

# Three problems in three sections: a misspelt key, a filter holding "; [" (which the
# old text-splitting read as two problems), and a wrong type.
BAD = """\
[tiers]
min_fitt = 70

[segments."Tier 1 ads"]
where = 'tier == "Tier 1"; [oops'

[measure]
min_deals = "five"
"""


def _write(tmp_path: Path, text: str = BAD) -> Path:
    path = tmp_path / "abm.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_are_records_with_their_key_path_and_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigProblems) as caught:
        load_config(_write(tmp_path), CONFIG_CHECKS)
    problems = caught.value.problems
    assert [(p.path, p.line) for p in problems] == [
        (("tiers", "min_fitt"), 2),
        (("segments", "Tier 1 ads", "where"), 5),
        (("measure", "min_deals"), 8),
    ]
    assert problems[0].message == ("[tiers] unknown setting 'min_fitt' (known: customers, "
                                   "max_tier1, max_tier2, max_tier3, min_fit, "
                                   "recent_engagement_days, recent_intent_days, strategic, "
                                   "tier1_min_fit); did you mean 'min_fit'?")
    assert problems[1].message.startswith("[segments.Tier 1 ads] where: ")
    assert "; [oops" in problems[1].message  # one problem, not split at "; ["
    assert problems[2].message == ("[measure] min_deals: 'five' is text; it takes a whole "
                                   "number")


def test_a_filter_holding_a_semicolon_and_bracket_is_one_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "[segments.t1]\nwhere = 'tier == \"Tier 1\"; [oops'\n")
    with pytest.raises(ConfigProblems) as caught:
        load_config(path, CONFIG_CHECKS)
    assert len(caught.value.problems) == 1
    assert str(caught.value).startswith(f"{path} line 2: [segments.t1] where: ")


def _commands(config: str, tmp_path: Path) -> dict[str, list[str]]:
    """Each command that takes --config, with inputs it would otherwise work on."""
    hub, tiers = str(tmp_path / "hub.xlsx"), str(tmp_path / "tiers.xlsx")
    csv = str(EXAMPLES / "salesforce_account_report.csv")
    return {
        "inspect": ["inspect", csv, "--config", config],
        "merge": ["merge", csv, "--config", config, "-o", hub],
        "score": ["score", hub, "--config", config],
        "tier": ["tier", hub, "--config", config, "-o", tiers],
        "explain": ["explain", tiers, "acme.com", "--config", config],
        "segment": ["segment", tiers, "--config", config, "-o", str(tmp_path / "lists")],
        "measure": ["measure", tiers, "--config", config, "--opportunities",
                    str(EXAMPLES / "measure" / "salesforce_opportunity_report.csv"),
                    "-o", str(tmp_path / "card.xlsx")],
        "diff": ["diff", tiers, tiers, "--config", config],
        "run": ["run", "--config", config],
    }


@pytest.mark.parametrize("command", ["inspect", "merge", "score", "tier", "explain",
                                     "segment", "measure", "diff", "run"])
def test_every_command_reports_every_problem_with_its_line_before_any_work(
        tmp_path: Path, command: str) -> None:
    config = str(_write(tmp_path))
    result = CliRunner().invoke(app, _commands(config, tmp_path)[command])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())  # the terminal wraps long lines
    assert f"{config}: " in said and " problems; fix them and run again:" in said
    assert "line 2: [tiers] unknown setting 'min_fitt'" in said
    assert "did you mean 'min_fit'?" in said
    assert "line 5: [segments.Tier 1 ads] where:" in said
    assert "line 8: [measure] min_deals: 'five' is text; it takes a whole number" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abm.toml"]  # nothing written


def test_key_lines_reads_dotted_quoted_and_nested_array_keys() -> None:
    text = ('[segments."Tier 1 ads"]\nwhere = "x"\nscoring.weights.fit = 40\n'
            'notes = """\nfake = 1\n[not_a_header]\n"""\n[[acv.bands]]\nacv = 1\n'
            '[[acv.bands]]\n  acv = 2\n[ measure . personas . champion ]\n"function" = []\n')
    index = key_lines(text)
    assert index[("segments", "Tier 1 ads")] == 1
    assert index[("segments", "Tier 1 ads", "where")] == 2
    assert index[("segments", "Tier 1 ads", "scoring", "weights", "fit")] == 3
    assert ("segments", "Tier 1 ads", "fake") not in index  # inside a multi-line string
    assert ("not_a_header",) not in index
    assert index[("acv", "bands", 2, "acv")] == 11
    assert index[("measure", "personas", "champion", "function")] == 13
    assert where(("acv", "bands", 1, "revenue_min"), index) == 8  # its table's line


def test_a_key_not_in_the_file_is_placed_at_its_table_else_last(tmp_path: Path) -> None:
    from abmcli.stages.tier import tier_model

    path = _write(tmp_path, "[tiers]\nmin_fit = 90\ntier1_min_fit = 80\n")
    config = load_config(path)
    with pytest.raises(ConfigProblems) as caught:
        tier_model(config, {"Tier 2": -1})  # --max-tier2 -1: its [tiers] table's line
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "--max-tier2 -1: the Tier 2 cap must be 0 or more"),
        (2, "[tiers] needs 0 <= min_fit (90) <= tier1_min_fit (80) <= 100"),
    ]
    with pytest.raises(ConfigProblems) as caught:
        tier_model(load_config(None), {"Tier 2": -1})
    assert [p.line for p in caught.value.problems] == [None]
    assert config.tiers.max_tier2 is None  # the flag changed the model, not the config


def test_a_problem_record_is_plain_data() -> None:
    problem = Problem(("tiers", "min_fit"), "[tiers] min_fit ...")
    assert problem.line is None and problem == Problem(("tiers", "min_fit"), "[tiers] min_fit ...")


def test_icp_rules_are_typed_tables_with_did_you_mean_and_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, '[icp]\nindustries = ["Software"]\n\n[[icp.rules]]\ncolumn = "crm_type"'
                            '\nop = "!="\nvalue = "Partner"\n\n[[icp.rules]]\ncolum = "crm_type"\n'
                            'value = "Partner"\nweight = "high"\n')
    with pytest.raises(ConfigProblems) as caught:
        load_config(path, CONFIG_CHECKS)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (9, "[icp.rules #2] needs column = \"hub column\" and value = ..."),
        (10, "[icp.rules #2] unknown setting 'colum' (known: column, label, op, value, "
             "weight); did you mean 'column'?"),
        (12, "[icp.rules #2] weight: 'high' is text; it takes a number"),
    ]


@pytest.mark.parametrize(("text", "said"), [
    ("[icp.weights]\nindustri = 5\n", "line 2: [icp.weights] unknown rule 'industri'"),
    ("[scoring.weights]\nintnet = 5\n", "line 2: [scoring.weights] unknown family intnet"),
    ("[crm_fields]\nsalesforce = { tierr = \"ABM_Tier__c\" }\n",
     "line 2: [crm_fields] salesforce: 'tierr' is not a hub column"),
    ("[inputs]\nfitt = \"x.csv\"\n", "line 2: [inputs] unknown family 'fitt'"),
    ("colour = 1\n[matchh]\n", "line 2: unknown setting 'matchh'"),
])
def test_unknown_names_get_a_did_you_mean(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(ConfigProblems) as caught:
        load_config(_write(tmp_path, text), CONFIG_CHECKS)
    message = str(caught.value)
    assert said in message and "did you mean '" in message


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ConfigProblems) as caught:
        load_config(_write(tmp_path, text), CONFIG_CHECKS)
    return [(p.line, p.message) for p in caught.value.problems]


def test_each_problem_is_on_the_line_of_the_key_it_is_about(tmp_path: Path) -> None:
    found = _problems(tmp_path, "[tiers]\nmin_fit = 60\ntier1_min_fit = 800\n\n"
                      "[scoring.weights]\nfit = 40\nintent = -30\n\n"
                      "[segmnets.x]\nwhere = \"tier\"\n")
    assert [line for line, _ in found] == [3, 7, 9]
    assert found[1][1].startswith("[scoring.weights] intent = -30")
    assert "did you mean 'segments'" in found[2][1]


def test_a_wrong_value_in_a_table_names_the_item_and_what_it_takes(tmp_path: Path) -> None:
    found = _problems(tmp_path, "[icp]\nemployees = { min = \"200\", maxx = 5 }\n"
                      "countries = \"Germany\"\n\n[segments.b]\nwhere = 42\n\n"
                      "[scoring.weights]\nfit = 40\nintent = \"thirty\"\nsocial = 10\n\n"
                      "[tiers]\nmax_tier1 = -3\n")
    assert found == [
        (2, "[icp] employees.min: '200' is text; it takes a number"),
        (2, "[icp] employees.maxx: unknown key (known: min, max); did you mean 'max'?"),
        (3, "[icp] countries: 'Germany' is text; it takes a list of texts, "
            "such as [\"a\", \"b\"]"),
        (6, "[segments.b] where: 42 is a number; it takes a text in quotes"),
        (10, "[scoring] weights.intent: 'thirty' is text; it takes a number"),
        (11, "[scoring.weights] unknown family social (known: fit, intent, relationship, "
             "engagement)"),
        (14, "[tiers] max_tier1 = -3: the Tier 1 cap must be 0 or more"),
    ]


def test_a_filter_gives_its_value_problem_and_its_unknown_columns_at_once(
        tmp_path: Path) -> None:
    found = _problems(tmp_path, "[segments.x]\nwhere = 'teir == \"Tier 1\" and employes > "
                      "10x'\nformat = \"csv\"\n")
    assert [line for line, _ in found] == [2, 2, 2]
    assert ["'10x' is not a number" in found[0][1], "unknown column 'teir'" in found[1][1],
            "unknown column 'employes'" in found[2][1]] == [True, True, True]
