"""`kzone`: the command line of the runner. Each command is a thin shell over a pipeline module."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from python_models.config import SettingsError, get_settings
from python_models.logging_setup import setup_logging

app = typer.Typer(
    name="kzone",
    help="MLB pitcher-strikeout predictions: load data, build the warehouse, train, score, monitor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
log = logging.getLogger("kzone")
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Known failures print one clear line and exit 1; unexpected ones keep their traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from python_models.data.loaders import DataValidationError
        from python_models.dbt_runner import DbtError
        from python_models.warehouse.base import WarehouseError

        try:
            return func(*args, **kwargs)
        except (SettingsError, DataValidationError, WarehouseError, DbtError, ValueError) as exc:
            log.error("%s", exc)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main() -> None:
    """Configure logging from KZONE_LOG_LEVEL and validate the settings before any command runs."""
    try:
        settings = get_settings()
    except SettingsError as exc:
        setup_logging("INFO")
        log.error("%s", exc)
        sys.exit(2)
    setup_logging(settings.log_level)


def parse_date(value: str) -> date:
    """Dates are YYYY-MM-DD; anything else is a clear error."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


DateArg = Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD")]
FileArg = Annotated[Path, typer.Argument(help="CSV file (.csv or .csv.gz) in the landing contract's format.")]


def _load(table: str, file: Path) -> None:
    from python_models.data.loaders import ensure_raw_tables, load_file
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.tables import RAW_TABLES

    wh = open_warehouse()
    try:
        ensure_raw_tables(wh)
        result = load_file(wh, RAW_TABLES[table], file)
    finally:
        wh.close()
    out.print(
        f"[bold]{file.name}[/] → {table}: {result.rows_in_batch} rows read, "
        f"{result.rows_inserted} new, {result.rows_updated} changed"
    )


@app.command("load-game-logs")
@friendly_errors
def load_game_logs(file: FileArg) -> None:
    """Load pitcher game logs (e.g. ../shared/data/retrosheet_starters/starters_2021_2022.csv.gz)."""
    _load("pitcher_game_logs", file)


@app.command("load-team-games")
@friendly_errors
def load_team_games(file: FileArg) -> None:
    """Load team games (e.g. ../shared/data/retrosheet_starters/team_games_2014_2022.csv.gz)."""
    _load("team_games", file)


@app.command("load-lines")
@friendly_errors
def load_lines(file: FileArg) -> None:
    """Load sportsbook strikeout-line captures (every capture is kept)."""
    _load("strikeout_lines", file)


@app.command("load-probable-starters")
@friendly_errors
def load_probable_starters(file: FileArg) -> None:
    """Load announced probable starters."""
    _load("probable_starters", file)


@app.command("load-injuries")
@friendly_errors
def load_injuries(file: FileArg) -> None:
    """Load injured-list scrapes (status IL7/IL10/IL15/IL60)."""
    _load("injured_list", file)


@app.command("demo-data")
@friendly_errors
def demo_data(
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 20260107,
) -> None:
    """Generate the deterministic synthetic demo league and load it (lines and injuries are synthetic)."""
    from python_models.data.demo_load import load_demo
    from python_models.warehouse import open_warehouse

    wh = open_warehouse()
    try:
        demo, written = load_demo(wh, seed)
    finally:
        wh.close()
    table = Table(title=f"demo data (seed {seed}, {demo.first_day} → {demo.last_day})")
    table.add_column("table")
    table.add_column("rows generated", justify="right")
    table.add_column("rows newly written", justify="right")
    for name, n in demo.summary().items():
        key = {"legacy_predictions": "pitcher_strikeouts_legacy", "game_logs": "pitcher_game_logs"}.get(
            name, name
        )
        table.add_row(name, f"{n:,}", f"{written.get(key, 0):,}")
    out.print(table)


@app.command("build")
@friendly_errors
def build(
    select: Annotated[str | None, typer.Option(help="dbt selector (default: everything).")] = None,
    full_refresh: Annotated[bool, typer.Option(help="Rebuild incremental models from scratch.")] = False,
) -> None:
    """Run `dbt seed` + `dbt build` on the configured target."""
    from python_models.dbt_runner import run_dbt

    args = ["build"] + (["--select", select] if select else []) + (["--full-refresh"] if full_refresh else [])
    run_dbt(args)


@app.command("cleanup-staging")
@friendly_errors
def cleanup_staging(
    older_than_hours: Annotated[float, typer.Option(help="Only tables at least this old.")] = 6.0,
) -> None:
    """Drop orphaned per-batch staging tables left by crashed runs."""
    from python_models.warehouse import open_warehouse

    wh = open_warehouse()
    try:
        dropped = [
            t
            for layer in ("raw", "scoring", "mlb_predictions")
            for t in wh.drop_orphan_staging(layer, older_than_hours)
        ]
    finally:
        wh.close()
    out.print(f"dropped {len(dropped)} orphaned staging table(s)")


