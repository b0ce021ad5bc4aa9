"""`kzone report`: a self-contained static HTML performance report with PNG plots, read from the warehouse.

The job reads like its steps: open the warehouse read-only → read the window's rows from the monitoring
views (`report_data`: every metric is a dbt definition) → draw PNGs (`report_plots`; files written next to
the HTML *and* embedded as base64) → write one HTML page that needs nothing else (`report_page`).

The page leads with every system against the book on the same starts (MAE, Brier, ROI with its interval,
share picked), then accuracy over time against the naive reference, the whole distribution (PIT, reliability
of P(over)), picks by confidence, coverage, agreement, today's picks and the data's provenance (synthetic demo
league or real Retrosheet game logs, with Retrosheet's required notice).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from python_models.config import Settings, get_settings
from python_models.dbt.project import PROJECT_ROOT, ensemble
from python_models.monitoring import report_plots as plots
from python_models.monitoring.figures import measured_picks_choice
from python_models.monitoring.report_data import (
    Provenance,
    ProvenanceChoice,
    ReportData,
    detect_provenance,
    read_report_data,
)
from python_models.monitoring.report_page import (
    NO_EDGE_NOTE,
    RETROSHEET_NOTICE,
    Plot,
    provenance_html,
    render_html,
)
from python_models.monitoring.verdicts import stacking_weights
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import Warehouse, WarehouseError

__all__ = ["RETROSHEET_NOTICE", "ReportResult", "detect_provenance", "provenance_html", "write_report"]

log = logging.getLogger(__name__)

DEFAULT_OUT = PROJECT_ROOT / "artifacts" / "report"
REPORT_FILE = "report.html"


@dataclass
class ReportResult:
    path: Path
    start: date
    end: date
    provenance: Provenance
    n_predictions: int
    n_graded: int
    pngs: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.n_predictions == 0


def picks_note(settings: Settings) -> str:
    """Which system makes the picks, and why (the measured choice, or the setting that overrides it)."""
    measured = measured_picks_choice()
    if measured.get("system_id") == settings.picks_system:
        note = f"Picks from {settings.picks_system}: {measured['reason']} (make evaluate)."
    else:
        note = f"Picks from {settings.picks_system}: set by KZONE_PICKS_SYSTEM (or the only active system)."
    weights = stacking_weights(settings.model_store)
    if weights:
        latest = weights[-1]
        learned = (
            f"learned on {latest['rows']:,} graded starts" if latest["rows"] else "equal: no history yet"
        )
        note += (
            f" {latest['system_id']}'s weights through {latest['trained_through']} ({learned}): "
            + ", ".join(f"{c} {w:.2f}" for c, w in latest["weights"].items())
        )
    return note


def draw(data: ReportData, settings: Settings) -> list[Plot]:
    """Every plot of the page, in order."""
    components = " and ".join(ensemble().components)
    book = "the synthetic book" if data.provenance.lines.kind == "synthetic" else "the book"
    return [
        Plot(
            "plot-market",
            "System vs the book",
            f"Bar charts of each system's MAE and Brier score beside {book}'s on the same starts, and each "
            "system's ROI per unit staked with its 95% interval and the share of starts picked.",
            plots.plot_market(data.market),
            NO_EDGE_NOTE,
        ),
        Plot(
            "plot-mae",
            "MAE over time",
            f"Line chart: trailing {plots.ROLLING_DAYS}-day mean absolute error per prediction system from "
            f"{data.start} to {data.end}, with the naive reference dashed.",
            plots.plot_mae(data.daily, settings.picks_system),
            "Naive reference (int_naive_reference): the pitcher's season-to-date K per start, else last "
            "season's, his career's, then the league's to date; on the same starts.",
        ),
        Plot(
            "plot-pit",
            "PIT histogram",
            "Bar chart per system: share of starts in each tenth of the probability integral transform of "
            "the actual strikeouts under the system's predicted distribution; 10% each when honest.",
            plots.plot_pit(data.calibration),
            "Too many starts at the edges: the distribution is too narrow; too many in the middle: too wide.",
        ),
        Plot(
            "plot-calibration",
            "Calibration",
            "Reliability diagram: mean predicted probability of going over the line vs the observed over "
            "rate, by decile, per system, after its calibration curve (solid) and before it (dashed), with "
            "starts per decile below.",
            plots.plot_calibration(data.calibration),
            "Points on the dotted diagonal are perfectly calibrated (pushes excluded).",
        ),
        Plot(
            "plot-hit-rate",
            "Hit rate by confidence",
            f"Hit rate of decided picks against {book} per confidence band and system with 95% Wilson "
            "intervals and the break-even line at -110 odds.",
            plots.plot_hit_rate(data.confidence),
            f"Decided picks only (wins and losses), against {book}; pushes and voids are excluded.",
        ),
        Plot(
            "plot-coverage",
            "Coverage",
            "Daily coverage: expected starters vs pitchers predicted and systems run per day, and each "
            "system's 7-day data-loss rate (expected starters without a live prediction).",
            plots.plot_coverage(data.daily_coverage, data.prediction_coverage),
        ),
        Plot(
            "plot-feature-coverage",
            "Feature coverage",
            "Histogram of feature coverage percent over probable starters in the window, with the "
            "low-coverage threshold.",
            plots.plot_feature_coverage(data.feature_coverage, settings.low_coverage_threshold),
        ),
        Plot(
            "plot-agreement",
            "Agreement vs accuracy",
            f"Bar chart of MAE per system by how closely {components} agree, and the daily share of "
            "pitchers in each agreement level.",
            plots.plot_agreement(data.by_agreement, data.agreement, components),
            f"strong: spread < {settings.agreement_strong_k:g} K; disagree: spread > "
            f"{settings.agreement_disagree_k:g} K; moderate in between.",
        ),
    ]


def open_for_reading(settings: Settings) -> Warehouse:
    """Read-only, so the report never takes the writer's lock; but when this very process already holds the
    DuckDB file read-write (dbt-duckdb keeps its connection open after an in-process dbt run, as in
    `kzone demo`), DuckDB refuses a second configuration, and that connection's own mode is used."""
    wh = open_warehouse(settings, read_only=True)
    try:
        wh.table_exists("mlb_predictions", "pitcher_strikeouts")  # connects now
    except WarehouseError as exc:
        wh.close()
        if "different configuration" not in str(exc):
            raise
        log.debug("warehouse already open read-write in this process; reading through that mode")
        wh = open_warehouse(settings)
    return wh


