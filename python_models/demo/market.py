"""Synthetic sportsbooks for real starts, because real strikeout lines are not public.

``market_lines`` is a SHARP book, as well informed as this project's data allows: on the real 2022 starts
its line MAE ties the best system's and its no-vig P(over) is calibrated, so a system without an edge
shows a hit rate near 50% against it and an ROI near minus the hold.

What the sharp book knows, per capture
======================================
Two captures per start, both strictly before first pitch (UTC, naive timestamps), one bookmaker
(``synthetic_market``):

* **open**, 20:00 UTC the day before the game (D-1 for a game on day D). It knows the results (strikeouts,
  batters faced, team batting lines) of every game dated D-2 or earlier (the night games of D-1 are not
  over at 20:00 UTC), the schedule of the game (announced starter and his hand, opponent, home park, home
  or away, day or night, whether the park uses the DH) and the dates of the starter's earlier starts.
  It does not know the lineup: it expects the opponent's usual lineup against a pitcher of that hand.
* **close**, 90 minutes before the estimated first pitch (the local ``start_time`` with the UTC offset of
  the home team's time zone, or of the neutral site: Sydney, Tokyo, London, Monterrey, ...). Everything
  the open knew, plus the results of D-1, the announced lineup (its count of platoon-advantaged batters)
  and the home plate umpire. Results of day D (a doubleheader's first game included) are never used.

At each capture the book forms its belief (``beliefs``, one vectorised pass over all starts):

* **strikeout rate per batter** (empirical Bayes): the pitcher's strikeouts and batters faced in every
  earlier start, weighted down with age (half-life ``rate_half_life_days``: a start a year ago counts about
  a quarter as much as last week's, the career still counts), shrunk toward ``rate_prior_bf`` batters at the
  league rate of earlier starts (half-life ``league_half_life_days``) times ``newcomer_rate_factor`` (a
  pitcher without a history is below average). The estimate's own uncertainty (gamma posterior: relative
  variance ``rate_uncertainty`` / effective strikeouts) widens the count distribution of the unknown.
* **multipliers of the rate**: the opponent's strikeouts per plate appearance (team batting against all
  pitchers from ``team_games``; without it, against the starters in the logs), decayed and shrunk, as a
  ratio to the league (exponent ``opponent_weight``); the park's (``park_weight``) and, at the close, the
  plate umpire's (``umpire_weight``) ratios, decayed over a year; the lineup's platoon-advantaged batters
  above the league's mean for the pitcher's hand (``platoon_effect``, fitted ≈ 0); the pitcher's spot
  batting without the DH, relative to his own share of such starts (``no_dh_effect``); home, day game and
  September-October (``home_rate_effect``, ``day_rate_effect``, ``late_season_rate_effect``).
* **batters faced**: his decayed mean (half-life ``bf_half_life_days``) shrunk toward the league's
  (``bf_prior_starts`` starts, ``newcomer_bf_factor``), pulled toward his last two or three starts
  (``recent_bf_weight``: a change of role), moved for the opponent's times on base per plate appearance
  (``opponent_on_base_bf_effect``), home starts, September-October, his first start of the season, short
  rest (≤ 4 days) and a long layoff (≥ 15 days); around it a mixture of
  the typical start, the early hook and the early exit (``batters_components``), whose strikeout rates
  differ (knocked-out starters were not striking batters out).
* **count distribution**: strikeouts ~ Binomial(batters faced, lognormal rate) mixed over batters faced
  (``python_models.demo.pricing.strikeout_pmf``); line and prices from it at the book's hold (``hold`` ±
  ``hold_spread`` per quote, drawn from ``seed``) by the pricing shared with the demo's book
  (``python_models.demo.pricing.price``: half strikeouts mostly, a whole line when the median sits on one).

**The real market's lean**: real books shade the line low. On 1,391 real posted lines of 2022 (issue 22,
measured with ``kzone evaluate --lines``) the line sat 0.22 K below the outcome on average and the over won
52.4%. The book reproduces it: it posts the half line whose P(over) is nearest ``line_target_over``
(0.524) rather than the median, priced at its own belief (``kzone evaluate`` reports the resulting line
bias and over rate per season beside the figures above).

What it never knows: the start's own result, or any game dated on or after its capture's cut-off.
``tests/python/test_market.py`` proves it: rewriting the strikeouts and batters faced of a start and of
every later game (and their team batting lines) leaves the lines of that start and of every earlier start
unchanged, and the test fails when the cut-off is moved one day later.

Hyper-parameters (``MarketParams``) are refit walk-forward, like every model: ``benchmarks/tune_market.py
--through S`` fits them on 2014..S only (2014 as warm-up, by the likelihood of batters faced, of strikeouts
given batters faced, then of strikeouts under the full count distribution) and records the fit in
``market_params.json`` beside this module; the lines of a season are priced with the newest fit on seasons
BEFORE it (``params_for``: 2021 with the fit through 2020, 2022 with the fit through 2021), and a season
without such a fit is refused, never priced with a fit that saw it. ``MarketParams()``'s defaults are the
fit through 2021 (each fit starts from them); ``benchmarks/market_quality.py`` measures the book on 2022
against the systems. The lean (``line_target_over``) is the real market's, measured, not fitted.

Built from Retrosheet data when run on the real starts:

     The information used here was obtained free of
     charge from and is copyrighted by Retrosheet.  Interested
     parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from python_models.demo.market_params import PARAMS, MarketParams, params_for
from python_models.demo.pricing import MAX_BATTERS, decayed_sums, discrete_normal_pmf, price, strikeout_pmf

BOOK = "synthetic_market"

# UTC offset of local time in the regular season (daylight saving time): by home team, then neutral sites
TEAM_UTC_OFFSET = {
    **dict.fromkeys(
        ["ATL", "BAL", "BOS", "CIN", "CLE", "DET", "MIA", "NYA", "NYN", "PHI", "PIT", "TBA", "TOR", "WAS"], -4
    ),
    **dict.fromkeys(["CHA", "CHN", "HOU", "KCA", "MIL", "MIN", "SLN", "TEX"], -5),
    "COL": -6,
    **dict.fromkeys(["ANA", "ARI", "LAN", "OAK", "SDN", "SEA", "SFN"], -7),  # Arizona: MST = PDT
}
PARK_UTC_OFFSET = {"SYD01": 11, "TOK01": 9, "LON01": 1, "MNT01": -5, "DYE01": -5, "OMA01": -5}
CLOSE_BEFORE_FIRST_PITCH = timedelta(minutes=90)
OPEN_HOUR_UTC = 20  # the day before the game
FACTOR_HALF_LIFE_DAYS = 365.0  # park and umpire strikeout factors: slow to change
HOOK_FROM_BF, HOOK_FULL_OVER_BF = 9.0, 9.0  # early hook: none below 9 expected batters, full from 18
RECENT_HALF_LIFE_DAYS = 15.0  # his last two or three starts: a change of role (opener, stretched out)


def _days(dates: pd.Series) -> np.ndarray:
    return (pd.to_datetime(dates).to_numpy("datetime64[D]").astype("int64")).astype(float)


def first_pitch_utc(logs: pd.DataFrame) -> pd.Series:
    """Estimated first pitch in UTC: the local ``start_time`` (7 PM when unknown) with the UTC offset of the
    neutral site, else of the home team's time zone (``game_id`` starts with the home team)."""
    start_time = logs["start_time"] if "start_time" in logs else pd.Series("", index=logs.index)
    local = pd.to_datetime(
        logs["game_date"].dt.strftime("%Y-%m-%d") + " " + start_time.astype(str).str.strip(),
        format="%Y-%m-%d %I:%M%p",
        errors="coerce",
    )
    local = local.fillna(logs["game_date"] + pd.Timedelta(hours=19))  # unknown: an evening game
    home = logs["game_id"].astype(str).str[:3]
    offset = logs["park_id"].map(PARK_UTC_OFFSET).fillna(home.map(TEAM_UTC_OFFSET)).fillna(-4)
    return local - pd.to_timedelta(offset, unit="h")


