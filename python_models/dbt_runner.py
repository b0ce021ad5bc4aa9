"""Invoke dbt programmatically (one dbtRunner per process: no re-import per call)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from python_models.config import PROJECT_ROOT, SHARED_DBT_VARS, Settings, get_settings

log = logging.getLogger(__name__)


class DbtError(RuntimeError):
    """A dbt invocation failed; the message lists the failing nodes."""


@dataclass(frozen=True)
class DbtOutcome:
    command: str
    seconds: float
    statuses: dict[str, int]
    failures: list[str]


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment dbt needs, derived from the one settings object."""
    env = {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "KZONE_TARGET": settings.target,
        "KZONE_DUCKDB_PATH": str(settings.duckdb_path),
        "KZONE_DATASET_PREFIX": settings.dataset_prefix,
        "KZONE_BQ_PROJECT": settings.bq_project,
        "KZONE_BQ_LOCATION": settings.bq_location,
    }
    if settings.bq_api_endpoint:
        env["KZONE_BQ_API_ENDPOINT"] = settings.bq_api_endpoint
    return env


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
    full = [*args, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    shared = {var: getattr(settings, field) for field, var in SHARED_DBT_VARS.items()}
    full += ["--vars", json.dumps({**shared, **(vars or {})}, default=str)]
    log.info("dbt %s", " ".join(args))
    started = time.perf_counter()
    result = dbtRunner().invoke(full)
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    failures: list[str] = []
    results = getattr(result.result, "results", None) or []
    for r in results:
        status = str(getattr(r, "status", "unknown"))
        statuses[status] = statuses.get(status, 0) + 1
        if status in {"error", "fail", "runtime error"}:
            node = getattr(r, "node", None)
            failures.append(f"{getattr(node, 'unique_id', '?')}: {getattr(r, 'message', '')}")
    outcome = DbtOutcome(args[0], seconds, statuses, failures)
    log.info("dbt %s finished in %.1fs: %s", args[0], seconds, statuses or "ok")
    if raise_on_error and not result.success:
        detail = "; ".join(failures) or str(result.exception or "see dbt log above")
        raise DbtError(f"dbt {' '.join(args)} failed: {detail}")
    return outcome
