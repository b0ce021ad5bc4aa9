"""Shared fixtures: settings pointing at a temporary warehouse, and one demo warehouse built per session."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
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


def _shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder built ONCE per session however many xdist workers ask for it: the first worker builds it
    under a file lock, the others wait for it and find it done (``build`` fills the empty folder)."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # every worker's basetemp sits in the run's one folder
    folder = root / f"shared-{name}"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def _checkpoint(settings: Settings) -> None:
    """dbt's connection in this process leaves its writes in the WAL: the file alone must hold them all."""
    from python_models.warehouse import open_warehouse

    wh = open_warehouse(settings)
    try:
        wh.execute("checkpoint")
    finally:
        wh.close()


def _build_demo(folder: Path) -> None:
    """The demo league loaded and `dbt build` run, as kzone build does: the migrations, then the build."""
    from python_models.demo.load import load_demo
    from python_models.jobs.dbt_ops import migrate, run_dbt
    from python_models.warehouse import open_warehouse

    settings = make_settings(folder)
    wh = open_warehouse(settings)
    try:
        load_demo(wh, seed=20260107)
    finally:
        wh.close()
    migrate(settings, vars={"as_of_date": "2026-09-27"})
    run_dbt(["build"], settings, vars={"as_of_date": "2026-09-27"})
    _checkpoint(settings)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path) -> Path:
    """The folder of the one demo warehouse built for the whole run (every worker shares it: never open it,
    copy it)."""
    return _shared_dir(tmp_path_factory, "demo", _build_demo)


@pytest.fixture(scope="session")
def demo_warehouse(demo_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The demo league loaded and `dbt build` run once for the session (read it; copy it to change it).
    This worker's own file copy of the shared build, so two workers never open one DuckDB file."""
    settings = make_settings(tmp_path_factory.mktemp("demo_wh"))
    shutil.copy(demo_build / "warehouse.duckdb", settings.duckdb_path)
    return settings


DAY = date(2026, 5, 15)
THROUGH = date(2026, 4, 30)
LAST_MONTH_END = date(2026, 8, 31)


@pytest.fixture(scope="session")
def trained_warehouse(
    demo_build: Path, tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path
) -> Path:
    """The demo warehouse (a file copy of the session's build) with models trained through 2026-04-30 and
    the demo's last month (read-only base, shared by every worker: copy it, as `env` does)."""
    from python_models.dbt.project import system_ids
    from python_models.training.trainer import train_systems
    from python_models.warehouse import open_warehouse

    def train(folder: Path) -> None:
        shutil.copy(demo_build / "warehouse.duckdb", folder / "warehouse.duckdb")
        settings = make_settings(folder)
        wh = open_warehouse(settings)
        try:
            train_systems(wh, settings, system_ids(), THROUGH)
            # the walk-forward models the demo's last day ("today", 2026-09-27) needs, so a daily run can
            # score it
            train_systems(wh, settings, system_ids(), LAST_MONTH_END)
        finally:
            wh.close()
        _checkpoint(settings)

    return _shared_dir(tmp_path_factory, "trained", train)


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
