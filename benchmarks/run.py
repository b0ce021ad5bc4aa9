"""Benchmarks: figures printed, never asserted. `make bench` runs them all on a fresh demo warehouse.

1. slate        one day end to end: one feature query, 3 systems, staging table, one MERGE
2. per-pitcher  a faithful re-creation of the original path on the same slate, in the same run: one feature
                query per pitcher per system (the ensemble re-reads both components' features), one INSERT
                per prediction; the ratio to (1) is the batch speed-up
3. backfill     one season (2026) walk-forward end to end (monthly retraining included)
4. scaling      the daily incremental cost (dbt build of the new day + scoring) with 1 vs 4 seasons of history
5. big file    a generated ~200 MB game-log CSV loaded with `kzone load-game-logs`' loader (read, checked
                and staged in chunks, one MERGE): peak RSS against the file size (target: below 4x)
6. real data    (when KZONE_HISTORY_DIR, else ../shared/data/retrosheet_starters, holds the nine seasons) the
                whole project's `dbt build` on nine real seasons 2014-2022, cold (target <= 30 s); training
                every system through 2021; the 2022 season backfilled with those models and eight seasons of
                history (target <= 60 s); then the morning job on that warehouse
7. morning      `kzone daily` as it runs every morning (migrations checked, freshness, both builds, scoring,
                gates) on the demo warehouse, after a first morning the day before; its phases and dbt
                invocations; a warm `dbt parse` of the project (the CLI, the second of two) in the same run,
                and the ratio (target: the morning <= 2.5x the warm parse)
8. demo         `kzone demo`'s steps on a fresh warehouse (--skip-demo skips it)
9. suite        `make test`'s wall time, read from target/suite_time.json (written by `make pytest`), or
                measured with --measure-suite (never by default: the suite takes minutes)
Each benchmark runs in its own child process, so its peak RSS is its own (imports included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

SLATE_DAY = date(2026, 8, 15)
REPEATS = 5


def _settings(folder: Path, **overrides):
    from python_models.config import load_settings

    return load_settings(
        duckdb_path=folder / "warehouse.duckdb",
        model_store=folder / "models",
        log_level="WARNING",
        **overrides,
    )


# The slate benchmarks compare the batch path with the original per-pitcher path on the systems the original
# had (the same predictions both ways).
ORIGINAL_SYSTEMS = ("v1_baseline", "v1_6_rolling", "ensemble_v1")


def _quiet() -> None:
    import logging

    from python_models.config import setup_logging

    setup_logging("WARNING")
    logging.getLogger("python_models").setLevel(logging.WARNING)


def prepare(folder: Path, seasons: tuple[int, ...] = (2025, 2026), hold_back: date | None = None) -> dict:
    """Load the demo (optionally holding back one day), dbt build it, train the walk-forward models."""
    from python_models.demo.league import generate
    from python_models.demo.load import _as_text
    from python_models.ingest.loaders import load_frame
    from python_models.ingest.validation import validate_frame
    from python_models.jobs.daily import UPSTREAM_BUILD
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.training.lifecycle import ensure_models, registered_versions, retrain_point
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import (
        GAME_LOGS,
        INJURED_LIST,
        PROBABLE_STARTERS,
        STRIKEOUT_LINES,
        TEAM_GAMES,
    )

    settings = _settings(folder)
    demo = generate(seasons=seasons)
    frames = {
        GAME_LOGS: demo.game_logs,
        TEAM_GAMES: demo.team_games,
        PROBABLE_STARTERS: demo.probable_starters,
        STRIKEOUT_LINES: demo.strikeout_lines,
        INJURED_LIST: demo.injured_list,
    }
    wh = open_warehouse(settings)
    try:
        for spec, frame in frames.items():
            if hold_back is not None:
                column = "game_date" if "game_date" in frame.columns else None
                if column:
                    frame = frame[frame[column] < hold_back]
            load_frame(wh, spec, validate_frame(_as_text(frame), spec, spec.name), "bench")
    finally:
        wh.close()
    run_dbt(UPSTREAM_BUILD, settings, vars={"as_of_date": str(demo.last_day)})
    wh = open_warehouse(settings)
    try:
        ensure_models(wh, settings, retrain_point(SLATE_DAY), registered_versions(wh))
        ensure_models(wh, settings, retrain_point(demo.last_day), registered_versions(wh))
    finally:
        wh.close()
    return {"demo": demo, "settings": settings}


# --- benchmarks (each runs in a child process) ---------------------------------------------------------


def bench_slate(folder: str) -> dict:
    from python_models.scoring.scorer import Scorer
    from python_models.warehouse import open_warehouse

    _quiet()
    settings = _settings(Path(folder), active_systems=ORIGINAL_SYSTEMS)
    times, queries, rows = [], [], 0
    for _ in range(REPEATS):
        wh = open_warehouse(settings)
        started = time.perf_counter()
        report = Scorer(wh, settings).score(SLATE_DAY)
        times.append(time.perf_counter() - started)
        queries.append(wh.query_count)
        rows = sum(report.per_system.values())
        wh.close()
    wall = statistics.median(times)
    return {
        "wall_s": wall,
        "queries": statistics.median(queries),
        "predictions": rows,
        "pred_per_s": rows / wall,
    }


def bench_per_pitcher(folder: str) -> dict:
    """The original path: per pitcher and system, one feature query, a model load, one INSERT."""

    import numpy as np

    from python_models.dbt.project import all_features, feature_sets, systems
    from python_models.features.store import ID_COLUMNS
    from python_models.predictors.ensemble import blend
    from python_models.predictors.xgboost_poisson import XGBoostPoisson, predict
    from python_models.scoring.scorer import Scorer
    from python_models.training.model_store import ModelStore
    from python_models.warehouse import open_warehouse

    _quiet()
    settings = _settings(Path(folder), active_systems=ORIGINAL_SYSTEMS)
    wh = open_warehouse(settings)
    scorer = Scorer(wh, settings)
    models = scorer.resolve_models(SLATE_DAY)
    pitchers = scorer.store.slate(SLATE_DAY)["pitcher_id"].tolist()
    target = wh.relation("scoring", "predictions_per_pitcher_path")
    wh.execute(f"drop table if exists {target}")
    wh.execute(
        f"create table {target} (prediction_id varchar, system_id varchar, pitcher_id varchar, "
        "game_date date, predicted_strikeouts double, scored_at timestamp)"
    )
    cols = ", ".join([*ID_COLUMNS, *all_features()])
    feature_sql = f"select {cols} from {scorer.store.features} where game_date = @d and pitcher_id = @p"
    wh.query_count = 0
    started = time.perf_counter()
    written = 0
    for pitcher in pitchers:
        preds = {}
        for system in ORIGINAL_SYSTEMS:
            components = [system] if system != "ensemble_v1" else ["v1_baseline", "v1_6_rolling"]
            for comp in components:
                row = wh.query(
                    feature_sql, {"d": SLATE_DAY, "p": pitcher}
                )  # one query per pitcher per system
                loader = partial(XGBoostPoisson.from_bytes, systems()[comp])
                booster = ModelStore.load(models[comp].path, models[comp].sha256, loader).booster  # per call
                preds[comp] = float(predict(booster, row, feature_sets()[systems()[comp].feature_set])[0])
            if system == "ensemble_v1":
                import pandas as pd

                weights = systems()[system].params["weights"]
                value = float(blend(pd.DataFrame([preds]), settings, weights)["predicted_strikeouts"].iloc[0])
            else:
                value = preds[system]
            wh.execute(
                f"insert into {target} values (@id, @s, @p, @d, @v, @t)",
                {
                    "id": f"{SLATE_DAY}|{pitcher}|{system}",
                    "s": system,
                    "p": pitcher,
                    "d": SLATE_DAY,
                    "v": float(np.round(value, 6)),
                    "t": datetime.now(),
                },
            )  # one write per prediction
            written += 1
    wall = time.perf_counter() - started
    queries = wh.query_count
    wh.close()
    return {"wall_s": wall, "queries": queries, "predictions": written, "pred_per_s": written / wall}


def _timed_backfill(folder: str, start: date, end: date, **options) -> dict:
    """One walk-forward backfill of ``start`` → ``end`` in the folder's warehouse, timed, output discarded."""
    from rich.console import Console

    from python_models.jobs.backfill import backfill
    from python_models.warehouse import open_warehouse

    _quiet()
    settings = _settings(Path(folder))
    wh = open_warehouse(settings)
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        report = backfill(wh, settings, start, end, console=Console(file=devnull), **options)
    wall = time.perf_counter() - started
    wh.close()
    return {
        "wall_s": wall,
        "queries": None,
        "predictions": report.predictions,
        "pred_per_s": report.predictions / wall,
        "models_trained": len(report.models_trained),
    }


