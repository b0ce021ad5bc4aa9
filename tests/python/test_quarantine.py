"""Quarantine before publish: a landing row that breaks a row-level rule never reaches pitcher_strikeouts or
todays_picks, whatever the gates' severity; it lands in mlb_predictions.predictions_quarantine with the rule
it broke, the scorer batch that produced it and the dbt run that held it back. Proven on a copy of the demo
warehouse with landing rows written the way the scorer writes them, then bad rows injected straight into
the landing table (no scorer check in between)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from python_models.config import Settings, load_settings
from python_models.dbt.runner import migrate, run_dbt
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import new_batch_id, row_hashes
from python_models.warehouse.tables import PREDICTIONS_LANDING
from tests.python.conftest import make_settings
from tests.python.landing_fixture import landing_rows, write_landing, write_registry

AS_OF = date(2026, 9, 27)
VARS = {"as_of_date": f"{AS_OF:%Y-%m-%d}"}
BUILD = ["build", "--select", "+exposure:picks_consumers", "stg_scoring__registered_models"]
PICKS = load_settings().picks_system  # the system todays_picks shows (measured, or configured)


def _query(settings: Settings, sql: str) -> pd.DataFrame:
    wh = open_warehouse(settings)
    try:
        return wh.query(sql)
    finally:
        wh.close()


def _inject(settings: Settings) -> dict[str, str]:
    """Four bad rows written straight into the landing table; returns prediction_id -> the rule it breaks."""
    wh = open_warehouse(settings)
    try:
        landing = wh.query(
            f"select * from scoring.predictions_landing where game_date = date '{AS_OF}' "
            f"and system_id = '{PICKS}' and strikeouts_line is not null order by prediction_id limit 3"
        )
        forty, null_system, wild_odds = (landing.iloc[[i]].copy() for i in range(3))
        forty["predicted_strikeouts"] = 40.0  # a model bug: no starter strikes out 40
        null_system["system_id"] = None
        null_system["prediction_id"] = "injected-null-system"
        wild_odds["over_odds"] = 25000  # no book prices a strikeout prop at +25000
        stranger = landing.iloc[[0]].copy()
        stranger["pitcher_id"] = "nobody99"
        stranger["prediction_id"] = "injected-unknown-pitcher"
        bad = pd.concat([forty, null_system, wild_odds, stranger], ignore_index=True)
        bad["scored_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)
        bad["batch_id"] = "injected-batch"
        bad["row_hash"] = row_hashes(bad, PREDICTIONS_LANDING.content_columns())
        spec = PREDICTIONS_LANDING
        wh.merge_batch(spec.layer, spec.name, bad, spec.columns, spec.key, batch_id=new_batch_id("inject"))
    finally:
        wh.close()
    ids = bad["prediction_id"].tolist()
    return dict(
        zip(
            ids,
            ["prediction_out_of_range", "unknown_system", "odds_out_of_range", "unknown_pitcher"],
            strict=True,
        )
    )


@pytest.fixture(scope="module")
def poisoned(
    demo_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, dict[str, str]]:
    """The demo warehouse with a clean slate for AS_OF, built once, then four bad landing rows injected."""
    settings = make_settings(tmp_path_factory.mktemp("quarantine_wh"))
    shutil.copy(demo_warehouse.duckdb_path, settings.duckdb_path)
    wh = open_warehouse(settings)
    try:
        write_registry(wh)
        write_landing(wh, landing_rows(wh, [AS_OF]))
    finally:
        wh.close()
    migrate(settings, vars=VARS)
    run_dbt(BUILD, settings, vars=VARS)  # the clean rows published first: the bad rows replace some of them
    return settings, _inject(settings)


def _published(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = _query(settings, "select * from mlb_predictions.pitcher_strikeouts")
    picks = _query(settings, "select * from mlb_predictions.todays_picks")
    return table, picks


@pytest.mark.slow
@pytest.mark.parametrize("severity", ["warn", "error"])
def test_a_bad_landing_row_never_reaches_the_published_tables(
    poisoned: tuple[Settings, dict[str, str]], severity: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    base, bad = poisoned
    settings = make_settings(tmp_path)
    shutil.copy(base.duckdb_path, settings.duckdb_path)
    monkeypatch.setenv("KZONE_TEST_SEVERITY", severity)
    outcome = run_dbt(BUILD, settings, vars=VARS, raise_on_error=False)

    table, picks = _published(settings)
    assert not set(bad) & set(table["prediction_id"]), "a quarantined row is in pitcher_strikeouts"
    assert not set(bad) & set(picks["prediction_id"]), "a quarantined row is in todays_picks"
    assert table["predicted_strikeouts"].between(0, 20).all() and table["system_id"].notna().all()
    assert picks["pitcher_id"].isin(table["pitcher_id"]).all() and "nobody99" not in set(picks["pitcher_id"])
    # the good rows of the slate are still published: one live pick per team-game but the held-back ones
    slate = _query(settings, f"select count(*) as n from raw.probable_starters where game_date = '{AS_OF}'")
    assert len(picks) == int(slate["n"].iloc[0]) - 2  # the 40 K row and the +25000 row are held back

    quarantine = _query(settings, "select * from mlb_predictions.predictions_quarantine")
    held = quarantine[quarantine["released_at"].isna()].set_index("prediction_id")
    assert held["quarantine_rule"].to_dict() == bad
    assert (held["batch_id"] == "injected-batch").all() and held["last_invocation_id"].notna().all()
    assert (
        "40"
        in held.loc[next(i for i, r in bad.items() if r == "prediction_out_of_range"), "quarantine_detail"]
    )

    gate = [f for f in outcome.failures + outcome.warnings if "predictions_no_rows_held_back" in f]
    assert gate, "the held-back rows are reported by a gate"
    # every model built (a failing gate skips nothing a consumer reads); at severity error the run fails on
    # the held-back gate (the coverage gates, relation-level, also see the two lost team-games)
    assert "error" not in outcome.statuses and "skipped" not in outcome.statuses, outcome.statuses
    assert (not outcome.success) == (severity == "error")
    assert bool(set(gate) & set(outcome.failures)) == (severity == "error")


@pytest.mark.slow
def test_kzone_daily_counts_the_held_back_rows_and_exits_1_at_severity_error(env) -> None:
    """A row written straight into the landing table for today's slate (a pitcher nobody has seen): the
    morning job publishes the scorer's rows, holds that one back, prints how many and why, and exits 1."""
    from tests.python.feeds_fixture import run_cli

    settings, wh = env
    today = date(2026, 9, 27)
    stranger = landing_rows(wh, [today], systems=[PICKS]).iloc[[0]].copy()
    stranger["pitcher_id"] = "nobody99"
    stranger["prediction_id"] = "injected-unknown-pitcher"
    write_landing(wh, stranger)
    wh.close()  # the job opens its own connections

    result = run_cli(
        ["daily", "--date", today.isoformat()],
        settings.duckdb_path,
        KZONE_MODEL_STORE=str(settings.model_store),
        KZONE_TEST_SEVERITY="error",
        COLUMNS="200",
    )
    assert result.exit_code == 1, result.output
    assert "held back: 1 prediction row(s) held back, not published (unknown_pitcher 1)" in result.output
    picks = _query(settings, "select * from mlb_predictions.todays_picks")
    assert len(picks) > 20 and "nobody99" not in set(picks["pitcher_id"])


