"""One `kzone daily` at a time per warehouse: an exclusive lock on a file, taken before anything runs.

Two overlapping runs would otherwise race on dbt's relations (the second failed with a dbt lock error).
The lock is ``flock`` on ``<warehouse>.daily.lock`` (DuckDB: beside the warehouse file; BigQuery: in
KZONE_CACHE_DIR, named for the project and dataset prefix, so it serialises the runs of one machine). The
holder writes its pid and start time into the file, so the second run can say who holds it. The kernel
releases the lock when the holder exits, however it exits (kill -9 included): there is no stale lock to
clean up. The second run waits up to KZONE_RUN_LOCK_WAIT_S seconds (default 0), then stops with
RunInProgressError, exit code 75 (EX_TEMPFAIL: try again later).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from python_models.config import Settings

log = logging.getLogger(__name__)

EXIT_RUN_IN_PROGRESS = 75  # sysexits.h EX_TEMPFAIL


class RunInProgressError(RuntimeError):
    """Another run holds the lock; the message names its pid and start time."""

    exit_code = EXIT_RUN_IN_PROGRESS


def lock_path(settings: Settings, name: str = "daily") -> Path:
    """The lock file of ``name`` runs on this settings' warehouse."""
    if settings.target == "local":
        return settings.duckdb_path.with_name(f"{settings.duckdb_path.name}.{name}.lock")
    return settings.cache_dir / f"{settings.bq_project}.{settings.dataset_prefix or '-'}.{name}.lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    return f"pid {info.get('pid', '?')}, since {info.get('since', '?')}"


@contextmanager
def run_lock(settings: Settings, name: str = "daily", wait_s: float | None = None) -> Iterator[Path]:
    """Hold the ``name`` lock for the block; wait up to ``wait_s`` (default KZONE_RUN_LOCK_WAIT_S) for it."""
    wait_s = settings.run_lock_wait_s if wait_s is None else wait_s
    path = lock_path(settings, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with open(path, "a+", encoding="utf-8") as fh:
        waited = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    raise RunInProgressError(
                        f"another kzone {name} run is in progress ({holder}; lock {path}): nothing was done; "
                        "run again when it ends, or set KZONE_RUN_LOCK_WAIT_S to wait for it"
                        + (f" (waited {wait_s:g} s)" if wait_s else "")
                    ) from None
                if not waited:
                    log.warning(
                        "another kzone %s run is in progress (%s): waiting up to %g s", name, holder, wait_s
                    )
                    waited = True
                time.sleep(min(0.5, max(deadline - time.monotonic(), 0.01)))
        fh.seek(0)
        fh.truncate()
        since = datetime.now(UTC).replace(microsecond=0).isoformat()
        fh.write(json.dumps({"pid": os.getpid(), "since": since}))
        fh.flush()
        try:
            yield path
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
