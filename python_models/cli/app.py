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
from rich.console import Console, ConsoleDimensions
from rich.table import Table

from python_models.config import SettingsError, get_settings, setup_logging

app = typer.Typer(
    name="kzone",
    help="MLB pitcher-strikeout predictions: load data, build the warehouse, train, score, monitor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
PIPED_WIDTH = 4000


class CliConsole(Console):
    """Rich output that a pipe or a file gets whole: a terminal keeps its width, anything else gets lines as
    long as they need (rich would otherwise cut tables at 80 columns: `mlb_pitche…`)."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        if self._width is None and not self.is_terminal:
            return ConsoleDimensions(PIPED_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


out = CliConsole()
log = logging.getLogger("kzone")
F = TypeVar("F", bound=Callable[..., Any])
MODEL_HINT = (
    " - restore the model files the registry names, or retrain them (kzone train --through YYYY-MM-DD)"
)


def friendly_errors(func: F) -> F:
    """Known failures print one clear line and exit 1; unexpected ones keep their traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from python_models.dbt.runner import DbtError
        from python_models.ingest.cache import HistoryError
        from python_models.ingest.http import FeedError
        from python_models.ingest.validation import DataValidationError
        from python_models.scoring.scorer import ScoringError
        from python_models.training.model_store import ModelLoadError
        from python_models.training.trainer import TrainingError
        from python_models.warehouse.base import WarehouseError

        try:
            return func(*args, **kwargs)
        except (
            SettingsError,
            DataValidationError,
            WarehouseError,
            DbtError,
            ValueError,
            HistoryError,
            FeedError,
            TrainingError,
        ) as exc:
            log.error("%s", exc)
            raise typer.Exit(code=1) from None
        except (ScoringError, ModelLoadError) as exc:
            hint = MODEL_HINT if "model" in str(exc) else ""
            log.error("%s%s", exc, hint)
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


def parse_date(value: str | date) -> date:
    """Dates are YYYY-MM-DD; anything else is a clear error."""
    if isinstance(value, date):  # an option's default
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


FileArg = Annotated[
    Path, typer.Argument(help="CSV file (.csv or .csv.gz) in the landing format (README: Landing formats).")
]
JsonOrCsvArg = Annotated[
    Path, typer.Argument(help="CSV file (.csv or .csv.gz), or the feed's JSON response with --format.")
]
MAX_LISTED = 20


def _spec(table: str) -> Any:
    from python_models.warehouse.raw_tables import RAW_TABLES, STRIKEOUT_LINES_BY_NAME

    return STRIKEOUT_LINES_BY_NAME if table == STRIKEOUT_LINES_BY_NAME.name else RAW_TABLES[table]


def _column_list(table: str) -> str:
    from python_models.ingest.formats import column_list

    return column_list(_spec(table))


def _loader_help(table: str, summary: str, *more: str) -> str:
    """A loader's --help: what it loads and the file's columns, generated from the table's contract."""
    from python_models.ingest.formats import columns_help

    return "\n\n".join([summary, columns_help(_spec(table)), *more])


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"{option} must be one of {', '.join(allowed)}")
    return value


def _open_for_loading() -> Any:
    from python_models.ingest.loaders import ensure_raw_tables
    from python_models.warehouse import open_warehouse

    wh = open_warehouse()
    ensure_raw_tables(wh)
    return wh


def _load(table: str, file: Path) -> None:
    from python_models.ingest.loaders import load_file
    from python_models.warehouse.raw_tables import RAW_TABLES

    wh = _open_for_loading()
    try:
        result = load_file(wh, RAW_TABLES[table], file)
    finally:
        wh.close()
    out.print(
        f"[bold]{file.name}[/] → {table}: {result.rows_in_batch} rows read, "
        f"{result.rows_inserted} new, {result.rows_updated} changed"
    )


def _merged(result: Any) -> str:
    return f"{result.rows_inserted} new, {result.rows_updated} changed" if result else "nothing written"


@app.command(
    "load-game-logs",
    help=_loader_help(
        "pitcher_game_logs",
        "Load pitcher game logs (e.g. examples/pitcher_game_logs.csv; `kzone fetch-history` builds them from "
        "Retrosheet).",
    ),
)
@friendly_errors
def load_game_logs(file: FileArg) -> None:
    _load("pitcher_game_logs", file)


@app.command(
    "load-team-games",
    help=_loader_help(
        "team_games",
        "Load team games (`kzone fetch-history` builds them from Retrosheet).",
    ),
)
@friendly_errors
def load_team_games(file: FileArg) -> None:
    _load("team_games", file)


