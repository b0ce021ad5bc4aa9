"""The `xgboost_poisson` kind: an XGBoost Poisson regression of the strikeouts (a mean, Poisson around it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from python_models.dbt.project import SystemSpec, feature_sets
from python_models.predictors.base import ModelPredictor, Prediction, register

#: The trees every XGBoost model of the project grows (the workload_rate kind's two boosters too).
TREE_PARAMS: dict[str, object] = {
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 10,
    "seed": 0,
}
XGB_PARAMS: dict[str, object] = {
    "objective": "count:poisson",
    "eval_metric": "poisson-nloglik",
    **TREE_PARAMS,
    "max_delta_step": 0.7,
}
NUM_ROUNDS = 300


def _matrix(frame: pd.DataFrame, features: list[str], with_label: bool) -> xgb.DMatrix:
    x = frame[features].astype("float64").to_numpy()
    label = frame["actual_strikeouts"].astype("float64").to_numpy() if with_label else None
    return xgb.DMatrix(x, label=label, feature_names=features, missing=np.nan)


def fit(frame: pd.DataFrame, features: list[str], weight: np.ndarray | None = None) -> xgb.Booster:
    matrix = _matrix(frame, features, True)
    if weight is not None:
        matrix.set_weight(weight)
    return xgb.train(XGB_PARAMS, matrix, num_boost_round=NUM_ROUNDS)


def predict(booster: xgb.Booster, frame: pd.DataFrame, features: list[str]) -> np.ndarray:
    return booster.predict(_matrix(frame, features, False))


@register("xgboost_poisson")
class XGBoostPoisson(ModelPredictor):
    def __init__(self, spec: SystemSpec, booster: xgb.Booster) -> None:
        super().__init__(spec)
        self.booster = booster

    @property
    def features(self) -> list[str]:
        return feature_sets()[self.spec.feature_set or ""]

    @classmethod
    def fit(
        cls, spec: SystemSpec, frame: pd.DataFrame, weight: np.ndarray, holdout: pd.Series
    ) -> tuple[XGBoostPoisson, XGBoostPoisson]:
        features = feature_sets()[spec.feature_set or ""]
        held_out = fit(frame[~holdout], features, weight[~holdout.to_numpy()])
        return cls(spec, fit(frame, features, weight)), cls(spec, held_out)

    def predict(self, frame: pd.DataFrame) -> Prediction:
        return Prediction(np.asarray(predict(self.booster, frame, self.features), dtype=float))

    def card_params(self) -> dict[str, Any]:
        return {**XGB_PARAMS, "num_boost_round": NUM_ROUNDS}

    def to_bytes(self) -> bytes:
        return bytes(self.booster.save_raw(raw_format="json"))

    @classmethod
    def from_bytes(cls, spec: SystemSpec, data: bytes) -> XGBoostPoisson:
        booster = xgb.Booster()
        booster.load_model(bytearray(data))
        return cls(spec, booster)
