"""The team-game features on real data: their shrinkage constants, build timings and measured contribution.

Outside the product: figures are printed, never asserted. Needs ../shared/data/retrosheet_starters/
(starters_2014_2022.csv.gz and team_games_2014_2022.csv.gz).

    python benchmarks/team_features.py constants   # empirical-Bayes constants of dbt_project.yml, from 2014-2021
    python benchmarks/team_features.py timings     # nine seasons: full dbt build, one-day incremental rebuild
    python benchmarks/team_features.py ablation    # 2022 walk-forward: v1_6_rolling alone, + each new group
    python benchmarks/team_features.py ablation --noise-seeds 2   # the fit-to-fit noise of that table
    python benchmarks/team_features.py drift       # 2022 walk-forward: recency weights / training windows

constants: method of moments on the seasons BEFORE the evaluated one (2014-2021, 2020 left out of the
    variance estimates: 60 games). Between-unit variance = observed variance - mean sampling variance;
    pseudo-counts follow (team K%: p(1-p) / var in PA; factors: 1 / var in expected strikeouts, the
    Gamma(m, m) prior of (observed + m) / (expected + m); leash: within-start variance / var in starts;
    prior season: regression slope b of this season's deviation on last season's, k = PA (1 - b) / b).
timings: a fresh DuckDB with both real files; `dbt build` of the whole project (cold), then the last day
    (2022-10-05) held back, the store built, the day loaded and `dbt build --select +ml_feature_store`
    run incrementally.
ablation: XGBoost `count:poisson` with the trainer's XGB_PARAMS / NUM_ROUNDS, walk-forward with monthly
    retraining: every 2022 start of month M is scored by a model fit on all feature-store rows dated
    before the first of M (2014 onward); MAE, RMSE, bias and Poisson log loss on every 2022 start (no
    exclusions, short starts included), per feature set. `--noise-seeds N`: only the baseline and the
    all-new set, refit with seeds 1..N, to show how much two fits differ by their seed alone.
drift: the same walk-forward, the training rows and weights chosen by the trainer's own
    `training_window` under KZONE_RECENCY_HALF_LIFE_SEASONS / KZONE_TRAINING_SEASONS values: equal weights,
    half-lives of 1.5, 2 and 4 seasons, the last 3 seasons only; v1_6_rolling and v2_matchup features.

The information used here was obtained free of charge from and is copyrighted by Retrosheet. Interested
parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

DATA = ROOT.parent / "shared" / "data" / "retrosheet_starters"
STARTS = DATA / "starters_2014_2022.csv.gz"
TEAM_GAMES = DATA / "team_games_2014_2022.csv.gz"
EVALUATED_SEASON = 2022
LAST_DAY = date(2022, 10, 5)

# The new feature groups (names as in vars.feature_sets); each is added to v1_6_rolling on its own.
GROUPS: dict[str, list[str]] = {
    "opponent batting K% (season, last 15, last 30)": [
        "opp_bat_k_pct_season",
        "opp_bat_k_pct_last_15",
        "opp_bat_k_pct_last_30",
    ],
    "park K factor": ["park_k_factor"],
    "umpire K factor": ["umpire_k_factor"],
    "manager leash (BF, outs)": ["mgr_leash_bf", "mgr_leash_outs"],
    "workload trend (BF, outs)": ["bf_trend_last_3", "outs_trend_last_3"],
    "bullpen last 3 days (outs, pitchers)": ["bullpen_outs_last_3d", "bullpen_pitchers_last_3d"],
    "scheduled innings + DH": ["scheduled_innings", "is_dh_game"],
}


# --- constants ------------------------------------------------------------------------------------------
def constants() -> dict[str, float]:
    """The empirical-Bayes constants, from 2014-2021 only."""
    teams = pd.read_csv(TEAM_GAMES)
    starts = pd.read_csv(STARTS)
    teams, starts = teams[teams.season < EVALUATED_SEASON], starts[starts.season < EVALUATED_SEASON]

    seasons = teams.groupby(["season", "team"], as_index=False)[["batting_strikeouts", "batting_pa"]].sum()
    league = seasons.groupby("season")[["batting_strikeouts", "batting_pa"]].sum()
    seasons["league"] = seasons.season.map(league.batting_strikeouts / league.batting_pa)
    seasons["dev"] = seasons.batting_strikeouts / seasons.batting_pa - seasons.league
    noise = seasons.league * (1 - seasons.league) / seasons.batting_pa
    by_season = seasons.assign(noise=noise).groupby("season").agg(var=("dev", "var"), noise=("noise", "mean"))
    between = (by_season["var"] - by_season["noise"]).drop(2020).mean()
    p = float((league.batting_strikeouts / league.batting_pa).mean())
    out = {"team_k_pseudo_pa": p * (1 - p) / between}

    pairs = seasons.merge(
        seasons.assign(season=seasons.season + 1), on=["team", "season"], suffixes=("", "_prior")
    )
    pairs = pairs[~pairs.season.isin([2020, 2021])]  # neither side a 60-game season
    slope = float(np.polyfit(pairs.dev_prior, pairs.dev, 1)[0])
    out["team_k_prior_pseudo_pa"] = float(pairs.batting_pa_prior.mean() * (1 - slope) / slope)

    games = teams.groupby("game_id", as_index=False).agg(
        k=("batting_strikeouts", "sum"), pa=("batting_pa", "sum"), season=("season", "first")
    )
    context = starts[starts.is_home][["game_id", "team", "opponent", "park_id", "umpire_home_id"]]
    games = games.merge(context, on="game_id")
    road = games.groupby(["season", "opponent"], as_index=False)[["k", "pa"]].sum()
    road = road.rename(columns={"opponent": "team", "k": "road_k", "pa": "road_pa"})
    parks = games.groupby(["season", "park_id", "team"], as_index=False).agg(
        k=("k", "sum"), pa=("pa", "sum"), n=("k", "size")
    )
    parks = parks.merge(road, on=["season", "team"])
    parks = parks[(parks.n >= 40) & (parks.season != 2020)]
    expected = parks.pa * parks.road_k / parks.road_pa
    factor = parks.k / expected
    out["park_k_pseudo_strikeouts"] = 1 / (factor.var() - (1 / expected + 1 / parks.road_k).mean())

    games["expected"] = games.pa * games.season.map(league.batting_strikeouts / league.batting_pa)
    umpires = games.groupby(["season", "umpire_home_id"]).agg(
        k=("k", "sum"), e=("expected", "sum"), n=("k", "size")
    )
    umpires = umpires[(umpires.n >= 15) & (umpires.index.get_level_values(0) != 2020)]
    out["umpire_k_pseudo_strikeouts"] = 1 / ((umpires.k / umpires.e).var() - (1 / umpires.e).mean())

    led = starts.merge(teams[["game_id", "team", "manager_id"]], on=["game_id", "team"])
    led["dev"] = led.batters_faced - led.groupby("season").batters_faced.transform("mean")
    managers = led.groupby(["season", "manager_id"]).agg(dev=("dev", "mean"), n=("dev", "size"))
    managers = managers[managers.n >= 40]
    within = led.dev.var()
    out["manager_leash_pseudo_starts"] = within / (managers.dev.var() - (within / managers.n).mean())
    return out


# --- warehouse ------------------------------------------------------------------------------------------
def _settings(folder: Path):
    from python_models.config import load_settings

    return load_settings(
        duckdb_path=folder / "warehouse.duckdb", model_store=folder / "models", log_level="WARNING"
    )


def _load(settings, *, through: date | None = None, only: date | None = None) -> None:
    """Load both real files (optionally only the games through a date, or of one date)."""
    from python_models.ingest.loaders import ensure_raw_tables, load_frame, read_csv_strings
    from python_models.ingest.validation import validate_frame
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import GAME_LOGS
    from python_models.warehouse.raw_tables import TEAM_GAMES as TEAM_GAMES_SPEC

    wh = open_warehouse(settings)
    try:
        ensure_raw_tables(wh)
        for spec, path in ((GAME_LOGS, STARTS), (TEAM_GAMES_SPEC, TEAM_GAMES)):
            raw = read_csv_strings(path)
            if through is not None:
                raw = raw[raw.game_date <= through.isoformat()]
            if only is not None:
                raw = raw[raw.game_date == only.isoformat()]
            load_frame(wh, spec, validate_frame(raw, spec, path.name), path.name)
    finally:
        wh.close()


def timings(folder: Path) -> dict[str, float]:
    from python_models.jobs.dbt_ops import run_dbt

    figures: dict[str, float] = {}
    settings = _settings(folder / "full")
    _load(settings)
    outcome = run_dbt(["build"], settings)
    figures["dbt build, whole project, nine seasons (cold)"] = outcome.seconds
    outcome = run_dbt(["build", "--select", "+ml_feature_store"], settings)
    figures["dbt build --select +ml_feature_store (incremental, nothing new)"] = outcome.seconds

    settings = _settings(folder / "incremental")
    _load(settings, through=date.fromordinal(LAST_DAY.toordinal() - 1))
    run_dbt(["build", "--select", "+ml_feature_store"], settings)
    _load(settings, only=LAST_DAY)
    outcome = run_dbt(["build", "--select", "+ml_feature_store"], settings)
    figures[f"dbt build --select +ml_feature_store, one new day ({LAST_DAY})"] = outcome.seconds
    return figures


def _metrics(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """The experiment's scores on every start (outside the product, whose metrics live in dbt):
    MAE, RMSE, bias (predicted - actual) and the Poisson negative log likelihood of the actual count."""
    from scipy.stats import poisson

    error = predicted - actual
    return {
        "mae": float(np.mean(np.abs(error))),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "bias": float(np.mean(error)),
        "poisson_log_loss": float(-np.mean(poisson.logpmf(actual, np.clip(predicted, 0.01, None)))),
    }


# --- drift --------------------------------------------------------------------------------------------
def drift(folder: Path) -> pd.DataFrame:
    """Season drift: the 2022 walk-forward under the trainer's recency weights and training windows."""
    from python_models.config import load_settings
    from python_models.dbt.project import feature_sets

    frame = _feature_rows(folder)
    actual = frame.loc[frame.game_date.dt.year == EVALUATED_SEASON, "actual_strikeouts"].to_numpy(float)
    variants = {
        "equal weights": {"recency_half_life_seasons": 0.0},
        "half-life 1.5 seasons": {"recency_half_life_seasons": 1.5},
        "half-life 2 seasons (default)": {"recency_half_life_seasons": 2.0},
        "half-life 4 seasons": {"recency_half_life_seasons": 4.0},
        "last 3 seasons, equal weights": {"recency_half_life_seasons": 0.0, "training_seasons": 3},
    }
    rows = []
    for feature_set in ("v1_6_rolling", "v2_matchup"):
        for name, overrides in variants.items():
            settings = load_settings(**overrides)
            predicted = walk_forward(frame, feature_sets()[feature_set], settings=settings)
            rows.append({"features": feature_set, "training rows": name, **_metrics(actual, predicted)})
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


