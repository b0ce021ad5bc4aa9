"""Market-aware probabilities: a market logistic of the outcome on a system's and the book's P(over).

A sharp book already prices most of what a model knows. The pick probability starts from the book's price
and moves toward the system's only as far as graded history says the system adds information, and rescales
the book's own price as far as history says it is too flat or too steep:

    logit(p_pick) = logit(p_book) + weight * (logit(p_system) - logit(p_book))
                    + book_slope * logit(p_book) + intercept

i.e. a logistic regression of the outcome on logit p_system and logit p_book with free coefficients
(``weight`` and ``1 - weight + book_slope``) and an intercept: the market logistic that
``benchmarks/calibration_study.py`` measured best on 2022 (Brier 0.2457 and largest decile gap 2.7 pp
against the book's 0.2463). It is fitted walk-forward (a version trained through T learns only from
predictions of games on or before T) by maximum a posteriori logistic regression on graded starts that had
a line (pushes excluded), with a Gaussian prior centred on (weight 0, book_slope 0, intercept 0) — **trust
the market** — whose strength equals ``prior_rows`` graded starts: with no history the pick probability IS
the book's price (no pick can clear the margin), with little history it stays near it, and with much history
the data decide. All probabilities here are conditional on no push.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

EPS = 1e-6
PRIOR_ROWS = 600  # the prior is worth this many graded starts with a line (Settings.market_prior_rows)


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
    book_slope: float = 0.0  # added to the book's logit coefficient (> 0: the book's price is too flat)

    def combine(self, p_system: np.ndarray, p_market: np.ndarray) -> np.ndarray:
        """The pick probability; NaN where either input is NaN (no line)."""
        base = logit(p_market)
        z = base + self.weight * (logit(p_system) - base) + self.book_slope * base + self.intercept
        return np.where(np.isnan(p_system) | np.isnan(p_market), np.nan, sigmoid(z))

    def to_dict(self) -> dict:
        return {
            "weight": self.weight,
            "intercept": self.intercept,
            "rows": self.rows,
            "book_slope": self.book_slope,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> MarketBlend:
        """From a model card (a card written before the book's slope was learned has none: 0)."""
        data = data or {}
        return cls(
            float(data.get("weight", 0.0)),
            float(data.get("intercept", 0.0)),
            int(data.get("rows", 0)),
            float(data.get("book_slope", 0.0)),
        )


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
    base, own = logit(p_market), logit(p_system)
    # the columns the coefficients (weight, book_slope, intercept) multiply; the book's logit is the offset
    design = np.column_stack([own - base, base, np.ones(n)])
    # The prior is on the logit coefficients of the system (weight), of the book (1 - weight + book_slope,
    # centred on 1) and the intercept, each worth `prior_rows` observations of the likelihood's curvature at
    # the prior mean (p = p_book, so p(1-p) <= 1/4): it scales with the mean square of its column.
    precision = (
        prior_rows * 0.25 * np.maximum(np.mean(np.column_stack([own, base, design[:, 2]]) ** 2, axis=0), 1e-6)
    )
    to_prior = np.array(
        [[1.0, 0.0, 0.0], [-1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    )  # theta -> deviations from the book

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = base + design @ theta
        deviation = to_prior @ theta
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z))
        penalty = 0.5 * float(np.sum(precision * deviation**2))
        grad = design.T @ (sigmoid(z) - y) + to_prior.T @ (precision * deviation)
        return nll + penalty, grad

    fitted = minimize(objective, np.zeros(3), jac=True, method="L-BFGS-B")
    w, slope, c = (float(v) for v in fitted.x)
    return MarketBlend(weight=w, intercept=c, rows=n, book_slope=slope)
