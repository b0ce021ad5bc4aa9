"""The scorer's output contract: a system's rows are validated whole, then the batch is keyed, hashed and
counted for the report (python_models/scoring/scorer.py writes it in one MERGE)."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from python_models.config import Settings
from python_models.scoring.circuit import CircuitBreaker
from python_models.warehouse.base import row_hashes
from python_models.warehouse.tables import PREDICTIONS_LANDING

log = logging.getLogger("python_models.scoring.scorer")  # one logger for the scoring job's lines


@dataclass
class ScoreReport:
    game_date: date
    batch_id: str
    slate_size: int = 0
    rows_written: int = 0
    rows_changed: int = 0
    per_system: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    picks: dict[str, dict[str, int]] = field(default_factory=dict)  # system -> recommendation -> n
    flags: dict[str, int] = field(default_factory=dict)
    clipped: dict[str, int] = field(default_factory=dict)
    models_used: dict[str, str] = field(default_factory=dict)
    queries: int = 0
    low_coverage: int = 0  # prediction rows below the low-coverage threshold
    low_coverage_dates: int = 0  # dates with a prediction row below it
    last_date: date | None = None  # a batch of dates (a backfill's): game_date is the first one
    #: dates of a batch with starters whose every system's output was rejected: nothing written for them
    dates_rejected: list[date] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.slate_size == 0 or sum(self.per_system.values()) > 0


def prediction_id(game_date: date, pitcher_id: str, system_id: str) -> str:
    """Deterministic key: the same date, pitcher and system always give the same id. Keyed on the
    pitcher_id (stable forever), not the lookup (a renamed pitcher's lookup changes). Legacy rows, which
    only have a lookup, get sha256 of date|lookup|system in dbt: the two key spaces cannot collide."""
    return hashlib.sha256(f"{game_date:%Y-%m-%d}|{pitcher_id}|{system_id}".encode()).hexdigest()


def validated(
    out: pd.DataFrame, report: ScoreReport, breakers: dict[str, CircuitBreaker]
) -> pd.DataFrame | None:
    """Reject a system's whole output if any row breaks the contract (never write half-valid data)."""
    system_id = str(out["system_id"].iloc[0]) if not out.empty else "?"
    problems = []
    pred = out["predicted_strikeouts"].to_numpy(dtype=float)
    if not np.all(np.isfinite(pred)):  # the range is enforced (and flagged) by the clip before
        problems.append("predictions NaN or infinite")
    conf = out["confidence"].to_numpy(dtype=float)
    if not np.all(np.isfinite(conf)) or np.any((conf < 0) | (conf > 100)):
        problems.append("confidence NaN or outside [0, 100]")
    has_line = out["strikeouts_line"].notna().to_numpy()
    probs = out.loc[has_line, ["p_over", "p_under", "p_push"]].to_numpy(dtype=float)
    if probs.size and (
        not np.all(np.isfinite(probs))
        or np.any((probs < 0) | (probs > 1))
        or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    ):
        problems.append("probabilities invalid or not summing to 1")
    if problems:
        report.failures[system_id] = "output validation failed: " + "; ".join(problems)
        if system_id in breakers:
            breakers[system_id].record_failure(report.failures[system_id])
        log.error("%s output rejected: %s", system_id, problems)
        return None
    return out


def finalise(
    batch: pd.DataFrame, report: ScoreReport, settings: Settings, *, coverage_per_date: bool = True
) -> pd.DataFrame:
    """The batch as the landing table holds it: keys, JSON flags, hashes; the report's per-system counts."""
    batch = batch.copy()
    batch["game_date"] = pd.to_datetime(batch["game_date"]).dt.date
    batch["prediction_id"] = [
        prediction_id(d, p, s)
        for d, p, s in zip(batch["game_date"], batch["pitcher_id"], batch["system_id"], strict=True)
    ]
    batch["red_flags"] = batch["red_flags"].map(lambda f: json.dumps(sorted(set(f))))
    for col in (
        "predicted_strikeouts",
        "predicted_median",
        "predicted_p10",
        "predicted_p90",
        "p_over",
        "p_under",
        "p_push",
        "market_p_over",
        "pick_p_over",
        "market_weight",
        "edge",
        "ev_over",
        "ev_under",
    ):
        batch[col] = batch[col].astype(float)  # unrounded: probabilities must sum to exactly 1
    batch["batch_id"] = report.batch_id
    batch["scored_at"] = datetime.now(UTC).replace(tzinfo=None)
    batch["row_hash"] = row_hashes(batch, PREDICTIONS_LANDING.content_columns())
    report.per_system = batch.groupby("system_id").size().to_dict()
    report.models_used = batch.groupby("system_id")["model_version"].first().to_dict()
    report.picks = {
        str(system): part.groupby("recommendation").size().to_dict()
        for system, part in batch.groupby("system_id")
    }
    for flags in batch["red_flags"]:
        for f in json.loads(flags):
            key = f.split(":")[0]
            report.flags[key] = report.flags.get(key, 0) + 1
    low = batch["feature_coverage_pct"].fillna(0) < settings.low_coverage_threshold
    report.low_coverage = int(low.sum())
    report.low_coverage_dates = int(batch.loc[low, "game_date"].nunique())
    for game_date, rows in batch.groupby("game_date", sort=True):  # one date, or a backfill's batch
        _log_low_coverage(game_date, rows, low[rows.index], settings, coverage_per_date)
    return batch


def _log_low_coverage(
    game_date: date, batch: pd.DataFrame, low: pd.Series, settings: Settings, coverage_per_date: bool
) -> None:
    """A date's low feature coverage in one line; the pitchers and their missing features are at DEBUG."""
    if low.any():
        per_system = batch[low].groupby("system_id").size().to_dict()
        log.log(
            logging.INFO if coverage_per_date else logging.DEBUG,
            "low feature coverage (< %.0f%%) on %s: %d of %d pitchers (%s); names at DEBUG",
            settings.low_coverage_threshold,
            game_date,
            batch.loc[low, "pitcher_id"].nunique(),
            batch["pitcher_id"].nunique(),
            ", ".join(f"{k} {v}" for k, v in sorted(per_system.items())),
        )
    if len(batch) and low.mean() > settings.low_coverage_rate_threshold:
        log.log(
            logging.WARNING if coverage_per_date else logging.DEBUG,
            "%.0f%% of predictions have feature coverage below %.0f%% (vars.low_coverage_max_share %.0f%%)",
            100 * low.mean(),
            settings.low_coverage_threshold,
            100 * settings.low_coverage_rate_threshold,
        )
    return batch
