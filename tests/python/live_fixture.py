"""A local stand-in of the MLB Stats API and The Odds API (pytest-httpserver), serving payloads in the feeds'
real shapes, built from rows in this warehouse's own form (the "truth" a test expects to land back).

Shapes follow recorded public payloads: ``/api/v1/schedule`` (``dates[].games[]`` with ``gamePk``,
``gameDate``, ``officialDate``, ``status``, ``teams.{away,home}.{team,probablePitcher}``, ``doubleHeader``,
``gameNumber``, ``dayNight``), ``/api/v1/game/{pk}/boxscore`` (``teams.{away,home}.{team,teamStats,
players,pitchers,battingOrder,coaches}``, ``officials``, ``info``), ``/api/v1/people`` (``people[]`` with
``pitchHand``/``batSide``), ``/api/v1/transactions``, and The Odds API v4 ``/events`` and
``/events/{id}/odds`` (``bookmakers[].markets[].outcomes[]`` with ``name``/``description``/``price``/``point``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from werkzeug import Request, Response

from python_models.ingest.resolve import team_directory

KEY = "s3cr3t-odds-key-123"


def mlb_team(code: str) -> dict[str, Any]:
    team = team_directory().find(code)
    assert team is not None, code
    return {"id": team.mlb_team_id, "name": team.name}


def schedule_game(
    game_pk: int,
    day: str,
    home: str,
    away: str,
    *,
    state: str = "Final",
    first_pitch: str | None = None,
    game_number: int = 1,
    double_header: str = "N",
    probables: dict[str, tuple[int, str] | None] | None = None,
    day_night: str = "night",
) -> dict[str, Any]:
    coded = {"Final": "F", "Postponed": "D", "Scheduled": "S", "Pre-Game": "P"}.get(state, "S")
    teams: dict[str, Any] = {}
    for side, code in (("away", away), ("home", home)):
        teams[side] = {"team": mlb_team(code)}
        probable = (probables or {}).get(side)
        if probable:
            teams[side]["probablePitcher"] = {"id": probable[0], "fullName": probable[1]}
    return {
        "gamePk": game_pk,
        "gameType": "R",
        "season": day[:4],
        "gameDate": first_pitch or f"{day}T23:05:00Z",
        "officialDate": day,
        "status": {
            "abstractGameState": "Final" if state == "Final" else "Preview",
            "codedGameState": coded,
            "detailedState": state,
        },
        "teams": teams,
        "doubleHeader": double_header,
        "gameNumber": game_number,
        "dayNight": day_night,
        "scheduledInnings": 9,
    }


def schedule_doc(day: str, games: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "totalGames": len(games),
        "dates": [{"date": day, "totalGames": len(games), "games": games}] if games else [],
    }


def _int(value: Any) -> int:
    return int(float(value))


def boxscore_doc(
    logs: list[dict[str, Any]], teams: list[dict[str, Any]], mlbam: dict[str, int]
) -> dict[str, Any]:
    """A final game's boxscore from its two game-log rows and two team-game rows (warehouse form)."""
    by_team = {str(t["team"]): t for t in teams}
    out: dict[str, Any] = {"teams": {}, "officials": [], "info": []}
    for log in logs:
        side = "home" if str(log["is_home"]).lower() == "true" else "away"
        team = by_team[str(log["team"])]
        starter = mlbam[str(log["pitcher_id"])]
        lineup = [mlbam[p] for p in str(team["lineup_ids"]).split("|")]
        relievers = [starter * 10 + i for i in range(1, _int(team["pitchers_used"]))]
        players = {
            f"ID{pid}": {
                "person": {"id": pid, "fullName": f"Batter {pid}"},
                "battingOrder": str(100 * (i + 1)),
                "position": {"abbreviation": "DH" if i == 8 else "RF"},
                "stats": {"batting": {}, "pitching": {}},
            }
            for i, pid in enumerate(lineup)
        }
        players[f"ID{starter}"] = {
            "person": {"id": starter, "fullName": log["pitcher_name"]},
            "position": {"abbreviation": "P"},
            "stats": {
                "pitching": {
                    "outs": _int(log["outs_recorded"]),
                    "battersFaced": _int(log["batters_faced"]),
                    "strikeOuts": _int(log["strikeouts"]),
                    "baseOnBalls": _int(log["walks"]),
                    "hits": _int(log["hits_allowed"]),
                    "runs": _int(log.get("runs_allowed") or 0),
                    "earnedRuns": _int(log["earned_runs"]),
                    "note": {"W": "(W, 1-0)", "L": "(L, 0-1)"}.get(str(log.get("decision"))),
                }
            },
        }
        out["teams"][side] = {
            "team": mlb_team(str(log["team"])),
            "teamStats": {
                "batting": {
                    "plateAppearances": _int(team["batting_pa"]),
                    "atBats": _int(team["batting_ab"]),
                    "strikeOuts": _int(team["batting_strikeouts"]),
                    "baseOnBalls": _int(team["batting_walks"]),
                    "hits": _int(team["batting_hits"]),
                    "homeRuns": _int(team["batting_home_runs"]),
                    "runs": _int(team["runs"]),
                },
                "pitching": {"outs": _int(team["pitching_outs"])},
            },
            "players": players,
            "batters": lineup,
            "pitchers": [starter, *relievers],
            "battingOrder": lineup,
            "coaches": [],
        }
    return out


