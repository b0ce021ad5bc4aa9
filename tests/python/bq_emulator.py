"""The local BigQuery stand-in (bqemulator 1.4.0) for integration tests: a launcher and a context manager.

bqemulator as published loads DuckDB's ``spatial`` extension at start-up, which it downloads; with no
network that fails. The launcher skips that one step (GEOGRAPHY functions are then unsupported, and
nothing here uses them) and otherwise runs the emulator's own CLI unchanged:

    python -m tests.python.bq_emulator start --rest-port 9050 --grpc-port 9060

:func:`running_emulator` starts it on free ports of 127.0.0.1 in a child process, waits for
``GET /healthz`` and stops it afterwards. It raises :class:`EmulatorUnavailable` (with the reason) when
the emulator cannot start, so tests can skip cleanly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class EmulatorUnavailable(RuntimeError):
    """The emulator could not be started here (not installed, missing dependency, no free port...)."""


@dataclass(frozen=True)
class Emulator:
    """A running emulator: where to point the client."""

    api_endpoint: str
    grpc_port: int
    pid: int
    log_file: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/healthz", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_emulator(
    log_dir: Path, *, project: str = "kzone-test", start_timeout_s: float = 60.0
) -> Iterator[Emulator]:
    """Start bqemulator on free ports of 127.0.0.1; yield its endpoint; stop it (and only it) after."""
    try:
        import bqemulator  # noqa: F401
        import numpy  # noqa: F401  (bqemulator needs it but does not declare it)
    except ImportError as exc:
        raise EmulatorUnavailable(f"bqemulator cannot be imported: {exc}") from exc
    rest_port, grpc_port = _free_port(), _free_port()
    endpoint = f"http://127.0.0.1:{rest_port}"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"bqemulator_{rest_port}.log"
    cmd = [
        sys.executable,
        "-m",
        "tests.python.bq_emulator",
        "start",
        "--rest-host",
        "127.0.0.1",
        "--rest-port",
        str(rest_port),
        "--grpc-host",
        "127.0.0.1",
        "--grpc-port",
        str(grpc_port),
        "--ephemeral",
        "--project",
        project,
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_file.open("wb") as out:
        proc = subprocess.Popen(  # from the project root, where `tests.python` is importable
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=Path(__file__).resolve().parents[2],
        )
    try:
        deadline = time.monotonic() + start_timeout_s
        while not _healthy(endpoint):
            if proc.poll() is not None:
                tail = log_file.read_text(errors="replace")[-2000:]
                raise EmulatorUnavailable(f"bqemulator exited with {proc.returncode}: {tail}")
            if time.monotonic() > deadline:
                raise EmulatorUnavailable(f"bqemulator not healthy after {start_timeout_s:.0f}s")
            time.sleep(0.2)
        yield Emulator(endpoint, grpc_port, proc.pid, log_file)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop the emulator we started: SIGTERM to its own process group, SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def main() -> None:
    """Run bqemulator's CLI without loading the spatial extension (it would be downloaded)."""
    import bqemulator.storage.engine as engine
    from bqemulator.cli import main as cli_main

    engine.DuckDBEngine._load_spatial = lambda self: None  # type: ignore[method-assign]
    cli_main()


if __name__ == "__main__":
    main()
