"""Invoke dbt programmatically (one dbtRunner per process: no re-import per call)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from python_models.config import SHARED_DBT_VARS, Settings, get_settings
from python_models.dbt.project import PROJECT_ROOT, var_overrides

log = logging.getLogger(__name__)

#: Per-run values the SQL reads only when it executes, never at parse time (macros as_of_date() and tests_since_date()). dbt re-parses
#: the whole project whenever the --vars JSON changes (8.4 s against 3.7 s warm), so on DuckDB the runner
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
    """A dbt invocation failed; the message lists the failing nodes."""


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


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment dbt needs, derived from the one settings object."""
    env = {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "KZONE_TARGET": settings.target,
        "KZONE_DUCKDB_PATH": str(settings.duckdb_path),
        "KZONE_DATASET_PREFIX": settings.dataset_prefix,
        "KZONE_BQ_PROJECT": settings.bq_project,
        "KZONE_BQ_LOCATION": settings.bq_location,
        "KZONE_THREADS": str(settings.threads),  # the local profile's threads and DuckDB's
    }
    if settings.bq_api_endpoint:
        env["KZONE_BQ_API_ENDPOINT"] = settings.bq_api_endpoint
    return env


def earliest_unmerged_date(settings: Settings) -> str:
    """The earliest game_date of a landing row not yet in pitcher_strikeouts with its latest content
    ('' when none). On BigQuery the table's MERGE is pruned to partitions on or after var
    predictions_merge_start; passing this date makes it reach every backfilled row (one query)."""
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.tables import PREDICTIONS_LANDING

    wh = open_warehouse(settings)
    try:
        if not (
            wh.table_exists(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
            and wh.table_exists("mlb_predictions", "pitcher_strikeouts")
        ):
            return ""
        landing = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
        merged = wh.relation("mlb_predictions", "pitcher_strikeouts")
        frame = wh.query(
            f"""
            select min(landing.game_date) as earliest
            from {landing} as landing
            left join {merged} as merged
                on landing.prediction_id = merged.prediction_id and landing.scored_at = merged.scored_at
            where merged.prediction_id is null
            """
        )
    finally:
        wh.close()
    value = frame["earliest"].iloc[0] if not frame.empty else None
    return "" if value is None or value != value else str(value)[:10]


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


def run_dbt(
    args: Sequence[str],
    settings: Settings | None = None,
    *,
    vars: dict | None = None,
    raise_on_error: bool = True,
) -> DbtOutcome:
    """Run one dbt command in the project; raise DbtError naming failing nodes unless told not to."""
    import json

    from dbt.cli.main import dbtRunner

    settings = settings or get_settings()
    os.environ.update(dbt_env(settings))
    flags = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if "--log-level" not in args:
        # dbt's per-node progress floods a terminal: its warnings and errors show, the rest goes to
        # logs/dbt.log (KZONE_LOG_LEVEL=DEBUG shows it all); the runner logs one summary line per command.
        flags += ["--log-level", "info" if settings.log_level == "DEBUG" else "warn"]
    threads = ["--threads", str(settings.threads)] if args and args[0] in THREADED_COMMANDS else []
    shared = {var: getattr(settings, field) for field, var in SHARED_DBT_VARS.items()}
    extra = dict(vars or {})
    if args and args[0] in {"build", "run"} and settings.target != "local":
        extra.setdefault("predictions_merge_start", earliest_unmerged_date(settings))
    for var, env_name in RUN_ENV_VARS.items():  # set or cleared on every call: a process runs many days
        value = extra.pop(var, "") if settings.target == "local" else ""
        os.environ[env_name] = str(value or "")
    flags += ["--vars", json.dumps({**var_overrides(), **shared, **extra}, default=str)]
    full = [*args, *flags, *(threads if "--threads" not in args else [])]
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
        from python_models.warehouse.factory import NO_CREDENTIALS_MARKERS, no_credentials_message

        if any(marker in detail for marker in NO_CREDENTIALS_MARKERS):  # dbt's lines of it, as one
            detail = no_credentials_message(settings.target, detail)
        raise DbtError(f"dbt {' '.join(args)} failed: {detail}")
    return outcome


#: What the seeds + migrations step reads: when none of it changed since the step last succeeded on this
#: warehouse (recorded in ops.dbt_setup_state), the daily job skips both dbt invocations.
SETUP_INPUTS = ("seeds", "macros/migrations", "dbt_project.yml")
SETUP_STEP = "seeds+migrations"


def setup_checksum(settings: Settings) -> str:
    """sha256 of the seeds + migrations step's inputs: the files it runs, and the warehouse objects it
    writes (the seed tables present, the legacy table's columns), so a dropped seed table or a legacy table
    loaded later makes the step run again."""
    import hashlib

    from python_models.warehouse import open_warehouse
    from python_models.warehouse.tables import LEGACY_PREDICTIONS

    digest = hashlib.sha256()
    seeds = []
    for name in SETUP_INPUTS:
        path = PROJECT_ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(f"{file.relative_to(PROJECT_ROOT)}\0".encode() + file.read_bytes())
                if file.suffix == ".csv" and name == "seeds":
                    seeds.append(file.stem)
    wh = open_warehouse(settings)
    try:
        present = [seed for seed in seeds if wh.table_exists("reference", seed)]
        legacy = LEGACY_PREDICTIONS.layer, LEGACY_PREDICTIONS.name
        columns = wh.columns_of(*legacy) if wh.table_exists(*legacy) else []
    finally:
        wh.close()
    digest.update(f"seeds present {present}; legacy columns {columns}".encode())
    return digest.hexdigest()


def _recorded_setup(settings: Settings) -> str:
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.tables import SETUP_STATE

    wh = open_warehouse(settings)
    try:
        if not wh.table_exists(SETUP_STATE.layer, SETUP_STATE.name):
            return ""
        frame = wh.query(
            f"select checksum from {wh.relation(SETUP_STATE.layer, SETUP_STATE.name)} where step = @step",
            {"step": SETUP_STEP},
        )
    finally:
        wh.close()
    return "" if frame.empty else str(frame["checksum"].iloc[0])


def _record_setup(settings: Settings, checksum: str) -> None:
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.tables import SETUP_STATE

    wh = open_warehouse(settings)
    try:
        wh.ensure_table(SETUP_STATE.layer, SETUP_STATE.name, SETUP_STATE.columns)
        rel = wh.relation(SETUP_STATE.layer, SETUP_STATE.name)
        wh.execute(f"delete from {rel} where step = @step", {"step": SETUP_STEP})
        wh.execute(
            f"insert into {rel} (step, checksum, recorded_at) values (@step, @checksum, current_timestamp)",
            {"step": SETUP_STEP, "checksum": checksum},
        )
    finally:
        wh.close()


def migrate(
    settings: Settings | None = None, *, vars: dict | None = None, only_if_changed: bool = False
) -> dict[str, DbtOutcome]:
    """The schema migrations of the legacy predictions table, as their own step before a build: the seeds
    they read (`dbt seed --full-refresh`: small, and a new seed column reloads), then `dbt run-operation
    run_migrations` (ordered, idempotent, each recorded once in ops.schema_migrations).
    ``only_if_changed`` (the daily job): skip both invocations, returning {}, when the step's inputs
    (setup_checksum) are those of its last success on this warehouse."""
    settings = settings or get_settings()
    if only_if_changed and setup_checksum(settings) == _recorded_setup(settings):
        log.info("seeds and migrations unchanged since they last ran here: skipped")
        return {}
    outcomes = {
        "seeds": run_dbt(["seed", "--full-refresh"], settings, vars=vars),
        "migrations": run_dbt(["run-operation", "run_migrations"], settings, vars=vars),
    }
    # the seeds and the migrations write what the checksum covers: take it again after they ran
    _record_setup(settings, setup_checksum(settings))
    return outcomes
