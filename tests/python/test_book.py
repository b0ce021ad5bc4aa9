"""The shared pricing of the synthetic books: count distribution, line, prices, point-in-time sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom

from python_models.demo.pricing import (
    MAX_BATTERS,
    decayed_sums,
    discrete_normal_pmf,
    price,
    strikeout_pmf,
)
from python_models.predictors.odds import american_odds, implied_probability, no_vig_probabilities


def test_strikeout_pmf_is_the_binomial_mixture() -> None:
    batters = discrete_normal_pmf(np.array([22.0, 9.0]), np.array([3.8, 2.0]), 6, 31)
    pmf = strikeout_pmf(np.log([0.25, 0.2]), np.zeros(2), batters)
    ks = np.arange(MAX_BATTERS + 1)
    for row, rate in enumerate((0.25, 0.2)):
        brute = sum(batters[row, n] * binom.pmf(ks, n, rate) for n in range(MAX_BATTERS + 1))
        np.testing.assert_allclose(pmf[row], brute, atol=1e-12)
    assert batters[1, :6].sum() == 0 and batters[1, 6] > 0.05  # rounded up to the lower bound


def test_rate_uncertainty_widens_the_distribution() -> None:
    batters = discrete_normal_pmf(np.full(2, 23.0), np.full(2, 3.8), 6, 31)
    pmf = strikeout_pmf(np.log([0.22, 0.22]), np.array([0.0, 0.3]), batters)
    ks = np.arange(MAX_BATTERS + 1)
    mean = pmf @ ks
    var = pmf @ ks**2 - mean**2
    assert var[1] > var[0] * 1.3
    np.testing.assert_allclose(pmf.sum(axis=1), 1.0)


def test_the_line_is_the_half_strikeout_at_the_median_and_prices_follow_it() -> None:
    batters = discrete_normal_pmf(np.linspace(14, 28, 400), np.full(400, 3.8), 6, 31)
    pmf = strikeout_pmf(np.full(400, np.log(0.22)), np.full(400, 0.1), batters)
    quote = price(pmf, 0.045)
    cdf = np.cumsum(pmf, axis=1)
    half = quote.line % 1 == 0.5
    assert half.mean() > 0.8 and (~half).any()
    floor = np.floor(quote.line[half]).astype(int)
    p_over = 1 - cdf[np.flatnonzero(half), floor]
    np.testing.assert_allclose(p_over, quote.p_over[half])
    assert np.abs(quote.p_over - 0.5).max() < 0.1  # no half line is farther from 50/50 than that
    total = implied_probability(quote.over_odds) + implied_probability(quote.under_odds)
    assert np.abs(total - 1.045).max() < 0.0015
    fair, _ = no_vig_probabilities(quote.over_odds, quote.under_odds)
    assert np.abs(fair - quote.p_over).max() < 0.002  # removing the vig gives the book's probability back
    assert ((quote.over_odds < -110) == (quote.p_over > 0.5 + 0.003)).mean() > 0.99


def test_a_shaded_book_posts_lower_lines_that_go_over_more_often_and_prices_them() -> None:
    """The real market's lean (line below the outcome, the over winning 52.4%): aiming the line at
    P(over) 0.524 moves some lines down half a strikeout and none up; the prices stay the book's belief."""
    rng = np.random.default_rng(5)
    n = 4000
    batters = discrete_normal_pmf(rng.uniform(14, 28, n), np.full(n, 3.8), 6, 31)
    pmf = strikeout_pmf(np.full(n, np.log(0.22)), np.full(n, 0.1), batters)
    fair, shaded = price(pmf, 0.045), price(pmf, 0.045, target_over=0.524)
    assert (shaded.line <= fair.line).all() and (shaded.line < fair.line).mean() > 0.02
    assert shaded.p_over.mean() > fair.p_over.mean()
    ks = np.arange(pmf.shape[1])
    draws = np.array([rng.choice(ks, p=row / row.sum()) for row in pmf])
    decided = draws != shaded.line
    over_shaded = (draws[decided] > shaded.line[decided]).mean()
    fair_decided = draws != fair.line
    over_fair = (draws[fair_decided] > fair.line[fair_decided]).mean()
    assert over_shaded > over_fair


def test_whole_lines_only_when_every_half_line_is_lopsided() -> None:
    pmf = np.zeros((1, MAX_BATTERS + 1))
    pmf[0, 4], pmf[0, 5], pmf[0, 6] = 0.3, 0.4, 0.3  # median exactly on 5: 4.5 and 5.5 are 70/30
    quote = price(pmf, 0.045)
    assert quote.line[0] == 5.0 and abs(quote.p_over[0] - 0.5) < 1e-9
    assert price(pmf, 0.045, whole_line_tilt=0.25).line[0] in (4.5, 5.5)


def test_american_odds() -> None:
    np.testing.assert_array_equal(
        american_odds(np.array([0.5238, 0.4545, 0.5, 0.6])), [-110, 120, -100, -150]
    )


def test_decayed_sums_see_only_earlier_days() -> None:
    events = pd.DataFrame({"key": ["a", "a", "a", "b"], "day": [10, 20, 20, 5], "x": [1.0, 2.0, 3.0, 7.0]})
    queries = pd.DataFrame(
        {"key": ["a", "a", "a", "b", "c"], "cutoff": [10, 20, 21, 6, 30]}, index=list("vwxyz")
    )
    plain = decayed_sums(events, ["key"], ["x"], queries, 1e9)["x"]
    np.testing.assert_allclose(plain.to_numpy(), [0.0, 1.0, 6.0, 7.0, 0.0], rtol=1e-8)
    halved = decayed_sums(events, ["key"], ["x"], queries, 10.0)["x"]
    assert np.isclose(halved["w"], 0.5) and np.isclose(halved["x"], 1 * 2**-1.1 + 5 * 2**-0.1)
