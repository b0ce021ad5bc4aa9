"""`kzone build`, `cleanup-staging`, `train`, `score` and `backfill`: the warehouse build and the systems."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from python_models.cli.app import app, friendly_errors, log, out, parse_date
from python_models.config import get_settings


@app.command("build")
@friendly_errors
def build(
    select: Annotated[str | None, typer.Option(help="dbt selector (default: everything).")] = None,
    full_refresh: Annotated[bool, typer.Option(help="Rebuild incremental models from scratch.")] = False,
    as_of: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="The monitoring views' 'today' (var as_of_date; default: the warehouse's current date).",
        ),
    ] = None,
) -> None:
    """Run the migrations, then `dbt build` (seeds, models, snapshots, gates) on the configured target. Every landing row the
    scorer wrote is merged into pitcher_strikeouts whatever its date; a row that cannot be merged fails the
    build naming it."""
    from python_models.jobs.dbt_ops import migrate, run_dbt

    build_vars = {"as_of_date": as_of.isoformat()} if as_of else None
    migrate(vars=build_vars)  # the runner's tables, the legacy table's migrations (a no-op once applied)
    args = ["build"] + (["--select", select] if select else []) + (["--full-refresh"] if full_refresh else [])
    outcome = run_dbt(args, vars=build_vars)
    out.print(f"dbt build: {', '.join(f'{k} {v}' for k, v in sorted(outcome.statuses.items()))}")
    for warning in outcome.warnings:
        out.print(f"[yellow]warning:[/] {warning}")


@app.command("check")
@friendly_errors
def check(
    full: Annotated[
        bool, typer.Option("--full", help="Test every row of every table (the weekly full pass).")
    ] = False,
    since: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="Test only the large tables' rows dated on or after this date (var tests_since_date).",
        ),
    ] = None,
    select: Annotated[str | None, typer.Option(help="dbt selector (default: everything).")] = None,
) -> None:
    """Run the data tests (`dbt test`) on the configured target, without building anything: `--full` over
    every row (the weekly pass: a morning tests only its new dates), or `--since D` over the large tables'
    rows dated on or after D. A failing test exits 1 naming it."""
    from python_models.jobs.dbt_ops import run_dbt

    if full == (since is not None):
        raise typer.BadParameter(
            "pass exactly one of --full (every row) or --since YYYY-MM-DD (rows from D on)"
        )
    args = ["test"] + (["--select", select] if select else [])
    outcome = run_dbt(args, vars={"tests_since_date": since.isoformat() if since else ""})
    scope = "every row" if full else f"rows dated on or after {since}"
    out.print(f"dbt test ({scope}): {', '.join(f'{k} {v}' for k, v in sorted(outcome.statuses.items()))}")
    for warning in outcome.warnings:
        out.print(f"[yellow]warning:[/] {warning}")


@app.command("cleanup-staging")
@friendly_errors
def cleanup_staging(
    older_than_hours: Annotated[float, typer.Option(help="Only tables at least this old.")] = 6.0,
) -> None:
    """Drop orphaned per-batch staging tables left by crashed runs."""
    from python_models.warehouse import open_warehouse

    with open_warehouse() as wh:
        dropped = [
            t
            for layer in ("raw", "scoring", "mlb_predictions")
            for t in wh.drop_orphan_staging(layer, older_than_hours)
        ]
    out.print(f"dropped {len(dropped)} orphaned staging table(s)")


SystemOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--system", help="System to train (repeatable; default: every active system, MLB_ACTIVE_SYSTEMS)."
    ),
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
    systems = system or list(settings.active_systems)
    with open_warehouse(settings) as wh:
        cards = train_systems(wh, settings, systems, through)
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
    from python_models.scoring.scorer import Scorer, UnknownPitcherError
    from python_models.warehouse import open_warehouse

    settings = get_settings()
    with open_warehouse(settings) as wh:
        try:
            report = Scorer(wh, settings).score(date_, pitchers=pitcher, write=not dry_run)
        except UnknownPitcherError as exc:
            log.error("%s", exc)
            raise typer.Exit(code=1) from None
    print_score_report(report)


def print_score_report(report: Any) -> None:
    table = Table(title=f"scored {report.game_date} (batch {report.batch_id})")
    for col in ("system", "predictions", "OVER", "UNDER", "PASS", "clipped", "status"):
        table.add_column(col, justify="left" if col in ("system", "status") else "right")
    for system in get_settings().active_systems:
        picks = report.picks.get(system, {})
        table.add_row(
            system,
            str(report.per_system.get(system, 0)),
            *(str(picks.get(side, 0)) for side in ("OVER", "UNDER", "PASS")),
            str(report.clipped.get(system, 0)),
            report.failures.get(system, "ok"),
        )
    out.print(table)
    out.print(
        f"slate {report.slate_size} starters · flags {report.flags} · "
        f"{report.rows_written} new / {report.rows_changed} changed rows · {report.queries} warehouse queries"
    )


@app.command("backfill")
@friendly_errors
def backfill_cmd(
    start: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="First date.")],
    end: Annotated[date, typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="Last date.")],
    force: Annotated[bool, typer.Option(help="Re-score dates that are already complete.")] = False,
    retrain: Annotated[
        str,
        typer.Option(
            help="monthly: walk-forward, train models through the end of each previous month as needed; "
            "never: score only with models already registered (e.g. yours from `kzone train --through`)."
        ),
    ] = "monthly",
) -> None:
    """Walk-forward backfill, resumable, with a progress bar, a summary and the models it used (and why).
    Then run `kzone build` to merge the new predictions into pitcher_strikeouts and the monitoring views."""
    from python_models.jobs.backfill import RETRAIN_POLICIES, backfill
    from python_models.warehouse import open_warehouse

    if end < start:
        raise typer.BadParameter("--end is before --start")
    if retrain not in RETRAIN_POLICIES:
        raise typer.BadParameter(f"--retrain must be one of {', '.join(RETRAIN_POLICIES)}")
    settings = get_settings()
    with open_warehouse(settings) as wh:
        report = backfill(wh, settings, start, end, force=force, retrain=retrain)
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
    if report.models_used:
        models = Table(title=f"models used (--retrain {report.retrain})")
        for col in ("model_version", "system", "dates", "from", "to", "why"):
            models.add_column(col, justify="right" if col == "dates" else "left")
        for use in report.models_used:
            models.add_row(
                use.model_version,
                use.system_id,
                str(use.dates),
                str(use.first_date),
                str(use.last_date),
                use.why,
            )
        out.print(models)
    if report.models_not_used and report.retrain == "monthly":
        shown = ", ".join(report.models_not_used[:6]) + (" …" if len(report.models_not_used) > 6 else "")
        out.print(
            f"registered versions this backfill did not use ({len(report.models_not_used)}; newer walk-forward "
            f"versions took precedence): {shown}. To score only with registered models: --retrain never"
        )
    for day, why in report.dates_failed:
        out.print(f"[red]failed[/] {day}: {why}")
    if report.dates_failed and not report.dates_scored:
        raise typer.Exit(code=1)
