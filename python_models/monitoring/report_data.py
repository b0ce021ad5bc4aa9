"""What `kzone report` shows, read from the warehouse: every metric from a monitoring view (dbt owns each
definition: the grading rule, MAE, Brier, ROI, Wilson intervals, the naive reference), never recomputed here.

The window picks the rows: the day grain of `system_performance` for the lines over time, the season (or all
time, when the window spans seasons) for the tables and the calibration plots, the coverage and agreement
views per date. Provenance is read from the raw tables' `_source_file`. Every query is parameterized.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from python_models.warehouse.base import Warehouse, WarehouseError

ProvenanceChoice = Literal["auto", "synthetic", "retrosheet"]
WINDOW = "game_date between @start and @end"
OVERLAPS = "first_game_date <= @end and last_game_date >= @start"


def is_synthetic_line_source(source: str) -> bool:
    """Lines the project generated itself: the demo generator or the market model of `kzone evaluate`."""
    return source.startswith("demo-seed-") or source.startswith("market_model")


@dataclass(frozen=True)
class LineProvenance:
    """What raw.strikeout_lines holds, read from the data: none, synthetic, loaded from files, or both."""

    kind: Literal["none", "synthetic", "files", "mixed"]
    file_sources: tuple[str, ...] = ()
    synthetic_sources: tuple[str, ...] = ()
    bookmakers: tuple[str, ...] = ()
    first_date: date | None = None
    last_date: date | None = None
    captures: int = 0
    in_window: bool = True  # False: nothing in the window, the table as a whole is described


@dataclass(frozen=True)
class Provenance:
    """Where the data in the window came from."""

    kind: Literal["synthetic", "retrosheet"]
    game_log_sources: tuple[str, ...]
    line_sources: tuple[str, ...]
    detected: bool  # False when forced with --provenance
    lines: LineProvenance = field(default_factory=lambda: LineProvenance("none"))

    @property
    def is_real(self) -> bool:
        return self.kind == "retrosheet"


@dataclass
class ReportData:
    """The view rows of one window. ``scope`` is the period the tables and calibration plots describe:
    ("season", "2026") when the window lies in one season, else ("all", "all")."""

    start: date
    end: date
    scope: tuple[str, str]
    n_predictions: int
    n_graded: int
    market: pd.DataFrame  # market_comparison of the scope
    performance: pd.DataFrame  # system_performance of the scope
    monthly: pd.DataFrame  # system_performance, months overlapping the window
    daily: pd.DataFrame  # system_performance day grain in the window
    by_agreement: pd.DataFrame  # system_performance agreement grain (all time)
    calibration: pd.DataFrame  # distribution_calibration of the scope
    confidence: pd.DataFrame  # picks_by_confidence of the scope
    daily_coverage: pd.DataFrame
    prediction_coverage: pd.DataFrame
    agreement: pd.DataFrame  # system_agreement per date
    feature_coverage: pd.Series  # feature_coverage_pct of the window's pitcher-days (the values, a histogram)
    picks: pd.DataFrame
    provenance: Provenance
    held_back: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # predictions_quarantine, held now, per rule


def _require(wh: Warehouse, layer: str, table: str) -> str:
    if not wh.table_exists(layer, table):
        raise WarehouseError(
            f"{wh.schema_name(layer)}.{table} not found: build the warehouse first "
            "(kzone demo, or kzone build after kzone backfill)"
        )
    return wh.relation(layer, table)


def _dates(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for col in cols:
        if col in df.columns:
            df[col] = pd.to_datetime(df[col])
    return df


def detect_line_provenance(wh: Warehouse, start: date, end: date) -> LineProvenance:
    """The lines of the window (else of the whole table): their sources, bookmakers, dates and count."""
    if not wh.table_exists("raw", "strikeout_lines"):
        return LineProvenance("none")
    rel = wh.relation("raw", "strikeout_lines")
    summary = (
        "select _source_file, bookmaker, min(game_date) as first_date, max(game_date) as last_date, "
        f"count(*) as captures from {rel}"
    )
    rows = wh.query(f"{summary} where {WINDOW} group by 1, 2", {"start": start, "end": end})
    in_window = not rows.empty
    if not in_window:
        rows = wh.query(f"{summary} group by 1, 2")
    if rows.empty:
        return LineProvenance("none")
    sources = {str(s) for s in rows["_source_file"].dropna()}
    synthetic = tuple(sorted(s for s in sources if is_synthetic_line_source(s)))
    files = tuple(sorted(sources - set(synthetic)))
    kind: Literal["synthetic", "files", "mixed"] = (
        "mixed" if files and synthetic else "files" if files else "synthetic"
    )
    return LineProvenance(
        kind,
        file_sources=files,
        synthetic_sources=synthetic,
        bookmakers=tuple(sorted({str(b) for b in rows["bookmaker"].dropna()})),
        first_date=pd.Timestamp(rows["first_date"].min()).date(),
        last_date=pd.Timestamp(rows["last_date"].max()).date(),
        captures=int(rows["captures"].sum()),
        in_window=in_window,
    )


def detect_provenance(wh: Warehouse, start: date, end: date, choice: ProvenanceChoice = "auto") -> Provenance:
    """Real data when any game log of the window was loaded from a file (not generated by demo-data); the
    lines' provenance is read from the lines themselves."""
    window = {"start": start, "end": end}

    def sources(table: str) -> tuple[str, ...]:
        if not wh.table_exists("raw", table):
            return ()
        rel = wh.relation("raw", table)
        rows = wh.query(f"select distinct _source_file from {rel} where {WINDOW}", window)
        if rows.empty:  # nothing in the window: describe the table as a whole
            rows = wh.query(f"select distinct _source_file from {rel}")
        return tuple(sorted(str(s) for s in rows["_source_file"].dropna()))

    game_logs, lines = sources("pitcher_game_logs"), sources("strikeout_lines")
    line_provenance = detect_line_provenance(wh, start, end)
    if choice != "auto":
        return Provenance(choice, game_logs, lines, detected=False, lines=line_provenance)
    real = any(not s.startswith("demo-seed-") for s in game_logs)
    return Provenance(
        "retrosheet" if real else "synthetic", game_logs, lines, detected=True, lines=line_provenance
    )


