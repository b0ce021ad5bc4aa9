"""Shared fixtures: settings pointing at a temporary warehouse, and one demo warehouse built per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from python_models.config import Settings, load_settings
from python_models.dbt.project import PROJECT_ROOT

REAL_DATA = PROJECT_ROOT.parent / "shared" / "data" / "retrosheet_starters"
REAL_STARTS = REAL_DATA / "starters_2021_2022.csv.gz"
REAL_STARTS_NINE_SEASONS = REAL_DATA / "starters_2014_2022.csv.gz"
REAL_TEAM_GAMES = REAL_DATA / "team_games_2014_2022.csv.gz"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# Every pytest process (one per xdist worker) gets dbt artifacts and logs of its own from the start: two
# workers never write one target/ (partial parse, manifest) at once, nor the developer's.
if "PYTEST_XDIST_WORKER" in os.environ:
    # an xdist worker inherits COLUMNS=80 from no terminal at all: the CLI's output tests read piped output,
    # which the CLI keeps whole only when no width was forced on it
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
if "PYTEST_XDIST_WORKER" in os.environ or "DBT_TARGET_PATH" not in os.environ:
    _own_target = Path(tempfile.mkdtemp(prefix="kzone-dbt-target-"))
    os.environ["DBT_TARGET_PATH"] = str(_own_target)
    os.environ["DBT_LOG_PATH"] = str(_own_target / "logs")


def make_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings for an isolated warehouse and model store under ``tmp``."""
    return load_settings(duckdb_path=tmp / "warehouse.duckdb", model_store=tmp / "models", **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def warehouse(settings: Settings) -> Iterator:
    from python_models.warehouse import open_warehouse

    wh = open_warehouse(settings)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def dbt_target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt writes its artifacts here, never into the developer's target/."""
    path = tmp_path_factory.mktemp("dbt_target")
    os.environ["DBT_TARGET_PATH"] = str(path)
    os.environ["DBT_LOG_PATH"] = str(path / "logs")
    return path


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path) -> Settings:
    """The demo league loaded and `dbt build` run once for the session (read it; copy it to change it)."""
    from python_models.demo.load import load_demo
    from python_models.jobs.dbt_ops import migrate, run_dbt
    from python_models.warehouse import open_warehouse

    settings = make_settings(tmp_path_factory.mktemp("demo_wh"))
    wh = open_warehouse(settings)
    try:
        load_demo(wh, seed=20260107)
    finally:
        wh.close()
    migrate(
        settings, vars={"as_of_date": "2026-09-27"}
    )  # as kzone build does: the migrations, then the build
    run_dbt(["build"], settings, vars={"as_of_date": "2026-09-27"})
    wh = open_warehouse(settings)
    try:  # dbt's connection in this process leaves its writes in the WAL: the file alone must hold them all
        wh.execute("checkpoint")
    finally:
        wh.close()
    return settings


DAY = date(2026, 5, 15)
THROUGH = date(2026, 4, 30)
LAST_MONTH_END = date(2026, 8, 31)


@pytest.fixture(scope="session")
def trained_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path) -> Path:
    """Demo data, the feature store and staging built, models trained through 2026-04-30 (read-only base)."""
    from python_models.dbt.project import system_ids
    from python_models.demo.load import load_demo
    from python_models.jobs.daily import UPSTREAM_BUILD
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.training.trainer import train_systems
    from python_models.warehouse import open_warehouse

    folder = tmp_path_factory.mktemp("scoring_base")
    settings = make_settings(folder)
    wh = open_warehouse(settings)
    try:
        load_demo(wh, seed=20260107)
    finally:
        wh.close()
    run_dbt(UPSTREAM_BUILD, settings, vars={"as_of_date": "2026-09-27"})
    wh = open_warehouse(settings)
    try:
        train_systems(wh, settings, system_ids(), THROUGH)
        # the walk-forward models the demo's last day ("today", 2026-09-27) needs, so a daily run can score it
        train_systems(wh, settings, system_ids(), LAST_MONTH_END)
    finally:
        wh.close()
    return folder


@pytest.fixture
def env(trained_warehouse: Path, tmp_path: Path) -> tuple[Settings, object]:
    """A private copy of the trained warehouse and model store."""
    from python_models.warehouse import open_warehouse

    shutil.copy(trained_warehouse / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    shutil.copytree(trained_warehouse / "models", tmp_path / "models")
    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    # The registry holds the base folder's paths: point them at this copy.
    reg = wh.relation("scoring", "model_registry")
    wh.execute(
        f"update {reg} set model_path = replace(model_path, @old, @new)",
        {"old": str(trained_warehouse), "new": str(tmp_path)},
    )
    yield settings, wh
    wh.close()


requires_real_data = pytest.mark.skipif(
    not REAL_STARTS.exists(), reason=f"real Retrosheet data not present at {REAL_DATA}"
)

requires_nine_seasons = pytest.mark.skipif(
    not (REAL_STARTS_NINE_SEASONS.exists() and REAL_TEAM_GAMES.exists()),
    reason=f"real 2014-2022 Retrosheet starts and team games not present at {REAL_DATA}",
)
