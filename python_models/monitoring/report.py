"""`kzone report`: a self-contained static HTML performance report with PNG plots, read from the warehouse.

The job reads like its steps: open the warehouse read-only → read the window (parameterized queries on the
public table, the monitoring views and the feature store) → compute the plots' numbers → draw PNGs
(matplotlib, Agg; files written next to the HTML *and* embedded as base64) → write one HTML file that needs
nothing else (no scripts, no external CSS, no network).

Sections: a per-system summary of the window, MAE over time against a naive reference, calibration of
P(over), hit rate of picks by confidence with Wilson intervals, coverage (daily, prediction coverage / data
loss, feature coverage), system agreement vs accuracy, today's picks, and the data's provenance (synthetic
demo league or real Retrosheet game logs, with Retrosheet's required notice).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import logging
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from python_models.config import Settings, get_settings
from python_models.project import PROJECT_ROOT, system_ids
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import Warehouse, WarehouseError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

DEFAULT_OUT = PROJECT_ROOT / "artifacts" / "report"
REPORT_FILE = "report.html"
ROLLING_DAYS = 14
BREAK_EVEN_110 = 110 / 210  # hit rate needed to break even at -110 odds
CONFIDENCE_EDGES = (0.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0, 90.0, 100.0001)
RETROSHEET_NOTICE = (
    "The information used here was obtained free of charge from and is copyrighted by Retrosheet. "
    'Interested parties may contact Retrosheet at "www.retrosheet.org".'
)
COLORS = {
    "v1_baseline": "#1f77b4",
    "v1_6_rolling": "#ff7f0e",
    "ensemble_v1": "#2ca02c",
    "v2_workload_rate": "#9467bd",
    "naive": "#7f7f7f",
}
ProvenanceChoice = Literal["auto", "synthetic", "retrosheet"]


# --- results ---------------------------------------------------------------------------------------
def is_synthetic_line_source(source: str) -> bool:
    """Lines the project generated itself: the demo generator or the market model of `kzone evaluate`."""
    return source.startswith("demo-seed-") or source == "market_model"


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
class Plot:
    plot_id: str
    title: str
    alt: str
    png: bytes | None  # None: no data for this plot in the window
    note: str = ""


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


@dataclass
class ReportData:
    predictions: pd.DataFrame
    naive: pd.DataFrame
    league_mean_k: float | None
    daily_coverage: pd.DataFrame
    prediction_coverage: pd.DataFrame
    comparison: pd.DataFrame
    agreement: pd.DataFrame
    monthly: pd.DataFrame
    picks: pd.DataFrame
    provenance: Provenance


# --- statistics ------------------------------------------------------------------------------------
def wilson_interval(wins: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (same formula as the `wilson_interval` macro)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = wins / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def naive_predictions(naive: pd.DataFrame, league_mean_k: float | None) -> pd.Series:
    """Season-to-date K per start; fallback the last-5 mean, then the league mean before the window."""
    guess = naive["season_k_per_start"].astype("float64")
    guess = guess.fillna(naive["k_last_5"].astype("float64"))
    if league_mean_k is not None:
        guess = guess.fillna(league_mean_k)
    return guess


def rolling_mae(frame: pd.DataFrame, error_col: str, days: int = ROLLING_DAYS) -> pd.Series:
    """Trailing ``days``-calendar-day MAE per game date: sum of |error| / count over the window."""
    daily = frame.groupby("game_date")[error_col].agg(["sum", "count"]).sort_index()
    rolled = daily.rolling(f"{days}D").sum()
    return rolled["sum"] / rolled["count"]


# --- reading ---------------------------------------------------------------------------------------
def _require(wh: Warehouse, layer: str, table: str) -> str:
    if not wh.table_exists(layer, table):
        raise WarehouseError(
            f"{wh.schema_name(layer)}.{table} not found: build the warehouse first "
            "(kzone demo, or dbt build after kzone backfill)"
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
    rows = wh.query(
        f"{summary} where game_date between @start and @end group by 1, 2", {"start": start, "end": end}
    )
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
        rows = wh.query(
            f"select distinct _source_file from {rel} where game_date between @start and @end",
            window,
        )
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


def read_report_data(
    wh: Warehouse, start: date, end: date, provenance: ProvenanceChoice = "auto"
) -> ReportData:
    """Every number the report shows, from parameterized queries over the window."""
    window = {"start": start, "end": end}
    fct = _require(wh, "mlb_predictions", "pitcher_strikeouts")
    predictions = wh.query(
        f"""
        select
            game_date, system_id, pitcher_id, pitcher_name, predicted_strikeouts, actual_strikeouts,
            absolute_error, is_graded, p_over, strikeouts_line, recommendation, confidence, result,
            feature_coverage_pct
        from {fct}
        where game_date between @start and @end
        """,
        window,
    )
    features = _require(wh, "features", "ml_feature_store")
    naive = wh.query(
        f"""
        select game_date, pitcher_id, season_k_per_start, k_last_5, feature_coverage_pct
        from {features}
        where game_date between @start and @end
        """,
        window,
    )
    league_mean_k = None
    if wh.table_exists("raw", "pitcher_game_logs"):
        mean = wh.query(
            f"select avg(strikeouts) as k from {wh.relation('raw', 'pitcher_game_logs')} "
            "where game_date < @start",
            {"start": start},
        )
        value = mean["k"].iloc[0] if not mean.empty else None
        league_mean_k = None if value is None or pd.isna(value) else float(value)

    def view(name: str, columns: str, where: str = "game_date between @start and @end") -> pd.DataFrame:
        rel = _require(wh, "mlb_predictions", name)
        return wh.query(f"select {columns} from {rel} where {where} order by 1", window)

    daily_coverage = view(
        "daily_coverage", "game_date, n_pitchers_predicted, n_predictions, n_systems_run, systems_run"
    )
    prediction_coverage = view(
        "prediction_coverage",
        "game_date, n_expected, n_predicted, n_missing, coverage_pct, data_loss_rate, data_loss_rate_7d",
    )
    comparison = view(
        "system_comparison",
        "game_date, pitcher_id, component_spread, "
        + ", ".join(f"{system}_absolute_error" for system in system_ids()),
        "game_date between @start and @end and component_spread is not null",
    )
    agreement = view(
        "system_agreement",
        "game_date, n_pitchers_compared, share_strong, share_moderate, share_disagree, "
        "ensemble_mae_strong, ensemble_mae_not_strong",
    )
    monthly = view(
        "system_performance",
        "period_label as month, system_id, n_graded, mae, rmse, bias, poisson_log_loss, brier_over, "
        "n_decided_picks, hit_rate, hit_rate_ci_low, hit_rate_ci_high, avg_confidence",
        "period_grain = 'month' and last_game_date >= @start and first_game_date <= @end",
    )
    picks_rel = _require(wh, "mlb_predictions", "todays_picks")
    picks = wh.query(
        f"""
        select
            game_date, pitcher_name, team, opponent, strikeouts_line, predicted_strikeouts, p_over,
            p_under, recommendation, confidence, edge, feature_coverage_pct, red_flags, result, is_pick
        from {picks_rel}
        order by is_pick desc, confidence desc, pitcher_name
        """
    )
    return ReportData(
        predictions=_dates(predictions, "game_date"),
        naive=_dates(naive, "game_date"),
        league_mean_k=league_mean_k,
        daily_coverage=_dates(daily_coverage, "game_date"),
        prediction_coverage=_dates(prediction_coverage, "game_date"),
        comparison=_dates(comparison, "game_date"),
        agreement=_dates(agreement, "game_date"),
        monthly=monthly.astype({"n_graded": "Int64", "n_decided_picks": "Int64"}),
        picks=picks,
        provenance=detect_provenance(wh, start, end, provenance),
    )


# --- numbers behind the plots ----------------------------------------------------------------------
def graded(predictions: pd.DataFrame) -> pd.DataFrame:
    mask = predictions["is_graded"].fillna(False).astype(bool) & predictions["actual_strikeouts"].notna()
    return predictions[mask]


def naive_graded(data: ReportData) -> pd.DataFrame:
    """The naive reference on the graded pitcher-days of the window (one row per pitcher and date)."""
    actuals = graded(data.predictions)[["game_date", "pitcher_id", "actual_strikeouts"]]
    actuals = actuals.dropna(subset=["pitcher_id"]).drop_duplicates(["game_date", "pitcher_id"])
    naive = data.naive.drop_duplicates(["game_date", "pitcher_id"]).copy()
    naive["naive_predicted"] = naive_predictions(naive, data.league_mean_k)
    joined = actuals.merge(naive[["game_date", "pitcher_id", "naive_predicted"]], how="inner")
    joined = joined.dropna(subset=["naive_predicted"])
    joined["absolute_error"] = (
        joined["naive_predicted"] - joined["actual_strikeouts"].astype("float64")
    ).abs()
    joined["signed_error"] = joined["naive_predicted"] - joined["actual_strikeouts"].astype("float64")
    return joined


def summary_table(data: ReportData) -> pd.DataFrame:
    """Per system over the window: volume, MAE, RMSE, bias, decided picks and hit rate [95% CI]."""
    rows = []
    preds = data.predictions
    g = graded(preds)
    for system in _systems(preds):
        part, part_g = preds[preds["system_id"] == system], g[g["system_id"] == system]
        err = (part_g["predicted_strikeouts"] - part_g["actual_strikeouts"].astype("float64")).astype(
            "float64"
        )
        decided = part[part["result"].isin(["win", "loss"])]
        wins, n = int((decided["result"] == "win").sum()), len(decided)
        low, high = wilson_interval(wins, n)
        rows.append(
            {
                "system": system,
                "predictions": len(part),
                "graded": len(part_g),
                "MAE": err.abs().mean(),
                "RMSE": math.sqrt((err**2).mean()) if len(err) else math.nan,
                "bias": err.mean(),
                "decided picks": n,
                "hit rate": wins / n if n else math.nan,
                "95% CI": f"[{low:.3f}, {high:.3f}]" if n else "-",
            }
        )
    naive = naive_graded(data)
    if not naive.empty:
        rows.append(
            {
                "system": "naive (season K/start)",
                "predictions": len(naive),
                "graded": len(naive),
                "MAE": naive["absolute_error"].mean(),
                "RMSE": math.sqrt((naive["signed_error"] ** 2).mean()),
                "bias": naive["signed_error"].mean(),
                "decided picks": 0,
                "hit rate": math.nan,
                "95% CI": "-",
            }
        )
    return pd.DataFrame(rows)


def calibration_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per system and decile of P(over): mean predicted, observed over rate (actual > line), count."""
    g = graded(predictions)
    g = g[g["p_over"].notna() & g["strikeouts_line"].notna()]
    rows = []
    for system in _systems(g):
        part = g[g["system_id"] == system]
        if len(part) < 10:
            continue
        deciles = pd.qcut(part["p_over"].astype("float64"), 10, labels=False, duplicates="drop")
        over = part["actual_strikeouts"].astype("float64") > part["strikeouts_line"].astype("float64")
        for d, idx in part.groupby(deciles).groups.items():
            rows.append(
                {
                    "system_id": system,
                    "decile": int(d) + 1,
                    "mean_p_over": float(part.loc[idx, "p_over"].astype("float64").mean()),
                    "observed_over_rate": float(over.loc[idx].mean()),
                    "n": len(idx),
                }
            )
    return pd.DataFrame(rows, columns=["system_id", "decile", "mean_p_over", "observed_over_rate", "n"])


