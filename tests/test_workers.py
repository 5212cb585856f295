"""Work in forked workers (workers.py): the same values, errors and warnings as work done
in the process itself; a worker never outlives its parent nor holds the run's lock; and
`abm run` writes the same files with workers as with --sequential."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from weekly_bundle import make_bundle

import abmcli.run
from abmcli.config import load_config
from abmcli.errors import AbmError, ExitCode, InputFileError
from abmcli.lock import run_lock
from abmcli.run import _largest_first, run_weekly
from abmcli.sources.load import load_source
from abmcli.stages import hub as hub_stage
from abmcli.stages.merge import merge_sources
from abmcli.workers import BEHIND_NICENESS, Crew, can_fork

EXAMPLES = Path(__file__).parents[1] / "examples"

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers fork only on Linux with 2+ cores")
AS_OF = dt.date(2026, 11, 25)


def _raise(error: BaseException) -> None:
    raise error


@needs_fork
def test_a_worker_s_error_comes_back_as_the_same_error() -> None:
    with pytest.raises(InputFileError) as raised, Crew() as crew:
        crew.start(lambda: _raise(InputFileError("x.csv", "is empty", "export it again")))
    error = raised.value
    assert str(error) == "x.csv: is empty. export it again"
    assert (error.path, error.problem, error.hint) == ("x.csv", "is empty", "export it again")
    assert error.exit_code == ExitCode.INPUT


@needs_fork
def test_values_come_back_in_order_and_the_first_error_in_order_is_raised() -> None:
    with Crew() as crew:
        assert crew.map([lambda n=n: n * n for n in range(5)], at_once=2) == [0, 1, 4, 9, 16]
        error = InputFileError("b.csv", "is empty")  # a value, as read_inputs returns it
        assert str(crew.map([lambda: error])[0]) == "b.csv: is empty"
    with pytest.raises(AbmError, match="^first$"), Crew() as crew:
        crew.map([lambda: 1, lambda: _raise(AbmError("first")),
                  lambda: _raise(AbmError("second"))])


@needs_fork
def test_a_worker_s_logged_warning_is_logged_by_the_parent(caplog) -> None:
    def work() -> int:
        logging.getLogger("abmcli.xlsx.workbook").warning("slower: %s", "cell by cell")
        return os.getpid()

    with caplog.at_level(logging.WARNING, logger="abmcli"), Crew() as crew:
        worker_pid = crew.start(work).result()
    assert worker_pid != os.getpid()
    assert [r.getMessage() for r in caplog.records] == ["slower: cell by cell"]


@needs_fork
def test_work_nothing_waits_for_runs_behind_the_rest() -> None:
    """A file written beside the run (memory.zip, lineage.csv) yields the cores to the
    work the run waits for; the run itself keeps its priority."""
    own = os.nice(0)
    with Crew() as crew:
        behind = crew.start(lambda: os.nice(0), behind=True)
        ahead = crew.start(lambda: os.nice(0))
        assert (behind.result(), ahead.result()) == (min(own + BEHIND_NICENESS, 19), own)
    assert os.nice(0) == own


def test_without_fork_the_work_runs_here_at_once_and_in_order() -> None:
    done: list[int] = []
    with Crew(apart=False) as crew:
        crew.start(lambda: done.append(1))
        assert done == [1]
        assert crew.map([lambda: done.append(2), lambda: done.append(3)]) == [None, None]
    assert done == [1, 2, 3]
    with pytest.raises(AbmError, match="now"), Crew(apart=False) as crew:
        crew.start(lambda: _raise(AbmError("now")))


@needs_fork
def test_a_worker_killed_by_a_signal_is_one_line_not_a_hang() -> None:
    with pytest.raises(AbmError, match="was killed by signal 9 before it finished"), \
            Crew() as crew:
        crew.start(lambda: os.kill(os.getpid(), signal.SIGKILL))


@needs_fork
def test_a_parent_that_fails_stops_its_workers_before_going_on(tmp_path: Path) -> None:
    late = tmp_path / "written late"

    def slow() -> None:
        time.sleep(5)
        late.touch()

    with pytest.raises(AbmError, match="parent failed"), Crew() as crew:
        job = crew.start(slow)
        raise AbmError("parent failed")
    assert job.pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(job.pid, os.WNOHANG)  # reaped: it no longer exists
    time.sleep(0.2)
    assert not late.exists()


# A parent that starts a worker writing its pid, then is killed outright.
_KILLED_PARENT = """
import os, signal, sys, time
from pathlib import Path
from abmcli.workers import Crew
mark = Path(sys.argv[1])
def work():
    mark.write_text(str(os.getpid()))
    time.sleep(60)