LINES_HELP = _loader_help(
    "strikeout_lines",
    "Load sportsbook strikeout-line captures (every capture is kept).",
    "Or keyed by name (no pitcher_id column): "
    + _column_list("strikeout_lines_by_name")
    + ". Names are resolved against that date's starters, then every pitcher the warehouse knows; rows that "
    "do not resolve are listed by line and kept in raw.strikeout_lines_quarantine, the rest loads.",
    "Without a bookmaker column: bookmaker = unknown. Without a captured_at column: captured_at = 00:00:00 "
    "UTC of game_date (taken as captured before first pitch on its date).",
    "--format odds-api: The Odds API v4 event-odds JSON (market pitcher_strikeouts; Over paired with Under, "
    "every bookmaker and capture kept, players resolved with the event's teams).",
)


@app.command("load-lines", help=LINES_HELP)
@friendly_errors
def load_lines(
    file: JsonOrCsvArg,
    format_: Annotated[
        str, typer.Option("--format", help="csv (keyed by pitcher_id or by pitcher_name) or odds-api.")
    ] = "csv",
) -> None:
    from python_models.ingest.lines import FORMATS
    from python_models.ingest.lines import load_lines as run

    _choice(format_, FORMATS, "--format")
    wh = _open_for_loading()
    try:
        load = run(wh, file, format_)
    finally:
        wh.close()
    out.print(
        f"[bold]{file.name}[/] → strikeout_lines: {load.rows_read} line(s) read, {load.rows_loaded} loaded "
        f"({_merged(load.result)}), {len(load.quarantined)} quarantined"
    )
    if load.ignored_markets:
        ignored = ", ".join(f"{k} ({n})" for k, n in sorted(load.ignored_markets.items()))
        out.print(f"other markets ignored: {ignored}")
    if load.quarantined:
        table = Table(title="quarantined (raw.strikeout_lines_quarantine): not loaded")
        for column in ("where", "game date", "pitcher", "bookmaker", "reason"):
            table.add_column(column)
        for q in load.quarantined[:MAX_LISTED]:
            table.add_row(q.record, str(q.game_date or ""), q.pitcher_name or "", q.bookmaker or "", q.reason)
        out.print(table)
        if len(load.quarantined) > MAX_LISTED:
            out.print(
                f"... and {len(load.quarantined) - MAX_LISTED} more (all in raw.strikeout_lines_quarantine)"
            )


@app.command(
    "load-probable-starters",
    help=_loader_help(
        "probable_starters",
        "Load announced probable starters.",
        "--format mlb-statsapi: the MLB Stats API schedule JSON (hydrate=probablePitcher); MLBAM ids map to "
        "pitcher ids through raw.people (kzone load-people), game_id = home Retrosheet code + YYYYMMDD + game "
        "number, first_pitch_at = gameDate, announced_at = the file's time (or first pitch if later). Games "
        "without a starter, unmapped pitchers and postponed games are reported, not loaded; a listed game with "
        "no starter for a side whose starter was loaded before scratches him (as kzone fetch does). A CSV is "
        "additive: a starter it omits stays announced (scratch him with is_scratched = true, no pitcher).",
    ),
)
@friendly_errors
def load_probable_starters(
    file: JsonOrCsvArg,
    format_: Annotated[str, typer.Option("--format", help="csv or mlb-statsapi.")] = "csv",
) -> None:
    from python_models.ingest.schedule import FORMATS, load_statsapi_schedule

    if _choice(format_, FORMATS, "--format") == "csv":
        _load("probable_starters", file)
        return
    wh = _open_for_loading()
    try:
        load = load_statsapi_schedule(wh, file)
    finally:
        wh.close()
    out.print(
        f"[bold]{file.name}[/] → probable_starters: {load.games} game(s), {load.rows_loaded} starter(s) "
        f"loaded ({_merged(load.result)}), {len(load.reported)} not loaded"
    )
    for line in load.reported[:MAX_LISTED]:
        out.print(f"[yellow]not loaded:[/] {line}")
    if len(load.reported) > MAX_LISTED:
        out.print(f"... and {len(load.reported) - MAX_LISTED} more")


@app.command(
    "load-injuries",
    help=_loader_help("injured_list", "Load injured-list scrapes (status IL7/IL10/IL15/IL60)."),
)
@friendly_errors
def load_injuries(file: FileArg) -> None:
    _load("injured_list", file)


@app.command(
    "load-people",
    help=_loader_help(
        "people",
        "Load the people register (pitcher ids with MLBAM cross-ids; `kzone fetch-history` builds it from "
        "Retrosheet and the Chadwick register): it maps MLB Stats API ids to pitcher ids.",
    ),
)
@friendly_errors
def load_people(file: FileArg) -> None:
    from python_models.ingest.crosswalk import merge_provisional

    _load("people", file)
    wh = _open_for_loading()
    try:  # provisional ids (debutants from the live feed) this register now maps become Retrosheet ids
        merged = merge_provisional(wh)
    finally:
        wh.close()
    if merged:
        out.print(f"merged {len(merged)} provisional id(s) into Retrosheet ids: {merged}")


