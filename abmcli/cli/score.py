"""`abm score`: add fit, intent, relationship and engagement scores, the blended account
score and star ratings to the hub workbook."""

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
    from abmcli.stages.score import ScoreResult

def score(
    hub: HubArgument,
    config: ConfigOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", show_default=False,
                     help="Write the scored hub here instead of rewriting HUB in place."),
    ] = None,
    as_of: AsOfOption = None,
    quiet: QuietOption = False,
) -> None:
    """Score every account of the hub: fit to the ICP, intent, relationship, engagement,
    a blended account score and 1-5 stars, each with the reasons behind it.

    Example: abm score hub.xlsx --config abm.toml
    """
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.score_workbook import score_hub_file
    from abmcli.safe import refuse_writing_inputs
    from abmcli.xlsx.provenance import settings_for

    refuse_writing_inputs({"-o": output}, [config])  # -o HUB is HUB rewritten in place
    chosen = settings_for(hub, config, as_date(as_of), CONFIG_CHECKS)
    result = score_hub_file(hub, chosen.config, output, chosen.as_of)
    if not quiet:  # after the work: an error stays the one line it prints
        note(chosen.used)
        render_scores(result, output or hub)


def render_scores(result: ScoreResult, written: Path) -> None:
    from abmcli.stages.score import star_text

    total = max(len(result.hub), 1)
    console.print(f"{counted(len(result.hub), 'account')} scored as of {result.as_of}")
    stars = Table()
    stars.add_column("stars")
    stars.add_column("accounts", justify="right")
    stars.add_column("share", justify="right")
    for count, accounts in result.star_counts().items():
        stars.add_row(star_text(count), f"{accounts:,}", f"{accounts / total:.0%}")
    families = Table()
    for column in ("family", "accounts", "weight"):
        families.add_column(column, justify="left" if column == "family" else "right")
    for family, accounts in result.coverage().items():
        weight = result.model.scoring.weights.get(family, 0.0)
        # a family without data is left out of the blend (see abmcli/stages/score.py)
        families.add_row(family, f"{accounts:,}", f"{weight:g}" if accounts else "no data")
    console.print(stars)
    console.print(families)
    console.print(say("wrote {}", written))
