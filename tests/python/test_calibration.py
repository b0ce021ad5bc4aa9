"""Calibrated probabilities and the learned ensemble, on seeded synthetic seasons where the truth is known.

- the beta calibration, fitted on one season of an over-confident system's P(over) (or an under-confident
  one leaning over), shrinks the worst decile gap of the NEXT season (out of sample) and lowers its Brier;
  with too little history it is the identity;
- recalibrating keeps P(push) and the three probabilities summing to 1;
- the stacking weights go to the component whose distribution the data came from, stay non-negative and
  sum to 1, are equal without history, and the pool renormalises over the components that predicted;
- the picks system is the lowest count log loss of the last season, and the drift check flags a soft book.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import poisson

from python_models.monitoring.verdicts import SOFT_BOOK, book_drift, choose_picks_system
from python_models.predictors.calibration import Calibrator, calibrate_sides, fit_calibrator
from python_models.predictors.distribution import mean_of, poisson_pmf, side_probabilities
from python_models.predictors.stacked import fit_weights, likelihood_matrix, pool


def _season(seed: int, n: int = 6000, scale: float = 2.0, lean: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """A miscalibrated system: its P(over | no push) is the truth's logit times ``scale`` (2: over-confident,
    pushed away from 1/2) plus ``lean`` (> 0: it leans over)."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(3.0, 8.0, n)
    line = np.floor(truth) + 0.5
    p_true = poisson.sf(np.floor(line), truth)
    logit = np.log(p_true / (1 - p_true))
    p_system = 1 / (1 + np.exp(-(scale * logit + lean)))
    went_over = (rng.poisson(truth) > line).astype(float)
    return p_system, went_over


def _worst_decile_gap(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p)
    return max(abs(y[idx].mean() - p[idx].mean()) for idx in np.array_split(order, 10))


@pytest.mark.parametrize(("scale", "lean"), [(2.0, 0.0), (0.5, 0.4)])
def test_the_curve_learned_on_one_season_calibrates_the_next(scale: float, lean: float) -> None:
    p_past, y_past = _season(1, n=20000, scale=scale, lean=lean)
    p_next, y_next = _season(2, n=20000, scale=scale, lean=lean)
    curve = fit_calibrator(p_past, y_past)
    assert not curve.is_identity and curve.rows == len(y_past)
    before, after = _worst_decile_gap(p_next, y_next), _worst_decile_gap(curve.apply(p_next), y_next)
    assert before > 0.05, "the synthetic system is miscalibrated to begin with"
    assert after < 0.03 and after < before / 2
    brier_before = np.mean((p_next - y_next) ** 2)
    brier_after = np.mean((curve.apply(p_next) - y_next) ** 2)
    assert brier_after < brier_before
    assert np.all(np.diff(curve.apply(np.linspace(0, 1, 101))) >= 0), "the curve never reverses"


def test_too_little_history_keeps_the_raw_probability() -> None:
    p, y = _season(3, n=200)
    curve = fit_calibrator(p, y)
    assert curve.is_identity and curve.rows == 200
    assert np.array_equal(curve.apply(p), p)
    assert Calibrator.from_dict(curve.to_dict()) == curve
    assert Calibrator.from_dict({}) == Calibrator()


def test_recalibrating_keeps_the_push_and_the_sum() -> None:
    pmf = poisson_pmf(np.array([4.2, 6.8, 5.0]))
    over, under, push = side_probabilities(pmf, np.array([4.0, 6.5, np.nan]))
    curve = Calibrator(c=-0.5, rows=1000)  # pulls every P(over) down
    c_over, c_under, c_push = calibrate_sides(over, under, push, curve)
    assert np.array_equal(c_push, push, equal_nan=True)
    assert np.allclose((c_over + c_under + c_push)[:2], 1.0)
    assert np.all(c_over[:2] < over[:2])
    assert np.isnan(c_over[2]) and np.isnan(c_under[2]), "no line, no probability"


