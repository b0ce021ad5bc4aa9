"""The Stats API boxscore lands as the Retrosheet files do: one real 2022 game, both ways, same rows.

The fixture ``fixtures/statsapi/boxscore_NYA202204090.json`` is a boxscore in the Stats API's shape
(``teams.{away,home}.{team,teamStats,players,pitchers,battingOrder,coaches}``, ``officials``, ``info``)
written for Boston at New York, 2022-04-09, with the values of that game in the shared Retrosheet files.
Players' MLBAM ids are the register's; the umpire's and the managers' (9003xx, 9002xx) and the relievers'
(9001xx) are stand-ins, mapped by the test's own crosswalk rows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.crosswalk import Crosswalk, merge_provisional, provisional_id
from python_models.ingest.loaders import load_frame
from python_models.ingest.schedule import schedule_games
from python_models.ingest.statsapi import parse_boxscore, parse_injuries, parse_people
from python_models.ingest.validation import validate_frame
from python_models.warehouse.raw_tables import GAME_LOGS, PEOPLE, TEAM_GAMES
from tests.python.conftest import REAL_DATA

FIXTURES = Path(__file__).parent / "fixtures" / "statsapi"
GAME_ID = "NYA202204090"
# (Retrosheet id, MLBAM id, first, last, throws, bats)
PEOPLE_ROWS = [
    ("piven001", 601713, "Nick", "Pivetta", "R", "R"),
    ("sevel001", 622663, "Luis", "Severino", "R", "R"),
    ("donaj001", 518626, "Josh", "Donaldson", "R", "R"),
    ("judga001", 592450, "Aaron", "Judge", "R", "R"),
    ("rizza001", 519203, "Anthony", "Rizzo", "L", "L"),
    ("stanm004", 519317, "Giancarlo", "Stanton", "R", "R"),
    ("lemad001", 518934, "DJ", "LeMahieu", "R", "R"),
    ("gallj002", 608336, "Joey", "Gallo", "R", "L"),
    ("torrg001", 650402, "Gleyber", "Torres", "R", "R"),
    ("higak001", 543309, "Kyle", "Higashioka", "R", "R"),
    ("kinei001", 643396, "Isiah", "Kiner-Falefa", "R", "R"),
    ("herne001", 571771, "Enrique", "Hernandez", "R", "R"),
    ("dever001", 646240, "Rafael", "Devers", "R", "L"),
    ("bogax001", 593428, "Xander", "Bogaerts", "R", "R"),
    ("martj006", 502110, "J.D.", "Martinez", "R", "R"),
    ("verda001", 657077, "Alex", "Verdugo", "L", "L"),
    ("stort001", 596115, "Trevor", "Story", "R", "R"),
    ("dalbb001", 661712, "Bobby", "Dalbec", "R", "R"),
    ("bradj001", 598265, "Jackie", "Bradley", "R", "L"),
    ("vazqc001", 543877, "Christian", "Vazquez", "R", "R"),
    ("onorb901", 900301, "Brian", "O'Nora", None, None),
    ("coraa001", 900201, "Alex", "Cora", None, None),
    ("boona001", 900202, "Aaron", "Boone", None, None),
]
# what the feed does not carry (documented in python_models/ingest/statsapi.py)
NOT_IN_FEED = {"precip"}


def _history() -> Path:
    folder = os.environ.get("KZONE_HISTORY_DIR")
    return Path(folder) if folder else REAL_DATA


def load_people(wh, rows=PEOPLE_ROWS) -> None:
    frame = pd.DataFrame(
        [
            {
                "pitcher_id": r[0],
                "key_mlbam": str(r[1]),
                "first": r[2],
                "last": r[3],
                "throws": r[4],
                "bats": r[5],
            }
            for r in rows
        ]
    ).astype("string")
    load_frame(wh, PEOPLE, validate_frame(frame, PEOPLE, "test people"), "test_people.csv")


def feed_rows(wh) -> tuple[pd.DataFrame, pd.DataFrame]:
    schedule = json.loads((FIXTURES / "schedule_2022-04-09.json").read_text())
    [(_, _, game)] = schedule_games(schedule, "schedule")
    box = json.loads((FIXTURES / f"boxscore_{GAME_ID}.json").read_text())
    rows = parse_boxscore(box, game, Crosswalk.from_warehouse(wh), park_id="NYC21", scheduled_innings=9)
    assert rows.problems == []
    logs = validate_frame(pd.DataFrame(rows.game_logs).astype("string"), GAME_LOGS, "feed")
    teams = validate_frame(pd.DataFrame(rows.team_games).astype("string"), TEAM_GAMES, "feed")
    return logs, teams


def test_the_canonical_game_id_is_built_from_the_schedule() -> None:
    schedule = json.loads((FIXTURES / "schedule_2022-04-09.json").read_text())
    [(_, _, game)] = schedule_games(schedule, "schedule")
    assert (game.game_id, game.is_final, game.home.retro_code, game.away.retro_code) == (
        GAME_ID,
        True,
        "NYA",
        "BOS",
    )


@pytest.mark.skipif(
    not (_history() / "starters_2021_2022.csv.gz").exists(),
    reason=f"real Retrosheet data not present at {_history()} (set KZONE_HISTORY_DIR)",
)
def test_a_real_game_from_its_boxscore_equals_the_game_from_the_retrosheet_files(warehouse) -> None:
    load_people(warehouse)
    logs, teams = feed_rows(warehouse)
    starts = pd.read_csv(_history() / "starters_2021_2022.csv.gz", dtype=str, keep_default_na=False)
    team_games = pd.read_csv(_history() / "team_games_2014_2022.csv.gz", dtype=str, keep_default_na=False)
    file_logs = validate_frame(starts[starts.game_id == GAME_ID].reset_index(drop=True), GAME_LOGS, "file")
    file_teams = validate_frame(
        team_games[team_games.game_id == GAME_ID].reset_index(drop=True), TEAM_GAMES, "file"
    )

    def same(feed: pd.DataFrame, file: pd.DataFrame, skip: set[str]) -> None:
        columns = [c for c in file.columns if c not in skip]
        left = feed.sort_values("team").reset_index(drop=True)[columns].astype(str)
        right = file.sort_values("team").reset_index(drop=True)[columns].astype(str)
        pd.testing.assert_frame_equal(left, right)

    same(logs, file_logs, NOT_IN_FEED)  # the starters' lines: K, BF, outs, hits, walks, lineups, umpire...
    same(teams, file_teams, set())  # the team-game rows the features read
    assert logs["precip"].isna().all()


def test_no_model_reads_what_the_feed_does_not_carry() -> None:
    """So equal rows (above) give equal features: no dbt model reads a column the feed leaves NULL."""
    from python_models.dbt.project import PROJECT_ROOT

    for sql in (PROJECT_ROOT / "models").rglob("*.sql"):
        text = sql.read_text(encoding="utf-8")
        assert not [c for c in NOT_IN_FEED if c in text], f"{sql.name} reads {NOT_IN_FEED}: the feed has none"


def test_a_batter_or_starter_unknown_to_the_crosswalk_gets_a_provisional_id(warehouse) -> None:
    load_people(warehouse, [r for r in PEOPLE_ROWS if r[0] not in {"sevel001", "rizza001"}])
    logs, teams = feed_rows(warehouse)
    home = logs[logs.team == "NYA"].iloc[0]
    assert home["pitcher_id"] == provisional_id(622663) == "mlb622663"
    away = logs[logs.team == "BOS"].iloc[0]
    assert away["opp_lineup_ids"].split("|")[2] == "mlb519203"
    # Rizzo's hand is unknown: the handedness counts are not guessed
    assert pd.isna(away["opp_lineup_lhb"])
    assert teams[teams.team == "NYA"].iloc[0]["starter_id"] == "mlb622663"


def test_a_provisional_id_is_merged_when_the_register_learns_him(warehouse) -> None:
    """The debutant's feed history moves to his Retrosheet id once raw.people maps his MLBAM id."""
    known = [r for r in PEOPLE_ROWS if r[0] != "sevel001"]
    load_people(warehouse, known)
    people = parse_people(
        {
            "people": [
                {
                    "id": 622663,
                    "firstName": "Luis",
                    "lastName": "Severino",
                    "pitchHand": {"code": "R"},
                    "batSide": {"code": "R"},
                }
            ]
        }
    )
    load_frame(
        warehouse, PEOPLE, validate_frame(pd.DataFrame(people).astype("string"), PEOPLE, "feed"), "feed"
    )
    logs, teams = feed_rows(warehouse)
    load_frame(warehouse, GAME_LOGS, logs, "statsapi")
    load_frame(warehouse, TEAM_GAMES, teams, "statsapi")
    assert merge_provisional(warehouse) == {}  # nothing to merge yet

    load_people(warehouse, PEOPLE_ROWS)  # the register now maps 622663 -> sevel001
    assert merge_provisional(warehouse) == {"mlb622663": "sevel001"}
    starts = warehouse.query(f"select pitcher_id from {warehouse.relation('raw', 'pitcher_game_logs')}")
    assert sorted(starts["pitcher_id"]) == ["piven001", "sevel001"]
    team_rows = warehouse.query(f"select starter_id from {warehouse.relation('raw', 'team_games')}")
    assert "mlb622663" not in set(team_rows["starter_id"])
    people_ids = warehouse.query(f"select pitcher_id from {warehouse.relation('raw', 'people')}")
    assert "mlb622663" not in set(people_ids["pitcher_id"])
    assert merge_provisional(warehouse) == {}  # and a second merge changes nothing


