"""How a synthetic sportsbook turns its belief about a start into a posted line and prices.

Shared by both synthetic books (the demo league's, ``python_models/demo/league.py``, and the real-data market,
``python_models/demo/market.py``), so the two differ only in what they know, never in how they price.

1. **Belief → count distribution** (``strikeout_pmf``). The book's belief about a start is a distribution of
   batters faced (a pmf over 0..``MAX_BATTERS``) and a lognormal strikeout rate per batter (mean and SD of the
   log rate: the SD holds both the game-to-game variation of the rate and the book's own uncertainty about
   it). Strikeouts are binomial given batters faced and rate; the pmf integrates over both, so it is a
   batters-faced mixture of beta-binomial-like counts, and a book whose belief is right is calibrated.
2. **Count distribution → line** (``price``). The line is the half strikeout nearest the book's median
   (the half line whose P(over) is closest to 50%). When the median sits so close to a whole number that
   every half line is lopsided (P(over) farther than ``WHOLE_LINE_TILT`` from 50%) and the whole line is
   more balanced, the book posts the whole line instead (exactly that many strikeouts is a push).
3. **Line → prices.** The book's no-vig P(over) at the posted line is P(over) / (P(over) + P(under))
   (pushes refunded). Each side's implied probability is its no-vig probability × (1 + hold), written as
   whole American odds: the over price follows the book's P(over) at the posted line (−110 when it is 50%,
   −130 / +100 when it leans over, ...), and the two implied probabilities sum to 1 + hold (within the
   rounding of one price to whole odds: ±0.0013). Removing the vig proportionally
   (``python_models.predictors.odds.no_vig_probabilities``) gives back the book's probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from python_models.predictors.markets import LINE_RANGE
from python_models.predictors.odds import american_odds, implied_probability

MAX_BATTERS = 40  # batters faced support 0..40 (the real 2014-2022 maximum is 38)
MAX_STRIKEOUTS = MAX_BATTERS
WHOLE_LINE_TILT = 0.085  # post a whole line only when the best half line is this far from 50/50 (~5% whole)
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(15)  # Gauss-Hermite for a standard normal
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
_CHOOSE = np.array(
    [[math.comb(n, k) for k in range(MAX_STRIKEOUTS + 1)] for n in range(MAX_BATTERS + 1)], float
)


def discrete_normal_pmf(mean: np.ndarray, sd: np.ndarray, low: int, high: int) -> np.ndarray:
    """Rows of a normal rounded to the nearest integer and clipped to [low, high] (the mass beyond the
    ends piles up on them), over the support 0..MAX_BATTERS."""
    from scipy.stats import norm

    mean = np.asarray(mean, dtype=float)[:, None]
    sd = np.asarray(sd, dtype=float)[:, None]
    edges = np.arange(MAX_BATTERS + 2) - 0.5  # bin j covers [j - 0.5, j + 0.5)
    cdf = norm.cdf((edges[None, :] - mean) / sd)
    cdf[:, : low + 1] = 0.0  # everything below `low` is rounded up to it
    cdf[:, high + 1 :] = 1.0  # everything above `high` is rounded down to it
    return np.diff(cdf, axis=1)


def strikeout_pmf(
    log_rate_mean: np.ndarray,
    log_rate_sd: np.ndarray,
    batters_pmf: np.ndarray,
    rate_bounds: tuple[float, float] = (0.01, 0.6),
    chunk: int = 4096,
) -> np.ndarray:
    """P(strikeouts = k), k = 0..MAX_STRIKEOUTS, per row.

    Strikeouts ~ Binomial(batters faced, rate) with batters faced ~ ``batters_pmf`` (rows over
    0..MAX_BATTERS) and log(rate) ~ Normal(``log_rate_mean``, ``log_rate_sd``) clipped to ``rate_bounds``
    (15-node Gauss-Hermite). Each row sums to its ``batters_pmf`` row's mass (1 for a distribution; less
    for one component of a mixture). Vectorised as one matrix product per chunk: 80,000 rows in about a
    second.
    """
    mu = np.asarray(log_rate_mean, dtype=float)
    sd = np.asarray(log_rate_sd, dtype=float)
    bf = np.asarray(batters_pmf, dtype=float)
    n = np.arange(MAX_BATTERS + 1)
    k = np.arange(MAX_STRIKEOUTS + 1)
    out = np.empty((len(mu), MAX_STRIKEOUTS + 1))
    for lo in range(0, len(mu), chunk):
        sl = slice(lo, lo + chunk)
        rate = np.clip(np.exp(mu[sl, None] + sd[sl, None] * _NODES[None, :]), *rate_bounds)  # rows x nodes
        # P(K = k) = sum_n P(BF = n) C(n, k) p^k (1-p)^(n-k) = (p / (1-p))^k * [sum_n C(n, k) P(BF = n) (1-p)^n]
        log_miss = np.log1p(-rate)[:, :, None]
        weighted = bf[sl, None, :] * np.exp(n * log_miss)  # rows x nodes x n
        rows, nodes, _ = weighted.shape
        summed = (weighted.reshape(rows * nodes, -1) @ _CHOOSE).reshape(rows, nodes, -1)  # ... x k
        summed *= np.exp(k * (np.log(rate)[:, :, None] - log_miss))
        out[sl] = np.einsum("rnk,n->rk", summed, _WEIGHTS)
    return out


def decayed_sums(
    events: pd.DataFrame,
    keys: list[str],
    values: list[str],
    queries: pd.DataFrame,
    half_life_days: float,
) -> pd.DataFrame:
    """Exponentially decayed sums of ``values`` over the events of each key dated strictly before each
    query's ``cutoff`` (a day): sum of value * 2^(-(cutoff - event day) / half_life).

    ``events`` has ``keys``, ``day`` (int days) and ``values``; ``queries`` has ``keys`` and ``cutoff``
    (int days). Returns one row per query (same index), NaN-free (0 where there is no earlier event).
    """
    lam = np.log(2.0) / half_life_days
    daily = events.groupby([*keys, "day"], sort=True)[values].sum().reset_index()
    origin = float(daily["day"].min()) if len(daily) else 0.0
    latest = np.concatenate([daily["day"].to_numpy(float), np.asarray(queries["cutoff"], dtype=float)])
    span = float(latest.max()) - origin if len(latest) else 0.0
    if lam * span > 700:  # the weights are exp(lam * (day - origin)): keep them finite
        raise ValueError(f"half-life {half_life_days} days is too short for {span:.0f} days of history")
    growth = np.exp(lam * (daily["day"].to_numpy(float) - origin))
    cum = daily[values].mul(growth, axis=0).groupby([daily[k] for k in keys]).cumsum()
    table = pd.concat([daily[[*keys, "day"]], cum], axis=1).sort_values("day")
    q = queries[[*keys, "cutoff"]].copy()
    q["_row"] = np.arange(len(q))
    q["day"] = q["cutoff"].astype(float)
    table["day"] = table["day"].astype(float)
    merged = pd.merge_asof(
        q.sort_values("day"), table, on="day", by=keys, allow_exact_matches=False, direction="backward"
    ).sort_values("_row")
    decay = np.exp(-lam * (merged["cutoff"].to_numpy(float) - origin))
    out = merged[values].fillna(0.0).mul(decay, axis=0)
    out.index = queries.index
    return out


@dataclass(frozen=True)
class Quote:
    """A book's posted line and prices, one entry per row of the pmf it was priced from."""

    line: np.ndarray
    p_over: np.ndarray  # the book's no-vig P(over) at the line (pushes refunded)
    over_odds: np.ndarray
    under_odds: np.ndarray


