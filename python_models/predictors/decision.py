"""From a predicted mean to a pick: probabilities, expected value, recommendation and confidence.

Rules (thresholds from Settings):
- The probability that decides is market-aware (python_models.predictors.market_blend): the book's no-vig
  price moved toward the system's own probability by the weight graded history has earned it (none yet: the
  book's price, so no pick).
- The side is the one whose market-aware probability (pushes excluded) beats the book's no-vig implied
  probability by at least ``min_prob_margin``; the edge (prediction - line) must point the same way by at
  least ``min_edge``.
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
from python_models.predictors.calibration import Calibrator, calibrate_sides
from python_models.predictors.distribution import poisson_pmf, quantile, side_probabilities, to_json
from python_models.predictors.market_blend import MarketBlend
from python_models.predictors.odds import expected_value, no_vig_probabilities

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
    frame: pd.DataFrame,
    settings: Settings,
    agreement_factor: np.ndarray | None = None,
    blend: MarketBlend | None = None,
    pmf: np.ndarray | None = None,
    calibrator: Calibrator | None = None,
) -> pd.DataFrame:
    """Add probabilities, EV, recommendation and confidence to ``frame``.

    ``frame`` needs: predicted_strikeouts, strikeouts_line, over_odds, under_odds, feature_coverage_pct,
    red_flags (list per row). Lines already judged unusable must be NaN with a flag. ``pmf`` is the system's
    distribution P(K = k) per row (python_models.predictors.distribution; default: a Poisson with the
    predicted mean): the probabilities against the line, the median and the 10th/90th percentiles come
    from it. ``blend`` is the
    system's learned market blend (default: none learned yet, so the pick probability is the book's price).
    ``calibrator`` is the system's learned beta calibration (python_models.predictors.calibration; default:
    the identity): the system's P(over/under/push) are the distribution's, recalibrated through it; the
    recommendation, the EV and the confidence use the market-aware pick probability built on them.
    """
    out = frame.copy()
    blend = blend or MarketBlend()
    mean = out["predicted_strikeouts"].to_numpy(dtype=float)
    line = out["strikeouts_line"].to_numpy(dtype=float)
    over_odds = out["over_odds"].to_numpy(dtype=float)
    under_odds = out["under_odds"].to_numpy(dtype=float)
    pmf = poisson_pmf(mean) if pmf is None else pmf
    p_over, p_under, p_push = calibrate_sides(*side_probabilities(pmf, line), calibrator or Calibrator())
    decided = 1.0 - np.nan_to_num(p_push)
    p_over_c = p_over / decided  # the system's probability given no push
    fair_over, fair_under = no_vig_probabilities(over_odds, under_odds)
    pick_over = blend.combine(p_over_c, fair_over)
    pick_under = 1.0 - pick_over
    p_over_c, p_under_c = pick_over, pick_under  # what the recommendation and the EV believe
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
    out["predicted_median"] = quantile(pmf, 0.5)
    out["predicted_p10"] = quantile(pmf, 0.1)
    out["predicted_p90"] = quantile(pmf, 0.9)
    out["strikeout_pmf"] = to_json(pmf)
    out["market_p_over"] = fair_over
    out["pick_p_over"] = pick_over
    out["market_weight"] = blend.weight
    out["edge"] = edge
    # a push returns the stake: the sides' probabilities given no push, times the chance of no push
    out["ev_over"] = expected_value(pick_over * decided, pick_under * decided, over_odds)
    out["ev_under"] = expected_value(pick_under * decided, pick_over * decided, under_odds)
    out["confidence"] = np.round(confidence, 2)
    out["recommendation"] = rec
    return out
