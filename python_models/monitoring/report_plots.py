"""The report's plots: PNG bytes drawn with matplotlib (Agg) from the view rows of `report_data`.

Each function takes a frame and returns PNG bytes, or None when the window has nothing to draw. Nothing
here computes a metric: the only arithmetic is the trailing window of the daily MAE (a count-weighted sum
of the view's daily values).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pandas as pd

from python_models.dbt.project import system_ids
from python_models.predictors.odds import implied_probability

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROLLING_DAYS = 14
BREAK_EVEN_110 = float(implied_probability(-110))  # hit rate needed to break even at -110 odds
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
REFERENCE_COLOR, BOOK_COLOR = "#7f7f7f", "#444444"
LEVELS = ("strong", "moderate", "disagree")


def color(system: str) -> str:
    """One colour per system, in the order dbt_project.yml lists them (a new system gets the next)."""
    ids = system_ids()
    return PALETTE[ids.index(system) % len(PALETTE)] if system in ids else "#bcbd22"


def systems_in(frame: pd.DataFrame) -> list[str]:
    present = set(frame["system_id"].dropna()) if "system_id" in frame else set()
    ids = system_ids()
    return [s for s in ids if s in present] + sorted(present - set(ids))


def _figure(
    rows: int = 1, cols: int = 1, size: tuple[float, float] = (10, 4.5), **kw: Any
) -> tuple[Figure, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    return fig, fig.subplots(rows, cols, **kw)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _offsets(n: int, width: float) -> list[float]:
    return [(i - (n - 1) / 2) * width for i in range(n)]


def trailing_mae(daily: pd.DataFrame, n_col: str, mae_col: str, days: int = ROLLING_DAYS) -> pd.Series:
    """Trailing ``days``-calendar-day MAE per date from the view's daily MAE and its row count."""
    rows = daily.dropna(subset=[mae_col])
    totals = pd.DataFrame(
        {"sum": rows[mae_col].astype("float64") * rows[n_col].astype("float64"), "n": rows[n_col]},
        index=pd.DatetimeIndex(rows["game_date"]),
    )
    rolled = totals.groupby(level=0).sum().sort_index().rolling(f"{days}D").sum()
    return rolled["sum"] / rolled["n"]


def plot_market(market: pd.DataFrame) -> bytes | None:
    """Every system against the book on the same starts: MAE, Brier of P(over) and ROI with its interval."""
    if market.empty:
        return None
    rows = market.set_index("system_id").loc[systems_in(market)]
    fig, (ax_mae, ax_brier, ax_roi) = _figure(1, 3, size=(13, 4.2))
    x = range(len(rows))
    for ax, ours, book, label in (
        (ax_mae, "system_mae", "book_line_mae", "MAE (K)"),
        (ax_brier, "system_brier", "book_brier", "Brier of P(over | no push)"),
    ):
        ax.bar(
            [i - 0.2 for i in x],
            rows[ours].astype("float64"),
            0.4,
            label="system",
            color=[color(s) for s in rows.index],
        )
        ax.bar([i + 0.2 for i in x], rows[book].astype("float64"), 0.4, label="book", color=BOOK_COLOR)
        low = float(pd.concat([rows[ours], rows[book]]).astype("float64").min())
        ax.set_ylim(low * 0.95, None)
        ax.set_xticks(list(x), rows.index, rotation=20, ha="right")
        ax.set_title(f"{label}: system vs the book")
        ax.grid(alpha=0.3, axis="y")
        ax.legend(fontsize=8)
    roi = rows["roi"].astype("float64")
    err = [roi - rows["roi_ci_low"].astype("float64"), rows["roi_ci_high"].astype("float64") - roi]
    ax_roi.errorbar(list(x), roi, yerr=err, fmt="o", capsize=5, color=BOOK_COLOR)
    for i, (r, share) in enumerate(zip(roi, rows["share_picked"], strict=True)):
        if pd.notna(r):
            ax_roi.annotate(
                f"{share:.0%} picked", (i, r), textcoords="offset points", xytext=(6, 4), fontsize=8
            )
    ax_roi.axhline(0, color="#cc0000", linestyle="--", linewidth=1)
    ax_roi.set_xticks(list(x), rows.index, rotation=20, ha="right")
    ax_roi.set_title("ROI per unit staked, 95% interval")
    ax_roi.grid(alpha=0.3, axis="y")
    return _png(fig)