SystemOpt = Annotated[
    list[str] | None,
    typer.Option("--system", help="System to train (repeatable; default: all three)."),
]


@app.command("train")
@friendly_errors
def train(
    through: Annotated[
        date,
        typer.Option(
            parser=parse_date, metavar="YYYY-MM-DD", help="Train on starts with game_date <= this date only."
        ),
    ],
    system: SystemOpt = None,
) -> None:
    """Train systems on history through a date, write model + card, register the version."""
    from python_models.training.trainer import train_systems
    from python_models.warehouse import open_warehouse

    settings = get_settings()
    systems = system or ["v1_baseline", "v1_6_rolling", "ensemble_v1"]
    wh = open_warehouse(settings)
    try:
        cards = train_systems(wh, settings, systems, through)
    finally:
        wh.close()
    table = Table(title=f"models trained through {through}")
    for col in ("model_version", "system", "rows", "validation MAE", "in-sample MAE", "file"):
        table.add_column(col)
    for c in cards:
        val, ins = c.metrics.get("validation", {}), c.metrics.get("in_sample", {})
        table.add_row(
            c.model_version,
            c.system_id,
            f"{c.training_rows:,}",
            f"{val['mae']:.3f}" if val else "-",
            f"{ins['mae']:.3f}" if ins else "-",
            c.model_path or "(weights only)",
        )
    out.print(table)


@app.command("score")
@friendly_errors
def score(
    date_: Annotated[
        date, typer.Option("--date", parser=parse_date, metavar="YYYY-MM-DD", help="Slate date.")
    ],
    pitcher: Annotated[
        list[str] | None, typer.Option(help="Only these pitchers (id or lookup; repeatable).")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Score and print, write nothing.")] = False,
) -> None:
    """Score every active system for a date: one feature query, staging table, one MERGE."""
    from python_models.scoring.scorer import Scorer, ScoringError, UnknownPitcherError
    from python_models.warehouse import open_warehouse

    settings = get_settings()
    wh = open_warehouse(settings)
    try:
        report = Scorer(wh, settings).score(date_, pitchers=pitcher, write=not dry_run)
    except (ScoringError, UnknownPitcherError) as exc:
        log.error("%s", exc)
        raise typer.Exit(code=1) from None
    finally:
        wh.close()
    _print_score_report(report)


def _print_score_report(report: Any) -> None:
    table = Table(title=f"scored {report.game_date} (batch {report.batch_id})")
    table.add_column("system")
    table.add_column("predictions", justify="right")
    table.add_column("status")
    for system in get_settings().active_systems:
        n = report.per_system.get(system, 0)
        table.add_row(
            system, str(n), report.failures.get(system, "ok") if system in report.failures else "ok"
        )
    out.print(table)
    out.print(
        f"slate {report.slate_size} starters · picks {report.picks} · flags {report.flags} · "
        f"{report.rows_written} new / {report.rows_changed} changed rows · {report.queries} warehouse queries"
    )


@app.command("backfill")
@friendly_errors
def backfill_cmd(
    start: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="First date.")],
    end: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="Last date.")],
    force: Annotated[bool, typer.Option(help="Re-score dates that are already complete.")] = False,
) -> None:
    """Walk-forward backfill (monthly retraining), resumable, with a progress bar and a summary."""
    from python_models.scoring.backfill import backfill
    from python_models.warehouse import open_warehouse

    if end < start:
        raise typer.BadParameter("--end is before --start")
    settings = get_settings()
    wh = open_warehouse(settings)
    try:
        report = backfill(wh, settings, start, end, force=force)
    finally:
        wh.close()
    table = Table(title=f"backfill {start} → {end}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in (
        ("slate dates", report.dates_total),
        ("scored", report.dates_scored),
        ("skipped (already complete)", report.dates_skipped),
        ("failed", len(report.dates_failed)),
        ("predictions written or changed", f"{report.predictions:,}"),
        ("models trained", len(report.models_trained)),
        ("seconds", f"{report.seconds:.1f}"),
        ("predictions / s", f"{report.predictions_per_second:.0f}"),
    ):
        table.add_row(label, str(value))
    out.print(table)
    for day, why in report.dates_failed:
        out.print(f"[red]failed[/] {day}: {why}")
    if report.dates_failed and not report.dates_scored:
        raise typer.Exit(code=1)


@app.command("daily")
@friendly_errors
def daily(
    date_: Annotated[
        date, typer.Option("--date", parser=parse_date, metavar="YYYY-MM-DD", help="The day to run.")
    ],
    skip_migrations: Annotated[bool, typer.Option(help="Do not run the schema migrations first.")] = False,
) -> None:
    """The morning job: migrations, dbt build of the features, score, dbt build of predictions + gates."""
    from python_models.scoring.daily import run_daily

    report = run_daily(get_settings(), date_, run_migrations=not skip_migrations)
    table = Table(title=f"daily {date_}")
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for phase, seconds in report.phases.items():
        table.add_row(phase, f"{seconds:.1f}")
    out.print(table)
    if report.score:
        _print_score_report(report.score)


