"""Calibrated P(over / under / push): each system's own probability mapped through a beta calibration.

A system's raw P(over | no push) = p against a line is mapped by beta calibration (Kull, Silva Filho and
Flach 2017): a logistic regression (scikit-learn) of the outcome on ``log p`` and ``-log(1 - p)``,

    logit(q) = a log p - b log(1 - p) + c,

fitted walk-forward on that system's OWN graded out-of-sample predictions (a version trained through T
learns only from predictions of games on or before T, each scored by a model trained before its date). It
holds the identity (a = b = 1, c = 0), a shift and a sharpening or flattening of an over- or under-confident
system, with three numbers instead of isotonic's step curve (measured on 2022 by
``benchmarks/calibration_study.py``: Brier 0.2461 and largest decile gap 4.6 pp against isotonic's 0.2468
and 6.2 pp). A negative a or b would make the map reverse; that coefficient is then dropped and the fit
repeated (the paper's rule), so the map never decreases. P(push) is the distribution's and stays; P(over)
and P(under) share the rest in the calibrated proportion, so the three still sum to 1.

With fewer than ``min_rows`` graded starts with a line the map is the identity (nothing to learn from yet:
the raw probability is kept and the card says so). The coefficients are stored in the model card.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

MIN_ROWS = 2000  # graded starts with a line before a fit replaces the identity (600 overfit: a month)
EPS = 1e-4  # probabilities are kept this far from 0 and 1 before their logarithms
C = 1e4  # scikit-learn's inverse regularisation: three coefficients on thousands of rows need none


@dataclass(frozen=True)
class Calibrator:
    """Beta-calibration coefficients (the defaults are the identity) and the rows they were fitted on."""

    a: float = 1.0
    b: float = 1.0
    c: float = 0.0
    rows: int = 0

    @property
    def is_identity(self) -> bool:
        return (self.a, self.b, self.c) == (1.0, 1.0, 0.0)

    def apply(self, p: np.ndarray) -> np.ndarray:
        """The calibrated probability (NaN stays NaN)."""
        p = np.asarray(p, dtype=float)
        if self.is_identity:
            return p
        q = np.clip(np.nan_to_num(p, nan=0.5), EPS, 1 - EPS)
        z = self.a * np.log(q) - self.b * np.log(1 - q) + self.c
        return np.where(np.isnan(p), np.nan, 1.0 / (1.0 + np.exp(-z)))

    def to_dict(self) -> dict:
        return {"method": "beta", "a": self.a, "b": self.b, "c": self.c, "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict | None) -> Calibrator:
        """From a model card; a card without coefficients (none fitted, or written before beta calibration)
        is the identity until its system is retrained."""
        if not data or "a" not in data:
            return cls(rows=int((data or {}).get("rows", 0)))
        return cls(float(data["a"]), float(data["b"]), float(data["c"]), int(data["rows"]))


def fit_calibrator(p_raw: np.ndarray, went_over: np.ndarray, min_rows: int = MIN_ROWS) -> Calibrator:
    """Beta calibration of ``went_over`` (1 over, 0 under; pushes left out) on the raw P(over | no push)."""
    p_raw, y = np.asarray(p_raw, dtype=float), np.asarray(went_over, dtype=float)
    keep = ~(np.isnan(p_raw) | np.isnan(y))
    p_raw, y = np.clip(p_raw[keep], EPS, 1 - EPS), y[keep]
    if len(y) < min_rows or len(np.unique(y)) < 2:
        return Calibrator(rows=len(y))
    features = np.column_stack([np.log(p_raw), -np.log(1 - p_raw)])
    used = [0, 1]
    while True:
        model = LogisticRegression(C=C, max_iter=1000).fit(features[:, used], y)
        coef = dict(zip(used, model.coef_[0], strict=True))
        negative = [i for i in used if coef[i] < 0]
        if not negative or len(used) == 1:
            break
        used = [i for i in used if i != min(negative, key=lambda i: coef[i])]
    a, b = (max(float(coef.get(i, 0.0)), 0.0) for i in (0, 1))
    return Calibrator(a, b, float(model.intercept_[0]), len(y))


def calibrate_sides(
    p_over: np.ndarray, p_under: np.ndarray, p_push: np.ndarray, calibrator: Calibrator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(over), P(under), P(push) with the over/under split recalibrated; P(push) unchanged."""
    decided = 1.0 - np.nan_to_num(p_push)
    with np.errstate(invalid="ignore", divide="ignore"):
        conditional = np.where(decided > 0, p_over / np.where(decided > 0, decided, 1.0), np.nan)
    calibrated = calibrator.apply(conditional)
    calibrated = np.where(np.isnan(calibrated), conditional, calibrated)
    over = np.where(decided > 0, calibrated * decided, p_over)
    under = np.where(decided > 0, (1.0 - calibrated) * decided, p_under)
    return over, under, p_push
