"""Market-aware probabilities: blend a system's P(over) with the book's no-vig P(over).

A sharp book already prices most of what a model knows. The pick probability starts from the book's price
and moves toward the system's only as far as graded history says the system adds information:

    logit(p_pick) = logit(p_book) + weight * (logit(p_system) - logit(p_book)) + intercept

fitted walk-forward (a version trained through T learns only from predictions of games on or before T) by
maximum a posteriori logistic regression on graded starts that had a line (pushes excluded), with a
Gaussian prior centred on (weight 0, intercept 0) — **trust the market** — whose strength equals
``prior_rows`` graded starts: with no history the pick probability IS the book's price (no pick can clear
the margin), with little history the weight stays near 0, and with much history the data decide. All
probabilities here are conditional on no push.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

EPS = 1e-6
PRIOR_ROWS = 400  # the prior is worth this many graded starts with a line


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@dataclass(frozen=True)
class MarketBlend:
    """Learned combination of a system's and the book's P(over | no push)."""

    weight: float = 0.0
    intercept: float = 0.0
    rows: int = 0  # graded starts it was fitted on (0 = the prior alone: the book's price)

    def combine(self, p_system: np.ndarray, p_market: np.ndarray) -> np.ndarray:
        """The pick probability; NaN where either input is NaN (no line)."""
        base = logit(p_market)
        out = sigmoid(base + self.weight * (logit(p_system) - base) + self.intercept)
        return np.where(np.isnan(p_system) | np.isnan(p_market), np.nan, out)


def fit_market_blend(
    p_system: np.ndarray, p_market: np.ndarray, went_over: np.ndarray, prior_rows: int = PRIOR_ROWS
) -> MarketBlend:
    """MAP fit on graded starts (rows with NaN are ignored). ``went_over``: 1 over, 0 under (no pushes)."""
    p_system, p_market = np.asarray(p_system, float), np.asarray(p_market, float)
    y = np.asarray(went_over, float)
    keep = ~(np.isnan(p_system) | np.isnan(p_market) | np.isnan(y))
    p_system, p_market, y = p_system[keep], p_market[keep], y[keep]
    n = len(y)
    if n == 0:
        return MarketBlend()
    base = logit(p_market)
    x = logit(p_system) - base
    # Prior precision worth `prior_rows` observations of the likelihood's curvature at the prior mean
    # (p = p_book, so p(1-p) <= 1/4): for the weight it scales with the spread of x, for the intercept 1/4.
    precision_w = prior_rows * 0.25 * max(float(np.mean(x**2)), 1e-6)
    precision_c = prior_rows * 0.25

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, c = theta
        z = base + w * x + c
        p = sigmoid(z)
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z))
        penalty = 0.5 * (precision_w * w * w + precision_c * c * c)
        residual = p - y
        grad = np.array([np.sum(residual * x) + precision_w * w, np.sum(residual) + precision_c * c])
        return nll + penalty, grad

    fitted = minimize(objective, np.zeros(2), jac=True, method="L-BFGS-B")
    w, c = (float(v) for v in fitted.x)
    return MarketBlend(weight=w, intercept=c, rows=n)