def _prepare(game_logs: pd.DataFrame) -> pd.DataFrame:
    logs = game_logs.copy()
    logs["game_date"] = pd.to_datetime(logs["game_date"])
    logs = logs.sort_values(["game_date", "game_id", "pitcher_id"]).reset_index(drop=True)
    logs["day"] = _days(logs["game_date"])
    logs["n"] = 1.0
    logs["k"] = logs["strikeouts"].astype(float)
    logs["bf"] = logs["batters_faced"].astype(float)
    logs["no_dh"] = (~logs["use_dh"].astype(str).str.lower().isin(["true", "1"])).astype(float)
    logs["platoon"] = logs["opp_lineup_platoon_adv"].astype(float)
    return logs


def _ratio_to_league(
    events: pd.DataFrame,
    key: str,
    q: pd.DataFrame,
    half_life_days: float,
    prior_pa: float,
    value: str = "k",
) -> pd.Series:
    """``value`` (strikeouts) per plate appearance of ``key``'s earlier events (decayed, shrunk toward the
    league by ``prior_pa`` plate appearances) as a ratio to the league's over the same events."""
    own = decayed_sums(events, [key], [value, "pa"], q, half_life_days)
    league = decayed_sums(events.assign(all=0), ["all"], [value, "pa"], q, half_life_days)
    league_rate = (league[value] / league["pa"]).fillna(0.21)
    rate = (own[value] + prior_pa * league_rate) / (own["pa"] + prior_pa)
    return (rate / league_rate).clip(0.7, 1.4)


