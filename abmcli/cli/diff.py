"""`abm diff`: what changed between two hubs or tier workbooks, as `abm run` reports it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import ConfigOption, JsonOption, console, say, shown

if TYPE_CHECKING:
    from abmcli.stages.changes import Changes

WorkbookArgument = Annotated[
    Path, typer.Argument(help="A hub or tier workbook written by abm.", show_default=False)
]


def diff(
    old: WorkbookArgument,
    new: WorkbookArgument,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0, show_default=False,
                     help="List account_score moves of at least this many points "
                     "(default: [changes] score_threshold in the config, else 10)."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Accounts shown per kind of change.")
    ] = 20,
    config: ConfigOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show what changed from OLD to NEW and what moved each account: new and dropped
    accounts, domains added, changed or removed, data carried or expired, tier moves up
    and down, new engagement spikes, newly surging topics, and account scores that moved.

    Example: abm diff abm-output/2026-W47/tiers.xlsx abm-output/2026-W48/tiers.xlsx
    """
    from abmcli.config import load_config
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.workbook_accounts import compare_workbooks

    settings = load_config(config, CONFIG_CHECKS)  # checked whole, as every command does
    points = threshold if threshold is not None else settings.changes.score_threshold
    changes = compare_workbooks(old, new, points)
    if json_output:
        console.print_json(json.dumps(changes.to_dict(limit=None), default=str))
        return
    render_change_counts(changes)
    render_change_rows(changes, limit)


def render_change_counts(changes: Changes) -> None:
    """One line: what was compared and how many accounts changed in each way."""
    if changes.old is None:
        console.print("no earlier run to compare with: changes start with the next run")
        return
    console.print(say("changes from {} to {}: {}", changes.old, changes.new,
                      changes.counts_text()), soft_wrap=True)


def render_change_rows(changes: Changes, limit: int) -> None:
    """A table per kind of change, at most `limit` accounts each."""
    from abmcli.stages.changes import count_text

    for kind, count in changes.counts().items():
        if not count:
            continue
        rows = changes.rows[changes.rows["change"] == kind].head(limit)
        table = Table(title=count_text(kind, count), title_justify="left")
        for column in ("account_name", "domain", "before", "after", "detail"):
            table.add_column(column, overflow="fold")
        for row in rows.itertuples(index=False):
            table.add_row(*(shown(value) for value in (
                row.account_name, row.domain, row.before, row.after, row.detail)))
        console.print(table)
        if count > limit:
            console.print(f"… and {count - limit:,} more (--limit {count} shows them all)")