def people_doc(people: dict[int, tuple[str, str, str, str]]) -> dict[str, Any]:
    """``/api/v1/people``: {mlbam: (first, last, throws, bats)}."""
    return {
        "people": [
            {
                "id": pid,
                "fullName": f"{f} {last}",
                "firstName": f,
                "lastName": last,
                "pitchHand": {"code": t},
                "batSide": {"code": "S" if b == "B" else b},
            }
            for pid, (f, last, t, b) in people.items()
        ]
    }


def odds_event(
    event_id: str, home: str, away: str, commence: str, props: list[tuple[str, float, int, int]]
) -> dict:
    """One event's odds: a pitcher_strikeouts market and a batter prop market (to be ignored)."""
    outcomes = []
    for name, point, over, under in props:
        outcomes += [
            {"name": "Over", "description": name, "price": over, "point": point},
            {"name": "Under", "description": name, "price": under, "point": point},
        ]
    return {
        "id": event_id,
        "sport_key": "baseball_mlb",
        "commence_time": commence,
        "home_team": mlb_team(home)["name"],
        "away_team": mlb_team(away)["name"],
        "bookmakers": [
            {
                "key": "draftkings",
                "title": "DraftKings",
                "last_update": commence.replace("T23", "T15").replace("T17", "T12"),
                "markets": [
                    {
                        "key": "pitcher_strikeouts",
                        "last_update": commence.replace("T23", "T15").replace("T17", "T12"),
                        "outcomes": outcomes,
                    },
                    {
                        "key": "batter_hits",
                        "outcomes": [
                            {"name": "Over", "description": "Some Batter", "price": -150, "point": 0.5},
                            {"name": "Under", "description": "Some Batter", "price": 120, "point": 0.5},
                        ],
                    },
                ],
            }
        ],
    }


class StandIn:
    """Both APIs on one local server. Every distinct request answers 503 (Retry-After: 0) the first time it
    is asked when ``flaky``; The Odds API answers 401 without the right key."""

    def __init__(self, httpserver: Any, *, flaky: bool = True, key: str = KEY) -> None:
        self.server, self.flaky, self.key = httpserver, flaky, key
        self.schedules: dict[str, dict] = {}
        self.boxscores: dict[int, dict] = {}
        self.people: dict[int, tuple[str, str, str, str]] = {}
        self.transactions: dict = {"transactions": []}
        self.events: list[dict] = []
        self.asked: Counter = Counter()
        self.down: tuple[str, ...] = ()  # path prefixes that answer 503 every time
        self.urls: list[str] = []
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def handle(self, request: Request) -> Response:
        self.urls.append(request.full_path)
        self.asked[request.full_path] += 1
        if request.path.startswith(self.down) or (self.flaky and self.asked[request.full_path] == 1):
            return Response("busy", status=503, headers={"Retry-After": "0"})
        path, args = request.path, request.args
        if path.startswith("/v4/"):
            if args.get("apiKey") != self.key:
                return Response(json.dumps({"message": "API key is not valid"}), status=401)
            if path.endswith("/events"):
                return self._json(
                    [
                        {k: e[k] for k in ("id", "sport_key", "commence_time", "home_team", "away_team")}
                        for e in self.events
                    ],
                    {"x-requests-remaining": "480", "x-requests-used": "20"},
                )
            found = re.match(r".*/events/([^/]+)/odds$", path)
            event = next((e for e in self.events if found and e["id"] == found.group(1)), None)
            return self._json(event) if event else Response("{}", status=404)
        if path == "/api/v1/schedule":
            return self._json(
                self.schedules.get(args.get("date", ""), schedule_doc(args.get("date", ""), []))
            )
        found = re.match(r"/api/v1/game/(\d+)/boxscore$", path)
        if found:
            return self._json(self.boxscores[int(found.group(1))])
        if path == "/api/v1/people":
            ids = [int(i) for i in args.get("personIds", "").split(",") if i]
            return self._json(people_doc({i: self.people[i] for i in ids if i in self.people}))
        if path == "/api/v1/transactions":
            return self._json(self.transactions)
        return Response("not found", status=404)

    @staticmethod
    def _json(doc: Any, headers: dict[str, str] | None = None) -> Response:
        return Response(json.dumps(doc), status=200, headers=headers or {}, content_type="application/json")
