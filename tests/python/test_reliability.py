"""Reliability under concurrency and crashes, with real processes.

DuckDB allows one writer process per file. The design: each scorer holds the file only for its unit of work,
and opening it waits with exponential backoff while another process holds the lock, so concurrent scorers
queue (serialise) instead of failing. Each writes its batch through its own staging table and one atomic
MERGE; a process killed mid-batch leaves at most an orphaned staging table, swept by the next writer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from python_models.warehouse.tables import PREDICTIONS_LANDING

from .conftest import DAY

KZONE = str(Path(sys.executable).with_name("kzone"))


def _env(settings) -> dict[str, str]:
    return {
        **os.environ,
        "KZONE_DUCKDB_PATH": str(settings.duckdb_path),
        "KZONE_MODEL_STORE": str(settings.model_store),
        "KZONE_LOG_LEVEL": "INFO",
    }


def _landing_counts(wh) -> tuple[int, int]:
    rel = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
    if not wh.table_exists(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name):
        return 0, 0
    row = wh.query(f"select count(*) as n, count(distinct prediction_id) as ids from {rel}").iloc[0]
    return int(row["n"]), int(row["ids"])


def test_four_concurrent_scorers_lose_nothing_and_duplicate_nothing(env) -> None:
    settings, wh = env
    from python_models.features.store import FeatureStore

    days = [DAY, DAY, date(2026, 5, 16), date(2026, 5, 17)]  # two on the same date, two on others
    expected = sum(len(FeatureStore(wh).slate(d)) * len(settings.active_systems) for d in set(days))
    wh.close()  # release the file: the four processes compete for it
    procs = [
        subprocess.Popen(
            [KZONE, "score", "--date", str(d)],
            env=_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in days
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "lock" not in err.lower(), err  # waiting is silent; no lock error reaches the user
    n, ids = _landing_counts(wh)
    assert (n, ids) == (expected, expected)


CRASHER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from python_models.warehouse.duckdb_warehouse import DuckDBWarehouse
    marker = Path(sys.argv[1])
    original = DuckDBWarehouse._merge
    def slow_merge(self, sql):
        marker.write_text("staged")   # the batch sits in its staging table, the MERGE has not run
        time.sleep(120)
        return original(self, sql)
    DuckDBWarehouse._merge = slow_merge
    from python_models.cli import app
    sys.argv = ["kzone", "score", "--date", sys.argv[2]]
    app()
    """
)


def test_kill_9_mid_batch_leaves_the_target_unchanged_and_the_next_run_cleans_up(env, tmp_path: Path) -> None:
    settings, wh = env
    from python_models.scoring.scorer import Scorer

    Scorer(wh, settings).score(date(2026, 5, 16))  # some rows already there
    before = _landing_counts(wh)
    wh.close()
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(marker), str(DAY)],
        env=_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the scorer never reached its MERGE"
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _landing_counts(wh) == before  # no partial batch
    wh.close()

    done = subprocess.run(
        [KZONE, "score", "--date", str(DAY)], env=_env(settings), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "orphaned staging" in done.stderr
    n, ids = _landing_counts(wh)
    assert n == ids and n > before[0]
    assert not [t for t, _ in wh.list_tables("scoring") if t.startswith("_stg_batch_")]


@pytest.mark.parametrize(
    "hostile",
    ["o'brien", "x'); drop table scoring.predictions_landing; --", 'a"b', "名前-ñ", "z" * 5000, "--", ";"],
)
def test_hostile_pitcher_ids_are_data_never_sql(env, hostile: str) -> None:
    settings, wh = env
    from python_models.scoring.scorer import Scorer, UnknownPitcherError

    with pytest.raises(UnknownPitcherError):
        Scorer(wh, settings).score(DAY, pitchers=[hostile])
    fs = wh.relation("features", "ml_feature_store")
    assert wh.query(f"select count(*) as n from {fs} where pitcher_id = @p", {"p": hostile}).iloc[0, 0] == 0
    assert wh.table_exists("features", "ml_feature_store")


def test_hostile_file_name_is_just_a_file_name(tmp_path: Path, settings) -> None:
    name = tmp_path / "lines'; drop table raw.strikeout_lines; --.csv"
    name.write_text(
        "game_id,game_date,pitcher_id,pitcher_name,bookmaker,strikeouts_line,over_odds,under_odds,captured_at\n"
        "NYA202604010,2026-04-01,colee001,Gerrit Cole,dk,6.5,-115,-105,2026-04-01T15:00:00Z\n"
    )
    env = {**os.environ, "KZONE_DUCKDB_PATH": str(settings.duckdb_path)}
    done = subprocess.run(
        [KZONE, "load-lines", str(name)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    from python_models.warehouse import open_warehouse

    wh = open_warehouse(settings)
    try:
        got = wh.query(f"select _source_file from {wh.relation('raw', 'strikeout_lines')}")
    finally:
        wh.close()
    assert got["_source_file"].tolist() == [name.name]
