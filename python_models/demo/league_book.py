"""The demo league's sportsbooks: sharp, calibrated, priced from the league's record, its process and scouting.

The generator (``python_models/demo/league.py``) draws every start's strikeouts from the pitcher's true
strikeout rate per batter in the season, the opponent, park and platoon multipliers, a lognormal
game-to-game factor (SD 0.10, rate clipped to 0.03..0.38), batters faced from a rounded normal around the
pitcher's workload (SD 3.8, 6..31) with a 5% early exit (3..10 batters), and a binomial draw. The book
prices from what a well-run book knows, and its P(over) integrates over its own uncertainty (a proper
posterior), so it is calibrated:

* **the process** (how a start is drawn, not the draws) and the league's spread of true rates, workloads,
  team, park and umpire multipliers and managers' leashes (its priors); the lineup's platoon multiplier
  once announced (the probable starters' announcement carries it, 20-30 h before first pitch; the close
  always has it), before that the distribution of the lineups the opponent may announce;
  the bullpen's workload of the last three days (the box scores: on game day all three, at the open the
  two before, the previous day's game counted as a normal one);
* **the record**: every earlier start of the pitcher this season and last (strikeouts, batters faced, the
  platoon multiplier of each game; last season counts less, the true rate drifted since), and every
  earlier start against the opponent, at the park and under the umpire, from which it estimates their
  multipliers. This is
  all the prediction systems learn from, and the book uses it as a Bayesian would: a system has no
  information the book lacks, so it has no edge (``benchmarks/market_quality.py``: hit rate ≈ 53% on
  juiced favourites, ROI ≈ minus the hold);
* **scouting** (the morning line and the close only): a signal of the pitcher's true rate (log rate +
  N(0, ``SCOUTING_NOISE``²)); each book scouts on its own, and its close's error is a part of its
  morning's, so the close knows more than the morning, which knows more than the open.

Captures (as many per start as before, one to three): the open (24-26 h before first pitch; it knows the
games up to two days before), the morning line (9-11 h before, when a start has three captures) and the
close (1-3 h before, with the announced lineup). Books: ``draftkings`` and ``fanduel`` share the record
and differ in their scouting and hold. Lines and prices come from the pricing shared with the real-data
book (``python_models.demo.pricing``): half strikeouts mostly (``WHOLE_LINE_TILT``: ~2% whole lines, with
pushes), the over price following the book's P(over), hold 4-5%.

A start's own result is recorded with it (``strikeouts``, ``batters_faced``) only as history for LATER
games: a capture sees the starts dated before its own day (the open: before the previous day), which
``tests/python/test_demo_data.py`` proves. The book draws its noise from its own generator (seeded from the
demo seed), never from the league's: every other table of the league is the same for a seed.
Only the scouting noise, the book's own error (``OPINION_NOISE``) and the whole-line threshold are tuned:
the aim is a pick-time line MAE within ±0.03 K of the best system's with no edge left to the systems (the
ensemble's hit rate within 0.44-0.56). Without its own error the book knows the process exactly and its line
MAE sits ≈0.04 K below the best system's; every 0.01 of error softens it (at 0.06 the systems win ≈57% of
their picks), so the two aims meet only near 0.046 (`make demo` prints both). The book prices its own error
as uncertainty, so it stays calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from python_models.demo.pricing import decayed_sums, discrete_normal_pmf, price, strikeout_pmf
from python_models.predictors.markets import LINE_RANGE

BOOKMAKERS = ("draftkings", "fanduel")
HOLD = {"draftkings": 0.046, "fanduel": 0.044}
HOLD_SPREAD = 0.002  # each quote's hold is uniform on HOLD ± this (after rounding: 4.0-5.0%)
WHOLE_LINE_TILT = 0.09  # the demo's books post few whole lines (~2%): see python_models.demo.pricing.price
SCOUTING_NOISE = {"morning": 0.45, "close": 0.30}  # SD of a book's scouting signal of the log rate
# SD of a book's own error about a start's log rate (its modelling error, the same at each of its captures
# of the start); the book knows its size and prices it as uncertainty, so it stays calibrated
OPINION_NOISE = 0.046
RATE_GRID = np.linspace(-6.0, 6.0, 241)  # the posterior grid, in prior SDs around the league mean
NO_DECAY = 1e9  # plain sums: a half-life far longer than any history
LINEUP_HOURS = 4.0  # lineups are announced this long before first pitch; the close knows it

# how the league draws a start (python_models/demo/league.py): the book knows the process, not the draws
GAME_RATE_SD = 0.10
RATE_BOUNDS = (0.03, 0.38)
BF_SD, BF_BOUNDS = 3.8, (6, 31)
SHORT_START_PROB, SHORT_START_BF = 0.05, (3, 10)


def capture_hours(capture: int, n_captures: int, u: float) -> float:
    """Hours before first pitch of a start's ``capture``-th of ``n_captures`` captures (``u`` uniform 0..1):
    the open 24-26 h before, the close (when there are two or more) 1-3 h before, the morning line 9-11 h."""
    if capture == 0:
        return 24 + 2 * u
    return 1 + 2 * u if capture == n_captures - 1 else 9 + 2 * u


@lru_cache(maxsize=256)
def lineup_moments(lefty_share: float, throws: str, per_batter: float = 0.012) -> tuple[float, float]:
    """Mean and variance of the log platoon multiplier over the lineups an opponent may announce (the
    league draws lefties ~ Binomial(9, share), switch hitters ~ Binomial(rest, 0.08); the multiplier is
    1 + per_batter * (batters without the platoon edge - 4.5))."""
    from scipy.stats import binom

    values, weights = [], []
    for lhb in range(10):
        for swb in range(10 - lhb):
            platoon = (9 - lhb - swb if throws == "L" else lhb) + swb
            values.append(np.log(1 + per_batter * ((9 - platoon) - 4.5)))
            weights.append(binom.pmf(lhb, 9, lefty_share) * binom.pmf(swb, 9 - lhb, 0.08))
    v, w = np.array(values), np.array(weights) / np.sum(weights)
    mean = float(v @ w)
    return mean, float(((v - mean) ** 2) @ w)


def capture_level(hours_before: float) -> str:
    """What a capture this many hours before first pitch knows: open, morning line or close."""
    if hours_before < LINEUP_HOURS:
        return "close"
    return "morning" if hours_before < 20 else "open"


@dataclass
class _Start:
    game_id: str
    game_date: object
    pitcher_id: str
    pitcher_name: str
    first_pitch: datetime
    announced_at: datetime  # the probable starters' announcement (with the lineup's handedness)
    opponent: str
    park: str
    umpire: str  # the home-plate umpire (announced with the probable starters)
    log_rate: float  # log true season strikeout rate per batter
    log_platoon: float  # log platoon multiplier of the actual lineup
    log_platoon_expected: float  # its mean over the lineups the opponent may announce
    lineup_var: float  # its variance over those lineups
    workload_shift: float  # batters faced added by his bullpen's last three days (known on game day)
    workload_shift_open: float  # the same as the open sees it (the day before's game not played yet)
    season: int
    captures: list[tuple[datetime, int]]  # (captured at, number of books)
    late_capture: bool
    strikeouts: int  # the start's outcome: history for later games only
    batters_faced: int


@dataclass
class DemoBook:
    """Collects the starts of the demo league as they are generated, then prices them all at once."""

    seed: int
    rate_prior: dict[int, tuple[float, float]]  # season -> (mean, SD) of log true rates in the league
    bf_prior: tuple[float, float]  # (mean, SD) of pitchers' workloads
    season_change_var: float  # variance of a pitcher's log rate change from one season to the next
    opponent_sd: float  # spread of the teams' log strikeout multipliers as batters
    park_sd: float  # spread of the parks' log strikeout multipliers
    umpire_sd: float  # spread of the home-plate umpires' log strikeout multipliers
    starts: list[_Start] = field(default_factory=list)
    _lines: pd.DataFrame | None = None

    def add(self, **start: object) -> int:
        """Record a start (fields of ``_Start``); returns its number for ``lines_at``."""
        self.starts.append(_Start(**start))  # type: ignore[arg-type]
        self._lines = None
        return len(self.starts) - 1

    def lines(self) -> pd.DataFrame:
        """Every capture of every start (loader format, plus a ``start`` number), including the rare
        capture after first pitch that the features must ignore."""
        if self._lines is None:
            self._lines = self._price()
        return self._lines

    def lines_at(self, starts: pd.Series, when: pd.Series) -> np.ndarray:
        """The draftkings line of each start at its last capture at or before ``when`` (else its open)."""
        lines = self.lines()
        dk = lines[(lines["bookmaker"] == BOOKMAKERS[0]) & (lines["captured_at"] < lines["first_pitch"])]
        probe = pd.DataFrame({"start": np.asarray(starts), "captured_at": pd.to_datetime(np.asarray(when))})
        probe["_row"] = np.arange(len(probe))
        found = pd.merge_asof(
            probe.sort_values("captured_at"),
            dk[["start", "captured_at", "strikeouts_line"]].sort_values("captured_at"),
            on="captured_at",
            by="start",
        ).sort_values("_row")
        opening = dk.drop_duplicates("start").set_index("start")["strikeouts_line"]
        return found["strikeouts_line"].fillna(found["start"].map(opening)).to_numpy(float)

    def _quotes(self) -> pd.DataFrame:
        """One row per (start, capture, book) with the book's scouting signal, drawn from its own
        generator: each book scouts on its own, and its close's error is a part of its morning's (the
        close knows more)."""
        rng = np.random.default_rng([self.seed, 1])
        close_var, morning_var = SCOUTING_NOISE["close"] ** 2, SCOUTING_NOISE["morning"] ** 2
        rows = []
        for i, s in enumerate(self.starts):
            scouting = {}
            for book in BOOKMAKERS:
                z_close, z_more = rng.standard_normal(2)
                close = np.sqrt(close_var) * z_close
                scouting[book] = {
                    "close": close,
                    "morning": close + np.sqrt(morning_var - close_var) * z_more,
                }
            for captured, n_books in s.captures:
                level = capture_level((s.first_pitch - captured).total_seconds() / 3600)
                for book in BOOKMAKERS[:n_books]:
                    rows.append(
                        {
                            "start": i,
                            "captured_at": captured,
                            "bookmaker": book,
                            "level": level,
                            "scout_signal": s.log_rate + scouting[book].get(level, 0.0),
                            "scout_var": SCOUTING_NOISE.get(level, np.inf) ** 2,
                            "hold": HOLD[book] + rng.uniform(-HOLD_SPREAD, HOLD_SPREAD),
                        }
                    )
        return pd.DataFrame(rows)

    def _opinions(self, quotes: pd.DataFrame) -> np.ndarray:
        """Per quote, the book's own error about the start's log rate (N(0, OPINION_NOISE²), one draw per
        start and book, from a generator of its own: the scouting and holds are drawn as before)."""
        rng = np.random.default_rng([self.seed, 2])
        draws = rng.standard_normal((len(self.starts), len(BOOKMAKERS))) * OPINION_NOISE
        book = quotes["bookmaker"].map({b: j for j, b in enumerate(BOOKMAKERS)}).to_numpy()
        return draws[quotes["start"].to_numpy(), book]

    def _history(self, starts: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
        """Per quote, the record before the capture's information cut-off: the strikeouts and batters faced
        of every earlier start by the opponent's batters, at the park, under the umpire and in the league;
        the pitcher's strikeouts and exposure this season and last (batters faced x the multipliers the
        book put on that game when it was played), and the batters faced of his regular-length starts
        (more than the early-exit maximum)."""
        events = starts.assign(
            day=_days(starts["game_date"]),
            k=starts["strikeouts"].astype(float),
            bf=starts["batters_faced"].astype(float),
            regular=(starts["batters_faced"] > SHORT_START_BF[1]).astype(float),
            all=0,
        )
        events["bf_regular"] = events["bf"] * events["regular"]
        played = events[["opponent", "park", "umpire", "all"]].assign(cutoff=events["day"])
        context, _ = self._context(_factor_counts(events, played))  # as the book saw each game
        events["exposure"] = events["bf"] * np.exp(events["log_platoon"].to_numpy() + context)

        st = starts.loc[quotes["start"]].reset_index(drop=True)
        # the open (the day before) cannot know the previous day's night games: it sees two days back
        cutoff = _days(st["game_date"]) - (quotes["level"] == "open").to_numpy()
        q = pd.DataFrame({"pitcher_id": st["pitcher_id"], "season": st["season"], "cutoff": cutoff})
        values = ["k", "exposure", "regular", "bf_regular"]
        this = decayed_sums(events, ["pitcher_id", "season"], values, q, NO_DECAY)
        last = decayed_sums(
            events, ["pitcher_id", "season"], values, q.assign(season=q["season"] - 1), NO_DECAY
        )
        factors = _factor_counts(
            events, q.assign(opponent=st["opponent"], park=st["park"], umpire=st["umpire"], all=0)
        )
        return pd.concat([this.add_prefix("this_"), last.add_prefix("last_"), factors], axis=1)

    def _context(self, history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The book's estimate of log(opponent x park x umpire multiplier) and its variance: each factor's
        strikeouts per batter over the earlier starts, relative to the league's, shrunk toward 1 by the
        league's known spread of factors (normal approximation on the log scale)."""
        league = ((history["league_k"] + 1.0) / (history["league_bf"] + 5.0)).to_numpy()
        mean, var = np.zeros(len(history)), np.zeros(len(history))
        for part, sd in (("opp_", self.opponent_sd), ("park_", self.park_sd), ("umpire_", self.umpire_sd)):
            k, bf = history[part + "k"].to_numpy(), history[part + "bf"].to_numpy()
            expected = bf * league
            observed = np.log((k + 0.5) / (expected + 0.5))  # variance ~ 1 / expected strikeouts
            precision = 1 / sd**2 + expected
            mean += expected * observed / precision
            var += 1 / precision
        return mean, var

    def _price(self) -> pd.DataFrame:
        starts = pd.DataFrame([vars(s) for s in self.starts])
        quotes = self._quotes()
        st = starts.loc[quotes["start"]].reset_index(drop=True)
        history = self._history(starts, quotes)
        log_rate_mean, log_rate_var = self._rate_posterior(st, quotes, history)
        log_rate_mean = log_rate_mean + self._opinions(quotes)
        log_rate_var = log_rate_var + OPINION_NOISE**2
        bf_mean, bf_var = self._workload_posterior(history)
        context, context_var = self._context(history)
        # the probable starters' announcement carries the lineup's handedness (the close always has it)
        known = (quotes["level"] == "close").to_numpy() | (
            quotes["captured_at"] >= st["announced_at"]
        ).to_numpy()
        context = context + np.where(known, st["log_platoon"], st["log_platoon_expected"])
        lineup_var = context_var + np.where(known, 0.0, st["lineup_var"])
        opened = (quotes["level"] == "open").to_numpy()
        shift = np.where(opened, st["workload_shift_open"], st["workload_shift"])  # the bullpen's box scores
        bf_mean = bf_mean + shift
        typical = discrete_normal_pmf(bf_mean, np.sqrt(BF_SD**2 + bf_var), *BF_BOUNDS)
        short = np.zeros(typical.shape[1])
        short[SHORT_START_BF[0] : SHORT_START_BF[1] + 1] = 1.0 / (SHORT_START_BF[1] - SHORT_START_BF[0] + 1)
        batters = (1 - SHORT_START_PROB) * typical + SHORT_START_PROB * short[None, :]
        sd = np.sqrt(log_rate_var + lineup_var + GAME_RATE_SD**2)
        pmf = strikeout_pmf(log_rate_mean + context, sd, batters, rate_bounds=RATE_BOUNDS)
        quote = price(pmf, quotes["hold"].to_numpy(), WHOLE_LINE_TILT)
        lines = pd.DataFrame(
            {
                "start": quotes["start"],
                "game_id": st["game_id"],
                "game_date": st["game_date"],
                "pitcher_id": st["pitcher_id"],
                "pitcher_name": st["pitcher_name"],
                "bookmaker": quotes["bookmaker"],
                "strikeouts_line": quote.line,
                "over_odds": quote.over_odds,
                "under_odds": quote.under_odds,
                "captured_at": quotes["captured_at"],
                "first_pitch": st["first_pitch"],
            }
        )
        late = lines.drop_duplicates("start", keep="last")
        late = late[starts.loc[late["start"], "late_capture"].to_numpy()].copy()
        late["captured_at"] = late["first_pitch"] + timedelta(hours=1)  # must be ignored by the features
        late["strikeouts_line"] = np.minimum(late["strikeouts_line"] + 1, LINE_RANGE[1])
        return (
            pd.concat([lines, late])
            .sort_values(["start", "captured_at"], kind="stable")
            .reset_index(drop=True)
        )

    def _rate_posterior(
        self, st: pd.DataFrame, quotes: pd.DataFrame, history: pd.DataFrame
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the book's posterior of each start's log true rate, on a grid: the league
        prior, this season's strikeouts ~ Poisson(rate x exposure), last season's (tempered: the rate
        drifted since), then the scouting signal (morning and close: log rate + N(0, scout_var))."""
        prior = np.array([self.rate_prior[y] for y in st["season"]])
        mu, tau = prior[:, 0], prior[:, 1]
        grid = mu[:, None] + tau[:, None] * RATE_GRID[None, :]  # rows x grid of log rates
        log_post = -0.5 * RATE_GRID[None, :] ** 2
        rate = np.exp(grid)
        for part in ("this_", "last_"):
            k = history[part + "k"].to_numpy()[:, None]
            exposure = history[part + "exposure"].to_numpy()[:, None]
            weight = 1.0 if part == "this_" else 1.0 / (1.0 + k * self.season_change_var)
            log_post = log_post + weight * (k * grid - rate * exposure)
        scout_var = quotes["scout_var"].to_numpy()[:, None]  # inf at the open: no scouting yet
        miss = quotes["scout_signal"].to_numpy()[:, None] - grid
        log_post = log_post - np.where(np.isinf(scout_var), 0.0, miss**2 / (2 * scout_var))
        w = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        mean = (w * grid).sum(axis=1)
        return mean, (w * (grid - mean[:, None]) ** 2).sum(axis=1)

    def _workload_posterior(self, history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the book's posterior of each start's workload (normal-normal): the league
        prior and the batters faced of his regular-length starts (SD BF_SD each)."""
        mu, tau = self.bf_prior
        n = (history["this_regular"] + history["last_regular"]).to_numpy()
        total = (history["this_bf_regular"] + history["last_bf_regular"]).to_numpy()
        precision = 1 / tau**2 + n / BF_SD**2
        return (mu / tau**2 + total / BF_SD**2) / precision, 1 / precision


def _factor_counts(events: pd.DataFrame, q: pd.DataFrame) -> pd.DataFrame:
    """Strikeouts and batters faced of the earlier starts by each query's opponent, at its park, under its
    umpire, and in the league (columns opp_k, opp_bf, park_k, ..., league_bf)."""
    parts = [
        decayed_sums(events, [key], ["k", "bf"], q, NO_DECAY).add_prefix(prefix)
        for key, prefix in (
            ("opponent", "opp_"),
            ("park", "park_"),
            ("umpire", "umpire_"),
            ("all", "league_"),
        )
    ]
    return pd.concat(parts, axis=1)


def _days(dates: pd.Series) -> np.ndarray:
    return pd.to_datetime(pd.Series(dates)).to_numpy("datetime64[D]").astype("int64").astype(float)
