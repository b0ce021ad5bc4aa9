"""Every prediction is a distribution: its probabilities against a line, its quantiles and its mixture for
v2 behave as the definitions say (checked against scipy's own distributions), and a v2 model survives its
artifact round trip and refuses a corrupt file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import betabinom, binom, poisson

from python_models.predictors.distribution import (
    K_MAX,
    mean_of,
    poisson_pmf,
    quantile,
    side_probabilities,
    workload_rate_pmf,
)
from python_models.predictors.workload_rate import WorkloadRateModel, fit
from python_models.training.model_store import ModelLoadError, ModelStore


def test_poisson_distribution_matches_scipy_and_folds_its_tail() -> None:
    pmf = poisson_pmf(np.array([0.5, 6.0, 19.0]))
    assert np.allclose(pmf.sum(axis=1), 1.0)
    assert pmf[1, 6] == pytest.approx(poisson.pmf(6, 6.0))
    assert pmf[2, K_MAX] == pytest.approx(poisson.sf(K_MAX - 1, 19.0))  # P(K >= 20) in the last cell
    over, under, push = side_probabilities(pmf[1:2].repeat(2, axis=0), np.array([5.5, 6.0]))
    assert over[0] == pytest.approx(poisson.sf(5, 6.0)) and push[0] == 0
    assert push[1] == pytest.approx(poisson.pmf(6, 6.0)) and under[1] == pytest.approx(poisson.cdf(5, 6.0))
    assert np.isnan(side_probabilities(pmf[:1], np.array([np.nan]))[0][0])


def test_quantiles_are_the_smallest_count_reaching_the_probability() -> None:
    pmf = np.zeros((1, K_MAX + 1))
    pmf[0, [3, 5, 9]] = [0.2, 0.6, 0.2]
    assert (quantile(pmf, 0.1)[0], quantile(pmf, 0.5)[0], quantile(pmf, 0.9)[0]) == (3.0, 5.0, 9.0)
    assert quantile(pmf, 0.2)[0] == 3.0 and mean_of(pmf)[0] == pytest.approx(0.6 + 3.0 + 1.8)


def test_without_spread_the_mixture_is_a_binomial_and_spread_widens_it() -> None:
    exact = workload_rate_pmf(np.array([24.0]), np.array([0.25]), np.zeros((1, 5)), rho=1e-6)
    assert np.allclose(exact[0, :K_MAX], binom.pmf(np.arange(K_MAX), 24, 0.25), atol=1e-6)
    wide = workload_rate_pmf(
        np.array([24.0]), np.array([0.25]), np.array([[-12.0, -6.0, 0.0, 3.0, 5.0]]), 0.03
    )
    assert np.allclose(wide.sum(axis=1), 1.0)
    assert mean_of(wide)[0] < mean_of(exact)[0]  # early hooks pull the mean down
    var = lambda p: float(p[0] @ (np.arange(K_MAX + 1) - mean_of(p)[0]) ** 2)  # noqa: E731
    assert var(wide) > var(exact)


def test_the_closed_form_beta_binomial_is_scipys() -> None:
    from python_models.predictors.distribution import _beta_binomial_pmf

    rng = np.random.default_rng(11)
    n = rng.integers(1, 46, (60, 1))
    a, b = rng.uniform(0.5, 40, (60, 1)), rng.uniform(1, 120, (60, 1))
    k = np.arange(K_MAX + 1)[None, :]  # includes k > n: probability 0
    assert np.allclose(_beta_binomial_pmf(k, n, a, b), betabinom.pmf(k, n, a, b), rtol=1e-10, atol=1e-15)


def _synthetic_starts(n: int = 3000, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    leash = rng.normal(0, 1, n)
    skill = rng.normal(0, 1, n)
    batters = np.clip(np.rint(23 + 2.5 * leash + rng.normal(0, 3, n)), 3, 32)
    batters[rng.random(n) < 0.05] = rng.integers(3, 10, int((rng.random(n) < 0.05).sum()) or 1)[0]
    rate = 1 / (1 + np.exp(-(-1.2 + 0.3 * skill)))
    strikeouts = rng.binomial(batters.astype(int), rate)
    return pd.DataFrame(
        {"leash": leash, "skill": skill, "actual_batters_faced": batters, "actual_strikeouts": strikeouts}
    )


def test_a_v2_model_learns_both_parts_and_survives_its_artifact(tmp_path) -> None:
    frame = _synthetic_starts()
    holdout = pd.Series(np.arange(len(frame)) >= int(len(frame) * 0.8))
    model, held_out = fit(frame, ["leash", "skill"], holdout)
    batters, rate = held_out.parts(frame[holdout])
    assert np.corrcoef(batters, frame.loc[holdout, "leash"])[0, 1] > 0.5
    assert np.corrcoef(rate, frame.loc[holdout, "skill"])[0, 1] > 0.5
    pmf = model.pmf(frame.head(50))
    assert np.allclose(pmf.sum(axis=1), 1.0) and np.all(pmf >= 0)
    again = WorkloadRateModel.from_bytes(model.to_bytes())
    assert np.allclose(again.pmf(frame.head(50)), pmf)
    path = tmp_path / "v2.json"
    path.write_bytes(model.to_bytes())
    assert np.allclose(ModelStore.load(path, None, WorkloadRateModel.from_bytes).pmf(frame.head(5)), pmf[:5])
    path.write_bytes(model.to_bytes()[:100])
    with pytest.raises(ModelLoadError, match="cannot be loaded"):
        ModelStore.load(path, None, WorkloadRateModel.from_bytes)
