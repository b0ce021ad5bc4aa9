"""Fit the sharp real-data book's hyper-parameters (``python_models.demo.market_params.MarketParams``), walk-forward.

``--through SEASON`` fits on 2014..SEASON only: the book of every later season is priced with the newest fit
on seasons BEFORE it (``python_models.demo.market_params.params_for``), like every model. 2014 is warm-up history,
2015..SEASON are scored, and the book is priced from its close-capture information (games before the game
date, the announced lineup). Three stages, each maximising a likelihood on the scored starts:

1. batters faced: the expected batters faced (half-life, prior starts, newcomer factor) and the batters-faced
   distribution around it (SD, early-exit probability and range) by the log-likelihood of the actual
   batters faced;
2. strikeout rate: the rate estimate, opponent, lineup and DH terms by the binomial log-likelihood of the
   actual strikeouts GIVEN the actual batters faced (a fitting device only: the book never sees them);
3. dispersion: the game-to-game SD of the log rate and the weight of the estimate's own uncertainty by the
   log-likelihood of the actual strikeouts under the book's full count distribution.

It prints the fitted values and the book's line MAE per fitted season, and records the fit in
``python_models/demo/market_params.json`` (keyed by the last season it saw; a rerun replaces that entry).
Every fit starts from ``MarketParams()`` (the defaults: the 2014-2021 fit) and moves on the seasons it is
given. Run: ``.venv/bin/python benchmarks/tune_market.py --through 2020 [--stages 123]`` (needs
../shared/data/retrosheet_starters; ~10 minutes).

     The information used here was obtained free of
     charge from and is copyrighted by Retrosheet.  Interested
     parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import binom

from python_models.demo import market, market_params
from python_models.demo.pricing import price

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "retrosheet_starters"
FIRST_FIT_SEASON = 2015  # 2014 is warm-up history

_memo: dict[tuple, pd.DataFrame] = {}
_decayed_sums = market.decayed_sums


def _memo_decayed_sums(events, keys, values, queries, half_life_days):  # type: ignore[no-untyped-def]
    """The decayed sums depend only on the events, keys and half-life here (the queries are fixed)."""
    key = (tuple(keys), tuple(values), round(float(half_life_days), 6), len(events), tuple(events.columns))
    if key not in _memo:
        _memo[key] = _decayed_sums(events, keys, values, queries, half_life_days)
    return _memo[key]


# the parameters each stage fits, with their bounds
BATTERS_FACED = {
    "bf_half_life_days": (5, 400),
    "bf_prior_starts": (0.1, 20),
    "newcomer_bf_factor": (0.6, 1.2),
    "bf_sd": (1.5, 6.0),
    "bf_sd_slope": (-0.5, 0.5),
    "bf_shift": (-3, 3),
    "early_prob": (0, 0.4),
    "early_drop": (1, 15),
    "early_sd": (1, 8),
    "short_exit_prob": (0, 0.1),
    "recent_bf_weight": (-0.5, 1.5),
    "opponent_on_base_bf_effect": (-20, 20),
    "home_bf_effect": (-4, 4),
    "late_season_bf_effect": (-4, 4),
    "first_start_bf_effect": (-6, 4),
    "short_rest_bf_effect": (-8, 4),
    "long_rest_bf_effect": (-8, 4),
}
RATE = {
    "rate_half_life_days": (60, 2000),
    "rate_prior_bf": (10, 1500),
    "newcomer_rate_factor": (0.6, 1.2),
    "league_half_life_days": (5, 1000),
    "opponent_half_life_days": (30, 2000),
    "opponent_prior_pa": (50, 20000),
    "opponent_weight": (0, 2),
    "platoon_effect": (-0.1, 0.1),
    "no_dh_effect": (-0.2, 0.3),
    "park_prior_pa": (1000, 200000),
    "park_weight": (0, 2),
    "umpire_prior_pa": (500, 100000),
    "umpire_weight": (0, 2),
    "home_rate_effect": (-0.2, 0.2),
    "day_rate_effect": (-0.2, 0.2),
    "late_season_rate_effect": (-0.2, 0.2),
}
DISPERSION = {
    "rate_sd_game": (0.0, 0.4),
    "rate_uncertainty": (0.0, 4.0),
    "typical_rate_offset": (-0.2, 0.2),
    "hook_rate_offset": (-0.5, 0.2),
}


def fit(
    params: market_params.MarketParams,
    space: dict[str, tuple[float, float]],
    loss,  # type: ignore[no-untyped-def]
    maxiter: int,
) -> market_params.MarketParams:
    """Nelder-Mead over the parameters of ``space`` (each squashed into its bounds), the others held."""
    names = list(space)
    lo, hi = np.array([space[n] for n in names], dtype=float).T

    def unpack(z: np.ndarray) -> market_params.MarketParams:
        x = lo + (hi - lo) / (1 + np.exp(-z))
        return dataclasses.replace(params, **dict(zip(names, map(float, x), strict=True)))

    start = np.array([getattr(params, n) for n in names], dtype=float)
    frac = np.clip((start - lo) / (hi - lo), 0.02, 0.98)
    z0 = np.log(frac / (1 - frac))
    best = minimize(
        lambda z: loss(unpack(z)), z0, method="Nelder-Mead", options={"maxiter": maxiter, "adaptive": True}
    )
    fitted = unpack(best.x)
    print(f"  loss {best.fun:.5f}: " + ", ".join(f"{n}={getattr(fitted, n):.4g}" for n in names), flush=True)
    return fitted


def main(through: int, stages: str = "123") -> None:
    started = time.perf_counter()
    starts = pd.read_csv(DATA / "starters_2014_2022.csv.gz")
    starts = starts[starts["season"] <= through]  # nothing of a later season
    team_games = pd.read_csv(DATA / "team_games_2014_2022.csv.gz")
    team_games = team_games[team_games["season"] <= through]
    logs = market._prepare(starts)
    rows = logs.index[logs["season"].between(FIRST_FIT_SEASON, through)]
    cutoff = logs.loc[rows, "day"].to_numpy()
    k = logs.loc[rows, "strikeouts"].to_numpy()
    bf = logs.loc[rows, "batters_faced"].to_numpy()
    market.decayed_sums = _memo_decayed_sums

    def belief(p: market_params.MarketParams) -> pd.DataFrame:
        return market.beliefs(logs, team_games, rows, cutoff, True, p)

    def bf_loss(p: market_params.MarketParams) -> float:
        pmf = market.batters_pmf(belief(p)["bf_mean"].to_numpy(), p)
        return float(-np.mean(np.log(pmf[np.arange(len(bf)), bf] + 1e-12)))

    def rate_loss(p: market_params.MarketParams) -> float:
        b = belief(p)
        rate = np.clip(np.exp(b["log_rate_mean"] + b["log_rate_sd"] ** 2 / 2), 0.01, 0.6)
        return float(-np.mean(binom.logpmf(k, bf, rate)))

    def count_loss(p: market_params.MarketParams) -> float:
        pmf = market.count_pmf(belief(p), p)
        return float(-np.mean(np.log(pmf[np.arange(len(k)), k] + 1e-12)))

    p = market_params.MarketParams()
    if "1" in stages:
        print("stage 1: batters faced", flush=True)
        p = fit(p, BATTERS_FACED, bf_loss, maxiter=1200)
        best_max = min(range(6, 19), key=lambda m: bf_loss(dataclasses.replace(p, short_exit_max_bf=m)))
        p = dataclasses.replace(p, short_exit_max_bf=best_max)
        print(f"  short_exit_max_bf={best_max}", flush=True)
    if "2" in stages:
        print("stage 2: strikeout rate", flush=True)
        p = fit(p, RATE, rate_loss, maxiter=1500)
    if "3" in stages:
        print("stage 3: dispersion", flush=True)
        p = fit(p, DISPERSION, count_loss, maxiter=100)

    pmf = market.count_pmf(belief(p), p)
    quote = price(pmf, p.hold)
    mae = pd.Series(np.abs(quote.line - k)).groupby(logs.loc[rows, "season"].to_numpy()).mean()
    print("line MAE by season (close):", mae.round(4).to_dict())
    fitted = {f.name: getattr(p, f.name) for f in dataclasses.fields(p)}
    print("fitted:", fitted)
    market_params.record_fit(
        through, [FIRST_FIT_SEASON, through], fitted, stages, round(float(mae.mean()), 4)
    )
    print(
        f"recorded in {market_params.PARAMS_FILE} as the fit through {through}; {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--through", type=int, required=True, help="the last season the fit may see")
    parser.add_argument("--stages", default="123", help="stages to run (1 batters, 2 rate, 3 dispersion)")
    args = parser.parse_args()
    main(args.through, args.stages)
