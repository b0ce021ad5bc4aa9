"""A deterministic, realistic synthetic league for the embedded demo.

Two seasons (2025, 2026) of starts for ~180 pitchers on 30 teams (5-man rotations plus a spare), with
persistent individual strikeout and workload rates, opponents with strikeout tendencies, lineups with
handedness, probable starters, sportsbook lines a market would set (a noisy estimate, half-point lines
mostly, ~-110 odds with vig, several captures per start), injured-list stints, and the legacy
predictions table for 2025. Lines and injuries are SYNTHETIC: real strikeout lines are not public data.

Team games (one row per team per game, like Retrosheet's teamstats) are consistent with the starters: a
team's batting line against ALL pitchers is the opposing starter's line plus a simulated bullpen. The
game context has real effects the team-game features can find: each home-plate umpire and park has a
strikeout factor, each manager a leash (his starters face more or fewer batters), and a bullpen worked
hard over the last three days keeps the starter in a little longer. A few managers are replaced during a
season and over the winter. These draws use their own generator (``GameContext``), seeded from the same seed.

Calibrated to the real 2021-2022 Retrosheet file: mean ≈ 4.8 strikeouts per start, SD ≈ 2.5, 0-16.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from python_models.demo import league_book as demo_book_module
from python_models.demo.game_context import (
    MANAGER_LEASH_SD,
    RELIEVER_K_RATE,
    UMPIRE_K_SD,
    GameContext,
    TeamSide,
    team_game_rows,
)
from python_models.demo.league_book import DemoBook, capture_hours, lineup_moments
from python_models.demo.roster import FIRST, LAST, TEAMS

SEED = 20260107
SEASONS = {2025: (date(2025, 3, 27), date(2025, 9, 28)), 2026: (date(2026, 3, 26), date(2026, 9, 27))}
LEGACY_SEASON = 2025


def season_dates(year: int) -> tuple[date, date]:
    """Opening day and last day of a demo season (the two demo seasons as fixed above)."""
    return SEASONS.get(year, (date(year, 3, 27), date(year, 9, 28)))


GAMES_PER_TEAM = 162
BOOKMAKERS = demo_book_module.BOOKMAKERS
LEGACY_V1 = "mlb_pitcher_strikeouts_v1_20260107"
LEGACY_V1_6 = "mlb_pitcher_strikeouts_v1_6_rolling_20260115_131149"


@dataclass
class Pitcher:
    pitcher_id: str
    name: str
    throws: str
    team: str
    k_rate: float  # strikeouts per batter faced (persistent skill)
    bf_mean: float  # batters faced per start (workload)
    bb_rate: float
    season_drift: dict[int, float] = field(default_factory=dict)

    def k_rate_in(self, season: int) -> float:
        return float(np.clip(self.k_rate + self.season_drift.get(season, 0.0), 0.10, 0.40))


@dataclass
class DemoData:
    game_logs: pd.DataFrame
    team_games: pd.DataFrame
    probable_starters: pd.DataFrame
    strikeout_lines: pd.DataFrame
    injured_list: pd.DataFrame
    legacy_predictions: pd.DataFrame
    first_day: date
    last_day: date

    def summary(self) -> dict[str, int]:
        return {
            "game_logs": len(self.game_logs),
            "team_games": len(self.team_games),
            "probable_starters": len(self.probable_starters),
            "strikeout_lines": len(self.strikeout_lines),
            "injured_list": len(self.injured_list),
            "legacy_predictions": len(self.legacy_predictions),
        }


def _pitchers(rng: np.random.Generator) -> list[Pitcher]:
    names: set[str] = set()
    pitchers = []
    counter: dict[str, int] = {}
    for team in TEAMS:
        for _ in range(6):  # five in the rotation plus a spare
            while True:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                if f"{first} {last}" not in names:
                    names.add(f"{first} {last}")
                    break
            stem = (last.lower()[:4] + first.lower()[0]).ljust(5, "x")
            counter[stem] = counter.get(stem, 0) + 1
            pitchers.append(
                Pitcher(
                    pitcher_id=f"{stem}{counter[stem]:03d}",
                    name=f"{first} {last}",
                    throws="L" if rng.random() < 0.28 else "R",
                    team=team,
                    k_rate=float(np.clip(rng.normal(0.222, 0.040), 0.12, 0.31)),
                    bf_mean=float(np.clip(rng.normal(23.0, 2.2), 16, 28)),
                    bb_rate=float(np.clip(rng.normal(0.080, 0.015), 0.04, 0.14)),
                    season_drift={s: float(rng.normal(0, 0.015)) for s in range(2015, 2036)},
                )
            )
    return pitchers


def _schedule(rng: np.random.Generator, start: date, end: date) -> list[tuple[date, str, str]]:
    """(date, home, away) games: every team plays GAMES_PER_TEAM games between start and end."""
    remaining = {t: GAMES_PER_TEAM for t in TEAMS}
    days = (end - start).days + 1
    games = []
    for d in range(days):
        day = start + timedelta(days=d)
        days_left = days - d
        order = sorted(TEAMS, key=lambda t: (-remaining[t], rng.random()))
        # each team plays at the pace its remaining games need, so slates stay full to the last day
        playing = [t for t in order if remaining[t] > 0 and rng.random() < remaining[t] / days_left]
        playing = playing[: len(playing) - len(playing) % 2]
        rng.shuffle(playing)
        for i in range(0, len(playing), 2):
            home, away = playing[i], playing[i + 1]
            games.append((day, home, away))
            remaining[home] -= 1
            remaining[away] -= 1
    return games


def _with_pregame_facts(
    probables: pd.DataFrame, logs: pd.DataFrame, team_games: pd.DataFrame
) -> pd.DataFrame:
    """The announcement carries the game's pre-game facts (scheduled innings, DH, umpire, manager)."""
    facts = logs[["game_id", "team", "scheduled_innings", "use_dh", "umpire_home_id"]].merge(
        team_games[["game_id", "team", "manager_id"]], on=["game_id", "team"], how="left"
    )
    return probables.merge(facts, on=["game_id", "team"], how="left", validate="one_to_one")


