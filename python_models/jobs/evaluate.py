"""`kzone evaluate`: the whole pipeline on the real Retrosheet starts, honestly, against a market.

1. a fresh warehouse: load the real game logs (every season in the file: earlier seasons are history only)
   and the lines — the user's real line file (`--lines FILE`: keyed by pitcher id or by pitcher name and
   team, resolved and quarantined like `kzone load-lines`) or, without one, the synthetic sharp book
   (python_models/demo/market.py: pre-game information only, each season priced with the book's
   hyper-parameters fitted on the seasons before it);
2. `dbt build` (features, predictions, monitoring, gates);
3. walk-forward backfill of the scored window — by default two seasons, 2021 (its first models trained on
   2020 and before) then 2022 (its first models trained on 2021 and before): monthly retraining, each model
   (its market blend, its calibration curve, the stacked systems' weights) trained on games before the dates it
   scores, the curves and weights on the systems' own out-of-sample predictions of earlier dates;
4. `dbt build` of the predictions and monitoring again, then read the project's own views PER SEASON: every
   system against the book on the same starts (`market_comparison`, picks by side included), and every
   system against the naive reference on every start with action (`system_performance`, graded like a
   sportsbook, short starts included);
5. the distribution's calibration per system and season from `distribution_calibration`: reliability of
   P(over) per decile before and after the calibration curve, and the PIT histogram;
6. the verdicts: the picks system (the best count log loss on the last season: `measured_picks_system`
   reads it back as KZONE_PICKS_SYSTEM's default), whether the ranking holds across the seasons, and the
   book drift check (a book softer than our best forecast measures nothing: its ROI is labelled).
An MAE far below the noise floor (≈1.7 K per start: a Poisson with mean ≈4.8 has SD ≈2.2) would mean a
leak; the command flags it instead of celebrating. A line file covering part of the window is fine: the
market metrics use the matched starts, and the match count is reported.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from python_models.config import Settings, load_settings
from python_models.dbt.project import PROJECT_ROOT
from python_models.demo.market import market_lines
from python_models.ingest.lines import load_lines
from python_models.ingest.loaders import ensure_raw_tables, load_file, load_frame
from python_models.ingest.validation import validate_frame
from python_models.jobs.backfill import backfill
from python_models.jobs.daily import DOWNSTREAM_BUILD
from python_models.jobs.dbt_ops import run_dbt
from python_models.jobs.history import prepared_history
from python_models.monitoring.verdicts import (
    REFERENCE_NAME,
    book_drift,
    choose_picks_system,
    stacking_weights,
)
from python_models.warehouse import open_warehouse
from python_models.warehouse.raw_tables import GAME_LOGS, STRIKEOUT_LINES, TEAM_GAMES

log = logging.getLogger(__name__)

DEFAULT_START, DEFAULT_END = date(2021, 4, 1), date(2022, 10, 5)  # two seasons: 2021, then 2022
STARTS_FILES = ("starters_2014_2022.csv.gz", "starters_2021_2022.csv.gz")  # the widest history available
TEAM_GAMES_FILE = "team_games_2014_2022.csv.gz"
NOISE_FLOOR_MAE = 1.6
SYNTHETIC_BOOK = "synthetic sharp book (python_models/demo/market.py; each season priced with its fit on the seasons before)"


@dataclass
class Evaluation:
    window: tuple[str, str]
    history: tuple[str, str] = ("", "")
    lines_source: str = SYNTHETIC_BOOK
    lines_loaded: int = 0
    lines_quarantined: int = 0
    seasons: list[str] = field(default_factory=list)  # the scored seasons, oldest first
    # per season ("season" key): every system and the reference, every start with action
    rows: list[dict] = field(default_factory=list)
    market: list[dict] = field(default_factory=list)  # per season: every system against the book, same starts
    market_monthly: list[dict] = field(default_factory=list)
    # per season: reliability of P(over) per decile, per system, after (p_over) and before (p_over_raw) the
    # calibration curve, and of the market-aware pick probability (p_pick)
    calibration: list[dict] = field(default_factory=list)
    pit: list[dict] = field(default_factory=list)  # PIT histogram per tenth, per system (flatness 1.0 = flat)
    picks_system: dict = field(default_factory=dict)  # the measured choice and why
    ranking: dict = field(default_factory=dict)  # systems ranked by count log loss per season; holds?
    book_drift: list[dict] = field(default_factory=list)  # per season: book line MAE vs the best system's
    stacking_weights: list[dict] = field(default_factory=list)  # the stacked systems' weights per version
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)


def evaluation_settings(workdir: Path) -> Settings:
    return load_settings(duckdb_path=workdir / "warehouse.duckdb", model_store=workdir / "models")


def starts_file(data_dir: Path) -> Path:
    """The widest starters file of the folder: a prepared one by name, else the one fetch-history built."""
    for path in [*(data_dir / name for name in STARTS_FILES), *sorted(data_dir.glob("starters_*_*.csv.gz"))]:
        if path.exists():
            return path
    raise FileNotFoundError(
        f"real data not found in {data_dir} (one of {', '.join(STARTS_FILES)}): point KZONE_HISTORY_DIR at "
        "prepared files, or unset it to build them from Retrosheet (`kzone fetch-history` downloads)"
    )


def team_games_file(data_dir: Path, starts: Path) -> Path | None:
    """The team games beside the starters file (same seasons when built by fetch-history)."""
    for name in (TEAM_GAMES_FILE, starts.name.replace("starters_", "team_games_", 1)):
        if (data_dir / name).exists():
            return data_dir / name
    return None


def prepare(
    settings: Settings, data_dir: Path, start: date, end: date, lines_file: Path | None, result: Evaluation
) -> None:
    """Fresh warehouse with the real starts (all seasons) and the lines of the evaluated window."""
    starts = starts_file(data_dir)
    with open_warehouse(settings) as wh:
        ensure_raw_tables(wh)
        load_file(wh, GAME_LOGS, starts)
        team_games = team_games_file(data_dir, starts)
        if team_games is not None:  # the matchup and workload features read them
            load_file(wh, TEAM_GAMES, team_games)
        logs = pd.read_csv(starts, usecols=["game_date", "season"])
        first = pd.to_datetime(logs["game_date"]).min().date()
        result.history = (str(first), str(start))
        if lines_file is not None:
            fmt = "odds-api" if lines_file.suffix.lower() == ".json" else "csv"
            load = load_lines(wh, lines_file, fmt)
            result.lines_source = f"{lines_file.name} ({fmt})"
            result.lines_loaded = load.rows_loaded
            result.lines_quarantined = len(load.quarantined)
        else:
            # the sharp book's history: every earlier start and, when present, the team batting lines
            batting = pd.read_csv(team_games) if team_games is not None else None
            seasons = list(range(start.year, end.year + 1))
            lines = market_lines(pd.read_csv(starts), seasons, team_games=batting)
            lines = lines[(lines["game_date"] >= start) & (lines["game_date"] <= end)]
            typed = validate_frame(lines.astype("string"), STRIKEOUT_LINES, "synthetic sharp book")
            load_frame(wh, STRIKEOUT_LINES, typed, "market_model")
            result.lines_loaded = len(typed)


def _query(settings: Settings, sql: str, params: dict | None = None) -> pd.DataFrame:
    with open_warehouse(settings) as wh:  # same config as dbt's in-process connection
        return wh.query(sql, params)


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def calibration(view: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """The distribution's calibration as `distribution_calibration` defines it (per season, per system):
    the reliability of P(over) per decile after the calibration curve (`p_over`) and before it
    (`p_over_raw`), of the market-aware pick probability (`p_pick`), and the PIT histogram's flatness per
    tenth."""
    view = view.rename(columns={"period_label": "season"})
    reliability = view[view["measure"].isin(["p_over", "p_over_raw", "p_pick"])].rename(
        columns={"mean_predicted": "mean_p_over", "observed_rate": "observed_over_rate"}
    )
    pit = view[view["measure"] == "pit"]
    columns = ["season", "system_id", "measure", "decile", "n", "mean_p_over", "observed_over_rate"]
    return (
        _records(reliability[[*columns, "calibration_gap"]]),
        _records(pit[["season", "system_id", "decile", "n", "share", "flatness"]]),
    )


def _system_rows(periods: pd.DataFrame) -> list[dict]:
    view = periods[periods["period_grain"] == "season"]
    # The old rule voided short starts: the same predictions without them, for the before/after in the README.
    regular = periods[periods["period_label"] == "regular_start"].set_index("system_id")
    last = max(view["period_label"], default=None)
    rows = []
    for r in view.itertuples():
        row: dict = {"season": r.period_label, "model": r.system_id, "source": "system_performance view"}
        if r.system_id in regular.index and r.period_label == last:  # the whole window, shown once
            old = regular.loc[r.system_id]
            row["without_short_starts"] = {
                "n": int(old["n_graded"]),
                "mae": float(old["mae"]),
                "hit_rate": None if pd.isna(old["hit_rate"]) else float(old["hit_rate"]),
                "picks": int(old["n_decided_picks"]),
            }
        row.update(
            {
                "n": int(r.n_graded),
                "mae": r.mae,
                "rmse": r.rmse,
                "bias": r.bias,
                "poisson_log_loss": r.poisson_log_loss,
                "count_log_loss": None if pd.isna(r.count_log_loss) else r.count_log_loss,
                "brier_over": r.brier_over,
                "hit_rate": None if pd.isna(r.hit_rate) else r.hit_rate,
                "hit_rate_ci": (r.hit_rate_ci_low, r.hit_rate_ci_high),
                "picks": int(r.n_decided_picks),
            }
        )
        rows.append(row)
    reference = view[view["system_id"] == view["system_id"].min()]
    for r in reference.itertuples():  # the same starts as every system: each one predicts every starter
        rows.append(
            {
                "season": r.period_label,
                "model": REFERENCE_NAME,
                "source": "system_performance view (reference_*) on the same graded starts",
                "n": int(r.n_with_reference),
                "mae": r.reference_mae,
                "rmse": r.reference_rmse,
                "bias": r.reference_bias,
                "poisson_log_loss": None,
            }
        )
    return rows


def evaluate(
    workdir: Path | None = None,
    data_dir: Path | None = None,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
    *,
    lines_file: Path | None = None,
    fresh: bool = True,
) -> Evaluation:
    workdir = workdir or PROJECT_ROOT / "artifacts" / "evaluation"
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    settings = evaluation_settings(workdir)
    started = time.perf_counter()
    dbt_vars = {"as_of_date": end.isoformat()}
    result = Evaluation(window=(str(start), str(end)))
    if data_dir is None:  # KZONE_HISTORY_DIR, else Retrosheet's seasons built in the cache (downloaded once)
        log.info("step: history files (KZONE_HISTORY_DIR or Retrosheet through the cache)")
        data_dir = prepared_history(settings)
    log.info("step: load real starts and %s into %s", lines_file or SYNTHETIC_BOOK, settings.duckdb_path)
    prepare(settings, data_dir, start, end, lines_file, result)
    log.info("step: dbt build")
    run_dbt(["build"], settings, vars=dbt_vars)
    log.info("step: walk-forward backfill %s → %s", start, end)
    with open_warehouse(settings) as wh:
        report = backfill(wh, settings, start, end)
    log.info("step: dbt build of predictions and monitoring")
    run_dbt(DOWNSTREAM_BUILD, settings, vars=dbt_vars, raise_on_error=False)

    read_views(settings, result)
    _add_warnings(result, report.dates_failed)
    result.seconds = time.perf_counter() - started
    (workdir / "evaluation.json").write_text(result.to_json())
    return result


def read_views(settings: Settings, result: Evaluation) -> None:
    """Steps 4-6 on a backfilled warehouse: the project's views per season, and the verdicts."""
    views = {
        name: settings.schema("mlb_predictions") + "." + name
        for name in ("system_performance", "market_comparison", "distribution_calibration")
    }
    periods = _query(
        settings,
        f"select * from {views['system_performance']} where period_grain in ('season', 'start_length') "
        "order by period_label, system_id",
    )
    result.rows = _system_rows(periods)
    result.seasons = sorted({r["season"] for r in result.rows})
    market = _query(
        settings,
        f"select * from {views['market_comparison']} where period_grain in ('season', 'month') "
        "order by system_id, period_label",
    )
    result.market = _records(
        market[market["period_grain"] == "season"].rename(columns={"period_label": "season"})
    )
    result.market_monthly = _records(market[market["period_grain"] == "month"])
    distribution = _query(
        settings,
        f"select * from {views['distribution_calibration']} where period_grain = 'season' "
        "order by system_id, measure, decile",
    )
    result.calibration, result.pit = calibration(distribution)
    result.picks_system, result.ranking = choose_picks_system(result.rows, result.seasons)
    result.book_drift = book_drift(result.market, result.seasons)
    result.stacking_weights = stacking_weights(settings.model_store)


