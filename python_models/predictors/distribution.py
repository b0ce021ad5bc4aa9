"""A prediction is a distribution over strikeouts, not only a mean.

Every system turns its forecast into P(K = k) for k = 0..K_MAX (the last cell holds P(K >= K_MAX)); the
probabilities against a line, the median and the 10th/90th percentiles, and (in dbt) the log loss of the
observed count and the PIT all come from that one array.

- v1 systems and the ensemble: a Poisson with the predicted mean (as specified);
- `workload_rate` systems (v2): the number of batters faced is uncertain — a forecast of it plus the
  empirical spread of its errors (early hooks, openers) — and strikeouts given the batters faced follow a
  beta-binomial around a forecast strikeout rate per batter, with a fitted over-dispersion.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
from scipy.special import betaln, gammaln
from scipy.stats import poisson

K_MAX = 20  # no starter has struck out more than 20; the last cell holds P(K >= 20)
KS = np.arange(K_MAX + 1)
MAX_BATTERS = 45


def poisson_pmf(mean: np.ndarray) -> np.ndarray:
    """(n, K_MAX + 1) Poisson probabilities, the tail folded into the last cell."""
    mean = np.clip(np.asarray(mean, dtype=float), 1e-9, None)[:, None]
    pmf = poisson.pmf(KS[None, :], mean)
    pmf[:, -1] = poisson.sf(K_MAX - 1, mean[:, 0])
    return pmf


def workload_rate_pmf(
    batters_mean: np.ndarray, rate: np.ndarray, residuals: np.ndarray, rho: float
) -> np.ndarray:
    """(n, K_MAX + 1): a mixture over batters faced b = round(batters_mean + r) for the residual samples
    ``residuals`` (one row per prediction, equally likely), and K | b ~ BetaBinomial(b, rate, rho)."""
    batters_mean = np.asarray(batters_mean, dtype=float)
    rate = np.clip(np.asarray(rate, dtype=float), 1e-4, 1 - 1e-4)
    residuals = np.atleast_2d(np.asarray(residuals, dtype=float))
    batters = np.clip(np.rint(batters_mean[:, None] + residuals), 1, MAX_BATTERS).astype(int)  # (n, s)
    rho = float(np.clip(rho, 1e-6, 0.5))
    concentration = 1.0 / rho - 1.0
    a = (rate * concentration)[:, None, None]
    b = ((1.0 - rate) * concentration)[:, None, None]
    cells = _beta_binomial_pmf(KS[None, None, :], batters[:, :, None], a, b)  # (n, s, K_MAX + 1)
    cells[:, :, -1] = np.clip(1.0 - cells[:, :, :-1].sum(axis=2), 0.0, None)  # P(K >= K_MAX)
    return cells.mean(axis=1)


def _beta_binomial_pmf(k: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """BetaBinomial(n, a, b) probabilities of k, broadcast (scipy's formula in closed form: its betabinom
    evaluates the cdf one element at a time, which was most of a backfill's scoring time)."""
    k, n = np.broadcast_arrays(k, n)
    inside = k <= n
    kk, rest = np.where(inside, k, 0), np.where(inside, n - k, 0)
    log_pmf = (
        gammaln(n + 1.0) - gammaln(kk + 1.0) - gammaln(rest + 1.0) + betaln(kk + a, rest + b) - betaln(a, b)
    )
    return np.where(inside, np.exp(log_pmf), 0.0)


def side_probabilities(pmf: np.ndarray, line: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(over), P(under), P(push) against ``line`` (NaN where there is no line). A whole line L pushes on
    exactly L strikeouts; a half line never pushes."""
    line = np.asarray(line, dtype=float)
    has = ~np.isnan(line)
    safe = np.where(has, line, 0.0)
    cdf = np.cumsum(pmf, axis=1)
    floor = np.clip(np.floor(safe).astype(int), 0, K_MAX)
    whole = safe == np.floor(safe)
    rows = np.arange(len(pmf))
    at_floor = pmf[rows, floor]
    below_floor = np.where(floor > 0, cdf[rows, np.maximum(floor - 1, 0)], 0.0)
    p_push = np.where(whole, at_floor, 0.0)
    p_under = np.where(whole, below_floor, cdf[rows, floor])
    p_over = np.clip(1.0 - p_under - p_push, 0.0, 1.0)
    nan = np.full(len(pmf), np.nan)
    return np.where(has, p_over, nan), np.where(has, p_under, nan), np.where(has, p_push, nan)


def mean_of(pmf: np.ndarray) -> np.ndarray:
    """Each row's mean, summed row by row: a row's value never depends on how many rows came with it (a
    matrix product's blocking does: one date's slate and a backfill's month differed in the last bit)."""
    return (np.ascontiguousarray(pmf, dtype=float) * KS).sum(axis=1)


def quantile(pmf: np.ndarray, q: float) -> np.ndarray:
    """The smallest k with P(K <= k) >= q."""
    cdf = np.cumsum(pmf, axis=1)
    return np.argmax(cdf >= q - 1e-12, axis=1).astype(float)


def to_json(pmf: np.ndarray) -> list[str]:
    """One JSON array per row, 6 decimals (what the landing table stores)."""
    return [json.dumps([round(float(p), 6) for p in row]) for row in pmf]


def from_json(values: Iterable[str]) -> np.ndarray:
    """(n, K_MAX + 1) from stored JSON arrays (the inverse of ``to_json``)."""
    rows = [json.loads(v) for v in values]
    return np.asarray(rows, dtype=float).reshape(len(rows), K_MAX + 1)


def count_log_loss(pmf: np.ndarray, actual: np.ndarray) -> float:
    """Mean negative log likelihood of the observed counts (capped at K_MAX, the tail cell)."""
    idx = np.clip(np.asarray(actual, dtype=int), 0, K_MAX)
    return float(-np.mean(np.log(np.clip(pmf[np.arange(len(pmf)), idx], 1e-12, None))))
