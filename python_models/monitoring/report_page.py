"""The report's page: one self-contained HTML file (no scripts, no external CSS, no network) from the view
rows of `report_data` and the PNGs of `report_plots`; the provenance block with Retrosheet's notice."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from python_models.monitoring.report_data import LineProvenance, Provenance, ReportData
from python_models.monitoring.verdicts import book_drift

RETROSHEET_NOTICE = (
    "The information used here was obtained free of charge from and is copyrighted by Retrosheet. "
    'Interested parties may contact Retrosheet at "www.retrosheet.org".'
)
NO_EDGE_NOTE = (
    "Sportsbooks are sharp: a system without an edge against the book shows a hit rate near 50% and an ROI "
    "near minus the hold (about −4.5% at −110 both ways). Read an ROI interval that includes 0 as no "
    "measured edge."
)
CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1250px;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #666; } .note { padding: 8px 14px; border-left: 4px solid #999; background: #f7f7f7; }
.provenance { padding: 10px 14px; border-left: 4px solid #1f77b4; background: #f3f7fb; }
.provenance.synthetic { border-color: #ff7f0e; background: #fff7ee; }
.empty { padding: 10px 14px; border-left: 4px solid #cc0000; background: #fff0f0; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th { background: #f5f5f5; }
td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
figure { margin: 12px 0; } figcaption { color: #555; font-size: 13px; }
"""


@dataclass
class Plot:
    plot_id: str
    title: str
    alt: str
    png: bytes | None  # None: no data for this plot in the window
    note: str = ""


# --- pieces of the page ------------------------------------------------------------------------------
def _table(df: pd.DataFrame, table_id: str, floats: str = "{:.3f}") -> str:
    if df.empty:
        return f'<p id="{table_id}" class="empty">No rows.</p>'
    return df.to_html(
        index=False, table_id=table_id, border=0, na_rep="-", float_format=floats.format, escape=True
    )


def _figure_html(plot: Plot) -> str:
    if plot.png is None:
        return (
            f'<p id="{plot.plot_id}" class="empty">{html.escape(plot.title)}: '
            "no data for this plot in the window.</p>"
        )
    b64 = base64.b64encode(plot.png).decode("ascii")
    note = f"<figcaption>{html.escape(plot.note)}</figcaption>" if plot.note else ""
    return (
        f'<figure><img id="{plot.plot_id}" alt="{html.escape(plot.alt, quote=True)}" '
        f'src="data:image/png;base64,{b64}">{note}</figure>'
    )


def _interval(frame: pd.DataFrame, low: str, high: str, pct: bool = False) -> pd.Series:
    fmt = "[{:+.1%}, {:+.1%}]" if pct else "[{:.3f}, {:.3f}]"
    return pd.Series(
        [
            fmt.format(a, b) if pd.notna(a) and pd.notna(b) else "-"
            for a, b in zip(frame[low], frame[high], strict=True)
        ],
        index=frame.index,
    )


def market_table(market: pd.DataFrame) -> pd.DataFrame:
    """market_comparison's columns as the headline reads them."""
    if market.empty:
        return market
    return pd.DataFrame(
        {
            "system": market["system_id"],
            "starts with a line": market["n_starts"],
            "system MAE": market["system_mae"],
            "book line MAE": market["book_line_mae"],
            "system Brier": market["system_brier"],
            "book Brier": market["book_brier"],
            "share picked": market["share_picked"],
            "decided picks": market["n_decided_picks"],
            "hit rate": market["hit_rate"],
            "hit rate 95% CI": _interval(market, "hit_rate_ci_low", "hit_rate_ci_high"),
            "ROI": market["roi"],
            "ROI 95% CI": _interval(market, "roi_ci_low", "roi_ci_high", pct=True),
        }
    )


def sides_table(market: pd.DataFrame) -> pd.DataFrame:
    """Picks by side (OVER / UNDER), each with its hit rate and ROI and their 95% intervals."""
    if market.empty or "n_over_picks" not in market:
        return pd.DataFrame()
    columns: dict[str, pd.Series] = {"system": market["system_id"]}
    for side in ("over", "under"):
        name = side.upper()
        columns[f"{name} picks"] = market[f"n_{side}_picks"]
        columns[f"{name} hit rate"] = market[f"{side}_hit_rate"]
        columns[f"{name} hit rate 95% CI"] = _interval(
            market, f"{side}_hit_rate_ci_low", f"{side}_hit_rate_ci_high"
        )
        columns[f"{name} ROI"] = market[f"{side}_roi"]
        columns[f"{name} ROI 95% CI"] = _interval(
            market, f"{side}_roi_ci_low", f"{side}_roi_ci_high", pct=True
        )
    return pd.DataFrame(columns)