def _add_warnings(result: Evaluation, dates_failed: list) -> None:
    references = {r["season"]: r["mae"] for r in result.rows if r["model"] == REFERENCE_NAME}
    for r in result.rows:
        if r["model"] == REFERENCE_NAME:
            continue
        if r["mae"] < NOISE_FLOOR_MAE:
            result.warnings.append(
                f"{r['season']} {r['model']}: MAE {r['mae']:.3f} is below the noise floor: look for a leak"
            )
        if r["season"] in references and r["mae"] >= references[r["season"]]:
            result.warnings.append(
                f"{r['season']} {r['model']}: MAE {r['mae']:.3f} does not beat the naive reference "
                f"{references[r['season']]:.3f}"
            )
    for m in result.market:
        if (m.get("brier_vs_book") or 0) > 0:
            result.warnings.append(
                f"{m['season']} {m['system_id']}: its P(over) scores worse than the book's price "
                f"(Brier {m['system_brier']:.4f} vs {m['book_brier']:.4f} on {m['n_decided_starts']:,} starts)"
            )
    for m in result.market:  # picks on one side only: say what was measured beside them
        over, under = int(m.get("n_over_picks") or 0), int(m.get("n_under_picks") or 0)
        if over + under >= 20 and min(over, under) == 0:
            side = "OVER" if over else "UNDER"
            result.warnings.append(
                f"{m['season']} {m['system_id']}: all {over + under:,} picks are {side}; on the same starts the "
                f"book's line - actual was {m['book_line_bias']:+.2f} K and the over won {m['over_rate']:.3f}, "
                f"and the Brier of its calibrated P(over) was {m['system_brier']:.4f} vs the book's "
                f"{m['book_brier']:.4f}"
            )
    if result.lines_quarantined:
        result.warnings.append(
            f"{result.lines_quarantined} line(s) of {result.lines_source} did not resolve to a starter and were "
            "quarantined (raw.strikeout_lines_quarantine)"
        )
    if dates_failed:
        result.warnings.append(f"{len(dates_failed)} dates failed to score")
