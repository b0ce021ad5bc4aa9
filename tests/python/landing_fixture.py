"""Realistic scorer output without the scorer: landing rows for every system and model-registry rows.

The rows are built from what the demo warehouse holds (probable starters, the last line captured before
first pitch, each pitcher's strikeouts in earlier starts) and written exactly as the scorer writes them:
``Warehouse.merge_batch`` into ``PREDICTIONS_LANDING`` / ``MODEL_REGISTRY`` (staging table + one MERGE).
The ensemble is the scorer's weighted blend (0.3 / 0.5, normalised), so it lies between its components.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from scipy.stats import poisson

from python_models.dbt.project import system_ids
from python_models.dbt.project import systems as system_specs
from python_models.predictors import distribution
from python_models.scoring.output import prediction_id  # the key production writes
from python_models.warehouse.base import Warehouse, new_batch_id, row_hashes
from python_models.warehouse.tables import MODEL_REGISTRY, PREDICTIONS_LANDING

__all__ = ["landing_rows", "prediction_id", "write_landing", "write_registry"]

SYSTEMS = tuple(system_ids())  # every system the project defines (the coverage gates expect each)
MODEL_VERSIONS = {s: f"{s}_fixture_20260901" for s in SYSTEMS}
ENSEMBLE_WEIGHTS = {"v1_baseline": 0.3, "v1_6_rolling": 0.5}
LEAGUE_MEAN_K = 4.8


def slugify(name: str) -> str:
    """The dbt macro `slugify` in Python: accents stripped, lowercase, non-alphanumerics -> '_'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _slate(wh: Warehouse, days: Sequence[date]) -> pd.DataFrame:
    probables = wh.relation("raw", "probable_starters")
    lines = wh.relation("raw", "strikeout_lines")
    logs = wh.relation("raw", "pitcher_game_logs")
    day_list = ", ".join(f"date '{d:%Y-%m-%d}'" for d in days)
    sql = f"""
        with slate as (
            select game_id, game_date, team, opponent, pitcher_id, pitcher_name, first_pitch_at
            from {probables} where game_date in ({day_list})
        ),
        last_lines as (
            select l.game_date, l.pitcher_id, l.bookmaker, l.strikeouts_line, l.over_odds, l.under_odds,
                l.captured_at,
                row_number() over (partition by l.game_date, l.pitcher_id
                                   order by l.captured_at desc, l.bookmaker) as rn
            from {lines} as l
            join slate as s on l.game_date = s.game_date and l.pitcher_id = s.pitcher_id
            where l.captured_at < s.first_pitch_at
        ),
        history as (
            select s.game_date, s.pitcher_id, avg(g.strikeouts) as prior_k, count(g.game_id) as prior_starts
            from slate as s
            left join {logs} as g on g.pitcher_id = s.pitcher_id and g.game_date < s.game_date
                and g.game_date >= s.game_date - interval 400 day
            group by 1, 2
        )
        select s.*, l.bookmaker, l.strikeouts_line, l.over_odds, l.under_odds, l.captured_at as line_captured_at,
            h.prior_k, coalesce(h.prior_starts, 0) as prior_starts
        from slate as s
        left join last_lines as l on l.game_date = s.game_date and l.pitcher_id = s.pitcher_id and l.rn = 1
        left join history as h on h.game_date = s.game_date and h.pitcher_id = s.pitcher_id
        order by s.game_date, s.game_id, s.team
    """
    return wh.query(sql)


