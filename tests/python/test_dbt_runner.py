"""The dbt runner: the --vars JSON stays the same from one day to the next (dbt re-parses the whole project
when it changes) while the day still reaches what is built; the seeds and migrations run only when their
inputs changed; KZONE_THREADS reaches dbt, DuckDB and XGBoost."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from python_models.config import Settings
from python_models.dbt import runner
from python_models.jobs import dbt_ops
from python_models.jobs.dbt_ops import migrate, run_dbt
from python_models.warehouse import open_warehouse
from tests.python.conftest import make_settings


class _Recorder:
    """Stands in for dbtRunner: records each invocation's arguments and the environment dbt would read."""

    calls: ClassVar[list[tuple[list[str], dict[str, str]]]] = []
    parses: ClassVar[list[str]] = []

    def __init__(self, manifest: object = None, callbacks: object = None) -> None:
        pass

    def invoke(self, args: list[str]) -> object:
        keys = ("KZONE_AS_OF_DATE", "KZONE_THREADS")
        if args[0] == "parse":  # the runner's own parse, for the manifest it reuses
            self.parses.append(os.environ.get("KZONE_AS_OF_DATE", ""))
            return type("Result", (), {"success": True, "result": object(), "exception": None})()
        self.calls.append((list(args), {k: os.environ.get(k, "") for k in keys}))
        return type("Result", (), {"success": True, "result": None, "exception": None})()


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    import dbt.cli.main

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", _Recorder)
    for name in {*dbt_ops.dbt_env(make_settings(Path("unused"))), *runner.RUN_ENV_VARS.values()}:
        monkeypatch.delenv(name, raising=False)  # what run_dbt sets in os.environ is undone after the test
    _Recorder.calls, _Recorder.parses = [], []
    monkeypatch.setattr(runner, "_parsed", {})
    return _Recorder.calls


def _vars(args: list[str]) -> dict:
    return json.loads(args[args.index("--vars") + 1])


def test_the_vars_json_is_the_same_on_two_days_and_the_day_goes_through_the_environment(
    recorded: list, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, threads=3)
    run_dbt(["build", "--select", "todays_picks"], settings, vars={"as_of_date": "2026-09-20"})
    run_dbt(["build", "--select", "todays_picks"], settings, vars={"as_of_date": "2026-09-27"})
    run_dbt(["run-operation", "run_migrations"], settings)
    (first, first_env), (second, second_env), (third, third_env) = recorded
    assert _vars(first) == _vars(second) == _vars(third)
    assert "as_of_date" not in _vars(first)
    assert (first_env["KZONE_AS_OF_DATE"], second_env["KZONE_AS_OF_DATE"]) == ("2026-09-20", "2026-09-27")
    assert third_env["KZONE_AS_OF_DATE"] == ""  # a call without a day never sees the previous call's
    # KZONE_THREADS: dbt's --threads where the command takes it, and the profile's (dbt's DuckDB) threads
    assert first[first.index("--threads") + 1] == "3" and "--threads" not in third
    assert first_env["KZONE_THREADS"] == third_env["KZONE_THREADS"] == "3"