# --- ablation -------------------------------------------------------------------------------------------
def _feature_rows(folder: Path) -> pd.DataFrame:
    from python_models.features.store import FeatureStore
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.warehouse import open_warehouse

    settings = _settings(folder)
    _load(settings)
    run_dbt(["build", "--select", "+ml_feature_store", "--exclude", "resource_type:test"], settings)
    wh = open_warehouse(settings)
    try:
        frame = FeatureStore(wh).training_set(date(EVALUATED_SEASON, 12, 31))
    finally:
        wh.close()
    frame["game_date"] = pd.to_datetime(frame["game_date"])
    return frame


def walk_forward(frame: pd.DataFrame, features: list[str], seed: int = 0, settings=None) -> np.ndarray:
    """Predictions for every start of the evaluated season, each month by a model fit on earlier rows
    (the trainer's parameters; a `seed` other than its 0 only to measure the fit-to-fit noise)."""
    import xgboost as xgb

    from python_models.predictors.xgboost_poisson import NUM_ROUNDS, XGB_PARAMS
    from python_models.training.trainer import training_window

    def matrix(rows: pd.DataFrame, label: bool) -> xgb.DMatrix:
        y = rows["actual_strikeouts"].astype("float64").to_numpy() if label else None
        x = rows[features].astype("float64").to_numpy()
        return xgb.DMatrix(x, label=y, feature_names=features, missing=np.nan)

    scored = frame[frame.game_date.dt.year == EVALUATED_SEASON]
    predictions = pd.Series(np.nan, index=scored.index)
    for month in sorted(scored.game_date.dt.month.unique()):
        first = pd.Timestamp(EVALUATED_SEASON, month, 1)
        params = {**XGB_PARAMS, "seed": seed}
        if settings is None:
            training = matrix(frame[frame.game_date < first], True)
        else:  # the trainer's own window and recency weights, through the day before the month
            rows, weight = training_window(frame, (first - pd.Timedelta(days=1)).date(), settings)
            training = matrix(rows, True)
            training.set_weight(weight)
        booster = xgb.train(params, training, num_boost_round=NUM_ROUNDS)
        rows = scored[scored.game_date.dt.month == month]
        predictions[rows.index] = booster.predict(matrix(rows, False))
    return predictions.to_numpy()