def hit_rate_by_confidence(predictions: pd.DataFrame) -> pd.DataFrame:
    """Decided picks (win/loss) per system and confidence bucket, with 95% Wilson intervals."""
    decided = predictions[predictions["result"].isin(["win", "loss"]) & predictions["confidence"].notna()]
    rows = []
    if decided.empty:
        return pd.DataFrame(columns=["system_id", "bucket", "n", "wins", "hit_rate", "ci_low", "ci_high"])
    buckets = pd.cut(decided["confidence"].astype("float64"), list(CONFIDENCE_EDGES), right=False)
    for (system, bucket), part in decided.groupby([decided["system_id"], buckets], observed=True):
        n, wins = len(part), int((part["result"] == "win").sum())
        low, high = wilson_interval(wins, n)
        label = f"{bucket.left:.0f}–{min(bucket.right, 100):.0f}"
        rows.append(
            {
                "system_id": system,
                "bucket": label,
                "n": n,
                "wins": wins,
                "hit_rate": wins / n,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return pd.DataFrame(rows)


def agreement_accuracy(comparison: pd.DataFrame, strong_k: float, disagree_k: float) -> pd.DataFrame:
    """MAE of each system by agreement level of the two components (the view's thresholds)."""
    if comparison.empty:
        return pd.DataFrame(columns=["level", "system_id", "mae", "n"])
    spread = comparison["component_spread"].astype("float64")
    level = pd.Series("moderate", index=comparison.index)
    level[spread < strong_k] = "strong"
    level[spread > disagree_k] = "disagree"
    rows = []
    for lvl in ("strong", "moderate", "disagree"):
        part = comparison[level == lvl]
        for system in system_ids():
            err = part[f"{system}_absolute_error"].dropna().astype("float64")
            if len(err):
                rows.append({"level": lvl, "system_id": system, "mae": err.mean(), "n": len(err)})
    return pd.DataFrame(rows)


def _systems(frame: pd.DataFrame) -> list[str]:
    present = set(frame["system_id"].dropna()) if "system_id" in frame else set()
    ids = system_ids()
    return [s for s in ids if s in present] + sorted(present - set(ids))


# --- drawing ---------------------------------------------------------------------------------------
def _figure(
    rows: int = 1, cols: int = 1, size: tuple[float, float] = (10, 4.5), **kw: Any
) -> tuple[Figure, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    axes = fig.subplots(rows, cols, **kw)
    return fig, axes


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def plot_mae(data: ReportData) -> bytes | None:
    g = graded(data.predictions).copy()
    if g.empty:
        return None
    g["err"] = (g["predicted_strikeouts"] - g["actual_strikeouts"].astype("float64")).abs().astype("float64")
    fig, ax = _figure()
    for system in _systems(g):
        series = rolling_mae(g[g["system_id"] == system], "err")
        ax.plot(series.index, series.values, label=system, color=COLORS.get(system), linewidth=1.8)
    naive = naive_graded(data)
    if not naive.empty:
        series = rolling_mae(naive, "absolute_error")
        ax.plot(
            series.index,
            series.values,
            label="naive: season K/start (fallback last 5, league mean)",
            color=COLORS["naive"],
            linestyle="--",
            linewidth=1.5,
        )
    ax.set_title(f"MAE per system, trailing {ROLLING_DAYS}-day window")
    ax.set_ylabel("mean absolute error (strikeouts)")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    fig.autofmt_xdate()
    return _png(fig)


def plot_calibration(calibration: pd.DataFrame) -> bytes | None:
    if calibration.empty:
        return None
    fig, (ax, ax_n) = _figure(2, 1, size=(8, 7), gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", label="perfect calibration")
    systems = _systems(calibration)
    width = 0.8 / max(len(systems), 1)
    for i, system in enumerate(systems):
        part = calibration[calibration["system_id"] == system]
        ax.plot(
            part["mean_p_over"],
            part["observed_over_rate"],
            marker="o",
            label=system,
            color=COLORS.get(system),
        )
        ax_n.bar(
            part["decile"] + (i - (len(systems) - 1) / 2) * width, part["n"], width, color=COLORS.get(system)
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted P(over) in the decile")
    ax.set_ylabel("observed over rate (actual > line)")
    ax.set_title("Calibration of P(over) by decile")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9)
    ax_n.set_xticks(range(1, 11))
    ax_n.set_xlabel("decile of P(over)")
    ax_n.set_ylabel("count")
    ax_n.grid(alpha=0.3, axis="y")
    return _png(fig)


def plot_hit_rate(table: pd.DataFrame) -> bytes | None:
    if table.empty:
        return None
    labels = [
        f"{lo:.0f}–{min(hi, 100):.0f}"
        for lo, hi in itertools.pairwise(CONFIDENCE_EDGES)
        if f"{lo:.0f}–{min(hi, 100):.0f}" in set(table["bucket"])
    ]
    pos = {label: i for i, label in enumerate(labels)}
    systems = _systems(table)
    fig, ax = _figure(size=(10, 4.5))
    for i, system in enumerate(systems):
        part = table[table["system_id"] == system]
        x = [pos[b] + (i - (len(systems) - 1) / 2) * 0.22 for b in part["bucket"]]
        y = part["hit_rate"].to_numpy()
        yerr = [y - part["ci_low"].to_numpy(), part["ci_high"].to_numpy() - y]
        ax.errorbar(x, y, yerr=yerr, fmt="o", capsize=4, label=system, color=COLORS.get(system))
        for xi, yi, n in zip(x, y, part["n"], strict=True):
            ax.annotate(f"n={n}", (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.axhline(
        BREAK_EVEN_110, color="#cc0000", linestyle="--", linewidth=1, label="break-even at -110 (52.4%)"
    )
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel("confidence bucket")
    ax.set_ylabel("hit rate (wins / decided picks)")
    ax.set_ylim(0, 1)
    ax.set_title("Hit rate of picks by confidence, with 95% Wilson intervals")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="lower right", fontsize=9)
    return _png(fig)


def plot_coverage(data: ReportData) -> bytes | None:
    daily, pc = data.daily_coverage, data.prediction_coverage
    if daily.empty and pc.empty:
        return None
    fig, (ax, ax_loss) = _figure(2, 1, size=(10, 6.5), sharex=True)
    if not pc.empty:
        ax.plot(
            pc["game_date"], pc["n_expected"], label="expected starters (usable features)", color="#555555"
        )
    if not daily.empty:
        ax.plot(
            daily["game_date"], daily["n_pitchers_predicted"], label="pitchers predicted", color="#1f77b4"
        )
        ax2 = ax.twinx()
        ax2.step(daily["game_date"], daily["n_systems_run"], where="mid", color="#2ca02c", alpha=0.6)
        ax.plot([], [], color="#2ca02c", alpha=0.6, label="systems run (right axis)")
        ax2.set_ylabel("systems run", color="#2ca02c")
        ax2.set_ylim(0, max(4, int(daily["n_systems_run"].max()) + 1))
    ax.set_ylabel("pitchers per day")
    ax.set_title("Daily coverage")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=9)
    if not pc.empty:
        ax_loss.bar(
            pc["game_date"], pc["data_loss_rate"].astype("float64"), color="#d62728", alpha=0.5, label="daily"
        )
        ax_loss.plot(
            pc["game_date"], pc["data_loss_rate_7d"].astype("float64"), color="#8c0000", label="7-day"
        )
        ax_loss.set_ylim(0, max(0.05, float(pc["data_loss_rate"].astype("float64").max()) * 1.2))
        ax_loss.legend(loc="upper left", fontsize=9)
    ax_loss.set_ylabel("data loss (missing / expected)")
    ax_loss.set_title("Prediction coverage: expected starters without a prediction")
    ax_loss.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _png(fig)


def plot_feature_coverage(data: ReportData, threshold: float) -> bytes | None:
    values = data.naive.drop_duplicates(["game_date", "pitcher_id"])["feature_coverage_pct"].dropna()
    if values.empty:
        return None
    fig, ax = _figure(size=(8, 4))
    ax.hist(values.astype("float64"), bins=list(range(0, 105, 5)), color="#9467bd", edgecolor="white")
    ax.axvline(threshold, color="#cc0000", linestyle="--", label=f"low-coverage threshold ({threshold:g}%)")
    below = float((values.astype("float64") < threshold).mean())
    ax.set_title(f"Feature coverage of probable starters ({len(values):,} pitcher-days, {below:.1%} below)")
    ax.set_xlabel("feature_coverage_pct")
    ax.set_yscale("log")
    ax.set_ylabel("pitcher-days (log scale)")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper left", fontsize=9)
    return _png(fig)


def plot_agreement(data: ReportData, table: pd.DataFrame) -> bytes | None:
    if table.empty and data.agreement.empty:
        return None
    fig, (ax, ax_share) = _figure(1, 2, size=(12, 4.5))
    levels = ["strong", "moderate", "disagree"]
    systems = _systems(table) if not table.empty else []
    for i, system in enumerate(systems):
        part = table[table["system_id"] == system].set_index("level").reindex(levels)
        x = [j + (i - (len(systems) - 1) / 2) * 0.25 for j in range(len(levels))]
        ax.bar(x, part["mae"].fillna(0), 0.25, label=system, color=COLORS.get(system))
        for xi, mae, n in zip(x, part["mae"], part["n"], strict=True):
            if pd.notna(n):
                ax.annotate(f"n={int(n)}", (xi, mae), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(levels)), levels)
    ax.set_xlabel("agreement of v1_baseline and v1_6_rolling")
    ax.set_ylabel("MAE (strikeouts)")
    ax.set_title("Accuracy by agreement level")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper left", fontsize=9)
    ag = data.agreement
    if not ag.empty:
        shares = [ag[f"share_{lvl}"].astype("float64").fillna(0) for lvl in levels]
        ax_share.stackplot(ag["game_date"], *shares, labels=levels, colors=["#2ca02c", "#ffbf00", "#d62728"])
        ax_share.set_ylim(0, 1)
        ax_share.legend(loc="lower left", fontsize=9)
    ax_share.set_title("Share of pitchers by agreement level, per day")
    ax_share.set_ylabel("share")
    for label in ax_share.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return _png(fig)


# --- HTML --------------------------------------------------------------------------------------------
CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1250px;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #666; }
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


def _table(df: pd.DataFrame, table_id: str, floats: str = "{:.3f}") -> str:
    if df.empty:
        return f'<p id="{table_id}" class="empty">No rows.</p>'
    return df.to_html(
        index=False,
        table_id=table_id,
        border=0,
        na_rep="-",
        float_format=lambda v: floats.format(v),
        escape=True,
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
    books = ", ".join(lines.bookmakers)
    scope = "" if lines.in_window else " (none in this window; the table as a whole)"
    return (
        f"{' and '.join(parts)}: {len(lines.bookmakers)} bookmaker(s) ({books}), "
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
            f"{lines}"
            f'<p id="retrosheet-notice">{html.escape(RETROSHEET_NOTICE)}</p>'
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


def render_html(
    start: date,
    end: date,
    data: ReportData,
    plots: list[Plot],
    summary: pd.DataFrame,
    generated_at: datetime,
) -> str:
    n_predictions = len(data.predictions)
    title = f"kzone performance report {start} → {end}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Generated {generated_at:%Y-%m-%d %H:%M} UTC from the warehouse · '
        f"{n_predictions:,} predictions in the window, {len(graded(data.predictions)):,} graded · "
        "plots also written as PNG files next to this page.</p>",
        "<h2>Data provenance</h2>",
        provenance_html(data.provenance),
    ]
    if n_predictions == 0:
        parts.append(
            f'<p id="empty-window" class="empty">No predictions between {start} and {end} in '
            "mlb_predictions.pitcher_strikeouts. Score the window first (kzone backfill --start … --end …, "
            "then kzone build), or choose another window.</p>"
        )
    else:
        parts += ["<h2>Summary of the window</h2>", _table(summary, "summary")]
        by_id = {p.plot_id: p for p in plots}
        sections = [
            ("Accuracy over time", ["plot-mae"]),
            ("Calibration of P(over)", ["plot-calibration"]),
            ("Hit rate of picks by confidence", ["plot-hit-rate"]),
            ("Coverage and data loss", ["plot-coverage", "plot-feature-coverage"]),
            ("System agreement vs accuracy", ["plot-agreement"]),
        ]
        for heading, ids in sections:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts += [_figure_html(by_id[i]) for i in ids if i in by_id]
        if not data.monthly.empty:
            parts += [
                "<h2>Monthly performance (system_performance)</h2>",
                _table(data.monthly, "monthly-performance"),
            ]
    picks = data.picks
    slate = pd.Timestamp(picks["game_date"].max()).date() if not picks.empty else None
    parts.append(f"<h2>Today's picks{f' — slate {slate}' if slate is not None else ''} (todays_picks)</h2>")
    if picks.empty:
        parts.append('<p id="todays-picks" class="empty">todays_picks is empty: no ensemble slate yet.</p>')
    else:
        shown = picks.drop(columns=["is_pick", "game_date"])
        n_picks = int(picks["is_pick"].fillna(False).astype(bool).sum())
        parts.append(f"<p>{len(picks)} probable starters, {n_picks} picks (OVER/UNDER), picks first.</p>")
        parts.append(_table(shown, "todays-picks", "{:.2f}"))
    parts.append("</body></html>")
    return "\n".join(parts)


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
    wh = open_for_reading(settings)
    try:
        data = read_report_data(wh, start, end, provenance)
    finally:
        wh.close()

    messages: list[str] = []
    plots: list[Plot] = []
    summary = pd.DataFrame()
    if data.predictions.empty:
        messages.append(f"no predictions between {start} and {end}: the report says so and has no plots")
    else:
        log.info("report: drawing plots")
        summary = summary_table(data)
        calibration = calibration_table(data.predictions)
        hit = hit_rate_by_confidence(data.predictions)
        agree = agreement_accuracy(
            data.comparison, settings.agreement_strong_k, settings.agreement_disagree_k
        )
        plots = [
            Plot(
                "plot-mae",
                "MAE over time",
                f"Line chart: trailing {ROLLING_DAYS}-day mean absolute error per prediction system from "
                f"{start} to {end}, with the naive season-to-date strikeouts-per-start reference dashed.",
                plot_mae(data),
                "Naive reference: the pitcher's season-to-date K per start from the feature store (point in "
                "time); fallback the mean of the last 5 starts, then the league mean before the window.",
            ),
            Plot(
                "plot-calibration",
                "Calibration",
                "Reliability diagram: mean predicted probability of going over the line vs the observed over "
                "rate, by decile, per system, with counts per decile below.",
                plot_calibration(calibration),
                "Points on the dotted diagonal are perfectly calibrated; the bars are the graded predictions "
                "per decile.",
            ),
            Plot(
                "plot-hit-rate",
                "Hit rate by confidence",
                "Hit rate of decided picks per confidence bucket and system with 95% Wilson intervals and the "
                "break-even line at -110 odds.",
                plot_hit_rate(hit),
                "Decided picks only (wins and losses); pushes and voids are excluded.",
            ),
            Plot(
                "plot-coverage",
                "Coverage",
                "Daily coverage: expected starters vs pitchers predicted and systems run per day, and the "
                "daily and 7-day data-loss rate (expected starters without a prediction).",
                plot_coverage(data),
            ),
            Plot(
                "plot-feature-coverage",
                "Feature coverage",
                "Histogram of feature coverage percent over probable starters in the window, with the "
                "low-coverage threshold.",
                plot_feature_coverage(data, settings.low_coverage_threshold),
            ),
            Plot(
                "plot-agreement",
                "Agreement vs accuracy",
                "Bar chart of MAE per system by how closely v1_baseline and v1_6_rolling agree, and the daily "
                "share of pitchers in each agreement level.",
                plot_agreement(data, agree),
                f"strong: spread < {settings.agreement_strong_k:g} K; disagree: spread > "
                f"{settings.agreement_disagree_k:g} K; moderate in between.",
            ),
        ]

    out_dir.mkdir(parents=True, exist_ok=True)
    pngs: list[Path] = []
    for plot in plots:
        if plot.png is not None:
            path = out_dir / f"{plot.plot_id}.png"
            path.write_bytes(plot.png)
            pngs.append(path)
    page = render_html(start, end, data, plots, summary, datetime.now(UTC))
    path = out_dir / REPORT_FILE
    path.write_text(page, encoding="utf-8")
    result = ReportResult(
        path=path,
        start=start,
        end=end,
        provenance=data.provenance,
        n_predictions=len(data.predictions),
        n_graded=len(graded(data.predictions)),
        pngs=pngs,
        messages=messages,
    )
    log.info("report: wrote %s (%d plots)", path, len(pngs))
    return result
