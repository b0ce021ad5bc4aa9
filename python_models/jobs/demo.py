"""The main job as a list of steps: what `kzone demo` runs and prints.

Each later stage of the product (training, scoring, monitoring, docs, report) adds its step here, so
`make demo` always runs the whole thing end to end.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from rich.console import Console
from rich.table import Table

from python_models.config import Settings, get_settings
from python_models.demo.league import LEGACY_SEASON
from python_models.jobs.daily import DailyReport
from python_models.warehouse import open_warehouse

log = logging.getLogger(__name__)

REPORT_START = date(2026, 3, 26)  # the demo's second season (its last day, 2026-09-27, is the report's end)
LAYERS = ("raw", "reference", "staging", "features", "scoring", "mlb_predictions", "ops", "snapshots")


@dataclass
class StepTiming:
    name: str
    seconds: float
    detail: str


def row_counts(settings: Settings) -> list[tuple[str, str, int]]:
    """(schema, relation, rows) for every relation the project owns (staging tables excluded)."""
    rows: list[tuple[str, str, int]] = []
    with open_warehouse(settings) as wh:
        for layer in LAYERS:
            for name, _ in sorted(wh.list_tables(layer)):
                if name.startswith("_stg_batch_"):
                    continue
                n = int(wh.query(f"select count(*) from {wh.relation(layer, name)}").iloc[0, 0])
                rows.append((wh.schema_name(layer), name, n))
    return rows


def performance_table(settings: Settings) -> Table:
    """Per-system accuracy per season from the project's own system_performance view (2025 = the migrated
    legacy predictions, 2026 = the walk-forward backfill), every start with action, beside the naive
    reference on the same rows."""
    table = Table(
        title="system performance (every start with action, from mlb_predictions.system_performance)"
    )
    for col in ("system", "season", "graded", "MAE", "reference MAE", "RMSE", "bias", "hit rate [95% CI]"):
        table.add_column(col, justify="left" if col in ("system", "season") else "right")
    with open_warehouse(settings) as wh:
        view = wh.relation("mlb_predictions", "system_performance")
        rows = wh.query(
            f"select * from {view} where period_grain = 'season' order by period_label, system_id"
        )
    for r in rows.itertuples():
        hit = (
            "-"
            if pd.isna(r.hit_rate)
            else (
                f"{r.hit_rate:.3f} [{r.hit_rate_ci_low:.3f}, {r.hit_rate_ci_high:.3f}] n={int(r.n_decided_picks)}"
            )
        )
        season = (
            f"{r.period_label} (legacy rows)"
            if str(r.period_label) == str(LEGACY_SEASON)
            else str(r.period_label)
        )
        table.add_row(
            str(r.system_id),
            season,
            f"{int(r.n_graded):,}",
            f"{r.mae:.3f}",
            "-" if pd.isna(r.reference_mae) else f"{r.reference_mae:.3f}",
            f"{r.rmse:.3f}",
            f"{r.bias:+.3f}",
            hit,
        )
    return table


def market_table(settings: Settings) -> Table:
    """Every system against the book on the same starts, from the project's market_comparison view: the
    demo's headline (a hit rate against a book we wrote is never one)."""
    from python_models.monitoring.tables import market_table as render

    with open_warehouse(settings) as wh:
        view = wh.relation("mlb_predictions", "market_comparison")
        rows = wh.query(f"select * from {view} where period_grain = 'all' order by system_id")
    title = (
        "against the book (same starts, every start with action that had a line; "
        "mlb_predictions.market_comparison)"
    )
    return render(rows.to_dict("records"), title)


def daily_summary(report: DailyReport, picks_system: str) -> str:
    """The daily step's line in the demo summary: the slate, the picks system's picks (one system, not the
    sum over systems), whether any gate warned, and how many prediction rows were held back (if any)."""
    score = report.score
    if not score:
        return "nothing scored"
    picks = score.picks.get(picks_system, {})
    sides = ", ".join(f"{side} {picks.get(side, 0)}" for side in ("OVER", "UNDER", "PASS"))
    warned = (
        f"; {len(report.warnings)} gate warning(s), listed below"
        if report.warnings
        else "; every gate passed"
    )
    held = f"; {report.rows_held_back} prediction row(s) held back" if report.held_back else ""
    return f"{score.slate_size} starters; {picks_system}: {sides}{warned}{held}"