def ablation(folder: Path, noise_seeds: int = 0) -> pd.DataFrame:
    """Every variant at the trainer's seed; with `noise_seeds` = N instead only the baseline and the
    all-new set, refit with seeds 1..N (the spread between fits that differ only by their seed)."""
    from python_models.dbt.project import feature_sets

    frame = _feature_rows(folder)
    sets = feature_sets()
    base = sets["v1_6_rolling"]
    new = [f for cols in GROUPS.values() for f in cols]
    variants = {"v1_6_rolling (35)": base}
    variants.update({f"+ {name}": base + cols for name, cols in GROUPS.items()})
    variants[f"+ all new ({len(new)})"] = base + new
    variants[f"v2_matchup ({len(sets['v2_matchup'])})"] = sets["v2_matchup"]
    runs = [(name, features, 0) for name, features in variants.items()]
    if noise_seeds:
        runs = [
            (f"{name}, seed {seed}", variants[name], seed)
            for seed in range(1, noise_seeds + 1)
            for name in ("v1_6_rolling (35)", f"+ all new ({len(new)})")
        ]
    actual = frame.loc[frame.game_date.dt.year == EVALUATED_SEASON, "actual_strikeouts"].to_numpy(float)
    rows = []
    for name, features, seed in runs:
        started = time.perf_counter()
        metrics = _metrics(actual, walk_forward(frame, features, seed))
        rows.append({"variant": name, **metrics, "seconds": time.perf_counter() - started})
        print(f"{name}: {metrics}", flush=True)
    table = pd.DataFrame(rows)
    first = table.iloc[0]
    table["d_mae"] = table["mae"] - first["mae"]
    table["d_log_loss"] = table["poisson_log_loss"] - first["poisson_log_loss"]
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["constants", "timings", "ablation", "drift"])
    parser.add_argument(
        "--workdir", type=Path, help="Folder for the scratch warehouse (default: a temp dir)."
    )
    parser.add_argument(
        "--noise-seeds",
        type=int,
        default=0,
        help="ablation: only refit the baseline and all-new sets with seeds 1..N (fit-to-fit noise).",
    )
    args = parser.parse_args()
    if not (STARTS.exists() and TEAM_GAMES.exists()):
        raise SystemExit(f"real data not found in {DATA}")
    from python_models.config import setup_logging

    setup_logging("WARNING")
    if args.command == "constants":
        for name, value in constants().items():
            print(f"{name}: {value:,.0f}")
        return
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        if args.command == "timings":
            for name, seconds in timings(Path(tmp)).items():
                print(f"{name}: {seconds:.1f} s")
        else:
            table = drift(Path(tmp)) if args.command == "drift" else ablation(Path(tmp), args.noise_seeds)
            with pd.option_context("display.width", 200, "display.max_columns", 20):
                print(table.round(4).to_string(index=False))


if __name__ == "__main__":
    main()
