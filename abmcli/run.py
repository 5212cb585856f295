"""`abm run`: the weekly job as one library call — merge, score, tier, segment, compare.

`run_weekly(config_path)` reads the inputs `[inputs]` names, and writes one dated folder
`OUT/2026-W48/` (the ISO week of the run date) holding hub.xlsx, tiers.xlsx (with a
Changes sheet), lineage.csv, tiers/*.csv, segments/, a copy of the config and
summary.json. `OUT/latest` is a symbolic link to the newest complete run's folder.

Safe under cron:

- The week's folder is built under a hidden temporary name (`.2026-W48.tmp-1a2b3c4d`)
  and only published once every file in it is written, summary.json last. Publishing
  points `latest` at the finished folder (an atomic `os.replace` of a symlink), renames
  the folder into place (moving a same-week folder from an earlier run aside first) and
  points `latest` at its final name. A run killed at any moment therefore leaves
  `latest` pointing at a complete folder and every earlier week's folder as it was; the
  next run clears what a killed run left (see `recover`).
- One run at a time per output folder (`lock.run_lock`): a second exits with
  ExitCode.LOCKED.
- A source that is missing or unreadable is listed in summary.json and the run goes on
  with the rest, ending with ExitCode.PARTIAL. Every other problem raises before
  `latest` changes.

Nothing is printed: the result carries what the CLI shows and summary.json holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from abmcli import __version__
from abmcli.config import GLOB_CHARACTERS, Config, Problem, load_config, raise_problems
from abmcli.config_checks import CONFIG_CHECKS
from abmcli.errors import AbmError, ExitCode, InputFileError
from abmcli.lock import run_lock
from abmcli.matching.decisions import Decisions, read_decisions, update_decisions_file
from abmcli.matching.match import account_id, identity_keys
from abmcli.measure.weekly import measure_inputs_only, measure_week, merge_inputs_only
from abmcli.outputs.hub_workbook import LINEAGE_SHEET_MAX_ROWS, hub_sheets
from abmcli.outputs.readback import account_sheets, joined_accounts, read_account_sheets
from abmcli.outputs.score_workbook import scores_sheet
from abmcli.outputs.tier_workbook import tier_workbook_sheets, write_tier_csvs
from abmcli.safe import atomic_path, refuse_writing_inputs, write_csv_parts
from abmcli.sections import SegmentSpec
from abmcli.sources.feeds import STREAM_OVER_BYTES
from abmcli.sources.load import Source, load_source
from abmcli.sources.read import sheet_suffix, trust_workbook, workbook_digest
from abmcli.stages.changes import Changes, changes_sheet, compare_accounts, first_run
from abmcli.stages.memory import (
    MEMORY_FILE,
    Memory,
    Recall,
    link_memory,
    mark_carried,
    read_memory,
    write_memory,
)
from abmcli.stages.memory import recall as recall_memory
from abmcli.stages.merge import MergeResult, identity_text, merge_sources
from abmcli.stages.score import ScoreResult, score_hub, texts
from abmcli.stages.segment import run_segments, segment_specs
from abmcli.stages.tier import TierResult, tier_accounts
from abmcli.workers import Crew, balanced
from abmcli.xlsx.provenance import facts_for
from abmcli.xlsx.workbook import Sheet, SummarySheet, write_workbook

Progress = Callable[[str], None]
T = TypeVar("T")

LATEST = "latest"
SUMMARY = "summary.json"
DIGEST_KIND = "blake2b-128"  # how summary.json's workbook_digests are hashed
WEEK_FOLDER = re.compile(r"^\d{4}-W\d{2}$")
STAGING = re.compile(r"^\.(\d{4}-W\d{2})\.tmp-[0-9a-f]+$")
MOVED_ASIDE = re.compile(r"^\.(\d{4}-W\d{2})\.old-[0-9a-f]+$")
LATEST_STAGING = re.compile(r"^\.(latest|memory\.zip)\.tmp-[0-9a-f]+$")


@dataclass
class InputUsed:
    """A file the run read: which `[inputs]` entry chose it and what it held."""

    family: str
    pattern: str  # as written in the config
    path: str
    rows: int
    sha256: str
    layout: str
    modified: str  # the file's modification time, ISO
    matched: int  # files the pattern matched (a glob takes the newest)

    def passed_over(self) -> str | None:
        """The line saying a glob matched several files and only the newest was read,
        so a wrong or stale file in exports/ does not go unseen; None for one match."""
        if self.matched < 2:
            return None
        others = self.matched - 1
        return (f"{self.family}: {self.pattern!r} matched {self.matched} files; read the "
                f"newest, {self.path}, and passed over {others} older "
                f"file{'s' if others != 1 else ''}")


@dataclass
class InputFailure:
    """An `[inputs]` entry that gave no usable file, and why."""

    family: str
    pattern: str
    path: str | None
    problem: str


@dataclass
class ResolvedInput:
    family: str
    pattern: str
    path: Path
    matched: int
    sheet: str | None = None  # "file.xlsx:Sheet" in [inputs]

    def spec(self) -> str:
        """What `load_source` reads: the file, with its sheet when one is named."""
        return f"{self.path}:{self.sheet}" if self.sheet else str(self.path)


@dataclass
class RunResult:
    """What a run did; `summary` is what summary.json holds."""

    week: str
    as_of: dt.date
    folder: Path  # OUT/<week>, published
    exit_code: ExitCode
    inputs: list[InputUsed]
    failures: list[InputFailure]
    accounts: int
    tiers: dict[str, int]
    changes: Changes
    warnings: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


def iso_week(day: dt.date) -> str:
    """2026-11-25 -> "2026-W48" (the ISO week, whose year can differ from the date's)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def load_run_config(path: Path | str) -> Config:
    """The config with every stage's settings checked: all problems in one ConfigError."""
    return load_config(path, checks=(*CONFIG_CHECKS, _check_inputs, _check_output))


def _check_inputs(config: Config) -> None:
    if not config.inputs:
        raise_problems(config, [Problem(("inputs",), '[inputs] names no files for abm run; '
                                        'add one line per family, e.g. fit = '
                                        '"exports/zoominfo*.csv" (abm init writes a starter)')])


def _check_output(config: Config) -> None:
    """The output folder and the decisions file must be what they say: a folder is not a
    decisions file, a file is not an output folder."""
    problems: list[Problem] = []
    if config.output.decisions and _is(config.decisions_path(Path(".")), Path.is_dir,
                                       ("output", "decisions"), problems):
        problems.append(Problem(("output", "decisions"), f"[output] decisions = "
                                f"{config.output.decisions!r} names a folder; name the "
                                "decisions CSV file, such as \"decisions.csv\""))
    if _is(config.output_folder(), Path.is_file, ("output", "folder"), problems):
        problems.append(Problem(("output", "folder"), f"[output] folder = "
                                f"{config.output.folder!r} is a file; name a folder"))
    raise_problems(config, problems)


def _is(path: Path, test: Callable[[Path], bool], key: tuple[str, str],
        problems: list[Problem]) -> bool:
    """`test(path)`; a path the system refuses to look at (a name too long) is a problem
    of the setting `key`, not a traceback."""
    try:
        return test(path)
    except OSError as error:
        problems.append(Problem(key, f"[{key[0]}] {key[1]} is no usable path "
                                f"({error.strerror}); name a shorter one"))
        return False


def run_weekly(config_path: Path | str, *, as_of: dt.date | None = None,
               out: Path | None = None, progress: Progress | None = None,
               sequential: bool = False) -> RunResult:
    """Run the weekly job for the config at `config_path` (see the module doc).

    `as_of` (default: the config's, else today) dates the run and names its week; `out`
    (default: `[output] folder`) is where the week folders, `latest` and the lock live.
    The input files are read, and the week's files written, in forked worker processes
    where workers.py can fork (Linux); `sequential` does all in this process. The
    outputs are the same bytes either way.
    """
    step = progress or (lambda _message: None)
    config = load_run_config(config_path)
    run_date = as_of or config.run_date()
    out_dir = Path(out) if out is not None else config.output_folder()
    with run_lock(out_dir) as lock:
        notes = recover(out_dir)
        if lock.stale is not None:
            notes.insert(0, f"took over the lock of a run that did not finish "
                         f"({lock.stale.describe()})")
        return _run_locked(config, run_date, out_dir, notes, step, apart=not sequential)


def _run_locked(config: Config, run_date: dt.date, out_dir: Path, warnings: list[str],
                step: Progress, apart: bool) -> RunResult:
    started = dt.datetime.now().astimezone()
    week = iso_week(run_date)
    # Last week's tiers.xlsx (a 100,000-account one takes seconds) is read in workers
    # while this week's files are read.
    earlier = previous_folder(out_dir, week)
    with Crew(apart and earlier is not None) as crew:
        last_week = read_previous(earlier, crew) if earlier else (lambda: (None, []))
        sources, used, failures = read_inputs(merge_inputs_only(config), step, apart=apart)
        previous, problems = last_week()
    to_measure, measure_failures = resolve_inputs(measure_inputs_only(config))
    decisions_path = config.decisions_path(out_dir)
    refuse_writing_inputs({"[output] decisions": decisions_path},
                          [*(source.path for source in sources),
                           *(entry.path for entry in to_measure), config.path])
    decisions = read_decisions(decisions_path)
    warnings.extend(problems)
    staging = out_dir / f".{week}.tmp-{secrets.token_hex(4)}"
    try:
        # Each file is written (by a worker, workers.py) as soon as what it holds is
        # known: memory.zip while the hub is built, lineage.csv while scoring.
        with Crew(apart) as crew:
            make_week_folder(staging)
            memory = Remembering(config, week, decisions, previous, warnings,
                                 writer=(crew, staging / MEMORY_FILE))
            merged = merge_sources(sources, config, decisions, step,
                                   remember=memory.remember if memory.on else None,
                                   crew=crew)
            warnings.extend(merged.warnings)
            crew.start(lambda: write_csv_parts(merged.lineage_csv_parts(),
                                               staging / "lineage.csv"), behind=True)
            hub = memory.mark(merged.hub)
            step("scoring")
            scored = score_hub(hub, config, run_date)
            # hub.xlsx needs the scores, not the tiers: written while this process tiers.
            write_hub_workbook(staging, merged, scored, facts_for(config, run_date), step,
                               crew)
            step("tiering")
            tiered = tier_accounts(scored.hub, config, as_of=run_date)
            changes = _changes(previous, tiered, week, config.changes.score_threshold,
                               decisions)
            outputs = RunOutputs(config, merged, scored, tiered, changes, previous,
                                 memory=memory.state())
            write_week(staging, outputs, run_date, warnings, step, crew)
        files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        step("measuring the scorecard")
        measured = measure_week(config, tiered.accounts, run_date, week, staging, out_dir,
                                to_measure, measure_failures,
                                [s for s in sources if s.family == "engagement"])
        files = sorted([*files, *measured.files])
        failures += [InputFailure(*failure) for failure in measured.failures]
        outputs.decisions_added = _update_decisions(decisions_path, merged)
        result = RunResult(week, run_date, out_dir / week,
                           ExitCode.PARTIAL if failures else ExitCode.OK, used, failures,
                           len(tiered.accounts), tiered.counts(), changes, warnings)
        result.summary = run_summary(result, outputs, started, files, decisions_path)
        if measured.summary is not None:
            result.summary["measure"] = measured.summary
        _write_json(staging / SUMMARY, result.summary)
        step(f"publishing {week}")
        publish(out_dir, staging, week)
        if outputs.memory is not None:
            link_memory(out_dir, LATEST)
    except BaseException:
        _discard(out_dir, staging)
        raise
    return result


# --- inputs -----------------------------------------------------------------------------


def read_inputs(config: Config, step: Progress, *, apart: bool = False,
                ) -> tuple[list[Source], list[InputUsed], list[InputFailure]]:
    """Load every input `[inputs]` names; a missing or unreadable one becomes a failure.
    With `apart`, the files are read in forked workers, as many at once as there are
    cores (workers.py); the result is the same, in the same order.

    Raises when no input at all could be read: there is nothing to run on.
    """
    resolved, failures = resolve_inputs(config)
    labels = [_label(entry.path, config.base_dir()) + (f":{entry.sheet}" if entry.sheet
                                                         else "") for entry in resolved]
    with Crew(apart and len(resolved) > 1) as crew:
        for label in labels if crew.apart else []:  # read at once, as many as the cores
            step(f"reading {label}")
        loaded = _largest_first(crew, [_reading(entry, label, config, step, crew.apart)
                                       for entry, label in zip(resolved, labels, strict=True)],
                                [entry.path for entry in resolved])
    sources, used = [], []
    for entry, label, outcome in zip(resolved, labels, loaded, strict=True):
        if isinstance(outcome, InputFileError):
            failures.append(InputFailure(entry.family, entry.pattern, label, str(outcome)))
            continue
        sources.append(outcome.source)
        used.append(outcome.used)
    if not sources:
        listing = "; ".join(failure.problem for failure in failures)
        raise AbmError(f"no input could be read, so nothing was run: {listing}")
    return sources, used, failures


def _largest_first(crew: Crew, reads: list[Callable[[], T]], paths: list[Path]) -> list[T]:
    """`crew.map(reads)`, in workers the largest file's read started first: the last
    read to start is then a small one, so the cores finish together (five files on two
    cores: a large file read last kept one core busy seconds after the other was done).
    In one process the files are read in the config's order."""
    order = list(range(len(reads)))
    if crew.apart:
        order.sort(key=lambda i: -_size(paths[i]))
    done = dict(zip(order, crew.map([reads[i] for i in order]), strict=True))
    return [done[i] for i in range(len(reads))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # read by the worker, which says what is wrong with it
        return 0


@dataclass
class _Loaded:
    source: Source
    used: InputUsed


def _reading(entry: ResolvedInput, label: str, config: Config, step: Progress,
             apart: bool) -> Callable[[], _Loaded | InputFileError]:
    """The work of loading one input file: the Source with what summary.json says of it,
    or why it could not be read. In a worker, its rows' match keys too; progress is told
    of it only in this process."""
    def read() -> _Loaded | InputFileError:
        if not apart:
            step(f"reading {label}")
        try:
            source = load_source(entry.spec(), family=entry.family, config=config,
                                 stream_over=STREAM_OVER_BYTES)
        except InputFileError as error:
            return error
        source = dataclasses.replace(source, label=label)
        if not apart:
            return _Loaded(source, _input_used(entry, source))
        # Matching keys every row; here the key of each row is found on the other core.
        keys = identity_keys(identity_text(source.records))
        return _Loaded(_without_raw_rows(dataclasses.replace(source, match_keys=keys)),
                       _input_used(entry, source))

    return read


def _without_raw_rows(source: Source) -> Source:
    """The source without its raw table's rows, which a run never reads again (its
    records hold the mapped fields, the lineage their row numbers): a worker sends it
    back pickled, and the raw text would double what crosses the pipe."""
    table = dataclasses.replace(source.table, rows=source.table.rows.iloc[:0],
                                row_numbers=source.table.row_numbers[:0])
    return dataclasses.replace(source, table=table)


def resolve_inputs(config: Config) -> tuple[list[ResolvedInput], list[InputFailure]]:
    """Each `[inputs]` entry as one file: a glob takes its newest match by modification
    time (then by name); paths are relative to the config file's folder. A workbook's
    sheet is named as on the command line: "exports/*.xlsx:Accounts"."""
    base = config.base_dir()
    resolved, failures = [], []
    for family, patterns in config.inputs.items():
        for pattern in patterns:
            files, sheet = _file_and_sheet(base, pattern)
            matches = _matches(base, files)
            if matches:
                newest = max(matches, key=lambda p: (p.stat().st_mtime, p.name))
                resolved.append(ResolvedInput(family, pattern, newest, len(matches), sheet))
            else:
                failures.append(InputFailure(family, pattern, None, _no_file(base, files)))
    return resolved, failures


def _file_and_sheet(base: Path, pattern: str) -> tuple[str, str | None]:
    """The file part of an [inputs] entry and its sheet; a file whose own name holds
    ".xlsx:" is taken as named."""
    if (base / pattern).exists():
        return pattern, None
    return sheet_suffix(pattern)


def _matches(base: Path, pattern: str) -> list[Path]:
    if not GLOB_CHARACTERS & set(pattern):
        path = base / pattern
        # Anything there is read, so a folder or a pipe is reported as what it is.
        return [path] if path.exists() else []
    # root_dir keeps glob characters in the config's own folder name from counting
    found = glob.glob(os.path.expanduser(pattern), root_dir=base)
    return [path for path in (base / name for name in found) if path.is_file()]


def _no_file(base: Path, pattern: str) -> str:
    where = base / pattern
    if GLOB_CHARACTERS & set(pattern):
        return (f"{where}: no file matches this pattern; put this week's export in "
                f"{where.parent} or fix the pattern in [inputs]")
    return f"{where}: file not found; put this week's export there or fix the path in [inputs]"


def _label(path: Path, base: Path) -> str:
    """The path as the config names it: relative to the config's folder when inside it."""
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _input_used(entry: ResolvedInput, source: Source) -> InputUsed:
    stat = entry.path.stat()
    modified = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
    return InputUsed(entry.family, entry.pattern, source.label, source.rows,
                     sha256_of(entry.path), source.layout.vendor,
                     modified.isoformat(timespec="seconds"), entry.matched)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the previous run and the changes ---------------------------------------------------


@dataclass
class PreviousRun:
    week: str
    accounts: pd.DataFrame
    folder: Path


def previous_folder(out_dir: Path, week: str) -> Path | None:
    """The folder of the newest complete run of an earlier week, if any."""
    earlier = sorted(
        (p for p in out_dir.iterdir() if WEEK_FOLDER.match(p.name) and p.name < week
         and (p / SUMMARY).is_file() and (p / "tiers.xlsx").is_file()),
        key=lambda p: p.name)
    return earlier[-1] if earlier else None


LastWeek = tuple[PreviousRun | None, list[str]]
# Workers reading last week's tier sheets: one took 13 s beside the two reading this
# week's files on two cores, and the run waited for it (a second week of 100,000
# accounts); two take about as many accounts each (Out of ICP; the other tiers).
PREVIOUS_WORKERS = 2


def read_previous(folder: Path, crew: Crew | None = None) -> Callable[[], LastWeek]:
    """Start reading the accounts of the run in `folder` (its tiers.xlsx; with `crew`,
    in workers); the function returned gives them, or why they are not listed. A
    tiers.xlsx with the content the run wrote (its summary.json's digest) is abm's own
    and is not scanned for far cells (workbook checks, sources/read.py); any other
    content is."""
    summary = _summary_of(folder)
    kind, _, digest = _written_digests(summary).get("tiers.xlsx", "").partition(":")
    if kind == DIGEST_KIND and digest:
        trust_workbook(digest)
    path = folder / "tiers.xlsx"
    try:
        sheets = account_sheets(path)
    except AbmError as error:
        problem = _unread_previous(error)
        return lambda: (None, [problem])
    parts = _sheet_parts(sheets, _tier_counts(summary),
                         PREVIOUS_WORKERS if crew is not None and crew.apart else 1)
    jobs = [(crew or Crew(apart=False)).start(functools.partial(_sheets_or_problem, path, part))
            for part in parts]

    def accounts() -> LastWeek:
        frames: list[pd.DataFrame] = []
        for job in jobs:
            found = job.result()
            if isinstance(found, str):
                return None, [found]
            frames += found
        return PreviousRun(folder.name, joined_accounts(frames), folder), []

    return accounts


def _sheets_or_problem(path: Path, sheets: list[str]) -> list[pd.DataFrame] | str:
    try:
        return read_account_sheets(path, sheets)
    except AbmError as error:
        return _unread_previous(error)


def _unread_previous(error: AbmError) -> str:
    return f"the changes are not listed: the previous run's tiers.xlsx could not be read ({error})"


def _sheet_parts(sheets: list[str], counts: dict[str, int], parts: int) -> list[list[str]]:
    """`sheets` in at most `parts` lists of about as many accounts each (`counts`, from
    the run's summary.json; without them, one list), each in the sheets' order."""
    if parts < 2 or not counts:
        return [sheets]
    return balanced(sheets, lambda sheet: counts.get(sheet, 0), parts)


def _tier_counts(summary: dict[str, Any]) -> dict[str, int]:
    """Accounts per tier of a run, as its summary.json says."""
    tiers = summary.get("tiers")
    if not isinstance(tiers, dict):
        return {}
    return {str(tier): count for tier, count in tiers.items() if isinstance(count, int)}


def _written_digests(summary: dict[str, Any]) -> dict[str, str]:
    """A run's summary.json's `workbook_digests`; {} where there are none (a run of an
    older abm)."""
    found = summary.get("workbook_digests")
    if not isinstance(found, dict):
        return {}
    return {str(name): str(digest) for name, digest in found.items()}


def _summary_of(folder: Path) -> dict[str, Any]:
    """The summary.json of the run in `folder`; {} where it cannot be read as an object."""
    try:
        summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return summary if isinstance(summary, dict) else {}


def _changes(previous: PreviousRun | None, tiered: TierResult, week: str,
             threshold: float, decisions: Decisions) -> Changes:
    if previous is None:
        return first_run(week, threshold)
    return compare_accounts(previous.accounts, tiered.accounts, threshold, previous.week, week,
                            merged_into(previous.accounts, decisions))


def merged_into(old: pd.DataFrame, decisions: Decisions) -> dict[str, str]:
    """account_id of each earlier account an accepted decision has since joined with
    another -> that account's id. An id is a hash of the account's key, so the keys the
    decisions name are hashed, not rebuilt from the hub's name (which is a display
    spelling, and lacks a split name's qualifier: `name:bolt @ estonia`)."""
    joined = {account_id(key): account_id(target)
              for key, target in decisions.joined().items()}
    return {account: joined[account] for account in texts(old, "account_id")
            if account in joined}


class Remembering:
    """The run's memory (memory.py): read from the previous run's folder, joined with
    this week's records while the hub is built, and the state to publish with the week."""

    def __init__(self, config: Config, week: str, decisions: Decisions,
                 previous: PreviousRun | None, warnings: list[str],
                 writer: tuple[Crew, Path] | None = None) -> None:
        self.settings, self.week, self.decisions = config.memory, week, decisions
        self.writer = writer  # who writes the state to publish, and where, once known
        self.on = config.memory.carry_forward_weeks > 0
        self.recalled: Recall | None = None
        self.memory = Memory()
        if self.on and previous is not None:
            try:
                self.memory = read_memory(previous.folder / MEMORY_FILE)
            except AbmError as error:
                warnings.append(f"started without memory of earlier weeks: {error}")

    def remember(self, family_rows: dict[str, pd.DataFrame],
                 ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
        self.recalled = recall_memory(self.memory, family_rows, self.week, self.settings,
                                      self.decisions)
        # The hub is built from these once; the run keeps only the memory to publish.
        self.memory, rows = Memory(), self.recalled.family_rows
        self.recalled.family_rows = {}
        if self.writer is not None:
            crew, path = self.writer
            state = self.recalled.state
            crew.start(lambda: write_memory(state, path), behind=True)
        return rows, self.recalled.identities

    def mark(self, hub: pd.DataFrame) -> pd.DataFrame:
        """The hub with the carried columns when the memory is on."""
        if self.recalled is None:
            return hub
        return mark_carried(hub, self.recalled.carried, self.week)

    def state(self) -> Memory | None:
        return self.recalled.state if self.recalled is not None else None


# --- writing the week's folder ----------------------------------------------------------


@dataclass
class RunOutputs:
    config: Config
    merged: MergeResult
    scored: ScoreResult
    tiered: TierResult
    changes: Changes
    previous: PreviousRun | None
    segments: list[dict[str, Any]] = field(default_factory=list)
    decisions_added: int = 0
    memory: Memory | None = None  # what the next week's run starts from
    digests: dict[str, str] = field(default_factory=dict)  # workbooks written: their hash


def make_week_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True)
    except OSError as error:  # an output folder made read-only after an earlier run
        raise AbmError(f"{folder.parent}: cannot write this week's folder there "
                       f"({error.strerror or error}); make the output folder writable, or "
                       "give another --out") from error


def write_hub_workbook(folder: Path, merged: MergeResult, scored: ScoreResult,
                       facts: dict[str, str], step: Progress, crew: Crew) -> None:
    """Start writing hub.xlsx into `folder` (by `crew`: in a worker, workers.py)."""
    step("writing hub.xlsx")
    crew.start(lambda: write_workbook(folder / "hub.xlsx",
                                      _hub_workbook_sheets(merged, scored), facts))


def write_week(folder: Path, outputs: RunOutputs, run_date: dt.date, warnings: list[str],
               step: Progress, crew: Crew) -> None:
    """Write the week's tier workbook, tier CSVs, segments and config copy into `folder`
    (lineage.csv, memory.zip and hub.xlsx are written as soon as what they hold is
    known, see `_run_locked`). The tier CSVs with the segment lists are written by
    `crew` (in a worker, workers.py) while this process writes tiers.xlsx."""
    facts = facts_for(outputs.config, run_date)
    checkpoint("writing")
    specs = segment_specs(outputs.config)
    if specs:
        step(f"writing the tier CSVs and {len(specs)} segment list(s)")
    lists = crew.start(lambda: _write_lists(outputs, folder, run_date, specs))
    step("writing tiers.xlsx")
    sheets = tier_workbook_sheets(outputs.tiered)
    sheets.insert(1, changes_sheet(outputs.changes))
    write_workbook(folder / "tiers.xlsx", sheets, facts)
    outputs.digests["tiers.xlsx"] = f"{DIGEST_KIND}:{workbook_digest(folder / 'tiers.xlsx')}"
    outputs.segments, segment_warnings = lists.result()
    warnings.extend(segment_warnings)
    if outputs.config.path is not None:
        shutil.copy2(outputs.config.path, folder / outputs.config.path.name)


def _write_lists(outputs: RunOutputs, folder: Path, run_date: dt.date,
                 specs: list[SegmentSpec]) -> tuple[list[dict[str, Any]], list[str]]:
    """The tier CSVs and the segment lists: what summary.json says of the lists, and
    their warnings."""
    write_tier_csvs(outputs.tiered, folder / "tiers")
    return write_segments(outputs, folder / "segments", run_date, specs)


def _hub_workbook_sheets(merged: MergeResult,
                         scored: ScoreResult) -> list[Sheet | SummarySheet]:
    """The merge's sheets with the scored hub, and the Scores sheet after the Hub."""
    with_scores = dataclasses.replace(merged, hub=scored.hub)
    sheets = hub_sheets(with_scores, merged.lineage_rows <= LINEAGE_SHEET_MAX_ROWS)
    position = next(i for i, sheet in enumerate(sheets) if sheet.name == "Hub")
    sheets.insert(position + 1, scores_sheet(scored))
    return sheets


def write_segments(outputs: RunOutputs, folder: Path, run_date: dt.date,
                   specs: list[SegmentSpec]) -> tuple[list[dict[str, Any]], list[str]]:
    """Cut the `[segments.*]` lists (alerts list only accounts new since the previous
    run): what summary.json says of each, and their warnings."""
    if not specs:
        return [], []
    previous = outputs.previous.accounts if outputs.previous is not None else None
    run = run_segments(outputs.tiered.accounts, specs, folder, run_date, previous)
    listed: list[dict[str, Any]] = []
    warnings: list[str] = []
    for output in run.outputs:
        warnings.extend(f"segment {output.name}: {warning}" for warning in output.warnings)
        listed.append({"name": output.name, "format": output.format, "rows": output.rows,
                       "files": [str(Path(folder.name) / p.name) for p in output.files]})
    return listed, warnings


def _update_decisions(path: Path, merged: MergeResult) -> int:
    """Add this week's new candidate pairs to the reviewer's decisions file; count them."""
    candidates = merged.open_candidate_rows()
    return update_decisions_file(path, candidates) if not candidates.empty else 0


def _write_json(path: Path, content: dict[str, Any]) -> None:
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n",
                        encoding="utf-8")


# --- summary.json -----------------------------------------------------------------------


def run_summary(result: RunResult, outputs: RunOutputs, started: dt.datetime,
                files: list[str], decisions_path: Path) -> dict[str, Any]:
    """What monitoring reads: status, inputs, counts, changes, warnings."""
    finished = dt.datetime.now().astimezone()
    merged = outputs.merged
    return {
        "status": "partial" if result.exit_code == ExitCode.PARTIAL else "ok",
        "exit_code": int(result.exit_code),
        "week": result.week,
        "as_of": result.as_of.isoformat(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "seconds": round((finished - started).total_seconds(), 1),
        "abm_version": __version__,
        "config": str(outputs.config.path),
        "inputs": [dataclasses.asdict(used) for used in result.inputs],
        "failed_inputs": [dataclasses.asdict(failure) for failure in result.failures],
        "rows_in": merged.rows_in,
        "rows_rejected": merged.match_counts()["rejected"],
        "accounts": result.accounts,
        "tiers": result.tiers,
        "coverage": {family: round(share, 4) for family, share in merged.coverage().items()},
        "decisions": {"file": str(decisions_path),
                      "candidates_to_review": merged.open_candidates(),
                      "look_alikes_separated": merged.separated_pairs(),
                      "added_this_run": outputs.decisions_added},
        "changes": result.changes.to_dict(),
        "memory": _memory_summary(outputs),
        "segments": outputs.segments,
        "warnings": result.warnings + _source_notes(merged),
        "files": [*files, SUMMARY],
        "workbook_digests": outputs.digests,
    }


def _memory_summary(outputs: RunOutputs) -> dict[str, Any]:
    """What the run remembered: the settings, its file, and the accounts it carried."""
    carried = texts(outputs.tiered.accounts, "carried")
    return {"carry_forward_weeks": outputs.config.memory.carry_forward_weeks,
            "history_weeks": outputs.config.memory.history_weeks,
            "file": MEMORY_FILE if outputs.memory is not None else None,
            "records": outputs.memory.rows() if outputs.memory is not None else 0,
            "accounts_with_carried_data": int((carried != "").sum())}


def _source_notes(merged: MergeResult) -> list[str]:
    return [f"{summary.source_file}: {note}" for summary in merged.files
            for note in [*summary.warnings, *summary.notes]]


# --- publishing and recovery ------------------------------------------------------------


def publish(out_dir: Path, staging: Path, week: str) -> Path:
    """Make the complete folder `staging` the week's folder and `latest`.

    `latest` points at `staging` first, so it names a complete run at every moment.
    """
    final = out_dir / week
    point_latest(out_dir, staging.name)
    checkpoint("publishing")
    aside = None
    if final.exists():
        aside = out_dir / f".{week}.old-{secrets.token_hex(4)}"
        os.rename(final, aside)
        checkpoint("moved-aside")
    os.rename(staging, final)
    point_latest(out_dir, week)
    _sync(out_dir)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return final


def point_latest(out_dir: Path, target: str) -> None:
    """Atomically make `OUT/latest` a relative symbolic link to `target`."""
    link = out_dir / LATEST
    if link.exists() and not link.is_symlink():
        raise AbmError(f"{link}: is a real folder, not the link abm keeps to the newest run; "
                       "move it away and run again")
    temp = out_dir / f".{LATEST}.tmp-{secrets.token_hex(4)}"
    os.symlink(target, temp)
    os.replace(temp, link)
    _sync(out_dir)


def recover(out_dir: Path) -> list[str]:
    """Clear what a killed run left in `out_dir`; return notes on what was done.

    A run killed while publishing is finished (`latest` already names its complete
    folder); a week's folder moved aside is restored if the new one never arrived; the
    half-written folders of killed runs are deleted.
    """
    notes = []
    target = os.readlink(out_dir / LATEST) if (out_dir / LATEST).is_symlink() else ""
    staged = STAGING.match(target)
    if staged and (out_dir / target / SUMMARY).is_file():
        publish(out_dir, out_dir / target, staged.group(1))
        notes.append(f"finished publishing {staged.group(1)}, which a killed run left "
                     "complete but unpublished")
    for entry in sorted(out_dir.iterdir()):
        notes.extend(_clear_leftover(out_dir, entry))
    return notes


def _clear_leftover(out_dir: Path, entry: Path) -> list[str]:
    aside = MOVED_ASIDE.match(entry.name)
    if aside and not (out_dir / aside.group(1)).exists():
        os.rename(entry, out_dir / aside.group(1))
        return [f"restored {aside.group(1)} from before a killed run"]
    if aside or STAGING.match(entry.name):
        shutil.rmtree(entry, ignore_errors=True)
        return [f"removed {entry.name}, left by a killed run"] if not aside else []
    if LATEST_STAGING.match(entry.name):
        entry.unlink(missing_ok=True)
    return []


def _discard(out_dir: Path, staging: Path) -> None:
    """Remove a failed run's folder, unless `latest` already names it (see `publish`)."""
    latest = out_dir / LATEST
    if latest.is_symlink() and os.readlink(latest) == staging.name:
        return
    shutil.rmtree(staging, ignore_errors=True)


def _sync(folder: Path) -> None:
    # Renames are durable only once the folder itself is flushed.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def checkpoint(point: str) -> None:
    """Called where a killed run would leave work half done: "writing" (the week's
    staging folder is being filled), "publishing" (about to swap it in) and
    "moved-aside" (a rerun's earlier folder is set aside). It does nothing; a test
    replaces it (`abmcli.run.checkpoint = ...`) to stop a run there and kill it."""