def bench_backfill(folder: str) -> dict:
    """The demo's second season walk-forward, monthly retraining included."""
    return _timed_backfill(folder, date(2026, 3, 26), date(2026, 9, 26), force=True)


def bench_daily(folder: str) -> dict:
    """Load the held-back day, then the daily job without migrations: dbt build of the new day + scoring."""
    _quiet()
    settings = _settings(Path(folder))
    day = date.fromisoformat(Path(folder, "day.txt").read_text().strip())
    return _timed_daily(settings, day, run_migrations=False, downstream=False)


def _timed_daily(settings, day: date, **options) -> dict:
    """One run of the daily job, timed: wall, scorer queries, predictions, phases and dbt invocations."""
    from python_models.jobs.daily import run_daily

    started = time.perf_counter()
    report = run_daily(settings, day, **options)
    wall = time.perf_counter() - started
    rows = sum(report.score.per_system.values()) if report.score else 0
    return {
        "wall_s": wall,
        "queries": report.score.queries if report.score else None,
        "predictions": rows,
        "pred_per_s": rows / wall,
        "phases": {name: round(seconds, 2) for name, seconds in report.phases.items()},
        "dbt_invocations": len(report.dbt),
        "dbt_steps": {step: round(outcome.seconds, 2) for step, outcome in report.dbt.items()},
    }


