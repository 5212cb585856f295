"""Options shared by several commands, defined once, and the consoles they print to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

# Results go to stdout; errors, warnings and progress to stderr, so that
# `abm inspect --json x.csv > report.json` stays clean.
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="abm.toml with column mappings, ICP, tiers and segments."),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Force the text encoding of CSV inputs (e.g. utf-8, cp1252, utf-16) "
        "instead of detecting it.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
]


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", soft_wrap=True)
