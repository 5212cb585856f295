"""`abm measure`: the ABM scorecard from the tiers, opportunities and contacts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import (
    AsOfOption,
    ConfigOption,
    EncodingOption,
    JsonOption,
    QuietOption,
    as_date,
    console,
    family_options,
    progress_steps,
    say,
    shown,
    warn,
)
from abmcli.fields import MEASURE_FAMILIES
from abmcli.words import counted

if TYPE_CHECKING:
    from abmcli.measure.scorecard import Scorecard

Files = list[str]


@family_options(MEASURE_FAMILIES, after="workbook")  # --opportunities, --contacts
def measure(
    workbook: Annotated[Path, typer.Argument(
        help="The tier workbook from abm tier (or a hub: it is tiered first).",
        show_default=False)],
    engagement: Annotated[Files, typer.Option(
        "--engagement", metavar="FILE",
        help="Engagement exports with dated rows (repeatable): their dates count as "
        "engagement history for influence and the funnel.",
        show_default=False)] = [],  # noqa: B006
    since: Annotated[dt.datetime | None, typer.Option(
        "--since", formats=["%Y-%m-%d"], metavar="DATE", show_default=False,
        help="Measure opportunities created on or after this date (default: [measure] "
             "since, else all).")] = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The scorecard workbook to write (.xlsx).")
    ] = Path("scorecard.xlsx"),
    config: ConfigOption = None,
    encoding: EncodingOption = None,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    **files_by_family: list[str],
) -> None:
    """Measure the program: funnel per tier, target pipeline and the share marketing
    influenced, win rate, deal size and days to close against non-target cohorts, and
    buying-committee coverage with a gaps list.

    Example: abm measure tiers.xlsx --opportunities opps.csv --contacts people.csv
    """
    from abmcli.config import load_config
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.measure.scorecard import measure_files
    from abmcli.measure.workbook import scorecard_json, write_scorecard
    from abmcli.safe import refuse_writing_inputs

    refuse_writing_inputs({"-o": output}, [workbook, config, *engagement, *(
        path for paths in files_by_family.values() for path in paths or [])])
    settings = load_config(config, CONFIG_CHECKS)
    with progress_steps(quiet or json_output) as step:
        card = measure_files(workbook, settings, **files_by_family, engagement=engagement,
                             since=as_date(since), as_of=as_date(as_of),
                             encoding=encoding, progress=step)
        step(f"writing {output}")
        written = write_scorecard(card, output)
    if json_output:
        console.print_json(json.dumps(scorecard_json(card)))
    elif not quiet:
        render_scorecard(card, written)


def _missing(value: object) -> bool:
    """None, or the NaN a table cell holds where a share has no accounts to divide by."""
    return value is None or value != value


def _percent(value: object) -> str:
    return "–" if _missing(value) else f"{float(value):.0%}"  # type: ignore[arg-type]


def _money(value: object) -> str:
    return "–" if _missing(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


def render_scorecard(card: Scorecard, written: list[Path]) -> None:
    period = f"since {card.since}" if card.since else "all opportunities"
    console.print(say("ABM scorecard as of {} ({})", card.as_of, period))
    funnel = Table(title="Funnel")
    for column in ("group", "accounts", "engaged", "opportunity", "won"):
        funnel.add_column(column, justify="left" if column == "group" else "right")
    for row in card.funnel.to_dict("records"):
        funnel.add_row(shown(row["group"]), f"{row['accounts']:,}",
                       f"{row['engaged']:,} ({_percent(row['engaged %'])})",
                       f"{row['with opportunity']:,}", f"{row['won']:,}")
    console.print(funnel)
    kpis = card.kpis
    currency = card.model.settings.currency
    if "target_pipeline" in kpis:
        console.print(say(
            "target pipeline {} {} (open {}) · marketing-influenced {} · win rate {}",
            _money(kpis["target_pipeline"]), currency, _money(kpis["target_open_pipeline"]),
            _percent(kpis["influenced_share"]), _percent(kpis["target_win_rate"])))
        for row in card.lift[card.lift["measure"] == "win rate"].to_dict("records"):
            console.print(say("  win rate lift vs {}: {} ({} vs {} deals)", row["cohort"],
                              row["lift"], row["target deals"], row["cohort deals"]))
    if "target_contacts" in kpis:
        console.print(say(
            "contacts at target accounts {} · 3+ contacts {} · 75%+ of personas {} · "
            "{} persona gaps", f"{kpis['target_contacts']:,}",
            _percent(kpis["target_with_3_contacts_share"]),
            _percent(kpis["persona_coverage_75_share"]), f"{kpis['gaps']:,}"))
    for note in card.notes:
        warn(note)
    if len(card.issues):
        warn(f"{counted(len(card.issues), 'row problem')} listed on the Issues sheet "
             "(never counted silently)")
    console.print(say("wrote {}", " and ".join(map(str, written))))
