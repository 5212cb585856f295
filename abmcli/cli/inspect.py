"""`abm inspect FILE...`: how abm reads each file and how matchable its rows are."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import (
    ConfigOption,
    EncodingOption,
    JsonOption,
    console,
    error,
    say,
    shown,
    warn,
)
from abmcli.errors import ExitCode, InputFileError
from abmcli.fields import FAMILIES
from abmcli.words import agree, counted

if TYPE_CHECKING:
    from abmcli.sources.inspect import InspectReport


def inspect(
    files: Annotated[
        list[str],
        typer.Argument(help="CSV, Excel or Parquet files; 'file.xlsx:Sheet name' picks a sheet.",
                       metavar="FILE", show_default=False),
    ],
    config: ConfigOption = None,
    encoding: EncodingOption = None,
    family: Annotated[
        str | None,
        typer.Option(metavar="FAMILY",
                     help=f"Treat the files as this family: {', '.join(FAMILIES[:-1])} or "
                     f"{FAMILIES[-1]}."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the encoding, delimiter, vendor layout, column mapping and data quality of files.

    Example: abm inspect examples/zoominfo_company_export.csv --json
    """
    from abmcli.config import load_config
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.sources.inspect import inspect_file
    from abmcli.sources.read import split_sheet_spec

    settings = load_config(config, CONFIG_CHECKS)
    # One unreadable file must not hide the reports of the others: each file gets its
    # report or its one-line error, in the order given, and the exit code says if any failed.
    outcomes: list[InspectReport | InputFileError] = []
    for file in files:
        try:
            outcomes.append(inspect_file(file, settings, family=family, encoding=encoding))
        except InputFileError as exc:
            outcomes.append(exc)
    for warning in settings.unused_mappings([split_sheet_spec(f)[0] for f in files]):
        warn(warning)
    if as_json:
        console.print_json(json.dumps([_as_dict(file, outcome) for file, outcome
                                       in zip(files, outcomes, strict=True)], default=str))
    else:
        for outcome in outcomes:
            if isinstance(outcome, InputFileError):
                error(str(outcome))
            else:
                _render(outcome)
    if any(isinstance(outcome, InputFileError) for outcome in outcomes):
        raise typer.Exit(int(ExitCode.INPUT))


def _as_dict(file: str, outcome: InspectReport | InputFileError) -> dict[str, object]:
    if isinstance(outcome, InputFileError):
        return {"file": file, "error": str(outcome)}
    return outcome.to_dict()


def _render(report: InspectReport) -> None:
    console.rule(say("[bold]{}[/]", report.file))
    facts = Table.grid(padding=(0, 2))
    read_as = report.sheet and f"sheet '{report.sheet}'" or (
        f"{report.encoding}, delimiter {_delimiter_name(report.delimiter)}"
        if report.encoding else "Parquet (typed columns, shown as text)")
    facts.add_row("read as", shown(read_as))
    facts.add_row("family", say("[bold]{}[/] — {}", report.family, report.vendor))
    facts.add_row("recognised by", shown(report.recognised_by))
    facts.add_row("data rows", f"{report.rows:,}")
    facts.add_row("usable domain", f"{counted(report.rows_with_domain, 'row')} "
                  f"({report.domain_share:.0%}), {report.distinct_domains:,} distinct domains")
    facts.add_row("name only", f"{counted(report.name_only_rows, 'row')} (matched by company name)")
    facts.add_row("unmatchable", f"{counted(report.unmatchable_rows, 'row')} (no domain, no name)")
    if report.duplicate_domain_rows:
        repeated = report.duplicate_domain_rows
        facts.add_row("repeated domains", f"{counted(repeated, 'row')} "
                      f"{agree(repeated, 'shares', 'share')} a domain with an earlier row "
                      "(merged into one account)")
    for note in report.notes:
        facts.add_row("note", shown(note))
    console.print(facts)
    console.print(_mapping_table(report))
    if report.rejected_domains:
        console.print(_rejected_table(report))


def _mapping_table(report: InspectReport) -> Table:
    table = Table(title="columns", title_justify="left", show_edge=False)
    table.add_column("header in file")
    table.add_column("used as")
    table.add_column("unit")
    table.add_column("first values as read")
    for reading in report.fields:
        table.add_row(shown(reading.column), reading.field, shown(reading.unit),
                      shown("; ".join(reading.samples)))
    if report.unmapped:
        unused = ", ".join(report.unmapped[:12]) + (" …" if len(report.unmapped) > 12 else "")
        table.add_row(f"[dim]{len(report.unmapped)} more[/]", "", "",
                      say("[dim]not used: {}[/]", unused))
    return table


def _rejected_table(report: InspectReport) -> Table:
    table = Table(title="unusable domains", title_justify="left", show_edge=False)
    table.add_column("reason")
    table.add_column("rows", justify="right")
    table.add_column("examples")
    for rejected in report.rejected_domains:
        table.add_row(rejected.description, f"{rejected.rows:,}",
                      shown(", ".join(rejected.examples)))
    return table


def _delimiter_name(delimiter: str | None) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(delimiter or "", "?")
