"""Train a system on starts with game_date <= DATE only, write the model and its card, register the version.

Honesty rules: the training query itself filters on ``game_date <= through`` (nothing later can enter);
validation metrics come from the last 15% of training dates held out from a first fit; the final model is
refit on the whole window. Versions are deterministic (`mlb_pitcher_strikeouts_<tag>_<through:%Y%m%d>`), so
re-training the same system through the same date replaces that version instead of adding another.
"""

from __future__ import annotations

import importlib.metadata as md
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import xgboost as xgb

from python_models.config import COMPONENT_SYSTEMS, Settings
from python_models.features.store import FeatureStore
from python_models.predictors.market_blend import MarketBlend, fit_market_blend
from python_models.project import feature_sets
from python_models.training.model_store import ModelCard, ModelStore
from python_models.warehouse.base import Warehouse, row_hashes
from python_models.warehouse.tables import MODEL_REGISTRY

log = logging.getLogger(__name__)

SYSTEM_FEATURE_SET = {"v1_baseline": "v1_baseline", "v1_6_rolling": "v1_6_rolling"}
VERSION_TAG = {"v1_baseline": "v1", "v1_6_rolling": "v1_6_rolling", "ensemble_v1": "ensemble_v1"}
MIN_TRAINING_ROWS = 300
VALIDATION_SHARE = 0.15
XGB_PARAMS: dict[str, object] = {
    "objective": "count:poisson",
    "eval_metric": "poisson-nloglik",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 10,
    "max_delta_step": 0.7,
    "nthread": 2,
    "seed": 0,
}
NUM_ROUNDS = 300


class TrainingError(RuntimeError):
    """Training cannot proceed (too little history, unknown system)."""


@dataclass
class TrainResult:
    card: ModelCard
    seconds: float


def model_version(system_id: str, through: date) -> str:
    return f"mlb_pitcher_strikeouts_{VERSION_TAG[system_id]}_{through:%Y%m%d}"


