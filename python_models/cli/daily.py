"""`kzone daily`, `fetch` and `morning`: the day's run, from the feeds to the published picks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from python_models.cli.app import MAX_LISTED, app, friendly_errors, log, out, parse_date
from python_models.cli.models import print_score_report
from python_models.config import get_settings


@app.command("daily")
@friendly_errors
def daily(
    date_: Annotated[
        date, typer.Option("--date", parser=parse_date, metavar="YYYY-MM-DD", help="The day to run.")
    ],
    skip_migrations: Annotated[bool, typer.Option(help="Do not run the schema migrations first.")] = False,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="A live morning run: also enforce the game-date recency gates (or KZONE_LIVE=true).",
        ),
    ] = False,
) -> None:
    """The morning job: migrations, source freshness (stops on a stale source), dbt build of the features,
    score, dbt build of predictions + monitoring + gates. Rows that break a row-level rule are held back
    (never published) and counted; a gate failing at severity error exits 1 after the summary."""
    from python_models.jobs.daily import DailyGateError, run_daily
    from python_models.jobs.lock import RunInProgressError

    settings = get_settings()
    if live:
        settings = settings.model_copy(update={"live": True})
    try:
        report = run_daily(settings, date_, run_migrations=not skip_migrations)
    except DailyGateError as exc:
        _print_daily_report(exc.report)
        raise
    except RunInProgressError as exc:
        log.error("%s", exc)
        raise typer.Exit(code=exc.exit_code) from None
    _print_daily_report(report)


def _print_daily_report(report: Any) -> None:
    date_ = report.game_date
    table = Table(title=f"daily {date_}")
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for phase, seconds in report.phases.items():
        table.add_row(phase, f"{seconds:.1f}")
    out.print(table)
    if report.score:
        print_score_report(report.score)
    for note in report.freshness:
        out.print(f"[yellow]source freshness:[/] {note}")
    for warning in report.warnings:
        out.print(f"[yellow]gate warning:[/] {warning}")
    out.print(
        f"[red]held back:[/] {report.held_back_line()}"
        if report.held_back
        else "held back: 0 prediction rows (every row passed the row-level rules)"
    )


ReplayOpt = Annotated[
    Path | None,
    typer.Option(
        "--replay",
        exists=True,
        file_okay=False,
        help="Replay a stored morning offline: a folder {KZONE_CACHE_DIR}/payloads/YYYY-MM-DD written by an "
        "earlier fetch (no network).",
    ),
]
LeagueDateOpt = Annotated[
    date | None,
    typer.Option(
        "--date", parser=parse_date, metavar="YYYY-MM-DD", help="The day (default: today in US/Eastern)."
    ),
]


def _print_fetch(report: Any) -> None:
    for name, status in (("MLB Stats API", report.statsapi), ("The Odds API", report.odds)):
        landed = ", ".join(f"{k} {v}" for k, v in status.landed.items()) or "nothing"
        out.print(f"[bold]{name}[/]: {status.requests} request(s); landed: {landed}")
        for stale in status.stale[:MAX_LISTED]:
            out.print(f"[red]stale:[/] {stale}")
    for line in report.reported[:MAX_LISTED]:
        out.print(f"[yellow]not loaded:[/] {line}")
    out.print(f"payloads: {report.folder} · {report.seconds:.1f} s")


@app.command("fetch")
@friendly_errors
def fetch_cmd(date_: LeagueDateOpt = None, replay: ReplayOpt = None) -> None:
    """Fetch what a morning needs: the finals since the last landed date (MLB Stats API boxscores), D's
    probable starters, new people, injured-list moves, and The Odds API's pitcher-strikeout lines for D.
    Every answer is kept under KZONE_CACHE_DIR/payloads/D; fetching the same day twice changes nothing."""
    from python_models.ingest.fetch import fetch_day, league_today

    report = fetch_day(get_settings(), date_ or league_today(), replay=replay)
    _print_fetch(report)


@app.command("morning")
@friendly_errors
def morning_cmd(
    date_: LeagueDateOpt = None,
    replay: ReplayOpt = None,
    report: Annotated[bool, typer.Option(help="Write the HTML report of the last 30 days.")] = True,
) -> None:
    """fetch, then the daily job, then the report, with one summary. Exits 1 when it cannot score or when a
    gate failed at severity error (rows held back included: the good rows are published all the same); a
    feed that is down is marked stale and the morning goes on."""
    from python_models.ingest.fetch import league_today
    from python_models.jobs.morning import run_morning

    result = run_morning(get_settings(), date_ or league_today(), replay=replay, report=report)
    out.print(result.summary(), markup=False, highlight=False)
    if not result.ok or result.gates_failed:
        raise typer.Exit(code=1)
