"""The `abm` command: wires the subcommands and renders every error in one place."""

from __future__ import annotations

import os
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup

from abmcli import __version__
from abmcli.cli import diff as diff_cmd
from abmcli.cli import explain as explain_cmd
from abmcli.cli import init as init_cmd
from abmcli.cli import inspect as inspect_cmd
from abmcli.cli import measure as measure_cmd
from abmcli.cli import merge as merge_cmd
from abmcli.cli import run as run_cmd
from abmcli.cli import score as score_cmd
from abmcli.cli import segment as segment_cmd
from abmcli.cli import tier as tier_cmd
from abmcli.cli.common import err_console, show_library_warnings
from abmcli.cli.common import error as _error
from abmcli.errors import AbmError, ExitCode
from abmcli.frames import keep_text_in_python


class Terminated(KeyboardInterrupt):
    """SIGTERM (cron's timeout, `kill`): stop as Ctrl-C does, cleaning up on the way."""


_HELP = {"--help", "-h"}


class AbmGroup(TyperGroup):
    """Turns library errors into one line and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            with _terminate_as_interrupt(), _quiet_arithmetic():
                if not _HELP & set(ctx.args):  # help needs no pandas (it costs half a second)
                    keep_text_in_python()
                return super().invoke(ctx)
        except AbmError as exc:
            if _verbose(ctx):
                err_console.print_exception(show_locals=False)
            _error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt as exc:
            # Every writer has removed its temporary files on the way up (they clean up
            # on any exception); say so in one line, with the shell's exit code.
            terminated = isinstance(exc, Terminated)
            err_console.print("terminated" if terminated else "interrupted", style="yellow")
            raise typer.Exit(143 if terminated else 130) from None
        except BrokenPipeError:  # `abm inspect x.csv | head`: the reader left, not an error
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except OSError as exc:  # the machine's, not abm's: a full disk, a read-only folder
            if _verbose(ctx):
                raise
            _silence_stdout()  # a failed stdout must not fail again when Python exits
            _error(_os_message(exc))
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except Exception as exc:  # a bug in abm: say so, with a traceback only on request
            if "click" in type(exc).__module__:
                raise  # usage errors are rendered by typer itself
            if _verbose(ctx):  # the traceback, and still the exit code of a bug
                err_console.print_exception(show_locals=False)
            # The message itself may quote a vendor cell; without --verbose only the
            # exception's type and where abm raised it are shown.
            _error(f"{type(exc).__name__} at {_where(exc)}. Run again with --verbose for "
                   "details and report it.", label="internal error")
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


_argument_type = TyperArgument.display_type_rich


def _named_argument_type(self: TyperArgument, ctx: Any) -> str | None:
    """An argument with a metavar ("FILE...") says what it takes; typer would add its
    Python type beside it ("<list[str]>"), which means nothing to a user."""
    return None if self.metavar else _argument_type(self, ctx)


TyperArgument.display_type_rich = _named_argument_type  # type: ignore[method-assign,assignment]


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else "writing the output: "
    return (f"{where}{exc.strerror or exc}; check that the disk has space and that the "
            "files and folders named can be read and written")


def _silence_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@contextmanager
def _quiet_arithmetic() -> Iterator[None]:
    """No NumPy RuntimeWarning on the terminal: a vendor's `inf` or 1e308 page views
    overflow a sum to inf, which abm shows as a value; the warning tells a user nothing
    (and names pandas' own source lines)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` for the command's duration, so that a run stopped
    by cron's timeout unwinds like Ctrl-C: temporary files removed, the lock released."""
    def stop(_signal: int, _frame: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
app.command("measure")(measure_cmd.measure)
app.command("init")(init_cmd.init)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pressed before or after a command ran
        err_console.print("interrupted")
        sys.exit(130)
