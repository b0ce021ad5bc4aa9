"""Walk-forward backfill: sequential by date, resumable, honest.

Retraining policy (walk-forward, monthly): a date D in month M is scored by models trained through the last
day of month M-1, so every prediction comes from a model that saw only games before it. Models are trained
on first need and registered; `Scorer.resolve_models` picks the newest version trained strictly before D.
A date whose every active system already has a row for every probable starter is skipped unless --force.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from python_models.config import COMPONENT_SYSTEMS, Settings
from python_models.features.store import FeatureStore
from python_models.scoring.scorer import Scorer, ScoringError
from python_models.training.trainer import model_version, train_systems
from python_models.warehouse.base import Warehouse
from python_models.warehouse.tables import MODEL_REGISTRY, PREDICTIONS_LANDING

log = logging.getLogger(__name__)


def retrain_point(day: date) -> date:
    """The training cut-off that scores ``day``: the last day of the previous month."""
    return day.replace(day=1) - timedelta(days=1)


@dataclass
class BackfillReport:
    dates_total: int = 0
    dates_scored: int = 0
    dates_skipped: int = 0
    dates_failed: list[tuple[date, str]] = field(default_factory=list)
    predictions: int = 0
    models_trained: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def predictions_per_second(self) -> float:
        return self.predictions / self.seconds if self.seconds else 0.0


def registered_versions(wh: Warehouse) -> set[str]:
    if not wh.table_exists(MODEL_REGISTRY.layer, MODEL_REGISTRY.name):
        return set()
    rel = wh.relation(MODEL_REGISTRY.layer, MODEL_REGISTRY.name)
    return set(wh.query(f"select model_version from {rel}")["model_version"])


def ensure_models(wh: Warehouse, settings: Settings, through: date, known: set[str]) -> list[str]:
    """Train and register the systems' versions for ``through`` if they are not registered yet."""
    systems = [*COMPONENT_SYSTEMS, "ensemble_v1"]
    wanted = {model_version(s, through) for s in systems}
    if wanted <= known:
        return []
    cards = train_systems(wh, settings, systems, through)
    versions = [c.model_version for c in cards]
    known.update(versions)
    return versions


def completed_dates(wh: Warehouse, settings: Settings, start: date, end: date) -> set[date]:
    """Dates where every active system has a prediction for every probable starter (one query)."""
    if not wh.table_exists(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name):
        return set()
    landing = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
    features = wh.relation("features", "ml_feature_store")
    frame = wh.query(
        f"""
        with slate as (
            select f.game_date, count(*) as starters
            from {features} as f
            where f.game_date between @start and @end
            group by f.game_date
        ),
        scored as (
            select p.game_date, p.system_id, count(*) as rows_scored
            from {landing} as p
            where p.game_date between @start and @end and p.system_id in (select * from unnest(@systems))
            group by p.game_date, p.system_id
        )
        select slate.game_date
        from slate
        inner join scored on slate.game_date = scored.game_date
        where scored.rows_scored >= slate.starters
        group by slate.game_date
        having count(*) = @n_systems
        """,
        {
            "start": start,
            "end": end,
            "systems": list(settings.active_systems),
            "n_systems": len(settings.active_systems),
        },
    )
    return {d.date() if hasattr(d, "date") else d for d in frame["game_date"]} if not frame.empty else set()


def backfill(
    wh: Warehouse,
    settings: Settings,
    start: date,
    end: date,
    *,
    force: bool = False,
    console: Console | None = None,
) -> BackfillReport:
    report = BackfillReport()
    started = time.perf_counter()
    dates = FeatureStore(wh).slate_dates(start, end)
    report.dates_total = len(dates)
    done = set() if force else completed_dates(wh, settings, start, end)
    known = registered_versions(wh)
    scorer = Scorer(wh, settings)
    log.info(
        "backfill %s → %s: %d slate dates, %d already complete",
        start,
        end,
        len(dates),
        len(done & set(dates)),
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
        for day in dates:
            progress.update(task, day=str(day))
            if day in done:
                report.dates_skipped += 1
                progress.advance(task)
                continue
            try:
                report.models_trained += ensure_models(wh, settings, retrain_point(day), known)
                result = scorer.score(day)
                report.predictions += result.rows_written + result.rows_changed
                report.dates_scored += 1
            except ScoringError as exc:
                report.dates_failed.append((day, str(exc)))
                log.error("%s: %s", day, exc)
            progress.advance(task)
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
