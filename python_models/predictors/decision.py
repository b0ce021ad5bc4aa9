"""From a predicted mean to a pick: probabilities, expected value, recommendation and confidence.

Rules (thresholds from Settings):
- The side is the one whose probability (pushes excluded) beats the book's no-vig implied probability by at
  least ``min_prob_margin``; the edge (prediction - line) must point the same way by at least ``min_edge``.
  A symmetric ±edge rule alone is biased toward OVER under a Poisson, which is why the probability decides.
- Confidence (0-100) is the probability of the chosen side (pushes excluded) × 100, then multiplied by the
  ensemble's agreement factor (+10% agree / -15% disagree), then reduced by the coverage penalty
  (>= 90%: 0, 80-89: -5, 70-79: -10, 60-69: -15, < 60: -25 points).
- PASS when no side clears the margin, the edge is too small, confidence < ``min_confidence``, coverage is
  below ``min_coverage_pct``, there is no usable line, or a red flag says skip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from python_models.config import Settings
from python_models.predictors.markets import expected_value, no_vig_probabilities, poisson_side_probabilities

SKIP_FLAGS = ("on_injured_list",)
COVERAGE_PENALTIES = ((90.0, 0.0), (80.0, 5.0), (70.0, 10.0), (60.0, 15.0), (0.0, 25.0))


def coverage_penalty(coverage_pct: np.ndarray) -> np.ndarray:
    """Confidence points removed for thin features (NaN coverage counts as 0%)."""
    cov = np.nan_to_num(np.asarray(coverage_pct, dtype=float), nan=0.0)
    out = np.full(cov.shape, COVERAGE_PENALTIES[-1][1])
    for floor, penalty in reversed(COVERAGE_PENALTIES):
        out = np.where(cov >= floor, penalty, out)
    return out


def decide(
    frame: pd.DataFrame, settings: Settings, agreement_factor: np.ndarray | None = None
) -> pd.DataFrame:
    """Add probabilities, EV, recommendation and confidence to ``frame``.

    ``frame`` needs: predicted_strikeouts, strikeouts_line, over_odds, under_odds, feature_coverage_pct,
    red_flags (list per row). Lines already judged unusable must be NaN with a flag.
    """
    out = frame.copy()
    mean = out["predicted_strikeouts"].to_numpy(dtype=float)
    line = out["strikeouts_line"].to_numpy(dtype=float)
    over_odds = out["over_odds"].to_numpy(dtype=float)
    under_odds = out["under_odds"].to_numpy(dtype=float)
    p_over, p_under, p_push = poisson_side_probabilities(mean, line)
    decided = 1.0 - np.nan_to_num(p_push)
    p_over_c, p_under_c = p_over / decided, p_under / decided  # probabilities given no push
    fair_over, fair_under = no_vig_probabilities(over_odds, under_odds)
    margin_over, margin_under = p_over_c - fair_over, p_under_c - fair_under

    edge = mean - line
    over_ok = (
        (margin_over >= settings.min_prob_margin)
        & (edge >= settings.min_edge)
        & (margin_over >= margin_under)
    )
    under_ok = (margin_under >= settings.min_prob_margin) & (edge <= -settings.min_edge) & ~over_ok
    side_prob = np.where(p_over_c >= p_under_c, p_over_c, p_under_c)
    side_prob = np.where(over_ok, p_over_c, np.where(under_ok, p_under_c, side_prob))

    factor = np.ones_like(mean) if agreement_factor is None else np.asarray(agreement_factor, dtype=float)
    coverage = out["feature_coverage_pct"].to_numpy(dtype=float)
    confidence = np.nan_to_num(side_prob, nan=0.5) * 100.0 * factor - coverage_penalty(coverage)
    confidence = np.clip(confidence, 0.0, 100.0)

    skip = out["red_flags"].map(lambda flags: any(f in SKIP_FLAGS for f in flags)).to_numpy(dtype=bool)
    blocked = (
        np.isnan(line)
        | skip
        | (confidence < settings.min_confidence)
        | (np.nan_to_num(coverage, nan=0.0) < settings.min_coverage_pct)
    )
    rec = np.where(over_ok, "OVER", np.where(under_ok, "UNDER", "PASS"))
    rec = np.where(blocked, "PASS", rec)

    out["p_over"], out["p_under"], out["p_push"] = p_over, p_under, p_push
    out["edge"] = edge
    out["ev_over"] = expected_value(p_over, p_under, over_odds)
    out["ev_under"] = expected_value(p_under, p_over, under_odds)
    out["confidence"] = np.round(confidence, 2)
    out["recommendation"] = rec
    return out