def price(
    pmf: np.ndarray,
    hold: np.ndarray | float,
    whole_line_tilt: float = WHOLE_LINE_TILT,
    target_over: float = 0.5,
) -> Quote:
    """Line and prices from each row's strikeout distribution at ``hold`` (0.045 = implied sum 1.045);
    the half line whose P(over) is nearest ``target_over`` (0.5: the median; above it, a line shaded low, as
    real books post them), a whole line only where that half line's P(over) is more than
    ``whole_line_tilt`` from the target. The prices are the distribution's own at the posted line."""
    pmf = np.asarray(pmf, dtype=float)
    rows = np.arange(len(pmf))
    cdf = np.cumsum(pmf, axis=1)
    lo, hi = LINE_RANGE
    ks = np.arange(int(lo), int(hi) + 1)  # half lines ks + 0.5
    p_over_half = 1.0 - cdf[:, ks]
    best = np.argmin(np.abs(p_over_half - target_over), axis=1)
    half_line = ks[best] + 0.5
    half_p = p_over_half[rows, best]
    # the whole line on the side the half line leans toward: 4.5 leaning over -> 5, leaning under -> 4
    whole = np.clip(np.where(half_p > target_over, half_line + 0.5, half_line - 0.5), 1, hi - 0.5).astype(int)
    over_w = 1.0 - cdf[rows, whole]
    under_w = cdf[rows, whole - 1]
    whole_p = over_w / np.maximum(over_w + under_w, 1e-12)
    use_whole = (np.abs(half_p - target_over) > whole_line_tilt) & (
        np.abs(whole_p - target_over) < np.abs(half_p - target_over)
    )
    line = np.where(use_whole, whole.astype(float), half_line)
    p_over = np.where(use_whole, whole_p, half_p)
    total = 1.0 + np.asarray(hold, dtype=float)
    over_odds = american_odds(p_over * total)
    # the under price takes up the over price's rounding, so the two implied probabilities sum to 1 + hold
    under_odds = american_odds(total - implied_probability(over_odds))
    return Quote(line=line, p_over=p_over, over_odds=over_odds, under_odds=under_odds)
