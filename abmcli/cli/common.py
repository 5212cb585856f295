"""Options shared by several commands, defined once, and the consoles they print to."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.segment import Segment
from rich.text import Text

# --- showing vendor text ----------------------------------------------------------------
# Company names, notes, reasons and file names come from vendor files and reach the
# terminal. Two rules, kept here so that no command can forget them:
# - every console is a SafeConsole: control characters (ESC sequences that clear the
#   screen or write the clipboard, bidi overrides) are removed from everything printed,
#   and `:x:` is never turned into an emoji;
# - vendor text is never parsed as rich markup (`[bold]` in a name stays as written;
#   rich's own markup parser and `escape` are quadratic on runs of backslashes): it goes
#   in through `say` and `shown`, which build Text objects.

# Whole escape sequences (CSI "ESC [ ... letter"; OSC "ESC ] ..." up to BEL, ESC \ or a
# space, since rich drops the BEL before the console sees it), then any
# other C0 or C1 control except tab and line feed, DEL, and the bidi overrides. The
# character classes within each sequence are disjoint, so matching never backtracks.
_CONTROL = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b\\s]*(?:\x07|\x1b\\\\)?"
                      "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SLOT = 0xE000  # private-use characters stand for `say`'s values while markup is parsed


def clean(text: object) -> str:
    """`text` without control characters (tabs and line feeds kept)."""
    return _CONTROL.sub("", str(text))


def shown(text: object) -> Text:
    """Vendor text as it is shown: plain (no markup, no emoji), without control characters."""
    return Text(clean(text))


def say(template: str, *values: object) -> Text:
    """`template` (abm's own rich markup, with `{}` for each value) with `values` filled
    in as plain text: `say("[red]error:[/] {}", message)`. A value takes the style of
    the markup around its `{}`."""
    slots = [chr(_SLOT + number) for number in range(len(values))]
    marked = Text.from_markup(template.format(*slots), emoji=False)
    result = Text(style=marked.style, end=marked.end)
    cuts = sorted({cut for position, char in enumerate(marked.plain) if char in slots
                   for cut in (position, position + 1)})
    for piece in marked.divide(cuts):
        char = piece.plain
        if len(char) == 1 and char in slots:
            value = shown(values[ord(char) - _SLOT])
            for span in piece.spans:
                value.stylize(span.style)
            result.append(value)
        else:
            result.append(piece)
    return result


class SafeConsole(Console):
    """A rich Console that never writes control characters or emoji codes it was given."""

    def __init__(self, **options: object) -> None:
        super().__init__(emoji=False, highlight=False, **options)  # type: ignore[arg-type]

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # Control segments are rich's own cursor moves (the progress spinner); every
        # other segment's text is printed content and loses its control characters.
        return super()._render_buffer(
            segment if segment.control else Segment(clean(segment.text), segment.style)
            for segment in buffer)


# Results go to stdout; errors, warnings and progress to stderr, so that
# `abm inspect --json x.csv > report.json` stays clean.
# Piped or logged output is not squeezed into 80 columns: tables stay readable in a log.
_PIPE_WIDTH = None if sys.stdout.isatty() else 120
console = SafeConsole(width=_PIPE_WIDTH)
err_console = SafeConsole(stderr=True, width=_PIPE_WIDTH)

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
def _run_date(text: str) -> dt.datetime:
    """--as-of YYYY-MM-DD; a date that does not exist says why ("2026-02-30": day is out
    of range for month), not only that it does not match a format."""
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time())
    except ValueError as error:
        written_right = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip())
        shape = "" if written_right else "; write it as YYYY-MM-DD, e.g. 2026-11-25"
        raise typer.BadParameter(f"{text!r} is not a date ({error}){shape}") from None


AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", parser=_run_date, metavar="YYYY-MM-DD", show_default=False,
                 help="Run date that intent and engagement are aged against "
                 "(default: as_of in the config, else today)."),
]
HubArgument = Annotated[
    Path, typer.Argument(help="The hub workbook written by abm merge.", show_default=False)
]


def as_date(value: dt.datetime | None) -> dt.date | None:
    """The --as-of date, refused (exit 2) outside the dates abm accepts."""
    from abmcli.errors import AbmError
    from abmcli.limits import date_problem

    if value is None:
        return None
    problem = date_problem(value.date())
    if problem is not None:
        raise AbmError(f"--as-of {problem}")
    return value.date()


QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
]


def note(message: str) -> None:
    """A remark on how a command worked (which settings it used), on stderr."""
    err_console.print(say("[dim]{}[/]", message), soft_wrap=True)


def error(message: str, *, label: str = "error") -> None:
    """One line on stderr saying what failed (an `AbmError`'s message)."""
    err_console.print(say(f"[red]{label}:[/] {{}}", message), soft_wrap=True)


def warn(message: str) -> None:
    err_console.print(say("[yellow]warning:[/] {}", message), soft_wrap=True)


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


Command = TypeVar("Command", bound=Callable[..., Any])


def family_options(families: Iterable[str], after: str) -> Callable[[Command], Command]:
    """Give a command one repeatable option `--<family> FILE` per family of the registry
    (fields.FAMILY_REGISTRY), placed after its parameter `after`; the command receives
    them as `**files_by_family`. A family added to the registry gets its option here,
    with no edit to the command."""
    from abmcli.fields import FAMILY_REGISTRY

    def option(name: str) -> inspect.Parameter:
        info = typer.Option(f"--{name}", metavar="FILE", show_default=False,
                            help=FAMILY_REGISTRY[name].option_help)
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=[],
                                 annotation=Annotated[list[str], info])

    def decorate(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True).parameters.values()
        params: list[inspect.Parameter] = []
        for param in own:
            if param.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))
            if param.name == after:
                params.extend(option(name) for name in families)
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        return command

    return decorate
