"""Defect 2.3: a postponed, suspended or cancelled game withdraws its live picks, and a later report that
it is on again brings them back. The schedule feed records every game's status (raw.game_statuses); dbt's
int_games_called_off reads the latest report per game; int_predictions_graded withdraws the predictions of
a game called off before its starter started."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from python_models.config import Settings
from python_models.ingest.loaders import load_frame
from python_models.ingest.schedule import load_statsapi_schedule
from python_models.ingest.validation import validate_frame
from python_models.jobs.dbt_ops import migrate, run_dbt
from python_models.warehouse import open_warehouse
from python_models.warehouse.raw_tables import GAME_STATUSES, PEOPLE
from tests.python.conftest import make_settings
from tests.python.feeds_fixture import FIXTURES, load_world, people_frame, rows, write_csv
from tests.python.landing_fixture import landing_rows, write_landing, write_registry

SCHEDULE = FIXTURES / "mlb_statsapi_schedule.json"
AS_OF = date(2026, 9, 27)
VARS = {"as_of_date": f"{AS_OF:%Y-%m-%d}"}
BUILD = ["build", "--select", "+exposure:picks_consumers", "stg_scoring__registered_models"]


def test_the_schedule_feed_records_every_games_status(warehouse, tmp_path: Path) -> None:
    from python_models.ingest.loaders import load_file

    load_world(warehouse, tmp_path, probables=False)
    load_file(warehouse, PEOPLE, write_csv(people_frame(), tmp_path / "people.csv"))
    load = load_statsapi_schedule(warehouse, SCHEDULE)
    statuses = rows(warehouse, GAME_STATUSES, "game_id").set_index("game_pk")
    assert len(statuses) == load.games == 6
    assert statuses["is_called_off"].tolist().count(True) == 1
    postponed = statuses.loc[800005]
    assert (postponed["game_id"], postponed["game_status"]) == ("CLE202604010", "Postponed")
    assert any("800005" in r and "predictions are withdrawn" in r for r in load.reported)

    doc = json.loads(SCHEDULE.read_text())  # a later report: the game is on again
    game = doc["dates"][0]["games"][4]
    game["status"] = {"abstractGameState": "Preview", "codedGameState": "S", "detailedState": "Scheduled"}
    later = tmp_path / "schedule_later.json"
    later.write_text(json.dumps(doc))
    t = SCHEDULE.stat().st_mtime + 3600  # fetched an hour after the first file
    os.utime(later, (t, t))
    load_statsapi_schedule(warehouse, later)
    history = rows(warehouse, GAME_STATUSES, "reported_at")
    cle = history[history["game_id"] == "CLE202604010"]
    assert cle["is_called_off"].tolist() == [True, False], "the older report kept, the newer one added"
    assert len(history) == 12, "every report is kept"


def _report(
    settings: Settings, game_id: str, game_date: date, status: str, called_off: bool, at: str
) -> None:
    frame = pd.DataFrame(
        [
            {
                "game_id": game_id,
                "game_date": game_date.isoformat(),
                "game_pk": "900123",
                "game_status": status,
                "is_called_off": str(called_off),
                "reported_at": at,
            }
        ]
    ).astype("string")
    wh = open_warehouse(settings)
    try:
        load_frame(wh, GAME_STATUSES, validate_frame(frame, GAME_STATUSES, "status report"), f"report-{at}")
    finally:
        wh.close()


def _picks_and_rows(settings: Settings, game_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    wh = open_warehouse(settings)
    try:
        picks = wh.query("select * from mlb_predictions.todays_picks")
        table = wh.query(
            "select * from mlb_predictions.pitcher_strikeouts where game_id = @g", {"g": game_id}
        )
        coverage = wh.query(
            "select * from mlb_predictions.prediction_coverage where game_date = @d", {"d": AS_OF}
        )
    finally:
        wh.close()
    assert (coverage["coverage_pct"] == 100).all(), "a called-off game is not a coverage loss"
    return picks, table


@pytest.mark.slow
def test_a_postponed_game_withdraws_its_picks_and_gets_them_back_when_on_again(
    demo_warehouse: Settings, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    shutil.copy(demo_warehouse.duckdb_path, settings.duckdb_path)
    wh = open_warehouse(settings)
    try:
        write_registry(wh)
        write_landing(wh, landing_rows(wh, [AS_OF]))
        game_id = str(
            wh.query(f"select min(game_id) from raw.probable_starters where game_date = '{AS_OF}'").iloc[0, 0]
        )
    finally:
        wh.close()
    migrate(settings, vars=VARS)
    run_dbt(BUILD, settings, vars=VARS)
    picks, _ = _picks_and_rows(settings, game_id)
    slate = len(picks)
    assert (picks["game_id"] == game_id).sum() == 2

    _report(settings, game_id, AS_OF, "Postponed: Rain", True, "2026-09-27T14:00:00")
    run_dbt(BUILD, settings, vars=VARS)
    picks, table = _picks_and_rows(settings, game_id)
    assert game_id not in set(picks["game_id"]) and len(picks) == slate - 2
    assert (table["prediction_status"] == "withdrawn").all() and (table["result"] == "void").all()
    assert (table["withdrawn_reason"] == "game called off: Postponed: Rain").all()

    _report(settings, game_id, AS_OF, "Scheduled", False, "2026-09-27T16:00:00")  # on again
    run_dbt(BUILD, settings, vars=VARS)
    picks, table = _picks_and_rows(settings, game_id)
    assert (picks["game_id"] == game_id).sum() == 2 and len(picks) == slate
    assert (table["prediction_status"] == "live").all()
