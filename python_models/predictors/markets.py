"""Odds and Poisson probabilities: everything a prediction says about a line, vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import poisson

LINE_RANGE = (0.5, 15.5)
ODDS_ABS_RANGE = (100, 1000)


def implied_probability(american: pd.Series | np.ndarray) -> np.ndarray:
    """Implied probability of American odds (vig included): -110 -> 0.5238, +120 -> 0.4545."""
    o = np.asarray(american, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):  # np.where evaluates both branches
        return np.where(o < 0, -o / (-o + 100.0), 100.0 / (o + 100.0))


def payout_per_unit(american: pd.Series | np.ndarray) -> np.ndarray:
    """Profit per unit staked when the bet wins: -110 -> 0.909, +120 -> 1.2."""
    o = np.asarray(american, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o < 0, 100.0 / -o, o / 100.0)


def no_vig_probabilities(over_odds: np.ndarray, under_odds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The book's implied over/under probabilities with the vig removed (proportional method)."""
    p_o, p_u = implied_probability(over_odds), implied_probability(under_odds)
    total = p_o + p_u
    return p_o / total, p_u / total


def poisson_side_probabilities(
    mean: np.ndarray, line: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(over), P(under), P(push) for strikeouts ~ Poisson(mean) against ``line``.

    Half-point lines have no push; on a whole line L, exactly L strikeouts is a push.
    Rows without a line (NaN) return NaN for all three.
    """
    mean = np.asarray(mean, dtype=float)
    line = np.asarray(line, dtype=float)
    has = ~np.isnan(line)
    safe_line = np.where(has, line, 0.0)
    floor = np.floor(safe_line)
    whole = safe_line == floor
    p_push = np.where(whole, poisson.pmf(floor, mean), 0.0)
    p_under = np.where(whole, poisson.cdf(floor - 1, mean), poisson.cdf(floor, mean))
    p_over = np.clip(1.0 - p_under - p_push, 0.0, 1.0)  # float rounding can give -1e-16
    nan = np.full_like(mean, np.nan)
    return (np.where(has, p_over, nan), np.where(has, p_under, nan), np.where(has, p_push, nan))


def expected_value(p_win: np.ndarray, p_lose: np.ndarray, american: np.ndarray) -> np.ndarray:
    """Expected profit per unit staked (a push returns the stake: contributes 0)."""
    return p_win * payout_per_unit(american) - p_lose


def line_problems(line: float | None, over_odds: float | None, under_odds: float | None) -> list[str]:
    """Reasons a line is unusable ([] when fine). Absurd values are rejected, never scored against."""
    problems = []
    lo, hi = LINE_RANGE
    if line is None or np.isnan(line):
        return ["no_line"]
    if not lo <= line <= hi or (line * 2) % 1 != 0:
        problems.append(f"absurd_line:{line}")
    for side, odds in (("over", over_odds), ("under", under_odds)):
        if odds is None or np.isnan(odds) or not ODDS_ABS_RANGE[0] <= abs(odds) <= ODDS_ABS_RANGE[1]:
            problems.append(f"absurd_{side}_odds:{odds}")
    return problems
