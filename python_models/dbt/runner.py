"""Invoke dbt programmatically (one dbtRunner per process: no re-import per call) and return its results.

The floor below the jobs: it runs dbt with what it is given (the environment dbt reads, the vars, the
threads) and reads neither the settings nor the warehouse. python_models.jobs.dbt_ops derives those from the
settings, applies the environment and owns the steps that need the warehouse (migrate, unmerged rows).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from python_models.dbt.project import PROJECT_ROOT

log = logging.getLogger(__name__)

#: Per-run values the SQL reads only when it executes, never at parse time (macros as_of_date() and tests_since_date()). dbt re-parses
#: the whole project whenever the --vars JSON changes (8.4 s against 3.7 s warm), so on DuckDB jobs/dbt_ops
#: passes these in the environment and the --vars JSON stays the same from one call and one day to the next.
#: On BigQuery the day also reaches a parse-time config (fct_pitcher_strikeouts' incremental_predicates), so
#: there it stays a var.
RUN_ENV_VARS = {"as_of_date": "KZONE_AS_OF_DATE", "tests_since_date": "KZONE_TESTS_SINCE_DATE"}
#: One parsed manifest per process, reused by the next command while nothing dbt renders at parse time
#: changed: the --vars JSON, the KZONE_/DBT_ environment (the day included) and the project's files (path, size,
#: mtime). It saves each later call of a job its parse (about 1 s warm, in process).
REUSE_MANIFEST = {
    "build",
    "run",
    "seed",
    "test",
    "snapshot",
    "source",
    "run-operation",
    "compile",
    "show",
    "ls",
}
PARSE_INPUTS = ("models", "macros", "tests", "seeds", "snapshots", "dbt_project.yml", "profiles.yml")
_parsed: dict[str, object] = {}
#: The dbt commands that take --threads (KZONE_THREADS; run-operation and parse do not)
THREADED_COMMANDS = {"build", "run", "seed", "test", "snapshot", "compile", "source", "show", "docs"}


class DbtError(RuntimeError):
    """A dbt invocation failed; the message lists the failing nodes (``detail``: what dbt said)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class DbtOutcome:
    command: str
    seconds: float
    statuses: dict[str, int]
    failures: list[str]
    warnings: list[str] = field(default_factory=list)
    #: Per node: unique_id, status, message and (source freshness) max_loaded_at / age in seconds.
    nodes: list[dict] = field(default_factory=list)
    #: dbt's own verdict (False also when it failed before running any node)
    success: bool = True


def _parse_key(flags: Sequence[str]) -> str:
    """What a parsed manifest depends on: the flags (vars), the environment dbt reads, the project's files."""
    import hashlib

    digest = hashlib.sha256("\0".join(flags).encode())
    for name in sorted(os.environ):
        if name.startswith(("KZONE_", "DBT_")):
            digest.update(f"{name}={os.environ[name]}\0".encode())
    for name in PARSE_INPUTS:
        path = PROJECT_ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                stat = file.stat()
                digest.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _manifest(flags: Sequence[str]) -> object | None:
    """The process's parsed manifest for these flags: reused while _parse_key holds, else parsed now (None
    when the parse fails: the command itself then parses and reports the error)."""
    from dbt.cli.main import dbtRunner

    key = _parse_key(flags)
    if _parsed.get("key") != key:
        _parsed.clear()
        result = dbtRunner().invoke(["parse", *flags])
        if not result.success or result.result is None:
            return None
        _parsed.update(key=key, manifest=result.result)
    return _parsed["manifest"]


def invoke_dbt(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    vars: Mapping[str, object],
    threads: int,
    log_level: str = "warn",
    raise_on_error: bool = True,
) -> DbtOutcome:
    """Run one dbt command in the project; raise DbtError naming failing nodes unless told not to.

    ``env``: the variables dbt's profile and macros read. dbtRunner reads them from os.environ, which this
    floor never writes: the caller applies them (python_models.jobs.dbt_ops.dbt_environment) and this checks
    they are in place, so a run never reads a previous call's day or warehouse. ``vars``: the --vars JSON.
    ``log_level``: dbt's own (warn keeps its per-node progress out of a terminal)."""
    import json

    from dbt.cli.main import dbtRunner

    stale = sorted(name for name, value in env.items() if os.environ.get(name) != value)
    if stale:
        raise DbtError(f"dbt {' '.join(args)}: {', '.join(stale)} not set in the environment dbt reads")
    flags = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if "--log-level" not in args:
        flags += ["--log-level", log_level]
    threaded = ["--threads", str(threads)] if args and args[0] in THREADED_COMMANDS else []
    flags += ["--vars", json.dumps(dict(vars), default=str)]
    full = [*args, *flags, *(threaded if "--threads" not in args else [])]
    log.info("dbt %s", " ".join(args))
    started = time.perf_counter()
    reusable = bool(args) and args[0] in REUSE_MANIFEST and not {"--target", "--profile"} & set(args)
    manifest = _manifest(flags) if reusable else None
    errors: list[str] = []  # error-level events: run-operation reports its failure only as an event

    def collect(event: object) -> None:
        info = getattr(event, "info", None)
        if getattr(info, "level", "") == "error" and getattr(info, "msg", ""):
            errors.append(str(info.msg).strip())

    result = dbtRunner(manifest=manifest, callbacks=[collect]).invoke(full)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    failures: list[str] = []
    warnings: list[str] = []
    nodes: list[dict] = []
    results = getattr(result.result, "results", None) or []
    for r in results:
        status = str(getattr(r, "status", "unknown"))
        statuses[status] = statuses.get(status, 0) + 1
        uid = getattr(getattr(r, "node", None), "unique_id", "?")
        message = getattr(r, "message", "") or ""
        nodes.append(
            {
                "unique_id": uid,
                "status": status,
                "message": message,
                "max_loaded_at": getattr(r, "max_loaded_at", None),
                "age": getattr(r, "age", None),
            }
        )
        if status in {"error", "fail", "runtime error"}:
            failures.append(f"{uid}: {message}" if message else uid)
        elif status == "warn":
            warnings.append(f"{uid}: {message}")
    outcome = DbtOutcome(args[0], seconds, statuses, failures, warnings, nodes, bool(result.success))
    log.info("dbt %s finished in %.1fs: %s", args[0], seconds, statuses or "ok")
    if raise_on_error and not result.success:
        detail = "; ".join(failures) if any(": " in f for f in failures) else ""
        detail = detail or " | ".join(errors[-3:]) or str(result.exception or "see dbt log above")
        raise DbtError(f"dbt {' '.join(args)} failed: {detail}", detail)
    return outcome