def test_injured_list_moves_keep_only_pitchers_still_on_the_list(warehouse) -> None:
    from datetime import date, datetime

    load_people(warehouse)
    doc = {
        "transactions": [
            {
                "id": 1,
                "person": {"id": 622663, "fullName": "Luis Severino"},
                "toTeam": {"id": 147},
                "effectiveDate": "2022-04-01",
                "description": "New York Yankees placed RHP Luis Severino on the 15-day injured list.",
            },
            {
                "id": 2,
                "person": {"id": 601713, "fullName": "Nick Pivetta"},
                "toTeam": {"id": 111},
                "effectiveDate": "2022-04-01",
                "description": "Boston Red Sox placed RHP Nick Pivetta on the 10-day injured list.",
            },
            {
                "id": 3,
                "person": {"id": 601713, "fullName": "Nick Pivetta"},
                "toTeam": {"id": 111},
                "effectiveDate": "2022-04-05",
                "description": "Boston Red Sox activated RHP Nick Pivetta from the 10-day injured list.",
            },
            {
                "id": 4,
                "person": {"id": 592450, "fullName": "Aaron Judge"},
                "toTeam": {"id": 147},
                "effectiveDate": "2022-04-02",
                "description": "New York Yankees placed RF Aaron Judge on the 10-day injured list.",
            },
        ]
    }
    rows = parse_injuries(doc, date(2022, 4, 9), Crosswalk.from_warehouse(warehouse), datetime(2022, 4, 9))
    assert [(r["pitcher_id"], r["status"], r["team"]) for r in rows] == [("sevel001", "IL15", "NYA")]


