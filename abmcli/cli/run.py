"""`abm run`: the weekly job in one command, for a person at a terminal or for cron."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from abmcli.cli.common import (
    AsOfOption,
    QuietOption,
    as_date,
    clean,
    console,
    err_console,
    library_warnings_to,
    note,
    progress_steps,
    say,
    warn,
)
from abmcli.cli.diff import render_change_counts
from abmcli.errors import AbmError, ExitCode
from abmcli.words import counted

if TYPE_CHECKING:
    from abmcli.run import RunResult

Log = Callable[[str], None]


def run(
    config: Annotated[
        Path, typer.Option("--config", "-c", help="abm.toml naming the inputs, the output "
                           "folder, the ICP, tiers and segments.")
    ] = Path("abm.toml"),
    as_of: AsOfOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", show_default=False,
                     help="Output folder (default: [output] folder in the config)."),
    ] = None,
    quiet: QuietOption = False,
    log_file: Annotated[
        Path | None,
        typer.Option("--log-file", show_default=False,
                     help="Append plain progress and result lines to this file."),
    ] = None,
    sequential: Annotated[
        bool,
        typer.Option("--sequential", help="Do every step in this one process. By default, "
                     "on Linux, the input files are read and the workbooks written in "
                     "worker processes, using a second core (the same files either way)."),
    ] = False,
) -> None:
    """Run the weekly job: merge the inputs the config names, score, tier, cut the
    segment lists and compare with the previous run, into OUT/2026-W48/ (the ISO week of
    the run date); OUT/latest points at the newest complete run. Exit 1 when some
    inputs failed (the rest were processed), 3 when another run holds the lock.

    Example: abm run --config abm.toml --quiet --log-file abm-run.log
    """
    from abmcli.run import run_weekly
    from abmcli.safe import refuse_writing_inputs

    refuse_writing_inputs({"--log-file": log_file}, [config])
    with (_log_lines(log_file) as log, library_warnings_to(log, quiet=quiet),
          progress_steps(quiet) as spinner):
        def step(message: str) -> None:
            spinner(message)
            log(message)

        log(f"abm run started with {config}")
        result = _logged(log, lambda: run_weekly(config, as_of=as_date(as_of), out=out,
                                                 progress=step, sequential=sequential))
    _report_failures(result)
    if not quiet:
        render_run(result)
    if result.exit_code != ExitCode.OK:
        raise typer.Exit(int(result.exit_code))


def _logged(log: Log, work: Callable[[], RunResult]) -> RunResult:
    """Run `work`, logging its outcome (counts only: no vendor data in the log)."""
    try:
        result = work()
    except AbmError as error:
        log(f"failed (exit {int(error.exit_code)}): {error}")
        raise
    except Exception as error:
        log(f"internal error (exit {int(ExitCode.INTERNAL)}): {type(error).__name__}")
        raise
    for line in result_lines(result):
        log(line)
    return result


def result_lines(result: RunResult) -> list[str]:
    """The plain lines a log gets about a finished run."""
    summary = result.summary
    lines = [f"{result.week} as of {result.as_of}: {counted(result.accounts, 'account')} from "
             f"{counted(summary['rows_in'], 'row')}, {summary['rows_rejected']:,} rejected"]
    lines += [f"input {used.family} {used.path}: {counted(used.rows, 'row')}, sha256 {used.sha256}"
              for used in result.inputs]
    lines += [line for used in result.inputs if (line := used.passed_over()) is not None]
    lines += [f"input failed {failure.family} {failure.pattern}: {failure.problem}"
              for failure in result.failures]
    lines.append("tiers: " + ", ".join(f"{tier} {n:,}" for tier, n in result.tiers.items()))
    lines.append(f"changes since {result.changes.old or 'nothing (first run)'}: "
                 + result.changes.counts_text())
    lines.append(f"{counted(len(summary['warnings']), 'warning')}, see "
                 f"{result.folder / 'summary.json'}")
    status = "partial" if result.exit_code == ExitCode.PARTIAL else "ok"
    lines.append(f"finished {status} (exit {int(result.exit_code)}): wrote {result.folder}")
    return lines


@contextmanager
def _log_lines(path: Path | None) -> Iterator[Log]:
    """A writer of timestamped plain lines to `path` (appended), or one that does nothing."""
    if path is None:
        yield lambda _message: None
        return
    try:
        handle = path.open("a", encoding="utf-8")
    except OSError as error:
        raise AbmError(f"{path}: cannot open the log file ({error.strerror}); check the "
                       "folder exists and is writable") from error
    with handle:
        def write(message: str) -> None:
            stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            handle.write(f"{stamp} {clean(message)}\n")
            handle.flush()

        yield write


def _report_failures(result: RunResult) -> None:
    """Failed inputs go to stderr even with --quiet: someone has to fix them."""
    for failure in result.failures:
        warn(f"{failure.family} input {failure.pattern}: {failure.problem}")
    if result.failures:
        err_console.print(say("[yellow]partial run:[/] {} input(s) failed, the rest were "
                              "processed; see {}/summary.json", len(result.failures),
                              result.folder), soft_wrap=True)


def render_run(result: RunResult) -> None:
    summary = result.summary
    console.print(f"[bold]{result.week}[/] (as of {result.as_of}): "
                  f"{counted(result.accounts, 'account')} from "
                  f"{counted(summary['rows_in'], 'row')} in {counted(len(result.inputs), 'file')}; "
                  f"{counted(summary['rows_rejected'], 'row')} rejected", soft_wrap=True)
    console.print(" · ".join(f"{tier} {count:,}" for tier, count in result.tiers.items()))
    render_change_counts(result.changes)
    carried = summary.get("memory", {}).get("accounts_with_carried_data", 0)
    if carried:
        who = "1 account keeps" if carried == 1 else f"{carried:,} accounts keep"
        console.print(f"{who} data from an earlier week that this week's exports lack "
                      "(column carried)", soft_wrap=True)
    for used in result.inputs:
        if (line := used.passed_over()) is not None:
            note(line)
    for warning in result.warnings:
        warn(warning)
    decisions = summary["decisions"]
    if decisions["candidates_to_review"]:
        console.print(say("{} to review: write accept or reject in the "
                          "decision column of {}; the next run applies them",
                          counted(decisions["candidates_to_review"], "candidate pair"),
                          decisions["file"]),
                      soft_wrap=True)
    if decisions.get("look_alikes_separated"):
        console.print(say("[dim]{} listed last on hub.xlsx's Review sheet for the record: the "
                          "names differ and the evidence says two companies (no decision "
                          "needed)[/]", counted(decisions["look_alikes_separated"],
                                                "look-alike pair")), soft_wrap=True)
    console.print(say("wrote {} (latest → {})", result.folder, result.week), soft_wrap=True)
