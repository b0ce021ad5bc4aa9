"""One `kzone daily` at a time per warehouse: a second run says who holds the lock (pid, since) and exits 75
without touching anything, or waits for it when KZONE_RUN_LOCK_WAIT_S allows."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from python_models.jobs.daily import run_daily
from python_models.jobs.lock import EXIT_RUN_IN_PROGRESS, RunInProgressError, lock_path, run_lock

from .conftest import make_settings
from .feeds_fixture import run_cli


def test_a_second_daily_run_names_the_holder_and_does_nothing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    in_progress = rf"in progress \(pid {os.getpid()}, since 20\d\d-"
    with run_lock(settings, "daily"), pytest.raises(RunInProgressError, match=in_progress):
        run_daily(settings, date(2026, 9, 27))
    assert not settings.duckdb_path.exists(), "the second run opened the warehouse"


def test_the_cli_exits_75_while_another_run_holds_the_lock(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with run_lock(settings, "daily"):
        result = run_cli(["daily", "--date", "2026-09-27"], settings.duckdb_path)
    assert result.exit_code == EXIT_RUN_IN_PROGRESS, result.output
    assert not settings.duckdb_path.exists()


def test_a_waiting_run_takes_the_lock_when_the_first_ends(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    held = threading.Event()

    def first() -> None:
        with run_lock(settings, "daily"):
            held.set()
            time.sleep(0.6)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    started = time.monotonic()
    with run_lock(settings, "daily", wait_s=10) as path:
        waited = time.monotonic() - started
        assert str(os.getpid()) in path.read_text()
    thread.join()
    assert 0.3 < waited < 5
    assert lock_path(settings).read_text() == "", "the holder's pid is cleared when it ends"


def test_a_lock_left_by_a_dead_process_is_not_stale(tmp_path: Path) -> None:
    """flock dies with its holder: a lock file from a killed run (pid written, process gone) is free."""
    settings = make_settings(tmp_path)
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"pid": 999999, "since": "2026-01-01T00:00:00+00:00"}')
    with run_lock(settings, "daily", wait_s=0):
        assert str(os.getpid()) in path.read_text()
