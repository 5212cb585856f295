"""Messages a new user meets: each names what the file is and what to do."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.cli.merge import files_table
from abmcli.config import load_config
from abmcli.errors import ConfigError, InputFileError
from abmcli.sources.read import read_table
from abmcli.stages.merge import FileSummary, MergeResult

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.mark.parametrize("name", ["companies.json", "companies.txt"])
def test_a_json_file_is_called_json(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('[{"Company Name": "Acme", "Website": "acme.com"},\n'
                    ' {"Company Name": "Beta", "Website": "beta.com"}]\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="is JSON, not a table. export the data from "
                                             "the tool as CSV or .xlsx"):
        read_table(path)


def test_a_csv_whose_first_cell_has_a_bracket_is_still_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("[Company],Website\nAcme,acme.com\n", encoding="utf-8")
    assert read_table(path).header == ["[Company]", "Website"]


def test_a_numbers_document_says_how_to_export_from_numbers(tmp_path: Path) -> None:
    path = tmp_path / "accounts.numbers"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00" * 64)
    with pytest.raises(InputFileError, match="it is an Apple Numbers document. in Numbers, "
                                             "choose File > Export To > CSV"):
        read_table(path)
    package = tmp_path / "package.numbers"  # saved as a macOS package (a folder)
    package.mkdir()
    with pytest.raises(InputFileError, match="Apple Numbers document"):
        read_table(package)


def test_a_config_folder_is_not_called_missing(tmp_path: Path) -> None:
    (tmp_path / "abm.toml").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"is a folder, not a config file; give the file: "
                                          f"--config {tmp_path / 'abm.toml'}"):
        load_config(tmp_path)


def test_a_hub_named_csv_is_refused_before_any_work(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["merge", str(EXAMPLES / "zoominfo_company_export.csv"),
                                    "-o", str(tmp_path / "hub.csv")])
    assert done.exit_code == 2
    assert "needs the suffix .xlsx; write -o" in done.output
    assert not (tmp_path / "hub.csv").exists()


def test_a_family_that_contradicts_the_layout_is_warned_about(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["merge", "--crm", str(EXAMPLES / "bombora_company_surge.csv"),
                                    "-o", str(tmp_path / "hub.xlsx"), "-q"])
    assert done.exit_code == 0
    assert ("looks like a Bombora Company Surge (intent) but was given as crm; read as crm. "
            "If it is intent data, give it with --intent") in " ".join(done.output.split())


def test_the_contradiction_warning_reads_an_before_a_vowel(tmp_path: Path) -> None:
    """"looks like a Apollo accounts export": the article was always "a"."""
    export = tmp_path / "apollo.csv"
    export.write_text("Company,Company Name for Emails,# Employees,Website,Apollo Account Id\n"
                      "Acme,Acme,50,acme.com,5f1\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["merge", "--crm", str(export),
                                    "-o", str(tmp_path / "hub.xlsx"), "-q"])
    assert done.exit_code == 0, done.output
    assert "looks like an Apollo accounts export (fit)" in " ".join(done.output.split())


def test_counts_are_never_cut_in_a_narrow_terminal() -> None:
    counts = {"domain": 1_234_560, "name": 7, "fuzzy": 0, "decision": 0, "rejected": 98_765}
    files = [FileSummary(f"very_long_vendor_export_name_{i}_2026-11-25.csv", "engagement",
                         "Demandbase engagement export", 1_333_332, counts, []) for i in range(2)]
    result = MergeResult.__new__(MergeResult)
    result.files = files
    out = io.StringIO()
    Console(file=out, width=80).print(files_table(result))
    text = out.getvalue()
    for shown in ("1,333,332", "1,234,560", "98,765"):
        assert text.count(shown) == 2
    assert max(map(len, text.splitlines())) <= 80


def test_help_names_what_options_take_in_words() -> None:
    for command in ("inspect", "merge", "explain", "segment"):
        text = CliRunner().invoke(app, [command, "--help"], terminal_width=100).output
        assert "list[" not in text and "<str>" not in text, command
    merge_help = CliRunner().invoke(app, ["merge", "--help"], terminal_width=100).output
    assert "An intent export" in merge_help and "An engagement export" in merge_help


@pytest.mark.parametrize(("written", "value"), [
    ("10k", 10_000.0), ("10K", 10_000.0), ("1.5M", 1_500_000.0), ("2.5B", 2.5e9),
    ("2.5bn", 2.5e9), ("10_000", 10_000.0), ("-3", -3.0),
])
def test_filters_read_numbers_as_people_write_them(written: str, value: float) -> None:
    from abmcli.stages.expr import Compare, parse_filter

    assert parse_filter(f"employees > {written}", ["employees"]).root == Compare(
        "employees", ">", value)


def test_a_number_with_other_letters_points_at_the_letter() -> None:
    from abmcli.errors import ExpressionError
    from abmcli.stages.expr import parse_filter

    with pytest.raises(ExpressionError, match=r"^at character 15: '10x' is not a number; "
                                              r"write digits with an optional k"):
        parse_filter("employees > 10x", ["employees"])


def test_workbooks_hold_numbers_and_dates_not_text(tmp_path: Path) -> None:
    import datetime as dt

    from python_calamine import CalamineWorkbook

    hub, tiers = tmp_path / "hub.xlsx", tmp_path / "tiers.xlsx"
    runner = CliRunner()
    assert runner.invoke(app, ["merge", str(EXAMPLES / "zoominfo_company_export.csv"),
                               "-o", str(hub), "-q"]).exit_code == 0
    assert runner.invoke(app, ["tier", str(hub), "-o", str(tiers), "--max-tier1", "5",
                               "--as-of", "2026-11-25", "-q"]).exit_code == 0
    rows = CalamineWorkbook.from_path(str(hub)).get_sheet_by_name("Hub").to_python()
    years = [row[rows[0].index("founded_year")] for row in rows[1:]]
    assert {type(year) for year in years} <= {float, str} and 2016.0 in years
    assert all(year == "" for year in years if isinstance(year, str))
    summary = CalamineWorkbook.from_path(str(tiers)).get_sheet_by_name("Summary").to_python()
    cells = {row[0]: [v for v in row[1:] if v != ""] for row in summary if row and row[0]}
    assert cells["Run date (signals aged against)"] == [dt.date(2026, 11, 25)]
    assert cells["Tier 1"][-1] == 5.0  # the cap, a number


def test_a_bad_number_with_underscores_points_past_the_digits() -> None:
    from abmcli.errors import ExpressionError
    from abmcli.stages.expr import parse_filter

    with pytest.raises(ExpressionError, match=r"^at character 19: '10_000x' is not a number"):
        parse_filter("employees > 10_000x", ["employees"])


@pytest.mark.parametrize(("given", "why"), [
    ("2026-02-30", "day is out of range for month"),
    ("2026-13-01", "month must be in 1..12"),
    ("25/11/2026", "write it as YYYY-MM-DD"),
])
def test_an_as_of_that_is_no_date_says_why(tmp_path: Path, given: str, why: str) -> None:
    result = CliRunner().invoke(app, ["score", str(tmp_path / "hub.xlsx"), "--as-of", given],
                                terminal_width=200)
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # unwrap click's error box
    assert f"'{given}' is not a date" in said and why in said