def test_one_parse_serves_a_job_and_a_new_day_or_a_changed_file_parses_again(
    recorded: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(runner.PROJECT_ROOT / "models", project / "models")
    monkeypatch.setattr(runner, "PROJECT_ROOT", project)
    settings = make_settings(tmp_path)
    for day in ("2026-09-26", "2026-09-26", "2026-09-26", "2026-09-27"):
        run_dbt(["build"], settings, vars={"as_of_date": day})
    assert _Recorder.parses == ["2026-09-26", "2026-09-27"]  # the day's three commands share one parse
    model = next((project / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    run_dbt(["build"], settings, vars={"as_of_date": "2026-09-27"})
    run_dbt(["build"], settings, vars={"as_of_date": "2026-09-27", "live": True})
    assert len(_Recorder.parses) == 4  # an edited model, then another var: parsed again each time


def test_on_bigquery_the_day_stays_a_var_it_reaches_a_parse_time_config(
    recorded: list, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, target="bigquery")
    run_dbt(["seed"], settings, vars={"as_of_date": "2026-09-20"})
    (args, env), *_ = recorded
    assert _vars(args)["as_of_date"] == "2026-09-20" and env["KZONE_AS_OF_DATE"] == ""


def _copy(demo: Settings, folder: Path) -> Settings:
    folder.mkdir()
    settings = make_settings(folder)
    shutil.copy(demo.duckdb_path, settings.duckdb_path)
    return settings


def _view_sql(settings: Settings, name: str) -> str:
    wh = open_warehouse(settings)
    try:
        return str(wh.query(f"select sql from duckdb_views() where view_name = '{name}'")["sql"].iloc[0])
    finally:
        wh.close()


@pytest.mark.slow
def test_a_changed_day_changes_what_is_built_and_seeds_rerun_only_on_change(
    demo_warehouse: Settings, tmp_path: Path
) -> None:
    settings = _copy(demo_warehouse, tmp_path / "copy")
    for day in ("2026-09-20", "2026-09-27"):
        run_dbt(["run", "--select", "todays_picks"], settings, vars={"as_of_date": day})
        sql = _view_sql(settings, "todays_picks")
        assert f"'{day}'" in sql, f"todays_picks was built without the day {day}"
    assert "current_date" not in sql.lower()

    # demo_warehouse ran the seeds and migrations: nothing changed since, so both are skipped
    assert migrate(settings, only_if_changed=True) == {}
    wh = open_warehouse(settings)
    try:
        wh.execute(f"drop table {wh.relation('reference', 'team_codes')}")
    finally:
        wh.close()
    ran = migrate(settings, only_if_changed=True)  # a seed table went missing: the step runs again
    assert set(ran) == {"seeds", "migrations"}
    wh = open_warehouse(settings)
    try:
        assert wh.table_exists("reference", "team_codes")
    finally:
        wh.close()
    assert migrate(settings, only_if_changed=True) == {}


def test_the_checksum_follows_the_seed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(dbt_ops.PROJECT_ROOT / "seeds", project / "seeds")
    shutil.copytree(dbt_ops.PROJECT_ROOT / "macros" / "migrations", project / "macros" / "migrations")
    shutil.copy(dbt_ops.PROJECT_ROOT / "dbt_project.yml", project / "dbt_project.yml")
    monkeypatch.setattr(dbt_ops, "PROJECT_ROOT", project)
    settings = make_settings(tmp_path)
    before = dbt_ops.setup_checksum(settings)
    assert dbt_ops.setup_checksum(settings) == before
    with (project / "seeds" / "team_codes.csv").open("a") as seed:
        seed.write("XXX,XXX,Nowhere Nobodies,AL,999,,\n")
    assert dbt_ops.setup_checksum(settings) != before


def test_kzone_threads_reaches_duckdb(tmp_path: Path) -> None:
    wh = open_warehouse(make_settings(tmp_path, threads=1))
    try:
        assert int(wh.query("select current_setting('threads') as n")["n"].iloc[0]) == 1
    finally:
        wh.close()


def test_kzone_threads_reaches_xgboost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xgboost as xgb

    from python_models.predictors import xgboost_poisson
    from python_models.training import trainer

    seen: list[tuple[int, object]] = []
    train = xgb.train

    def recording_train(params: dict, *args: object, **kwargs: object) -> object:
        seen.append((xgb.get_config()["nthread"], params.get("nthread")))
        return train(params, *args, **kwargs)

    monkeypatch.setattr(xgb, "train", recording_train)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=200), "actual_strikeouts": rng.poisson(5, size=200)})
    with trainer.xgb_threads(make_settings(tmp_path, threads=1)):
        xgboost_poisson.fit(frame, ["x"])
    # XGBoost's global setting is KZONE_THREADS, and no parameter set overrides it
    assert seen == [(1, None)]


def test_the_low_coverage_share_is_one_dbt_var_and_its_override_reaches_the_scorer_and_dbt(
    recorded: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_models.dbt import project

    project_vars = project.dbt_vars()
    monkeypatch.setattr(project, "dbt_vars", lambda: {**project_vars, "low_coverage_max_share": 0.4})
    settings = make_settings(tmp_path)
    run_dbt(["build"], settings)
    assert settings.low_coverage_rate_threshold == 0.4  # the scorer's warning: the var, as dbt's gate
    assert _vars(recorded[-1][0])["low_coverage_max_share"] == 0.4
    monkeypatch.setenv("MLB_LOW_COVERAGE_RATE_THRESHOLD", "0.3")
    settings = make_settings(tmp_path)
    run_dbt(["build"], settings)
    assert settings.low_coverage_rate_threshold == 0.3
    assert _vars(recorded[-1][0])["low_coverage_max_share"] == 0.3  # the gate follows the override