crew = Crew()
crew.start(work)
while not mark.exists() or not mark.read_text():
    time.sleep(0.01)
os.kill(os.getpid(), signal.SIGKILL)
"""


@needs_fork
def test_a_worker_dies_with_its_parent(tmp_path: Path) -> None:
    mark = tmp_path / "worker.pid"
    subprocess.run([sys.executable, "-c", _KILLED_PARENT, str(mark)], timeout=60)
    worker = int(mark.read_text())
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.split(")")[-1].split()[0] != "Z"  # a zombie has ended


@needs_fork
def test_a_worker_does_not_hold_the_run_lock(tmp_path: Path) -> None:
    def open_files() -> list[str]:
        return [os.readlink(f"/proc/self/fd/{n}") for n in os.listdir("/proc/self/fd")
                if os.path.exists(f"/proc/self/fd/{n}")]

    with run_lock(tmp_path) as lock, Crew() as crew:
        assert str(lock.path) in open_files()
        assert str(lock.path) not in crew.start(open_files).result()


# --- abm run with workers ------------------------------------------------------------------


def _contents(folder: Path, bundle: Path) -> dict[str, object]:
    """Every file of a run's folder; workbooks and zips member by member, without the
    creation time; summary.json without clock times; the bundle's path as BUNDLE."""
    def bare(data: bytes) -> bytes:
        return data.replace(str(bundle).encode(), b"BUNDLE")

    found: dict[str, object] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if path.suffix in {".xlsx", ".zip"}:
            with zipfile.ZipFile(path) as archive:
                found[name] = {m: bare(archive.read(m)) for m in archive.namelist()
                               if m != "docProps/core.xml"}
        elif path.name == "summary.json":
            summary = json.loads(bare(path.read_bytes()))
            for used in summary["inputs"]:
                used.pop("modified")  # the copies of the exports were made one by one
            # The workbooks' hashes change with their creation time, as the clock does.
            found[name] = {k: v for k, v in summary.items()
                           if k not in {"started", "finished", "seconds", "workbook_digests"}}
        else:
            found[name] = bare(path.read_bytes())
    return found


@needs_fork
def test_workers_and_sequential_runs_write_the_same_files(tmp_path: Path) -> None:
    found = []
    for how in ("workers", "sequential"):
        config = make_bundle(tmp_path / how)
        result = run_weekly(config, as_of=AS_OF, sequential=how == "sequential")
        found.append(_contents(result.folder, tmp_path / how))
    with_workers, sequential = found
    assert with_workers.keys() == sequential.keys()
    assert {"hub.xlsx", "lineage.csv", "memory.zip", "tiers.xlsx"} <= with_workers.keys()
    for name in with_workers:
        assert with_workers[name] == sequential[name], name


@needs_fork
def test_a_worker_s_error_stops_the_run_and_nothing_is_published(tmp_path: Path,
                                                                  monkeypatch) -> None:
    config = make_bundle(tmp_path)
    run_weekly(config, as_of=AS_OF - dt.timedelta(days=7))
    parent = os.getpid()

    def broken_memory(*_args: object) -> None:
        assert os.getpid() != parent  # written by a worker
        raise AbmError("memory.zip: the disk is full")

    monkeypatch.setattr(abmcli.run, "write_memory", broken_memory)
    with pytest.raises(AbmError, match="^memory.zip: the disk is full$"):
        run_weekly(config, as_of=AS_OF)
    out = tmp_path / "weekly"
    assert os.readlink(out / "latest") == "2026-W47"
    assert sorted(p.name for p in out.iterdir()) == [
        "2026-W47", "abm-run.lock", "decisions.csv", "latest", "memory.zip"]


@needs_fork
def test_the_hub_s_families_are_aggregated_in_a_worker_into_the_same_hub(monkeypatch) -> None:
    config = load_config(EXAMPLES / "abm.toml")
    sources = [load_source(path) for path in sorted(EXAMPLES.glob("*.csv"))]
    alone = merge_sources(sources, config).hub
    parent, aggregate = os.getpid(), hub_stage._family_frames

    def in_a_worker(*args: object) -> object:
        assert os.getpid() != parent
        return aggregate(*args)

    monkeypatch.setattr(hub_stage, "_family_frames", in_a_worker)
    with Crew() as crew:
        beside = merge_sources(sources, config, crew=crew).hub
    assert beside.equals(alone)
    assert beside.dtypes.equals(alone.dtypes)
    assert beside["has_intent"].any() and beside["crm_id"].notna().any()


