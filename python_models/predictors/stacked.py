"""The `stacked` kind: a linear pool of every component's distribution, with weights learned walk-forward.

    P_v2(K = k) = sum_c w_c * P_c(K = k),   w_c >= 0, sum_c w_c = 1

The weights maximise the log likelihood of the observed strikeouts (the count log loss the systems are
ranked by) over the components' own graded out-of-sample predictions of games on or before the training
cut-off, each made by a model trained before its date; scipy's SLSQP solves it under the bounds and the
sum constraint. The predicted mean is the pool's mean (the weighted mean of the components'). With fewer
than ``min_rows`` starts predicted by every component the weights are equal (nothing to learn from yet);
where a component produced nothing for a pitcher the others' weights are renormalised.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from python_models.predictors.base import Combination, CombinedPredictor, Prediction, register
from python_models.predictors.distribution import K_MAX, from_json, mean_of

if TYPE_CHECKING:
    from python_models.config import Settings
    from python_models.training.model_store import ModelCard

log = logging.getLogger(__name__)

MIN_ROWS = 300


def fit_weights(
    likelihoods: np.ndarray,
    components: list[str],
    min_rows: int = MIN_ROWS,
    sample_weight: np.ndarray | None = None,
) -> tuple[dict[str, float], int]:
    """``likelihoods``: (n, m) each component's probability of the observed count; ``sample_weight`` each
    row's weight in the likelihood (none: equal). Returns the weights per component and the rows they were
    learned on (0 = equal weights, too little history)."""
    likelihoods = np.asarray(likelihoods, dtype=float)
    m = len(components)
    n = len(likelihoods)
    if n < min_rows or m == 0:
        return {c: 1.0 / m for c in components}, 0
    lk = np.clip(likelihoods, 1e-12, None)
    share = np.full(n, 1.0 / n) if sample_weight is None else np.asarray(sample_weight, float)
    share = share / share.sum()

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        mix = np.clip(lk @ w, 1e-12, None)
        return float(-np.sum(share * np.log(mix))), -np.sum(share[:, None] * lk / mix[:, None], axis=0)

    fitted = minimize(
        objective,
        np.full(m, 1.0 / m),
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * m,
        constraints=[{"type": "eq", "fun": lambda w: float(np.sum(w) - 1.0)}],
    )
    w = np.clip(fitted.x, 0.0, None)
    w = w / w.sum()
    return {c: float(v) for c, v in zip(components, w, strict=True)}, n


def likelihood_matrix(pmfs: dict[str, np.ndarray], actual: np.ndarray) -> np.ndarray:
    """(n, m): each component's probability of the observed count (capped at K_MAX, the tail cell)."""
    idx = np.clip(np.asarray(actual, dtype=int), 0, K_MAX)
    rows = np.arange(len(idx))
    return np.column_stack([pmf[rows, idx] for pmf in pmfs.values()])


def pool(pmfs: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """The weighted mixture of the components present (weights renormalised over them)."""
    present = [c for c in pmfs if weights.get(c, 0.0) > 0]
    if not present:  # every weighted component is missing: the others, equally
        present = list(pmfs)
        weights = dict.fromkeys(present, 1.0)
    total = sum(weights[c] for c in present)
    return sum(pmfs[c] * (weights[c] / total) for c in present)


@register("stacked")
class Stacked(CombinedPredictor):
    def fit(
        self, settings: Settings, through: date, components: list[ModelCard], history: pd.DataFrame
    ) -> Combination:
        """The weights, learned on the components' graded out-of-sample predictions in ``history`` (the
        trainer passes only games on or before ``through``)."""
        parts = list(self.spec.components)
        mine = history[history["system_id"].isin(parts) & history["strikeout_pmf"].notna()]
        wide = mine.pivot_table(
            index=["game_id", "pitcher_id"], columns="system_id", values="strikeout_pmf", aggfunc="first"
        ).dropna()
        actual = mine.groupby(["game_id", "pitcher_id"])["actual_strikeouts"].first().reindex(wide.index)
        pmfs = {c: from_json(wide[c]) for c in parts} if not wide.empty and set(parts) <= set(wide) else {}
        likelihoods = likelihood_matrix(pmfs, actual.to_numpy()) if pmfs else np.empty((0, len(parts)))
        weights, rows = fit_weights(likelihoods, parts)
        learned = f"learned on {rows:,} graded starts predicted by every component" if rows else "equal"
        log.info(
            "%s through %s: weights %s (%s)",
            self.spec.system_id,
            through,
            ", ".join(f"{c} {w:.2f}" for c, w in weights.items()),
            learned,
        )
        return Combination(
            {"weights": weights, "weights_rows": rows},
            rows,
            f"linear pool of the components' distributions; weights {learned} (on or before {through}); "
            "renormalised over the components that produced a prediction",
        )

    def predict(
        self, parts: dict[str, Prediction], learned: dict[str, float], settings: Settings
    ) -> Prediction:
        pmf = pool({s: p.pmf for s, p in parts.items()}, learned or dict.fromkeys(parts, 1.0))
        return Prediction(mean_of(pmf), pmf)
