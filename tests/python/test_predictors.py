"""Markets, decisions and the ensemble: exact values on hand-made cases plus seeded property tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, seed
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from python_models.config import load_settings
from python_models.predictors.decision import coverage_penalty, decide
from python_models.predictors.ensemble import agreement_factor, blend
from python_models.predictors.markets import (
    implied_probability,
    line_problems,
    no_vig_probabilities,
    poisson_side_probabilities,
)

SETTINGS = load_settings()


def _frame(mean, line, over=-110, under=-110, coverage=100.0, flags=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "predicted_strikeouts": [mean],
            "strikeouts_line": [line],
            "over_odds": [over],
            "under_odds": [under],
            "feature_coverage_pct": [coverage],
            "red_flags": [flags or []],
        }
    )


def test_implied_and_no_vig() -> None:
    assert implied_probability(np.array([-110]))[0] == pytest.approx(110 / 210)
    assert implied_probability(np.array([150]))[0] == pytest.approx(0.4)
    over, under = no_vig_probabilities(np.array([-110.0]), np.array([-110.0]))
    assert over[0] == pytest.approx(0.5) and under[0] == pytest.approx(0.5)


def test_poisson_half_and_whole_lines() -> None:
    over, under, push = poisson_side_probabilities(np.array([6.0, 6.0]), np.array([5.5, 6.0]))
    p6 = math.exp(-6) * 6**6 / math.factorial(6)
    assert push[0] == 0 and push[1] == pytest.approx(p6)
    assert over[0] == pytest.approx(1 - sum(math.exp(-6) * 6**k / math.factorial(k) for k in range(6)))
    assert over + under + push == pytest.approx(np.ones(2))


def test_break_even_for_over_needs_about_a_third_of_a_strikeout() -> None:
    # At -110 both sides, a 5.5 line: the mean where P(over) = 0.5238 is ~ +0.35 K above the line's 5.5,
    # which is why a symmetric ±0.5 edge rule is biased toward OVER.
    means = np.linspace(5.0, 7.0, 2001)
    over, _, _ = poisson_side_probabilities(means, np.full_like(means, 5.5))
    break_even = means[np.argmax(over >= 110 / 210)]
    assert 5.75 < break_even < 5.95


def test_clear_over_and_clear_under_and_pass() -> None:
    assert decide(_frame(8.0, 5.5), SETTINGS)["recommendation"].iloc[0] == "OVER"
    assert decide(_frame(3.5, 5.5), SETTINGS)["recommendation"].iloc[0] == "UNDER"
    assert decide(_frame(5.6, 5.5), SETTINGS)["recommendation"].iloc[0] == "PASS"


def test_pass_without_line_with_injury_and_with_thin_features() -> None:
    no_line = decide(_frame(8.0, np.nan, np.nan, np.nan, flags=["no_line"]), SETTINGS).iloc[0]
    assert no_line["recommendation"] == "PASS" and np.isnan(no_line["p_over"])
    assert decide(_frame(8.0, 5.5, flags=["on_injured_list"]), SETTINGS)["recommendation"].iloc[0] == "PASS"
    assert decide(_frame(8.0, 5.5, coverage=40.0), SETTINGS)["recommendation"].iloc[0] == "PASS"


def test_coverage_penalty_bands() -> None:
    got = coverage_penalty(np.array([100, 90, 89.9, 80, 75, 65, 59.9, np.nan]))
    assert got.tolist() == [0, 0, 5, 5, 10, 15, 25, 25]


def test_ensemble_normalises_weights_over_present_components() -> None:
    comps = pd.DataFrame({"v1_baseline": [4.0, 4.0, np.nan], "v1_6_rolling": [6.0, np.nan, 6.0]})
    out = blend(comps, SETTINGS)
    assert out["predicted_strikeouts"].tolist() == pytest.approx([(0.3 * 4 + 0.5 * 6) / 0.8, 4.0, 6.0])
    assert out["n_components"].tolist() == [2, 1, 1]
    assert out["components_used"].iloc[1] == ["v1_baseline"]


def test_agreement_bonus_and_penalty() -> None:
    assert agreement_factor(np.array([0.5, 1.5, 2.5, np.nan]), SETTINGS).tolist() == pytest.approx(
        [1.10, 1.0, 0.85, 1.0]
    )


def test_line_problems() -> None:
    assert line_problems(None, -110, -110) == ["no_line"]
    assert line_problems(45.5, -110, -110) == ["absurd_line:45.5"]
    assert line_problems(5.5, -5, 100000)[0].startswith("absurd_over_odds")
    assert line_problems(5.5, -110, +100) == []


means = st.floats(min_value=0.0, max_value=20.0, allow_nan=False)
lines = st.sampled_from([x / 2 for x in range(1, 32)])
odds = st.one_of(st.integers(-400, -100), st.integers(100, 400))


@seed(20260107)
@hsettings(max_examples=300, deadline=None)
@given(mean=means, line=lines, over=odds, under=odds, coverage=st.floats(0, 100), strong=st.booleans())
def test_property_probabilities_valid_and_pass_unless_thresholds_met(
    mean, line, over, under, coverage, strong
) -> None:
    factor = np.array([1.1 if strong else 0.85])
    row = decide(_frame(mean, line, over, under, coverage), SETTINGS, agreement_factor=factor).iloc[0]
    probs = np.array([row.p_over, row.p_under, row.p_push])
    assert np.all((probs >= 0) & (probs <= 1)) and probs.sum() == pytest.approx(1.0)
    assert 0 <= row.confidence <= 100
    if row.recommendation != "PASS":
        assert abs(row.edge) >= SETTINGS.min_edge
        assert row.confidence >= SETTINGS.min_confidence
        assert coverage >= SETTINGS.min_coverage_pct
        assert (row.recommendation == "OVER") == (row.edge > 0)
        side_p = row.p_over if row.recommendation == "OVER" else row.p_under
        fair_o, fair_u = no_vig_probabilities(np.array([over]), np.array([under]))
        fair = fair_o[0] if row.recommendation == "OVER" else fair_u[0]
        assert side_p / (1 - row.p_push) - fair >= SETTINGS.min_prob_margin - 1e-12


@seed(20260107)
@hsettings(max_examples=300, deadline=None)
@given(a=st.one_of(st.none(), means), b=st.one_of(st.none(), means))
def test_property_ensemble_lies_between_its_components(a, b) -> None:
    comps = pd.DataFrame(
        {"v1_baseline": [np.nan if a is None else a], "v1_6_rolling": [np.nan if b is None else b]}
    )
    got = blend(comps, SETTINGS)["predicted_strikeouts"].iloc[0]
    present = [v for v in (a, b) if v is not None]
    if not present:
        assert np.isnan(got)
    else:
        assert min(present) - 1e-9 <= got <= max(present) + 1e-9
