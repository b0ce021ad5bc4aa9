"""How sharp are the synthetic books? Figures printed, never asserted.

For the demo league's books (``python_models/demo/league_book.py``, season 2026) and the real-data book
(``python_models/demo/market.py``, real 2022 starts) it prints:

* line MAE (|line - actual strikeouts|, every start with action, short starts included) of the open, the
  pick-time line (the last capture before 15:00 UTC on the game day and before first pitch: what the
  morning scoring run sees, ``KZONE_LINE_CUTOFF_HOUR_UTC``) and the close (the last capture before first
  pitch), beside each system's MAE on the same starts, read from a warehouse the product built
  (``make demo`` -> ``warehouse/kzone.duckdb``; ``kzone evaluate`` ->
  ``artifacts/evaluation/warehouse.duckdb``);
* the no-vig P(over) by decile (mean predicted, observed over rate, count; pushes left out) and its Brier
  score, the hold (sum of implied probabilities), the over prices, the share of half-point lines and the
  movement from open to close;
* the naive pick rule (``predictors.decision.decide`` with the system's own P(over), i.e. a market
  blend of weight 1) run against the pick-time line: picks, share of starts picked, hit rate, ROI. Against
  a sharp book a system without an edge shows an ROI near minus the hold (the hit rate can sit a little
  above 50%: the picks lean to the favoured, juiced side);
* the product's own verdict where the warehouse holds it: ``market_comparison`` (market-aware picks).

Run: ``.venv/bin/python benchmarks/market_quality.py [--demo-warehouse P] [--real-warehouse P]``.
The real-data part needs ../shared/data/retrosheet_starters:

     The information used here was obtained free of
     charge from and is copyrighted by Retrosheet.  Interested
     parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from python_models.config import PROJECT_ROOT, load_settings
from python_models.demo.league import SEED, generate
from python_models.demo.market import first_pitch_utc, market_lines
from python_models.demo.market_params import MarketParams
from python_models.predictors.decision import decide
from python_models.predictors.market_blend import MarketBlend
from python_models.predictors.odds import implied_probability, no_vig_probabilities, payout_per_unit

REAL_DATA = PROJECT_ROOT.parent / "shared" / "data" / "retrosheet_starters"
PICK_CUTOFF_HOUR_UTC = 15
KEYS = ["game_date", "pitcher_id"]


def captures(lines: pd.DataFrame, first_pitch: pd.DataFrame, book: str) -> dict[str, pd.DataFrame]:
    """One line per start for each moment: open, pick time, close (``book``'s captures before first pitch)."""
    frame = lines[lines["bookmaker"] == book].merge(first_pitch, on=KEYS)
    frame = frame[frame["captured_at"] < frame["first_pitch_at"]].sort_values("captured_at")
    morning = pd.to_datetime(frame["game_date"].astype(str)) + pd.Timedelta(hours=PICK_CUTOFF_HOUR_UTC)
    return {
        "open": frame.drop_duplicates(KEYS, keep="first"),
        "pick time": frame[frame["captured_at"] < morning].drop_duplicates(KEYS, keep="last"),
        "close": frame.drop_duplicates(KEYS, keep="last"),
    }


def system_predictions(warehouse: Path, season: int) -> pd.DataFrame:
    """Every system's prediction for every start of ``season`` with a result (legacy rows left out)."""
    import duckdb

    if not warehouse.exists():
        return pd.DataFrame()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.execute(
            """
            select system_id, cast(game_date as date) as game_date, pitcher_id, predicted_strikeouts,
                actual_strikeouts, feature_coverage_pct
            from mlb_predictions.pitcher_strikeouts
            where season = ? and actual_strikeouts is not null and prediction_source != 'legacy'
            """,
            [season],
        ).df()
    frame["game_date"] = pd.to_datetime(frame["game_date"]).dt.date
    return frame


def market_comparison(warehouse: Path) -> pd.DataFrame:
    """The product's own system-vs-book table for the whole window (empty without the warehouse or view)."""
    import duckdb

    if not warehouse.exists():
        return pd.DataFrame()
    columns = (
        "system_id, system_mae, book_line_mae, system_brier, book_brier, pick_brier, n_picks, share_picked, "
        "hit_rate, hit_rate_ci_low, hit_rate_ci_high, roi, roi_ci_low, roi_ci_high, mean_line_move_toward_pick, "
        "share_beat_close"
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            return con.execute(
                f"select {columns} from mlb_predictions.market_comparison where period_grain = 'all' order by 1"
            ).df()
        except duckdb.Error:
            return pd.DataFrame()


def calibration(line: pd.DataFrame) -> pd.DataFrame:
    decided = line[line["strikeouts"] != line["strikeouts_line"]]
    over = (decided["strikeouts"] > decided["strikeouts_line"]).astype(float)
    decile = pd.qcut(decided["p_over"], 10, labels=False) + 1
    table = pd.DataFrame({"decile": decile, "p_over": decided["p_over"], "over": over})
    return table.groupby("decile").agg(
        mean_p_over=("p_over", "mean"), observed=("over", "mean"), n=("over", "size")
    )


def report(name: str, lines: pd.DataFrame, first_pitch: pd.DataFrame, results: pd.DataFrame, book: str,
           systems: pd.DataFrame, comparison: pd.DataFrame | None = None) -> None:  # fmt: skip
    print(f"\n=== {name} ===")
    p_all, _ = no_vig_probabilities(lines["over_odds"], lines["under_odds"])
    hold = implied_probability(lines["over_odds"]) + implied_probability(lines["under_odds"])
    over = lines["over_odds"]
    print(
        f"{len(lines):,} captures, {lines.groupby(KEYS).ngroups:,} starts, books {sorted(lines['bookmaker'].unique())}"
    )
    print(
        "hold (sum of implied probabilities): min {:.4f}  p5 {:.4f}  median {:.4f}  p95 {:.4f}  max {:.4f}".format(
            *np.percentile(hold, [0, 5, 50, 95, 100])
        )
    )
    print(
        "over prices: p5 {:+.0f}  p25 {:+.0f}  median {:+.0f}  p75 {:+.0f}  p95 {:+.0f};"
        " share in [-130, +110] {:.1%}; distinct {}".format(
            *np.percentile(over, [5, 25, 50, 75, 95]), over.between(-130, 110).mean(), over.nunique()
        )
    )
    print(f"half-point lines {(lines['strikeouts_line'] % 1 == 0.5).mean():.1%}; no-vig P(over) p5-p95 "
          f"{np.percentile(p_all, 5):.3f}-{np.percentile(p_all, 95):.3f}")  # fmt: skip
    moments = captures(lines.assign(p_over=p_all), first_pitch, book)
    moments = {k: v.merge(results, on=KEYS) for k, v in moments.items()}
    opened = moments["open"].set_index(KEYS)
    closed = moments["close"].set_index(KEYS).loc[opened.index]
    moved = closed["captured_at"] > opened["captured_at"]
    dline = (closed["strikeouts_line"] - opened["strikeouts_line"]).abs()[moved]
    dp = (closed["p_over"] - opened["p_over"]).abs()[moved]
    err_open = (opened["strikeouts_line"] - opened["strikeouts"]).abs()[moved].mean()
    err_close = (closed["strikeouts_line"] - closed["strikeouts"]).abs()[moved].mean()
    print(
        f"open -> close ({moved.sum():,} starts with both): line moved on {(dline > 0).mean():.1%}, mean |move| "
        f"{dline.mean():.3f} K, mean |move of no-vig P(over)| {dp.mean():.3f}; line MAE {err_open:.3f} -> {err_close:.3f}"
    )

    pick = moments["pick time"]
    if systems.empty:
        print("(no system predictions: run `make demo` / `kzone evaluate` and pass the warehouse)")
        starts = pick
    else:
        starts = pick.merge(systems[KEYS].drop_duplicates(), on=KEYS)
    print(f"\nline MAE on the {len(starts):,} starts with action (every start, short ones included):")
    for moment, frame in moments.items():
        on = frame.merge(starts[KEYS], on=KEYS)
        decided = on[on["strikeouts"] != on["strikeouts_line"]]
        brier = np.mean((decided["p_over"] - (decided["strikeouts"] > decided["strikeouts_line"])) ** 2)
        mae = (on["strikeouts_line"] - on["strikeouts"]).abs().mean()
        print(f"  book, {moment:<9}  MAE {mae:.4f}  Brier of no-vig P(over) {brier:.4f}  (n={len(on):,})")
    if not systems.empty:
        settings = load_settings()
        for system_id, preds in systems.groupby("system_id"):
            mine = preds.merge(pick.drop(columns=["strikeouts"], errors="ignore"), on=KEYS)
            mae = (mine["predicted_strikeouts"] - mine["actual_strikeouts"]).abs().mean()
            picked = decide(
                mine.assign(feature_coverage_pct=mine["feature_coverage_pct"].fillna(100.0), red_flags=[[]] * len(mine)),
                settings,
                blend=MarketBlend(weight=1.0),  # the system's own probability: no market awareness
            )  # fmt: skip
            bet = picked[picked["recommendation"].isin(["OVER", "UNDER"])]
            k, line = bet["actual_strikeouts"], bet["strikeouts_line"]
            is_over = bet["recommendation"] == "OVER"
            won = np.where(is_over, k > line, k < line)
            push = k == line
            odds = np.where(is_over, bet["over_odds"], bet["under_odds"])
            profit = np.where(push, 0.0, np.where(won, payout_per_unit(odds), -1.0))
            decided = ~push
            print(
                f"  {system_id:<16} MAE {mae:.4f}; naive picks vs the pick-time line {len(bet):,} "
                f"({len(bet) / len(mine):.1%} of starts), hit rate {won[decided].mean():.3f}, ROI {profit.mean():+.3f}"
            )
    if comparison is not None and not comparison.empty:
        print(
            "\nthe product's market_comparison (market-aware picks against this book, as graded in the warehouse):"
        )
        print(comparison.round(4).to_string(index=False))
    table = calibration(moments["pick time"].merge(starts[KEYS], on=KEYS))
    print("\nno-vig P(over) of the pick-time line by decile (pushes left out):")
    print(table.assign(diff=table["observed"] - table["mean_p_over"]).round(3).to_string())


def pooled_calibration(name: str, lines: pd.DataFrame, results: pd.DataFrame) -> None:
    """The calibration table over many more starts (one season's deciles have an SE of ~2.3 points)."""
    p_over, _ = no_vig_probabilities(lines["over_odds"], lines["under_odds"])
    table = calibration(lines.assign(p_over=p_over).merge(results, on=KEYS))
    print(f"\n{name}: no-vig P(over) by decile (pushes left out)")
    print(table.assign(diff=table["observed"] - table["mean_p_over"]).round(3).to_string())


def demo(warehouse: Path) -> None:
    data = generate(SEED)
    first_pitch = data.probable_starters[[*KEYS, "first_pitch_at"]]
    season = data.strikeout_lines[pd.to_datetime(data.strikeout_lines["game_date"]).dt.year == 2026]
    results = data.game_logs[[*KEYS, "strikeouts"]]
    report("demo league 2026 (draftkings; fanduel alike)", season, first_pitch, results, "draftkings",
           system_predictions(warehouse, 2026), market_comparison(warehouse))  # fmt: skip
    more = generate(SEED, seasons=(2025, 2026, 2027, 2028))
    lines = more.strikeout_lines.merge(more.probable_starters[[*KEYS, "first_pitch_at"]], on=KEYS)
    lines = lines[(lines["captured_at"] < lines["first_pitch_at"]) & (lines["bookmaker"] == "draftkings")]
    pooled_calibration("demo 2025-2028, every draftkings capture before first pitch", lines,
                       more.game_logs[[*KEYS, "strikeouts"]])  # fmt: skip


def real(warehouse: Path) -> None:
    starts = pd.read_csv(REAL_DATA / "starters_2014_2022.csv.gz")
    team_games = pd.read_csv(REAL_DATA / "team_games_2014_2022.csv.gz")
    logs = starts.assign(game_date=pd.to_datetime(starts["game_date"]))
    first_pitch = logs[KEYS].assign(first_pitch_at=first_pitch_utc(logs), game_date=logs["game_date"].dt.date)
    results = first_pitch[KEYS].assign(strikeouts=starts["strikeouts"].to_numpy())
    systems = system_predictions(warehouse, 2022)
    full = market_lines(starts, [2022], team_games=team_games)
    report("real 2022, sharp book as kzone evaluate prices it (2014-2022 starts and team games)", full, first_pitch, results,
           "synthetic_market", systems)  # fmt: skip
    # one parameter set over every season (the construction's calibration, not the walk-forward fit)
    opens = market_lines(starts, list(range(2016, 2023)), team_games=team_games, params=MarketParams()).iloc[
        ::2
    ]
    pooled_calibration("real 2016-2022 opens (parameters fitted on 2014-2021: 2022 is out of sample)", opens,
                       results)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-warehouse", type=Path, default=PROJECT_ROOT / "warehouse" / "kzone.duckdb")
    parser.add_argument(
        "--real-warehouse", type=Path, default=PROJECT_ROOT / "artifacts" / "evaluation" / "warehouse.duckdb"
    )
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    if not args.skip_demo:
        demo(args.demo_warehouse)
    if not args.skip_real and (REAL_DATA / "starters_2014_2022.csv.gz").exists():
        real(args.real_warehouse)


if __name__ == "__main__":
    main()
