"""Calibrated P(over / under / push): each system's own probability mapped through an isotonic curve.

A system's raw P(over | no push) against a line is mapped by scikit-learn's isotonic regression, fitted
walk-forward on that system's OWN graded out-of-sample predictions (a version trained through T learns
only from predictions of games on or before T, each scored by a model trained before its date): the
observed over rate as a non-decreasing function of the raw probability. P(push) is the distribution's and
stays; P(over) and P(under) share the rest in the calibrated proportion, so the three still sum to 1.

With fewer than ``min_rows`` graded starts with a line the curve is the identity (nothing to learn from
yet: the raw probability is kept and the card says so). The curve is stored in the model card as its
breakpoints; applying it is a linear interpolation between them (what scikit-learn's ``predict`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.isotonic import IsotonicRegression

MIN_ROWS = 2000  # graded starts with a line before a curve replaces the identity (600 overfit: a month)


@dataclass(frozen=True)
class Calibrator:
    """Breakpoints of the fitted isotonic curve (empty = the identity) and the rows it was fitted on."""

    x: tuple[float, ...] = field(default_factory=tuple)
    y: tuple[float, ...] = field(default_factory=tuple)
    rows: int = 0

    @property
    def is_identity(self) -> bool:
        return len(self.x) == 0

    def apply(self, p: np.ndarray) -> np.ndarray:
        """The calibrated probability (NaN stays NaN)."""
        p = np.asarray(p, dtype=float)
        if self.is_identity:
            return p
        out = np.interp(np.nan_to_num(p, nan=0.5), np.asarray(self.x), np.asarray(self.y))
        return np.where(np.isnan(p), np.nan, out)

    def to_dict(self) -> dict:
        return {"x": list(self.x), "y": list(self.y), "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict | None) -> Calibrator:
        if not data:
            return cls()
        return cls(tuple(float(v) for v in data["x"]), tuple(float(v) for v in data["y"]), int(data["rows"]))


def fit_calibrator(p_raw: np.ndarray, went_over: np.ndarray, min_rows: int = MIN_ROWS) -> Calibrator:
    """Isotonic fit of ``went_over`` (1 over, 0 under; pushes left out) on the raw P(over | no push)."""
    p_raw, y = np.asarray(p_raw, dtype=float), np.asarray(went_over, dtype=float)
    keep = ~(np.isnan(p_raw) | np.isnan(y))
    p_raw, y = p_raw[keep], y[keep]
    if len(y) < min_rows:
        return Calibrator(rows=len(y))
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit(p_raw, y)
    x, fitted = model.X_thresholds_, model.y_thresholds_
    # a probability is never certain: keep the curve off 0 and 1 (a cell with only unders would say 0)
    fitted = np.clip(fitted, 0.01, 0.99)
    return Calibrator(tuple(float(v) for v in x), tuple(float(v) for v in fitted), len(y))


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
