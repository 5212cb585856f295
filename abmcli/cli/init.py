"""`abm init`: a commented starter abm.toml and an exports/ folder, and what to do next."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from abmcli.cli.common import console, say


def init(
    directory: Annotated[
        Path, typer.Argument(help="The folder for abm.toml and exports/ (created if needed).")
    ] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing abm.toml with the starter.")
    ] = False,
) -> None:
    """Write a commented starter abm.toml for the weekly run, with an exports/ folder for
    the vendor files, and say what to do next.

    Example: abm init northwind-abm
    """
    from abmcli.init import write_starter

    starter = write_starter(directory, overwrite=force)
    config, exports = starter.config, starter.exports
    console.print(say("wrote {} and created {}/", config, exports))
    console.print("next steps:")
    console.print(say("  1. save this week's vendor exports in {}/ (the file names "
                      "\\[inputs] expects are in {})", exports, config))
    console.print(say("  2. set your ICP, tiers and campaign lists in {}", config))
    console.print(say("  3. abm run --config {}", config))
    console.print("  4. schedule it weekly from cron (see \"The weekly run\" in the README)")
