"""Where do the remaining decile gap and Brier gap of P(over) come from? Ideas measured on stored predictions.

Reads the graded walk-forward predictions a `make evaluate` run left in its warehouse (every system's stored
distribution, the line, the book's no-vig P(over), the outcome: ``FeatureStore.graded_history``) and, per
system, re-scores each month of the evaluated seasons with a recalibration fitted ONLY on rows dated before
that month (the monthly retraining's walk-forward), so no idea is tried by re-running the evaluation:

- ``raw``: the distribution's own P(over | no push);
- ``isotonic_all``: isotonic on every earlier graded row (what the trainer does);
- ``isotonic_season``: isotonic on the earlier rows of the same season only;
- ``beta``: beta calibration (logistic regression on log p and log(1 - p), scikit-learn);
- ``line_aware``: logistic regression on logit p and (line - predicted mean): P(over) by line position;
- ``market_lr``: logistic regression of the outcome on logit p and the book's logit no-vig P(over);
- ``trainer``: what the trainer fits (``predictors.calibration`` beta calibration, then
  ``predictors.market_blend``'s market logistic with its prior toward the book on the calibrated p): the
  pick probability;
- ``mkt_<input>_p<rows>``: the trainer's market logistic (``fit_market_blend``, no row threshold: the book's
  price without history) on the ``raw`` or the beta-``cal``ibrated P(over), with a prior worth ``rows``
  graded starts (``PRIOR_GRID``; 0 = maximum likelihood): which of the two, the prior or the calibrated
  input, moves the pick probability's decile gap (``mkt_cal_p600`` is the trainer's default);
- ``book``: the book's no-vig P(over) itself.

And the point forecast: ensemble_v2's linear pool re-fitted monthly on the components' earlier graded
distributions, every earlier start equally (what the trainer does) or by recency (half-life
``HALF_LIVES`` days), scored by count log loss and the pool mean's MAE on every graded start.

Each but the book and the trainer's is the identity (the raw probability) until ``MIN_ROWS`` earlier graded rows
exist, as the trainer's calibration is (its market logistic is the book's price without history). Printed per system and season: Brier, the book's Brier on the same rows, and the largest
reliability gap over deciles of at least 100 starts (pushes excluded), with ``gap_se``, the binomial
standard error of that decile's observed rate, and ``gap_floor``, the median largest gap a PERFECTLY
calibrated forecast with the same probabilities shows (outcomes drawn from them, ``FLOOR_DRAWS`` times), and
``calibrated_within_target``, the share of those draws whose largest gap is within ``TARGET_GAP``: a gap
near the floor is noise, not miscalibration; for each ``mkt_`` variant, the 95% paired-bootstrap
interval of its largest gap minus the trainer's (``gap_minus_trainer_low/high``: an interval holding 0
says the two cannot be told apart on that season). Then the pick probability's variants side by side per
system, season 2021 (to choose on) next to 2022 (to confirm). Run after `make evaluate`:
``.venv/bin/python benchmarks/calibration_study.py [artifacts/evaluation/warehouse.duckdb]``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from python_models.config import load_settings
from python_models.features.store import FeatureStore
from python_models.predictors.calibration import MIN_ROWS, Calibrator, fit_calibrator
from python_models.predictors.distribution import count_log_loss, from_json, mean_of, side_probabilities
from python_models.predictors.market_blend import PRIOR_ROWS, fit_market_blend
from python_models.predictors.stacked import fit_weights, likelihood_matrix, pool
from python_models.warehouse import open_warehouse

EPS = 1e-4
MIN_DECILE = 100
PRIOR_GRID = (0, 200, 400, 600, 1000)  # the market logistic's prior strengths tried, in graded starts
BLENDS = {f"mkt_{given}_p{rows}": (given == "cal", rows) for given in ("raw", "cal") for rows in PRIOR_GRID}
FLOOR_DRAWS = 200
TARGET_GAP = 0.03  # issue 22's target for the largest decile gap


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def _features(frame: pd.DataFrame, method: str) -> np.ndarray:
    p = np.clip(frame["p_raw"].to_numpy(), EPS, 1 - EPS)
    if method == "beta":
        return np.column_stack([np.log(p), -np.log(1 - p)])
    if method == "line_aware":
        return np.column_stack([_logit(p), frame["line"].to_numpy() - frame["mean"].to_numpy()])
    return np.column_stack([_logit(p), _logit(frame["p_book"].to_numpy())])  # market_lr


def _recalibrated(train: pd.DataFrame, test: pd.DataFrame, method: str) -> np.ndarray:
    if method == "book":
        return test["p_book"].to_numpy()
    if method == "trainer" or method in BLENDS:
        calibrated, prior_rows = BLENDS.get(method, (True, PRIOR_ROWS))
        y = train["went_over"].to_numpy()
        calibrator = fit_calibrator(train["p_raw"].to_numpy(), y) if calibrated else Calibrator()
        blend = fit_market_blend(
            calibrator.apply(train["p_raw"].to_numpy()), train["p_book"].to_numpy(), y, prior_rows=prior_rows
        )
        return blend.combine(calibrator.apply(test["p_raw"].to_numpy()), test["p_book"].to_numpy())
    if method == "raw" or len(train) < MIN_ROWS:
        return test["p_raw"].to_numpy()
    y = train["went_over"].to_numpy()
    if method.startswith("isotonic"):
        iso = IsotonicRegression(y_min=0.01, y_max=0.99, out_of_bounds="clip").fit(train["p_raw"], y)
        return iso.predict(test["p_raw"])
    model = LogisticRegression(C=1e4, max_iter=1000).fit(_features(train, method), y)
    return model.predict_proba(_features(test, method))[:, 1]


def _deciles(p: np.ndarray) -> list[np.ndarray]:
    return [i for i in np.array_split(np.argsort(p, kind="stable"), 10) if len(i) >= MIN_DECILE]


def _largest_gap(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The largest |observed rate - mean prediction| over the deciles, and that rate's standard error."""
    gaps = [
        (abs(y[i].mean() - p[i].mean()), np.sqrt(p[i].mean() * (1 - p[i].mean()) / len(i)))
        for i in _deciles(p)
    ]
    return max(gaps) if gaps else (float("nan"), float("nan"))


