"""Options shared by several commands, defined once, and the consoles they print to."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

# Results go to stdout; errors, warnings and progress to stderr, so that
# `abm inspect --json x.csv > report.json` stays clean.
# Piped or logged output is not squeezed into 80 columns: tables stay readable in a log.
_PIPE_WIDTH = None if sys.stdout.isatty() else 120
console = Console(highlight=False, width=_PIPE_WIDTH)
err_console = Console(stderr=True, highlight=False, width=_PIPE_WIDTH)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="abm.toml with column mappings, ICP, tiers and segments."),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding", metavar="ENCODING",
        help="Force the text encoding of CSV inputs (e.g. utf-8, cp1252, utf-16) "
        "instead of detecting it.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], show_default=False,
                 help="Run date that intent and engagement are aged against "
                 "(default: as_of in the config, else today)."),
]
HubArgument = Annotated[
    Path, typer.Argument(help="The hub workbook written by abm merge.", show_default=False)
]


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
]


def note(message: str) -> None:
    """A remark on how a command worked (which settings it used), on stderr."""
    err_console.print(f"[dim]{escape(message)}[/]", soft_wrap=True)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)


class _LibraryWarnings(logging.Handler):
    """Shows what the library logs as a warning (the `abmcli` loggers) on stderr; the
    library itself never prints."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.muted = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.muted:
            warn(record.getMessage())


library_warnings = _LibraryWarnings()


def show_library_warnings() -> None:
    """Route the library's logged warnings to stderr (once, however often called)."""
    logger = logging.getLogger("abmcli")
    if library_warnings not in logger.handlers:
        logger.addHandler(library_warnings)


@contextmanager
def library_warnings_to(write: Callable[[str], None], *, quiet: bool) -> Iterator[None]:
    """While the block runs, library warnings also go to `write` (a log file), and not to
    stderr when `quiet`."""

    class ToLog(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            write(f"warning: {record.getMessage()}")

    logger = logging.getLogger("abmcli")
    to_log = ToLog(logging.WARNING)
    logger.addHandler(to_log)
    was_muted, library_warnings.muted = library_warnings.muted, quiet
    try:
        yield
    finally:
        library_warnings.muted = was_muted
        logger.removeHandler(to_log)


@contextmanager
def progress_steps(quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A spinner naming the current step, on a terminal only (never in logs or pipes)."""
    if quiet or not err_console.is_terminal:
        yield lambda _message: None
        return
    with err_console.status("starting") as status:
        yield lambda message: status.update(f"{message} …")


def family_files(**by_family: list[str]) -> list[tuple[str, str]]:
    """(path, family) pairs from repeated --fit/--intent/... options."""
    return [(path, family) for family, paths in by_family.items() for path in paths]
