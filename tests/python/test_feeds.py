"""The feeds people really have, on recorded sample payloads written from the documented schemas (no
network): The Odds API v4 event odds and the MLB Stats API schedule with probable pitchers."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.lines import load_lines
from python_models.ingest.loaders import load_file
from python_models.ingest.schedule import load_statsapi_schedule
from python_models.ingest.validation import DataValidationError
from python_models.warehouse.raw_tables import (
    LINES_QUARANTINE,
    PEOPLE,
    PROBABLE_STARTER_ANNOUNCEMENTS,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
)

from .conftest import make_settings
from .feeds_fixture import (
    FIXTURES,
    count,
    load_world,
    people_frame,
    probables_frame,
    rows,
    run_cli,
    write_csv,
)

ODDS = FIXTURES / "odds_api_pitcher_strikeouts.json"
SCHEDULE = FIXTURES / "mlb_statsapi_schedule.json"


@pytest.fixture
def slate(warehouse, tmp_path: Path):
    load_world(warehouse, tmp_path)
    return warehouse


def _lines(wh) -> dict[tuple[str, str, str], tuple]:
    got = rows(wh, STRIKEOUT_LINES, "bookmaker, pitcher_id, captured_at")
    return {
        (r.bookmaker, r.pitcher_id, f"{r.captured_at:%H:%M}"): (
            r.strikeouts_line,
            r.over_odds,
            r.under_odds,
            r.game_id,
            f"{r.game_date:%Y-%m-%d}",
            f"{r.event_start_at:%m-%d %H:%M}",
        )
        for r in got.itertuples(index=False)
    }


# --- The Odds API ------------------------------------------------------------------------------------
def test_odds_api_pairs_overs_with_unders_keeps_every_book_and_capture(slate) -> None:
    load = load_lines(slate, ODDS, "odds-api")
    assert load.rows_loaded == 9
    assert load.ignored_markets == {"pitcher_strikeouts_alternate": 1, "h2h": 1}
    lines = _lines(slate)
    # two books, two captures of one book; the market's last_update, else the bookmaker's
    assert lines[("draftkings", "colee001", "15:00")][:3] == (6.5, -115, -105)
    assert lines[("draftkings", "colee001", "21:00")][:3] == (6.5, -125, -105)
    assert lines[("fanduel", "colee001", "15:02")][:3] == (6.5, -120, -110)
    assert lines[("draftkings", "bellb001", "15:00")][:3] == (4.5, 105, -135)
    # the event's first pitch is stored; game_date is New York's date of it; the slate's game fills game_id
    assert lines[("betmgm", "garcl005", "18:30")][3:] == ("SFN202604010", "2026-04-01", "04-02 02:15")
    # a doubleheader: each pitcher gets his own game and event time
    assert lines[("draftkings", "acunr001", "15:00")][3:] == ("HOU202604011", "2026-04-01", "04-01 17:10")
    assert lines[("draftkings", "gilbl001", "15:00")][3:] == ("HOU202604012", "2026-04-01", "04-01 23:10")


def test_odds_api_reports_a_missing_under_a_second_point_and_a_player_not_on_the_slate(slate) -> None:
    load = load_lines(slate, ODDS, "odds-api")
    reasons = {q.pitcher_name: q for q in load.quarantined}
    assert set(reasons) == {"Gerrit Cole", "Brayan Bello", "Carlos Rodón"}
    assert "Over 4.5 without its Under" in reasons["Brayan Bello"].reason
    assert reasons["Brayan Bello"].bookmaker == "fanduel"
    assert (
        "kept 6.5 (-115/-105, prices closest to even), not 5.5 (-190/+150)" in reasons["Gerrit Cole"].reason
    )
    assert "no pitcher named 'Carlos Rodón'" in reasons["Carlos Rodón"].reason
    assert reasons["Carlos Rodón"].team == "NYA|BOS"  # the event's home|away teams
    kept = rows(slate, LINES_QUARANTINE, "record")
    assert kept["source_format"].unique().tolist() == ["odds-api"]
    assert kept["record"].str.startswith("$[0].bookmakers[").all()
    cole = json.loads(kept.set_index("pitcher_name").loc["Gerrit Cole", "raw_row"])
    assert cole["bookmaker"] == "draftkings" and [o["point"] for o in cole["outcomes"]] == [5.5, 5.5]
    # the key is never broken: one line per pitcher, book and capture
    assert not rows(slate, STRIKEOUT_LINES, "pitcher_id").duplicated(list(STRIKEOUT_LINES.key)).any()


def test_odds_api_reload_changes_nothing(slate) -> None:
    load_lines(slate, ODDS, "odds-api")
    again = load_lines(slate, ODDS, "odds-api")
    assert (again.result.rows_inserted, again.result.rows_updated) == (0, 0)
    assert count(slate, LINES_QUARANTINE) == 3


def _event(**changes: object) -> dict:
    event = json.loads(ODDS.read_text())[2]
    event.update(changes)
    return event


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([_event(home_team="Brooklyn Robins")], r"\$\[0\]\.home_team: 'Brooklyn Robins' is not a team"),
        ([_event(commence_time="soon")], r"\$\[0\]\.commence_time: 'soon' is not a valid timestamp"),
        (
            [
                _event(
                    bookmakers=[
                        {
                            "key": "pinnacle",
                            "last_update": "2026-04-01T15:00:00Z",
                            "markets": [
                                {
                                    "key": "pitcher_strikeouts",
                                    "outcomes": [
                                        {
                                            "name": "Over",
                                            "description": "Logan Webb",
                                            "price": 1.91,
                                            "point": 5.5,
                                        },
                                        {
                                            "name": "Under",
                                            "description": "Logan Webb",
                                            "price": 1.91,
                                            "point": 5.5,
                                        },
                                    ],
                                }
                            ],
                        }
                    ]
                )
            ],
            "looks like decimal odds; request oddsFormat=american",
        ),
        (
            [
                _event(
                    bookmakers=[
                        {
                            "key": "pinnacle",
                            "markets": [{"key": "pitcher_strikeouts", "last_update": "x", "outcomes": []}],
                        }
                    ]
                )
            ],
            None,
        ),
    ],
)
def test_a_malformed_odds_document_rejects_the_whole_file(slate, tmp_path: Path, doc: list, message) -> None:
    path = tmp_path / "odds.json"
    path.write_text(json.dumps(doc))
    if message is None:  # an empty market is not an error: nothing to load
        assert load_lines(slate, path, "odds-api").rows_loaded == 0
        return
    with pytest.raises(DataValidationError, match=message):
        load_lines(slate, path, "odds-api")
    assert count(slate, STRIKEOUT_LINES) == 0


def test_a_truncated_json_file_is_rejected_naming_line_and_column(slate, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(ODDS.read_text()[:400])
    with pytest.raises(DataValidationError, match=r"line \d+, column \d+: not valid JSON"):
        load_lines(slate, path, "odds-api")
    csv_format = pytest.raises(DataValidationError, match="--format odds-api")
    with csv_format:
        load_lines(slate, ODDS, "csv")


def test_a_single_event_and_a_historical_snapshot_load_too(slate, tmp_path: Path) -> None:
    event = json.loads(ODDS.read_text())[2]
    single = tmp_path / "one_event.json"
    single.write_text(json.dumps(event))
    assert load_lines(slate, single, "odds-api").rows_loaded == 2
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(json.dumps({"timestamp": "2026-04-01T18:30:00Z", "data": event}))
    assert load_lines(slate, snapshot, "odds-api").rows_loaded == 2


# --- MLB Stats API -----------------------------------------------------------------------------------
@pytest.fixture
def registered(warehouse, tmp_path: Path):
    load_world(warehouse, tmp_path, probables=False)
    load_file(warehouse, PEOPLE, write_csv(people_frame(), tmp_path / "people.csv"))
    return warehouse


def test_statsapi_schedule_loads_announced_starters_with_retrosheet_game_ids(registered) -> None:
    load = load_statsapi_schedule(registered, SCHEDULE)
    assert (load.games, load.rows_loaded) == (6, 7)
    got = rows(registered, PROBABLE_STARTERS, "game_id, team").set_index(["game_id", "team"])
    assert sorted(got.index) == [
        ("HOU202604011", "HOU"),
        ("HOU202604011", "SEA"),
        ("HOU202604012", "HOU"),
        ("HOU202604012", "SEA"),
        ("NYA202604010", "BOS"),
        ("NYA202604010", "NYA"),
        ("SFN202604010", "SFN"),  # the official (local) date, not gameDate's UTC date
    ]
    cole = got.loc[("NYA202604010", "NYA")]
    assert (cole["pitcher_id"], cole["opponent"], bool(cole["is_home"])) == ("colee001", "BOS", True)
    assert cole["first_pitch_at"] == datetime(2026, 4, 1, 23, 5)
    assert (got["announced_at"] <= got["first_pitch_at"]).all()  # a file fetched later is not news
    assert got.loc[("HOU202604012", "HOU"), "pitcher_throws"] == "L"  # hand from the people register


def test_statsapi_reports_no_starter_unmapped_pitchers_and_postponed_games(registered) -> None:
    reported = load_statsapi_schedule(registered, SCHEDULE).reported
    assert len(reported) == 4, reported
    text = "\n".join(reported)
    assert "gamePk 800005 (CWS at CLE" in text and "Postponed" in text
    assert "Luis García (MLBAM 600001, SD) has no pitcher_id in raw.people" in text
    assert "gamePk 800006 (MIL at CHC" in text
    assert "no announced starter for MIL" in text and "no announced starter for CHC" in text


def test_statsapi_announced_at_is_the_file_time_when_before_first_pitch(registered, tmp_path: Path) -> None:
    copy = tmp_path / "schedule_morning.json"
    copy.write_text(SCHEDULE.read_text())
    morning = datetime(2026, 4, 1, 13, 30, tzinfo=UTC).timestamp()
    os.utime(copy, (morning, morning))
    load_statsapi_schedule(registered, copy)
    got = rows(registered, PROBABLE_STARTERS, "first_pitch_at")
    assert got["announced_at"].tolist()[0] == datetime(2026, 4, 1, 13, 30)
    assert load_statsapi_schedule(registered, copy).result.rows_inserted == 0  # reload adds nothing


def _later_schedule(tmp_path: Path, hours: int, *, scratch: bool) -> Path:
    """The fixture schedule fetched ``hours`` after the morning, with Bello (BOS) no longer announced."""
    doc = json.loads(SCHEDULE.read_text())
    if scratch:
        del doc["dates"][0]["games"][0]["teams"]["away"]["probablePitcher"]
    path = tmp_path / f"schedule_{hours}h.json"
    path.write_text(json.dumps(doc))
    t = datetime(2026, 4, 1, 13 + hours, 30, tzinfo=UTC).timestamp()
    os.utime(path, (t, t))
    return path


def _bos(wh):
    got = rows(wh, PROBABLE_STARTERS, "game_id, team")
    return got[got["team"] == "BOS"].iloc[0]


def test_a_schedule_file_without_a_loaded_starter_scratches_him_like_the_fetch(
    registered, tmp_path: Path
) -> None:
    """`load-probable-starters --format mlb-statsapi` applies the fetch's rule: a listed game with no
    probable pitcher for a side whose starter was loaded gets a scratch row, never a deletion; a reload
    changes nothing, an older file reloaded later never undoes it, a later announcement replaces it."""
    load_statsapi_schedule(registered, _later_schedule(tmp_path, 0, scratch=False))
    later = _later_schedule(tmp_path, 2, scratch=True)
    load = load_statsapi_schedule(registered, later)
    bos = _bos(registered)
    assert bool(bos["is_scratched"]) and pd.isna(bos["pitcher_id"])
    assert bos["announced_at"] == datetime(2026, 4, 1, 15, 30)
    assert any("bellb001 (BOS) scratched, no replacement announced yet" in r for r in load.reported)
    history = rows(registered, PROBABLE_STARTER_ANNOUNCEMENTS, "announced_at")
    assert history[history["team"] == "BOS"]["pitcher_id"].tolist()[0] == "bellb001", "his announcement kept"
    assert load_statsapi_schedule(registered, later).result.rows_inserted == 0  # a reload adds nothing
    load_statsapi_schedule(registered, _later_schedule(tmp_path, 0, scratch=False))  # older news
    assert bool(_bos(registered)["is_scratched"])
    load_statsapi_schedule(registered, _later_schedule(tmp_path, 3, scratch=False))  # announced again
    assert _bos(registered)["pitcher_id"] == "bellb001"


def test_a_csv_that_omits_a_loaded_starter_leaves_him_announced_and_a_scratch_row_scratches_him(
    registered, tmp_path: Path
) -> None:
    """A CSV of starters is additive (it may carry only some games): omitting Bello changes nothing. A row
    with is_scratched and no pitcher scratches him; a scratch row naming a pitcher is rejected, named."""
    full = probables_frame()
    load_file(registered, PROBABLE_STARTERS, write_csv(full, tmp_path / "all.csv"))
    without = full[full["pitcher_id"] != "bellb001"]
    load_file(registered, PROBABLE_STARTERS, write_csv(without, tmp_path / "without.csv"))
    assert _bos(registered)["pitcher_id"] == "bellb001"
    scratch = full[full["pitcher_id"] == "bellb001"].assign(
        pitcher_id="", pitcher_name="", is_scratched="true", announced_at="2026-04-01T15:00:00Z"
    )
    load_file(registered, PROBABLE_STARTERS, write_csv(scratch, tmp_path / "scratch.csv"))
    assert bool(_bos(registered)["is_scratched"]) and pd.isna(_bos(registered)["pitcher_id"])
    bad = scratch.assign(pitcher_id="bellb001")
    with pytest.raises(
        DataValidationError, match=r"line 2, column pitcher_id.*must be empty on a scratch row"
    ):
        load_file(registered, PROBABLE_STARTERS, write_csv(bad, tmp_path / "bad.csv"))
    nameless = full.assign(pitcher_id="")
    with pytest.raises(DataValidationError, match=r"column pitcher_id.*is required"):
        load_file(registered, PROBABLE_STARTERS, write_csv(nameless, tmp_path / "nameless.csv"))


def test_an_unknown_team_id_rejects_the_schedule(registered, tmp_path: Path) -> None:
    doc = json.loads(SCHEDULE.read_text())
    doc["dates"][0]["games"][0]["teams"]["home"]["team"]["id"] = 999
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(DataValidationError, match=r"\$\.dates\[0\]\.games\[0\]\.teams\.home\.team\.id: 999"):
        load_statsapi_schedule(registered, path)
    assert count(registered, PROBABLE_STARTERS) == 0


def test_schedule_then_odds_resolve_against_the_announced_slate(registered) -> None:
    """The morning of a live day: starters from the Stats API, then lines from The Odds API."""
    load_statsapi_schedule(registered, SCHEDULE)
    load = load_lines(registered, ODDS, "odds-api")
    assert load.rows_loaded == 9
    # García was not mapped (no MLBAM id), but the game logs know him and betmgm names the event's teams
    assert ("betmgm", "garcl005", "18:30") in _lines(registered)


def test_cli_loads_both_feeds_and_lists_what_it_did_not_load(tmp_path: Path) -> None:
    from python_models.warehouse import open_warehouse

    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        load_world(wh, tmp_path, probables=False)
    finally:
        wh.close()
    db = settings.duckdb_path
    people = run_cli(["load-people", str(write_csv(people_frame(), tmp_path / "people.csv"))], db)
    assert people.exit_code == 0, people.output
    starters = run_cli(["load-probable-starters", "--format", "mlb-statsapi", str(SCHEDULE)], db)
    assert starters.exit_code == 0, starters.output
    assert "6 game(s), 7 starter(s) loaded (7 new, 0 changed), 4 not loaded" in starters.stdout
    assert "Postponed" in starters.stdout
    lines = run_cli(["load-lines", "--format", "odds-api", str(ODDS)], db)
    assert lines.exit_code == 0, lines.output
    assert "12 line(s) read, 9 loaded (9 new, 0 changed), 3 quarantined" in lines.stdout
    assert "other markets ignored: h2h (1), pitcher_strikeouts_alternate (1)" in lines.stdout
    bad = run_cli(["load-lines", "--format", "xml", str(ODDS)], db)
    assert bad.exit_code != 0 and "csv, odds-api" in bad.output


@pytest.mark.slow
def test_dbt_staging_reads_the_quarantine_event_start_and_the_register(
    tmp_path: Path, dbt_target_dir
) -> None:
    """The new sources build as staging views (and their tests pass) once the feeds loaded."""
    import duckdb

    from python_models.jobs.dbt_ops import run_dbt
    from python_models.warehouse import open_warehouse

    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        load_world(wh, tmp_path, probables=False)
        load_file(wh, PEOPLE, write_csv(people_frame(), tmp_path / "people.csv"))
        load_statsapi_schedule(wh, SCHEDULE)
        load_lines(wh, ODDS, "odds-api")
    finally:
        wh.close()
    run_dbt(
        [
            "build",
            "--select",
            "stg_sportsbook__strikeout_lines",  # its consumers also read the feature store (not built here)
            "stg_sportsbook__quarantined_lines",
            "stg_register__people",
        ],
        settings,
    )
    with duckdb.connect(str(settings.duckdb_path)) as con:  # same config as dbt's in-process connection
        starts = con.execute(
            "select count(*), count(event_start_at) from staging.stg_sportsbook__strikeout_lines"
        ).fetchone()
        assert starts == (9, 9)
        assert (
            con.execute("select count(*) from staging.stg_sportsbook__quarantined_lines").fetchone()[0] == 3
        )
        assert con.execute(
            "select pitcher_name, key_mlbam from staging.stg_register__people where pitcher_id = 'colee001'"
        ).fetchone() == ("Gerrit Cole", 543037)


@pytest.mark.slow
def test_a_lines_table_from_before_event_start_at_still_builds_its_staging_view(
    tmp_path: Path, dbt_target_dir
) -> None:
    """A production warehouse whose raw.strikeout_lines predates the column (no load since): the staging
    view reads it as null instead of failing."""
    import duckdb

    from python_models.jobs.dbt_ops import run_dbt
    from python_models.warehouse import open_warehouse

    settings = make_settings(tmp_path)
    old_columns = [c for c in STRIKEOUT_LINES.columns if c.name != "event_start_at"]
    wh = open_warehouse(settings)
    try:
        wh.ensure_table(STRIKEOUT_LINES.layer, STRIKEOUT_LINES.name, old_columns)
        assert "event_start_at" not in wh.columns_of(STRIKEOUT_LINES.layer, STRIKEOUT_LINES.name)
    finally:
        wh.close()
    run_dbt(["build", "--select", "stg_sportsbook__strikeout_lines"], settings)
    with duckdb.connect(str(settings.duckdb_path)) as con:
        described = con.execute("describe staging.stg_sportsbook__strikeout_lines").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["event_start_at"] == "TIMESTAMP"
