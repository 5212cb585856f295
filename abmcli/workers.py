"""Work beside the main process: forked workers, so that `abm run` uses a second core.

A `Crew` runs pieces of work either in worker processes forked from this one (on Linux,
with more than one core) or here, one after the other, in the order given (elsewhere:
macOS and Windows, where fork is unsafe or missing; or when the caller asks for it, as
`abm run --sequential` does). Either way the work and its outputs are the same.

A worker is a fork: it sees every frame as it was at the fork, copy on write, so nothing
is copied on the way in. What the work returns comes back pickled through a pipe; so does
an exception it raises (its class, message and attributes: an AbmError is the same one
line and exit code as if it had been raised here) and every warning it logs to the
`abmcli` loggers (logged again here when its result is collected).

A worker never outlives its parent: it gets SIGTERM when the parent dies, even by
SIGKILL, and unwinds, removing its temporary files on the way; a parent that stops
(an error, Ctrl-C, SIGTERM) stops its workers before anything is cleaned up. Forked
workers do not hold the run's lock (lock.py closes it in every forked child).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

from abmcli.errors import AbmError

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_STOP_SECONDS = 10  # a stopped worker's time to unwind before it is killed outright
_READ_BYTES = 1 << 20
# The priority of work nothing waits for until the end (a file written beside the run):
# on two cores, three workers at one priority slowed the ones the run waits for.
BEHIND_NICENESS = 10


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work may run in forked workers here: Linux (fork is safe, and a worker can
    be told of its parent's death) with more than one core."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and cores() > 1


class WorkerStopped(BaseException):
    """Raised inside a worker told to stop (SIGTERM): it unwinds, cleaning up."""


class Job(Generic[T]):
    """One piece of work: done already (in this process), or running in a worker."""

    def __init__(self, value: T | None = None) -> None:
        self._value = value
        self._error: BaseException | None = None
        self.pid: int | None = None
        self._pipe: int | None = None
        self._received = bytearray()
        self._exit_code: int | None = None  # the worker's, until what it sent is decoded
        self._logs: list[logging.LogRecord] = []

    @property
    def running(self) -> bool:
        return self._pipe is not None

    def result(self) -> T:
        """The work's value, once it is done; raises what the work raised."""
        while self.running:
            self._read()
        self.settle()
        for record in self._logs:
            logging.getLogger(record.name).handle(record)
        self._logs = []
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def _read(self) -> None:
        """Take what the worker has sent so far; at the end, reap it (`settle` decodes)."""
        assert self._pipe is not None and self.pid is not None
        chunk = os.read(self._pipe, _READ_BYTES)
        if chunk:
            self._received += chunk
            return
        os.close(self._pipe)
        self._pipe = None
        _, status = os.waitpid(self.pid, 0)
        self._exit_code = os.waitstatus_to_exitcode(status)

    def settle(self) -> None:
        """Decode what a finished worker sent (once): apart from `_read`, so that
        `Crew.map` starts the next worker before it unpickles a result."""
        if self._exit_code is None:
            return
        self._decode(bytes(self._received), self._exit_code)
        self._received, self._exit_code = bytearray(), None

    def _decode(self, data: bytes, exit_code: int) -> None:
        if not data:
            how = (f"was killed by signal {-exit_code}" if exit_code < 0
                   else f"ended with code {exit_code}")
            self._error = AbmError(f"a worker process of this run {how} before it finished "
                                   "(out of memory?); run again, or with --sequential")
            return
        outcome: _Outcome = pickle.loads(data)
        self._logs = outcome.logs
        if outcome.raised is not None:
            self._error = outcome.raised.rebuilt()
        else:
            self._value = outcome.value

    def stop(self) -> None:
        """Stop the worker if it still runs (SIGTERM, then SIGKILL), and reap it."""
        if not self.running:
            return
        assert self._pipe is not None and self.pid is not None
        os.close(self._pipe)  # a worker sending its result gets EPIPE and ends
        self._pipe = None
        _signal(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_SECONDS
        while os.waitpid(self.pid, os.WNOHANG)[0] == 0:
            if time.monotonic() > deadline:
                _signal(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.01)
        self._error = WorkerStopped()


class Crew:
    """Work run in forked workers (`apart`, where `can_fork`), or here one by one.

    Use as a context manager: leaving the block collects every job still running and
    raises the first error among them (in the order the jobs were started); leaving it
    by an exception stops them all first.
    """

    def __init__(self, apart: bool = True) -> None:
        self.apart = apart and can_fork()
        self.jobs: list[Job[Any]] = []

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if error is not None:
            self.stop()
            return
        try:
            for job in self.jobs:
                job.result()
        except BaseException:
            self.stop()
            raise

    def start(self, work: Callable[[], T], *, behind: bool = False) -> Job[T]:
        """Start `work` in a worker; here, run it now (raising what it raises).
        `behind`: nothing waits for the work until the end, so the worker yields the
        cores to the rest (a lower priority, `BEHIND_NICENESS`)."""
        if not self.apart:
            return Job(work())
        job: Job[T] = _fork(work, BEHIND_NICENESS if behind else 0)
        self.jobs.append(job)
        return job

    def map(self, works: Sequence[Callable[[], T]], at_once: int | None = None) -> list[T]:
        """The values of `works`, in their order, at most `at_once` (default: the cores)
        running at a time; here, run one after the other. Raises the error of the first
        work (in their order) that raised."""
        if not self.apart:
            return [work() for work in works]
        limit = max(1, at_once or cores())
        waiting = deque(range(len(works)))
        jobs: dict[int, Job[T]] = {}
        running: dict[int, Job[T]] = {}
        while waiting or running:
            while waiting and len(running) < limit:
                number = waiting.popleft()
                jobs[number] = running[number] = _fork(works[number])
                self.jobs.append(jobs[number])
            for job in jobs.values():  # results are unpickled while the next work runs
                job.settle()
            _read_ready(running)
        return [jobs[number].result() for number in range(len(works))]

    def stop(self) -> None:
        for job in self.jobs:
            job.stop()


def balanced(items: Sequence[T], weight: Callable[[T], int], parts: int) -> list[list[T]]:
    """`items` in at most `parts` lists of about equal `weight` (the heaviest item first,
    each to the lightest list so far), each list in the items' order: work for as many
    workers."""
    lists: list[list[int]] = [[] for _ in range(max(1, parts))]
    loads = [0] * len(lists)
    for position in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        lightest = loads.index(min(loads))
        lists[lightest].append(position)
        loads[lightest] += weight(items[position])
    return [[items[i] for i in sorted(found)] for found in lists if found]


def _read_ready(running: dict[int, Job[Any]]) -> None:
    """Read from the workers that have sent something; forget those that have finished."""
    by_pipe = {job._pipe: number for number, job in running.items()
               if job._pipe is not None}
    ready, _, _ = select.select(list(by_pipe), [], [])
    for pipe in ready:
        number = by_pipe[pipe]
        running[number]._read()
        if not running[number].running:
            del running[number]


def _signal(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


# --- inside a worker --------------------------------------------------------------------


@dataclass
class _Raised:
    """An exception as it travels from a worker: its class, arguments and attributes
    (an InputFileError's constructor takes other arguments than its `args`)."""

    kind: type[BaseException]
    args: tuple[Any, ...]
    attributes: dict[str, Any]
    trace: str

    @classmethod
    def of(cls, error: BaseException) -> _Raised:
        trace = "".join(traceback.format_exception(error))
        raised = cls(type(error), error.args, dict(vars(error)), trace)
        try:
            pickle.dumps(raised)
        except Exception:  # noqa: BLE001 - an exception holding what cannot travel
            raised = cls(RuntimeError, (f"{type(error).__name__}: {error}",), {}, trace)
        return raised

    def rebuilt(self) -> BaseException:
        error = self.kind.__new__(self.kind)
        error.args = self.args
        error.__dict__.update(self.attributes)
        error.__cause__ = _WorkerTrace(self.trace)
        return error


class _WorkerTrace(Exception):
    """The traceback of an exception raised in a worker (shown by --verbose)."""

    def __str__(self) -> str:
        return "raised in a worker process:\n" + str(self.args[0])


@dataclass
class _Outcome:
    value: Any = None
    raised: _Raised | None = None
    logs: list[logging.LogRecord] = field(default_factory=list)


class _Collected(logging.Handler):
    """What the work logs, kept to be logged again in the parent."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)


# Held back while a worker is forked: until the worker has its own SIGTERM handler, the
# parent's (inherited) would run in it, in the middle of Python's after-fork hooks, and
# print a traceback from the worker when a run is stopped just then.
_HELD_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _fork(work: Callable[[], T], niceness: int = 0) -> Job[T]:
    receive, send = os.pipe()
    parent = os.getpid()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    pid = os.fork()
    if pid == 0:  # the worker: it never returns from here
        os.close(receive)
        _work_and_exit(work, send, parent, mask, niceness)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    os.close(send)
    job: Job[T] = Job()
    job.pid, job._pipe = pid, receive
    return job


def _work_and_exit(work: Callable[[], Any], send: int, parent: int,
                   mask: Iterable[int], niceness: int) -> None:
    """Run `work`, send its outcome, and end the process without unwinding into the
    parent's stack (its cleanup is the parent's): os._exit, whatever happens. `mask`:
    the signal mask to restore once the worker's own handlers are in place."""
    code = 1
    try:
        logs = _Collected()
        outcome = _Outcome(logs=logs.records)
        try:
            _become_worker(parent, logs, mask)
            if niceness:
                os.nice(niceness)
            outcome.value = work()
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # noqa: BLE001 - every error goes to the parent
            outcome.value, outcome.raised = None, _Raised.of(error)
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with open(send, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


def _become_worker(parent: int, logs: _Collected, mask: Iterable[int]) -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a SIGTERM held back arrives now
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        raise WorkerStopped()
    # The parent's objects are never collected here: a collection would touch (and so
    # copy) every page holding one.
    gc.freeze()
    logger = logging.getLogger("abmcli")
    logger.handlers, logger.propagate = [logs], False
    # Fresh stdout and stderr objects: the parent's spinner thread may have held their
    # locks at the fork, and a Python warning printed here would then wait forever.
    sys.stdout = open(1, "w", encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
                      errors="backslashreplace", closefd=False, buffering=1)
    sys.stderr = open(2, "w", encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
                      errors="backslashreplace", closefd=False, buffering=1)


def _stop(_signal: int, _frame: object) -> None:
    raise WorkerStopped()


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