def _morning(settings, before: date, day: date) -> dict:
    """The daily job on ``before`` (the first morning: seeds, migrations, models), then on ``day`` (timed)."""
    from python_models.jobs.daily import run_daily

    run_daily(settings, before)
    return _timed_daily(settings, day)


def bench_morning(folder: str) -> dict:
    """`kzone daily` on the demo warehouse: the day before first (it runs the seeds and migrations), then
    the demo's last day, timed."""
    _quiet()
    return _morning(_settings(Path(folder)), date(2026, 9, 26), date(2026, 9, 27))


def bench_real_morning(folder: str) -> dict:
    """`kzone daily` on the nine real seasons (after the 2022 backfill): 2022-10-04, then 2022-10-05 timed."""
    _quiet()
    return _morning(_settings(Path(folder)), date(2022, 10, 4), date(2022, 10, 5))


def bench_parse(folder: str) -> dict:
    """A warm `dbt parse` of the project: the CLI twice (the first may parse in full), the second timed."""
    import subprocess

    env = {
        **os.environ,
        "DBT_TARGET_PATH": str(Path(folder) / "target"),
        "DBT_LOG_PATH": str(Path(folder) / "logs"),
        "KZONE_DUCKDB_PATH": str(Path(folder) / "warehouse.duckdb"),
    }
    command = [str(Path(sys.executable).parent / "dbt"), "parse", "--project-dir", str(ROOT)]
    command += ["--profiles-dir", str(ROOT), "--log-level", "warn"]
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - started
    return {"wall_s": wall}


def bench_demo(folder: str) -> dict:
    """`kzone demo`'s steps on a fresh warehouse."""
    from rich.console import Console

    from python_models.jobs.demo import run_demo

    _quiet()
    started = time.perf_counter()
    timings = run_demo(20260107, Console(file=open(os.devnull, "w")), _settings(Path(folder)))  # noqa: SIM115
    return {
        "wall_s": time.perf_counter() - started,
        "steps": {t.name: round(t.seconds, 1) for t in timings},
        "target": "<= 120 s",
    }


SUITE_TIME = ROOT / "target" / "suite_time.json"


def suite_time(measure: bool) -> dict | None:
    """`make test`'s pytest wall time: measured now when asked, else as `make pytest` last recorded it."""
    import subprocess

    if measure:
        started = time.perf_counter()
        subprocess.run(["make", "--no-print-directory", "pytest"], cwd=ROOT, check=False)
        return {"wall_s": time.perf_counter() - started, "recorded": "measured by this run"}
    if not SUITE_TIME.exists():
        return None
    recorded = json.loads(SUITE_TIME.read_text())
    return {"wall_s": float(recorded["wall_s"]), "recorded": f"recorded by make test at {recorded['at']}"}


