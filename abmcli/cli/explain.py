"""`abm explain`: why one account has its scores and its tier."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from abmcli.cli.common import AsOfOption, ConfigOption, as_date, console, note, say, shown
from abmcli.limits import number_text

if TYPE_CHECKING:
    from abmcli.stages.explain import Explanation

OUTCOME_STYLES = {"met": "green", "missed": "red", "no data": "yellow"}


def explain(
    workbook: Annotated[
        Path, typer.Argument(help="The hub (abm merge) or tier workbook (abm tier).",
                             show_default=False)
    ],
    query: Annotated[
        str, typer.Argument(
            help="The account's domain, account_id, CRM account id, name or ticker.",
            metavar="ACCOUNT", show_default=False)
    ],
    config: ConfigOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Show why an account has its scores and tier: each ICP rule, each family score with
    its inputs, the blend and the tier rule.

    Example: abm explain hub.xlsx snowflake.com --config abm.toml
    """
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.workbook_accounts import explain_in_workbook
    from abmcli.xlsx.provenance import settings_for

    chosen = settings_for(workbook, config, as_date(as_of), CONFIG_CHECKS)
    found = explain_in_workbook(workbook, query, chosen.config, chosen.as_of)
    note(chosen.used)  # after the work: an error stays the one line it prints
    console.print(render_explanation(found))


def render_explanation(found: Explanation) -> Panel:
    from abmcli.stages.score import star_text

    # Names, values and reasons come from vendor files: `say` and `shown` keep them plain
    # text, so "[/]" or ":x:" in a company name is shown as written.
    heading = say("[bold]{}[/]  {}  account score {}\n{}\nstars: {}", found.tier,
                  star_text(found.stars), _score(found.account_score), found.tier_reason,
                  found.stars_reason)
    if found.account_type:
        heading.append_text(say("\nCRM account type: {}", found.account_type))
    for conflict in found.conflicts:
        heading.append_text(say("\n[yellow]sources disagree:[/] {}", conflict))
    acv = found.acv
    value = acv["value"]
    amount = f" {number_text(round(value))}" if isinstance(value, int | float) and value and (
        math.isfinite(value)) else ""
    acv_line = shown(f"ACV {acv['band']}{amount}"
                     + (f" ({acv['source']})" if acv["source"] else ""))
    title = shown(f"{found.account_name} · {found.domain or 'no domain'} · {found.account_id} "
                  f"(found by {found.matched_by}, as of {found.as_of})")
    parts: list[Text] = [heading, acv_line]
    if found.carried:
        parts.append(shown(f"carried: {found.carried.replace('; ', ' and ')}, not in this "
                           "week's export (kept from the week named)"))
    return Panel(Group(*parts, _rules_table(found), _families_table(found)),
                 title=title, title_align="left")


def _rules_table(found: Explanation) -> Table:
    # As in the families' table: a rule's weight is what it is worth, its points what
    # it earned (0 when missed or without data); the points add up to the fit score.
    title = ("fit unknown (no data for any rule): ICP rules" if found.fit_score is None
             else f"fit {found.fit_score:g} = the points of the ICP rules met")
    table = Table(title=title, title_justify="left")
    for column in ("", "rule", "requirement", "account has", "weight", "points"):
        table.add_column(column, justify="right" if column in ("weight", "points") else "left")
    for check in found.rules:
        style = OUTCOME_STYLES[check.outcome]
        table.add_row(f"[{style}]{check.symbol}[/]", shown(check.label),
                      shown(check.requirement), shown(check.value) if check.value
                      else say("[dim]missing[/]"), number_text(check.weight),
                      number_text(check.points))
    return table


def _families_table(found: Explanation) -> Table:
    table = Table(title=f"account score {_score(found.account_score)} = weighted blend of "
                  "the families with data", title_justify="left")
    for column in ("family", "score", "weight", "points", "inputs"):
        table.add_column(column, justify="left" if column in ("family", "inputs") else "right")
    for family in found.families:
        score = family.status if family.score is None else f"{family.score:g}"
        inputs = "; ".join(f"{k} {v}" for k, v in family.inputs.items() if v not in ("", None))
        table.add_row(family.family, score, f"{family.weight:.0%}", f"{family.contribution:g}",
                      shown(inputs))
    return table


def _score(value: float | None) -> str:
    return "none (no data)" if value is None else number_text(value)