def _no_vig(over_odds: np.ndarray, under_odds: np.ndarray) -> np.ndarray:
    def implied(o: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(o < 0, -o / (-o + 100.0), 100.0 / (o + 100.0))

    p_o, p_u = implied(over_odds), implied(under_odds)
    return p_o / (p_o + p_u)


def _payout(o: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o < 0, 100.0 / -o, o / 100.0)


def _decide(frame: pd.DataFrame, mean: np.ndarray) -> pd.DataFrame:
    """Poisson probabilities against the line, EV, recommendation and confidence (the scorer's rules,
    simplified: the side must beat the no-vig price by 3 points and the edge must be >= 0.5 K)."""
    line = frame["strikeouts_line"].to_numpy(dtype=float)
    has = ~np.isnan(line)
    safe = np.where(has, line, 0.0)
    floor = np.floor(safe)
    whole = safe == floor
    p_push = np.where(whole, poisson.pmf(floor, mean), 0.0)
    p_under = np.where(whole, poisson.cdf(floor - 1, mean), poisson.cdf(floor, mean))
    p_over = 1.0 - p_under - p_push
    over_odds = frame["over_odds"].to_numpy(dtype=float)
    under_odds = frame["under_odds"].to_numpy(dtype=float)
    fair_over = _no_vig(over_odds, under_odds)
    decided = 1.0 - p_push
    over_c, under_c = p_over / decided, p_under / decided
    edge = mean - line
    over_ok = has & (over_c - fair_over >= 0.03) & (edge >= 0.5)
    under_ok = has & (under_c - (1 - fair_over) >= 0.03) & (edge <= -0.5) & ~over_ok
    side = np.where(over_ok, over_c, np.where(under_ok, under_c, np.maximum(over_c, under_c)))
    out = frame.copy()
    out["predicted_strikeouts"] = np.round(mean, 4)
    pmf = distribution.poisson_pmf(mean)
    out["predicted_median"] = distribution.quantile(pmf, 0.5)
    out["predicted_p10"] = distribution.quantile(pmf, 0.1)
    out["predicted_p90"] = distribution.quantile(pmf, 0.9)
    out["strikeout_pmf"] = distribution.to_json(pmf)
    out["p_over"] = np.where(has, p_over, np.nan)
    out["p_under"] = np.where(has, p_under, np.nan)
    out["p_push"] = np.where(has, p_push, np.nan)
    out["market_p_over"] = np.where(has, fair_over, np.nan)
    out["pick_p_over"] = np.where(has, over_c, np.nan)  # a blend that fully trusts the system (weight 1)
    out["market_weight"] = 1.0
    out["edge"] = np.where(has, edge, np.nan)
    out["ev_over"] = np.where(has, p_over * _payout(over_odds) - p_under, np.nan)
    out["ev_under"] = np.where(has, p_under * _payout(under_odds) - p_over, np.nan)
    out["recommendation"] = np.where(over_ok, "OVER", np.where(under_ok, "UNDER", "PASS"))
    out["confidence"] = np.round(np.clip(np.nan_to_num(side, nan=0.5) * 100.0, 0, 100), 2)
    return out


def landing_rows(
    wh: Warehouse,
    days: Sequence[date],
    *,
    seed: int = 7,
    systems: Iterable[str] = SYSTEMS,
    scored_at: datetime | None = None,
) -> pd.DataFrame:
    """Landing rows (PREDICTIONS_LANDING columns) for every probable starter of ``days``."""
    slate = _slate(wh, days)
    if slate.empty:
        raise ValueError(f"no probable starters on {list(days)}")
    rng = np.random.default_rng(seed)
    n = len(slate)
    prior = slate["prior_k"].astype(float).to_numpy()
    starts = slate["prior_starts"].astype(float).to_numpy()
    shrink = starts / (starts + 5.0)
    form = np.where(
        np.isnan(prior), LEAGUE_MEAN_K, shrink * np.nan_to_num(prior) + (1 - shrink) * LEAGUE_MEAN_K
    )
    # A realistic model lands near the market: the line (when there is one) blended with recent form.
    line = slate["strikeouts_line"].astype(float).to_numpy()
    base = np.where(np.isnan(line), form, 0.7 * np.nan_to_num(line) + 0.3 * form)
    components = {
        "v1_baseline": np.clip(base + rng.normal(0, 0.35, n), 0.3, 15.0),
        "v1_6_rolling": np.clip(base + rng.normal(0, 0.35, n), 0.3, 15.0),
        "v2_workload_rate": np.clip(base + rng.normal(0, 0.35, n), 0.3, 15.0),
    }
    w = ENSEMBLE_WEIGHTS
    components["ensemble_v1"] = (
        w["v1_baseline"] * components["v1_baseline"] + w["v1_6_rolling"] * components["v1_6_rolling"]
    ) / (w["v1_baseline"] + w["v1_6_rolling"])
    # a stacked system pools its components' distributions (equal weights here)
    for spec in system_specs().values():
        if spec.is_stacked:
            components[spec.system_id] = np.mean([components[c] for c in spec.components], axis=0)
    coverage = np.round(np.where(rng.random(n) < 0.04, rng.uniform(60, 79, n), rng.uniform(85, 100, n)), 1)
    scored_at = scored_at or datetime.now(UTC).replace(tzinfo=None)
    batch_id = new_batch_id("fixture")
    slate = slate.assign(pitcher_lookup=slate["pitcher_name"].map(slugify))
    frames = []
    for system_id in systems:
        frame = slate.copy()
        frame["system_id"] = system_id
        frame["model_version"] = MODEL_VERSIONS[system_id]
        frame = _decide(frame, components[system_id])
        frame["feature_coverage_pct"] = coverage
        flags = [
            [*(["no_line"] if pd.isna(line) else []), *(["low_coverage"] if cov < 80 else [])]
            for line, cov in zip(frame["strikeouts_line"], coverage, strict=True)
        ]
        frame["red_flags"] = [json.dumps(f) for f in flags]
        frame["books_seen"] = [
            json.dumps([{"book": book, "line": float(line)}]) if not pd.isna(line) else None
            for book, line in zip(frame["bookmaker"], frame["strikeouts_line"], strict=True)
        ]
        parts = system_specs()[system_id].components
        frame["component_systems"] = json.dumps(list(parts)) if parts else None
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["game_date"] = pd.to_datetime(out["game_date"]).dt.date
    out["prediction_id"] = [
        prediction_id(d, p, s)
        for d, p, s in zip(out["game_date"], out["pitcher_id"], out["system_id"], strict=True)
    ]
    out["batch_id"] = batch_id
    out["scored_at"] = scored_at
    out["row_hash"] = row_hashes(out, PREDICTIONS_LANDING.content_columns())
    return out[PREDICTIONS_LANDING.column_names]


def write_landing(wh: Warehouse, rows: pd.DataFrame) -> int:
    """Write landing rows the way the scorer does (one batch: staging + one MERGE)."""
    spec = PREDICTIONS_LANDING
    result = wh.merge_batch(
        spec.layer, spec.name, rows, spec.columns, spec.key, batch_id=new_batch_id("fixture")
    )
    return result.rows_inserted + result.rows_updated


def write_registry(wh: Warehouse, versions: dict[str, str] | None = None) -> pd.DataFrame:
    """Model-registry rows for the fixture's model versions (what the trainer registers)."""
    versions = versions or MODEL_VERSIONS
    now = datetime.now(UTC).replace(tzinfo=None)
    frame = pd.DataFrame(
        {
            "model_version": list(versions.values()),
            "system_id": list(versions.keys()),
            "trained_through": date(2026, 8, 31),
            "training_rows": 4000,
            "validation_mae": 1.9,
            "model_path": [f"artifacts/models/{v}.json" for v in versions.values()],
            "model_sha256": [hashlib.sha256(v.encode()).hexdigest() for v in versions.values()],
            "market_weight": 1.0,
            "market_intercept": 0.0,
            "market_blend_rows": 1000,
            "registered_at": now,
        }
    )
    spec = MODEL_REGISTRY
    frame["row_hash"] = row_hashes(frame, spec.content_columns())
    wh.merge_batch(spec.layer, spec.name, frame, spec.columns, spec.key, batch_id=new_batch_id("registry"))
    return frame
