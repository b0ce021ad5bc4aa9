"""Odds maths, vectorised: American odds <-> implied probability, the vig, payouts and expected value.

Every part of the package that prices or reads a price uses these (the feeds' loaders, the synthetic books,
the decision rule, the reports), so one American price means one thing everywhere. Pure maths on numbers: the
rules on what a plausible line or price is (dbt vars) live in ``python_models.predictors.markets``. The SQL
side has its own twin in ``macros/predictions/odds.sql``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Prices = pd.Series | np.ndarray


def implied_probability(american: Prices | float) -> np.ndarray:
    """Implied probability of American odds (vig included): -110 -> 0.5238, +120 -> 0.4545."""
    o = np.asarray(american, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):  # np.where evaluates both branches
        return np.where(o < 0, -o / (-o + 100.0), 100.0 / (o + 100.0))


def american_odds(implied: np.ndarray | float) -> np.ndarray:
    """Whole American odds for implied probabilities (vig included): 0.5238 -> -110, 0.4545 -> +120."""
    q = np.clip(np.asarray(implied, dtype=float), 0.02, 0.98)
    odds = np.where(q >= 0.5, -100.0 * q / (1.0 - q), 100.0 * (1.0 - q) / q)  # |odds| >= 100 either way
    return np.round(odds).astype(int)


def american_from_decimal(decimal: float) -> int:
    """American odds of a decimal price: 2.5 -> +150, 1.8 -> -125."""
    return round(100 * (decimal - 1)) if decimal >= 2 else round(-100 / (decimal - 1))


def payout_per_unit(american: Prices | float) -> np.ndarray:
    """Profit per unit staked when the bet wins: -110 -> 0.909, +120 -> 1.2."""
    o = np.asarray(american, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o < 0, 100.0 / -o, o / 100.0)


def no_vig_probabilities(over_odds: Prices, under_odds: Prices) -> tuple[np.ndarray, np.ndarray]:
    """The book's implied over/under probabilities with the vig removed (proportional method)."""
    p_o, p_u = implied_probability(over_odds), implied_probability(under_odds)
    total = p_o + p_u
    return p_o / total, p_u / total


def price_margin(over_odds: Prices, under_odds: Prices) -> np.ndarray:
    """The book's margin on a two-way price: implied P(over) + implied P(under) - 1 (-110/-110 -> 0.048)."""
    return implied_probability(over_odds) + implied_probability(under_odds) - 1.0


def expected_value(p_win: np.ndarray, p_lose: np.ndarray, american: Prices) -> np.ndarray:
    """Expected profit per unit staked (a push returns the stake: contributes 0)."""
    return p_win * payout_per_unit(american) - p_lose