def _batting_events(logs: pd.DataFrame, team_games: pd.DataFrame | None) -> pd.DataFrame:
    """One row per team batting per game: the batting team (as ``opponent``, the key the starts use), its
    strikeouts, times on base and plate appearances, and the game's park and plate umpire. From the team games (batting
    against all pitchers) when given, else from the starts (batting against the starter)."""
    game = logs.drop_duplicates("game_id").set_index("game_id")[["park_id", "umpire_home_id"]]
    if team_games is not None:
        events = pd.DataFrame(
            {
                "game_id": team_games["game_id"].to_numpy(),
                "opponent": team_games["team"].to_numpy(),
                "day": _days(team_games["game_date"]),
                "k": team_games["batting_strikeouts"].astype(float).to_numpy(),
                "pa": team_games["batting_pa"].astype(float).to_numpy(),
                "on_base": (team_games["batting_hits"] + team_games["batting_walks"])
                .astype(float)
                .to_numpy(),
            }
        )
    else:
        on_base = (logs["hits_allowed"] + logs["walks"] + logs["hit_batters"]).astype(float)
        events = logs[["game_id", "opponent", "day", "k"]].assign(pa=logs["bf"], on_base=on_base)
    return events.join(game, on="game_id")


def beliefs(
    logs: pd.DataFrame,
    team_games: pd.DataFrame | None,
    rows: pd.Index,
    cutoff: np.ndarray,
    knows_lineup: bool,
    params: MarketParams = PARAMS,
) -> pd.DataFrame:
    """The book's belief about each start in ``rows`` of ``logs`` (from ``_prepare``), from the games dated
    strictly before ``cutoff`` (int days, one per row): log-rate mean and SD, batters-faced mean.
    ``knows_lineup``: the close (announced lineup, plate umpire) rather than the open."""
    p = params
    q = logs.loc[rows].copy()
    q["cutoff"] = cutoff
    q["all"] = 0
    logs = logs.assign(all=0)

    league = decayed_sums(logs, ["all"], ["k", "bf", "n"], q, p.league_half_life_days)
    league_rate = (league["k"] / league["bf"]).fillna(0.21).clip(0.1, 0.35)
    league_bf = (league["bf"] / league["n"]).fillna(23.0).clip(10, 30)

    own = decayed_sums(logs, ["pitcher_id"], ["k", "bf", "n", "no_dh"], q, p.rate_half_life_days)
    prior_k = p.rate_prior_bf * league_rate * p.newcomer_rate_factor
    shape = own["k"] + prior_k
    rate = shape / (own["bf"] + p.rate_prior_bf)
    no_dh_share = (own["no_dh"] + 1.0) / (own["n"] + 2.0)

    batting = _batting_events(logs, team_games)
    opp_ratio = _ratio_to_league(batting, "opponent", q, p.opponent_half_life_days, p.opponent_prior_pa)
    park_ratio = _ratio_to_league(batting, "park_id", q, FACTOR_HALF_LIFE_DAYS, p.park_prior_pa)
    umpire_ratio = _ratio_to_league(batting, "umpire_home_id", q, FACTOR_HALF_LIFE_DAYS, p.umpire_prior_pa)

    hand = decayed_sums(logs, ["pitcher_throws"], ["platoon", "n"], q, p.opponent_half_life_days)
    typical = pd.Series(np.where(q["pitcher_throws"] == "L", 7.0, 4.4), index=q.index)  # 2014-2022
    hand_mean = (hand["platoon"] / hand["n"]).fillna(typical)
    if knows_lineup:
        platoon = q["platoon"].fillna(hand_mean)
        umpire = p.umpire_weight * np.log(umpire_ratio)
    else:  # the opponent's usual lineup against a pitcher of this hand; the umpire is not known yet
        usual = decayed_sums(
            logs, ["opponent", "pitcher_throws"], ["platoon", "n"], q, p.opponent_half_life_days
        )
        platoon = (usual["platoon"] + 3 * hand_mean) / (usual["n"] + 3)
        umpire = 0.0

    season = decayed_sums(logs, ["pitcher_id", "season"], ["n"], q, 1e9)["n"]  # his starts this season
    rest = q["day"].to_numpy(float) - _previous_start_day(logs, q)  # days since his last start (NaN: none)
    home = q["is_home"].astype(str).str.lower().isin(["true", "1"]).to_numpy(float)
    day_game = (q["day_night"].astype(str).str.lower() == "day").to_numpy(float)
    late = (q["game_date"].dt.month >= 9).to_numpy(float)

    log_rate = (
        np.log(rate)
        + p.opponent_weight * np.log(opp_ratio)
        + p.park_weight * np.log(park_ratio)
        + umpire
        + p.platoon_effect * (platoon - hand_mean)
        + p.no_dh_effect * (q["no_dh"] - no_dh_share)
        + p.home_rate_effect * home
        + p.day_rate_effect * day_game
        + p.late_season_rate_effect * late
    )
    log_sd = np.sqrt(p.rate_sd_game**2 + p.rate_uncertainty / shape)

    work = decayed_sums(logs, ["pitcher_id"], ["bf", "n"], q, p.bf_half_life_days)
    bf_mean = (work["bf"] + p.bf_prior_starts * league_bf * p.newcomer_bf_factor) / (
        work["n"] + p.bf_prior_starts
    )
    recent = decayed_sums(logs, ["pitcher_id"], ["bf", "n"], q, RECENT_HALF_LIFE_DAYS)
    recent_gap = ((recent["bf"] + 2 * bf_mean) / (recent["n"] + 2) - bf_mean).to_numpy()  # role changes
    on_base = _ratio_to_league(
        batting.assign(k=batting["on_base"]), "opponent", q, p.opponent_half_life_days, 2000
    )
    bf_mean = (
        bf_mean
        + p.recent_bf_weight * recent_gap
        + p.opponent_on_base_bf_effect * np.log(on_base)
        + p.home_bf_effect * home
        + p.late_season_bf_effect * late
        + p.first_start_bf_effect * (season.to_numpy() == 0)
        + p.short_rest_bf_effect * (rest <= 4)
        + p.long_rest_bf_effect * (rest >= 15)
    )
    return pd.DataFrame({"log_rate_mean": log_rate, "log_rate_sd": log_sd, "bf_mean": bf_mean}, index=rows)