def calibrated_gaps(p: np.ndarray, draws: int = FLOOR_DRAWS, seed: int = 0) -> np.ndarray:
    """The largest decile gap of a perfectly calibrated forecast ``p``, once per draw of outcomes from p."""
    rng = np.random.default_rng(seed)
    deciles = _deciles(p)
    if not deciles:
        return np.full(draws, np.nan)
    return np.array(
        [max(abs(y[i].mean() - p[i].mean()) for i in deciles) for y in (rng.random((draws, len(p))) < p)]
    )


def gap_floor(p: np.ndarray, draws: int = FLOOR_DRAWS, seed: int = 0) -> float:
    """The median largest decile gap of a perfectly calibrated forecast ``p`` (outcomes drawn from p)."""
    return float(np.median(calibrated_gaps(p, draws, seed)))


def gap_contrast(
    p: np.ndarray, q: np.ndarray, y: np.ndarray, draws: int = FLOOR_DRAWS, seed: int = 0
) -> tuple:
    """95% paired-bootstrap interval (resampling starts) of largest gap of ``p`` minus that of ``q``."""
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(draws):
        i = rng.integers(0, len(y), len(y))
        diffs.append(_largest_gap(p[i], y[i])[0] - _largest_gap(q[i], y[i])[0])
    return tuple(float(v) for v in np.percentile(diffs, [2.5, 97.5]))


METHODS = (
    "raw",
    "isotonic_all",
    "isotonic_season",
    "beta",
    "line_aware",
    "market_lr",
    "trainer",
    *BLENDS,
    "book",
)


def load_history(duckdb_path: Path, through: date) -> pd.DataFrame:
    """Every system's graded walk-forward predictions in the evaluation's warehouse."""
    settings = load_settings(duckdb_path=duckdb_path, model_store=duckdb_path.parent / "models")
    wh = open_warehouse(settings)
    try:
        return FeatureStore(wh).graded_history(through)
    finally:
        wh.close()


def graded(history: pd.DataFrame) -> pd.DataFrame:
    """The graded rows with a line and the book's price (pushes excluded), with the raw P(over | no push)."""
    history = history[
        history["strikeouts_line"].notna()
        & history["p_market"].notna()
        & history["strikeout_pmf"].notna()
        & (history["actual_strikeouts"] != history["strikeouts_line"])
    ].reset_index(drop=True)
    pmf = from_json(history["strikeout_pmf"])
    over, under, _ = side_probabilities(pmf, history["strikeouts_line"].to_numpy(dtype=float))
    return pd.DataFrame(
        {
            "system_id": history["system_id"],
            "game_date": pd.to_datetime(history["game_date"]),
            "p_raw": over / (over + under),
            "p_book": history["p_market"].astype(float),
            "line": history["strikeouts_line"].astype(float),
            "mean": mean_of(pmf),
            "went_over": (history["actual_strikeouts"] > history["strikeouts_line"]).astype(float),
        }
    )


