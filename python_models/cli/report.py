"""`kzone evaluate`, `demo`, `report`, `docs` and `config`: how the systems did, the demo end to end, the docs
site, the settings in effect."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from python_models.cli.app import app, friendly_errors, out, parse_date
from python_models.config import get_settings


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


@app.command("config")
@friendly_errors
def config_cmd() -> None:
    """Print every setting in effect by group (warehouse, feeds, models, scoring, gates, alerts, runtime), where
    its value comes from (the environment or the default), and the KZONE_*/MLB_* variables nothing reads.
    Secrets are never printed, only whether they are set."""
    import os

    from python_models.config import unknown_variable_warnings
    from python_models.config.table import settings_rows

    rows = settings_rows(get_settings(), os.environ)
    for group in dict.fromkeys(row.group for row in rows):
        table = Table(title=group)
        for column in ("variable", "value", "from"):
            table.add_column(column)
        for row in rows:
            if row.group == group:
                table.add_row(row.variable, row.value, row.source)
        out.print(table)
    for line in unknown_variable_warnings():
        out.print(f"[yellow]unknown:[/] {line}")