def prepare_job(folder: str, seasons: tuple[int, ...] = (2025, 2026), day: str | None = None) -> dict:
    """Build a benchmark warehouse in a child process: dbt-duckdb keeps its connection open in the process
    that ran dbt, which would lock every later benchmark process out of the file."""
    _quiet()
    started = time.perf_counter()
    hold_back = date.fromisoformat(day) if day else None
    prepare(Path(folder), seasons, hold_back=hold_back)
    if hold_back is not None:
        _load_day(Path(folder), seasons, hold_back)
    return {"wall_s": time.perf_counter() - started}


def bench_real_build(folder: str) -> dict:
    """Nine real seasons loaded (game logs + team games), then the whole project's dbt build, cold."""
    from team_features import _load  # the same loading as the feature benchmarks

    from python_models.jobs.dbt_ops import run_dbt

    _quiet()
    settings = _settings(Path(folder))
    _load(settings)
    outcome = run_dbt(["build"], settings, vars={"as_of_date": "2022-10-05"})
    return {"wall_s": outcome.seconds, "queries": None, "predictions": None, "target": "<= 30 s"}


def bench_real_train(folder: str) -> dict:
    """Every trainable system fit on the eight seasons 2014-2021 (what the 2022 backfill scores with)."""
    from python_models.training.trainer import train_systems
    from python_models.warehouse import open_warehouse

    _quiet()
    settings = _settings(Path(folder))
    wh = open_warehouse(settings)
    started = time.perf_counter()
    cards = train_systems(wh, settings, list(settings.active_systems), date(2021, 12, 31))
    wall = time.perf_counter() - started
    wh.close()
    return {"wall_s": wall, "queries": None, "predictions": None, "models": len(cards)}


def bench_real_backfill(folder: str) -> dict:
    """The 2022 season scored walk-forward with the models trained through 2021 (--retrain never)."""
    return {
        **_timed_backfill(folder, date(2022, 4, 7), date(2022, 10, 5), retrain="never"),
        "target": "<= 60 s",
    }


BIG_FILE_MB = 200
GAMES_PER_DAY = 15


def write_big_game_logs(folder: str, target_mb: float = BIG_FILE_MB) -> dict:
    """Write a valid game-log CSV of about ``target_mb`` MB: the example file's two rows of a game repeated
    with fresh game ids, dates (15 games a day from 1900 on) and pitcher ids, streamed row by row."""
    import csv
    from datetime import timedelta

    path = Path(folder) / "big_game_logs.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(ROOT / "examples" / "pitcher_game_logs.csv", encoding="utf-8", newline="") as fh:
        template = list(csv.DictReader(fh))[:2]  # the two starters of one game (away, home)
    limit, games = target_mb * 1e6, 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(template[0]))
        writer.writeheader()
        while fh.tell() < limit:
            day = date(1900, 1, 1) + timedelta(days=games // GAMES_PER_DAY)
            home, away = f"H{games % GAMES_PER_DAY:02d}", f"A{games % GAMES_PER_DAY:02d}"
            for row, (team, opponent) in zip(template, ((away, home), (home, away)), strict=True):
                writer.writerow(
                    row
                    | {
                        "game_id": f"{home}{day:%Y%m%d}0",
                        "game_date": day.isoformat(),
                        "season": str(day.year),
                        "team": team,
                        "opponent": opponent,
                        "pitcher_id": f"p{games:07d}{team[0]}",
                    }
                )
            games += 1
    return {"file_mb": path.stat().st_size / 1e6, "rows": 2 * games}


def bench_big_game_logs(folder: str) -> dict:
    """Load the generated file into an empty warehouse (peak RSS includes imports)."""
    from python_models.ingest.loaders import ensure_raw_tables, load_file
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import GAME_LOGS

    _quiet()
    path = Path(folder) / "big_game_logs.csv"
    wh = open_warehouse(_settings(Path(folder)))
    try:
        ensure_raw_tables(wh)
        started = time.perf_counter()
        result = load_file(wh, GAME_LOGS, path)
        wall = time.perf_counter() - started
    finally:
        wh.close()
    return {"wall_s": wall, "rows": result.rows_inserted, "file_mb": path.stat().st_size / 1e6}


def _child(func: Callable[[str], dict], folder: str, queue: mp.Queue) -> None:
    try:
        result = func(folder)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(result)
    except Exception as exc:  # report, don't hide
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def run_isolated(func: Callable[[str], dict], folder: Path) -> dict:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(func, str(folder), queue))
    proc.start()
    result = queue.get()
    proc.join()
    name = getattr(func, "__name__", None) or getattr(func, "func", func).__name__  # type: ignore[union-attr]
    print(f"  {name}: {json.dumps(result, default=str)}", flush=True)  # each figure as soon as measured
    return result