def study(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    frame = frame.assign(month=frame["game_date"].dt.to_period("M"), season=frame["game_date"].dt.year)
    for system, mine in frame.groupby("system_id"):
        scored: dict[str, list[np.ndarray]] = {m: [] for m in METHODS}
        keep = []
        for month in sorted(mine["month"].unique()):
            test = mine[mine["month"] == month]
            earlier = mine[mine["game_date"] < month.start_time]  # walk-forward: dates before the month only
            same_season = earlier[earlier["season"] == month.year]
            for method in METHODS:
                train = same_season if method == "isotonic_season" else earlier
                scored[method].append(_recalibrated(train, test, method))
            keep.append(test)
        done = pd.concat(keep)
        for method in METHODS:
            done[method] = np.concatenate(scored[method])
        for season, part in done.groupby("season"):
            y = part["went_over"].to_numpy()
            book = float(np.mean((part["p_book"].to_numpy() - y) ** 2))
            book_gap = _largest_gap(part["p_book"].to_numpy(), y)[0]
            for method in METHODS:
                p = part[method].to_numpy()
                gap, gap_se = _largest_gap(p, y)
                low, high = (
                    gap_contrast(p, part["trainer"].to_numpy(), y) if method in BLENDS else (np.nan, np.nan)
                )
                rows.append(
                    {
                        "system": system,
                        "season": season,
                        "method": method,
                        "n": len(part),
                        "brier": float(np.mean((p - y) ** 2)),
                        "book_brier": book,
                        "brier_minus_book": float(np.mean((p - y) ** 2)) - book,
                        "largest_gap": gap,
                        "gap_se": gap_se,
                        "gap_floor": float(np.median(floor := calibrated_gaps(p))),
                        "calibrated_within_target": float(np.mean(floor <= TARGET_GAP)),
                        "book_gap": book_gap,
                        "gap_minus_trainer_low": low,
                        "gap_minus_trainer_high": high,
                    }
                )
    return pd.DataFrame(rows)


def blend_table(result: pd.DataFrame) -> pd.DataFrame:
    """The pick probability's variants (and the trainer's, and the book) per system: 2021 beside 2022."""
    order = ["trainer", *BLENDS, "book"]
    picked = result[result["method"].isin(order)].assign(
        method=lambda f: pd.Categorical(f["method"], categories=order, ordered=True)
    )
    measures = [
        "brier_minus_book",
        "largest_gap",
        "gap_floor",
        "gap_minus_trainer_low",
        "gap_minus_trainer_high",
    ]
    wide = picked.pivot_table(
        index=["system", "method"], columns="season", values=measures, observed=True, dropna=False
    )
    columns = [(m, season) for season in sorted(picked["season"].unique()) for m in measures]
    wide = wide.reindex(columns=pd.MultiIndex.from_tuples(columns))
    wide.columns = [f"{measure}_{season}" for measure, season in columns]
    return wide.reset_index()


HALF_LIVES = (None, 30.0, 90.0, 180.0)  # None: every earlier start counts the same (the trainer's)
COMPONENTS = ("v1_baseline", "v1_6_rolling", "v2_workload_rate")


def pool_study(history: pd.DataFrame) -> pd.DataFrame:
    """ensemble_v2's pool refit monthly on earlier graded starts, equally or by recency."""
    mine = history[history["system_id"].isin(COMPONENTS) & history["strikeout_pmf"].notna()]
    wide = mine.pivot_table(
        index=["game_id", "pitcher_id"], columns="system_id", values="strikeout_pmf", aggfunc="first"
    ).dropna()
    facts = (
        mine.groupby(["game_id", "pitcher_id"])[["actual_strikeouts", "game_date"]]
        .first()
        .reindex(wide.index)
    )
    actual = facts["actual_strikeouts"].to_numpy(dtype=float)
    day = pd.to_datetime(facts["game_date"])
    pmfs = {c: from_json(wide[c]) for c in COMPONENTS}
    lk = likelihood_matrix(pmfs, actual)
    month = day.dt.to_period("M").to_numpy()
    rows = []
    for half_life in HALF_LIVES:
        pooled = np.full((len(actual), pmfs[COMPONENTS[0]].shape[1]), np.nan)
        for period in sorted(set(month)):
            test = month == period
            train = (day < period.start_time).to_numpy()
            age = (period.start_time - day[train]).dt.days.to_numpy(dtype=float)
            sample = None if half_life is None else np.power(0.5, age / half_life)
            weights, _ = fit_weights(lk[train], list(COMPONENTS), sample_weight=sample)
            pooled[test] = pool({c: pmfs[c][test] for c in COMPONENTS}, weights)
        for season in sorted(set(day.dt.year)):
            part = (day.dt.year == season).to_numpy()
            rows.append(
                {
                    "season": season,
                    "half_life_days": half_life or "none",
                    "n": int(part.sum()),
                    "count_log_loss": count_log_loss(pooled[part], actual[part]),
                    "mae": float(np.mean(np.abs(mean_of(pooled[part]) - actual[part]))),
                }
            )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/evaluation/warehouse.duckdb")
    history = load_history(path, date(2022, 12, 31))
    with pd.option_context("display.width", 250, "display.max_rows", 500):
        result = study(graded(history))
        print(result.round(4).to_string(index=False))
        print(blend_table(result).round(4).to_string(index=False))
        print(pool_study(history).round(4).to_string(index=False))
