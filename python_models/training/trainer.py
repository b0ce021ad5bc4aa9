"""Train a system on starts with game_date <= DATE only, write the model and its card, register the version.

Honesty rules: the training query itself filters on ``game_date <= through`` (nothing later can enter);
validation metrics come from the last 15% of training dates held out from a first fit; the final model is
refit on the whole window. Versions are deterministic (`mlb_pitcher_strikeouts_<tag>_<through:%Y%m%d>`), so
re-training the same system through the same date replaces that version instead of adding another.

Systems come from dbt_project.yml's `vars.systems` (python_models/dbt/project.py); each is fitted by the
predictor class registered for its kind (python_models/predictors/base.py), each after its components: a
model predictor on the training frame, a combination on its components' cards and graded history. The
training window is a setting (KZONE_TRAINING_SEASONS seasons back, 0 = every season in
the data), and so is the season drift's handling: recency weights halving every
KZONE_RECENCY_HALF_LIFE_SEASONS seasons (0 = equal weights); the model card records both.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import logging
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import xgboost as xgb

from python_models.config import Settings
from python_models.dbt.project import SystemSpec, feature_sets, in_training_order, model_systems, systems
from python_models.features.store import FeatureStore
from python_models.predictors.base import CombinedPredictor, ModelPredictor, Prediction, predictor_class
from python_models.predictors.calibration import fit_calibrator
from python_models.predictors.distribution import count_log_loss, from_json, side_probabilities
from python_models.predictors.market_blend import MarketBlend, fit_market_blend
from python_models.training.model_store import ModelCard, ModelStore
from python_models.warehouse.base import Warehouse, row_hashes
from python_models.warehouse.tables import MODEL_REGISTRY

log = logging.getLogger(__name__)

MIN_TRAINING_ROWS = 300
VALIDATION_SHARE = 0.15


class TrainingError(RuntimeError):
    """Training cannot proceed (too little history, unknown system)."""


def model_version(system_id: str, through: date) -> str:
    return f"mlb_pitcher_strikeouts_{systems()[system_id].version_tag}_{through:%Y%m%d}"


def _metrics(actual: np.ndarray, prediction: Prediction) -> dict[str, float]:
    """The card's metrics of a prediction (the count log loss where the kind predicts a distribution)."""
    pred = prediction.mean
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
        **({} if prediction.pmf is None else {"count_log_loss": count_log_loss(prediction.pmf, actual)}),
    }


def xgb_threads(settings: Settings) -> contextlib.AbstractContextManager:
    """XGBoost's threads while training or scoring: KZONE_THREADS (the parameter sets leave nthread to this
    global setting; XGBoost's own default is a thread per core, on top of dbt's and DuckDB's)."""
    return xgb.config_context(nthread=settings.threads)


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


def training_window(
    frame: pd.DataFrame, through: date, settings: Settings
) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows a model trained through ``through`` learns from (games on or before it, within the
    configured seasons back) and their recency weights (1 for the current season, halving every
    ``recency_half_life_seasons`` seasons before it)."""
    frame = frame[pd.to_datetime(frame["game_date"]).dt.date <= through]
    frame = frame[frame["actual_strikeouts"].notna()]
    seasons = pd.to_datetime(frame["game_date"]).dt.year
    if settings.training_seasons:
        frame = frame[seasons > through.year - settings.training_seasons]
        seasons = pd.to_datetime(frame["game_date"]).dt.year
    age = (through.year - seasons).to_numpy(dtype=float)
    half_life = settings.recency_half_life_seasons
    weight = np.power(0.5, age / half_life) if half_life else np.ones(len(frame))
    return frame.reset_index(drop=True), weight


def train_component(
    wh: Warehouse, settings: Settings, system_id: str, through: date, training: pd.DataFrame | None = None
) -> ModelCard:
    """Train one system on rows with game_date <= through; save model + card (not yet registered)."""
    spec = systems().get(system_id)
    kind = predictor_class(spec.kind) if spec is not None else None
    if spec is None or kind is None or not issubclass(kind, ModelPredictor):
        raise TrainingError(f"{system_id} is not a trainable system (known: {list(model_systems())})")
    features = feature_sets()[spec.feature_set or ""]
    frame = training if training is not None else FeatureStore(wh).training_set(through)
    frame, weight = training_window(frame, through, settings)
    if len(frame) < MIN_TRAINING_ROWS:
        raise TrainingError(
            f"{system_id}: only {len(frame)} starts on or before {through}; need at least "
            f"{MIN_TRAINING_ROWS}: train through a later date, or load more game logs (kzone load-game-logs) "
            "and rebuild (kzone build)"
        )
    dates = pd.to_datetime(frame["game_date"])
    cutoff = dates.quantile(1 - VALIDATION_SHARE)
    late_mask = dates >= cutoff
    late = frame[late_mask]
    model, held_out = kind.fit(spec, frame, weight, late_mask)
    metrics = {
        "in_sample": _metrics(frame["actual_strikeouts"].to_numpy(dtype=float), model.predict(frame)),
        "validation": _metrics(late["actual_strikeouts"].to_numpy(dtype=float), held_out.predict(late)),
    }
    card = ModelCard(
        model_version=model_version(system_id, through),
        system_id=system_id,
        feature_set=spec.feature_set,
        features=features,
        trained_through=through.isoformat(),
        training_window=[str(dates.min().date()), str(dates.max().date())],
        training_rows=len(frame),
        params={
            **model.card_params(),
            "kind": spec.kind,
            "training_seasons": settings.training_seasons or "all",
            "recency_half_life_seasons": settings.recency_half_life_seasons or "none (equal weights)",
        },
        metrics=metrics,
        library_versions=_library_versions(),
        notes=f"validation = starts on or after {cutoff.date()} held out from a first fit; final model refit on all.",
    )
    card = ModelStore(settings.model_store).save(card, model.to_bytes())
    log.info(
        "trained %s through %s on %d starts (%s): validation MAE %.3f (in-sample %.3f)",
        card.model_version,
        through,
        len(frame),
        card.training_window[0] + " → " + card.training_window[1],
        card.metrics["validation"]["mae"],
        card.metrics["in_sample"]["mae"],
    )
    return card


def combination_card(
    settings: Settings, spec: SystemSpec, through: date, components: list[ModelCard], history: pd.DataFrame
) -> ModelCard:
    """A combined system's card: no model file; its parameters (fixed, or learned by its kind on the
    components' graded history of games on or before ``through``) and its component versions."""
    predictor = predictor_class(spec.kind)(spec)
    assert isinstance(predictor, CombinedPredictor)
    fitted = predictor.fit(settings, through, components, learnable_history(history, through))
    card = ModelCard(
        model_version=model_version(spec.system_id, through),
        system_id=spec.system_id,
        feature_set=None,
        features=[],
        trained_through=through.isoformat(),
        training_window=components[0].training_window if components else [],
        training_rows=fitted.training_rows,
        params={"kind": spec.kind, **fitted.params, "components": [c.model_version for c in components]},
        metrics={},
        library_versions=_library_versions(),
        notes=fitted.notes,
    )
    return ModelStore(settings.model_store).save(card, None)


