"""One new day of the upstream features: a full table rebuild against the incremental path, same run.

Outside the product: figures are printed, never asserted.

    python benchmarks/incremental_features.py WAREHOUSE.duckdb --day 2026-09-26 --as-of 2026-09-27

WAREHOUSE is a built DuckDB warehouse (`kzone demo-data` + `kzone build`, or the real seasons); it is
copied, never changed. In the copy the day's results (game logs, team games) are held back and the
features built (the state of the evening before); the results then arrive with a fresh `_loaded_at`, and
two further copies of that morning are timed, alternating `--rounds` times:
  before: `dbt build --select +ml_feature_store --full-refresh` (every feature table rebuilt, every test
          over every row: what every morning did before the tables became incremental);
  after:  `dbt build --select +ml_feature_store` with `tests_since_date` = day - incremental_lookback_days
          (the new dates computed, the large tables' tests on the recomputed dates).
The `dbt run` (models only) of the same two paths is timed too, so the tables' share is visible. Each
figure is a pair: the command's wall seconds and dbt's own elapsed seconds (run_results.json: the nodes,
without dbt's start-up and parse, which on this project take most of a one-day run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from python_models.config import load_settings
from python_models.dbt.project import var
from python_models.jobs.dbt_ops import run_dbt

SELECT = ["--select", "+ml_feature_store"]


def copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    target = folder / source.name  # dbt-duckdb names the catalog after the file
    shutil.copy(source, target)
    return target


def timed(args: list[str], path: Path, vars: dict) -> tuple[float, float]:
    """Wall seconds of one in-process dbt command, and dbt's own elapsed time (its run_results.json: the
    nodes' execution, without dbt's start-up and parse)."""
    settings = load_settings(duckdb_path=path, model_store=path.parent / "models")
    target = path.parent / "target"
    os.environ["DBT_TARGET_PATH"] = str(target)
    started = time.perf_counter()
    run_dbt(args, settings, vars=vars)
    wall = round(time.perf_counter() - started, 2)
    elapsed = json.loads((target / "run_results.json").read_text())["elapsed_time"]
    return wall, round(elapsed, 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--day", type=date.fromisoformat, required=True, help="the new day of results")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="var as_of_date")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    lookback = int(var("incremental_lookback_days"))
    base_vars = {"as_of_date": args.as_of.isoformat()}
    scoped_vars = {**base_vars, "tests_since_date": (args.day - timedelta(days=lookback)).isoformat()}

    with tempfile.TemporaryDirectory(prefix="kzone_incr_bench_") as tmp:
        evening = copy(args.warehouse, Path(tmp) / "evening")
        con = duckdb.connect(str(evening))
        for table in ("pitcher_game_logs", "team_games"):
            con.execute(
                f"create table raw.bench_{table} as select * from raw.{table} where game_date = ?", [args.day]
            )
            con.execute(f"delete from raw.{table} where game_date = ?", [args.day])
        con.close()
        timed(["run", *SELECT, "--full-refresh"], evening, base_vars)
        con = duckdb.connect(str(evening))
        for table in ("pitcher_game_logs", "team_games"):
            con.execute(
                f"insert into raw.{table} select * replace (current_timestamp as _loaded_at) from raw.bench_{table}"
            )
            con.execute(f"drop table raw.bench_{table}")
        con.close()

        figures: dict[str, list[tuple[float, float]]] = {}
        for round_ in range(args.rounds):
            for name, command, vars in (
                ("before_build_full_refresh", ["build", *SELECT, "--full-refresh"], base_vars),
                ("after_build_incremental", ["build", *SELECT], scoped_vars),
                ("before_run_full_refresh", ["run", *SELECT, "--full-refresh"], base_vars),
                ("after_run_incremental", ["run", *SELECT], base_vars),
            ):
                path = copy(evening, Path(tmp) / f"{name}_{round_}")
                figures.setdefault(name, []).append(timed(command, path, vars))
    print(json.dumps({"day": args.day.isoformat(), "seconds [wall, dbt elapsed]": figures}))


if __name__ == "__main__":
    main()
