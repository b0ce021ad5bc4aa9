"""One resolver for every feed: team names/codes/ids to Retrosheet codes, pitcher names to pitcher ids.

Real line files and odds feeds name pitchers ("J.A. Happ", "Hyun-Jin Ryu", "Zach Wheeler") and teams ("New
York Yankees", NYY, NYA, 147) their own way. Names are compared after :func:`normalize_name` (accents, case,
punctuation, Jr./Sr./II/III/IV and spaces ignored), then through the curated aliases in
``seeds/pitcher_name_aliases.csv``. A name resolves in two steps:

1. the **starters of that date** (``raw.probable_starters`` and ``raw.pitcher_game_logs`` rows on the
   date; real historical data has only game logs), narrowed by the team(s) given;
2. else **every pitcher the warehouse knows** (every name either table ever gave him: what
   ``dim_pitchers`` is built from), narrowed to pitchers seen with the team(s) given.

Exactly one candidate resolves; none or two (or more) do not: an ambiguous name is reported with its
candidates, never guessed. The resolver reads the raw tables and the seed files directly, so it works
before dbt has ever run.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from python_models.dbt.project import PROJECT_ROOT
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import GAME_LOGS, PROBABLE_STARTERS

SEEDS = PROJECT_ROOT / "seeds"
TEAM_SEED = SEEDS / "team_codes.csv"
ALIAS_SEED = SEEDS / "pitcher_name_aliases.csv"
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc]")
_TOKENS = re.compile(r"[a-z0-9]+")


def normalize_name(name: str) -> str:
    """A comparison key: "José Ramírez Jr." = "jose ramirez" = "JOSE RAMIREZ"; "J.A. Happ" = "JA Happ" =
    "J. A. Happ"; "Hyun-Jin Ryu" = "Hyun Jin Ryu"; "Riley O`Brien" = "Riley O'Brien"; "Cole, Gerrit" =
    "Gerrit Cole"."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    if text.count(",") == 1:  # "Last, First" (but not "Acuña, Jr.")
        last, first = (part.strip() for part in text.split(","))
        if first and _TOKENS.findall(first) and not set(_TOKENS.findall(first)) <= NAME_SUFFIXES:
            text = f"{first} {last}"
    tokens = _TOKENS.findall(text)
    while len(tokens) > 2 and tokens[-1] in NAME_SUFFIXES:
        tokens.pop()
    return "".join(tokens)


# --- teams -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Team:
    retro_code: str
    team_code: str
    name: str
    mlb_team_id: int


class TeamDirectory:
    """Every form of a team a feed uses (Retrosheet or MLB code, other abbreviations, current and earlier
    full names, MLB Stats API id) mapped to the team; codes are what the raw tables hold (Retrosheet)."""

    def __init__(self, teams: Iterable[tuple[Team, Iterable[str], Iterable[str]]]) -> None:
        self._by_form: dict[str, Team] = {}
        self._by_mlb_id: dict[int, Team] = {}
        for team, other_codes, other_names in teams:
            forms = [team.retro_code, team.team_code, *other_codes]
            keys = [f"code:{c.upper()}" for c in forms] + [
                f"name:{normalize_name(n)}" for n in (team.name, *other_names)
            ]
            for key in keys:
                if self._by_form.setdefault(key, team) != team:
                    raise ValueError(f"team form {key!r} names two teams in {TEAM_SEED.name}")
            self._by_mlb_id[team.mlb_team_id] = team

    @classmethod
    def from_seed(cls, path: Path = TEAM_SEED) -> TeamDirectory:
        def split(cell: str) -> list[str]:
            return [part.strip() for part in (cell or "").split("|") if part.strip()]

        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return cls(
            (
                Team(r["retro_code"], r["team_code"], r["team_name"], int(r["mlb_team_id"])),
                split(r["other_codes"]),
                split(r["other_names"]),
            )
            for r in rows
        )

    def find(self, value: object) -> Team | None:
        """The team a code ("NYY", "nya") or a full name ("New York Yankees") means; None if unknown."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = str(value).strip()
        return self._by_form.get(f"code:{text.upper()}") or self._by_form.get(f"name:{normalize_name(text)}")

    def code(self, value: object) -> str | None:
        """Retrosheet code of a team given in any form (None if unknown)."""
        team = self.find(value)
        return team.retro_code if team else None

    def retro_codes(self) -> list[str]:
        """Every team's Retrosheet code (what the raw tables hold), sorted."""
        return sorted({t.retro_code for t in self._by_form.values()})

    def by_mlb_id(self, team_id: object) -> Team | None:
        try:
            return self._by_mlb_id.get(int(team_id))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return None


@lru_cache(maxsize=1)
def team_directory() -> TeamDirectory:
    return TeamDirectory.from_seed()


