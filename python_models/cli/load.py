"""`kzone load-*`, `fetch-history` and `demo-data`: data into the raw tables, validated, all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from python_models.cli.app import MAX_LISTED, app, friendly_errors, out
from python_models.config import get_settings

FileArg = Annotated[
    Path, typer.Argument(help="CSV file (.csv or .csv.gz) in the landing format (README: Landing formats).")
]
JsonOrCsvArg = Annotated[
    Path, typer.Argument(help="CSV file (.csv or .csv.gz), or the feed's JSON response with --format.")
]


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

    with _open_for_loading() as wh:
        result = load_file(wh, RAW_TABLES[table], file)
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
    with _open_for_loading() as wh:
        load = run(wh, file, format_)
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
    with _open_for_loading() as wh:
        load = load_statsapi_schedule(wh, file)
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
    with (
        _open_for_loading() as wh
    ):  # provisional ids (debutants from the live feed) this register now maps become Retrosheet ids
        merged = merge_provisional(wh)
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

    with open_warehouse() as wh:
        demo, written = load_demo(wh, seed)
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