def plot_mae(daily: pd.DataFrame, picks_system: str) -> bytes | None:
    graded = daily[daily["n_graded"].fillna(0) > 0]
    if graded.empty:
        return None
    fig, ax = _figure()
    for system in systems_in(graded):
        series = trailing_mae(graded[graded["system_id"] == system], "n_graded", "mae")
        ax.plot(series.index, series.values, label=system, color=color(system), linewidth=1.8)
    reference = graded[graded["system_id"] == picks_system]
    if not reference.empty and reference["reference_mae"].notna().any():
        series = trailing_mae(reference, "n_with_reference", "reference_mae")
        ax.plot(
            series.index,
            series.values,
            label="naive reference (int_naive_reference)",
            color=REFERENCE_COLOR,
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
    rel = calibration[calibration["measure"] == "p_over"]
    if rel.empty:
        return None
    fig, (ax, ax_n) = _figure(2, 1, size=(8, 7), gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", label="perfect calibration")
    systems = systems_in(rel)
    raw = calibration[calibration["measure"] == "p_over_raw"]
    for offset, system in zip(_offsets(len(systems), 0.8 / max(len(systems), 1)), systems, strict=True):
        part = rel[rel["system_id"] == system].sort_values("decile")
        before = raw[raw["system_id"] == system].sort_values("decile")
        if not before.empty:  # the raw probability, before the system's calibration curve: dashed
            ax.plot(
                before["mean_predicted"],
                before["observed_rate"],
                marker="x",
                linestyle="--",
                alpha=0.6,
                label=f"{system} (before calibration)",
                color=color(system),
            )
        ax.plot(part["mean_predicted"], part["observed_rate"], marker="o", label=system, color=color(system))
        ax_n.bar(part["decile"] + offset, part["n"], 0.8 / max(len(systems), 1), color=color(system))
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="mean predicted P(over | no push) in the decile",
        ylabel="observed over rate",
        title="Reliability of P(over) by decile, before (dashed) and after calibration",
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9)
    ax_n.set_xticks(range(1, 11))
    ax_n.set(xlabel="decile of P(over)", ylabel="starts")
    ax_n.grid(alpha=0.3, axis="y")
    return _png(fig)


def plot_pit(calibration: pd.DataFrame) -> bytes | None:
    pit = calibration[calibration["measure"] == "pit"]
    if pit.empty:
        return None
    fig, ax = _figure(size=(10, 4.2))
    systems = systems_in(pit)
    width = 0.8 / max(len(systems), 1)
    for offset, system in zip(_offsets(len(systems), width), systems, strict=True):
        part = pit[pit["system_id"] == system].sort_values("decile")
        ax.bar(
            part["decile"] + offset, part["share"].astype("float64"), width, label=system, color=color(system)
        )
    ax.axhline(0.1, color="#cc0000", linestyle="--", linewidth=1, label="calibrated (10% per tenth)")
    ax.set_xticks(range(1, 11), [f"{(d - 1) / 10:.1f}-{d / 10:.1f}" for d in range(1, 11)], fontsize=8)
    ax.set(
        xlabel="mid-PIT of the actual strikeouts under the system's distribution",
        ylabel="share of starts",
        title="PIT histogram: is the whole distribution honest?",
    )
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper right", fontsize=8)
    return _png(fig)


def plot_hit_rate(confidence: pd.DataFrame) -> bytes | None:
    if confidence.empty:
        return None
    bands = sorted(set(confidence["confidence_band"]))
    pos = {band: i for i, band in enumerate(bands)}
    systems = systems_in(confidence)
    fig, ax = _figure(size=(10, 4.5))
    for offset, system in zip(_offsets(len(systems), 0.18), systems, strict=True):
        part = confidence[confidence["system_id"] == system]
        x = [pos[b] + offset for b in part["confidence_band"]]
        y = part["hit_rate"].astype("float64").to_numpy()
        yerr = [y - part["hit_rate_ci_low"].to_numpy(float), part["hit_rate_ci_high"].to_numpy(float) - y]
        ax.errorbar(x, y, yerr=yerr, fmt="o", capsize=4, label=system, color=color(system))
        for xi, yi, n in zip(x, y, part["n_decided_picks"], strict=True):
            ax.annotate(f"n={n}", (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.axhline(
        BREAK_EVEN_110, color="#cc0000", linestyle="--", linewidth=1, label="break-even at -110 (52.4%)"
    )
    ax.set_xticks(range(len(bands)), bands)
    ax.set(
        xlabel="confidence band",
        ylabel="hit rate (wins / decided picks)",
        ylim=(0, 1),
        title="Hit rate of picks by confidence, with 95% Wilson intervals (picks_by_confidence)",
    )
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="lower right", fontsize=9)
    return _png(fig)


def plot_coverage(daily: pd.DataFrame, prediction: pd.DataFrame) -> bytes | None:
    if daily.empty and prediction.empty:
        return None
    fig, (ax, ax_loss) = _figure(2, 1, size=(10, 6.5), sharex=True)
    if not prediction.empty:
        expected = prediction.groupby("game_date")["n_expected"].max()
        ax.plot(expected.index, expected.values, label="expected starters (usable features)", color="#555555")
    if not daily.empty:
        ax.plot(
            daily["game_date"], daily["n_pitchers_predicted"], label="pitchers predicted", color="#1f77b4"
        )
        ax2 = ax.twinx()
        ax2.step(daily["game_date"], daily["n_systems_run"], where="mid", color="#2ca02c", alpha=0.6)
        ax.plot([], [], color="#2ca02c", alpha=0.6, label="systems run (right axis)")
        ax2.set_ylabel("systems run", color="#2ca02c")
        ax2.set_ylim(0, max(4, int(daily["n_systems_run"].max()) + 1))
    ax.set(ylabel="pitchers per day", title="Daily coverage")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=9)
    for system in systems_in(prediction):
        part = prediction[prediction["system_id"] == system]
        ax_loss.plot(
            part["game_date"],
            part["data_loss_rate_7d"].astype("float64"),
            label=f"{system} (7-day)",
            color=color(system),
        )
    if not prediction.empty:
        ax_loss.set_ylim(0, max(0.05, float(prediction["data_loss_rate"].astype("float64").max()) * 1.2))
        ax_loss.legend(loc="upper left", fontsize=8)
    ax_loss.set(
        ylabel="data loss (missing / expected)",
        title="Prediction coverage: expected starters without a live prediction, per system",
    )
    ax_loss.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _png(fig)


def plot_feature_coverage(values: pd.Series, threshold: float) -> bytes | None:
    if values.empty:
        return None
    fig, ax = _figure(size=(8, 4))
    ax.hist(values, bins=list(range(0, 105, 5)), color="#9467bd", edgecolor="white")
    ax.axvline(threshold, color="#cc0000", linestyle="--", label=f"low-coverage threshold ({threshold:g}%)")
    below = float((values < threshold).mean())
    ax.set(
        title=f"Feature coverage of probable starters ({len(values):,} pitcher-days, {below:.1%} below)",
        xlabel="feature_coverage_pct",
        yscale="log",
        ylabel="pitcher-days (log scale)",
    )
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper left", fontsize=9)
    return _png(fig)


def plot_agreement(by_level: pd.DataFrame, shares: pd.DataFrame, components: str) -> bytes | None:
    if by_level.empty and shares.empty:
        return None
    fig, (ax, ax_share) = _figure(1, 2, size=(12, 4.5))
    systems = systems_in(by_level) if not by_level.empty else []
    for offset, system in zip(_offsets(len(systems), 0.2), systems, strict=True):
        part = by_level[by_level["system_id"] == system].set_index("agreement_level").reindex(list(LEVELS))
        x = [j + offset for j in range(len(LEVELS))]
        ax.bar(x, part["mae"].fillna(0), 0.2, label=system, color=color(system))
        for xi, mae, n in zip(x, part["mae"], part["n_graded"], strict=True):
            if pd.notna(n):
                ax.annotate(f"n={int(n)}", (xi, mae), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(LEVELS)), LEVELS)
    ax.set(
        xlabel=f"agreement of {components} (all time)",
        ylabel="MAE (strikeouts)",
        title="Accuracy by agreement level (system_performance)",
    )
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper left", fontsize=9)
    if not shares.empty:
        series = [shares[f"share_{lvl}"].astype("float64").fillna(0) for lvl in LEVELS]
        ax_share.stackplot(
            shares["game_date"], *series, labels=LEVELS, colors=["#2ca02c", "#ffbf00", "#d62728"]
        )
        ax_share.set_ylim(0, 1)
        ax_share.legend(loc="lower left", fontsize=9)
    ax_share.set(title="Share of pitchers by agreement level, per day", ylabel="share")
    for label in ax_share.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return _png(fig)