@app.command("fetch-history")
@friendly_errors
def fetch_history_cmd(
    seasons: Annotated[
        str,
        typer.Option(
            help="Seasons to fetch: a range (2014-2024), a list (2021,2022) or both (2014-2016,2019)."
        ),
    ],
    offline: Annotated[
        bool, typer.Option(help="Build from the cache (KZONE_CACHE_DIR) alone; no download.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option(help="Download again even what the cache holds (Retrosheet corrects old seasons).")
    ] = False,
) -> None:
    """Download Retrosheet's per-season CSVs and the Chadwick register (cached in KZONE_CACHE_DIR, resumed
    when interrupted), build the regular-season starts, team games and people, and load them. A season
    already loaded from the same download is not loaded again."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from python_models.ingest.register import REGISTER_CREDIT
    from python_models.ingest.retrosheet import RETROSHEET_NOTICE
    from python_models.jobs.history import fetch_history, parse_seasons

    wanted = parse_seasons(seasons)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=out
    ) as bars:

        def progress(name: str) -> Callable[[int, int | None], None]:
            task = bars.add_task(name, total=None)
            return lambda done, total: bars.update(task, completed=done, total=total)

        result = fetch_history(get_settings(), wanted, offline=offline, refresh=refresh, progress=progress)
    table = Table(title=f"history {wanted[0]}-{wanted[-1]} (regular season)")
    for column in ("season", "status", "zip", "starts loaded", "team games loaded"):
        table.add_column(column)
    for row in result.seasons:
        table.add_row(str(row.season), row.status, row.source, str(row.starts), str(row.team_games))
    out.print(table)
    for row in result.seasons:
        if row.note:
            out.print(f"[yellow]{row.note}[/]")
    out.print(f"people: {result.people} rows ({result.people_new} new, {result.people_changed} changed)")
    if result.starters_without_mlbam:
        shown = ", ".join(result.starters_without_mlbam[:10])
        more = (
            f" and {len(result.starters_without_mlbam) - 10} more"
            if len(result.starters_without_mlbam) > 10
            else ""
        )
        out.print(
            f"[yellow]{len(result.starters_without_mlbam)} starter(s) have no MLBAM id in the register[/] "
            f"({shown}{more}): the live feed cannot map them until the register knows them"
        )
    if result.provisional_merged:
        out.print(
            f"merged {len(result.provisional_merged)} provisional live-feed id(s) into Retrosheet ids: "
            f"{result.provisional_merged}"
        )
    out.print(f"\n{RETROSHEET_NOTICE}\n{REGISTER_CREDIT}", soft_wrap=True)  # a notice is never cut


@app.command("demo-data")
@friendly_errors
def demo_data(
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 20260107,
) -> None:
    """Generate the deterministic synthetic demo league and load it (lines and injuries are synthetic)."""
    from python_models.demo.load import load_demo
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
    from python_models.dbt.runner import migrate, run_dbt
    from python_models.ingest.loaders import ensure_raw_tables
    from python_models.warehouse import open_warehouse

    wh = open_warehouse()
    try:  # the tables the runner owns carry every column its contracts name (an upgrade may add one)
        ensure_raw_tables(wh, scoring=True)
    finally:
        wh.close()
    build_vars = {"as_of_date": as_of.isoformat()} if as_of else None
    migrate(vars=build_vars)  # the legacy table's migrations (a no-op once applied), then the build
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
    from python_models.dbt.runner import run_dbt

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
    from python_models.scoring.scorer import Scorer, UnknownPitcherError
    from python_models.warehouse import open_warehouse

    settings = get_settings()
    wh = open_warehouse(settings)
    try:
        report = Scorer(wh, settings).score(date_, pitchers=pitcher, write=not dry_run)
    except UnknownPitcherError as exc:
        log.error("%s", exc)
        raise typer.Exit(code=1) from None
    finally:
        wh.close()
    _print_score_report(report)


def _print_score_report(report: Any) -> None:
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
    wh = open_warehouse(settings)
    try:
        report = backfill(wh, settings, start, end, force=force, retrain=retrain)
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
        _print_score_report(report.score)
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


@app.command("evaluate")
@friendly_errors
def evaluate_cmd(
    lines: Annotated[
        Path | None,
        typer.Option(
            "--lines",
            help="Your real lines (the `kzone load-lines` formats: keyed by pitcher_id, or by pitcher_name "
            "[+ team]; .json = The Odds API). Default: the synthetic sharp book.",
        ),
    ] = None,
    start: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="First scored date (default: 2021-04-01, two seasons).",
        ),
    ] = None,
    end: Annotated[
        date | None,
        typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help="Last scored date (default: 2022-10-05)."),
    ] = None,
    workdir: Annotated[Path | None, typer.Option(help="Where the evaluation warehouse goes.")] = None,
    update_readme: Annotated[
        bool,
        typer.Option(
            help="Record the figures in docs/figures/evaluate.json and rewrite the README's block (make evaluate)."
        ),
    ] = False,
) -> None:
    """Real-data walk-forward evaluation on the Retrosheet starts: every system against the book on the same
    starts (MAE, Brier, ROI with its interval, share picked), and against the naive reference on every
    start with action. Prints the tables and writes them as JSON."""
    from python_models.jobs.evaluate import DEFAULT_END, DEFAULT_START, evaluate

    start, end = start or DEFAULT_START, end or DEFAULT_END
    if lines is not None and not lines.exists():
        raise typer.BadParameter(f"{lines} does not exist", param_hint="--lines")
    if end < start:
        raise typer.BadParameter("--end is before --start")
    result = evaluate(workdir, start=start, end=end, lines_file=lines)
    for season in result.seasons:
        _print_market_table(result, season)
        table = Table(title=f"{season}: every start with action (Retrosheet starts)")
        for col in ("model", "starts", "MAE", "RMSE", "bias", "count log loss", "Brier P(over)"):
            table.add_column(col, justify="left" if col == "model" else "right")
        for r in (r for r in result.rows if r["season"] == season):
            table.add_row(
                r["model"],
                f"{r['n']:,}",
                f"{r['mae']:.3f}",
                f"{r['rmse']:.3f}",
                f"{r['bias']:+.3f}",
                "-" if r.get("count_log_loss") is None else f"{r['count_log_loss']:.4f}",
                "-" if r.get("brier_over") is None else f"{r['brier_over']:.4f}",
            )
        out.print(table)
        cal = Table(
            title=f"{season}: calibration of P(over) by decile, raw → calibrated (observed over rate)"
        )
        cal.add_column("decile")
        rows = [c for c in result.calibration if c["season"] == season]
        systems = sorted({c["system_id"] for c in rows})
        for s in systems:
            cal.add_column(s, justify="right")
        for d in range(1, 11):
            cells = []
            for s in systems:
                raw, after = (
                    next(
                        (c for c in rows if c["system_id"] == s and c["decile"] == d and c["measure"] == m),
                        None,
                    )
                    for m in ("p_over_raw", "p_over")
                )
                cells.append(
                    f"{raw['mean_p_over']:.2f}→{raw['observed_over_rate']:.2f} | "
                    f"{after['mean_p_over']:.2f}→{after['observed_over_rate']:.2f}"
                    if raw and after
                    else "-"
                )
            cal.add_row(str(d), *cells)
        out.print(cal)
    if result.picks_system:
        out.print(f"picks system: {result.picks_system['system_id']} ({result.picks_system['reason']})")
    for d in result.book_drift:
        out.print(
            f"{d['season']}: book line MAE {d['book_line_mae']:.3f} vs {d['best_system']} "
            f"{d['best_system_mae']:.3f} ({d['book_softer_by']:+.3f} K){': ' + d['label'] if d['label'] else ''}"
        )
    for w in result.warnings:
        out.print(f"[yellow]warning:[/] {w}")
    workdir_used = workdir or (Path("artifacts") / "evaluation")
    out.print(
        f"took {result.seconds:.0f}s · JSON: {workdir_used / 'evaluation.json'} · Retrosheet notice: The "
        "information used here was obtained free of charge from and is copyrighted by Retrosheet. Interested "
        "parties may contact Retrosheet at www.retrosheet.org."
    )
    if update_readme:
        from dataclasses import asdict

        from python_models.monitoring import figures

        path = figures.record("evaluate", asdict(result))
        figures.update_readme("evaluate", figures.render_evaluate)
        out.print(f"figures recorded in {path} and the README's evaluate block")


def _print_market_table(result: Any, season: str) -> None:
    """System against the book on the same starts: the headline."""
    from python_models.monitoring.tables import market_table

    title = (
        f"{season} against the book ({result.lines_source}: {result.lines_loaded:,} lines loaded"
        + (f", {result.lines_quarantined:,} quarantined" if result.lines_quarantined else "")
        + ") — same starts, every start with action that had a line"
    )
    out.print(market_table([m for m in result.market if m["season"] == season], title))


@app.command("demo")
@friendly_errors
def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo league.")] = 20260107,
) -> None:
    """The main job end to end on the embedded DuckDB warehouse: data → dbt build → summary."""
    from python_models.jobs.demo import run_demo

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
