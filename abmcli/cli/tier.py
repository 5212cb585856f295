"""`abm tier`: place every account in a Goldilocks tier and write the tier workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import (
    AsOfOption,
    ConfigOption,
    HubArgument,
    QuietOption,
    as_date,
    console,
    note,
    say,
)
from abmcli.words import counted

if TYPE_CHECKING:
    from abmcli.stages.tier import TierResult


def _cap_option(tier: int) -> object:
    return typer.Option(f"--max-tier{tier}", min=0, show_default=False,
                        help=f"At most this many Tier {tier} accounts; the lowest-scored "
                        "overflow moves down a tier (overrides [tiers] in the config).")


def tier(
    hub: HubArgument,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The tier workbook to write (.xlsx).")
    ] = Path("tiers.xlsx"),
    config: ConfigOption = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option("--csv-dir", show_default=False,
                     help="Also write one CSV per tier into this folder."),
    ] = None,
    max_tier1: Annotated[int | None, _cap_option(1)] = None,
    max_tier2: Annotated[int | None, _cap_option(2)] = None,
    max_tier3: Annotated[int | None, _cap_option(3)] = None,
    as_of: AsOfOption = None,
    quiet: QuietOption = False,
) -> None:
    """Tier the accounts by the Goldilocks method: Tier 1 (1:1), Tier 2 (1:few), Tier 3
    (1:many), Waitlist, Out of ICP and Fit unknown (no firmographics: accounts to enrich),
    each with a one-line reason. Scores the hub first when it has no scores; uses the
    config and run date the hub recorded unless --config or --as-of are given.

    Example: abm tier hub.xlsx -o tiers.xlsx --max-tier1 100 --csv-dir tiers/
    """
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.tier_workbook import tier_hub_file
    from abmcli.xlsx.provenance import settings_for

    caps = {"Tier 1": max_tier1, "Tier 2": max_tier2, "Tier 3": max_tier3}
    chosen = settings_for(hub, config, as_date(as_of), CONFIG_CHECKS)
    result = tier_hub_file(hub, output, chosen.config, csv_dir=csv_dir, as_of=chosen.as_of,
                           caps=caps)
    if not quiet:  # after the work: an error stays the one line it prints
        note(chosen.used)
    if not quiet:
        render_tiers(result)


def render_tiers(result: TierResult) -> None:
    from abmcli.stages.tier import PROGRAMS, TIER_NAMES

    console.print(f"{counted(len(result.accounts), 'account')} tiered as of {result.as_of}")
    table = Table()
    for column in ("tier", "profile", "program", "accounts", "cap"):
        table.add_column(column, justify="right" if column in ("accounts", "cap") else "left")
    caps = result.model.tiers.caps()
    for name, count in result.counts().items():
        cap = caps.get(name)
        table.add_row(name, TIER_NAMES[name], PROGRAMS[name], f"{count:,}",
                      "" if cap is None else f"{cap:,}")
    console.print(table)
    if result.moved_down:
        console.print(f"{counted(result.moved_down, 'account')} moved down a tier by the "
                      "capacity caps")
    for path in result.outputs:
        console.print(say("wrote {}", path))
