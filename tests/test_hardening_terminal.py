"""Vendor text on the terminal: shown as written, never as codes. ESC sequences (OSC 52
writes the clipboard, CSI 2J clears the screen), bidi overrides, `:x:` emoji codes and
rich markup in company names, headers and domains reach no command's output raw."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.cli.common import say, shown

runner = CliRunner()
CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07"
CLEAR = "\x1b[2J\x1b[H"
HOSTILE = f"Evil{CLIPBOARD}{CLEAR} :x: [bold red]Corp[/] \u202eLtd"
CODES = ("\x1b", "\x07", "\u202e", "❌")


def abm(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def assert_plain(output: str) -> None:
    assert not [code for code in CODES if code in output], repr(output[:400])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    rows = ["Company Name,Website,Employees,Industry,Notes " + CLEAR,
            f'"{HOSTILE}",evil.com,500,Software,x',
            f'"Good {CLEAR}Co",{CLEAR}bad:x:domain,300,Software,x',
            "Plain Inc,plain.com,200,Software,x"]
    (folder / "fit.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = abm("merge", "--fit", folder / "fit.csv", "-o", folder / "hub.xlsx")
    assert result.exit_code == 0, result.output
    assert_plain(result.output)
    return folder


def test_inspect_shows_vendor_headers_and_examples_without_codes(hostile):
    result = abm("inspect", hostile / "fit.csv")
    assert result.exit_code == 0, result.output
    assert_plain(result.output)
    assert "bad:x:domain" in result.output


def test_explain_shows_the_name_as_written(hostile):
    result = abm("explain", hostile / "hub.xlsx", "evil.com")
    assert result.exit_code == 0, result.output
    assert_plain(result.output)
    assert ":x: [bold red]Corp[/]" in result.output


def test_warnings_and_errors_show_vendor_names_without_codes(hostile):
    result = abm("segment", hostile / "hub.xlsx", "--where", "employees > 1", "--format",
                 "terminus", "-o", hostile / "ids.csv")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and ":x: [bold red]Corp[/]" in result.output
    assert_plain(result.output)
    result = abm("explain", hostile / "hub.xlsx", "Evil Corp Ltd x")
    assert_plain(result.output)


def test_say_fills_values_as_plain_text_in_the_template_style():
    text = say("[red]error:[/] {} and [dim]{}[/]", HOSTILE, "[/]")
    assert text.plain == "error: Evil :x: [bold red]Corp[/] Ltd and [/]"
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [
        (0, 6, "red"), (len(text.plain) - 3, len(text.plain), "dim")]
    assert shown(HOSTILE).plain == "Evil :x: [bold red]Corp[/] Ltd"


def test_a_message_of_backslashes_and_brackets_is_shown_in_linear_time(hostile):
    # rich's markup parser and escape take seconds on 40,000 backslashes and minutes on
    # 100,000; abm shows messages as plain Text and quotes only part of a long filter.
    started = time.perf_counter()
    result = abm("segment", hostile / "hub.xlsx", "--where", "[x] " + "\\" * 40_000 + " x",
                 "-o", hostile / "x.csv")
    assert result.exit_code == 2, result.output
    assert time.perf_counter() - started < 3
    assert "at character 5: unexpected character" in result.output


def test_no_command_uses_rich_markup_escape_or_builds_its_own_console():
    """The two rules of cli/common.py hold only if no command goes around them."""
    for module in (Path(__file__).parents[1] / "abmcli" / "cli").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "rich.markup" not in source, module.name
        if module.name != "common.py":
            assert "Console(" not in source, module.name


def test_huge_config_numbers_are_shown_in_a_few_characters(hostile):
    config = hostile / "big.toml"
    config.write_text("[icp]\nemployees = { min = 1e308 }\n[acv]\nlarge = 1e300\n"
                      "medium = 1e301\n", encoding="utf-8")
    result = abm("explain", hostile / "hub.xlsx", "evil.com", "--config", config)
    assert result.exit_code == 2, result.output
    assert "medium (1e+301) <= large (1e+300)" in result.output
    config.write_text("[icp]\nemployees = { min = 1e308 }\n", encoding="utf-8")
    result = abm("explain", hostile / "hub.xlsx", "evil.com", "--config", config)
    assert result.exit_code == 0, result.output
    assert "employees >= 1e+308" in result.output and "0" * 20 not in result.output


def test_counts_that_overflow_print_no_numpy_warning(tmp_path):
    engagement = tmp_path / "engagement.csv"
    engagement.write_text(
        "Account Name,Account Domain,Week Starting,Page Views,Visits,Campaign Responses\n"
        "A,a.com,10/19/2026,1e308,inf,nan\nA,a.com,10/26/2026,1e308,1,-inf\n",
        encoding="utf-8")
    hub = tmp_path / "hub.xlsx"
    for command in (["merge", "--engagement", engagement, "-o", hub], ["score", hub],
                    ["explain", hub, "a.com"]):
        result = abm(*command)
        assert result.exit_code == 0, result.output
        assert "Warning" not in result.output, result.output


def test_the_console_itself_drops_codes_a_command_forgot_to_wrap():
    import io

    from rich.table import Table

    from abmcli.cli.common import SafeConsole

    out = io.StringIO()
    console = SafeConsole(file=out, width=200, force_terminal=True)
    table = Table()
    table.add_column("name")
    table.add_row("Evil" + CLIPBOARD + " :x:")
    console.print("[bold]plain[/] " + CLEAR + ":x:")
    console.print(table)
    printed = out.getvalue()
    assert "\x1b[1mplain" in printed  # abm's own styles are still rendered
    assert CLIPBOARD not in printed and "\x1b[2J" not in printed and "❌" not in printed
    assert printed.count(":x:") == 2
