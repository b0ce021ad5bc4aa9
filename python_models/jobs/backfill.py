"""Walk-forward backfill: sequential by model-month, resumable, honest, and it says which models it used.

Each model-month (the dates one training cut-off scores) is scored in ONE feature query and ONE merge per run
of dates that resolve to the same model versions (`Scorer.score_dates`): the rows are those `kzone score`
writes date by date (tests/python/test_backfill.py), and the next month's models, trained after it, learn
from its graded predictions as before.

Retraining policy (``--retrain``):
- ``monthly`` (default, walk-forward): a date D in month M is scored by models trained through the last day
  of month M-1, trained on first need and registered, so every prediction comes from a model that saw only
  games before it;
- ``never``: no training; every date is scored by the newest model already registered with training data
  strictly before it (e.g. yours, from ``kzone train --through``). A date no registered model may score fails.
Either way `Scorer.resolve_models` picks the newest version trained strictly before D, and the report lists
every version used with its dates and why it was used.
A date is complete (skipped unless --force) when every CURRENT starter of the date (the feature store's)
has a prediction from every active system: a replaced starter's old rows do not count.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from python_models.config import Settings
from python_models.features.store import FeatureStore
from python_models.scoring.scorer import Scorer, ScoringError
from python_models.training.lifecycle import ensure_models, registered_versions, retrain_point
from python_models.warehouse.base import Warehouse

log = logging.getLogger(__name__)


RETRAIN_POLICIES = ("monthly", "never")
#: dbt's view of which current starter each system has scored (models/intermediate/predictions/int_starters_scored.sql)
STARTERS_SCORED = ("scoring", "int_starters_scored")


@dataclass
class ModelUse:
    """One model version's part in a backfill."""

    model_version: str
    system_id: str
    first_date: date
    last_date: date
    dates: int
    why: str


@dataclass
class BackfillReport:
    retrain: str = "monthly"
    dates_total: int = 0
    dates_scored: int = 0
    dates_skipped: int = 0
    dates_failed: list[tuple[date, str]] = field(default_factory=list)
    predictions: int = 0
    models_trained: list[str] = field(default_factory=list)
    models_used: list[ModelUse] = field(default_factory=list)
    models_not_used: list[str] = field(default_factory=list)
    low_coverage_dates: int = 0  # dates with a prediction below the low-coverage threshold
    low_coverage_predictions: int = 0
    rows_scored: int = 0  # prediction rows the scorer produced (written, changed or unchanged)
    seconds: float = 0.0

    @property
    def predictions_per_second(self) -> float:
        return self.predictions / self.seconds if self.seconds else 0.0


def completed_dates(wh: Warehouse, settings: Settings, start: date, end: date) -> set[date]:
    """Dates where every current starter is scored by every active system: dbt's rule (view
    int_starters_scored: the feature store's starter of each team-game against the landing rows, by pitcher
    id), restricted here to the active systems, a runtime setting. Without the view (a warehouse no full
    build has reached yet), no date counts as complete: the backfill re-scores, which changes nothing."""
    if not wh.table_exists(*STARTERS_SCORED):
        log.warning(
            "%s.%s is not built: every date is re-scored (run `kzone build` once to resume instead)",
            *STARTERS_SCORED,
        )
        return set()
    frame = wh.query(
        f"""
        select game_date
        from {wh.relation(*STARTERS_SCORED)}
        where game_date between @start and @end and system_id in (select * from unnest(@systems))
        group by game_date
        having min(case when is_scored then 1 else 0 end) = 1 and count(distinct system_id) = @n_systems
        """,
        {
            "start": start,
            "end": end,
            "systems": list(settings.active_systems),
            "n_systems": len(settings.active_systems),
        },
    )
    return {d.date() if hasattr(d, "date") else d for d in frame["game_date"]} if not frame.empty else set()


def _model_months(days: list[date]) -> list[list[date]]:
    """The dates to score, in order, grouped by the training cut-off that scores them (`retrain_point`)."""
    months: dict[date, list[date]] = {}
    for day in sorted(days):
        months.setdefault(retrain_point(day), []).append(day)
    return list(months.values())


def _model_uses(used: dict[str, list[date]], systems: dict[str, str], trained: set[str]) -> list[ModelUse]:
    uses = []
    for version, days in sorted(used.items(), key=lambda kv: (min(kv[1]), kv[0])):
        why = (
            "trained by this backfill (monthly walk-forward: data through the last day of the month before)"
            if version in trained
            else "registered before this backfill (e.g. kzone train --through): the newest version trained "
            "before these dates"
        )
        uses.append(ModelUse(version, systems[version], min(days), max(days), len(days), why))
    return uses