def run_demo(seed: int, out: Console, settings: Settings | None = None) -> list[StepTiming]:
    """Run every step of the demo and print what it built."""
    from python_models.demo.load import load_demo
    from python_models.jobs.backfill import backfill
    from python_models.jobs.daily import run_daily
    from python_models.jobs.dbt_ops import migrate, run_dbt
    from python_models.monitoring.docs import SERVE_HINT, target_dir

    settings = settings or get_settings()
    timings: list[StepTiming] = []

    def step(name: str, func: Callable[[], str]) -> None:
        log.info("step: %s", name)
        started = time.perf_counter()
        detail = func()
        timings.append(StepTiming(name, time.perf_counter() - started, detail))

    def data() -> str:
        with open_warehouse(settings) as wh:
            demo, written = load_demo(wh, seed)
        state["demo"] = demo
        return f"{sum(demo.summary().values()):,} rows generated, {sum(written.values()):,} newly written"

    def build() -> str:
        dbt_vars = {"as_of_date": str(state["demo"].last_day)}
        migrate(settings, vars=dbt_vars)  # the legacy table's migrations, before the build reads it
        outcome = run_dbt(["build"], settings, vars=dbt_vars)
        return ", ".join(f"{k}: {v}" for k, v in sorted(outcome.statuses.items()))

    def walk_forward() -> str:
        demo = state["demo"]
        season_start = min(d for d in demo.game_logs["game_date"] if d.year == demo.last_day.year)
        with open_warehouse(settings) as wh:
            report = backfill(wh, settings, season_start, demo.last_day - timedelta(days=1), console=out)
        return (
            f"{report.dates_scored} dates scored ({report.dates_skipped} already complete), "
            f"{report.predictions:,} predictions, {len(report.models_trained)} models trained, "
            f"{report.predictions_per_second:.0f} predictions/s"
        )

    def morning() -> str:
        report = run_daily(settings, state["demo"].last_day)
        state["gate_warnings"] = report.warnings
        return daily_summary(report, settings.picks_system)

    def docs() -> str:
        run_dbt(["docs", "generate"], settings, vars={"as_of_date": str(state["demo"].last_day)})
        return f"dbt docs site {target_dir() / 'index.html'}"

    def report() -> str:
        from python_models.monitoring.report import write_report

        result = write_report(REPORT_START, state["demo"].last_day, settings=settings)
        state["report"] = result.path
        return f"{result.n_graded:,} graded predictions, {len(result.pngs)} plots ({result.provenance.kind} data)"

    state: dict = {}
    step(f"demo data (synthetic league, seed {seed})", data)
    step("dbt build (migrations, sources, staging, features, predictions, monitoring, gates)", build)
    step("walk-forward backfill of the second season (monthly retraining)", walk_forward)
    step("daily job for the last day: build features, score, build predictions + gates", morning)
    step("dbt docs generate", docs)
    step("performance report (HTML + PNG) for the second season", report)

    summary = Table(title="what the demo built")
    for col in ("schema", "relation"):
        summary.add_column(col)
    summary.add_column("rows", justify="right")
    for schema, name, n in row_counts(settings):
        summary.add_row(schema, name, f"{n:,}")
    out.print(summary)
    steps = Table(title="steps")
    steps.add_column("step")
    steps.add_column("seconds", justify="right")
    steps.add_column("result")
    for t in timings:
        steps.add_row(t.name, f"{t.seconds:.1f}", t.detail)
    out.print(steps)
    out.print(market_table(settings))
    out.print(
        "The demo's book is as sharp as a real one (it prices from each pitcher's true rates plus its own "
        "error): a system without an edge shows a hit rate near 50% and an ROI near minus the hold (-4.3%)."
    )
    out.print(performance_table(settings))
    for warning in state.get("gate_warnings", []):
        out.print(f"[yellow]gate warning:[/] {warning}")
    out.print(f"warehouse: {settings.duckdb_path}")
    out.print(f"report: {state['report']}")
    out.print(f"docs site: {target_dir() / 'index.html'} (serve: {SERVE_HINT})")
    return timings