def test_the_weights_go_to_the_component_the_data_came_from() -> None:
    rng = np.random.default_rng(4)
    truth = rng.uniform(3.0, 8.0, 3000)
    actual = rng.poisson(truth)
    pmfs = {
        "right": poisson_pmf(truth),
        "shrunk": poisson_pmf(0.5 * truth + 2.75),  # too close to the league mean
        "noisy": poisson_pmf(truth * np.exp(rng.normal(0, 0.4, len(truth)))),
    }
    weights, rows = fit_weights(likelihood_matrix(pmfs, actual), list(pmfs))
    assert rows == 3000
    assert all(w >= 0 for w in weights.values()) and sum(weights.values()) == pytest.approx(1.0)
    assert weights["right"] > 0.8
    pooled = pool(pmfs, weights)
    assert np.allclose(pooled.sum(axis=1), 1.0)
    assert np.allclose(mean_of(pooled), sum(w * mean_of(pmfs[c]) for c, w in weights.items()))


def test_weighted_rows_decide_the_weights_as_far_as_their_weight_goes() -> None:
    """Early starts came from one component, late starts from the other: equal row weights split the pool,
    weights on the late rows give it to the late component, and equal sample weights change nothing."""
    rng = np.random.default_rng(5)
    a, b = rng.uniform(3.0, 8.0, 4000), rng.uniform(3.0, 8.0, 4000)
    actual = np.concatenate([rng.poisson(a[:2000]), rng.poisson(b[2000:])])
    likelihoods = likelihood_matrix({"a": poisson_pmf(a), "b": poisson_pmf(b)}, actual)
    equal, _ = fit_weights(likelihoods, ["a", "b"])
    late = np.where(np.arange(4000) >= 2000, 1.0, 0.05)
    recent, rows = fit_weights(likelihoods, ["a", "b"], sample_weight=late)
    assert rows == 4000 and 0.3 < equal["b"] < 0.7 and recent["b"] > equal["b"] + 0.2
    same, _ = fit_weights(likelihoods, ["a", "b"], sample_weight=np.full(4000, 3.0))
    assert same == pytest.approx(equal, abs=1e-6)


def test_without_history_the_weights_are_equal_and_a_missing_component_is_renormalised() -> None:
    weights, rows = fit_weights(np.empty((0, 3)), ["a", "b", "c"])
    assert rows == 0 and weights == {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}
    a, b = poisson_pmf(np.array([4.0])), poisson_pmf(np.array([7.0]))
    only_a = pool({"a": a}, {"a": 0.25, "b": 0.75})
    assert np.allclose(only_a, a), "b did not predict: a alone, its weight renormalised to 1"
    assert np.allclose(pool({"a": a, "b": b}, {"a": 0.25, "b": 0.75}), 0.25 * a + 0.75 * b)


def _row(season: str, model: str, log_loss: float, mae: float = 1.75) -> dict:
    return {"season": season, "model": model, "count_log_loss": log_loss, "n": 4800, "mae": mae}


def test_the_picks_system_is_the_lowest_count_log_loss_of_the_last_season() -> None:
    rows = [
        _row("2021", "a", 2.170),
        _row("2021", "b", 2.180),
        _row("2022", "a", 2.190),
        _row("2022", "b", 2.185),
    ]
    chosen, ranking = choose_picks_system(rows, ["2021", "2022"])
    assert chosen["system_id"] == "b" and chosen["season"] == "2022"
    assert "2.1850" in chosen["reason"] and "a 2.1900" in chosen["reason"]
    assert ranking["per_season"] == {"2021": ["a", "b"], "2022": ["b", "a"]}
    assert ranking["holds"] is False


def test_a_book_softer_than_the_best_system_is_flagged() -> None:
    market = [
        {"season": "2022", "system_id": "a", "system_mae": 1.750, "book_line_mae": 1.775},
        {"season": "2022", "system_id": "b", "system_mae": 1.760, "book_line_mae": 1.775},
        {"season": "2021", "system_id": "a", "system_mae": 1.760, "book_line_mae": 1.770},
    ]
    drift = {d["season"]: d for d in book_drift(market, ["2021", "2022"])}
    assert drift["2022"]["is_soft"] and drift["2022"]["label"] == SOFT_BOOK
    assert drift["2022"]["best_system"] == "a" and drift["2022"]["book_softer_by"] == pytest.approx(0.025)
    assert not drift["2021"]["is_soft"] and drift["2021"]["label"] == ""
