"""The morning job, `kzone daily --date D`: five phases, dbt invoked at most once per phase.

1. migrate + check: `dbt seed` and `dbt run-operation run_migrations` only when their inputs changed since
   they last succeeded on this warehouse (a checksum in ops.dbt_setup_state: most mornings skip both), then
   `dbt source freshness` of the raw sources —
   a source past its error threshold stops the job before anything is scored on stale data (a source that
   has never delivered any row is reported, not fatal: real history has no lines or injured-list feed);
2. build upstream: `dbt build` of everything the feature store and the scorer read, with their tests;
3. models: make sure this month's walk-forward models exist (train + register if not);
4. score D: one feature query, every active system, staging table + one MERGE into the landing table;
5. build downstream: `dbt build` of the predictions table, snapshots, monitoring views and their gates.
   A prediction row that breaks a row-level rule (dbt's int_predictions_checked) is never published,
   whatever the gates' severity: it goes to mlb_predictions.predictions_quarantine, and the report counts
   the rows held back per rule (`held_back`). Gate failures at severity error raise DailyGateError, which
   carries the report, after the good rows are published.
A live run (`--live`, KZONE_LIVE) also switches on the game-date recency gates. A phase that fails stops the
job with a message naming the phase; scoring failures of one system degrade it (the others land) and are
reported; gate warnings are collected for the summary.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from python_models.config import Settings
from python_models.dbt.project import dbt_vars as dbt_project_vars
from python_models.dbt.runner import DbtError, DbtOutcome
from python_models.jobs.dbt_ops import ensure_runner_tables, migrate, run_dbt
from python_models.jobs.lock import run_lock
from python_models.scoring.scorer import Scorer, ScoreReport
from python_models.training.lifecycle import ensure_models, registered_versions, retrain_point
from python_models.warehouse import open_warehouse

log = logging.getLogger(__name__)

# What the scorer reads (the feature store, the line captures before first pitch, the injured list; the
# injured list's team-coded view, which the injured-list snapshot reads, with it), and everything the
# monitoring views need that is not upstream of the scorer (the predictions, the naive reference, closing
# lines, the views, the snapshots). Tests run with a selection once every node they read is built (project
# flag indirect_selection: buildable).
# dbt's unit tests check the SQL's logic on fixed inputs, not the day's data: they run where the SQL changes
# (`make test`, `kzone build`), not every morning (dbt's own advice), which saves the morning 13 of them.
_UPSTREAM = ("+ml_feature_store", "+int_line_captures", "+int_injured_list_team_coded")
_NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
UPSTREAM_BUILD = ("build", *_NO_UNIT_TESTS, "--select", *_UPSTREAM)
DOWNSTREAM_BUILD = (
    "build",
    *_NO_UNIT_TESTS,
    "--select",
    "+exposure:picks_consumers",
    "predictions_unmerged",  # read before the next BigQuery build (jobs/dbt_ops.earliest_unmerged_date)
    "int_starters_scored",  # the backfill's resume rule (jobs/backfill.completed_dates)
    "resource_type:snapshot",
    "--exclude",
    *_UPSTREAM,
)
FRESHNESS_SELECTOR = ("--select", "source:*", "--exclude", "source:scoring source:legacy")
NEVER_LOADED = "0001-01-01"  # dbt's max_loaded_at for a source table without rows


QUARANTINE = ("mlb_predictions", "predictions_quarantine")  # fct_predictions_quarantine's relation


class StaleSourceError(DbtError):
    """A raw source is past its error-level freshness threshold: the job stops before scoring."""


class DailyGateError(DbtError):
    """A gate of the downstream build failed (severity error). The good rows are published; ``report``
    is the run's report (phases, scoring, rows held back) for the summary."""

    def __init__(self, message: str, report: DailyReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class DailyReport:
    game_date: date
    phases: dict[str, float] = field(default_factory=dict)
    dbt: dict[str, DbtOutcome] = field(default_factory=dict)
    score: ScoreReport | None = None
    models_trained: list[str] = field(default_factory=list)
    freshness: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: rows held back now by a row-level rule (predictions_quarantine, not released): rule -> rows
    held_back: dict[str, int] = field(default_factory=dict)

    @property
    def rows_held_back(self) -> int:
        return sum(self.held_back.values())

    def held_back_line(self) -> str:
        """One line: how many prediction rows were held back and why ('' when none)."""
        if not self.held_back:
            return ""
        why = ", ".join(f"{rule} {n}" for rule, n in sorted(self.held_back.items()))
        return (
            f"{self.rows_held_back} prediction row(s) held back, not published ({why}): "
            f"see {'.'.join(QUARANTINE)}; fix or delete the landing rows, the next build releases them"
        )


def held_back_rows(settings: Settings) -> dict[str, int]:
    """Rows held back now by a row-level rule, per rule (one query; {} before the quarantine exists)."""
    with open_warehouse(settings) as wh:
        if not wh.table_exists(*QUARANTINE):
            return {}
        counts = wh.query(
            f"select quarantine_rule, count(*) as n from {wh.relation(*QUARANTINE)} "
            "where released_at is null group by 1"
        )
    return {str(r.quarantine_rule): int(r.n) for r in counts.itertuples(index=False)}


def check_freshness(settings: Settings, dbt_vars: dict) -> tuple[DbtOutcome, list[str]]:
    """`dbt source freshness` of the raw sources: returns the outcome and one line per source that is not
    fresh; raises StaleSourceError naming every source past its error threshold that has data."""
    outcome = run_dbt(
        ["source", "freshness", *FRESHNESS_SELECTOR], settings, vars=dbt_vars, raise_on_error=False
    )
    notes, stale = [], []
    for node in outcome.nodes:
        name = node["unique_id"].removeprefix("source.kzone.")
        loaded = str(node.get("max_loaded_at") or "")
        age_h = (node.get("age") or 0) / 3600
        if node["status"] == "pass":
            continue
        if loaded.startswith(NEVER_LOADED):
            notes.append(f"{name}: never loaded (no rows yet)")
        elif node["status"] == "warn":
            notes.append(f"{name}: stale (warn), last loaded {age_h:.0f} h ago at {loaded[:19]}")
        elif node["status"] == "error":
            stale.append(f"{name}: last loaded {age_h:.0f} h ago at {loaded[:19]}")
        else:
            notes.append(f"{name}: {node['status']}: {node['message']}")
    for note in notes:
        log.warning("source freshness: %s", note)
    if stale:
        raise StaleSourceError(
            "stale source(s), nothing was scored: "
            + "; ".join(stale)
            + f" (error after {dbt_project_vars()['freshness_error_hours']} h): load fresh data first"
        )
    return outcome, notes


def run_daily(
    settings: Settings,
    day: date,
    *,
    run_migrations: bool = True,
    check_sources: bool = True,
    downstream: bool = True,
) -> DailyReport:
    """The job, one run at a time per warehouse (python_models/jobs/lock.py: a second run waits up to
    KZONE_RUN_LOCK_WAIT_S, then raises RunInProgressError naming the holder's pid and start time)."""
    with run_lock(settings, "daily"):
        return _run_daily(
            settings, day, run_migrations=run_migrations, check_sources=check_sources, downstream=downstream
        )


def _run_daily(
    settings: Settings, day: date, *, run_migrations: bool, check_sources: bool, downstream: bool
) -> DailyReport:
    report = DailyReport(day)
    # the data tests of the large tables read only the dates this morning recomputed (the incremental
    # features' lookback); `make test`, `kzone build` and the weekly `kzone check --full` test every row
    lookback = int(dbt_project_vars().get("incremental_lookback_days", 3))
    dbt_vars = {
        "as_of_date": day.isoformat(),
        "tests_since_date": (day - timedelta(days=lookback)).isoformat(),
    }

    def timed(name: str, started: float) -> None:
        report.phases[name] = time.perf_counter() - started

    started = time.perf_counter()
    if run_migrations:  # the runner's tables, then the seeds: migration M002 maps model versions through one
        report.dbt.update(migrate(settings, vars=dbt_vars, only_if_changed=True))
    else:
        ensure_runner_tables(settings)
    if check_sources:
        report.dbt["freshness"], report.freshness = check_freshness(settings, dbt_vars)
    timed("1 migrate + source freshness", started)

    started = time.perf_counter()
    report.dbt["upstream"] = run_dbt(UPSTREAM_BUILD, settings, vars=dbt_vars)
    timed("2 build features", started)

    started = time.perf_counter()
    with open_warehouse(settings) as wh:
        report.models_trained = ensure_models(wh, settings, retrain_point(day), registered_versions(wh))
        timed("3 models", started)
        started = time.perf_counter()
        report.score = Scorer(wh, settings).score(day)
    timed("4 score", started)

    if downstream:
        started = time.perf_counter()
        report.dbt["downstream"] = run_dbt(DOWNSTREAM_BUILD, settings, vars=dbt_vars, raise_on_error=False)
        report.held_back = held_back_rows(settings)
        timed("5 build predictions + monitoring + gates", started)
    # the freshness notes say what dbt's freshness warnings leave blank (never loaded, or how old)
    report.warnings = [f"source freshness: {note}" for note in report.freshness] + [
        w for step, outcome in report.dbt.items() if step != "freshness" for w in outcome.warnings
    ]
    if report.held_back:
        log.warning("%s", report.held_back_line())
    log.info("daily %s done: %s", day, {k: round(v, 1) for k, v in report.phases.items()})
    outcome = report.dbt.get("downstream")
    if outcome is not None and not outcome.success:
        raise DailyGateError(
            f"dbt {' '.join(DOWNSTREAM_BUILD)} failed: {'; '.join(outcome.failures) or 'see the dbt log'}"
            + (f" | {report.held_back_line()}" if report.held_back else ""),
            report,
        )
    return report