def _previous_start_day(logs: pd.DataFrame, q: pd.DataFrame) -> np.ndarray:
    """Day of each query pitcher's last start before the cutoff (NaN if none)."""
    events = logs[["pitcher_id", "day"]].drop_duplicates().assign(previous=lambda d: d["day"].astype(float))
    probe = q[["pitcher_id", "cutoff"]].assign(_row=np.arange(len(q)), day=q["cutoff"].astype(float))
    merged = pd.merge_asof(
        probe.sort_values("day"),
        events.assign(day=events["day"].astype(float)).sort_values("day"),
        on="day",
        by="pitcher_id",
        allow_exact_matches=False,
    ).sort_values("_row")
    return merged["previous"].to_numpy(float)


def batters_components(bf_mean: np.ndarray, params: MarketParams = PARAMS) -> list[tuple[np.ndarray, float]]:
    """The book's batters-faced distribution around the expected batters faced ``bf_mean``, as mixture
    components (rows of probability mass over 0..MAX_BATTERS, log-rate offset of the component):

    * the typical start: a rounded normal ``bf_shift`` above the expectation, its SD growing by
      ``bf_sd_slope`` per batter below 23 expected (short workloads are less predictable);
    * the early hook (``early_prob``, fading in from 9 to 18 expected batters: an opener is not knocked
      out early): a rounded normal ``early_drop`` batters lower (knocked out, pitch count), and the early exit (``short_exit_prob``: uniform on 1..short_exit_max_bf; injury, ejection,
      rain). A pitcher who is knocked out was not striking batters out: these components' strikeout rate
      is ``hook_rate_offset`` lower (log), the typical start's ``typical_rate_offset`` higher.
    """
    p = params
    mean = np.asarray(bf_mean, dtype=float)
    sd = np.clip(p.bf_sd + p.bf_sd_slope * (23.0 - mean), 1.5, 8.0)
    typical = discrete_normal_pmf(mean + p.bf_shift, sd, 0, MAX_BATTERS)
    hook = discrete_normal_pmf(mean - p.early_drop, np.full(len(mean), p.early_sd), 0, MAX_BATTERS)
    short = np.zeros(MAX_BATTERS + 1)
    short[1 : p.short_exit_max_bf + 1] = 1.0 / p.short_exit_max_bf
    # an opener planned for a few batters is not "knocked out early": the hook fades in with the workload
    early = p.early_prob * np.clip((mean - HOOK_FROM_BF) / HOOK_FULL_OVER_BF, 0.0, 1.0)[:, None]
    typical_share = 1.0 - early - p.short_exit_prob
    return [
        (typical_share * typical, p.typical_rate_offset),
        (early * hook + p.short_exit_prob * short[None, :], p.hook_rate_offset),
    ]