def test_the_report_counts_the_rows_held_back_now_per_rule(warehouse) -> None:
    from python_models.monitoring.report_data import read_held_back
    from python_models.monitoring.report_page import held_back_html

    assert "0 prediction rows held back" in held_back_html(read_held_back(warehouse))  # no quarantine yet
    warehouse.execute("create schema if not exists mlb_predictions")
    warehouse.execute(
        """
        create table mlb_predictions.predictions_quarantine as
        select * from (values
            ('a', 'prediction_out_of_range', 'predicted_strikeouts 40.0 outside [0, 20]', date '2026-09-27', null),
            ('b', 'prediction_out_of_range', 'predicted_strikeouts 31.0 outside [0, 20]', date '2026-09-26', null),
            ('c', 'unknown_system', 'system_id NULL is not in vars.systems', date '2026-09-27', null),
            ('d', 'unknown_pitcher', 'fixed since', date '2026-09-20', timestamp '2026-09-21 10:00:00')
        ) as t(quarantine_id, quarantine_rule, quarantine_detail, game_date, released_at)
        """
    )
    held = read_held_back(warehouse).set_index("quarantine_rule")
    assert held["n_rows"].to_dict() == {"prediction_out_of_range": 2, "unknown_system": 1}
    page = held_back_html(held.reset_index())
    assert "3 prediction row(s) held back" in page and "unknown_pitcher" not in page