def _metrics(actual: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    err = pred - actual
    safe = np.clip(pred, 1e-9, None)
    return {
        "rows": float(len(actual)),
        "mae": float(np.mean(np.abs(err))),
        "rmse": float(np.sqrt(np.mean(err**2))),
        "bias": float(np.mean(err)),
        "poisson_deviance": float(
            2
            * np.mean(
                np.where(actual > 0, actual * np.log(np.clip(actual, 1e-9, None) / safe), 0) - (actual - safe)
            )
        ),
        "mean_actual": float(np.mean(actual)),
        "mean_predicted": float(np.mean(pred)),
    }


def _matrix(frame: pd.DataFrame, features: list[str], with_label: bool) -> xgb.DMatrix:
    x = frame[features].astype("float64").to_numpy()
    label = frame["actual_strikeouts"].astype("float64").to_numpy() if with_label else None
    return xgb.DMatrix(x, label=label, feature_names=features, missing=np.nan)


def fit(frame: pd.DataFrame, features: list[str]) -> xgb.Booster:
    return xgb.train(XGB_PARAMS, _matrix(frame, features, True), num_boost_round=NUM_ROUNDS)


def predict(booster: xgb.Booster, frame: pd.DataFrame, features: list[str]) -> np.ndarray:
    return booster.predict(_matrix(frame, features, False))


def register(wh: Warehouse, cards: list[ModelCard], validation_mae: dict[str, float | None]) -> None:
    """Map model_version -> system_id in the warehouse registry (one batch, merge on the version)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = pd.DataFrame(
        [
            {
                "model_version": c.model_version,
                "system_id": c.system_id,
                "trained_through": date.fromisoformat(c.trained_through),
                "training_rows": c.training_rows,
                "validation_mae": validation_mae.get(c.model_version),
                "model_path": c.model_path,
                "model_sha256": c.sha256,
                "market_weight": c.market_blend.get("weight", 0.0),
                "market_intercept": c.market_blend.get("intercept", 0.0),
                "market_blend_rows": int(c.market_blend.get("rows", 0)),
                "registered_at": now,
            }
            for c in cards
        ]
    )
    content = [c for c in MODEL_REGISTRY.content_columns() if c != "registered_at"]
    rows["row_hash"] = row_hashes(rows, content)
    wh.merge_batch(
        MODEL_REGISTRY.layer, MODEL_REGISTRY.name, rows, MODEL_REGISTRY.columns, MODEL_REGISTRY.key
    )


def _library_versions() -> dict[str, str]:
    return {
        p: md.version(p) for p in ("xgboost-cpu", "pandas", "numpy", "dbt-core", "duckdb") if _installed(p)
    }


def _installed(package: str) -> bool:
    try:
        md.version(package)
    except md.PackageNotFoundError:
        return False
    return True


def train_component(
    wh: Warehouse, settings: Settings, system_id: str, through: date, training: pd.DataFrame | None = None
) -> ModelCard:
    """Train one XGBoost system on rows with game_date <= through; save model + card (not yet registered)."""
    if system_id not in SYSTEM_FEATURE_SET:
        raise TrainingError(f"{system_id} is not a trainable component (known: {list(SYSTEM_FEATURE_SET)})")
    feature_set = SYSTEM_FEATURE_SET[system_id]
    features = feature_sets()[feature_set]
    frame = training if training is not None else FeatureStore(wh).training_set(through)
    frame = frame[pd.to_datetime(frame["game_date"]).dt.date <= through]
    frame = frame[frame["actual_strikeouts"].notna()]
    if len(frame) < MIN_TRAINING_ROWS:
        raise TrainingError(
            f"{system_id}: only {len(frame)} starts on or before {through}; need at least {MIN_TRAINING_ROWS}"
        )
    dates = pd.to_datetime(frame["game_date"])
    cutoff = dates.quantile(1 - VALIDATION_SHARE)
    early, late = frame[dates < cutoff], frame[dates >= cutoff]
    holdout = fit(early, features)
    val_pred = predict(holdout, late, features)
    booster = fit(frame, features)
    in_pred = predict(booster, frame, features)
    actual = frame["actual_strikeouts"].to_numpy(dtype=float)
    card = ModelCard(
        model_version=model_version(system_id, through),
        system_id=system_id,
        feature_set=feature_set,
        features=features,
        trained_through=through.isoformat(),
        training_window=[str(dates.min().date()), str(dates.max().date())],
        training_rows=len(frame),
        params={**XGB_PARAMS, "num_boost_round": NUM_ROUNDS},
        metrics={
            "in_sample": _metrics(actual, in_pred),
            "validation": _metrics(late["actual_strikeouts"].to_numpy(dtype=float), val_pred),
        },
        library_versions=_library_versions(),
        notes=f"validation = starts on or after {cutoff.date()} held out from a first fit; final model refit on all.",
    )
    store = ModelStore(settings.model_store)
    card = store.save(card, booster)
    log.info(
        "trained %s through %s on %d starts: validation MAE %.3f (in-sample %.3f)",
        card.model_version,
        through,
        len(frame),
        card.metrics["validation"]["mae"],
        card.metrics["in_sample"]["mae"],
    )
    return card


def ensemble_card(settings: Settings, through: date, components: list[ModelCard]) -> ModelCard:
    """The ensemble has no model file: its card records the weights and the component versions."""
    card = ModelCard(
        model_version=model_version("ensemble_v1", through),
        system_id="ensemble_v1",
        feature_set=None,
        features=[],
        trained_through=through.isoformat(),
        training_window=components[0].training_window if components else [],
        training_rows=max((c.training_rows for c in components), default=0),
        params={
            "weights": {
                "v1_baseline": settings.ensemble_v1_weight,
                "v1_6_rolling": settings.ensemble_v1_6_weight,
            },
            "components": [c.model_version for c in components],
            "agreement_strong_k": settings.agreement_strong_k,
            "agreement_disagree_k": settings.agreement_disagree_k,
        },
        metrics={},
        library_versions=_library_versions(),
        notes="weights are normalised over the components that produced a prediction",
    )
    return ModelStore(settings.model_store).save(card, None)


def fit_market_blends(
    wh: Warehouse, settings: Settings, cards: list[ModelCard], through: date
) -> dict[str, MarketBlend]:
    """Each system's market blend from its own graded history with lines on or before ``through`` (one
    query); recorded in the cards (re-saved) and, by `register`, in the registry the scorer reads."""
    history = FeatureStore(wh).market_history(through)
    blends: dict[str, MarketBlend] = {}
    store = ModelStore(settings.model_store)
    for card in cards:
        mine = history[history["system_id"] == card.system_id]
        blend = fit_market_blend(
            mine["p_system"].to_numpy(dtype=float),
            mine["p_market"].to_numpy(dtype=float),
            mine["went_over"].to_numpy(dtype=float),
            prior_rows=settings.market_prior_rows,
        )
        card.market_blend = {"weight": blend.weight, "intercept": blend.intercept, "rows": blend.rows}
        store.save(card, None)
        blends[card.system_id] = blend
        log.info(
            "market blend of %s through %s: weight %.3f, intercept %+.3f on %d graded starts with a line",
            card.model_version,
            through,
            blend.weight,
            blend.intercept,
            blend.rows,
        )
    return blends


def train_systems(wh: Warehouse, settings: Settings, systems: list[str], through: date) -> list[ModelCard]:
    """Train the requested systems through ``through`` (one training query shared by all), fit their market
    blends on graded history through the same date, and register them."""
    training = FeatureStore(wh).training_set(through)
    cards = [train_component(wh, settings, s, through, training) for s in systems if s in COMPONENT_SYSTEMS]
    if "ensemble_v1" in systems:
        cards.append(ensemble_card(settings, through, [c for c in cards if c.system_id in COMPONENT_SYSTEMS]))
    fit_market_blends(wh, settings, cards, through)
    register(wh, cards, {c.model_version: c.metrics.get("validation", {}).get("mae") for c in cards})
    return cards
