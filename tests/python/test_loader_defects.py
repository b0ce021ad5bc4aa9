"""Issue 20, item 2: hostile game logs, probable starters and injured lists (each test failed before its fix).

2.2 an older announcement never revives a scratched starter; 2.6 unknown teams; 2.7 one start a day; 2.9 a
missing optional column keeps stored values; 2.10 impossible game logs; 2.11 announced after first pitch;
2.13 files are read and staged in chunks, still all-or-nothing.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.loaders import load_file
from python_models.ingest.schedule import load_statsapi_schedule
from python_models.ingest.validation import DataValidationError
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    INJURED_LIST,
    PROBABLE_STARTER_ANNOUNCEMENTS,
    PROBABLE_STARTERS,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STARTERS_HEADER = "game_id,game_date,team,opponent,pitcher_id,pitcher_name,first_pitch_at,announced_at"


def _starters(tmp_path: Path, name: str, *rows: str, header: str = STARTERS_HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def _game_logs(tmp_path: Path, name: str, frame: pd.DataFrame) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _example_logs() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "pitcher_game_logs.csv", dtype=str, keep_default_na=False)


def _rows(wh, spec, columns: str, order: str) -> list[tuple]:
    rel = wh.relation(spec.layer, spec.name)
    return list(wh.query(f"select {columns} from {rel} order by {order}").itertuples(index=False, name=None))


def _rejected(wh, spec, path: Path) -> str:
    with pytest.raises(DataValidationError) as err:
        load_file(wh, spec, path)
    return str(err.value)


# --- 2.2 ------------------------------------------------------------------------------------------------
def test_an_older_announcement_reloaded_after_a_scratch_does_not_revive_the_scratched_starter(
    warehouse, tmp_path: Path
) -> None:
    game = "NYA202604010,2026-04-01,NYA,BOS"
    morning = _starters(
        tmp_path, "morning.csv", f"{game},colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z"
    )
    scratch = _starters(
        tmp_path, "scratch.csv", f"{game},schmc001,Clarke Schmidt,2026-04-01T23:05:00Z,2026-04-01T17:00:00Z"
    )
    load_file(warehouse, PROBABLE_STARTERS, morning)
    load_file(warehouse, PROBABLE_STARTERS, scratch)
    replay = load_file(warehouse, PROBABLE_STARTERS, morning)  # the morning file again, after the scratch

    assert (replay.rows_inserted, replay.rows_updated) == (0, 0)
    assert _rows(warehouse, PROBABLE_STARTERS, "pitcher_id", "team") == [("schmc001",)]
    # both announcements are kept in the history, the scratched one included
    history = _rows(warehouse, PROBABLE_STARTER_ANNOUNCEMENTS, "pitcher_id, announced_at", "announced_at")
    assert [h[0] for h in history] == ["colee001", "schmc001"]


def test_a_later_announcement_still_replaces_an_earlier_one(warehouse, tmp_path: Path) -> None:
    game = "NYA202604010,2026-04-01,NYA,BOS"
    load_file(
        warehouse,
        PROBABLE_STARTERS,
        _starters(
            tmp_path, "a.csv", f"{game},colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z"
        ),
    )
    later = load_file(
        warehouse,
        PROBABLE_STARTERS,
        _starters(
            tmp_path, "b.csv", f"{game},schmc001,Clarke Schmidt,2026-04-01T23:05:00Z,2026-04-01T18:00:00Z"
        ),
    )
    assert later.rows_updated == 1
    assert _rows(warehouse, PROBABLE_STARTERS, "pitcher_id", "team") == [("schmc001",)]


# --- 2.6 ------------------------------------------------------------------------------------------------
def test_unknown_team_codes_reject_probable_starters_naming_the_row_and_the_known_codes(
    warehouse, tmp_path: Path
) -> None:
    path = _starters(
        tmp_path,
        "teams.csv",
        "NYA202604010,2026-04-01,NYA,BOS,colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z",
        "NYA202604010,2026-04-01,XXX,NYA,salec001,Chris Sale,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z",
    )
    message = _rejected(warehouse, PROBABLE_STARTERS, path)
    assert "line 3, column team: 'XXX' is not a team code" in message
    assert "known codes: ANA, ARI, ATL" in message
    assert not warehouse.table_exists(PROBABLE_STARTERS.layer, PROBABLE_STARTERS.name) or not _rows(
        warehouse, PROBABLE_STARTERS, "pitcher_id", "team"
    )


def test_unknown_team_codes_reject_the_injured_list(warehouse, tmp_path: Path) -> None:
    path = tmp_path / "il.csv"
    path.write_text(
        "pitcher_id,pitcher_name,team,status,scraped_at\n"
        "klubc001,Corey Kluber,TBA,IL15,2026-03-30T15:00:00Z\n"
        "colee001,Gerrit Cole,Yankees of Mars,IL60,2026-03-30T15:00:00Z\n"
    )
    message = _rejected(warehouse, INJURED_LIST, path)
    assert "line 3, column team: 'Yankees of Mars' is not a team code" in message
    assert "known codes:" in message


# --- 2.7 ------------------------------------------------------------------------------------------------
def test_a_pitcher_listed_for_two_games_on_one_date_rejects_the_file_naming_both_rows(
    warehouse, tmp_path: Path
) -> None:
    path = _starters(
        tmp_path,
        "doubleheader.csv",
        "NYA202604011,2026-04-01,NYA,BOS,colee001,Gerrit Cole,2026-04-01T17:05:00Z,2026-04-01T12:00:00Z",
        "NYA202604011,2026-04-01,BOS,NYA,salec001,Chris Sale,2026-04-01T17:05:00Z,2026-04-01T12:00:00Z",
        "NYA202604012,2026-04-01,NYA,BOS,colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z",
    )
    message = _rejected(warehouse, PROBABLE_STARTERS, path)
    assert "line 4, column pitcher_id+game_date" in message and "line 2" in message


def test_one_start_a_day_holds_across_chunks_of_a_game_log_file(warehouse, tmp_path: Path) -> None:
    logs = _example_logs()
    twice = logs.iloc[[0]].assign(game_id="ATL202210021", game_number="1")  # same pitcher, same date
    path = _game_logs(tmp_path, "logs.csv", pd.concat([logs, twice], ignore_index=True))
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, GAME_LOGS, path, chunk_rows=2)
    assert f"line {len(logs) + 2}, column pitcher_id+game_date" in str(err.value)
    assert "with line 2" in str(err.value)


def test_the_statsapi_feed_reports_a_pitcher_announced_for_both_games_of_a_doubleheader(
    warehouse, tmp_path: Path
) -> None:
    from python_models.ingest.loaders import load_frame
    from python_models.ingest.validation import validate_frame
    from python_models.warehouse.raw_tables import PEOPLE

    people = pd.DataFrame(
        {"pitcher_id": ["colee001", "salec001", "schmc001"], "key_mlbam": ["543037", "519242", "641154"]}
    )
    load_frame(warehouse, PEOPLE, validate_frame(people, PEOPLE, "people"), "people")

    def game(pk: int, number: int, start: str, home_pitcher: int) -> dict:
        return {
            "gamePk": pk,
            "gameDate": start,
            "officialDate": "2026-04-01",
            "doubleHeader": "Y",
            "gameNumber": number,
            "teams": {
                "away": {
                    "team": {"id": 111},
                    "probablePitcher": {"id": 519242, "fullName": "Chris Sale"}
                    if number == 1
                    else {"id": 641154, "fullName": "Clarke Schmidt"},
                },
                "home": {
                    "team": {"id": 147},
                    "probablePitcher": {"id": home_pitcher, "fullName": "Gerrit Cole"},
                },
            },
        }

    doc = {
        "dates": [
            {
                "date": "2026-04-01",
                "games": [
                    game(1, 1, "2026-04-01T17:05:00Z", 543037),
                    game(2, 2, "2026-04-01T23:05:00Z", 543037),
                ],
            }
        ]
    }
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(doc))
    load = load_statsapi_schedule(warehouse, path)
    assert load.rows_loaded == 2  # the two away starters
    twice = [r for r in load.reported if "two games" in r]
    assert len(twice) == 2 and all("colee001" in r for r in twice)


# --- 2.9 ------------------------------------------------------------------------------------------------
def test_a_file_without_an_optional_column_keeps_the_values_rows_already_had(
    warehouse, tmp_path: Path
) -> None:
    game = "NYA202604010,2026-04-01,NYA,BOS,colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z"
    full = _starters(
        tmp_path, "full.csv", f"{game},7,NYA01", header=f"{STARTERS_HEADER},scheduled_innings,park_id"
    )
    load_file(warehouse, PROBABLE_STARTERS, full)
    bare = load_file(warehouse, PROBABLE_STARTERS, _starters(tmp_path, "bare.csv", game))
    assert bare.rows_updated == 0  # same content once the stored values are kept
    assert _rows(warehouse, PROBABLE_STARTERS, "scheduled_innings, park_id", "team") == [(7, "NYA01")]


def test_a_scratch_in_a_file_without_the_hand_does_not_inherit_the_scratched_starters_hand(
    warehouse, tmp_path: Path
) -> None:
    game = "NYA202604010,2026-04-01,NYA,BOS"
    header = f"{STARTERS_HEADER},pitcher_throws,park_id"
    load_file(
        warehouse,
        PROBABLE_STARTERS,
        _starters(
            tmp_path,
            "a.csv",
            f"{game},colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T12:00:00Z,R,NYA01",
            header=header,
        ),
    )
    scratch = f"{game},cortn001,Nestor Cortes,2026-04-01T23:05:00Z,2026-04-01T18:00:00Z"
    load_file(warehouse, PROBABLE_STARTERS, _starters(tmp_path, "b.csv", scratch))
    # nothing of Cole's row is carried to Cortes: his hand is unknown, not Cole's R
    assert _rows(warehouse, PROBABLE_STARTERS, "pitcher_id, pitcher_throws, park_id", "team") == [
        ("cortn001", None, None)
    ]


def test_game_logs_without_an_optional_column_keep_it_across_chunks(warehouse, tmp_path: Path) -> None:
    logs = _example_logs()
    load_file(warehouse, GAME_LOGS, _game_logs(tmp_path, "full.csv", logs))
    load_file(
        warehouse,
        GAME_LOGS,
        _game_logs(tmp_path, "slim.csv", logs.drop(columns=["park_id", "temp_f"])),
        chunk_rows=2,
    )
    stored = _rows(warehouse, GAME_LOGS, "park_id, temp_f", "game_id, pitcher_id")
    expected = logs.sort_values(["game_id", "pitcher_id"])[["park_id", "temp_f"]]
    assert stored == [(p, float(t)) for p, t in expected.itertuples(index=False)]


# --- 2.10 -----------------------------------------------------------------------------------------------
TOMORROW = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"hits_allowed": "-3"}, "line 2, column hits_allowed: '-3' is negative"),
        ({"runs_allowed": "-1"}, "line 2, column runs_allowed: '-1' is negative"),
        ({"innings_pitched": "-2.0"}, "line 2, column innings_pitched: '-2.0' is negative"),
        (
            {"game_date": TOMORROW, "season": TOMORROW[:4], "game_id": f"ATL{TOMORROW.replace('-', '')}0"},
            "line 2, column game_date:",
        ),
        ({"game_id": "ATL202210030"}, "line 2, column game_id: 'ATL202210030' names another date"),
        ({"opponent": "NYN"}, "line 2, column opponent: 'NYN' is the team itself"),
    ],
)
def test_impossible_game_logs_are_rejected_naming_the_row(
    warehouse, tmp_path: Path, change: dict, expected: str
) -> None:
    logs = _example_logs()
    for column, value in change.items():
        logs.loc[0, column] = value
    message = _rejected(warehouse, GAME_LOGS, _game_logs(tmp_path, "bad.csv", logs))
    assert expected in message
    if "game_date" in change:
        assert "is in the future" in message


# --- 2.11 -----------------------------------------------------------------------------------------------
def test_an_announcement_after_first_pitch_is_rejected(warehouse, tmp_path: Path) -> None:
    path = _starters(
        tmp_path,
        "late.csv",
        "NYA202604010,2026-04-01,NYA,BOS,colee001,Gerrit Cole,2026-04-01T23:05:00Z,2026-04-01T23:30:00Z",
    )
    assert "line 2, column announced_at" in _rejected(warehouse, PROBABLE_STARTERS, path)


# --- 2.13 -----------------------------------------------------------------------------------------------
def test_a_file_read_in_chunks_loads_whole_or_names_a_bad_row_in_a_late_chunk(
    warehouse, tmp_path: Path
) -> None:
    logs = _example_logs()
    good = load_file(warehouse, GAME_LOGS, _game_logs(tmp_path, "good.csv", logs), chunk_rows=2)
    assert good.rows_in_batch == len(logs) == _rows(warehouse, GAME_LOGS, "count(*)", "1")[0][0]

    bad = logs.copy()
    bad["game_id"] = bad["game_id"].str.replace("ATL", "ARI")  # new keys: all would insert
    bad.loc[len(bad) - 1, "strikeouts"] = "seven"
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, GAME_LOGS, _game_logs(tmp_path, "bad.csv", bad), chunk_rows=2)
    assert f"line {len(bad) + 1}, column strikeouts" in str(err.value)
    assert _rows(warehouse, GAME_LOGS, "count(*)", "1")[0][0] == len(logs)  # nothing of it was written


def test_reading_in_chunks_keeps_the_file_line_numbers() -> None:
    from python_models.ingest.loaders import read_csv_chunks

    path = Path(io.StringIO().name if False else EXAMPLES / "pitcher_game_logs.csv")
    firsts = [int(c.index[0]) for c in read_csv_chunks(path, chunk_rows=4)]
    assert firsts == [0, 4]