@app.command("evaluate")
@friendly_errors
def evaluate_cmd(
    workdir: Annotated[Path | None, typer.Option(help="Where the evaluation warehouse goes.")] = None,
) -> None:
    """Real-data evaluation: 2021 → walk-forward 2022 on the Retrosheet starts, vs two naive references."""
    from python_models.evaluation import evaluate

    result = evaluate(workdir)
    table = Table(title=f"real-data evaluation {result.window[0]} → {result.window[1]} (Retrosheet starts)")
    for col in (
        "model",
        "graded",
        "MAE",
        "RMSE",
        "bias",
        "Poisson log loss",
        "Brier P(over)",
        "hit rate [95% CI]",
    ):
        table.add_column(col, justify="left" if col == "model" else "right")
    for r in result.rows:
        ci = r.get("hit_rate_ci")
        hit = (
            f"{r['hit_rate']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}] n={r['picks']}"
            if r.get("hit_rate") is not None
            else "-"
        )
        brier = f"{r['brier_over']:.4f}" if r.get("brier_over") is not None else "-"
        table.add_row(
            r["model"],
            f"{r['n']:,}",
            f"{r['mae']:.3f}",
            f"{r['rmse']:.3f}",
            f"{r['bias']:+.3f}",
            f"{r['poisson_log_loss']:.4f}",
            brier,
            hit,
        )
    out.print(table)
    cal = Table(title="calibration of P(over) by decile (mean predicted vs observed over rate)")
    cal.add_column("decile")
    systems = sorted({c["system_id"] for c in result.calibration})
    for s in systems:
        cal.add_column(s, justify="right")
    for d in range(1, 11):
        cells = []
        for s in systems:
            c = next((c for c in result.calibration if c["system_id"] == s and c["decile"] == d), None)
            cells.append(f"{c['mean_p_over']:.2f} → {c['observed_over_rate']:.2f} (n={c['n']})" if c else "-")
        cal.add_row(str(d), *cells)
    out.print(cal)
    for w in result.warnings:
        out.print(f"[yellow]warning:[/] {w}")
    out.print(
        f"took {result.seconds:.0f}s · Retrosheet notice: The information used here was obtained free of charge "
        "from and is copyrighted by Retrosheet. Interested parties may contact Retrosheet at www.retrosheet.org."
    )


@app.command("demo")
@friendly_errors
def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo league.")] = 20260107,
) -> None:
    """The main job end to end on the embedded DuckDB warehouse: data → dbt build → summary."""
    from python_models.pipeline import run_demo

    run_demo(seed, out)


@app.command("report")
@friendly_errors
def report_cmd(
    start: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="First date.")],
    end: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="Last date.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: artifacts/report/).")
    ] = None,
    provenance: Annotated[
        str, typer.Option(help="auto (from raw.pitcher_game_logs._source_file), synthetic or retrosheet.")
    ] = "auto",
) -> None:
    """Static HTML performance report with PNG plots (MAE, calibration, hit rate, coverage, agreement, picks)."""
    from python_models.monitoring.report import write_report

    if provenance not in {"auto", "synthetic", "retrosheet"}:
        raise typer.BadParameter("--provenance must be auto, synthetic or retrosheet")
    result = write_report(start, end, out_dir, provenance=provenance)  # type: ignore[arg-type]
    for message in result.messages:
        out.print(f"[yellow]note:[/] {message}")
    out.print(
        f"report {start} → {end}: {result.n_predictions:,} predictions, {result.n_graded:,} graded, "
        f"{len(result.pngs)} plots, data: {result.provenance.kind}"
    )
    out.print(f"[bold]{result.path}[/]")


@app.command("docs")
@friendly_errors
def docs_cmd(
    as_of_date: Annotated[
        date | None,
        typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="as_of_date var (default: today)."),
    ] = None,
) -> None:
    """Run `dbt docs generate`, check the lineage, and say where the site is and how to serve it."""
    from python_models.monitoring.docs import SERVE_HINT, generate_docs

    result = generate_docs(get_settings(), as_of_date)
    table = Table(title="lineage in the docs site")
    table.add_column("link")
    table.add_column("present")
    for description, passed in result.checks:
        table.add_row(description, "[green]yes[/]" if passed else "[red]MISSING[/]")
    out.print(table)
    out.print(f"docs site: [bold]{result.index}[/]")
    out.print(f"serve it: {SERVE_HINT}")


if __name__ == "__main__":  # pragma: no cover
    app()
