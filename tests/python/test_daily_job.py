"""The morning job end to end on a copy of the trained demo warehouse: a scratched starter is withdrawn and
his replacement scored, and a live run of the same morning enforces the game-date recency gates (one path,
two behaviours); a stale source stops the job before anything is scored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from python_models.ingest.loaders import load_frame
from python_models.ingest.validation import validate_frame
from python_models.jobs.backfill import completed_dates
from python_models.jobs.daily import UPSTREAM_BUILD, StaleSourceError, run_daily
from python_models.jobs.dbt_ops import DbtError, run_dbt
from python_models.warehouse import open_warehouse
from python_models.warehouse.raw_tables import PROBABLE_STARTERS

TODAY = date(2026, 9, 27)  # the demo's last day: probable starters and lines, no results yet


def _query(settings, sql: str, params: dict | None = None) -> pd.DataFrame:
    wh = open_warehouse(settings)
    try:
        return wh.query(sql, params)
    finally:
        wh.close()


def _replace_one_starter(settings) -> tuple[str, str, str, str]:
    """A later announcement for one team-game of TODAY names a teammate (through the real loader)."""
    wh = open_warehouse(settings)
    try:
        current = wh.query(
            "select * from raw.probable_starters where game_date = @d order by game_id, team limit 1",
            {"d": TODAY},
        )
        game_id, team, scratched = current.loc[0, ["game_id", "team", "pitcher_id"]]
        teammate = wh.query(
            """
            select pitcher_id, max(pitcher_name) as pitcher_name, max(pitcher_throws) as pitcher_throws
            from raw.pitcher_game_logs
            where team = @team and pitcher_id not in (
                select pitcher_id from raw.probable_starters where game_date = @d
            )
            group by 1 order by 1 limit 1
            """,
            {"team": team, "d": TODAY},
        )
        replacement = current.copy()
        replacement["pitcher_id"] = teammate.loc[0, "pitcher_id"]
        replacement["pitcher_name"] = teammate.loc[0, "pitcher_name"]
        replacement["pitcher_throws"] = teammate.loc[0, "pitcher_throws"]
        replacement["announced_at"] = pd.Timestamp(current.loc[0, "announced_at"]) + pd.Timedelta(hours=3)
        columns = [
            c.name
            for c in PROBABLE_STARTERS.columns
            if c.name not in {"row_hash", "_source_file", "_loaded_at"}
        ]
        typed = validate_frame(replacement[columns].astype("string"), PROBABLE_STARTERS, "late announcement")
        load_frame(wh, PROBABLE_STARTERS, typed, "late-announcement")
    finally:
        wh.close()
    return str(game_id), str(team), str(scratched), str(replacement.loc[0, "pitcher_id"])


@pytest.mark.slow
def test_a_scratched_starter_is_withdrawn_and_his_replacement_scored_and_a_live_run_enforces_recency(
    env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One morning's path for two behaviours (each full morning costs seconds): the scratched starter, then
    the game-date recency gate. The demo's newest game date is months before the wall clock: the
    historical runs pass, the same morning run with --live fails on the game-date recency gate."""
    settings, wh = env
    wh.close()  # the job opens its own connections
    monkeypatch.setenv("KZONE_TEST_SEVERITY", "error")  # every gate of the historical runs passes
    first = run_daily(settings, TODAY)
    assert first.score is not None and first.score.slate_size > 20
    game_id, team, scratched, replacement = _replace_one_starter(settings)

    run_dbt(UPSTREAM_BUILD, settings, vars={"as_of_date": TODAY.isoformat()})  # the store sees the change
    wh = open_warehouse(settings)
    try:  # the old rows still count every system x slate size, but the current starter has none yet
        assert TODAY not in completed_dates(wh, settings, TODAY, TODAY)
    finally:
        wh.close()
    second = run_daily(settings, TODAY)
    assert second.score is not None

    picks = _query(settings, "select * from mlb_predictions.todays_picks")
    assert not picks.duplicated(["game_id", "team"]).any(), "one live pick per team-game"
    assert len(picks) == first.score.slate_size
    assert scratched not in set(picks["pitcher_id"])
    mine = picks[(picks["game_id"] == game_id) & (picks["team"] == team)].iloc[0]
    assert mine["pitcher_id"] == replacement and mine["replaces_pitcher_name"]

    rows = _query(
        settings,
        "select * from mlb_predictions.pitcher_strikeouts where game_date = @d and pitcher_id in (@a, @b)",
        {"d": TODAY, "a": scratched, "b": replacement},
    )
    old, new = rows[rows["pitcher_id"] == scratched], rows[rows["pitcher_id"] == replacement]
    systems = len(settings.active_systems)  # one prediction per active system
    assert len(old) == systems and (old["prediction_status"] == "withdrawn").all()
    assert (old["result"] == "void").all() and (old["void_reason"] == "withdrawn").all()
    assert old["withdrawn_reason"].str.contains(replacement).all()
    assert (
        len(new) == systems
        and (new["prediction_status"] == "live").all()
        and (new["result"] == "pending").all()
    )
    coverage = _query(
        settings, "select * from mlb_predictions.prediction_coverage where game_date = @d", {"d": TODAY}
    )
    assert set(coverage["system_id"]) == set(settings.active_systems)
    assert (coverage["coverage_pct"] == 100).all(), coverage
    wh = open_warehouse(settings)
    try:
        assert TODAY in completed_dates(wh, settings, TODAY, TODAY)
    finally:
        wh.close()

    with pytest.raises(DbtError, match="freshness_predictions_live_recency"):
        run_daily(settings.model_copy(update={"live": True}), TODAY, run_migrations=False)


@pytest.mark.slow
def test_a_stale_source_stops_the_daily_job_before_scoring(env) -> None:
    settings, wh = env
    stale = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=80)
    wh.execute("update raw.probable_starters set _loaded_at = @t", {"t": stale})
    wh.execute("delete from raw.injured_list")  # never delivered: reported, not fatal
    wh.close()
    with pytest.raises(StaleSourceError, match=r"schedule\.probable_starters: last loaded 80 h ago"):
        run_daily(settings, TODAY)
    landing = _query(settings, "select count(*) as n from scoring.predictions_landing")  # created empty
    assert int(landing["n"].iloc[0]) == 0, "nothing may be scored on stale data"