@pytest.mark.slow
@pytest.mark.skipif(
    not (_history() / "team_games_2014_2022.csv.gz").exists(),
    reason=f"real Retrosheet data not present at {_history()} (set KZONE_HISTORY_DIR)",
)
def test_the_features_from_the_feed_equal_the_features_from_the_files(tmp_path: Path) -> None:
    """April 2022 from the files, in two warehouses; in one, Boston at New York on 04-09 comes from its
    boxscore instead. The feature store built in each holds the same features for every later start."""
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import RAW_TABLES
    from tests.python.conftest import make_settings

    starts = pd.read_csv(_history() / "starters_2021_2022.csv.gz", dtype=str, keep_default_na=False)
    team_games = pd.read_csv(_history() / "team_games_2014_2022.csv.gz", dtype=str, keep_default_na=False)
    window = ("2022-04-07", "2022-04-20")
    starts = starts[starts.game_date.between(*window)].reset_index(drop=True)
    team_games = team_games[team_games.game_date.between(*window)].reset_index(drop=True)
    stores = {}
    for way in ("files", "feed"):
        settings = make_settings(tmp_path / way)
        wh = open_warehouse(settings)
        try:
            for spec in RAW_TABLES.values():
                wh.ensure_table(spec.layer, spec.name, spec.columns)
            load_people(wh)
            keep_starts, keep_teams = starts, team_games
            if way == "feed":
                keep_starts = starts[starts.game_id != GAME_ID].reset_index(drop=True)
                keep_teams = team_games[team_games.game_id != GAME_ID].reset_index(drop=True)
                logs, teams = feed_rows(wh)
                load_frame(wh, GAME_LOGS, logs, "statsapi")
                load_frame(wh, TEAM_GAMES, teams, "statsapi")
            load_frame(wh, GAME_LOGS, validate_frame(keep_starts, GAME_LOGS, "starts"), "starts.csv")
            load_frame(wh, TEAM_GAMES, validate_frame(keep_teams, TEAM_GAMES, "team games"), "team_games.csv")
        finally:
            wh.close()
        run_dbt(["build", "--select", "+ml_feature_store"], settings, vars={"as_of_date": window[1]})
        wh = open_warehouse(settings)
        try:
            store = wh.query(f"select * from {wh.relation('features', 'ml_feature_store')}")
        finally:
            wh.close()
        stores[way] = store.sort_values(["game_date", "pitcher_id"]).reset_index(drop=True)
    later = stores["files"]["game_date"].astype(str) > "2022-04-09"
    touched = stores["files"][later]["team"].isin(["NYA", "BOS"]) | stores["files"][later]["opponent"].isin(
        ["NYA", "BOS"]
    )
    assert touched.sum() > 10, "later starts that read the game"
    audit = [c for c in stores["files"].columns if c.endswith("_at") and c != "first_pitch_at"]
    pd.testing.assert_frame_equal(stores["files"].drop(columns=audit), stores["feed"].drop(columns=audit))