# --- the job -----------------------------------------------------------------------------------------
def write_report(
    start: date,
    end: date,
    out_dir: Path | None = None,
    *,
    settings: Settings | None = None,
    provenance: ProvenanceChoice = "auto",
) -> ReportResult:
    """Read the window, draw the plots, write ``report.html`` + one PNG per plot into ``out_dir``."""
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    settings = settings or get_settings()
    out_dir = Path(out_dir or DEFAULT_OUT)
    log.info("report: reading %s → %s", start, end)
    with open_for_reading(settings) as wh:
        data = read_report_data(wh, start, end, provenance)
    messages: list[str] = []
    figures: list[Plot] = []
    if not data.held_back.empty:
        why = ", ".join(f"{r.quarantine_rule} {r.n_rows}" for r in data.held_back.itertuples(index=False))
        messages.append(f"{int(data.held_back['n_rows'].sum())} prediction row(s) held back ({why})")
    if data.n_predictions == 0:
        messages.append(f"no predictions between {start} and {end}: the report says so and has no plots")
    else:
        log.info("report: drawing plots")
        figures = draw(data, settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs: list[Path] = []
    for plot in figures:
        if plot.png is not None:
            path = out_dir / f"{plot.plot_id}.png"
            path.write_bytes(plot.png)
            pngs.append(path)
    path = out_dir / REPORT_FILE
    path.write_text(render_html(data, figures, datetime.now(UTC), picks_note(settings)), encoding="utf-8")
    log.info("report: wrote %s (%d plots)", path, len(pngs))
    return ReportResult(path, start, end, data.provenance, data.n_predictions, data.n_graded, pngs, messages)
