"""`abm segment`: campaign lists and rules of engagement, in upload-ready formats."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import (
    AsOfOption,
    ConfigOption,
    QuietOption,
    as_date,
    console,
    note,
    say,
    shown,
    warn,
)
from abmcli.formats.registry import names_text
from abmcli.words import counted

if TYPE_CHECKING:
    from abmcli.stages.segment import SegmentOutput, SegmentSpec

FORMAT_HELP = names_text()


def segment(
    workbook: Annotated[
        Path, typer.Argument(help="The hub (abm merge or abm score) or the tier workbook "
                             "(abm tier).", show_default=False)
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", show_default=False,
                           help="The folder for the config's segments; with --where, the "
                           "file to write.")
    ],
    config: ConfigOption = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", show_default=False, metavar="SEGMENT",
                     help="Write only this segment of the config (repeatable)."),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", show_default=False,
                     help="Last run's hub or tier workbook: alerts list only accounts new "
                     "since then."),
    ] = None,
    where: Annotated[
        str | None,
        typer.Option("--where", show_default=False, metavar="EXPR",
                     help="An ad hoc filter, e.g. 'tier == \"Tier 1\" and engagement_spike'."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT",
                          help=f"With --where: {FORMAT_HELP}.")
    ] = "csv",
    columns: Annotated[
        list[str] | None,
        typer.Option("--column", show_default=False, metavar="COLUMN",
                     help="With --where: a column to write (repeatable; csv, xlsx, hubspot "
                     "and demandbase)."),
    ] = None,
    as_of: AsOfOption = None,
    quiet: QuietOption = False,
) -> None:
    """Cut campaign lists from the accounts: every segment of the config into a folder,
    or one ad hoc list with --where. Formats upload as they are to LinkedIn, 6sense,
    Demandbase, Terminus and HubSpot; alerts list new accounts per owner.

    Example: abm segment tiers.xlsx --config abm.toml -o lists/ --previous last_week.xlsx

    Example: abm segment tiers.xlsx --where 'tier == "Tier 1"' --format 6sense -o t1.csv
    """
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.readback import read_accounts
    from abmcli.safe import refuse_writing_inputs
    from abmcli.stages.segment import adhoc_segment, crm_fields_of, run_segments, segment_specs
    from abmcli.xlsx.provenance import settings_for

    refuse_writing_inputs({"-o": output}, [workbook, previous, config])
    chosen = settings_for(workbook, config, as_date(as_of), CONFIG_CHECKS)
    settings, run_date = chosen.config, chosen.as_of or chosen.config.run_date()
    accounts = read_accounts(workbook)
    if where is not None:
        fields = crm_fields_of(settings)
        outputs = [adhoc_segment(accounts, where, format, output, run_date, columns,
                                 fields=fields)]
    else:
        specs = _chosen(segment_specs(settings), only or [])
        old = read_accounts(previous) if previous is not None else None
        outputs = run_segments(accounts, specs, output, run_date, old).outputs
    if not quiet:
        note(chosen.used)
        render_segments(outputs, len(accounts))


def _chosen(specs: list[SegmentSpec], only: list[str]) -> list[SegmentSpec]:
    """The segments --only names (all when none), or a usage error naming the known ones."""
    from abmcli.errors import ConfigError

    if not specs:
        raise ConfigError("the config has no [segments.*]; add one, or give --where and "
                          "--format for an ad hoc list")
    if not only:
        return specs
    names = {spec.name.lower(): spec for spec in specs}
    unknown = [name for name in only if name.lower() not in names]
    if unknown:
        raise ConfigError(f"no segment named {', '.join(unknown)} in the config (segments: "
                          f"{', '.join(spec.name for spec in specs)})")
    return [names[name.lower()] for name in only]


def render_segments(outputs: list[SegmentOutput], accounts: int) -> None:
    console.print(f"{counted(len(outputs), 'list')} from {counted(accounts, 'account')}")
    table = Table()
    for column in ("segment", "format", "rows", "file(s)"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for output in outputs:
        files = shown("\n".join(str(path) for path in output.files)) if output.files else (
            say("[dim]none[/]"))
        table.add_row(shown(output.name), output.format, f"{output.rows:,}", files)
    console.print(table)
    for output in outputs:
        for message in output.warnings:
            warn(f"{output.name}: {message}")
