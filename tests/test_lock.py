"""The run lock: one run per output folder, a killed run never blocks the next."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from abmcli.errors import ExitCode
from abmcli.lock import LOCK_NAME, LockedError, run_lock

HOLD_LOCK = """
import sys, time
from abmcli.lock import run_lock
with run_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_the_lock_file_names_the_holder_while_held_and_is_emptied_after(tmp_path: Path) -> None:
    with run_lock(tmp_path / "out") as lock:
        written = json.loads(lock.path.read_text(encoding="utf-8"))
        assert written["pid"] == os.getpid()
        assert written["host"] == lock.holder.host
        assert lock.stale is None
    assert (tmp_path / "out" / LOCK_NAME).read_text(encoding="utf-8") == ""


def test_a_second_run_stops_at_once_with_the_lock_exit_code(tmp_path: Path) -> None:
    with run_lock(tmp_path), pytest.raises(LockedError) as caught:
        with run_lock(tmp_path):
            pytest.fail("two runs held the lock at once")
    assert caught.value.exit_code == ExitCode.LOCKED == 3
    assert f"another abm run is writing to this folder (pid {os.getpid()} on" in str(caught.value)


def test_the_lock_is_released_when_the_body_fails(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), run_lock(tmp_path):
        _ = 1 / 0
    with run_lock(tmp_path) as lock:
        assert lock.stale is None


def test_a_lock_held_by_a_killed_process_is_taken_over_and_reported(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError, match=f"pid {holder.pid} on"), run_lock(tmp_path):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with run_lock(tmp_path) as lock:
        assert lock.stale is not None
        assert lock.stale.pid == holder.pid


def test_a_lock_file_left_by_a_dead_pid_does_not_block(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text(
        '{"pid": 999999, "host": "cron-01", "started": "2026-11-23T06:00:00+00:00"}\n',
        encoding="utf-8")
    with run_lock(tmp_path) as lock:
        assert lock.stale is not None
        assert lock.stale.describe() == "pid 999999 on cron-01, started 2026-11-23T06:00:00+00:00"
