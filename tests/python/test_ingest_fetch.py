"""`kzone fetch` against a local stand-in of both APIs (no network): what lands, what is reported, reruns."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.fetch import fetch_day
from python_models.ingest.loaders import ensure_raw_tables, load_frame
from python_models.ingest.validation import validate_frame
from python_models.warehouse import open_warehouse
from python_models.warehouse.raw_tables import GAME_LOGS, PEOPLE, TEAM_GAMES
from tests.python.conftest import make_settings
from tests.python.live_fixture import KEY, StandIn, boxscore_doc, odds_event, schedule_doc, schedule_game

DAY = date(2026, 4, 10)
# Retrosheet id -> (MLBAM id, first, last, throws, bats)
PITCHERS = {
    "colee001": (543037, "Gerrit", "Cole", "R", "R"),
    "bellb001": (678394, "Brayan", "Bello", "R", "R"),
    "webbl001": (657277, "Logan", "Webb", "R", "R"),
    "valdf001": (664285, "Framber", "Valdez", "L", "R"),
    "gilbl001": (669302, "Logan", "Gilbert", "R", "R"),
    "acunr001": (660670, "Ronald", "Acuna", "R", "R"),
    "obrir001": (676617, "Riley", "O'Brien", "R", "R"),
}
TEAMS = ("NYA", "BOS", "HOU", "SEA", "SFN", "SDN")
DEBUT_D1 = (808967, "Rookie", "Arm", "L", "L")  # starts on D-1 for San Diego, unknown to the crosswalk
DEBUT_D = (808968, "Second", "Rookie", "R", "R")  # announced for D, unknown too


def batters(team: str) -> list[str]:
    return [f"{team.lower()}b{i:02d}" for i in range(9)]


def mlbam_ids() -> dict[str, int]:
    ids = {pid: v[0] for pid, v in PITCHERS.items()}
    for n, team in enumerate(TEAMS):
        ids.update({b: 700000 + 100 * n + i for i, b in enumerate(batters(team))})
    ids["mlb808967"] = DEBUT_D1[0]
    return ids


def start(
    game_id: str, team: str, opp: str, home: bool, pid: str, name: str, k: int, bf: int, outs: int
) -> dict:
    return {
        "game_id": game_id,
        "game_date": f"{game_id[3:7]}-{game_id[7:9]}-{game_id[9:11]}",
        "season": game_id[3:7],
        "game_number": game_id[-1],
        "team": team,
        "opponent": opp,
        "is_home": str(home),
        "pitcher_id": pid,
        "pitcher_name": name,
        "outs_recorded": str(outs),
        "batters_faced": str(bf),
        "strikeouts": str(k),
        "walks": "2",
        "hits_allowed": "5",
        "earned_runs": "2",
        "runs_allowed": "2",
        "decision": "ND",
        "opp_lineup_ids": "|".join(batters(opp)),
    }


def team_row(log: dict) -> dict:
    return {
        **{
            k: log[k]
            for k in ("game_id", "game_date", "season", "game_number", "team", "opponent", "is_home")
        },
        "batting_pa": "38",
        "batting_ab": "34",
        "batting_strikeouts": "9",
        "batting_walks": "3",
        "batting_hits": "8",
        "batting_home_runs": "1",
        "runs": "4",
        "pitching_outs": "27",
        "pitchers_used": "4",
        "starter_id": log["pitcher_id"],
        "starter_batters_faced": log["batters_faced"],
        "lineup_ids": "|".join(batters(log["team"])),
    }


HISTORY = [  # in the warehouse from files, up to D-4
    start("NYA202604060", "NYA", "BOS", True, "colee001", "Gerrit Cole", 8, 25, 18),
    start("NYA202604060", "BOS", "NYA", False, "bellb001", "Brayan Bello", 5, 24, 16),
]
FINALS = {  # (gamePk, home, away, game number, doubleheader) -> the two starts, truth for D-3..D-1
    (1001, "HOU", "SEA", 1, "Y"): [
        start("HOU202604071", "HOU", "SEA", True, "valdf001", "Framber Valdez", 9, 27, 21),
        start("HOU202604071", "SEA", "HOU", False, "gilbl001", "Logan Gilbert", 4, 22, 15),
    ],
    (1002, "HOU", "SEA", 2, "Y"): [
        start("HOU202604072", "HOU", "SEA", True, "acunr001", "Ronald Acuna", 3, 19, 12),
        start("HOU202604072", "SEA", "HOU", False, "obrir001", "Riley O'Brien", 6, 23, 17),
    ],
    (1004, "NYA", "BOS", 0, "N"): [
        start("NYA202604080", "NYA", "BOS", True, "colee001", "Gerrit Cole", 11, 26, 21),
        start("NYA202604080", "BOS", "NYA", False, "bellb001", "Brayan Bello", 2, 20, 13),
    ],
    (1005, "SFN", "SDN", 0, "N"): [
        start("SFN202604090", "SFN", "SDN", True, "webbl001", "Logan Webb", 7, 25, 19),
        start("SFN202604090", "SDN", "SFN", False, "mlb808967", "Rookie Arm", 5, 21, 14),
    ],
}


def people_rows() -> list[dict]:
    rows = [
        {"pitcher_id": pid, "key_mlbam": str(m), "first": f, "last": last, "throws": t, "bats": b}
        for pid, (m, f, last, t, b) in PITCHERS.items()
    ]
    ids = mlbam_ids()
    rows += [
        {
            "pitcher_id": b,
            "key_mlbam": str(ids[b]),
            "first": "B",
            "last": b,
            "throws": "R",
            "bats": "LRB"[i % 3],
        }
        for team in TEAMS
        for i, b in enumerate(batters(team))
    ]
    return rows


def load_history(settings) -> None:
    wh = open_warehouse(settings)
    try:
        ensure_raw_tables(wh)
        for spec, rows in (
            (PEOPLE, people_rows()),
            (GAME_LOGS, HISTORY),
            (TEAM_GAMES, [team_row(r) for r in HISTORY]),
        ):
            typed = validate_frame(pd.DataFrame(rows).astype("string"), spec, "history")
            load_frame(wh, spec, typed, "history.csv")
    finally:
        wh.close()


def build_world(stand: StandIn) -> None:
    ids = mlbam_ids()
    stand.people = {
        DEBUT_D1[0]: DEBUT_D1[1:],
        DEBUT_D[0]: DEBUT_D[1:],
    }
    by_day: dict[str, list] = {}
    for (pk, home, away, number, dh), logs in FINALS.items():
        day = logs[0]["game_date"]
        by_day.setdefault(day, []).append(
            schedule_game(
                pk,
                day,
                home,
                away,
                game_number=number or 1,
                double_header=dh,
                first_pitch=f"{day}T{17 if number == 1 else 23}:05:00Z",
            )
        )
        stand.boxscores[pk] = boxscore_doc(logs, [team_row(r) for r in logs], ids)
    by_day["2026-04-07"].append(schedule_game(1003, "2026-04-07", "NYA", "BOS", state="Postponed"))
    for day, games in by_day.items():
        stand.schedules[day] = schedule_doc(day, games)
    d = DAY.isoformat()
    stand.schedules[d] = schedule_doc(
        d,
        [
            schedule_game(
                2001,
                d,
                "NYA",
                "BOS",
                state="Scheduled",
                probables={"home": (543037, "Gerrit Cole"), "away": (678394, "Brayan Bello")},
            ),
            schedule_game(
                2002, d, "HOU", "SEA", state="Scheduled", probables={"home": (664285, "Framber Valdez")}
            ),
            schedule_game(
                2003,
                d,
                "SFN",
                "SDN",
                state="Scheduled",
                first_pitch=f"{d}T02:15:00Z",
                probables={"home": (657277, "Logan Webb"), "away": (DEBUT_D[0], "Second Rookie")},
            ),
        ],
    )
    stand.events = [
        odds_event(
            "ev1",
            "NYA",
            "BOS",
            f"{d}T23:05:00Z",
            [("Gerrit Cole", 7.5, -110, -110), ("Brayan Bello", 4.5, 105, -135)],
        ),
        odds_event("ev3", "SFN", "SDN", f"{d}T23:45:00Z", [("Logan Webb", 5.5, -120, 100)]),
    ]
    stand.transactions = {
        "transactions": [
            {
                "id": 9,
                "person": {"id": 669302, "fullName": "Logan Gilbert"},
                "toTeam": {"id": 136},
                "effectiveDate": "2026-04-09",
                "description": "Seattle Mariners placed RHP Logan Gilbert on the 15-day injured list.",
            }
        ]
    }


@pytest.fixture
def world(httpserver, tmp_path: Path):
    stand = StandIn(httpserver)
    build_world(stand)
    settings = make_settings(
        tmp_path,
        statsapi_url=stand.url,
        odds_api_url=stand.url,
        odds_api_key=KEY,
        cache_dir=tmp_path / "cache",
        http_retries=2,
    )
    load_history(settings)
    return stand, settings


def our_logs(caplog) -> str:
    """What kzone logged (the stand-in server's own access log is not kzone's)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))


