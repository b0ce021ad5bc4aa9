"""ensemble_v2: a linear pool of every component's distribution, with weights learned walk-forward.

    P_v2(K = k) = sum_c w_c * P_c(K = k),   w_c >= 0, sum_c w_c = 1

The weights maximise the log likelihood of the observed strikeouts (the count log loss the systems are
ranked by) over the components' own graded out-of-sample predictions of games on or before the training
cut-off, each made by a model trained before its date; scipy's SLSQP solves it under the bounds and the
sum constraint. The predicted mean is the pool's mean (the weighted mean of the components'). With fewer
than ``min_rows`` starts predicted by every component the weights are equal (nothing to learn from yet);
where a component produced nothing for a pitcher the others' weights are renormalised.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from python_models.predictors.distribution import K_MAX

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
