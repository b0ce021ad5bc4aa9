"""Market-aware picks, proven both ways on seeded synthetic seasons: against a sharp book (it knows each
start's true strikeout rate) a system without an edge earns no weight, picks are rare and they lose about
the vig; against a soft book (its estimate is noisy) the same system earns weight and its picks win."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson

from python_models.config import load_settings
from python_models.predictors.decision import decide
from python_models.predictors.market_blend import MarketBlend, fit_market_blend
from python_models.predictors.odds import payout_per_unit

HOLD = 1.045


def _american(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.05, 0.95)
    return np.where(p >= 0.5, -100 * p / (1 - p), 100 * (1 - p) / p).round()


def season(seed: int, book_noise: float, n: int = 8000) -> pd.DataFrame:
    """Starts with a true mean, an outcome, a system forecast (noisy, informative) and a book's line."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(3.0, 8.0, n)
    actual = rng.poisson(truth)
    system = truth * np.exp(rng.normal(0, 0.12, n))
    book = truth * np.exp(rng.normal(0, book_noise, n))
    line = np.floor(poisson.median(book) - 0.5) + 0.5  # the half point nearest the book's median
    p_over = poisson.sf(np.floor(line), book)
    return pd.DataFrame(
        {
            "truth": truth,
            "actual_strikeouts": actual,
            "predicted_strikeouts": system,
            "strikeouts_line": line,
            "over_odds": _american(p_over * HOLD),
            "under_odds": _american((1 - p_over) * HOLD),
            "feature_coverage_pct": 100.0,
            "red_flags": [[] for _ in range(n)],
        }
    )


def run(book_noise: float, seed: int = 7) -> dict:
    """Fit the blend on the first half (history), pick on the second half, settle at the offered odds."""
    settings = load_settings()
    frame = season(seed, book_noise)
    history, today = frame.iloc[: len(frame) // 2], frame.iloc[len(frame) // 2 :].reset_index(drop=True)
    graded = decide(history, settings)  # no blend yet: the book's price
    went_over = (history["actual_strikeouts"] > history["strikeouts_line"]).astype(float)
    blend = fit_market_blend(
        (graded["p_over"] / (graded["p_over"] + graded["p_under"])).to_numpy(),
        graded["market_p_over"].to_numpy(),
        went_over.to_numpy(),
        prior_rows=settings.market_prior_rows,
    )
    picked = decide(today, settings, blend=blend)
    picks = picked[picked["recommendation"] != "PASS"]
    over = picks["recommendation"] == "OVER"
    won = np.where(
        over,
        picks["actual_strikeouts"] > picks["strikeouts_line"],
        picks["actual_strikeouts"] < picks["strikeouts_line"],
    )
    odds = np.where(over, picks["over_odds"], picks["under_odds"])
    profit = np.where(won, payout_per_unit(odds), -1.0)
    outcome = (today["actual_strikeouts"] > today["strikeouts_line"]).astype(float)
    return {
        "blend": blend,
        "share_picked": len(picks) / len(today),
        "hit_rate": float(np.mean(won)) if len(picks) else float("nan"),
        "roi": float(np.mean(profit)) if len(picks) else float("nan"),
        "roi_se": float(np.std(profit, ddof=1) / np.sqrt(len(picks))) if len(picks) > 1 else float("nan"),
        "brier_pick": float(np.mean((picked["pick_p_over"] - outcome) ** 2)),
        "brier_book": float(np.mean((picked["market_p_over"] - outcome) ** 2)),
        "no_edge_roi": float(np.mean(np.where(outcome == 1, payout_per_unit(today["over_odds"]), -1.0))),
    }


def test_against_a_sharp_book_the_system_earns_no_weight_and_picks_are_rare() -> None:
    result = run(book_noise=0.0)
    assert abs(result["blend"].weight) < 0.3, result["blend"]
    assert result["share_picked"] < 0.03
    assert abs(result["brier_pick"] - result["brier_book"]) < 0.001  # the pick probability is the price
    # betting the book blind loses the hold: each side is priced at its fair chance x 1.045
    assert result["no_edge_roi"] == pytest.approx(1 / HOLD - 1, abs=0.02)


def test_against_a_soft_book_the_system_earns_weight_and_its_picks_win() -> None:
    result = run(book_noise=0.45)
    assert result["blend"].weight > 0.5, result["blend"]
    assert result["share_picked"] > 0.10
    assert result["hit_rate"] > 0.55
    assert result["roi"] - 1.96 * result["roi_se"] > 0, result  # ROI's 95% interval above zero
    assert result["brier_pick"] < result["brier_book"]


def test_without_history_the_pick_probability_is_the_books_price() -> None:
    empty = fit_market_blend(np.array([]), np.array([]), np.array([]))
    assert empty == MarketBlend()
    p_market = np.array([0.3, 0.5, 0.62])
    assert np.allclose(empty.combine(np.array([0.9, 0.1, 0.5]), p_market), p_market)
    # a little history barely moves it: the prior is worth 600 graded starts
    rng = np.random.default_rng(1)
    p_sys = rng.uniform(0.2, 0.8, 40)
    few = fit_market_blend(p_sys, np.full(40, 0.5), (rng.random(40) < p_sys).astype(float))
    assert (
        abs(few.weight)
        < abs(
            fit_market_blend(
                p_sys, np.full(40, 0.5), (rng.random(40) < p_sys).astype(float), prior_rows=0
            ).weight
        )
        + 1e-9
    )


def test_the_market_logistic_rescales_a_book_whose_price_is_too_flat() -> None:
    """A book that prices every start too close to 1/2 (its logit × 0.5) and a system that knows nothing:
    the fit on one half doubles the book's logit coefficient (no weight for the system) and, on the other half,
    the pick probability beats the book's own price; a book priced right keeps its slope near 0."""
    rng = np.random.default_rng(11)
    n = 16000
    truth = rng.normal(0.0, 0.8, n)  # each start's true logit P(over)
    went_over = (rng.random(n) < 1 / (1 + np.exp(-truth))).astype(float)
    p_system = rng.uniform(0.3, 0.7, n)  # noise
    half = n // 2
    for scale, expect_slope in ((0.5, 0.5), (1.0, 0.0)):
        p_book = 1 / (1 + np.exp(-scale * truth))
        blend = fit_market_blend(p_system[:half], p_book[:half], went_over[:half])
        assert abs(blend.weight) < 0.15, blend  # the system's logit coefficient: noise earns none
        # the book's logit coefficient, 1 - weight + book_slope, is 1/scale: 2 for the flat book, 1 for the right one
        assert 1 - blend.weight + blend.book_slope == pytest.approx(1 / scale, abs=0.25), blend
        pick = blend.combine(p_system[half:], p_book[half:])
        y = went_over[half:]
        brier_pick, brier_book = np.mean((pick - y) ** 2), np.mean((p_book[half:] - y) ** 2)
        assert brier_pick < brier_book - 0.002 if expect_slope else abs(brier_pick - brier_book) < 0.001
    assert MarketBlend.from_dict(blend.to_dict()) == blend
    assert MarketBlend.from_dict({"weight": 0.2, "intercept": 0.1, "rows": 9}) == MarketBlend(0.2, 0.1, 9)