def demo_book(seed: int, pitchers: list[Pitcher], seasons: tuple[int, ...]) -> DemoBook:
    """The league's sportsbooks, with the league's spread of true rates and workloads as their prior and
    the spread of a pitcher's rate change between seasons (how much last season tells about this one)."""
    rates = {y: np.log([p.k_rate_in(y) for p in pitchers]) for y in (*seasons, min(seasons) - 1)}
    rate_prior = {y: (float(rates[y].mean()), float(rates[y].std())) for y in seasons}
    change = np.concatenate([rates[y] - rates[y - 1] for y in seasons])
    workloads = np.array([p.bf_mean for p in pitchers])
    workload_sd = float(
        np.hypot(workloads.std(), workloads.mean() * MANAGER_LEASH_SD)
    )  # x his manager's leash
    return DemoBook(
        seed,
        rate_prior,
        (float(workloads.mean()), workload_sd),
        float(np.var(change)),
        opponent_sd=0.06,  # the spreads the league draws its multipliers with (generate, GameContext)
        park_sd=0.03,
        umpire_sd=UMPIRE_K_SD,
    )


def _with_book_lines(legacy: pd.DataFrame, book: DemoBook) -> pd.DataFrame:
    """The legacy system's rows with the line it saw (the book's last capture before the row was created)
    and the edge and recommendation that follow from it."""
    if legacy.empty:
        return legacy
    line = book.lines_at(legacy["strikeouts_line"], legacy["created_at"])
    edge = legacy["predicted_strikeouts"].to_numpy() - line
    return legacy.assign(
        strikeouts_line=line,
        edge=np.round(edge, 2),
        recommendation=np.where(edge >= 0.5, "OVER", np.where(edge <= -0.5, "UNDER", "PASS")),
    )