def read_held_back(wh: Warehouse) -> pd.DataFrame:
    """Prediction rows held back now by a row-level rule (predictions_quarantine without released_at), one
    row per rule: how many, their game dates and one example of what broke it. Empty before the quarantine
    exists."""
    if not wh.table_exists("mlb_predictions", "predictions_quarantine"):
        return pd.DataFrame(
            columns=["quarantine_rule", "n_rows", "first_game_date", "last_game_date", "example"]
        )
    return wh.query(
        f"""
        select
            quarantine_rule, count(*) as n_rows, min(game_date) as first_game_date,
            max(game_date) as last_game_date, min(quarantine_detail) as example
        from {wh.relation("mlb_predictions", "predictions_quarantine")}
        where released_at is null
        group by 1
        order by 1
        """
    )


def read_report_data(
    wh: Warehouse, start: date, end: date, provenance: ProvenanceChoice = "auto"
) -> ReportData:
    """Every number the report shows, from parameterized queries on the monitoring views."""
    window = {"start": start, "end": end}

    def view(name: str, columns: str, where: str, params: dict | None = None) -> pd.DataFrame:
        rel = _require(wh, "mlb_predictions", name)
        return wh.query(
            f"select {columns} from {rel} where {where} order by 1, 2", window if params is None else params
        )

    seasons = view("system_performance", "period_label, system_id", f"period_grain = 'season' and {OVERLAPS}")
    labels = sorted(set(seasons["period_label"]))
    scope = ("season", labels[0]) if len(labels) == 1 else ("all", "all")
    in_scope = "period_grain = @grain and period_label = @label"
    scope_params = {"grain": scope[0], "label": scope[1]}
    daily = view(
        "system_performance",
        "system_id, cast(period_label as date) as game_date, n_predictions, n_graded, mae, "
        "n_with_reference, reference_mae, mae_on_reference_rows",
        "period_grain = 'day' and first_game_date between @start and @end",
    )
    features = _require(wh, "features", "ml_feature_store")
    feature_coverage = wh.query(
        f"select game_date, pitcher_id, feature_coverage_pct from {features} where {WINDOW}", window
    )["feature_coverage_pct"]
    picks = wh.query(
        f"""
        select
            game_date, pitcher_name, team, opponent, strikeouts_line, predicted_strikeouts, p_over,
            market_p_over, recommendation, confidence, edge, feature_coverage_pct, red_flags, result, is_pick
        from {_require(wh, "mlb_predictions", "todays_picks")}
        order by is_pick desc, confidence desc, pitcher_name
        """
    )
    return ReportData(
        start=start,
        end=end,
        scope=scope,
        n_predictions=int(daily["n_predictions"].sum()) if not daily.empty else 0,
        n_graded=int(daily["n_graded"].sum()) if not daily.empty else 0,
        market=view(
            "market_comparison",
            "system_id, n_starts, system_mae, book_line_mae, mae_vs_book, system_brier, book_brier, "
            "brier_vs_book, share_picked, n_decided_picks, hit_rate, hit_rate_ci_low, hit_rate_ci_high, roi, "
            "roi_ci_low, roi_ci_high, share_beat_close, "
            + ", ".join(
                f"n_{side}_picks, {side}_hit_rate, {side}_hit_rate_ci_low, {side}_hit_rate_ci_high, {side}_roi, "
                f"{side}_roi_ci_low, {side}_roi_ci_high"
                for side in ("over", "under")
            ),
            in_scope,
            scope_params,
        ),
        performance=view(
            "system_performance",
            "system_id, n_predictions, n_graded, n_short_starts, n_void, n_pending, n_unresolved, mae, "
            "reference_mae, rmse, bias, poisson_log_loss, count_log_loss, brier_over, n_decided_picks, "
            "hit_rate, hit_rate_ci_low, hit_rate_ci_high, first_game_date, last_game_date",
            in_scope,
            scope_params,
        ),
        monthly=view(
            "system_performance",
            "period_label as month, system_id, n_graded, mae, reference_mae, bias, count_log_loss, "
            "brier_over, n_decided_picks, hit_rate",
            f"period_grain = 'month' and {OVERLAPS}",
        ),
        daily=_dates(daily, "game_date"),
        by_agreement=view(
            "system_performance",
            "system_id, period_label as agreement_level, n_graded, mae",
            "period_grain = 'agreement'",
            {},
        ),
        calibration=view(
            "distribution_calibration",
            "system_id, measure, decile, n, share, flatness, mean_predicted, observed_rate",
            in_scope,
            scope_params,
        ),
        confidence=view(
            "picks_by_confidence",
            "system_id, confidence_band, n_decided_picks, n_wins, hit_rate, hit_rate_ci_low, "
            "hit_rate_ci_high",
            in_scope,
            scope_params,
        ),
        daily_coverage=_dates(
            view(
                "daily_coverage",
                "game_date, n_pitchers_predicted, n_predictions, n_systems_run, n_active_systems",
                WINDOW,
            ),
            "game_date",
        ),
        prediction_coverage=_dates(
            view(
                "prediction_coverage",
                "game_date, system_id, n_expected, n_predicted, n_missing, coverage_pct, data_loss_rate, "
                "data_loss_rate_7d",
                WINDOW,
            ),
            "game_date",
        ),
        agreement=_dates(
            view(
                "system_agreement",
                "game_date, n_pitchers_compared, share_strong, share_moderate, share_disagree",
                WINDOW,
            ),
            "game_date",
        ),
        feature_coverage=feature_coverage.dropna().astype("float64"),
        picks=picks,
        provenance=detect_provenance(wh, start, end, provenance),
        held_back=read_held_back(wh),
    )