def _load_day(folder: Path, seasons: tuple[int, ...], day: date) -> None:
    """The morning's new data: the day's probable starters, lines and the previous day's results."""
    from python_models.demo.league import generate
    from python_models.demo.load import _as_text
    from python_models.ingest.loaders import load_frame
    from python_models.ingest.validation import validate_frame
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import PROBABLE_STARTERS, STRIKEOUT_LINES

    demo = generate(seasons=seasons)
    wh = open_warehouse(_settings(folder))
    try:
        for spec, frame in (
            (PROBABLE_STARTERS, demo.probable_starters),
            (STRIKEOUT_LINES, demo.strikeout_lines),
        ):
            frame = frame[frame["game_date"] == day]
            load_frame(wh, spec, validate_frame(_as_text(frame), spec, spec.name), "bench-day")
    finally:
        wh.close()
    (folder / "day.txt").write_text(day.isoformat())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--skip-scaling", action="store_true", help="Skip the 1 vs 4 seasons benchmark (slow)."
    )
    parser.add_argument(
        "--skip-real", action="store_true", help="Skip the nine-season real-data benchmarks (slow)."
    )
    parser.add_argument("--skip-demo", action="store_true", help="Skip timing `kzone demo`'s steps (slow).")
    parser.add_argument(
        "--measure-suite",
        action="store_true",
        help="Run `make pytest` and time it (else its last recorded time, target/suite_time.json).",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="Record the figures in docs/figures/bench.json and rewrite the README's block (make bench).",
    )
    args = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    console = Console()
    work = Path(tempfile.mkdtemp(prefix="kzone-bench-"))
    figures: dict[str, dict] = {}
    try:
        console.print(f"preparing the demo warehouse in {work} ...")
        started = time.perf_counter()
        prepared = run_isolated(prepare_job, work / "base")
        if "error" in prepared:
            raise RuntimeError(prepared["error"])
        console.print(f"prepared in {time.perf_counter() - started:.0f}s")
        shutil.copytree(work / "base", work / "morning")
        figures["kzone daily, demo warehouse (a second morning)"] = run_isolated(
            bench_morning, work / "morning"
        )
        figures["dbt parse, warm (CLI)"] = run_isolated(bench_parse, work / "morning")
        figures["slate (batch)"] = run_isolated(bench_slate, work / "base")
        figures["slate (per-pitcher, original)"] = run_isolated(bench_per_pitcher, work / "base")
        shutil.copytree(work / "base", work / "season")
        figures["backfill one season"] = run_isolated(bench_backfill, work / "season")
        if not args.skip_scaling:
            for label, seasons in (("1 season", (2026,)), ("4 seasons", (2023, 2024, 2025, 2026))):
                day = date(2026, 9, 27)
                folder = work / label.replace(" ", "_")
                prepared = run_isolated(partial(prepare_job, seasons=seasons, day=day.isoformat()), folder)
                if "error" in prepared:
                    figures[f"daily increment, {label} of history"] = prepared
                    continue
                figures[f"daily increment, {label} of history"] = run_isolated(bench_daily, folder)
        written = run_isolated(write_big_game_logs, work / "big")
        loaded = run_isolated(bench_big_game_logs, work / "big")
        if "error" not in loaded:
            loaded["target"] = f"peak RSS < 4x the file ({4 * loaded['file_mb']:.0f} MB)"
        figures[f"load-game-logs, a {written.get('file_mb', 0):.0f} MB file"] = loaded
        history = (
            os.environ.get("KZONE_HISTORY_DIR") or ROOT.parent / "shared" / "data" / "retrosheet_starters"
        )
        real = Path(history) / "starters_2014_2022.csv.gz"
        if not args.skip_real and real.exists():
            folder = work / "real"
            figures["real: dbt build, nine seasons 2014-2022 (cold)"] = run_isolated(bench_real_build, folder)
            figures["real: train every system on 2014-2021"] = run_isolated(bench_real_train, folder)
            figures["real: backfill the 2022 season, eight seasons of history"] = run_isolated(
                bench_real_backfill, folder
            )
            figures["real: kzone daily, nine seasons of history"] = run_isolated(bench_real_morning, folder)
        elif not args.skip_real:
            console.print(f"real data not found ({real}): real-data benchmarks skipped")
        if not args.skip_demo:
            figures["kzone demo (fresh warehouse)"] = run_isolated(bench_demo, work / "demo")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = Table(
        title=f"kzone benchmarks · {datetime.now():%Y-%m-%d} · {platform.machine()} · {os.cpu_count()} cores"
    )
    for col in ("benchmark", "wall s", "queries", "predictions", "pred/s", "peak RSS MB"):
        table.add_column(col, justify="right" if col != "benchmark" else "left")
    for name, f in figures.items():
        if "error" in f:
            table.add_row(name, f"[red]{f['error']}[/]", "", "", "", "")
            continue
        table.add_row(
            name,
            f"{f['wall_s']:.3f}",
            str(f.get("queries") or "-"),
            f"{f['predictions']:,}" if f.get("predictions") else "-",
            f"{f['pred_per_s']:,.0f}" if f.get("pred_per_s") else "-",
            f"{f['peak_rss_mb']:.0f}",
        )
    console.print(table)
    summary = []
    batch, orig = figures.get("slate (batch)", {}), figures.get("slate (per-pitcher, original)", {})
    if "wall_s" in batch and "wall_s" in orig:
        summary.append(
            f"The batch path is {orig['wall_s'] / batch['wall_s']:.1f}x faster than the per-pitcher path "
            f"({orig['queries']} vs {batch['queries']} warehouse queries)."
        )
    one, four = (
        figures.get("daily increment, 1 season of history", {}),
        figures.get("daily increment, 4 seasons of history", {}),
    )
    if "wall_s" in one and "wall_s" in four:
        summary.append(
            f"The daily increment with 4 seasons of history costs {four['wall_s'] / one['wall_s']:.2f}x "
            "the one with 1 season."
        )
    morning, parse = (
        figures.get("kzone daily, demo warehouse (a second morning)", {}),
        figures.get("dbt parse, warm (CLI)", {}),
    )
    if "wall_s" in morning and "wall_s" in parse:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in morning["phases"].items())
        summary.append(
            f"`kzone daily` on the demo warehouse takes {morning['wall_s']:.1f} s, "
            f"{morning['wall_s'] / parse['wall_s']:.2f}x a warm `dbt parse` ({parse['wall_s']:.1f} s, same run; "
            f"target <= 2.5x), in {morning['dbt_invocations']} dbt invocations "
            f"({', '.join(morning['dbt_steps'])}). Phases: {phases}."
        )
    real_morning = figures.get("real: kzone daily, nine seasons of history", {})
    if "wall_s" in morning and "wall_s" in real_morning:
        summary.append(
            f"With nine real seasons of history the morning takes {real_morning['wall_s']:.1f} s, "
            f"{real_morning['wall_s'] / morning['wall_s']:.2f}x the demo's (target <= 1.2x)."
        )
    demo_run = figures.get("kzone demo (fresh warehouse)", {})
    if "steps" in demo_run:
        steps = "; ".join(f"{name}: {seconds:.1f} s" for name, seconds in demo_run["steps"].items())
        summary.append(f"`kzone demo` takes {demo_run['wall_s']:.0f} s (target <= 120 s). Steps: {steps}.")
    suite = suite_time(args.measure_suite)
    if suite is None:
        summary.append(
            f"Suite: no recorded `make test` time ({SUITE_TIME.relative_to(ROOT)} is written by it)."
        )
    else:
        summary.append(
            f"`make test`'s pytest run takes {suite['wall_s'] / 60:.1f} min ({suite['recorded']}; target <= 6 min)."
        )
    for line in summary:
        console.print(line)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    if args.update_readme:
        from python_models.monitoring import figures as readme_figures

        path = readme_figures.record("bench", {"benchmarks": figures, "summary": summary})
        readme_figures.update_readme("bench", readme_figures.render_bench)
        console.print(f"figures recorded in {path} and the README's bench block")


if __name__ == "__main__":
    main()