def tables(settings, drop: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    wh = open_warehouse(settings)
    try:
        out = {}
        for name in (
            "pitcher_game_logs",
            "team_games",
            "probable_starters",
            "people",
            "strikeout_lines",
            "injured_list",
            "strikeout_lines_quarantine",
            "game_statuses",
        ):
            frame = wh.query(f"select * from {wh.relation('raw', name)}").drop(
                columns=list(drop), errors="ignore"
            )
            out[name] = frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)
        return out
    finally:
        wh.close()


def test_a_morning_fetch_lands_finals_starters_people_injuries_and_lines(world, caplog) -> None:
    stand, settings = world
    caplog.set_level(logging.DEBUG)
    report = fetch_day(settings, DAY)

    assert report.stale == []
    assert all(n == 2 for n in stand.asked.values()), "every request answered 503 once, then succeeded"
    landed = tables(settings)
    logs = landed["pitcher_game_logs"].set_index(["game_id", "pitcher_id"])
    for starts in FINALS.values():
        for truth in starts:
            row = logs.loc[(truth["game_id"], truth["pitcher_id"])]
            assert (row.strikeouts, row.batters_faced, row.outs_recorded) == (
                int(truth["strikeouts"]),
                int(truth["batters_faced"]),
                int(truth["outs_recorded"]),
            )
    # the doubleheader keeps both games; the postponed game is reported, not loaded
    assert {"HOU202604071", "HOU202604072"} <= set(landed["team_games"]["game_id"])
    assert not landed["pitcher_game_logs"]["game_id"].str.startswith("NYA20260407").any()
    assert any("Postponed" in r for r in report.reported)
    # D's starters: the one without an announced starter is reported; the debutant lands under mlb<id>
    probables = landed["probable_starters"].set_index("team")["pitcher_id"].to_dict()
    assert probables == {
        "NYA": "colee001",
        "BOS": "bellb001",
        "HOU": "valdf001",
        "SFN": "webbl001",
        "SDN": "mlb808968",
    }
    assert any("no announced starter for SEA" in r for r in report.reported)
    people = landed["people"].set_index("pitcher_id")
    assert people.loc["mlb808968", "throws"] == "R" and int(people.loc["mlb808968", "key_mlbam"]) == 808968
    assert people.loc["mlb808967", "bats"] == "L"
    # lines: only pitcher_strikeouts (the batter prop is ignored), names resolved to ids
    lines = landed["strikeout_lines"]
    assert sorted(lines["pitcher_id"]) == ["bellb001", "colee001", "webbl001"]
    assert landed["strikeout_lines_quarantine"].empty
    assert landed["injured_list"][["pitcher_id", "status"]].values.tolist() == [["gilbl001", "IL15"]]
    # the quota headers are logged, the key never is
    assert report.quota == {"x-requests-remaining": "480", "x-requests-used": "20"}
    assert KEY not in our_logs(caplog)
    stored = list((settings.cache_dir / "payloads" / DAY.isoformat()).rglob("*.json"))
    assert len(stored) >= 2 * 10 and not any(KEY in p.read_text() for p in stored)


