"""Raw loaders: all-or-nothing files, messages naming line and column, idempotent reloads, real data."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.loaders import load_file
from python_models.ingest.validation import DataValidationError
from python_models.warehouse.raw_tables import GAME_LOGS, INJURED_LIST, STRIKEOUT_LINES, TEAM_GAMES

from .conftest import (
    REAL_STARTS,
    REAL_STARTS_NINE_SEASONS,
    REAL_TEAM_GAMES,
    requires_nine_seasons,
    requires_real_data,
)

LINES_HEADER = (
    "game_id,game_date,pitcher_id,pitcher_name,bookmaker,strikeouts_line,over_odds,under_odds,captured_at\n"
)
GOOD_LINE = "NYA202604010,2026-04-01,colee001,Gerrit Cole,draftkings,6.5,-115,-105,2026-04-01T15:00:00Z\n"
TEAM_GAMES_HEADER = (
    "game_id,game_date,season,game_number,team,opponent,is_home,manager_id,batting_pa,batting_ab,"
    "batting_strikeouts,batting_walks,batting_hits,batting_home_runs,runs,pitching_outs,pitchers_used,"
    "starter_id,starter_batters_faced,lineup_ids\n"
)
LINEUP = "|".join(f"b{i}" for i in range(9))
GOOD_TEAM_GAME = (
    f"NYA202604010,2026-04-01,2026,0,NYA,BOS,True,boona001,38,33,9,4,8,1,4,27,4,colee001,24,{LINEUP}\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _count(wh, spec) -> int:
    if not wh.table_exists(spec.layer, spec.name):
        return 0
    return int(wh.query(f"select count(*) from {wh.relation(spec.layer, spec.name)}").iloc[0, 0])


def test_valid_file_loads_and_reload_adds_nothing(warehouse, tmp_path: Path) -> None:
    path = _write(tmp_path, "lines.csv", LINES_HEADER + GOOD_LINE)
    first = load_file(warehouse, STRIKEOUT_LINES, path)
    again = load_file(warehouse, STRIKEOUT_LINES, path)
    assert (first.rows_inserted, again.rows_inserted, again.rows_updated) == (1, 0, 0)
    assert _count(warehouse, STRIKEOUT_LINES) == 1


@pytest.mark.parametrize(
    ("bad_row", "column", "why"),
    [
        (
            "NYA202604010,2026-04-01,colee001,Gerrit Cole,dk,99.5,-115,-105,2026-04-01T15:00:00Z\n",
            "strikeouts_line",
            "outside",
        ),
        (
            "NYA202604010,2026-04-01,colee001,Gerrit Cole,dk,6.5,-5,-105,2026-04-01T15:00:00Z\n",
            "over_odds",
            "odds",
        ),
        (
            "NYA202604010,2026-04-01,colee001,Gerrit Cole,dk,6.3,-115,-105,2026-04-01T15:00:00Z\n",
            "strikeouts_line",
            "half",
        ),
        (
            "NYA202604010,04/01/2026,colee001,Gerrit Cole,dk,6.5,-115,-105,2026-04-01T15:00:00Z\n",
            "game_date",
            "not a valid date",
        ),
        (
            "NYA202604010,2026-04-01,,Gerrit Cole,dk,6.5,-115,-105,2026-04-01T15:00:00Z\n",
            "pitcher_id",
            "required",
        ),
    ],
)
def test_bad_row_rejects_the_whole_file(
    warehouse, tmp_path: Path, bad_row: str, column: str, why: str
) -> None:
    path = _write(tmp_path, "lines.csv", LINES_HEADER + GOOD_LINE + bad_row)
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, STRIKEOUT_LINES, path)
    message = str(err.value)
    assert "line 3" in message and f"column {column}" in message and why in message
    assert _count(warehouse, STRIKEOUT_LINES) == 0  # nothing partial


def test_missing_required_column_and_unreadable_file(warehouse, tmp_path: Path) -> None:
    path = _write(tmp_path, "il.csv", "pitcher_id,status\ncolee001,IL15\n")
    with pytest.raises(DataValidationError, match="scraped_at"):
        load_file(warehouse, INJURED_LIST, path)
    junk = tmp_path / "junk.csv.gz"
    junk.write_bytes(b"not gzip at all")
    with pytest.raises(DataValidationError, match="cannot be read"):
        load_file(warehouse, INJURED_LIST, junk)


def test_hostile_strings_are_data(warehouse, tmp_path: Path) -> None:
    hostile = "x'); drop table raw.strikeout_lines; --"
    row = f'NYA202604010,2026-04-01,"{hostile}",Zoë Ñúñez,dk,6.5,-115,-105,2026-04-01T15:00:00Z\n'
    load_file(warehouse, STRIKEOUT_LINES, _write(tmp_path, "l.csv", LINES_HEADER + row))
    got = warehouse.query(
        f"select pitcher_id, pitcher_name from {warehouse.relation('raw', 'strikeout_lines')}"
    )
    assert got.iloc[0].tolist() == [hostile, "Zoë Ñúñez"]


@requires_real_data
@pytest.mark.realdata
def test_real_retrosheet_file_loads_with_known_counts(warehouse, tmp_path: Path) -> None:
    result = load_file(warehouse, GAME_LOGS, REAL_STARTS)
    assert result.rows_inserted == 9718
    per_season = warehouse.query(
        f"select season, count(*) as n, avg(strikeouts) as k from {warehouse.relation('raw', 'pitcher_game_logs')} "
        "group by season order by season"
    )
    assert per_season["n"].tolist() == [4858, 4860]
    assert per_season["k"].round(2).tolist() == [4.81, 4.73]
    assert load_file(warehouse, GAME_LOGS, REAL_STARTS).rows_inserted == 0


@requires_real_data
def test_real_file_with_one_corrupted_cell_is_rejected_naming_it(warehouse, tmp_path: Path) -> None:
    frame = pd.read_csv(REAL_STARTS, dtype=str, keep_default_na=False).head(50)
    frame.loc[17, "strikeouts"] = "seven"
    path = tmp_path / "corrupt.csv.gz"
    with gzip.open(path, "wt") as fh:
        frame.to_csv(fh, index=False)
    with pytest.raises(DataValidationError, match=r"line 19, column strikeouts: 'seven'"):
        load_file(warehouse, GAME_LOGS, path)
    assert _count(warehouse, GAME_LOGS) == 0


def test_empty_file_is_named_and_says_nothing_was_loaded(warehouse, tmp_path: Path) -> None:
    empty = _write(tmp_path, "empty.csv", "")
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, STRIKEOUT_LINES, empty)
    message = str(err.value)
    assert str(empty) in message and "nothing was loaded" in message and "empty" in message
    assert "No columns to parse" not in message
    assert _count(warehouse, STRIKEOUT_LINES) == 0


def test_non_utf8_file_names_the_line_and_hints_at_the_encoding(warehouse, tmp_path: Path) -> None:
    row = "NYA202604010,2026-04-01,perej001,José Pérez,dk,6.5,-115,-105,2026-04-01T15:00:00Z\n"
    path = tmp_path / "latin.csv"
    path.write_bytes((LINES_HEADER + GOOD_LINE + row).encode("cp1252"))
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, STRIKEOUT_LINES, path)
    message = str(err.value)
    assert "line 3" in message and "not UTF-8" in message
    assert "cp1252" in message and "José Pérez" in message  # the hint decodes the line
    assert "UTF-8" in message and "nothing was loaded" in message
    assert _count(warehouse, STRIKEOUT_LINES) == 0


def test_team_games_load_once_and_reload_adds_nothing(warehouse, tmp_path: Path) -> None:
    path = _write(tmp_path, "team_games.csv", TEAM_GAMES_HEADER + GOOD_TEAM_GAME)
    first = load_file(warehouse, TEAM_GAMES, path)
    again = load_file(warehouse, TEAM_GAMES, path)
    assert (first.rows_inserted, again.rows_inserted, again.rows_updated) == (1, 0, 0)


@pytest.mark.parametrize(
    ("replace", "column", "why"),
    [
        (("True,boona001,38,33,9,", "True,boona001,38,33,39,"), "batting_strikeouts", "exceeds batting_pa"),
        (("27,4,colee001", "27,0,colee001"), "pitchers_used", "outside"),
        (("38,33,9,4,", "36,33,9,4,"), "batting_pa", "below batting_ab + batting_walks"),
        (("2026-04-01,2026", "2026-04-01,2025"), "season", "game_date's year"),
        ((",BOS,", ",NYA,"), "opponent", "the team itself"),
        ((LINEUP, "b1|b2"), "lineup_ids", "9 ids"),
        ((",colee001,", ",,"), "starter_id", "required"),
    ],
)
def test_impossible_team_game_rejects_the_whole_file(
    warehouse, tmp_path: Path, replace: tuple[str, str], column: str, why: str
) -> None:
    bad = GOOD_TEAM_GAME.replace(*replace).replace("NYA202604010", "NYA202604020")
    path = _write(tmp_path, "team_games.csv", TEAM_GAMES_HEADER + GOOD_TEAM_GAME + bad)
    with pytest.raises(DataValidationError) as err:
        load_file(warehouse, TEAM_GAMES, path)
    message = str(err.value)
    assert "line 3" in message and f"column {column}" in message and why in message
    assert _count(warehouse, TEAM_GAMES) == 0


@requires_nine_seasons
@pytest.mark.realdata
def test_nine_real_seasons_of_starts_and_team_games_load_with_known_counts(warehouse) -> None:
    """2014-2022: 2020's 60-game season, seven-inning doubleheader games, neutral parks, no 2018
    tiebreakers; every team-game has one row per side and its starter in the game logs."""
    assert load_file(warehouse, GAME_LOGS, REAL_STARTS_NINE_SEASONS).rows_inserted == 40664
    assert load_file(warehouse, TEAM_GAMES, REAL_TEAM_GAMES).rows_inserted == 40664
    logs, teams = (warehouse.relation("raw", t) for t in ("pitcher_game_logs", "team_games"))
    per_season = warehouse.query(f"select season, count(*) as n from {teams} group by 1 order by 1")
    assert per_season["n"].tolist() == [4860, 4858, 4856, 4860, 4858, 4858, 1796, 4858, 4860]
    facts = warehouse.query(
        f"""
        select
            sum(case when scheduled_innings = 7 then 1 else 0 end) as seven_inning_rows,
            count(distinct case when season = 2020 then park_id end) as parks_2020,
            sum(case when game_id in ('CHN201810010', 'LAN201810010') then 1 else 0 end) as tiebreakers
        from {logs}
        """
    ).iloc[0]
    assert facts["seven_inning_rows"] == 464 and facts["tiebreakers"] == 0
    unmatched = warehouse.query(
        f"""
        select count(*) as n from {teams} as t
        left join {logs} as l on t.game_id = l.game_id and t.team = l.team and t.starter_id = l.pitcher_id
        where l.pitcher_id is null
        """
    ).iloc[0, 0]
    assert unmatched == 0
    assert load_file(warehouse, TEAM_GAMES, REAL_TEAM_GAMES).rows_inserted == 0
