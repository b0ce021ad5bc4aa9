"""MLB Stats API parsers for what `kzone fetch` lands besides the schedule (whose parser is
``python_models.ingest.schedule``, shared with `kzone load-probable-starters --format mlb-statsapi`):

- ``/api/v1/game/{gamePk}/boxscore`` of a final game -> the two starters' ``raw.pitcher_game_logs`` rows
  and the two ``raw.team_games`` rows, in the files' column set, so features computed from the feed equal
  those computed from the Retrosheet files for the same game;
- ``/api/v1/people?personIds=...`` -> ``raw.people`` rows for people the crosswalk does not know yet
  (under their provisional id, see ``python_models.ingest.crosswalk``);
- ``/api/v1/transactions`` -> ``raw.injured_list`` rows (pitchers placed on an injured list and not
  activated since).

Every person id (starter, lineup batter, home-plate umpire) goes through the crosswalk. The manager comes
from the team's ``coaches`` (job ``MNGR``), weather, wind and the start time from the box's ``info`` lines;
``park_id`` is the home team's park in the history (passed in). ``precip`` is not in the feed and stays
NULL, as in a file without the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from python_models.ingest.crosswalk import Crosswalk, provisional_id
from python_models.ingest.resolve import team_directory
from python_models.ingest.schedule import ScheduledGame

WIND_DIRECTIONS = {
    "out to cf": "tocf",
    "out to lf": "tolf",
    "out to rf": "torf",
    "in from cf": "fromcf",
    "in from lf": "fromlf",
    "in from rf": "fromrf",
    "l to r": "ltor",
    "r to l": "rtol",
    "calm": "calm",
    "varies": "varies",
    "none": "unknown",
}
SKY = {
    "sunny": "sunny",
    "clear": "sunny",
    "partly cloudy": "cloudy",
    "cloudy": "cloudy",
    "overcast": "overcast",
    "dome": "dome",
    "roof closed": "dome",
    "drizzle": "overcast",
    "rain": "overcast",
    "snow": "overcast",
}
_IL_PLACED = re.compile(r"placed .* on the (\d+)-day injured list", re.IGNORECASE)
_IL_OFF = re.compile(
    r"(activated|reinstated|returned) .* (from|off) the (\d+)-day injured list", re.IGNORECASE
)
_PITCHER = re.compile(r"\b(RHP|LHP)\b")


@dataclass
class BoxscoreRows:
    game_logs: list[dict[str, Any]] = field(default_factory=list)
    team_games: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    mlbam_ids: set[int] = field(default_factory=set)


def boxscore_people(doc: Any) -> set[int]:
    """Every MLBAM id a boxscore names as a starter or a lineup batter (to look up the unknown ones)."""
    ids: set[int] = set()
    for side in ("away", "home"):
        team = ((doc or {}).get("teams") or {}).get(side) or {}
        ids.update(int(i) for i in (team.get("battingOrder") or [])[:9])
        ids.update(int(i) for i in (team.get("pitchers") or [])[:1])
    return ids


def _stat(stats: dict, name: str) -> str | None:
    value = stats.get(name)
    return None if value is None else str(value)


def _info(doc: dict, label: str) -> str | None:
    for item in doc.get("info") or []:
        if isinstance(item, dict) and str(item.get("label", "")).lower() == label.lower():
            return str(item.get("value") or "").strip().rstrip(".")
    return None


def _weather(doc: dict) -> dict[str, str | None]:
    weather, wind = _info(doc, "Weather"), _info(doc, "Wind")
    temp = sky = speed = direction = None
    if weather:
        found = re.match(r"(-?\d+) degrees(?:, (.*))?", weather)
        if found:
            temp = f"{float(found.group(1))}"
            sky = SKY.get((found.group(2) or "").strip().lower())
    if wind:
        found = re.match(r"(\d+) mph(?:, (.*))?", wind)
        if found:
            speed = found.group(1)
            direction = WIND_DIRECTIONS.get((found.group(2) or "").strip().lower())
    return {"temp_f": temp, "sky": sky, "wind_speed_mph": speed, "wind_dir": direction}


def _decision(note: str | None) -> str:
    text = (note or "").strip()
    if text.startswith("(W"):
        return "W"
    if text.startswith("(L"):
        return "L"
    return "ND"


def _start_time(doc: dict) -> str | None:
    """The box's "First pitch" (local, "4:05 PM") in Retrosheet's form ("4:05PM")."""
    value = _info(doc, "First pitch")
    found = re.fullmatch(r"(\d{1,2}:\d{2})\s*([AP]M)", value or "", re.IGNORECASE)
    return f"{found.group(1)}{found.group(2).upper()}" if found else None


def _manager(team: dict, crosswalk: Crosswalk) -> str | None:
    for coach in team.get("coaches") or []:
        if isinstance(coach, dict) and str(coach.get("jobId") or coach.get("job") or "") in (
            "MNGR",
            "Manager",
        ):
            person = (coach.get("person") or {}).get("id")
            return crosswalk.person_id(int(person)) if person else None
    return None


def _lineup(team: dict) -> list[int]:
    return [int(i) for i in (team.get("battingOrder") or [])[:9]]


def _hands(lineup: list[int], crosswalk: Crosswalk, throws: str | None) -> dict[str, str | None]:
    bats = [(crosswalk.person(i).bats if crosswalk.person(i) else None) for i in lineup]
    if len(lineup) != 9 or None in bats:
        return {
            k: None for k in ("opp_lineup_lhb", "opp_lineup_rhb", "opp_lineup_swb", "opp_lineup_platoon_adv")
        }
    edge = sum(1 for b in bats if b == "B" or (throws in ("L", "R") and b != throws))
    return {
        "opp_lineup_lhb": str(bats.count("L")),
        "opp_lineup_rhb": str(bats.count("R")),
        "opp_lineup_swb": str(bats.count("B")),
        "opp_lineup_platoon_adv": str(edge) if throws in ("L", "R") else None,
    }


def parse_boxscore(
    doc: Any,
    game: ScheduledGame,
    crosswalk: Crosswalk,
    *,
    park_id: str | None = None,
    scheduled_innings: int | None = None,
) -> BoxscoreRows:
    """The two starters' game-log rows and the two team-game rows (strings, as a file's cells) of a final
    game's boxscore; a box without a starter or his pitching line is a problem, not a guess."""
    out = BoxscoreRows()
    where = f"boxscore of {game.label}"
    teams = (doc or {}).get("teams") if isinstance(doc, dict) else None
    if not isinstance(teams, dict) or not all(isinstance(teams.get(s), dict) for s in ("away", "home")):
        out.problems.append(f"{where}: no teams.away / teams.home")
        return out
    umpire = next(
        (
            o.get("official", {}).get("id")
            for o in doc.get("officials") or []
            if str(o.get("officialType", "")).lower() == "home plate"
        ),
        None,
    )
    uses_dh = any(
        str(((p.get("position") or {}).get("abbreviation")) or "") == "DH"
        for s in ("away", "home")
        for p in (teams[s].get("players") or {}).values()
        if p.get("battingOrder")
    )
    common = {
        "game_id": game.game_id,
        "game_date": game.game_date.isoformat(),
        "season": str(game.game_date.year),
        "game_number": str(game.game_number),
    }
    weather = _weather(doc)
    sides = {"home": game.home, "away": game.away}
    for side, other in (("away", "home"), ("home", "away")):
        team, opp = teams[side], teams[other]
        pitchers = team.get("pitchers") or []
        if not pitchers:
            out.problems.append(f"{where}.teams.{side}.pitchers: no pitcher listed")
            continue
        starter = int(pitchers[0])
        player = (team.get("players") or {}).get(f"ID{starter}") or {}
        line = (player.get("stats") or {}).get("pitching") or {}
        if line.get("outs") is None or line.get("battersFaced") is None or line.get("strikeOuts") is None:
            out.problems.append(f"{where}.teams.{side}.players.ID{starter}.stats.pitching: no pitching line")
            continue
        person = crosswalk.person(starter)
        throws = person.throws if person else None
        lineup = _lineup(team)
        opp_lineup = _lineup(opp)
        out.mlbam_ids.update([starter, *lineup, *opp_lineup])
        batting = (team.get("teamStats") or {}).get("batting") or {}
        pitching = (team.get("teamStats") or {}).get("pitching") or {}
        identity = {
            **common,
            "team": sides[side].retro_code,
            "opponent": sides[other].retro_code,
            "is_home": str(side == "home"),
        }
        outs = int(line["outs"])
        out.game_logs.append(
            {
                **identity,
                "pitcher_id": crosswalk.person_id(starter),
                "pitcher_name": (player.get("person") or {}).get("fullName"),
                "pitcher_throws": throws,
                "outs_recorded": str(outs),
                "innings_pitched": str(round(outs / 3, 4)),
                "batters_faced": _stat(line, "battersFaced"),
                "strikeouts": _stat(line, "strikeOuts"),
                "walks": _stat(line, "baseOnBalls"),
                "intentional_walks": _stat(line, "intentionalWalks"),
                "hits_allowed": _stat(line, "hits"),
                "doubles_allowed": _stat(line, "doubles"),
                "triples_allowed": _stat(line, "triples"),
                "home_runs_allowed": _stat(line, "homeRuns"),
                "runs_allowed": _stat(line, "runs"),
                "earned_runs": _stat(line, "earnedRuns"),
                "hit_batters": _stat(line, "hitBatsmen") or _stat(line, "hitByPitch"),
                "wild_pitches": _stat(line, "wildPitches"),
                "complete_game": str(len(pitchers) == 1),
                "decision": _decision(line.get("note")),
                "day_night": game.day_night,
                "park_id": park_id,
                "use_dh": str(uses_dh),
                "scheduled_innings": None if scheduled_innings is None else str(scheduled_innings),
                **weather,
                "start_time": _start_time(doc),
                "umpire_home_id": None if umpire is None else crosswalk.person_id(int(umpire)),
                **_hands(opp_lineup, crosswalk, throws),
                "opp_lineup_ids": "|".join(crosswalk.person_id(i) for i in opp_lineup)
                if len(opp_lineup) == 9
                else None,
            }
        )
        out.team_games.append(
            {
                **identity,
                "manager_id": _manager(team, crosswalk),
                "batting_pa": _stat(batting, "plateAppearances"),
                "batting_ab": _stat(batting, "atBats"),
                "batting_strikeouts": _stat(batting, "strikeOuts"),
                "batting_walks": _stat(batting, "baseOnBalls"),
                "batting_hits": _stat(batting, "hits"),
                "batting_home_runs": _stat(batting, "homeRuns"),
                "runs": _stat(batting, "runs"),
                "pitching_outs": _stat(pitching, "outs"),
                "pitchers_used": str(len(pitchers)),
                "starter_id": crosswalk.person_id(starter),
                "starter_batters_faced": _stat(line, "battersFaced"),
                "lineup_ids": "|".join(crosswalk.person_id(i) for i in lineup) if len(lineup) == 9 else None,
            }
        )
    return out


