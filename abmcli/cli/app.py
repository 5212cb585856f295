"""The `abm` command: wires the subcommands and renders every error in one place."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperArgument, TyperGroup

from abmcli import __version__
from abmcli.cli import diff as diff_cmd
from abmcli.cli import explain as explain_cmd
from abmcli.cli import init as init_cmd
from abmcli.cli import inspect as inspect_cmd
from abmcli.cli import merge as merge_cmd
from abmcli.cli import run as run_cmd
from abmcli.cli import score as score_cmd
from abmcli.cli import segment as segment_cmd
from abmcli.cli import tier as tier_cmd
from abmcli.cli.common import err_console, show_library_warnings
from abmcli.errors import AbmError, ExitCode


class AbmGroup(TyperGroup):
    """Turns library errors into one line and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AbmError as exc:
            if _verbose(ctx):
                err_console.print_exception(show_locals=False)
            err_console.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `abm inspect x.csv | head`: the reader left, not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:  # a bug in abm: say so, with a traceback only on request
            if "click" in type(exc).__module__:
                raise  # usage errors are rendered by typer itself
            if _verbose(ctx):  # the traceback, and still the exit code of a bug
                err_console.print_exception(show_locals=False)
            # The message itself may quote a vendor cell; without --verbose only the
            # exception's type and where abm raised it are shown.
            err_console.print(
                f"[red]internal error:[/] {type(exc).__name__} at {_where(exc)}. "
                "Run again with --verbose for details and report it.",
                soft_wrap=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


_argument_type = TyperArgument.display_type_rich


def _named_argument_type(self: TyperArgument, ctx: Any) -> str | None:
    """An argument with a metavar ("FILE...") says what it takes; typer would add its
    Python type beside it ("<list[str]>"), which means nothing to a user."""
    return None if self.metavar else _argument_type(self, ctx)


TyperArgument.display_type_rich = _named_argument_type  # type: ignore[method-assign,assignment]


def _where(exc: BaseException) -> str:
    """The last place in abm's own code the exception passed through, as file:line."""
    place = "abm"
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if "abmcli" in path.parts:
            place = f"{'/'.join(path.parts[path.parts.index('abmcli'):])}:{line}"
    return place


def _verbose(ctx: Any) -> bool:
    return bool((ctx.obj or {}).get("verbose"))


app = typer.Typer(
    cls=AbmGroup,
    name="abm",
    help="Merge vendor account exports into one account hub, score and tier the accounts, "
    "and cut campaign lists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        print(f"abm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks and more detail.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """abm: the account hub for account-based marketing, from the command line."""
    ctx.obj = {"verbose": verbose}
    show_library_warnings()


app.command("inspect")(inspect_cmd.inspect)
app.command("merge")(merge_cmd.merge)
app.command("score")(score_cmd.score)
app.command("tier")(tier_cmd.tier)
app.command("explain")(explain_cmd.explain)
app.command("segment")(segment_cmd.segment)
app.command("run")(run_cmd.run)
app.command("diff")(diff_cmd.diff)
app.command("init")(init_cmd.init)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