def drift_html(market: pd.DataFrame) -> str:
    """The book drift check on the report's scope: flagged when the book's line is more than 0.02 K softer
    than the best system's forecast on the same starts (python_models/monitoring/verdicts.py)."""
    if market.empty:
        return ""
    rows = [dict(r, season="scope") for r in market.to_dict("records")]
    drift = book_drift(rows, ["scope"])[0]
    text = (
        f"Book drift check: the book's line MAE {drift['book_line_mae']:.3f} vs {drift['best_system']}'s "
        f"{drift['best_system_mae']:.3f} on the same starts ({drift['book_softer_by']:+.3f} K)"
    )
    if drift["is_soft"]:
        return f'<p id="book-drift" class="empty"><b>{html.escape(drift["label"])}</b>. {html.escape(text)}: ROI below is against a soft book.</p>'
    return f'<p id="book-drift" class="note">{html.escape(text)}: sharp enough to measure against.</p>'


def performance_table(performance: pd.DataFrame) -> pd.DataFrame:
    """system_performance's columns for the summary (every start with action; voids counted, not graded)."""
    if performance.empty:
        return performance
    return pd.DataFrame(
        {
            "system": performance["system_id"],
            "predictions": performance["n_predictions"],
            "graded (started)": performance["n_graded"],
            "short starts": performance["n_short_starts"],
            "void": performance["n_void"],
            "MAE": performance["mae"],
            "reference MAE": performance["reference_mae"],
            "RMSE": performance["rmse"],
            "bias": performance["bias"],
            "count log loss": performance["count_log_loss"],
            "Brier": performance["brier_over"],
            "decided picks": performance["n_decided_picks"],
            "hit rate": performance["hit_rate"],
            "95% CI": _interval(performance, "hit_rate_ci_low", "hit_rate_ci_high"),
        }
    )


def lines_provenance_text(lines: LineProvenance) -> str:
    """One sentence on where the strikeout lines came from, from the data."""
    if lines.kind == "none":
        return (
            "none loaded (raw.strikeout_lines is empty): every prediction is PASS with the red flag no_line; "
            "load lines with kzone load-lines"
        )
    parts = []
    if lines.synthetic_sources:
        parts.append("synthetic (set by a market model; real strikeout lines are not public data)")
    if lines.file_sources:
        parts.append(f"loaded from files ({', '.join(lines.file_sources)})")
    scope = "" if lines.in_window else " (none in this window; the table as a whole)"
    return (
        f"{' and '.join(parts)}: {len(lines.bookmakers)} bookmaker(s) ({', '.join(lines.bookmakers)}), "
        f"{lines.first_date} → {lines.last_date}, {lines.captures:,} captures{scope}"
    )


def provenance_html(p: Provenance) -> str:
    files = ", ".join(p.game_log_sources) or "none"
    how = "detected from raw.pitcher_game_logs._source_file" if p.detected else "set with --provenance"
    lines = (
        f'<p id="line-provenance" data-lines="{p.lines.kind}">Strikeout lines: '
        f"{html.escape(lines_provenance_text(p.lines))} (read from raw.strikeout_lines).</p>"
    )
    if p.is_real:
        body = (
            f"<p><strong>Real data:</strong> game logs from Retrosheet ({html.escape(files)}). ({how})</p>"
            f'{lines}<p id="retrosheet-notice">{html.escape(RETROSHEET_NOTICE)}</p>'
        )
        cls = "provenance real"
    else:
        generated = "pitchers, games, probable starters and injuries are generated"
        if p.lines.kind == "synthetic":
            generated = "pitchers, games, probable starters, strikeout lines and injuries are generated; "
            generated += "<strong>lines and injuries are synthetic</strong>"
        body = (
            "<p><strong>Synthetic demo league</strong> (<code>kzone demo-data</code>, "
            f"{html.escape(files)}): {generated}. No real players or games. ({how})</p>{lines}"
        )
        cls = "provenance synthetic"
    return f'<div id="provenance" class="{cls}" data-provenance="{p.kind}">{body}</div>'