def read_aliases(path: Path = ALIAS_SEED) -> dict[str, set[str]]:
    """Normalised alias -> pitcher ids (normally one)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("alias") and row.get("pitcher_id"):
                aliases[normalize_name(row["alias"])].add(row["pitcher_id"].strip())
    return dict(aliases)


# --- pitchers ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resolution:
    """The outcome for one name: a pitcher id (and the game on the slate when found there), or why not."""

    pitcher_id: str | None
    reason: str = ""
    game_id: str | None = None
    via: str = ""  # "slate" or "warehouse"

    @property
    def resolved(self) -> bool:
        return self.pitcher_id is not None


@dataclass
class PitcherDirectory:
    """What the warehouse knows about pitchers: every (pitcher, name, team, date, game) it holds."""

    appearances: pd.DataFrame  # pitcher_id, pitcher_name, team (any form), game_date, game_id
    aliases: dict[str, set[str]] = field(default_factory=dict)
    teams: TeamDirectory = field(default_factory=team_directory)

    def __post_init__(self) -> None:
        frame = self.appearances.dropna(subset=["pitcher_id", "pitcher_name"]).copy()
        frame["key"] = frame["pitcher_name"].map(normalize_name)
        frame["team_code"] = frame["team"].map(lambda t: self.teams.code(t) or t)
        frame["game_date"] = pd.to_datetime(frame["game_date"]).dt.date
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._teams_of: dict[str, set[str]] = defaultdict(set)
        self._slate: dict[date, dict[str, tuple[str | None, str | None]]] = defaultdict(dict)
        for pid, key, team, day, game in frame[
            ["pitcher_id", "key", "team_code", "game_date", "game_id"]
        ].itertuples(index=False):
            self._by_key[key].add(pid)
            if isinstance(team, str):
                self._teams_of[pid].add(team)
            self._slate[day][pid] = (
                team if isinstance(team, str) else None,
                game if isinstance(game, str) else None,
            )
        self._known = set(self._teams_of) | {p for ids in self._by_key.values() for p in ids}

    @classmethod
    def from_warehouse(cls, wh: Warehouse, aliases: dict[str, set[str]] | None = None) -> PitcherDirectory:
        """Read every appearance from the raw game logs and probable starters (dbt need not have run)."""
        parts = [
            f"select distinct pitcher_id, pitcher_name, team, game_date, game_id from {wh.relation(s.layer, s.name)} "
            "where pitcher_id is not null"  # a scratch row names no starter
            for s in (GAME_LOGS, PROBABLE_STARTERS)
            if wh.table_exists(s.layer, s.name)
        ]
        columns = ["pitcher_id", "pitcher_name", "team", "game_date", "game_id"]
        frame = wh.query(" union all ".join(parts)) if parts else pd.DataFrame(columns=columns)
        if frame.empty:
            frame = pd.DataFrame(columns=columns)
        return cls(frame, read_aliases() if aliases is None else aliases)

    def _candidates(self, key: str) -> set[str]:
        return self._by_key.get(key, set()) | self.aliases.get(key, set())

    def resolve(self, name: object, game_date: date | None, teams: Iterable[str] | None = None) -> Resolution:
        """Resolve one name on a date, optionally narrowed to the given teams (any form)."""
        key = normalize_name(str(name)) if isinstance(name, str) else ""
        if not key:
            return Resolution(None, "no pitcher name")
        wanted = {self.teams.code(t) or str(t) for t in (teams or ()) if t}
        team_text = f" for {'/'.join(sorted(wanted))}" if wanted else ""
        candidates = self._candidates(key)

        slate = self._slate.get(game_date, {}) if game_date else {}
        on_slate = {
            pid: info
            for pid, info in slate.items()
            if pid in candidates and (not wanted or info[0] in wanted)
        }
        if len(on_slate) == 1:
            pid, (_, game_id) = next(iter(on_slate.items()))
            return Resolution(pid, game_id=game_id, via="slate")
        if len(on_slate) > 1:
            return Resolution(
                None,
                f"ambiguous: {len(on_slate)} starters on {game_date} named {name!r}{team_text} ({', '.join(sorted(on_slate))})",
            )

        known = candidates & self._known
        narrowed = {pid for pid in known if not wanted or self._teams_of.get(pid, set()) & wanted}
        if len(narrowed) == 1:
            return Resolution(next(iter(narrowed)), via="warehouse")
        if len(narrowed) > 1:
            return Resolution(
                None,
                f"ambiguous: {len(narrowed)} pitchers named {name!r}{team_text} and none of them starts on "
                f"{game_date} ({', '.join(sorted(narrowed))}); add a team or an alias",
            )
        if known:
            seen = "; ".join(
                f"{pid}: {'/'.join(sorted(self._teams_of.get(pid, set()))) or '?'}" for pid in sorted(known)
            )
            return Resolution(
                None,
                f"no pitcher named {name!r}{team_text} ({seen} seen with other teams; a traded pitcher "
                "resolves once that date's probable starters are loaded)",
            )
        unknown_alias = candidates - self._known
        if unknown_alias:
            return Resolution(
                None,
                f"alias {name!r} means {', '.join(sorted(unknown_alias))}, who is not in this warehouse's game logs "
                "or probable starters",
            )
        return Resolution(
            None, f"no pitcher named {name!r} in this warehouse's game logs or probable starters"
        )
