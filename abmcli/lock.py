"""One `abm run` at a time per output folder.

The lock is an advisory `flock` on `OUT/abm-run.lock`. The kernel releases it when its
holder exits or is killed, so a crashed run can never block next week's: the lock of a
dead process is simply free. The file holds the holder's pid, host and start time, so a
second run can say who is running; a clean exit empties the file, so finding a holder's
details in a free lock means that run died, and the new run reports the stale lock it
took over.

flock needs a POSIX system (Linux, macOS), where cron runs.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from abmcli.errors import AbmError, ExitCode

LOCK_NAME = "abm-run.lock"
# The descriptors of the locks this process holds, closed in every process forked from
# it (workers.py): a worker must not keep the lock held after its parent died.
_HELD: set[int] = set()


def _close_held_in_child() -> None:
    for descriptor in _HELD:
        with suppress(OSError):
            os.close(descriptor)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


class LockedError(AbmError):
    """Another run holds the lock on the output folder."""

    exit_code = ExitCode.LOCKED


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a lock."""

    pid: int
    host: str
    started: str  # ISO time with offset

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started}"

    @classmethod
    def me(cls) -> LockHolder:
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        return cls(os.getpid(), socket.gethostname(), started)


@dataclass(frozen=True)
class RunLock:
    """A held lock; `stale` is the run that died holding it before, if any."""

    path: Path
    holder: LockHolder
    stale: LockHolder | None


@contextmanager
def run_lock(folder: Path) -> Iterator[RunLock]:
    """Hold the lock on `folder` (created if needed) for the body; raise LockedError at
    once when another process holds it."""
    path = Path(folder) / LOCK_NAME
    descriptor = _open_lock_file(path)
    _HELD.add(descriptor)
    try:
        if not _try_lock(descriptor):
            raise LockedError(_locked_message(path, read_holder(descriptor)))
        stale = read_holder(descriptor)
        holder = LockHolder.me()
        _write_holder(descriptor, holder)
        try:
            yield RunLock(path, holder, stale)
        finally:
            _write_holder(descriptor, None)  # emptied: the next run sees a clean exit
    finally:
        _HELD.discard(descriptor)
        os.close(descriptor)  # closing releases the flock


def _open_lock_file(path: Path) -> int:
    """Open (or create) the lock file itself, never a file a link in its place points to:
    the lock is truncated and rewritten, and a link planted as OUT/abm-run.lock must
    not make abm truncate the file it names."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        if path.is_symlink():
            raise AbmError(f"{path}: is a symbolic link, which abm does not follow for the "
                           "lock file it writes; delete the link and run again") from error
        raise AbmError(f"{path}: cannot create the lock file ({error.strerror}); choose an "
                       "output folder you can write to") from error
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or status.st_nlink > 1:
        os.close(descriptor)
        raise AbmError(f"{path}: is not a plain file of its own (a device, or a hard link "
                       "to another file), and abm truncates its lock file; delete it and "
                       "run again")
    return descriptor


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _locked_message(path: Path, holder: LockHolder | None) -> str:
    who = f" ({holder.describe()})" if holder else ""
    return (f"{path}: another abm run is writing to this folder{who}; this run stopped "
            "without changing anything. Wait for that run to finish, or give this one "
            "another --out folder")


def read_holder(descriptor: int) -> LockHolder | None:
    """The holder written in the lock file, None when it is empty or unreadable."""
    os.lseek(descriptor, 0, os.SEEK_SET)
    content = os.read(descriptor, 4096)
    try:
        fields = json.loads(content)
        return LockHolder(int(fields["pid"]), str(fields["host"]), str(fields["started"]))
    except (ValueError, KeyError, TypeError):
        return None


def _write_holder(descriptor: int, holder: LockHolder | None) -> None:
    os.ftruncate(descriptor, 0)
    if holder is not None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, json.dumps(asdict(holder)).encode() + b"\n")
    os.fsync(descriptor)
