"""`kzone load-probable-starters --format mlb-statsapi`: probable starters from the MLB Stats API schedule.

The response of ``/api/v1/schedule?sportId=1&date=...&hydrate=probablePitcher`` (``dates[].games[]``) is
turned into ``raw.probable_starters`` rows:

- MLBAM person ids map to this warehouse's pitcher ids through ``raw.people`` (``key_mlbam``; load the
  register with ``kzone load-people``); team ids map to Retrosheet codes through ``seeds/team_codes.csv``.
- ``game_id`` is built in Retrosheet's style, so results from game logs join later: the home team's
  Retrosheet code + YYYYMMDD (the game's official local date) + game number (0 single game, 1/2 the games
  of a doubleheader).
- ``first_pitch_at`` = ``gameDate`` (UTC). ``announced_at`` = when the file was written (its modification
  time, UTC), or first pitch when the file is older news than that (a schedule fetched after the game):
  a starter is never announced after first pitch.

Games without an announced starter, starters without a known MLBAM mapping, and postponed, cancelled or
suspended games are reported (and not loaded as starters), never invented. A side of a listed game with no
probable pitcher whose starter was loaded before is a scratch (:func:`add_scratches`, the one rule ``kzone
fetch`` applies too): a row with ``is_scratched`` and no pitcher, which withdraws his predictions in dbt.
Every game's status goes to ``raw.game_statuses`` (one row per game per report): a game called off
withdraws the predictions already made for it (dbt, int_games_called_off), and a later report that it is on
again brings them back. A malformed game (no gamePk, an unknown team id, a bad time) rejects the whole file,
naming its path in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from python_models.ingest.loaders import absent_optional, load_frame, read_json_document
from python_models.ingest.resolve import Team, team_directory
from python_models.ingest.validation import DataValidationError, validate_frame
from python_models.warehouse.base import MergeResult, Warehouse
from python_models.warehouse.raw_tables import GAME_STATUSES, PEOPLE, PROBABLE_STARTERS

FORMATS = ("csv", "mlb-statsapi")
# A game called off: its predictions are withdrawn (dbt reads raw.game_statuses.is_called_off). The
# detailed state may carry a reason after a colon ("Suspended: Rain", "Postponed: Inclement Weather").
NOT_PLAYED_STATES = ("postponed", "cancelled", "canceled", "suspended")
NOT_PLAYED_CODES = ("D", "C")  # status.codedGameState: postponed, cancelled
STATSAPI_FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("dates[].date", "date", False, "The schedule date (fallback for a game's officialDate)."),
    ("dates[].games[].gamePk", "int64", True, "The game (named in reports)."),
    ("…games[].gameDate", "timestamp", True, "Scheduled first pitch (UTC) → first_pitch_at."),
    (
        "…games[].officialDate",
        "date",
        False,
        "Local date of the game → game_date and the game_id's date (else dates[].date).",
    ),
    (
        "…games[].doubleHeader",
        "string",
        False,
        "N (single game), Y or S: a doubleheader game is numbered gameNumber, else 0.",
    ),
    ("…games[].gameNumber", "int64", False, "1 or 2 in a doubleheader → game_id's last digit."),
    (
        "…games[].status.detailedState / .codedGameState",
        "string",
        False,
        "Every game's status → raw.game_statuses; Postponed, Cancelled, Suspended (or D/C) games are "
        "reported, their starters not loaded, their predictions withdrawn.",
    ),
    ("…games[].dayNight", "string", False, "day or night → day_night."),
    (
        "…games[].teams.{away,home}.team.id",
        "int64",
        True,
        "MLB team id → team / opponent (Retrosheet code) through seeds/team_codes.csv.",
    ),
    ("…games[].teams.{away,home}.team.name", "string", False, "Team name (named in reports)."),
    (
        "…games[].teams.{away,home}.probablePitcher.id",
        "int64",
        False,
        "MLBAM id → pitcher_id through raw.people.key_mlbam; absent = no announced starter (reported); "
        "absent where a starter was loaded before = a scratch row (his predictions are withdrawn).",
    ),
    ("…games[].teams.{away,home}.probablePitcher.fullName", "string", False, "→ pitcher_name."),
)


@dataclass
class StartersLoad:
    source: str
    games: int
    result: MergeResult | None = None
    reported: list[str] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return self.result.rows_in_batch if self.result else 0


def people_by_mlbam(wh: Warehouse) -> dict[int, tuple[str, str | None]]:
    """MLBAM id -> (pitcher_id, throws) from raw.people (empty when no register was loaded)."""
    if not wh.table_exists(PEOPLE.layer, PEOPLE.name):
        return {}
    rows = wh.query(
        f"select key_mlbam, pitcher_id, throws from {wh.relation(PEOPLE.layer, PEOPLE.name)} "
        "where key_mlbam is not null"
    )
    return {
        int(r.key_mlbam): (str(r.pitcher_id), None if pd.isna(r.throws) else str(r.throws))
        for r in rows.itertuples(index=False)
    }


def _game_date(game: dict, schedule_date: Any, first_pitch: pd.Timestamp) -> date:
    for value in (game.get("officialDate"), schedule_date):
        if value:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                continue
    return first_pitch.tz_convert("America/New_York").date()


def _file_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(tzinfo=None)


def _state(game: dict) -> str:
    status = game.get("status") or {}
    return str(
        status.get("detailedState") or status.get("abstractGameState") or status.get("codedGameState") or ""
    )


def _not_played(game: dict) -> str | None:
    state = _state(game)
    called_off = state.split(":")[0].strip().lower() in NOT_PLAYED_STATES
    if called_off or (game.get("status") or {}).get("codedGameState") in NOT_PLAYED_CODES:
        return state
    return None


@dataclass
class _Parse:
    rows: list[dict[str, Any]] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)  # raw.game_statuses, every game
    reported: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    games: int = 0
    vacant: list[dict[str, Any]] = field(default_factory=list)  # sides of a game on, with no probable named


@dataclass(frozen=True)
class ScheduledGame:
    """One game of a schedule response, with its canonical (Retrosheet-form) game id."""

    game_pk: int
    game_id: str
    game_date: date
    game_number: int
    home: Team
    away: Team
    first_pitch_at: pd.Timestamp  # UTC, naive
    day_night: str | None
    state: str  # detailedState (or abstractGameState)
    not_played: str | None  # Postponed/Cancelled/Suspended, else None
    label: str
    scheduled_innings: int | None = None

    @property
    def is_final(self) -> bool:
        return self.not_played is None and self.state.lower().startswith(("final", "game over", "completed"))


def schedule_game(path: str, game: Any, schedule_date: Any, problems: list[str]) -> ScheduledGame | None:
    """The identity of one schedule game (the one place the canonical game id is built); a malformed game
    appends its problem to ``problems`` and returns None."""
    if not isinstance(game, dict) or not game.get("gamePk"):
        problems.append(f"{path}: a game without a gamePk")
        return None
    teams_dir = team_directory()
    sides: dict[str, Team] = {}
    for side in ("away", "home"):
        team_id = ((game.get("teams") or {}).get(side) or {}).get("team", {}).get("id")
        team = teams_dir.by_mlb_id(team_id)
        if team is None:
            problems.append(
                f"{path}.teams.{side}.team.id: {team_id!r} is not an MLB team id of seeds/team_codes.csv"
            )
            return None
        sides[side] = team
    first_pitch = pd.to_datetime(game.get("gameDate"), utc=True, errors="coerce")
    if pd.isna(first_pitch):
        problems.append(f"{path}.gameDate: {game.get('gameDate')!r} is not a valid timestamp")
        return None
    day = _game_date(game, schedule_date, first_pitch)
    doubleheader = str(game.get("doubleHeader") or "N").upper() != "N"
    number = int(game.get("gameNumber") or 1) if doubleheader else 0
    return ScheduledGame(
        game_pk=int(game["gamePk"]),
        game_id=f"{sides['home'].retro_code}{day:%Y%m%d}{number}",
        game_date=day,
        game_number=number,
        home=sides["home"],
        away=sides["away"],
        first_pitch_at=first_pitch.tz_convert("UTC").tz_localize(None),
        day_night=game.get("dayNight"),
        state=_state(game),
        not_played=_not_played(game),
        scheduled_innings=int(game["scheduledInnings"])
        if str(game.get("scheduledInnings", "")).isdigit()
        else None,
        label=f"gamePk {game['gamePk']} ({sides['away'].team_code} at {sides['home'].team_code}, "
        f"{game.get('gameDate')})",
    )


def schedule_games(doc: Any, source: str) -> list[tuple[str, dict, ScheduledGame]]:
    """Every game of a schedule response as (JSON path, raw game, identity); a malformed one rejects the
    document (DataValidationError naming ``source``)."""
    dates = doc.get("dates") if isinstance(doc, dict) else None
    if not isinstance(dates, list):
        raise DataValidationError(source, ["$: not a schedule response (no dates[] list)"])
    problems: list[str] = []
    games = []
    for i, block in enumerate(dates):
        for j, game in enumerate((block or {}).get("games") or []):
            path = f"$.dates[{i}].games[{j}]"
            found = schedule_game(path, game, (block or {}).get("date"), problems)
            if found is not None:
                games.append((path, game, found))
    if problems:
        raise DataValidationError(source, problems)
    return games


def _parse_game(
    path: str,
    game: dict,
    found: ScheduledGame,
    people: dict[int, tuple[str, str | None]],
    announced_by: datetime,
    parsed: _Parse,
) -> None:
    parsed.games += 1
    sides = {"home": found.home, "away": found.away}
    label = found.label
    parsed.statuses.append(
        {
            "game_id": found.game_id,
            "game_date": found.game_date.isoformat(),
            "game_pk": str(found.game_pk),
            "game_status": found.state or "unknown",
            "is_called_off": str(found.not_played is not None),
            "reported_at": pd.Timestamp(announced_by).isoformat(),
        }
    )
    if found.not_played:
        parsed.reported.append(f"{label}: {found.not_played}, not loaded; its predictions are withdrawn")
        return
    day = found.game_date
    first_pitch_at = found.first_pitch_at
    announced_at = min(pd.Timestamp(announced_by), first_pitch_at)
    for side, other in (("away", "home"), ("home", "away")):
        team = sides[side]
        probable = ((game["teams"].get(side) or {}).get("probablePitcher")) or {}
        row = {
            "game_id": found.game_id,
            "game_date": day.isoformat(),
            "team": team.retro_code,
            "opponent": sides[other].retro_code,
            "is_home": str(side == "home"),
            "day_night": found.day_night,
            "first_pitch_at": first_pitch_at.isoformat(),
            "announced_at": announced_at.isoformat(),
        }
        if not probable.get("id"):
            parsed.reported.append(f"{label}: no announced starter for {team.team_code}, not loaded")
            parsed.vacant.append({**row, "where": f"{path}.teams.{side}", "label": label})
            continue
        mapped = people.get(int(probable["id"]))
        if mapped is None:
            parsed.reported.append(
                f"{label}: {probable.get('fullName', '?')} (MLBAM {probable['id']}, {team.team_code}) has no "
                "pitcher_id in raw.people: load a people file with his key_mlbam (kzone load-people), then reload"
            )
            continue
        parsed.rows.append(
            {
                **row,
                "pitcher_id": mapped[0],
                "pitcher_name": probable.get("fullName"),
                "pitcher_throws": mapped[1],
            }
        )
        parsed.where.append(f"{path}.teams.{side}.probablePitcher")


def parse_schedule(
    doc: Any, source: str, people: dict[int, tuple[str, str | None]], announced_by: datetime
) -> _Parse:
    """The probable-starter rows (strings) of a schedule response, and what was reported, not loaded."""
    parsed = _Parse()
    for path, game, found in schedule_games(doc, source):
        _parse_game(path, game, found, people, announced_by, parsed)
    _drop_second_starts(parsed)
    return parsed


def add_scratches(wh: Warehouse, parsed: _Parse) -> list[str]:
    """THE rule for a starter no longer announced (``kzone fetch`` and ``kzone load-probable-starters
    --format mlb-statsapi`` alike): a side of a game the schedule lists (not called off) with no probable
    pitcher, whose current row in raw.probable_starters names a starter, gets a scratch row (is_scratched,
    no pitcher, announced_at = this schedule's time), kept in raw and in its history like any announcement,
    so the latest announcement still wins: a replacement or the same pitcher announced later replaces it,
    an older schedule reloaded later never does. dbt withdraws the scratched starter's predictions
    (int_probable_starters_scratched). A side never announced, or already scratched, adds nothing (a rerun
    changes nothing). Returns the pitcher_ids scratched."""
    if not parsed.vacant or not wh.table_exists(PROBABLE_STARTERS.layer, PROBABLE_STARTERS.name):
        return []
    rel = wh.relation(PROBABLE_STARTERS.layer, PROBABLE_STARTERS.name)
    stored = wh.query(
        f"select game_id, team, pitcher_id from {rel} "
        "where pitcher_id is not null and game_id in (select * from unnest(@ids))",
        {"ids": sorted({v["game_id"] for v in parsed.vacant})},
    )
    named = {(r.game_id, r.team): str(r.pitcher_id) for r in stored.itertuples(index=False)}
    scratched = []
    for vacancy in parsed.vacant:
        row = {k: v for k, v in vacancy.items() if k not in ("where", "label")}
        pitcher = named.get((row["game_id"], row["team"]))
        if pitcher is None:
            continue
        parsed.rows.append({**row, "pitcher_id": None, "pitcher_name": None, "is_scratched": "True"})
        parsed.where.append(vacancy["where"])
        parsed.reported.append(
            f"{vacancy['label']}: starter {pitcher} ({row['team']}) scratched, no replacement announced yet: "
            "his predictions are withdrawn"
        )
        scratched.append(pitcher)
    return scratched


def load_statsapi_schedule(wh: Warehouse, path: Path) -> StartersLoad:
    """Load the announced starters of an MLB Stats API schedule response; report what cannot be loaded. A
    starter loaded before whom this file's game lists no more is scratched (:func:`add_scratches`)."""
    doc = read_json_document(path)
    parsed = parse_schedule(doc, str(path), people_by_mlbam(wh), _file_time(path))
    add_scratches(wh, parsed)
    load = StartersLoad(path.name, parsed.games, reported=parsed.reported)
    if parsed.statuses:  # every game's status (a called-off game withdraws its predictions in dbt)
        frame = pd.DataFrame(parsed.statuses).astype("string")
        load_frame(wh, GAME_STATUSES, validate_frame(frame, GAME_STATUSES, str(path)), path.name)
    if parsed.rows:
        frame = pd.DataFrame(parsed.rows).astype("string")
        typed = validate_frame(frame, PROBABLE_STARTERS, str(path), locators=parsed.where)
        # what the feed does not carry (lineups, park, umpire...) keeps what an earlier CSV load stored
        absent = absent_optional(PROBABLE_STARTERS, list(frame.columns))
        load.result = load_frame(wh, PROBABLE_STARTERS, typed, path.name, absent=absent)
    return load


def _drop_second_starts(parsed: _Parse) -> None:
    """A pitcher announced for two games on one date (the feed sometimes names one probable for both games
    of a doubleheader): which game he starts is not known, so neither row is loaded, both are reported."""
    seen: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(parsed.rows):
        seen.setdefault((row["pitcher_id"], row["game_date"]), []).append(i)
    dropped = {i for rows in seen.values() if len(rows) > 1 for i in rows}
    for i in sorted(dropped):
        row = parsed.rows[i]
        parsed.reported.append(
            f"{parsed.where[i]}: {row['pitcher_name']} ({row['pitcher_id']}, {row['team']}) is announced for "
            f"two games on {row['game_date']} ({row['game_id']} and another), not loaded: which one he starts "
            "is not known"
        )
    parsed.rows = [r for i, r in enumerate(parsed.rows) if i not in dropped]
    parsed.where = [w for i, w in enumerate(parsed.where) if i not in dropped]