def test_fetching_the_same_day_twice_changes_nothing(world) -> None:
    _stand, settings = world
    fetch_day(settings, DAY)
    before = tables(settings)
    report = fetch_day(settings, DAY)
    assert report.stale == []
    after = tables(settings)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def _current(settings, team: str) -> pd.Series:
    starters = tables(settings)["probable_starters"]
    return starters[starters["team"] == team].iloc[0]


def test_a_scratched_starter_is_kept_as_a_scratch_announcement_not_deleted(world) -> None:
    stand, settings = world
    fetch_day(settings, DAY)
    games = stand.schedules[DAY.isoformat()]["dates"][0]["games"]
    del games[0]["teams"]["away"]["probablePitcher"]  # Bello scratched, no replacement announced yet
    report = fetch_day(settings, DAY)
    bos = _current(settings, "BOS")
    assert bool(bos["is_scratched"]) and pd.isna(bos["pitcher_id"]) and bos["game_id"] == "NYA202604100"
    assert any("bellb001 (BOS) scratched, no replacement announced yet" in r for r in report.reported)
    assert report.statsapi.landed["starters scratched"] == 1
    before = tables(settings)
    again = fetch_day(settings, DAY)  # nothing changed on the wire: nothing changes here
    for name, frame in tables(settings).items():
        pd.testing.assert_frame_equal(before[name], frame, obj=name)
    assert "starters scratched" not in again.statsapi.landed