def learnable_history(history: pd.DataFrame, through: date) -> pd.DataFrame:
    """The graded predictions a version trained through ``through`` may learn from: games on or before it
    (the query already stops there; a history passed in whole is cut here, so nothing later can enter), in
    one order whatever order the warehouse returned them in (it follows how the rows were written): the
    fits sum in that order, so a version's cards depend on the rows only."""
    cut = history[pd.to_datetime(history["game_date"]).dt.date <= through]
    keys = [c for c in ("game_date", "game_id", "pitcher_id", "system_id") if c in cut.columns]
    return cut.sort_values(keys, kind="stable").reset_index(drop=True)


def fit_history_models(
    settings: Settings, cards: list[ModelCard], through: date, history: pd.DataFrame
) -> dict[str, MarketBlend]:
    """Each system's calibration curve and market blend from its own graded history with lines on or
    before ``through``: the curve maps the raw P(over | no push) of its stored distribution, the blend is
    fitted on the calibrated probability. Recorded in the cards (re-saved) and, by `register`, the blend in
    the registry the scorer reads."""
    history = learnable_history(history, through)
    with_line = history[
        history["strikeouts_line"].notna()
        & history["p_market"].notna()
        & history["strikeout_pmf"].notna()
        & (history["actual_strikeouts"] != history["strikeouts_line"])
    ]
    blends: dict[str, MarketBlend] = {}
    store = ModelStore(settings.model_store)
    for card in cards:
        mine = with_line[with_line["system_id"] == card.system_id]
        went_over = (mine["actual_strikeouts"] > mine["strikeouts_line"]).to_numpy(dtype=float)
        p_raw = np.empty(0)
        if len(mine):
            over, under, _ = side_probabilities(
                from_json(mine["strikeout_pmf"]), mine["strikeouts_line"].to_numpy(dtype=float)
            )
            p_raw = over / np.where(over + under > 0, over + under, np.nan)
        calibrator = fit_calibrator(p_raw, went_over)
        blend = fit_market_blend(
            calibrator.apply(p_raw),
            mine["p_market"].to_numpy(dtype=float),
            went_over,
            prior_rows=settings.market_prior_rows,
        )
        card.calibration = calibrator.to_dict()
        card.market_blend = blend.to_dict()
        store.save(card, None)
        blends[card.system_id] = blend
        log.info(
            "%s through %s: calibration %s; market logistic weight %.3f, book slope %+.3f, intercept %+.3f on %d"
            " graded starts",
            card.model_version,
            through,
            "identity (too little history)" if calibrator.is_identity else f"beta on {calibrator.rows:,}",
            blend.weight,
            blend.book_slope,
            blend.intercept,
            blend.rows,
        )
    return blends


def train_systems(
    wh: Warehouse, settings: Settings, requested: list[str] | tuple[str, ...], through: date
) -> list[ModelCard]:
    """Train the requested systems through ``through`` (one training query shared by all), with the
    components of the combined systems requested; learn the stacked ensembles' weights, every system's
    calibration curve and market blend on graded history through the same date (one query); register."""
    with xgb_threads(settings):
        store = FeatureStore(wh)
        training = store.training_set(through)
        history = store.graded_history(through)
        specs = systems()
        cards: list[ModelCard] = []
        for system_id in in_training_order(requested):
            spec = specs[system_id]
            if predictor_class(spec.kind).combines:
                parts = [c for c in cards if c.system_id in spec.components]
                cards.append(combination_card(settings, spec, through, parts, history))
            else:
                cards.append(train_component(wh, settings, system_id, through, training))
        fit_history_models(settings, cards, through, history)
        register(wh, cards, {c.model_version: c.metrics.get("validation", {}).get("mae") for c in cards})
    return cards
