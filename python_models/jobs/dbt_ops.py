"""dbt as the jobs run it: the settings turned into dbt's environment and vars, and the dbt steps that need the
warehouse (the seeds + migrations step and its checksum, the earliest unmerged landing row).

python_models.dbt.runner only runs dbt with what it is given; this floor reads the settings and the warehouse.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence

from python_models.config import SHARED_DBT_VARS, Settings, get_settings
from python_models.dbt.project import PROJECT_ROOT, var_overrides
from python_models.dbt.runner import RUN_ENV_VARS, DbtError, DbtOutcome, invoke_dbt
from python_models.warehouse import open_warehouse
from python_models.warehouse.factory import NO_CREDENTIALS_MARKERS, no_credentials_message
from python_models.warehouse.tables import LEGACY_PREDICTIONS, SETUP_STATE

log = logging.getLogger(__name__)

#: What the seeds + migrations step reads: when none of it changed since the step last succeeded on this
#: warehouse (recorded in ops.dbt_setup_state), the daily job skips both dbt invocations.
SETUP_INPUTS = ("seeds", "macros/migrations", "dbt_project.yml")
SETUP_STEP = "seeds+migrations"
#: dbt's view of the landing rows the next build merges (models/marts/monitoring/predictions_unmerged.sql)
UNMERGED = ("mlb_predictions", "predictions_unmerged")


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


@contextlib.contextmanager
def dbt_environment(env: Mapping[str, str]) -> Iterator[None]:
    """``env`` in os.environ for the block, the previous values back after it. dbt has no other way in:
    dbtRunner, its profile (profiles.yml's env_var) and the macros as_of_date() / tests_since_date() read the
    process environment."""
    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_dbt(
    args: Sequence[str],
    settings: Settings | None = None,
    *,
    vars: dict | None = None,
    raise_on_error: bool = True,
) -> DbtOutcome:
    """Run one dbt command with the settings' environment, threads and shared vars (python_models.dbt.runner);
    raise DbtError naming failing nodes unless told not to."""
    settings = settings or get_settings()
    shared = {var: getattr(settings, field) for field, var in SHARED_DBT_VARS.items()}
    extra = dict(vars or {})
    if args and args[0] in {"build", "run"} and settings.target != "local":
        extra.setdefault("predictions_merge_start", earliest_unmerged_date(settings))
    env = dbt_env(settings)
    for var, env_name in RUN_ENV_VARS.items():  # set or cleared on every call: a process runs many days
        value = extra.pop(var, "") if settings.target == "local" else ""
        env[env_name] = str(value or "")
    # dbt's per-node progress floods a terminal: its warnings and errors show, the rest goes to
    # logs/dbt.log (KZONE_LOG_LEVEL=DEBUG shows it all); the runner logs one summary line per command.
    log_level = "info" if settings.log_level == "DEBUG" else "warn"
    try:
        with dbt_environment(env):
            return invoke_dbt(
                args,
                env=env,
                vars={**var_overrides(), **shared, **extra},
                threads=settings.threads,
                log_level=log_level,
                raise_on_error=raise_on_error,
            )
    except DbtError as error:
        if not any(marker in error.detail for marker in NO_CREDENTIALS_MARKERS):
            raise
        detail = no_credentials_message(settings.target, error.detail)  # dbt's lines of it, as one
        raise DbtError(f"dbt {' '.join(args)} failed: {detail}", detail) from None


def earliest_unmerged_date(settings: Settings) -> str:
    """The earliest game_date of dbt's predictions_unmerged (landing rows not yet in pitcher_strikeouts with
    their latest content; '' when none, or before the view exists). On BigQuery the table's MERGE is pruned
    to partitions on or after var predictions_merge_start; passing this date makes it reach every backfilled
    row (one query). Before the view's first build the pre-hook of fct_pitcher_strikeouts still stops a run
    that would miss a row, naming the date."""
    with open_warehouse(settings) as wh:
        if not wh.table_exists(*UNMERGED):
            return ""
        frame = wh.query(f"select min(game_date) as earliest from {wh.relation(*UNMERGED)}")
    value = frame["earliest"].iloc[0] if not frame.empty else None
    return "" if value is None or value != value else str(value)[:10]


def setup_checksum(settings: Settings) -> str:
    """sha256 of the seeds + migrations step's inputs: the files it runs, and the warehouse objects it
    writes (the seed tables present, the legacy table's columns), so a dropped seed table or a legacy table
    loaded later makes the step run again."""
    digest = hashlib.sha256()
    seeds = []
    for name in SETUP_INPUTS:
        path = PROJECT_ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(f"{file.relative_to(PROJECT_ROOT)}\0".encode() + file.read_bytes())
                if file.suffix == ".csv" and name == "seeds":
                    seeds.append(file.stem)
    with open_warehouse(settings) as wh:
        present = [seed for seed in seeds if wh.table_exists("reference", seed)]
        legacy = LEGACY_PREDICTIONS.layer, LEGACY_PREDICTIONS.name
        columns = wh.columns_of(*legacy) if wh.table_exists(*legacy) else []
    digest.update(f"seeds present {present}; legacy columns {columns}".encode())
    return digest.hexdigest()


def _recorded_setup(settings: Settings) -> str:
    with open_warehouse(settings) as wh:
        if not wh.table_exists(SETUP_STATE.layer, SETUP_STATE.name):
            return ""
        frame = wh.query(
            f"select checksum from {wh.relation(SETUP_STATE.layer, SETUP_STATE.name)} where step = @step",
            {"step": SETUP_STEP},
        )
    return "" if frame.empty else str(frame["checksum"].iloc[0])


def _record_setup(settings: Settings, checksum: str) -> None:
    with open_warehouse(settings) as wh:
        wh.ensure_table(SETUP_STATE.layer, SETUP_STATE.name, SETUP_STATE.columns)
        rel = wh.relation(SETUP_STATE.layer, SETUP_STATE.name)
        wh.execute(f"delete from {rel} where step = @step", {"step": SETUP_STEP})
        wh.execute(
            f"insert into {rel} (step, checksum, recorded_at) values (@step, @checksum, current_timestamp)",
            {"step": SETUP_STEP, "checksum": checksum},
        )


def ensure_runner_tables(settings: Settings) -> None:
    """Every table the runner writes and dbt reads (the raw sources, the scorer's landing table, the model
    registry), created empty if missing and with every column its contract names. dbt's views over them
    compile against the real tables, never an empty placeholder that would hide the scorer's first rows
    (int_starters_scored, the backfill's resume rule, reads the landing table through one)."""
    from python_models.ingest.loaders import ensure_raw_tables

    with open_warehouse(settings) as wh:
        ensure_raw_tables(wh, scoring=True)


def migrate(
    settings: Settings | None = None, *, vars: dict | None = None, only_if_changed: bool = False
) -> dict[str, DbtOutcome]:
    """The step before a build: the tables the runner owns (ensure_runner_tables), then the schema migrations
    of the legacy predictions table: the seeds
    they read (`dbt seed --full-refresh`: small, and a new seed column reloads), then `dbt run-operation
    run_migrations` (ordered, idempotent, each recorded once in ops.schema_migrations).
    ``only_if_changed`` (the daily job): skip both invocations, returning {}, when the step's inputs
    (setup_checksum) are those of its last success on this warehouse."""
    settings = settings or get_settings()
    ensure_runner_tables(settings)
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