@pytest.mark.parametrize(
    ("announced", "expected"),
    [((678394, "Brayan Bello"), "bellb001"), ((676617, "Riley O'Brien"), "obrir001")],
    ids=["the-same-starter-again", "a-replacement"],
)
def test_an_announcement_after_a_scratch_replaces_it(world, announced, expected) -> None:
    stand, settings = world
    fetch_day(settings, DAY)
    away = stand.schedules[DAY.isoformat()]["dates"][0]["games"][0]["teams"]["away"]
    del away["probablePitcher"]
    fetch_day(settings, DAY)
    away["probablePitcher"] = {"id": announced[0], "fullName": announced[1]}
    fetch_day(settings, DAY)
    bos = _current(settings, "BOS")
    assert bos["pitcher_id"] == expected
    assert pd.isna(bos["is_scratched"]) or not bos["is_scratched"]  # NULL: an announcement


def test_a_game_never_announced_for_a_side_gets_no_scratch_row(world) -> None:
    _stand, settings = world
    fetch_day(settings, DAY)
    fetch_day(settings, DAY)
    assert "SEA" not in set(tables(settings)["probable_starters"]["team"]), "nothing was announced to scratch"


def test_a_game_postponed_after_the_first_fetch_is_recorded_called_off(world) -> None:
    stand, settings = world
    fetch_day(settings, DAY)
    games = stand.schedules[DAY.isoformat()]["dates"][0]["games"]
    games[0]["status"] = {"abstractGameState": "Final", "codedGameState": "D", "detailedState": "Postponed"}
    report = fetch_day(settings, DAY)
    statuses = tables(settings)["game_statuses"].sort_values("reported_at")
    latest = statuses.groupby("game_id").tail(1).set_index("game_id")
    called_off = latest[latest["is_called_off"]]
    assert list(called_off["game_status"]) == ["Postponed"]  # the picks of that game are withdrawn in dbt
    assert len(statuses) == len(latest) + 1  # one new report: the postponement, nothing else
    assert report.statsapi.landed["games called off"] == 1