def generate(seed: int = SEED, seasons: tuple[int, ...] = tuple(SEASONS)) -> DemoData:
    """Build the whole demo deterministically from ``seed`` (more ``seasons`` for scaling benchmarks)."""
    rng = np.random.default_rng(seed)
    pitchers = _pitchers(rng)
    by_team: dict[str, list[Pitcher]] = {t: [p for p in pitchers if p.team == t] for t in TEAMS}
    opp_k = {t: float(np.clip(rng.normal(1.0, 0.06), 0.9, 1.1)) for t in TEAMS}
    lineup_lefty_share = {t: float(np.clip(rng.normal(0.38, 0.1), 0.1, 0.7)) for t in TEAMS}
    park_k = {t: float(np.clip(rng.normal(1.0, 0.03), 0.93, 1.07)) for t in TEAMS}

    context = GameContext(seed)
    book = demo_book(seed, pitchers, seasons)
    logs, team_games, probables, il_rows, legacy = [], [], [], [], []
    for season, (start, end) in ((y, season_dates(y)) for y in seasons):
        context.new_season(start, end, first=season == min(seasons))
        # injured-list stints: (pitcher_id) -> (first day, last day, status)
        stints: dict[str, tuple[date, date, str]] = {}
        season_days = (end - start).days
        for p in pitchers:
            if rng.random() < 0.22:
                status = rng.choice(["IL10", "IL15", "IL60"], p=[0.35, 0.45, 0.2])
                length = {
                    "IL10": rng.integers(10, 25),
                    "IL15": rng.integers(15, 45),
                    "IL60": rng.integers(60, 90),
                }[status]
                first = start + timedelta(days=int(rng.integers(10, season_days - 20)))
                stints[p.pitcher_id] = (first, first + timedelta(days=int(length)), str(status))
        for pid, (first, last, status) in stints.items():
            p = next(x for x in pitchers if x.pitcher_id == pid)
            day = first
            while day <= min(last, end):
                il_rows.append(
                    {
                        "pitcher_id": pid,
                        "pitcher_name": p.name,
                        "team": p.team,
                        "status": status,
                        "scraped_at": datetime.combine(day, datetime.min.time()) + timedelta(hours=14),
                    }
                )
                day += timedelta(days=1)

        rotation_pos = {t: int(rng.integers(0, 5)) for t in TEAMS}
        for game_day, home, away in _schedule(rng, start, end):
            game_id = f"{home}{game_day:%Y%m%d}0"
            umpire = context.umpire()
            game_outs = 27 + context.extra_outs()
            sides: dict[str, TeamSide] = {}
            is_day = rng.random() < 0.3
            first_pitch = datetime.combine(game_day, datetime.min.time()) + timedelta(
                hours=17 if is_day else 23, minutes=5
            )
            for team, opp, is_home in ((home, away, True), (away, home, False)):
                rot = by_team[team][:5]
                starter = rot[rotation_pos[team] % 5]
                rotation_pos[team] += 1
                stint = stints.get(starter.pitcher_id)
                if stint and stint[0] <= game_day <= stint[1]:
                    starter = by_team[team][5]  # the spare takes the start
                lhb = int(rng.binomial(9, lineup_lefty_share[opp]))
                swb = int(rng.binomial(9 - lhb, 0.08))
                rhb = 9 - lhb - swb
                platoon = (rhb if starter.throws == "L" else lhb) + swb
                platoon_mult = 1 + 0.012 * ((9 - platoon) - 4.5)
                manager = context.manager_on(team, game_day)
                p_k = starter.k_rate_in(season) * opp_k[opp] * park_k[home] * platoon_mult
                p_k = float(np.clip(p_k * context.umpire_k[umpire] * rng.lognormal(0, 0.10), 0.03, 0.38))
                short = rng.random() < 0.05
                bf_mean = starter.bf_mean * context.leash[manager] + context.workload_shift(team, game_day)
                bf = (
                    int(rng.integers(3, 11))
                    if short
                    else int(np.clip(round(rng.normal(bf_mean, 3.8)), 6, 31))
                )
                k = int(rng.binomial(bf, p_k))
                bb = int(rng.binomial(bf - k, starter.bb_rate / (1 - p_k)))
                hbp = int(rng.binomial(bf - k - bb, 0.01))
                in_play = bf - k - bb - hbp
                hits = int(rng.binomial(in_play, 0.30))
                hr = int(rng.binomial(hits, 0.13))
                doubles = int(rng.binomial(hits - hr, 0.2))
                triples = int(rng.binomial(hits - hr - doubles, 0.03))
                outs = max(min(bf - hits - bb - hbp, 27), 0)
                runs = int(min(rng.poisson(0.45 * (hits + bb) + hr * 0.6), 15))
                er = int(rng.binomial(runs, 0.92))
                true_mean = (
                    starter.k_rate_in(season) * opp_k[opp] * park_k[home] * platoon_mult * starter.bf_mean
                )
                logs.append(
                    {
                        "game_id": game_id,
                        "game_date": game_day,
                        "season": season,
                        "game_number": 0,
                        "team": team,
                        "opponent": opp,
                        "is_home": is_home,
                        "pitcher_id": starter.pitcher_id,
                        "pitcher_name": starter.name,
                        "pitcher_throws": starter.throws,
                        "outs_recorded": outs,
                        "innings_pitched": round(outs / 3, 4),
                        "batters_faced": bf,
                        "strikeouts": k,
                        "walks": bb,
                        "intentional_walks": int(rng.binomial(bb, 0.05)),
                        "hits_allowed": hits,
                        "doubles_allowed": doubles,
                        "triples_allowed": triples,
                        "home_runs_allowed": hr,
                        "runs_allowed": runs,
                        "earned_runs": er,
                        "hit_batters": hbp,
                        "wild_pitches": int(rng.poisson(0.3)),
                        "complete_game": outs >= 27,
                        "decision": str(rng.choice(["W", "L", "ND"], p=[0.32, 0.32, 0.36])),
                        "day_night": "day" if is_day else "night",
                        "park_id": f"{home}01",
                        "use_dh": True,
                        "scheduled_innings": 9,
                        "temp_f": float(round(rng.normal(74, 10))),
                        "wind_dir": str(rng.choice(["tocf", "fromcf", "ltor", "rtol", "unknown"])),
                        "wind_speed_mph": float(rng.integers(0, 18)),
                        "sky": str(rng.choice(["sunny", "cloudy", "overcast", "dome"])),
                        "precip": "none",
                        "start_time": "1:05PM" if is_day else "7:05PM",
                        "umpire_home_id": umpire,
                        "opp_lineup_lhb": lhb,
                        "opp_lineup_rhb": rhb,
                        "opp_lineup_swb": swb,
                        "opp_lineup_platoon_adv": platoon,
                        "opp_lineup_ids": "|".join(f"{opp.lower()}b{i:02d}" for i in range(9)),
                    }
                )
                probables.append(
                    {
                        "game_id": game_id,
                        "game_date": game_day,
                        "team": team,
                        "opponent": opp,
                        "is_home": is_home,
                        "pitcher_id": starter.pitcher_id,
                        "pitcher_name": starter.name,
                        "pitcher_throws": starter.throws,
                        "park_id": f"{home}01",
                        "day_night": "day" if is_day else "night",
                        "opp_lineup_lhb": lhb,
                        "opp_lineup_rhb": rhb,
                        "opp_lineup_swb": swb,
                        "opp_lineup_platoon_adv": platoon,
                        "first_pitch_at": first_pitch,
                        "announced_at": first_pitch - timedelta(hours=int(rng.integers(20, 30))),
                    }
                )
                # The market: a sharp book priced from this start's truth plus its own noise
                # (python_models/demo/league_book.py). These are the draws the earlier market made, in the same
                # order, so every other table of the league is unchanged for a given seed.
                rng.normal(0, 0.45)
                rng.random()
                n_caps = int(rng.integers(1, 4))
                captures = []
                for cap in range(n_caps):
                    hours = capture_hours(cap, n_caps, float(rng.random()))
                    rng.normal(0, 0.15)
                    captures.append((first_pitch - timedelta(hours=hours), 1 + int(rng.random() < 0.5)))
                expected_lineup, lineup_var = lineup_moments(lineup_lefty_share[opp], starter.throws)
                start_no = book.add(
                    game_id=game_id,
                    game_date=game_day,
                    pitcher_id=starter.pitcher_id,
                    pitcher_name=starter.name,
                    first_pitch=first_pitch,
                    announced_at=probables[-1]["announced_at"],
                    opponent=opp,
                    park=home,
                    umpire=umpire,
                    log_rate=math.log(starter.k_rate_in(season)),
                    log_platoon=math.log(platoon_mult),
                    log_platoon_expected=expected_lineup,
                    lineup_var=lineup_var,
                    workload_shift=context.workload_shift(team, game_day),
                    workload_shift_open=context.workload_shift(team, game_day, unknown_days=1),
                    season=season,
                    captures=captures,
                    late_capture=bool(rng.random() < 0.03),  # a capture after first pitch: must be ignored
                    strikeouts=k,  # history for the lines of LATER games only
                    batters_faced=bf,
                )
                sides[team] = TeamSide(
                    team=team,
                    manager_id=manager,
                    starter_id=starter.pitcher_id,
                    starter_bf=bf,
                    starter_outs=outs,
                    pitching={"pa": bf, "k": k, "bb": bb, "hbp": hbp, "h": hits, "hr": hr, "r": runs},
                )
                reliever_k = RELIEVER_K_RATE * opp_k[opp] * park_k[home] * context.umpire_k[umpire]
                context.bullpen(sides[team], game_day, game_outs, reliever_k)
                if season == LEGACY_SEASON and game_day >= date(LEGACY_SEASON, 4, 15):
                    pred = float(max(true_mean + rng.normal(0, 0.9), 0.5))
                    legacy.append(
                        {
                            "pitcher_lookup": starter.name.lower().replace(" ", "_"),
                            "pitcher_name": starter.name,
                            "game_date": game_day,
                            "predicted_strikeouts": round(pred, 2),
                            "strikeouts_line": start_no,  # the line it saw: filled in once the book priced
                            "over_odds": -110,
                            "under_odds": -110,
                            "edge": np.nan,
                            "confidence": float(round(rng.uniform(50, 85), 1)),
                            "recommendation": "",
                            "model_version": LEGACY_V1 if game_day < date(2025, 7, 1) else LEGACY_V1_6,
                            "created_at": first_pitch - timedelta(hours=8),
                        }
                    )
            team_games.extend(team_game_rows(game_id, game_day, season, sides[home], sides[away]))
    games = pd.DataFrame(logs)
    team_frame = pd.DataFrame(team_games)
    lines = book.lines().drop(columns=["start", "first_pitch"])
    return DemoData(
        game_logs=games,
        team_games=team_frame,
        probable_starters=_with_pregame_facts(pd.DataFrame(probables), games, team_frame),
        strikeout_lines=lines.drop_duplicates(["game_date", "pitcher_id", "bookmaker", "captured_at"]),
        injured_list=pd.DataFrame(il_rows),
        legacy_predictions=_with_book_lines(pd.DataFrame(legacy), book),
        first_day=min(season_dates(y)[0] for y in seasons),
        last_day=max(season_dates(y)[1] for y in seasons),
    )
