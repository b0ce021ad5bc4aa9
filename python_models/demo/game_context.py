"""The demo league's game context, drawn with its own generator from the league's seed: home-plate umpires and
parks with strikeout factors, managers with leashes (replaced now and then), bullpens worked over the last
three days, and each team game's batting and pitching line (the starter's line plus a simulated bullpen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from python_models.demo.roster import TEAMS

BULLPEN_NORMAL_OUTS_3D = 30  # relief outs of a typical three days; more keeps tomorrow's starter in longer
UMPIRES = 89
UMPIRE_K_SD = 0.03  # spread of the umpires' strikeout multipliers
MANAGER_LEASH_SD = 0.05  # spread of the managers' leashes (multiplier of their starters' batters faced)
RELIEVER_K_RATE = 0.215  # relievers strike out more batters per PA than starters


@dataclass
class TeamSide:
    """One team's half of a game: its starter's line, its bullpen's, its manager."""

    team: str
    manager_id: str
    starter_id: str
    starter_bf: int
    starter_outs: int
    pitching: dict[str, int]  # the line its pitchers (starter + bullpen) allowed: pa, k, bb, hbp, h, hr, r
    relief_outs: int = 0
    relievers: int = 0


class GameContext:
    """The game context of the demo league: umpires, managers and bullpens (their own random stream, so
    the starters' draws keep their shape)."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng([seed, 13])
        # centred draws: the league's mean strikeouts and workload stay where the starters put them
        umpire_k = _centred(self.rng.normal(0.0, UMPIRE_K_SD, UMPIRES), 0.08)
        self.umpire_k = {f"ump{u:03d}": 1.0 + float(f) for u, f in enumerate(umpire_k, start=1)}
        self.managers: dict[str, str] = {}
        self.leash: dict[str, float] = {}
        self.hired = 0
        self.changes: dict[str, date] = {}
        self.relief: dict[str, list[tuple[date, int]]] = {t: [] for t in TEAMS}
        leashes = _centred(self.rng.normal(0.0, MANAGER_LEASH_SD, len(TEAMS)), 0.12)
        for team, leash in zip(TEAMS, leashes, strict=True):
            self._hire(team, 1.0 + float(leash))

    def _hire(self, team: str, leash: float | None = None) -> None:
        self.hired += 1
        manager = f"mgr{team.lower()}{self.hired:03d}"
        self.managers[team] = manager
        self.leash[manager] = (
            leash if leash is not None else float(np.clip(self.rng.normal(1.0, 0.05), 0.88, 1.12))
        )

    def new_season(self, start: date, end: date, first: bool) -> None:
        """Winter changes (not before the first season) and two mid-season firings."""
        if not first:
            for team in self.rng.choice(TEAMS, size=3, replace=False):
                self._hire(str(team))
        span = (end - start).days
        self.changes = {
            str(t): start + timedelta(days=int(self.rng.integers(40, span - 40)))
            for t in self.rng.choice(TEAMS, size=2, replace=False)
        }

    def manager_on(self, team: str, day: date) -> str:
        if self.changes.get(team) == day:
            self._hire(team)
            del self.changes[team]
        return self.managers[team]

    def umpire(self) -> str:
        return f"ump{int(self.rng.integers(1, UMPIRES + 1)):03d}"

    def workload_shift(self, team: str, day: date, unknown_days: int = 0) -> float:
        """Batters faced added to the starter's mean: the bullpen's relief outs of D-3 .. D-1 above normal
        (as seen before the last ``unknown_days`` of those games are played: they count as normal days)."""
        recent = sum(outs for d, outs in self.relief[team] if 1 + unknown_days <= (day - d).days <= 3)
        recent += unknown_days * BULLPEN_NORMAL_OUTS_3D / 3
        return float(np.clip(0.05 * (recent - BULLPEN_NORMAL_OUTS_3D), -1.5, 1.5))

    def bullpen(self, side: TeamSide, day: date, game_outs: int, k_rate: float) -> None:
        """The relievers finish the game: outs, relievers used, and the line they allow (added to the
        side's pitching line)."""
        rng = self.rng
        outs = max(game_outs - side.starter_outs, 0)
        non_outs = int(rng.negative_binomial(outs, 0.72)) if outs else 0
        walks = int(rng.binomial(non_outs, 0.27))
        hbp = int(rng.binomial(non_outs - walks, 0.04))
        hits = non_outs - walks - hbp
        homers = int(rng.binomial(hits, 0.13))
        strikeouts = int(rng.binomial(outs, min(k_rate / 0.72, 0.9)))
        runs = int(min(rng.poisson(0.3 * (hits + walks) + 0.6 * homers), 15)) if outs else 0
        side.relief_outs = outs
        side.relievers = 1 + int(rng.binomial(max(outs - 2, 0), 0.22)) if outs else 0
        for key, value in (("pa", outs + non_outs), ("k", strikeouts), ("bb", walks), ("hbp", hbp)):
            side.pitching[key] += value
        for key, value in (("h", hits), ("hr", homers), ("r", runs)):
            side.pitching[key] += value
        self.relief[side.team].append((day, outs))

    def extra_outs(self) -> int:
        """Outs beyond 27 in an extra-inning game (8% of games)."""
        return 3 * int(self.rng.integers(1, 4)) if self.rng.random() < 0.08 else 0


def _centred(draws: np.ndarray, bound: float) -> np.ndarray:
    """Draws clipped to +-bound and shifted to mean 0."""
    clipped = np.clip(draws, -bound, bound)
    return clipped - clipped.mean()


def team_game_rows(game_id: str, day: date, season: int, home: TeamSide, away: TeamSide) -> list[dict]:
    """The two team-game rows of a game: each team's batting line is what the other side's pitchers
    allowed; its own pitching outs, pitchers used, starter and manager."""
    rows = []
    for own, other, is_home in ((home, away, True), (away, home, False)):
        line = other.pitching
        rows.append(
            {
                "game_id": game_id,
                "game_date": day,
                "season": season,
                "game_number": 0,
                "team": own.team,
                "opponent": other.team,
                "is_home": is_home,
                "manager_id": own.manager_id,
                "batting_pa": line["pa"],
                "batting_ab": line["pa"] - line["bb"] - line["hbp"],
                "batting_strikeouts": line["k"],
                "batting_walks": line["bb"],
                "batting_hits": line["h"],
                "batting_home_runs": line["hr"],
                "runs": line["r"],
                "pitching_outs": own.starter_outs + own.relief_outs,
                "pitchers_used": 1 + own.relievers,
                "starter_id": own.starter_id,
                "starter_batters_faced": own.starter_bf,
                "lineup_ids": "|".join(f"{own.team.lower()}b{i:02d}" for i in range(9)),
            }
        )
    return rows
