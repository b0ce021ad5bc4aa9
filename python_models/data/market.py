"""A documented market model that sets strikeout lines for real starts, because real lines are not public.

For each start the "book" estimates the pitcher's strikeouts from information known BEFORE the game only:
a shrunk blend of the pitcher's season-to-date strikeouts per start (weight grows with starts: n/(n+5)), his
previous season's rate, and the league mean of earlier games; plus noise (SD 0.45 K) for the book's own error.
The line is the half point below the estimate (floor + 0.5), odds come from Poisson(estimate) with a 4.5%
vig, captured at 20:00 UTC the day before the game. The actual result never enters a line.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from python_models.data.demo import american_from_prob, poisson_over_under

LEAGUE_PRIOR = 4.8
VIG = 1.045
BOOK = "synthetic_market"


def market_lines(game_logs: pd.DataFrame, seasons: list[int], seed: int = 2022) -> pd.DataFrame:
    """Lines (loader format) for every start of ``seasons`` from pre-game information only."""
    rng = np.random.default_rng(seed)
    logs = game_logs.copy()
    logs["game_date"] = pd.to_datetime(logs["game_date"])
    logs = logs.sort_values(["game_date", "game_id", "pitcher_id"]).reset_index(drop=True)
    grp = logs.groupby(["pitcher_id", "season"])["strikeouts"]
    logs["prior_k"] = grp.transform(lambda s: s.shift(1).expanding().sum()).fillna(0.0)
    logs["prior_n"] = grp.cumcount()
    season_mean = (
        logs.groupby(["pitcher_id", "season"])["strikeouts"].mean().rename("season_mean").reset_index()
    )
    season_mean["season"] += 1  # last season's mean is known this season
    logs = logs.merge(season_mean, on=["pitcher_id", "season"], how="left")
    daily = logs.groupby("game_date")["strikeouts"].agg(["sum", "count"]).cumsum().shift(1)
    logs["league_mean"] = logs["game_date"].map(daily["sum"] / daily["count"]).fillna(LEAGUE_PRIOR)

    rows = []
    for r in logs[logs["season"].isin(seasons)].itertuples():
        base = r.season_mean if not np.isnan(r.season_mean) else r.league_mean
        w = r.prior_n / (r.prior_n + 5)
        current = r.prior_k / r.prior_n if r.prior_n else base
        estimate = max(w * current + (1 - w) * base + rng.normal(0, 0.45), 1.0)
        line = min(max(np.floor(estimate) + 0.5, 0.5), 15.5)
        p_over, p_under = poisson_over_under(estimate, line)
        total = p_over + p_under
        captured = datetime.combine(r.game_date.date(), datetime.min.time()) - timedelta(hours=4)
        rows.append(
            {
                "game_id": r.game_id,
                "game_date": r.game_date.date(),
                "pitcher_id": r.pitcher_id,
                "pitcher_name": r.pitcher_name,
                "bookmaker": BOOK,
                "strikeouts_line": float(line),
                "over_odds": american_from_prob(p_over / total * VIG),
                "under_odds": american_from_prob(p_under / total * VIG),
                "captured_at": captured,
            }
        )
    return pd.DataFrame(rows)
