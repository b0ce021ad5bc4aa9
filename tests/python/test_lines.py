"""`kzone load-lines` with name-keyed files: resolved rows load, unresolved rows are quarantined by line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from python_models.ingest.lines import load_lines
from python_models.ingest.validation import DataValidationError
from python_models.warehouse.raw_tables import LINES_QUARANTINE, STRIKEOUT_LINES

from .conftest import REAL_DATA, make_settings, requires_real_data
from .feeds_fixture import count, load_world, rows, run_cli

NAMED_HEADER = "game_date,pitcher_name,team,strikeouts_line,over_odds,under_odds\n"
NAMED_ROWS = [
    "2026-04-01,GERRIT COLE,NYY,6.5,-115,-105\n",  # line 2: case
    "2026-04-01,Brayan Bello,,5.5,110,-130\n",  # line 3: no team
    "2026-04-01,Luis Garcia,SD,4.5,-120,100\n",  # line 4: accent-free; two Luis Garcias, slate decides
    "2026-04-01,Ronald Acuna,HOU,3.5,-105,-115\n",  # line 5: 'Jr.' and accent dropped
    "2026-04-01,Riley O'Brien,Seattle Mariners,4.5,-110,-110\n",  # line 6: apostrophe kind, full team name
    "2026-04-01,Joe Nobody,NYY,5.5,-110,-110\n",  # line 7: not a pitcher anyone knows
    "2026-04-01,Luis Garcia,,5.5,-110,-110\n",  # line 8: no team: starts that day, resolves by the slate
    "2026-04-02,Luis Garcia,,5.5,-110,-110\n",  # line 9: a day neither starts: ambiguous
]


def _file(tmp_path: Path, body: list[str], name: str = "book_export.csv", header: str = NAMED_HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(body), encoding="utf-8")
    return path


@pytest.fixture
def world(warehouse, tmp_path: Path):
    load_world(warehouse, tmp_path)
    return warehouse


def test_name_keyed_file_resolves_against_the_slate_and_quarantines_the_rest(world, tmp_path: Path) -> None:
    path = _file(tmp_path, NAMED_ROWS)
    load = load_lines(world, path)
    assert (load.rows_read, load.rows_loaded, len(load.quarantined)) == (8, 4, 4)
    loaded = rows(world, STRIKEOUT_LINES, "pitcher_id")
    assert loaded["pitcher_id"].tolist() == ["acunr001", "bellb001", "colee001", "obrir001"]
    # the matched starter's game fills game_id; the book's spelling is kept
    cole = loaded.set_index("pitcher_id").loc["colee001"]
    assert cole["game_id"] == "NYA202604010" and cole["pitcher_name"] == "GERRIT COLE"
    by_line = {q.line_number: q for q in load.quarantined}
    assert sorted(by_line) == [4, 7, 8, 9]
    assert "no pitcher named 'Joe Nobody'" in by_line[7].reason
    assert (
        "ambiguous" in by_line[9].reason
        and "garcl005" in by_line[9].reason
        and "garcl007" in by_line[9].reason
    )
    # lines 4 and 8 both resolve to the San Diego starter of the day (one with a team, one by the slate
    # alone) with the same book and capture but different lines: which is right cannot be told
    assert "garcl005" in by_line[4].reason and "line 8" in by_line[4].reason and "line 4" in by_line[8].reason
    kept = rows(world, LINES_QUARANTINE, "line_number")
    assert kept["line_number"].tolist() == [4, 7, 8, 9]
    assert kept["record"].tolist() == ["line 4", "line 7", "line 8", "line 9"]


def test_a_file_without_bookmaker_and_capture_time_gets_unknown_and_midnight_of_its_date(
    world, tmp_path: Path
) -> None:
    load_lines(world, _file(tmp_path, NAMED_ROWS[:1]))
    row = rows(world, STRIKEOUT_LINES, "pitcher_id").iloc[0]
    assert row["bookmaker"] == "unknown"
    assert row["captured_at"] == datetime(2026, 4, 1, 0, 0)
    assert row["event_start_at"] is None or str(row["event_start_at"]) == "NaT"


def test_quarantine_keeps_the_raw_row_and_a_reload_after_a_fix_replaces_it(world, tmp_path: Path) -> None:
    path = _file(tmp_path, NAMED_ROWS[:1] + NAMED_ROWS[5:6])
    load_lines(world, path)
    kept = rows(world, LINES_QUARANTINE, "record").iloc[0]
    assert json.loads(kept["raw_row"])["pitcher_name"] == "Joe Nobody"
    assert kept["_source_file"] == path.name and kept["source_format"] == "csv"
    again = load_lines(world, path)  # same file: nothing new anywhere
    assert again.result.rows_inserted == 0 and count(world, LINES_QUARANTINE) == 1
    path.write_text(NAMED_HEADER + NAMED_ROWS[0], encoding="utf-8")  # the unknown row fixed (removed)
    load_lines(world, path)
    assert count(world, LINES_QUARANTINE) == 0 and count(world, STRIKEOUT_LINES) == 1


def test_a_malformed_row_still_rejects_the_whole_name_keyed_file(world, tmp_path: Path) -> None:
    bad = "2026-04-01,Gerrit Cole,NYY,66.5,-115,-105\n"
    with pytest.raises(DataValidationError, match=r"line 4, column strikeouts_line"):
        load_lines(world, _file(tmp_path, [*NAMED_ROWS[:2], bad]))
    unknown_team = "2026-04-01,Gerrit Cole,Brooklyn Robins,6.5,-115,-105\n"
    with pytest.raises(DataValidationError, match=r"line 2, column team: 'Brooklyn Robins'"):
        load_lines(world, _file(tmp_path, [unknown_team]))
    assert count(world, STRIKEOUT_LINES) == 0 and count(world, LINES_QUARANTINE) == 0


def test_names_resolve_against_every_known_pitcher_when_the_date_has_no_slate(world, tmp_path: Path) -> None:
    body = [
        "2026-05-01,draftkings,Fausto Carmona,6.5,-110,-110\n",  # alias of a renamed pitcher
        "2026-05-01,draftkings,JA Happ,5.5,-110,-110\n",  # 'J. A. Happ' in the game logs
    ]
    load = load_lines(
        world,
        _file(
            tmp_path, body, header="game_date,bookmaker,pitcher_name,strikeouts_line,over_odds,under_odds\n"
        ),
    )
    assert not load.quarantined
    assert sorted(rows(world, STRIKEOUT_LINES, "pitcher_id")["pitcher_id"]) == ["carmf001", "happj001"]


def test_cli_prints_loaded_and_quarantined_rows_by_line(tmp_path: Path) -> None:
    from python_models.warehouse import open_warehouse

    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        load_world(wh, tmp_path)
    finally:
        wh.close()
    extra = [
        f"2026-04-01,Unknown Pitcher {i:02d} With A Very Long Name Indeed,NYY,5.5,-110,-110\n"
        for i in range(22)
    ]
    path = _file(tmp_path, NAMED_ROWS[:2] + extra)
    result = run_cli(["load-lines", str(path)], settings.duckdb_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "24 line(s) read, 2 loaded (2 new, 0 changed), 22 quarantined" in out
    assert "line 4" in out and "line 23" in out and "line 24" not in out  # the first 20 listed
    assert "... and 2 more" in out
    # piped output is not cut: the whole reason is on the row
    assert any(
        "no pitcher named 'Unknown Pitcher 00 With A Very Long Name Indeed'" in line
        for line in out.splitlines()
    )


@requires_real_data
@pytest.mark.realdata
def test_a_real_format_lines_file_keyed_by_names_resolves_every_real_2022_start(
    warehouse, tmp_path: Path
) -> None:
    """A lines file built from the real 2022 starts' dates, names (as a book writes them) and MLB team
    codes: every row resolves to the real pitcher id; nothing is quarantined."""
    import pandas as pd

    from python_models.ingest.loaders import load_file
    from python_models.ingest.resolve import team_directory
    from python_models.warehouse.raw_tables import GAME_LOGS

    load_file(warehouse, GAME_LOGS, REAL_DATA / "starters_2021_2022.csv.gz")
    starts = pd.read_csv(
        REAL_DATA / "starters_2021_2022.csv.gz", usecols=["game_date", "team", "pitcher_id", "pitcher_name"]
    )
    starts = starts[starts["game_date"] >= "2022-06-01"].reset_index(drop=True)
    teams = team_directory()
    lines = pd.DataFrame(
        {
            "game_date": starts["game_date"],
            "pitcher_name": starts["pitcher_name"].str.replace(". ", ".", regex=False).str.upper(),
            "team": starts["team"].map(lambda t: teams.find(t).team_code),
            "strikeouts_line": 4.5,
            "over_odds": -110,
            "under_odds": -110,
        }
    )
    path = tmp_path / "real_2022_lines.csv"
    lines.to_csv(path, index=False)
    load = load_lines(warehouse, path)
    assert not load.quarantined, load.quarantined[:3]
    got = rows(warehouse, STRIKEOUT_LINES, "game_date, pitcher_id")[["game_date", "pitcher_id"]]
    want = starts.assign(game_date=pd.to_datetime(starts["game_date"]))[["game_date", "pitcher_id"]]
    assert len(got) == len(starts)
    assert sorted(map(tuple, got.astype(str).values)) == sorted(map(tuple, want.astype(str).values))
    assert date(2022, 6, 1) <= got["game_date"].min().date()


# --- issue 20, item 2: hostile lines files -------------------------------------------------------------
ID_HEADER = "game_date,pitcher_id,bookmaker,strikeouts_line,over_odds,under_odds,captured_at\n"


def test_decimal_odds_in_a_csv_are_named_as_decimal_odds_with_the_american_price(
    world, tmp_path: Path
) -> None:
    body = [
        "2026-04-01,colee001,draftkings,6.5,1.87,1.95,2026-04-01T14:00:00Z\n",
        "2026-04-01,bellb001,draftkings,5.5,2.10,1.74,2026-04-01T14:00:00Z\n",
    ]
    with pytest.raises(DataValidationError) as err:
        load_lines(world, _file(tmp_path, body, header=ID_HEADER))
    message = str(err.value)
    assert "line 2, column over_odds: 1.87 looks like decimal odds" in message
    assert "decimal 1.87 = -115" in message and "as do 3 other price(s)" in message
    assert "not a valid int64" not in message  # one clear line, not four type errors
    assert count(world, STRIKEOUT_LINES) == 0


@pytest.mark.parametrize(
    ("over", "under", "why"),
    [("900", "900", "negative margin of -80.0%"), ("-500", "-300", "margin of +58.3%")],
)
def test_a_price_pair_no_book_would_post_rejects_the_file_naming_the_row(
    world, tmp_path: Path, over: str, under: str, why: str
) -> None:
    body = [
        "2026-04-01,colee001,draftkings,6.5,-115,-105,2026-04-01T14:00:00Z\n",
        f"2026-04-01,bellb001,draftkings,5.5,{over},{under},2026-04-01T14:00:00Z\n",
    ]
    with pytest.raises(DataValidationError, match=r"line 3: over_odds") as err:
        load_lines(world, _file(tmp_path, body, header=ID_HEADER))
    assert why in str(err.value)
    assert count(world, STRIKEOUT_LINES) == 0


def test_an_odds_feed_pair_at_plus_900_both_ways_is_rejected_naming_the_outcomes(
    world, tmp_path: Path
) -> None:
    event = {
        "id": "e1",
        "commence_time": "2026-04-01T23:05:00Z",
        "home_team": "New York Yankees",
        "away_team": "Boston Red Sox",
        "bookmakers": [
            {
                "key": "draftkings",
                "last_update": "2026-04-01T15:00:00Z",
                "markets": [
                    {
                        "key": "pitcher_strikeouts",
                        "outcomes": [
                            {"name": "Over", "description": "Gerrit Cole", "price": 900, "point": 6.5},
                            {"name": "Under", "description": "Gerrit Cole", "price": 900, "point": 6.5},
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "odds.json"
    path.write_text(json.dumps([event]), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"\$\[0\]\.bookmakers\[0\]\.markets\[0\]: Gerrit Cole 6.5"):
        load_lines(world, path, "odds-api")
    assert count(world, STRIKEOUT_LINES) == 0


def test_bookmaker_keys_are_one_book_whatever_their_case_and_spaces(world, tmp_path: Path) -> None:
    first = _file(
        tmp_path, ["2026-04-01,colee001, BetMGM ,6.5,-115,-105,2026-04-01T14:00:00Z\n"], "a.csv", ID_HEADER
    )
    second = _file(
        tmp_path, ["2026-04-01,colee001,betmgm,6.5,-115,-105,2026-04-01T14:00:00Z\n"], "b.csv", ID_HEADER
    )
    load_lines(world, first)
    again = load_lines(world, second)
    assert again.result.rows_inserted == 0
    assert rows(world, STRIKEOUT_LINES, "pitcher_id")["bookmaker"].tolist() == ["betmgm"]
    # both spellings in one file are one key twice: the file is rejected, naming both rows
    both = _file(
        tmp_path,
        [
            "2026-04-01,bellb001,BetMGM,5.5,-115,-105,2026-04-01T14:00:00Z\n",
            "2026-04-01,bellb001,betmgm,5.5,-110,-110,2026-04-01T14:00:00Z\n",
        ],
        "c.csv",
        ID_HEADER,
    )
    with pytest.raises(DataValidationError, match=r"line 3, column .*duplicates the key of line 2"):
        load_lines(world, both)


def test_a_pitcher_id_the_warehouse_has_never_seen_is_loaded_with_a_warning(
    world, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = [
        "2026-04-01,colee001,draftkings,6.5,-115,-105,2026-04-01T14:00:00Z\n",
        "2026-04-01,zzzzz999,draftkings,5.5,-110,-110,2026-04-01T14:00:00Z\n",
    ]
    with caplog.at_level("WARNING", logger="python_models.ingest.lines"):
        load = load_lines(world, _file(tmp_path, body, header=ID_HEADER))
    assert load.rows_loaded == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "zzzzz999 (line 3)" in warnings[0] and "colee001" not in warnings[0]
    assert "never seen" in warnings[0]


def test_a_price_pair_written_past_the_loader_fails_the_staging_gate_and_books_are_trimmed(
    tmp_path: Path, dbt_target_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    from python_models.jobs.dbt_ops import DbtError, run_dbt
    from python_models.warehouse import open_warehouse

    monkeypatch.setenv("KZONE_TEST_SEVERITY", "error")
    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        load_world(wh, tmp_path)
        lines = wh.relation(STRIKEOUT_LINES.layer, STRIKEOUT_LINES.name)
        for book, over, under in ((" BetMGM ", -115, -105), ("draftkings", 900, 900)):
            wh.execute(
                f"insert into {lines} (game_date, pitcher_id, bookmaker, strikeouts_line, over_odds, "
                "under_odds, captured_at, _loaded_at) values (@d, 'colee001', @b, 6.5, @o, @u, @t, @t)",
                {"d": date(2026, 4, 1), "b": book, "o": over, "u": under, "t": datetime(2026, 4, 1, 14)},
            )
    finally:
        wh.close()
    with pytest.raises(DbtError, match="assert_sportsbook_prices_plausible"):
        run_dbt(
            ["build", "--select", "stg_sportsbook__strikeout_lines", "assert_sportsbook_prices_plausible"],
            settings,
        )
    with duckdb.connect(str(settings.duckdb_path)) as con:
        books = con.execute(
            "select bookmaker from staging.stg_sportsbook__strikeout_lines order by 1"
        ).fetchall()
    assert books == [("betmgm",), ("draftkings",)]


def test_the_line_range_is_one_var_the_loaders_and_the_staging_gate_both_read(
    tmp_path: Path, dbt_target_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_models.dbt.project import var
    from python_models.jobs.dbt_ops import DbtError, run_dbt
    from python_models.predictors.markets import LINE_RANGE
    from python_models.warehouse import open_warehouse

    assert tuple(var("line_range")) == LINE_RANGE  # the loaders' and the scorer's range
    monkeypatch.setenv("KZONE_TEST_SEVERITY", "error")
    settings = make_settings(tmp_path)
    with open_warehouse(settings) as wh:
        load_world(wh, tmp_path)
        lines = wh.relation(STRIKEOUT_LINES.layer, STRIKEOUT_LINES.name)
        wh.execute(  # past the loader: a line above the var's upper bound
            f"insert into {lines} (game_date, pitcher_id, bookmaker, strikeouts_line, over_odds, "
            "under_odds, captured_at, _loaded_at) values (@d, 'colee001', 'fanduel', @line, -110, -110, @t, @t)",
            {"d": date(2026, 4, 1), "line": LINE_RANGE[1] + 1, "t": datetime(2026, 4, 1, 14)},
        )
    build = ["build", "--select", "stg_sportsbook__strikeout_lines", "--exclude", "resource_type:unit_test"]
    with pytest.raises(DbtError, match="stg_strikeout_lines_line_in_range"):
        run_dbt(build, settings)
    run_dbt(
        build, settings, vars={"line_range": [LINE_RANGE[0], LINE_RANGE[1] + 1]}
    )  # the gate follows the var


def test_a_reload_without_an_optional_column_keeps_the_stored_values(world, tmp_path: Path) -> None:
    header = "game_id,game_date,pitcher_id,pitcher_name,bookmaker,strikeouts_line,over_odds,under_odds,captured_at\n"
    full = _file(
        tmp_path,
        ["NYA202604010,2026-04-01,colee001,Gerrit Cole,fanduel,6.5,-115,-105,2026-04-01T14:00:00Z\n"],
        "full.csv",
        header,
    )
    load_lines(world, full)
    # the same capture again, from an export without game_id and pitcher_name, at a moved price
    slim = _file(
        tmp_path, ["2026-04-01,colee001,fanduel,6.5,-120,100,2026-04-01T14:00:00Z\n"], "slim.csv", ID_HEADER
    )
    load_lines(world, slim)
    stored = rows(world, STRIKEOUT_LINES, "pitcher_id").iloc[0]
    assert (stored["game_id"], stored["pitcher_name"]) == ("NYA202604010", "Gerrit Cole")
    assert (stored["over_odds"], stored["under_odds"]) == (-120, 100)
