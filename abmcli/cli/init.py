"""`abm init`: a commented starter abm.toml and an exports/ folder, and what to do next."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from abmcli.cli.common import console


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
    config, exports = escape(str(starter.config)), escape(str(starter.exports))
    console.print(f"wrote {config} and created {exports}/")
    console.print("next steps:")
    console.print(f"  1. save this week's vendor exports in {exports}/ (the file names "
                  f"\\[inputs] expects are in {config})")
    console.print(f"  2. set your ICP, tiers and campaign lists in {config}")
    console.print(f"  3. abm run --config {config}")
    console.print("  4. schedule it weekly from cron (see \"The weekly run\" in the README)")