def parse_people(doc: Any) -> list[dict[str, Any]]:
    """``raw.people`` rows (strings) for the people of a ``/api/v1/people`` answer, under provisional ids."""
    rows = []
    for person in (doc or {}).get("people") or [] if isinstance(doc, dict) else []:
        if not isinstance(person, dict) or not person.get("id"):
            continue
        rows.append(
            {
                "pitcher_id": provisional_id(person["id"]),
                "first": person.get("useName") or person.get("firstName"),
                "last": person.get("lastName"),
                "throws": (person.get("pitchHand") or {}).get("code"),
                "bats": {"S": "B"}.get(
                    (person.get("batSide") or {}).get("code"), (person.get("batSide") or {}).get("code")
                ),
                "key_mlbam": str(person["id"]),
            }
        )
    return rows


def parse_injuries(doc: Any, day: date, crosswalk: Crosswalk, scraped_at: datetime) -> list[dict[str, Any]]:
    """``raw.injured_list`` rows: pitchers whose latest injured-list move up to ``day`` placed them on it.
    ``scraped_at`` is the morning's fixed scrape time, so refetching the day writes the same rows."""
    latest: dict[int, dict] = {}
    for move in sorted(
        (m for m in (doc or {}).get("transactions") or [] if isinstance(m, dict)),
        key=lambda m: (str(m.get("effectiveDate") or m.get("date") or ""), m.get("id") or 0),
    ):
        text = str(move.get("description") or "")
        person = (move.get("person") or {}).get("id")
        when = str(move.get("effectiveDate") or move.get("date") or "")[:10]
        if not person or not when or when > day.isoformat() or not _PITCHER.search(text):
            continue
        if _IL_PLACED.search(text) or _IL_OFF.search(text):
            latest[int(person)] = move
    rows = []
    for person, move in sorted(latest.items()):
        placed = _IL_PLACED.search(str(move.get("description")))
        if not placed or not crosswalk.knows(person):  # only people this warehouse scores
            continue
        team = team_directory().by_mlb_id((move.get("toTeam") or move.get("fromTeam") or {}).get("id"))
        rows.append(
            {
                "pitcher_id": crosswalk.person_id(person),
                "pitcher_name": (move.get("person") or {}).get("fullName"),
                "team": team.retro_code if team else None,
                "status": f"IL{placed.group(1)}",
                "scraped_at": scraped_at.isoformat(),
            }
        )
    return rows