def held_back_html(held_back: pd.DataFrame) -> str:
    """The rows held back by a row-level rule (never published), per rule; or a line saying none are."""
    heading = "<h2>Rows held back before publishing (predictions_quarantine)</h2>"
    if held_back.empty:
        return (
            heading
            + '<p id="held-back" class="note">0 prediction rows held back: every row passed the row-level rules.</p>'
        )
    n = int(held_back["n_rows"].sum())
    return (
        heading
        + f'<p id="held-back" class="empty">{n} prediction row(s) held back, not in any table or view below: '
        "fix or delete their landing rows; the next build releases them.</p>"
        + _table(held_back, "held-back-rules")
    )


def render_html(data: ReportData, figures: list[Plot], generated_at: datetime, picks_note: str = "") -> str:
    title = f"kzone performance report {data.start} → {data.end}"
    scope = f"season {data.scope[1]}" if data.scope[0] == "season" else "all time (the window spans seasons)"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Generated {generated_at:%Y-%m-%d %H:%M} UTC from the warehouse\'s monitoring views · '
        f"{data.n_predictions:,} predictions in the window, {data.n_graded:,} graded · tables: "
        f"{html.escape(scope)} · plots also written as PNG files next to this page.</p>",
        "<h2>Data provenance</h2>",
        provenance_html(data.provenance),
    ]
    by_id = {p.plot_id: p for p in figures}
    if data.n_predictions == 0:
        parts.append(
            f'<p id="empty-window" class="empty">No predictions between {data.start} and {data.end} in '
            "mlb_predictions.pitcher_strikeouts. Score the window first (kzone backfill --start … --end …, "
            "then kzone build), or choose another window.</p>"
        )
    else:
        book = "the synthetic book" if data.provenance.lines.kind == "synthetic" else "the book"
        parts += [
            f"<h2>Every system against {book}, on the same starts (market_comparison, {html.escape(scope)})</h2>",
            f'<p id="no-edge-note" class="note">{html.escape(NO_EDGE_NOTE)}</p>',
            drift_html(data.market),
            _table(market_table(data.market), "market"),
            "<h3>Picks by side</h3>",
            _table(sides_table(data.market), "picks-by-side"),
            _figure_html(by_id["plot-market"]),
            f"<h2>Accuracy on every start with action (system_performance, {html.escape(scope)})</h2>",
            _table(performance_table(data.performance), "summary"),
        ]
        sections = [
            ("Accuracy over time", ["plot-mae"]),
            ("The whole distribution", ["plot-pit", "plot-calibration"]),
            (f"Hit rate of picks by confidence, against {book}", ["plot-hit-rate"]),
            ("Coverage and data loss", ["plot-coverage", "plot-feature-coverage"]),
            ("System agreement vs accuracy", ["plot-agreement"]),
        ]
        for heading, ids in sections:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts += [_figure_html(by_id[i]) for i in ids]
        if not data.monthly.empty:
            parts += [
                "<h2>Monthly performance (system_performance)</h2>",
                _table(data.monthly, "monthly-performance"),
            ]
    parts.append(held_back_html(data.held_back))
    picks = data.picks
    slate = pd.Timestamp(picks["game_date"].max()).date() if not picks.empty else None
    parts.append(f"<h2>Today's picks{f' — slate {slate}' if slate is not None else ''} (todays_picks)</h2>")
    if picks.empty:
        parts.append('<p id="todays-picks" class="empty">todays_picks is empty: no slate yet.</p>')
    else:
        n_picks = int(picks["is_pick"].fillna(False).astype(bool).sum())
        parts.append(f"<p>{len(picks)} probable starters, {n_picks} picks (OVER/UNDER), picks first.</p>")
    if picks_note:
        parts.append(f'<p id="picks-system" class="note">{html.escape(picks_note)}</p>')
        parts.append(_table(picks.drop(columns=["is_pick", "game_date"]), "todays-picks", "{:.2f}"))
    parts.append("</body></html>")
    return "\n".join(parts)
