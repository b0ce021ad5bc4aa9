"""The `workload_rate` kind (v2): the whole strikeout distribution from two forecasts.

1. batters faced: an XGBoost regression of the batters a starter will face (workload, leash, bullpen,
   rest, scheduled innings...), and the empirical spread of its errors on held-out starts, in four bins of
   the forecast (a short leash has a different spread than a workhorse): this is where early hooks live;
2. strikeouts per batter: an XGBoost logistic regression of K / BF weighted by BF;
3. strikeouts given the batters faced: beta-binomial around the forecast rate, its over-dispersion fitted
   by maximum likelihood on the held-out starts.
P(K = k) = mean over the error samples b of BetaBinomial(k | b, rate, rho). One artifact (JSON) holds both
boosters and the fitted spread, so one sha256 checks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from scipy.optimize import minimize_scalar
from scipy.stats import betabinom

from python_models.dbt.project import SystemSpec, feature_sets
from python_models.predictors.base import ModelPredictor, Prediction, register
from python_models.predictors.distribution import mean_of, workload_rate_pmf
from python_models.predictors.xgboost_poisson import TREE_PARAMS

KIND = "workload_rate"
BINS = 4
RESIDUAL_QUANTILES = np.linspace(0.01, 0.99, 49)  # the error samples of batters faced per bin
BATTERS_PARAMS = {**TREE_PARAMS, "objective": "reg:squarederror", "eval_metric": "mae"}
RATE_PARAMS = {**TREE_PARAMS, "objective": "binary:logistic", "eval_metric": "logloss"}
NUM_ROUNDS = 300


def _matrix(
    frame: pd.DataFrame, features: list[str], label: np.ndarray | None = None, weight=None
) -> xgb.DMatrix:
    x = frame[features].astype("float64").to_numpy()
    return xgb.DMatrix(x, label=label, weight=weight, feature_names=features, missing=np.nan)


@dataclass
class WorkloadRateModel:
    batters: xgb.Booster
    rate: xgb.Booster
    features: list[str]
    bin_edges: list[float]  # BINS - 1 cut points of the batters forecast
    residuals: list[list[float]]  # BINS x len(RESIDUAL_QUANTILES): batters faced - forecast
    rho: float

    def parts(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        m = _matrix(frame, self.features)
        return self.batters.predict(m).astype(float), self.rate.predict(m).astype(float)

    def residual_samples(self, batters_mean: np.ndarray) -> np.ndarray:
        bins = np.digitize(batters_mean, self.bin_edges)
        return np.asarray(self.residuals, dtype=float)[bins]

    def pmf(self, frame: pd.DataFrame) -> np.ndarray:
        batters_mean, rate = self.parts(frame)
        return workload_rate_pmf(batters_mean, rate, self.residual_samples(batters_mean), self.rho)

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "kind": KIND,
                "features": self.features,
                "bin_edges": self.bin_edges,
                "residuals": self.residuals,
                "rho": self.rho,
                "batters_model": json.loads(bytes(self.batters.save_raw(raw_format="json"))),
                "rate_model": json.loads(bytes(self.rate.save_raw(raw_format="json"))),
            }
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> WorkloadRateModel:
        doc = json.loads(data)
        if doc.get("kind") != KIND:
            raise ValueError(f"not a {KIND} artifact (kind {doc.get('kind')!r})")
        boosters = []
        for key in ("batters_model", "rate_model"):
            booster = xgb.Booster()
            booster.load_model(bytearray(json.dumps(doc[key]).encode()))
            boosters.append(booster)
        return cls(boosters[0], boosters[1], doc["features"], doc["bin_edges"], doc["residuals"], doc["rho"])


def _fit_boosters(
    frame: pd.DataFrame, features: list[str], weight: np.ndarray | None
) -> tuple[xgb.Booster, xgb.Booster]:
    batters = frame["actual_batters_faced"].to_numpy(dtype=float)
    strikeouts = frame["actual_strikeouts"].to_numpy(dtype=float)
    w = np.ones(len(frame)) if weight is None else weight
    batters_model = xgb.train(
        BATTERS_PARAMS, _matrix(frame, features, batters, w), num_boost_round=NUM_ROUNDS
    )
    rate = np.divide(strikeouts, batters, out=np.zeros_like(strikeouts), where=batters > 0)
    rate_model = xgb.train(
        RATE_PARAMS, _matrix(frame, features, rate, w * np.maximum(batters, 1)), num_boost_round=NUM_ROUNDS
    )
    return batters_model, rate_model


def _spread(batters_mean: np.ndarray, batters: np.ndarray) -> tuple[list[float], list[list[float]]]:
    edges = list(np.quantile(batters_mean, np.linspace(0, 1, BINS + 1)[1:-1]))
    bins = np.digitize(batters_mean, edges)
    residual = batters - batters_mean
    spread = []
    for b in range(BINS):
        part = residual[bins == b]
        spread.append(list(np.quantile(part if len(part) else residual, RESIDUAL_QUANTILES)))
    return [float(e) for e in edges], [[float(v) for v in row] for row in spread]


def _fit_rho(strikeouts: np.ndarray, batters: np.ndarray, rate: np.ndarray) -> float:
    """Over-dispersion of strikeouts given the batters actually faced, by maximum likelihood."""
    keep = batters > 0
    k, n, p = strikeouts[keep], batters[keep].astype(int), np.clip(rate[keep], 1e-4, 1 - 1e-4)

    def nll(log_rho: float) -> float:
        rho = float(np.exp(log_rho))
        c = 1 / rho - 1
        return -float(np.sum(betabinom.logpmf(k, n, p * c, (1 - p) * c)))

    best = minimize_scalar(nll, bounds=(np.log(1e-5), np.log(0.3)), method="bounded")
    return float(np.exp(best.x))


def fit(
    frame: pd.DataFrame, features: list[str], holdout: pd.Series, weight: np.ndarray | None = None
) -> tuple[WorkloadRateModel, WorkloadRateModel]:
    """(final model refit on every row, held-out model fitted without the ``holdout`` rows); the spread of
    batters faced and the dispersion come from the held-out rows, so they are honest about new starts."""
    early, late = frame[~holdout], frame[holdout]
    w_early = None if weight is None else weight[~holdout.to_numpy()]
    batters_h, rate_h = _fit_boosters(early, features, w_early)
    m_late = _matrix(late, features)
    late_batters = batters_h.predict(m_late).astype(float)
    late_rate = rate_h.predict(m_late).astype(float)
    edges, residuals = _spread(late_batters, late["actual_batters_faced"].to_numpy(dtype=float))
    rho = _fit_rho(
        late["actual_strikeouts"].to_numpy(dtype=float),
        late["actual_batters_faced"].to_numpy(dtype=float),
        late_rate,
    )
    held_out = WorkloadRateModel(batters_h, rate_h, features, edges, residuals, rho)
    batters_f, rate_f = _fit_boosters(frame, features, weight)
    return WorkloadRateModel(batters_f, rate_f, features, edges, residuals, rho), held_out


@register(KIND)
class WorkloadRate(ModelPredictor):
    def __init__(self, spec: SystemSpec, model: WorkloadRateModel) -> None:
        super().__init__(spec)
        self.model = model

    @classmethod
    def fit(
        cls, spec: SystemSpec, frame: pd.DataFrame, weight: np.ndarray, holdout: pd.Series
    ) -> tuple[WorkloadRate, WorkloadRate]:
        final, held_out = fit(frame, feature_sets()[spec.feature_set or ""], holdout, weight)
        return cls(spec, final), cls(spec, held_out)

    def predict(self, frame: pd.DataFrame) -> Prediction:
        pmf = self.model.pmf(frame)
        return Prediction(mean_of(pmf), pmf)

    def card_params(self) -> dict[str, Any]:
        return {
            "batters": {**BATTERS_PARAMS, "num_boost_round": NUM_ROUNDS},
            "rate": {**RATE_PARAMS, "num_boost_round": NUM_ROUNDS},
            "rho": self.model.rho,
            "batters_spread_bins": self.model.bin_edges,
        }

    def to_bytes(self) -> bytes:
        return self.model.to_bytes()

    @classmethod
    def from_bytes(cls, spec: SystemSpec, data: bytes) -> WorkloadRate:
        return cls(spec, WorkloadRateModel.from_bytes(data))
