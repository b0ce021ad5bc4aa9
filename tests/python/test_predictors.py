"""Markets, decisions and the ensemble: exact values on hand-made cases plus seeded property tests."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, seed
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from python_models.config import load_settings
from python_models.dbt.project import ensemble
from python_models.predictors.decision import coverage_penalty, decide
from python_models.predictors.distribution import poisson_pmf, side_probabilities
from python_models.predictors.ensemble import agreement_factor, blend
from python_models.predictors.market_blend import MarketBlend
from python_models.predictors.markets import line_problems
from python_models.predictors.odds import implied_probability, no_vig_probabilities

SETTINGS = load_settings()
WEIGHTS = ensemble().params["weights"]  # the seed ensemble's weights in vars.systems


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
    over, under, push = side_probabilities(poisson_pmf(np.array([6.0, 6.0])), np.array([5.5, 6.0]))
    p6 = math.exp(-6) * 6**6 / math.factorial(6)
    assert push[0] == 0 and push[1] == pytest.approx(p6)
    assert over[0] == pytest.approx(1 - sum(math.exp(-6) * 6**k / math.factorial(k) for k in range(6)))
    assert over + under + push == pytest.approx(np.ones(2))


def test_break_even_for_over_needs_about_a_third_of_a_strikeout() -> None:
    # At -110 both sides, a 5.5 line: the mean where P(over) = 0.5238 is ~ +0.35 K above the line's 5.5,
    # which is why a symmetric ±0.5 edge rule is biased toward OVER.
    means = np.linspace(5.0, 7.0, 2001)
    over, _, _ = side_probabilities(poisson_pmf(means), np.full_like(means, 5.5))
    break_even = means[np.argmax(over >= 110 / 210)]
    assert 5.75 < break_even < 5.95


TRUSTED = MarketBlend(weight=1.0, rows=5000)  # history earned the system full weight: its own probability


def test_clear_over_and_clear_under_and_pass() -> None:
    assert decide(_frame(8.0, 5.5), SETTINGS, blend=TRUSTED)["recommendation"].iloc[0] == "OVER"
    assert decide(_frame(3.5, 5.5), SETTINGS, blend=TRUSTED)["recommendation"].iloc[0] == "UNDER"
    assert decide(_frame(5.6, 5.5), SETTINGS, blend=TRUSTED)["recommendation"].iloc[0] == "PASS"


def test_without_earned_weight_the_books_price_decides_and_nothing_is_picked() -> None:
    row = decide(_frame(8.0, 5.5, -120, 100), SETTINGS).iloc[0]
    assert row["recommendation"] == "PASS"
    assert row["pick_p_over"] == pytest.approx(row["market_p_over"])
    assert row["p_over"] > 0.8  # the system's own probability is kept beside it


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
    out = blend(comps, SETTINGS, WEIGHTS)
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


def test_a_price_pair_no_book_would_post_is_no_usable_line() -> None:
    # both sides at +900: a 90% overround the wrong way (it became an OVER pick with EV +4.4)
    assert line_problems(5.5, 900, 900) == ["absurd_margin:-0.800"]
    assert line_problems(5.5, -500, -300) == ["absurd_margin:+0.583"]  # two different lines' prices
    assert line_problems(5.5, 100, 100) == [] and line_problems(5.5, -300, 230) == []  # no vig; heavy juice


means = st.floats(min_value=0.0, max_value=20.0, allow_nan=False)
lines = st.sampled_from([x / 2 for x in range(1, 32)])
odds = st.one_of(st.integers(-400, -100), st.integers(100, 400))


@seed(20260107)
@hsettings(max_examples=300, deadline=None)
@given(
    mean=means,
    line=lines,
    over=odds,
    under=odds,
    coverage=st.floats(0, 100),
    strong=st.booleans(),
    weight=st.floats(0, 1.5),
)
def test_property_probabilities_valid_and_pass_unless_thresholds_met(
    mean, line, over, under, coverage, strong, weight
) -> None:
    factor = np.array([1.1 if strong else 0.85])
    frame = _frame(mean, line, over, under, coverage)
    row = decide(frame, SETTINGS, agreement_factor=factor, blend=MarketBlend(weight=weight)).iloc[0]
    probs = np.array([row.p_over, row.p_under, row.p_push])
    assert np.all((probs >= 0) & (probs <= 1)) and probs.sum() == pytest.approx(1.0)
    assert 0 <= row.confidence <= 100
    if row.recommendation != "PASS":
        assert abs(row.edge) >= SETTINGS.min_edge
        assert row.confidence >= SETTINGS.min_confidence
        assert coverage >= SETTINGS.min_coverage_pct
        assert (row.recommendation == "OVER") == (row.edge > 0)
        side_p = row.pick_p_over if row.recommendation == "OVER" else 1 - row.pick_p_over
        fair_o, fair_u = no_vig_probabilities(np.array([over]), np.array([under]))
        fair = fair_o[0] if row.recommendation == "OVER" else fair_u[0]
        assert side_p - fair >= SETTINGS.min_prob_margin - 1e-12


@seed(20260107)
@hsettings(max_examples=300, deadline=None)
@given(a=st.one_of(st.none(), means), b=st.one_of(st.none(), means))
def test_property_ensemble_lies_between_its_components(a, b) -> None:
    comps = pd.DataFrame(
        {"v1_baseline": [np.nan if a is None else a], "v1_6_rolling": [np.nan if b is None else b]}
    )
    got = blend(comps, SETTINGS, WEIGHTS)["predicted_strikeouts"].iloc[0]
    present = [v for v in (a, b) if v is not None]
    if not present:
        assert np.isnan(got)
    else:
        assert min(present) - 1e-9 <= got <= max(present) + 1e-9


def _captures(rows: list[tuple[str, str, float, int, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["pitcher_id", "bookmaker", "strikeouts_line", "over_odds", "under_odds", "captured_at"]
    ).assign(captured_at=lambda f: pd.to_datetime(f["captured_at"]))


def test_one_line_per_pitcher_by_the_consensus_rule_with_a_flag_when_books_disagree() -> None:
    import json

    from python_models.predictors.markets import consensus_lines

    captures = _captures(
        [
            ("a", "draftkings", 8.5, -110, -110, "2026-05-01 15:00"),  # two books, same time, 6 K apart
            ("a", "fanduel", 2.5, -115, -105, "2026-05-01 15:00"),
            ("b", "draftkings", 6.5, -120, 100, "2026-05-01 14:00"),  # three books: the median is 6.5
            ("b", "fanduel", 6.5, -110, -110, "2026-05-01 15:00"),
            ("b", "betmgm", 7.5, 105, -125, "2026-05-01 15:30"),
            ("c", "draftkings", 5.5, -110, -110, "2026-05-01 15:00"),  # one book, and one absurd capture
            ("c", "fanduel", 44.5, -110, -110, "2026-05-01 15:00"),
        ]
    )
    chosen = consensus_lines(captures).set_index("pitcher_id")
    # a: two books 6 K apart: either may be the outlier, so neither line is used (scored without a line)
    assert pd.isna(chosen.loc["a", "bookmaker"]) and np.isnan(chosen.loc["a", "strikeouts_line"])
    assert chosen.loc["a", "books_disagree"] and chosen.loc["a", "line_spread"] == 6.0
    assert all(s["outlier"] for s in json.loads(chosen.loc["a", "books_seen"]))
    # b: two books sit on the median; the later capture prices it; the 1 K spread to betmgm is a disagreement
    assert (chosen.loc["b", "bookmaker"], chosen.loc["b", "over_odds"]) == ("fanduel", -110)
    assert chosen.loc["b", "books_disagree"]
    assert {s["book"] for s in json.loads(chosen.loc["b", "books_seen"])} == {
        "draftkings",
        "fanduel",
        "betmgm",
    }
    # c: the absurd capture is no candidate and no disagreement
    assert chosen.loc["c", "strikeouts_line"] == 5.5 and not chosen.loc["c", "books_disagree"]
    # preferred books, in order, win when they have a line
    preferred = consensus_lines(captures, ("betmgm", "fanduel")).set_index("pitcher_id")
    assert preferred.loc["b", "bookmaker"] == "betmgm" and preferred.loc["c", "bookmaker"] == "draftkings"


def test_a_lone_outlier_book_never_sets_the_consensus_line_even_as_the_latest_capture() -> None:
    import json

    from python_models.predictors.markets import consensus_lines

    captures = _captures(
        [
            # a: two books; the later capture is 6 K off: which one is wrong cannot be told, so no line
            ("a", "draftkings", 5.5, -110, -110, "2026-05-01 14:00"),
            ("a", "betmgm", 11.5, -110, -110, "2026-05-01 15:00"),
            # b: an outlier book pulls the median of four books between 5.5 and 6.5: left out, the
            # median of the other three is 5.5
            ("b", "draftkings", 5.5, -110, -110, "2026-05-01 14:00"),
            ("b", "fanduel", 5.5, -105, -115, "2026-05-01 14:00"),
            ("b", "caesars", 6.5, -110, -110, "2026-05-01 15:30"),
            ("b", "betmgm", 12.5, -110, -110, "2026-05-01 15:30"),
            # c: the median (5.75) is as near 5.5 as 6.0: the line two books hold wins over a later capture
            ("c", "draftkings", 5.5, -110, -110, "2026-05-01 14:00"),
            ("c", "fanduel", 5.5, -120, 100, "2026-05-01 14:30"),
            ("c", "caesars", 6.0, -110, -110, "2026-05-01 15:30"),
            ("c", "betmgm", 6.5, -110, -110, "2026-05-01 15:00"),
        ]
    )
    chosen = consensus_lines(captures).set_index("pitcher_id")
    assert np.isnan(chosen.loc["a", "strikeouts_line"]) and chosen.loc["a", "books_disagree"]
    assert (chosen.loc["b", "strikeouts_line"], chosen.loc["b", "bookmaker"]) == (5.5, "draftkings")
    outliers = [s["book"] for s in json.loads(chosen.loc["b", "books_seen"]) if s.get("outlier")]
    assert outliers == ["betmgm"]
    assert (chosen.loc["c", "strikeouts_line"], chosen.loc["c", "bookmaker"]) == (5.5, "fanduel")
    # a preferred book that is the outlier is left out too
    preferred = consensus_lines(captures, ("betmgm",)).set_index("pitcher_id")
    assert preferred.loc["b", "strikeouts_line"] == 5.5


def test_a_slate_with_disagreeing_books_is_flagged_in_the_landing_rows(env) -> None:
    """Two books 6 K apart for one pitcher: the scorer writes one line by the rule, flags it, keeps both."""
    import json

    from python_models.scoring.scorer import Scorer
    from tests.python.conftest import DAY

    settings, wh = env
    slate = Scorer(wh, settings).store.slate(DAY)
    pid = slate["pitcher_id"].iloc[0]
    lines = wh.relation("raw", "strikeout_lines")
    wh.execute(f"delete from {lines} where game_date = @d and pitcher_id = @p", {"d": DAY, "p": pid})
    for book, line in (("draftkings", 8.5), ("fanduel", 2.5)):
        wh.execute(
            f"insert into {lines} (game_date, pitcher_id, bookmaker, strikeouts_line, over_odds, under_odds, "
            "captured_at, _loaded_at) values (@d, @p, @b, @l, -110, -110, @t, @t)",
            {"d": DAY, "p": pid, "b": book, "l": line, "t": datetime(2026, 5, 15, 12, 0)},
        )
    Scorer(wh, settings).score(DAY)
    rows = wh.query("select * from scoring.predictions_landing where pitcher_id = @p", {"p": pid})
    # either book may be the outlier: neither line is used, the pitcher is scored without one
    assert len(rows) == len(settings.active_systems) and rows["strikeouts_line"].isna().all()
    assert rows["red_flags"].map(lambda f: {"books_disagree:6", "no_line"} <= set(json.loads(f))).all()
    assert rows["books_seen"].map(lambda s: len(json.loads(s)) == 2).all()


def test_the_seed_ensembles_weights_are_its_vars_entry() -> None:
    assert WEIGHTS == {"v1_baseline": 0.3, "v1_6_rolling": 0.5}


def _with_weights(weights: dict[str, float]):
    from python_models.dbt.project import dbt_vars, override_vars, systems

    seed = ensemble()
    entry = {**dbt_vars()["systems"][seed.system_id], "weights": weights}
    override_vars({"systems": {**dbt_vars()["systems"], seed.system_id: entry}})
    try:
        return systems()[seed.system_id].params["weights"]
    finally:
        override_vars({})


def test_every_ensemble_weight_zero_is_rejected_at_start_up_naming_the_vars_entry() -> None:
    seed = ensemble()
    with pytest.raises(ValueError) as err:
        _with_weights(dict.fromkeys(seed.components, 0.0))
    assert f"vars.systems.{seed.system_id}.weights" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ValueError, match="missing"):
        _with_weights({seed.components[0]: 0.5})


def test_one_zero_ensemble_weight_is_allowed() -> None:
    seed = ensemble()
    weights = {seed.components[0]: 0.0, **{c: 0.5 for c in seed.components[1:]}}
    assert _with_weights(weights) == weights