def test_a_stored_morning_replays_offline_into_the_same_rows(world, tmp_path: Path) -> None:
    stand, settings = world
    fetch_day(settings, DAY)
    asked = sum(stand.asked.values())
    other = make_settings(
        tmp_path / "replay",
        statsapi_url="http://127.0.0.1:9",
        odds_api_url="http://127.0.0.1:9",
        cache_dir=tmp_path / "replay" / "cache",
    )
    load_history(other)
    report = fetch_day(other, DAY, replay=settings.cache_dir / "payloads" / DAY.isoformat())
    assert report.stale == [] and sum(stand.asked.values()) == asked, "no request went out"
    live, replayed = tables(settings, ("_loaded_at",)), tables(other, ("_loaded_at",))
    for name in live:
        pd.testing.assert_frame_equal(live[name], replayed[name], obj=name)


def test_a_bad_key_marks_the_lines_stale_with_a_clear_message_and_no_key(world, caplog) -> None:
    _stand, settings = world
    wrong = "wrong-key-456"
    settings = settings.model_copy(update={"odds_api_key": type(settings.odds_api_key)(wrong)})
    caplog.set_level(logging.DEBUG)
    report = fetch_day(settings, DAY)
    assert len(report.odds.stale) == 1 and "refused the request (401)" in report.odds.stale[0]
    assert "check the API key" in report.odds.stale[0]
    assert report.statsapi.stale == [] and report.statsapi.landed["probable starters"] == 5
    text = our_logs(caplog) + "\n".join(report.stale)
    assert wrong not in text and KEY not in text


def test_a_feed_down_after_the_retries_is_marked_stale_and_the_rest_lands(world) -> None:
    stand, settings = world
    stand.down = ("/v4/",)
    report = fetch_day(settings, DAY)
    assert report.odds.stale and "unavailable after 3 attempt(s)" in report.odds.stale[0]
    assert report.statsapi.landed["probable starters"] == 5


def test_kzone_fetch_prints_what_landed_and_never_the_key(world, monkeypatch) -> None:
    from tests.python.feeds_fixture import run_cli

    stand, settings = world
    # the stand-in server's own access log (it sees the key, as The Odds API does) is not kzone's output
    monkeypatch.setattr(logging.getLogger("werkzeug"), "disabled", True)
    env = {
        "KZONE_STATSAPI_URL": stand.url,
        "KZONE_ODDS_API_URL": stand.url,
        "KZONE_ODDS_API_KEY": KEY,
        "KZONE_CACHE_DIR": str(settings.cache_dir),
        "KZONE_MODEL_STORE": str(settings.model_store),
        "KZONE_HTTP_RETRIES": "2",
        "COLUMNS": "",
    }
    result = run_cli(["fetch", "--date", DAY.isoformat()], settings.duckdb_path, **env)
    assert result.exit_code == 0, result.output
    assert "MLB Stats API: " in result.output and "probable starters 5" in result.output
    assert "The Odds API: " in result.output and "lines 3" in result.output
    assert "not loaded: " in result.output and "Postponed" in result.output
    assert KEY not in result.output


def test_a_schedule_the_parser_rejects_marks_that_day_stale_and_the_rest_lands(world) -> None:
    stand, settings = world
    stand.schedules["2026-04-08"]["dates"][0]["games"][0]["teams"]["home"]["team"]["id"] = 9999
    report = fetch_day(settings, DAY)
    assert len(report.statsapi.stale) == 1
    assert "schedule 2026-04-08" in report.statsapi.stale[0]
    assert "9999 is not an MLB team id" in report.statsapi.stale[0]
    landed = set(tables(settings)["pitcher_game_logs"]["game_id"])
    assert "NYA202604080" not in landed and {"HOU202604071", "SFN202604090"} <= landed
    stand.schedules["2026-04-08"]["dates"][0]["games"][0]["teams"]["home"]["team"]["id"] = 147
    assert fetch_day(settings, DAY).stale == []  # the next morning fetches the last days again
    assert "NYA202604080" in set(tables(settings)["pitcher_game_logs"]["game_id"])