class _RecordingCrew:
    """Takes the place of a Crew in workers: records the order works are handed to it."""

    apart = True

    def __init__(self) -> None:
        self.order: list[str] = []

    def map(self, works: list) -> list:
        self.order = [work() for work in works]
        return list(self.order)


def test_the_largest_file_is_read_first_and_the_sources_keep_the_config_s_order(
        tmp_path: Path) -> None:
    sizes = {"small.csv": 10, "large.csv": 3000, "missing.csv": None, "middle.csv": 500}
    paths = []
    for name, size in sizes.items():
        path = tmp_path / name
        if size is not None:
            path.write_text("x" * size, encoding="utf-8")
        paths.append(path)
    reads = [lambda name=path.name: name for path in paths]
    crew = _RecordingCrew()
    assert _largest_first(crew, reads, paths) == list(sizes)  # the config's order
    assert crew.order == ["large.csv", "middle.csv", "small.csv", "missing.csv"]
    crew.apart = False  # in one process, the config's order
    _largest_first(crew, reads, paths)
    assert crew.order == list(sizes)


_SIGNAL_AT_FORK = {"on": False}
if hasattr(os, "register_at_fork"):  # a hook cannot be removed: it acts while the flag is on
    os.register_at_fork(after_in_child=lambda: _SIGNAL_AT_FORK["on"] and os.kill(
        os.getpid(), signal.SIGTERM))


class _ParentHandlerRan(Exception):
    pass


@needs_fork
def test_a_sigterm_at_the_fork_stops_the_worker_with_its_own_handler(monkeypatch) -> None:
    """A run stopped while a worker is being forked: the signal waits until the worker's
    own handler is in place, so the parent's handler never runs in the worker (it would
    print a traceback from inside Python's after-fork hooks)."""
    def parent_handler(_number: int, _frame: object) -> None:
        raise _ParentHandlerRan()

    previous = signal.signal(signal.SIGTERM, parent_handler)
    _SIGNAL_AT_FORK["on"] = True
    try:
        with pytest.raises(BaseException) as raised, Crew() as crew:
            crew.start(lambda: 1).result()
    finally:
        _SIGNAL_AT_FORK["on"] = False
        signal.signal(signal.SIGTERM, previous)
    assert type(raised.value).__name__ == "WorkerStopped"


@needs_fork
def test_last_week_s_tiers_are_read_in_a_worker_beside_this_week_s_files(
        tmp_path: Path, monkeypatch) -> None:
    config = make_bundle(tmp_path)
    run_weekly(config, as_of=AS_OF - dt.timedelta(days=7))
    parent, read = os.getpid(), abmcli.run.read_account_sheets

    def in_a_worker(path: Path, sheets: list[str]) -> object:
        assert os.getpid() != parent
        return read(path, sheets)

    monkeypatch.setattr(abmcli.run, "read_account_sheets", in_a_worker)
    result = run_weekly(config, as_of=AS_OF)
    assert result.changes.old == "2026-W47" and result.changes.new == "2026-W48"
    (tmp_path / "weekly" / "2026-W47" / "tiers.xlsx").write_bytes(b"not a workbook")
    again = run_weekly(config, as_of=AS_OF)  # a rerun of the week compares with W47
    assert again.changes.old is None
    assert any("previous run's tiers.xlsx could not be read" in w for w in again.warnings)


def test_last_week_s_tier_sheets_are_split_for_two_workers_in_their_order() -> None:
    """By the accounts per tier summary.json gives: the largest sheet alone, the rest
    together, each part in the workbook's order; without counts, one part."""
    from abmcli.run import _sheet_parts

    sheets = ["Tier 1", "Tier 2", "Tier 3", "Waitlist", "Expansion", "Out of ICP"]
    counts = {"Tier 1": 5, "Tier 2": 50, "Tier 3": 40, "Waitlist": 32_044,
              "Expansion": 8_540, "Out of ICP": 57_638}
    assert _sheet_parts(sheets, counts, 2) == [
        ["Out of ICP"], ["Tier 1", "Tier 2", "Tier 3", "Waitlist", "Expansion"]]
    assert _sheet_parts(sheets, {}, 2) == [sheets]
    assert _sheet_parts(sheets, counts, 1) == [sheets]
    assert _sheet_parts(["Tier 1"], counts, 2) == [["Tier 1"]]