def _log_low_coverage(report: BackfillReport, settings: Settings) -> None:
    """The run's low feature coverage in one line (each date's detail is at DEBUG): a warning when the
    share of predictions below the threshold is above MLB_LOW_COVERAGE_RATE_THRESHOLD."""
    if not report.low_coverage_predictions:
        return
    share = report.low_coverage_predictions / report.rows_scored if report.rows_scored else 1.0
    log.log(
        logging.WARNING if share > settings.low_coverage_rate_threshold else logging.INFO,
        "low feature coverage (< %.0f%%) on %d of %d scored date(s): %d prediction(s), %.0f%% "
        "(MLB_LOW_COVERAGE_RATE_THRESHOLD %.0f%%); each date at DEBUG",
        settings.low_coverage_threshold,
        report.low_coverage_dates,
        report.dates_scored,
        report.low_coverage_predictions,
        100 * share,
        100 * settings.low_coverage_rate_threshold,
    )


def backfill(
    wh: Warehouse,
    settings: Settings,
    start: date,
    end: date,
    *,
    force: bool = False,
    retrain: str = "monthly",
    console: Console | None = None,
) -> BackfillReport:
    if retrain not in RETRAIN_POLICIES:
        raise ValueError(f"--retrain must be one of {RETRAIN_POLICIES}, not {retrain!r}")
    report = BackfillReport(retrain=retrain)
    started = time.perf_counter()
    dates = FeatureStore(wh).slate_dates(start, end)
    report.dates_total = len(dates)
    done = set() if force else completed_dates(wh, settings, start, end)
    known = registered_versions(wh)
    registered_before = set(known)
    scorer = Scorer(wh, settings, coverage_per_date=False)  # one low-coverage line for the run, below
    used: dict[str, list[date]] = {}
    systems: dict[str, str] = {}
    log.info(
        "backfill %s → %s: %d slate dates, %d already complete; models: %s",
        start,
        end,
        len(dates),
        len(done & set(dates)),
        "monthly walk-forward retraining"
        if retrain == "monthly"
        else "registered models only (no retraining)",
    )
    columns = (
        TextColumn("[bold]backfill[/] {task.fields[day]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress:
        task = progress.add_task("backfill", total=len(dates), day="")
        report.dates_skipped = sum(day in done for day in dates)
        progress.advance(task, report.dates_skipped)
        for month in _model_months([day for day in dates if day not in done]):
            progress.update(task, day=f"{month[0]} → {month[-1]}")
            if retrain == "monthly":
                report.models_trained += ensure_models(wh, settings, retrain_point(month[0]), known)
            for days, result in scorer.score_dates(month):  # one feature query and one merge per batch
                if isinstance(result, ScoringError):
                    for day in days:
                        report.dates_failed.append((day, str(result)))
                    log.error("%s → %s: %s", days[0], days[-1], result)
                    continue
                for day in result.dates_rejected:  # as a date scored alone: failed, with the reasons
                    reasons = "; ".join(f"{s}: {why}" for s, why in result.failures.items())
                    report.dates_failed.append((day, f"nothing could be scored for {day}: {reasons}"))
                    log.error("%s: every system's output was rejected: %s", day, reasons)
                report.predictions += result.rows_written + result.rows_changed
                report.dates_scored += len(days) - len(result.dates_rejected)
                report.low_coverage_dates += result.low_coverage_dates
                report.low_coverage_predictions += result.low_coverage
                report.rows_scored += sum(result.per_system.values())
                for system_id, version in result.models_used.items():
                    used.setdefault(version, []).extend(days)
                    systems[version] = system_id
            progress.advance(task, len(month))
    report.models_used = _model_uses(used, systems, set(report.models_trained))
    _log_low_coverage(report, settings)
    if report.dates_scored:
        report.models_not_used = sorted(registered_before - set(used))
    for use in report.models_used:
        log.info(
            "%s scored %d date(s) %s → %s: %s",
            use.model_version,
            use.dates,
            use.first_date,
            use.last_date,
            use.why,
        )
    report.seconds = time.perf_counter() - started
    log.info(
        "backfill done in %.1fs: %d scored, %d skipped, %d failed, %d predictions (%.0f/s), %d models trained",
        report.seconds,
        report.dates_scored,
        report.dates_skipped,
        len(report.dates_failed),
        report.predictions,
        report.predictions_per_second,
        len(report.models_trained),
    )
    return report
