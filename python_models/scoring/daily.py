"""The morning job, `kzone daily --date D`: four phases, dbt invoked once per phase.

1. migrate + build upstream: `dbt run-operation run_migrations`, then `dbt build` of everything the feature
   store depends on (sources' staging, intermediate features, ml_feature_store) with their tests;
2. models: make sure this month's walk-forward models exist (train + register if not);
3. score D: one feature query, every active system, staging table + one MERGE into the landing table;
4. build downstream: `dbt build` of the predictions table, snapshots, monitoring views and their gates.
A phase that fails stops the job with a message naming the phase; scoring failures of one system degrade
it (the others land) and are reported.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from python_models.config import Settings
from python_models.dbt_runner import DbtOutcome, run_dbt
from python_models.scoring.backfill import ensure_models, registered_versions, retrain_point
from python_models.scoring.scorer import Scorer, ScoreReport
from python_models.warehouse import open_warehouse

log = logging.getLogger(__name__)

UPSTREAM_SELECTOR = "+ml_feature_store +stg_sportsbook__strikeout_lines +stg_injuries__injured_list_entries"  # the scorer also reads lines and the IL
DOWNSTREAM_SELECTOR = "source:scoring+ resource_type:snapshot"


@dataclass
class DailyReport:
    game_date: date
    phases: dict[str, float] = field(default_factory=dict)
    dbt: dict[str, DbtOutcome] = field(default_factory=dict)
    score: ScoreReport | None = None
    models_trained: list[str] = field(default_factory=list)


def run_daily(
    settings: Settings,
    day: date,
    *,
    run_migrations: bool = True,
    downstream: bool = True,
    merge_window_days: int | None = None,
) -> DailyReport:
    report = DailyReport(day)
    dbt_vars = {"as_of_date": day.isoformat()}

    def timed(name: str, started: float) -> None:
        report.phases[name] = time.perf_counter() - started

    started = time.perf_counter()
    if run_migrations:
        report.dbt["migrations"] = run_dbt(["run-operation", "run_migrations"], settings, vars=dbt_vars)
    report.dbt["upstream"] = run_dbt(
        ["build", "--select", *UPSTREAM_SELECTOR.split()], settings, vars=dbt_vars
    )
    timed("1 migrate + build features", started)

    started = time.perf_counter()
    wh = open_warehouse(settings)
    try:
        report.models_trained = ensure_models(wh, settings, retrain_point(day), registered_versions(wh))
        timed("2 models", started)
        started = time.perf_counter()
        report.score = Scorer(wh, settings).score(day)
    finally:
        wh.close()
    timed("3 score", started)

    if not downstream:
        return report
    started = time.perf_counter()
    if merge_window_days:  # after a backfill: merge every newly scored date, not just the default window
        dbt_vars["predictions_merge_window_days"] = merge_window_days
    report.dbt["downstream"] = run_dbt(
        ["build", "--select", *DOWNSTREAM_SELECTOR.split()], settings, vars=dbt_vars
    )
    timed("4 build predictions + monitoring + gates", started)
    log.info("daily %s done: %s", day, {k: round(v, 1) for k, v in report.phases.items()})
    return report
