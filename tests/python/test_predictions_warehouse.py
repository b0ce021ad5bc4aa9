"""dbt owns the predictions warehouse: migrations of the legacy table, the incremental pitcher_strikeouts
table, grading, the monitoring views and the gates — proven on the demo league plus landing rows written
the way the scorer writes them (tests/python/landing_fixture.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from python_models.config import Settings
from python_models.dbt.runner import dbt_env, migrate, run_dbt
from python_models.demo.load import load_demo, write_legacy
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import new_batch_id, row_hashes
from python_models.warehouse.tables import LEGACY_PREDICTIONS, PREDICTIONS_LANDING
from tests.python.conftest import make_settings
from tests.python.landing_fixture import SYSTEMS, landing_rows, prediction_id, write_landing, write_registry

AS_OF = date(2026, 9, 27)
VARS = {"as_of_date": f"{AS_OF:%Y-%m-%d}"}
FIRST_RUN_DAYS = [date(2026, 9, 12) + timedelta(days=i) for i in range(15)]  # 09-12 .. 09-26
HELD_BACK_DAY = date(2026, 9, 26)  # "today" of the first build: its game logs arrive later
FIRST_VARS = {"as_of_date": f"{HELD_BACK_DAY:%Y-%m-%d}"}
LATE_LINE_DAY = date(2026, 9, 25)  # one of its lines is re-captured after the first build
SELECT = ["+exposure:picks_consumers", "stg_scoring__registered_models"]
VIEWS = (
    "todays_picks",
    "system_comparison",
    "system_performance",
    "daily_coverage",
    "system_agreement",
    "feature_coverage_monitoring",
    "prediction_coverage",
)


@dataclass
class Built:
    settings: Settings
    legacy_before: int
    log_after_first: pd.DataFrame
    first: pd.DataFrame
    second: pd.DataFrame
    late_line_id: str
    late_line: float


def _query(settings: Settings, sql: str) -> pd.DataFrame:
    wh = open_warehouse(settings)
    try:
        frame = wh.query(sql)
    finally:
        wh.close()
    for column in frame.columns:  # DATE columns come back as datetime64: compare them as dates
        if column.endswith("date") and pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.date
    return frame


def _table(settings: Settings) -> pd.DataFrame:
    frame = _query(settings, "select * from mlb_predictions.pitcher_strikeouts")
    return frame.sort_values("prediction_id").reset_index(drop=True)


def _invoke(args: list[str], settings: Settings) -> tuple[bool, str]:
    """dbt with every event message captured (run-operation errors are only reported as events)."""
    from dbt.cli.main import dbtRunner

    from python_models.dbt.project import PROJECT_ROOT

    messages: list[str] = []
    os.environ.update(dbt_env(settings))
    full = [*args, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(full)
    return result.success, "\n".join(str(m) for m in messages) + str(result.exception or "")


def _copy(settings: Settings, tmp: Path) -> Settings:
    copied = make_settings(tmp)
    copied.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(settings.duckdb_path, copied.duckdb_path)
    return copied


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path) -> Iterator[Built]:
    """Day 1 (as of 09-26): demo league, landing rows for 15 days, today's results not in; build.
    Day 2 (as of 09-27): a new slate, 09-26's results arrive, a 09-25 line is re-captured; build again."""
    settings = make_settings(tmp_path_factory.mktemp("predictions_wh"))
    wh = open_warehouse(settings)
    try:
        load_demo(wh, seed=20260107)
        legacy_before = int(
            wh.query("select count(*) from mlb_predictions.pitcher_strikeouts_legacy").iloc[0, 0]
        )
        held = f"date '{HELD_BACK_DAY:%Y-%m-%d}'"
        wh.execute(
            f"create table raw.held_back_logs as select * from raw.pitcher_game_logs where game_date = {held}"
        )
        wh.execute(f"delete from raw.pitcher_game_logs where game_date = {held}")
        write_registry(wh)
        write_landing(wh, landing_rows(wh, FIRST_RUN_DAYS))
    finally:
        wh.close()

    run_dbt(["seed", "--select", "model_version_systems"], settings, vars=FIRST_VARS)
    run_dbt(["run-operation", "run_migrations"], settings, vars=FIRST_VARS)
    log_after_first = _query(settings, "select * from ops.schema_migrations order by migration_id")
    run_dbt(["build", "--select", *SELECT], settings, vars=FIRST_VARS)
    first = _table(settings)

    wh = open_warehouse(settings)
    try:
        wh.execute("insert into raw.pitcher_game_logs select * from raw.held_back_logs")
        wh.execute("drop table raw.held_back_logs")
        write_landing(wh, landing_rows(wh, [AS_OF], seed=8))
        late = wh.query(
            "select * from scoring.predictions_landing where game_date = date '2026-09-25' "
            "and system_id = 'v1_baseline' and strikeouts_line is not null order by prediction_id limit 1"
        )
        late["strikeouts_line"] = late["strikeouts_line"] + 1.0
        late["scored_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)
        late["row_hash"] = row_hashes(late, PREDICTIONS_LANDING.content_columns())
        spec = PREDICTIONS_LANDING
        wh.merge_batch(spec.layer, spec.name, late, spec.columns, spec.key, batch_id=new_batch_id("late"))
    finally:
        wh.close()
    run_dbt(["build", "--select", *SELECT], settings, vars=VARS)
    second = _table(settings)
    yield Built(
        settings,
        legacy_before,
        log_after_first,
        first,
        second,
        str(late["prediction_id"].iloc[0]),
        float(late["strikeouts_line"].iloc[0]),
    )


# --- migrations --------------------------------------------------------------------------------------------
def test_migration_backfills_system_id_for_every_legacy_row(built: Built) -> None:
    legacy = _query(built.settings, "select * from mlb_predictions.pitcher_strikeouts_legacy")
    assert len(legacy) == built.legacy_before, "rows lost or duplicated by the migration"
    assert not legacy.duplicated(["game_date", "pitcher_lookup"]).any()
    assert legacy["system_id"].isna().sum() == 0
    assert {"system_id", "feature_coverage_pct"} <= set(legacy.columns)
    by_system = legacy.groupby("system_id")["game_date"].agg(["count", "min", "max"])
    assert set(by_system.index) == {"v1_baseline", "v1_6_rolling"}
    assert by_system.loc["v1_baseline", "max"] < date(2025, 7, 1) <= by_system.loc["v1_6_rolling", "min"]
    assert by_system["count"].sum() == built.legacy_before
    assert list(built.log_after_first["migration_id"]) == [
        "M001_add_system_id",
        "M002_backfill_system_id",
        "M003_add_feature_coverage_pct",
    ]
    backfill = built.log_after_first.set_index("migration_id").loc["M002_backfill_system_id", "rows_affected"]
    assert int(backfill) == built.legacy_before


def test_running_the_migrations_again_changes_nothing(built: Built) -> None:
    before = _query(
        built.settings,
        "select system_id, count(*) as n from mlb_predictions.pitcher_strikeouts_legacy group by 1",
    )
    run_dbt(["run-operation", "run_migrations"], built.settings, vars=VARS)
    ok, output = _invoke(["run-operation", "verify_migrations", "--vars", str(VARS)], built.settings)
    assert ok, output
    assert "NULL system_id: 0   unknown system_id: 0" in output
    log = _query(built.settings, "select * from ops.schema_migrations order by migration_id")
    pd.testing.assert_frame_equal(log, built.log_after_first)
    after = _query(
        built.settings,
        "select system_id, count(*) as n from mlb_predictions.pitcher_strikeouts_legacy group by 1",
    )
    pd.testing.assert_frame_equal(
        before.sort_values("system_id").reset_index(drop=True),
        after.sort_values("system_id").reset_index(drop=True),
    )


def test_an_unmigrated_legacy_table_stops_the_build_saying_what_to_run(
    tmp_path: Path, dbt_target_dir: Path
) -> None:
    """The migrations are their own step (never a side effect of building a view): building the legacy
    staging view over a table they have not reached fails naming the commands; after them it builds."""
    settings = make_settings(tmp_path)
    frame = pd.DataFrame(
        {
            "pitcher_lookup": ["ann_ace"],
            "pitcher_name": ["Ann Ace"],
            "game_date": [date(2025, 5, 1)],
            "predicted_strikeouts": [5.0],
            "strikeouts_line": [5.5],
            "over_odds": [-110],
            "under_odds": [-110],
            "edge": [-0.5],
            "confidence": [60.0],
            "recommendation": ["UNDER"],
            "model_version": ["mlb_pitcher_strikeouts_v1_20260107"],
            "created_at": [pd.Timestamp("2025-05-01 10:00")],
        }
    )
    wh = open_warehouse(settings)
    try:
        write_legacy(wh, frame, LEGACY_PREDICTIONS)
    finally:
        wh.close()
    ok, output = _invoke(["build", "--select", "stg_legacy__predictions", "--vars", str(VARS)], settings)
    assert not ok and "is not migrated (no system_id, feature_coverage_pct)" in output
    assert "dbt run-operation run_migrations" in output
    migrate(settings, vars=VARS)
    run_dbt(["build", "--select", "stg_legacy__predictions"], settings, vars=VARS)
    staged = _query(settings, "select system_id from staging.stg_legacy__predictions")
    assert list(staged["system_id"]) == ["v1_baseline"]


def test_unknown_model_version_stops_the_migration_and_names_it(tmp_path: Path, dbt_target_dir: Path) -> None:
    settings = make_settings(tmp_path)
    frame = pd.DataFrame(
        {
            "pitcher_lookup": ["ann_ace", "bo_arm", "cy_young"],
            "pitcher_name": ["Ann Ace", "Bo Arm", "Cy Young"],
            "game_date": [date(2025, 5, 1)] * 3,
            "predicted_strikeouts": [5.0, 6.0, 4.0],
            "strikeouts_line": [5.5, 5.5, 4.5],
            "over_odds": [-110] * 3,
            "under_odds": [-110] * 3,
            "edge": [-0.5, 0.5, -0.5],
            "confidence": [60.0] * 3,
            "recommendation": ["UNDER", "OVER", "UNDER"],
            "model_version": ["mlb_pitcher_strikeouts_v1_20260107", "mystery_model_v0", "mystery_model_v0"],
            "created_at": [pd.Timestamp("2025-05-01 10:00")] * 3,
        }
    )
    wh = open_warehouse(settings)
    try:
        write_legacy(wh, frame, LEGACY_PREDICTIONS)
    finally:
        wh.close()
    run_dbt(["seed", "--select", "model_version_systems"], settings, vars=VARS)
    ok, output = _invoke(["run-operation", "run_migrations", "--vars", str(VARS)], settings)
    assert not ok
    assert "mystery_model_v0 (2 rows)" in output
    log = _query(settings, "select migration_id from ops.schema_migrations")
    assert "M002_backfill_system_id" not in set(log["migration_id"])
    columns = _query(settings, "select * from mlb_predictions.pitcher_strikeouts_legacy")
    if "system_id" in columns:
        assert columns["system_id"].isna().all(), "a stopped migration must write nothing"


# --- predictions, grading, views -------------------------------------------------------------------------
def test_predictions_build_with_every_system_and_are_graded(built: Built) -> None:
    table = built.second
    assert not table["prediction_id"].duplicated().any()
    landing = table[table["prediction_source"] == "landing"]
    per_pitcher = landing.groupby(["game_date", "pitcher_lookup"])["system_id"].nunique()
    assert (per_pitcher == len(SYSTEMS)).all()
    assert set(landing["game_date"]) == {*FIRST_RUN_DAYS, AS_OF}
    assert (table["prediction_source"] == "legacy").sum() == built.legacy_before
    past = landing[landing["game_date"] < AS_OF]
    assert set(past["result"]) <= {"win", "loss", "push", "no_bet", "void"}
    assert {"win", "loss", "no_bet"} <= set(past["result"])
    assert set(landing.loc[landing["game_date"] == AS_OF, "result"]) == {"pending"}
    graded = table[table["is_graded"]]
    assert graded["absolute_error"].notna().all()
    assert (
        graded["absolute_error"] - (graded["predicted_strikeouts"] - graded["actual_strikeouts"]).abs()
    ).abs().max() < 1e-9
    # Graded like a sportsbook: a start has action however short; a void is a pitcher who did not start.
    void = table[table["result"] == "void"]
    assert void["outs_recorded"].isna().all() and void["actual_strikeouts"].isna().all()
    short = table[table["outs_recorded"] <= 6]
    assert len(short) > 0 and short["is_graded"].all() and short["is_short_start"].all()
    assert set(short["result"]) <= {"win", "loss", "push", "no_bet"}


def test_legacy_prediction_ids_use_the_scorers_formula(built: Built) -> None:
    legacy = built.second[built.second["prediction_source"] == "legacy"].head(50)
    expected = [
        hashlib.sha256(f"{d:%Y-%m-%d}|{p}|{s}".encode()).hexdigest()
        for d, p, s in zip(legacy["game_date"], legacy["pitcher_lookup"], legacy["system_id"], strict=True)
    ]
    assert list(legacy["prediction_id"]) == expected
    assert prediction_id(date(2025, 5, 1), "a", "b") == hashlib.sha256(b"2025-05-01|a|b").hexdigest()


def test_monitoring_views_are_not_empty(built: Built) -> None:
    for view in VIEWS:
        n = int(_query(built.settings, f"select count(*) from mlb_predictions.{view}").iloc[0, 0])
        assert n > 0, f"{view} is empty"
    picks = _query(built.settings, "select * from mlb_predictions.todays_picks")
    assert set(picks["game_date"]) == {AS_OF}
    assert (picks["p_side"].dropna().between(0, 1)).all()
    perf = _query(
        built.settings, "select * from mlb_predictions.system_performance where period_grain = 'all'"
    )
    assert set(perf["system_id"]) == set(built.settings.active_systems)
    decided = perf[perf["n_decided_picks"] > 0]
    assert (decided["hit_rate_ci_low"] <= decided["hit_rate"]).all()
    assert (decided["hit_rate"] <= decided["hit_rate_ci_high"]).all()


def test_late_results_and_lines_update_rows_never_duplicate_them(built: Built) -> None:
    first, second = built.first, built.second
    assert set(first.loc[first["game_date"] == HELD_BACK_DAY, "result"]) == {"pending"}
    held_first = set(first.loc[first["game_date"] == HELD_BACK_DAY, "prediction_id"])
    held_second = second[second["game_date"] == HELD_BACK_DAY]
    assert set(held_second["prediction_id"]) == held_first
    assert "pending" not in set(held_second["result"])
    assert not second["prediction_id"].duplicated().any()
    assert len(second) == len(first) + int((second["game_date"] == AS_OF).sum())
    late = second.set_index("prediction_id").loc[built.late_line_id]
    assert late["strikeouts_line"] == built.late_line


def test_full_refresh_gives_the_same_rows_as_the_incremental_path(built: Built, tmp_path: Path) -> None:
    copied = _copy(built.settings, tmp_path)
    run_dbt(["run", "--full-refresh", "--select", "fct_pitcher_strikeouts"], copied, vars=VARS)
    refreshed = _table(copied)
    pd.testing.assert_frame_equal(refreshed, built.second, check_dtype=False)


# --- gates -------------------------------------------------------------------------------------------------
GATE_SELECTION = [
    "fct_pitcher_strikeouts+",
    "fct_predictions_quarantine",
    "stg_legacy__predictions",
    "stg_scoring__predictions",
    "prediction_coverage",
]


def test_a_good_day_passes_every_gate(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZONE_TEST_SEVERITY", "error")
    outcome = run_dbt(["test", "--select", *GATE_SELECTION], built.settings, vars=VARS, raise_on_error=False)
    assert not outcome.failures, outcome.failures
    assert outcome.statuses.get("pass", 0) >= 20


# Each gate kind fed a bad fixture, at severity error (the project's CI setting): gate -> what breaks it.
BAD_FIXTURE_GATES = {
    # integrity
    "assert_predictions_model_versions_registered": "a landing row from a version nobody registered",
    "assert_predictions_no_rows_held_back": "a landing row for a pitcher nobody has seen (held back)",
    "predictions_prediction_id_unique": "a row inserted twice (a broken MERGE or a manual insert)",
    "predictions_one_per_system_pitcher_game": "the same row twice",
    "assert_predictions_landing_rows_merged": "a landing row re-scored after the last build",
    "assert_predictions_legacy_pitchers_resolved": "a legacy row whose pitcher cannot be resolved",
    # grading
    "assert_predictions_void_only_without_a_start": "a start graded void",
    "predictions_result_not_null": "a row the grading rule could not settle",
    "predictions_withdrawn_rows_are_void": "a withdrawn prediction graded as a win",
    # agreement
    "assert_predictions_ensemble_components_present": "an ensemble row whose component row is missing",
    "assert_monitoring_strong_agreement_share": "components 5 K apart on every pitcher",
    # performance
    "assert_monitoring_trailing_mae": "a system 3 K worse than the naive reference",
    "assert_monitoring_ensemble_vs_best_component": "an ensemble 1 K worse than its components",
    "assert_monitoring_calibration": "P(over) of 0.999 on every row",
    # coverage
    "coverage_every_pitcher_every_system": "a pitcher missing one active system",
    "coverage_prediction_pct_warn": "one starter without a v1_6_rolling prediction",
    "coverage_prediction_pct_error": "a system that failed for the whole slate",
    "todays_picks_one_row_per_team_game": "two live picks for one team-game",
}


def test_bad_rows_fail_the_named_gates(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = _copy(built.settings, tmp_path)
    table = "mlb_predictions.pitcher_strikeouts"
    trailing = "game_date > date '2026-08-28'"
    wh = open_warehouse(copied)
    try:
        ghost = wh.query(
            "select * from scoring.predictions_landing where game_date = date '2026-09-27' "
            "and system_id = 'ensemble_v1' order by prediction_id limit 1"
        )
        ghost["system_id"] = "v1_baseline"
        ghost["model_version"] = "v9_never_registered"
        ghost["pitcher_id"] = "ghost001"
        ghost["pitcher_lookup"] = "ghost_pitcher"
        ghost["component_systems"] = None
        ghost["prediction_id"] = [prediction_id(AS_OF, "ghost001", "v1_baseline")]
        # a known pitcher's row re-scored by a version nobody registered (the ghost is held back instead)
        unregistered = wh.query(
            "select * from scoring.predictions_landing where game_date = date '2026-09-27' "
            "and system_id = 'v1_baseline' order by prediction_id limit 1"
        )
        unregistered["model_version"] = "v9_never_registered"
        rows = pd.concat([ghost, unregistered], ignore_index=True)
        rows["row_hash"] = row_hashes(rows, PREDICTIONS_LANDING.content_columns())
        write_landing(wh, rows)
    finally:
        wh.close()
    run_dbt(["run", "--select", "fct_pitcher_strikeouts+", "fct_predictions_quarantine"], copied, vars=VARS)
    wh = open_warehouse(copied)
    try:
        one = wh.query(
            f"select pitcher_id, game_id, team from {table} where game_date = date '2026-09-27' "
            f"and system_id = '{copied.picks_system}' and prediction_status = 'live' order by pitcher_id limit 2"
        )
        lost, twin = one.iloc[0], one.iloc[1]
        for sql in (
            # integrity: a duplicated key; a landing row re-scored after the build; an unresolvable legacy row
            f"insert into {table} select * from {table} where game_date = date '2026-09-20' limit 1",
            "update scoring.predictions_landing set scored_at = scored_at + interval 1 hour "
            "where prediction_id = (select min(prediction_id) from scoring.predictions_landing)",
            f"update {table} set result = 'unresolved', pitcher_id = null "
            "where prediction_id = (select min(prediction_id) from mlb_predictions.pitcher_strikeouts "
            "where prediction_source = 'legacy')",
            # grading: a start graded void, a row left unsettled, a withdrawn row graded
            f"update {table} set result = 'void' where prediction_id = (select min(prediction_id) "
            f"from {table} where result = 'win' and prediction_source = 'landing')",
            f"update {table} set result = null where prediction_id = (select max(prediction_id) "
            f"from {table} where result = 'loss' and prediction_source = 'landing')",
            f"update {table} set prediction_status = 'withdrawn' where prediction_id = (select max(prediction_id) "
            f"from {table} where result = 'win' and prediction_source = 'landing')",
            # coverage + agreement: one starter loses his v1_6_rolling row; v1_baseline misses a whole slate
            f"delete from {table} where game_date = date '2026-09-27' and system_id = 'v1_6_rolling' "
            f"and pitcher_id = '{lost.pitcher_id}'",
            f"delete from {table} where game_date = date '2026-09-25' and system_id = 'v1_baseline'",
            # performance and calibration in the trailing window
            f"update {table} set absolute_error = absolute_error + 3 where system_id = 'v1_baseline' and {trailing}",
            f"update {table} set absolute_error = absolute_error + 1 where system_id = 'ensemble_v1' and {trailing}",
            f"update {table} set predicted_strikeouts = predicted_strikeouts + 5, p_over = 0.999 - p_push, "
            f"p_under = 0.001 where system_id = 'v1_6_rolling' and p_over is not null and {trailing}",
            # two live picks for one team-game
            f"insert into {table} select * replace ('extra' || prediction_id as prediction_id, "
            f"'extra001' as pitcher_id) from {table} where game_date = date '2026-09-27' "
            f"and system_id = '{copied.picks_system}' and pitcher_id = '{twin.pitcher_id}'",
        ):
            wh.execute(sql)
    finally:
        wh.close()
    monkeypatch.setenv("KZONE_TEST_SEVERITY", "error")
    outcome = run_dbt(["test", "--select", *GATE_SELECTION], copied, vars=VARS, raise_on_error=False)
    failed = " ".join(outcome.failures)
    missed = {gate: why for gate, why in BAD_FIXTURE_GATES.items() if gate not in failed}
    assert not missed, f"gates that did not fail on their bad fixture: {missed}"