def batters_pmf(bf_mean: np.ndarray, params: MarketParams = PARAMS) -> np.ndarray:
    """The book's batters-faced distribution (the components of ``batters_components`` summed)."""
    return sum(mass for mass, _ in batters_components(bf_mean, params))


def count_pmf(belief: pd.DataFrame, params: MarketParams = PARAMS) -> np.ndarray:
    """The book's strikeout distribution for each row of ``beliefs``."""
    mu = belief["log_rate_mean"].to_numpy(float)
    sd = belief["log_rate_sd"].to_numpy(float)
    return sum(
        strikeout_pmf(mu + offset, sd, mass)
        for mass, offset in batters_components(belief["bf_mean"].to_numpy(float), params)
    )


def market_lines(
    game_logs: pd.DataFrame,
    seasons: list[int],
    seed: int = 2022,
    *,
    team_games: pd.DataFrame | None = None,
    params: MarketParams | None = None,
) -> pd.DataFrame:
    """Sharp lines (loader format: one row per start and capture, open and close) for every start of
    ``seasons`` from pre-game information only. ``game_logs`` may hold earlier seasons too (the book's
    history: pass them for a better book); ``team_games`` the team batting lines (optional). Without
    ``params`` each season is priced with the fit on the seasons before it (``params_for``)."""
    logs = _prepare(game_logs)
    if params is None:
        frames = [
            _season_lines(logs, [s], seed + i, team_games, params_for(s))
            for i, s in enumerate(sorted(seasons))
        ]
        out = pd.concat(frames, ignore_index=True).sort_values(
            ["game_date", "game_id", "pitcher_id", "captured_at"]
        )
        return out.reset_index(drop=True)
    return _season_lines(logs, seasons, seed, team_games, params)


def _season_lines(
    logs: pd.DataFrame, seasons: list[int], seed: int, team_games: pd.DataFrame | None, params: MarketParams
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = logs.index[logs["season"].isin(seasons)]
    day = logs.loc[rows, "day"].to_numpy()
    first_pitch = first_pitch_utc(logs.loc[rows])
    opened = logs.loc[rows, "game_date"] - pd.Timedelta(days=1) + pd.Timedelta(hours=OPEN_HOUR_UTC)
    frames = []
    for capture, cutoff, knows_lineup, captured in (
        ("open", day - 1, False, opened),
        ("close", day, True, first_pitch - CLOSE_BEFORE_FIRST_PITCH),
    ):
        belief = beliefs(logs, team_games, rows, cutoff, knows_lineup, params)
        hold = params.hold + rng.uniform(-params.hold_spread, params.hold_spread, len(rows))
        quote = price(count_pmf(belief, params), hold, target_over=params.line_target_over)
        frames.append(
            pd.DataFrame(
                {
                    "game_id": logs.loc[rows, "game_id"].to_numpy(),
                    "game_date": logs.loc[rows, "game_date"].dt.date.to_numpy(),
                    "pitcher_id": logs.loc[rows, "pitcher_id"].to_numpy(),
                    "pitcher_name": logs.loc[rows, "pitcher_name"].to_numpy(),
                    "bookmaker": BOOK,
                    "strikeouts_line": quote.line,
                    "over_odds": quote.over_odds,
                    "under_odds": quote.under_odds,
                    "captured_at": pd.to_datetime(captured).dt.to_pydatetime(),
                    "capture": capture,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).sort_values(
        ["game_date", "game_id", "pitcher_id", "captured_at"]
    )
    return out.drop(columns="capture").reset_index(drop=True)
