"""The real-data books: the sharp book never sees a start's own result, is sharp and calibrated on real
2022.

The leakage proof runs on the demo league's game logs (same columns as the real file) everywhere, and on
the real 2014-2022 starts and team games when ../shared/data is present.

     The information used here was obtained free of
     charge from and is copyrighted by Retrosheet.  Interested
     parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from python_models.demo.league import generate
from python_models.demo.market import (
    BOOK,
    PARAMS_FILE,
    PARK_UTC_OFFSET,
    TEAM_UTC_OFFSET,
    MarketParams,
    first_pitch_utc,
    market_lines,
    params_for,
    record_fit,
)
from python_models.ingest.validation import validate_frame
from python_models.predictors.odds import implied_probability, no_vig_probabilities
from python_models.warehouse.raw_tables import STRIKEOUT_LINES

from .conftest import REAL_DATA

ALL_STARTS = REAL_DATA / "starters_2014_2022.csv.gz"
TEAM_GAMES = REAL_DATA / "team_games_2014_2022.csv.gz"
requires_full_real_data = pytest.mark.skipif(
    not (ALL_STARTS.exists() and TEAM_GAMES.exists()),
    reason=f"real Retrosheet 2014-2022 files not present at {REAL_DATA}",
)


@pytest.fixture(scope="module")
def demo_logs() -> pd.DataFrame:
    return generate(seasons=(2025, 2026)).game_logs


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame]:
    if not (ALL_STARTS.exists() and TEAM_GAMES.exists()):
        pytest.skip(f"real Retrosheet 2014-2022 files not present at {REAL_DATA}")
    return pd.read_csv(ALL_STARTS), pd.read_csv(TEAM_GAMES)


def _rewrite_from(logs: pd.DataFrame, team_games: pd.DataFrame | None, day: date):
    """Copies in which every game dated ``day`` or later has other results (the start's own included)."""
    logs = logs.copy()
    later = pd.to_datetime(logs["game_date"]).dt.date >= day
    logs.loc[later, "strikeouts"] = np.where(logs.loc[later, "strikeouts"] > 5, 0, 12)
    logs.loc[later, "batters_faced"] = np.where(logs.loc[later, "batters_faced"] > 20, 12, 30)
    if team_games is None:
        return logs, None
    team_games = team_games.copy()
    later = pd.to_datetime(team_games["game_date"]).dt.date >= day
    team_games.loc[later, "batting_strikeouts"] = 0
    team_games.loc[later, "batting_pa"] = 60
    return logs, team_games


def _assert_blind_to(
    logs: pd.DataFrame, team_games: pd.DataFrame | None, seasons: list[int], day: date
) -> None:
    before = market_lines(logs, seasons, team_games=team_games)
    other_logs, other_team_games = _rewrite_from(logs, team_games, day)
    after = market_lines(other_logs, seasons, team_games=other_team_games)
    up_to = before["game_date"] <= day  # the rewritten start's own day and every earlier start
    assert up_to.any() and (~up_to).any()
    pd.testing.assert_frame_equal(before[up_to], after[up_to])
    later = ~up_to
    assert (before.loc[later, "strikeouts_line"] != after.loc[later, "strikeouts_line"]).mean() > 0.1


def test_the_sharp_book_never_sees_a_starts_own_result(demo_logs: pd.DataFrame) -> None:
    day = date(2026, 6, 15)
    assert (pd.to_datetime(demo_logs["game_date"]).dt.date == day).any()
    _assert_blind_to(demo_logs, None, [2026], day)


@requires_full_real_data
def test_the_sharp_book_never_sees_a_starts_own_result_on_real_starts(real) -> None:  # type: ignore[no-untyped-def]
    starts, team_games = real
    keep = starts["season"] >= 2021
    _assert_blind_to(starts[keep], team_games[team_games["season"] >= 2021], [2022], date(2022, 7, 1))


def test_lines_load_with_an_open_and_a_close_per_start(demo_logs: pd.DataFrame) -> None:
    lines = market_lines(demo_logs, [2026])
    validate_frame(lines.astype("string"), STRIKEOUT_LINES, "sharp market")  # the evaluation's loader
    assert len(lines) == 2 * (demo_logs["season"] == 2026).sum() and (lines["bookmaker"] == BOOK).all()
    opened, closed = lines.iloc[::2], lines.iloc[1::2]
    eve = pd.to_datetime(opened["game_date"].astype(str)) - pd.Timedelta(hours=4)  # 20:00 UTC the day before
    assert (opened["captured_at"].to_numpy() == eve.to_numpy()).all()
    assert (opened["captured_at"].to_numpy() < closed["captured_at"].to_numpy()).all()
    total = implied_probability(lines["over_odds"]) + implied_probability(lines["under_odds"])
    assert total.min() >= 1.04 and total.max() <= 1.05
    assert (lines["strikeouts_line"] % 1 == 0.5).mean() > 0.9


@requires_full_real_data
def test_the_close_is_ninety_minutes_before_every_real_first_pitch(real) -> None:  # type: ignore[no-untyped-def]
    starts, _ = real
    logs = starts.assign(game_date=pd.to_datetime(starts["game_date"]))
    home = logs["game_id"].str[:3]
    assert (logs["park_id"].isin(PARK_UTC_OFFSET) | home.isin(TEAM_UTC_OFFSET)).all()  # no guessed zone
    first_pitch = first_pitch_utc(logs)
    local = pd.to_datetime(
        logs["game_date"].dt.strftime("%Y-%m-%d ") + logs["start_time"], format="%Y-%m-%d %I:%M%p"
    )
    hours = (first_pitch - local).dt.total_seconds() / 3600
    assert hours.between(-11, 7).all() and hours.isin([4, 5, 6, 7]).mean() > 0.99  # US zones in summer
    lines = market_lines(starts[starts["season"] == 2019], [2019], params=MarketParams()).iloc[1::2]
    tokyo = lines[lines["game_id"] == "OAK201903200"]  # 6:36 PM in Tokyo = 09:36 UTC
    assert (tokyo["captured_at"] == pd.Timestamp("2019-03-20 08:06")).all()


def test_each_season_is_priced_with_a_fit_on_earlier_seasons_only(
    demo_logs: pd.DataFrame, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The book is refit walk-forward: 2026 is priced with the fit through 2025, never one that saw 2026."""
    monkeypatch.setattr("python_models.demo.market.PARAMS_FILE", tmp_path / "market_params.json")
    with pytest.raises(ValueError, match=r"no synthetic-book fit on seasons before 2026.*--through 2025"):
        market_lines(demo_logs, [2026])
    earlier = dataclasses.replace(MarketParams(), rate_prior_bf=20.0, bf_shift=-1.5)
    saw_2026 = dataclasses.replace(MarketParams(), rate_prior_bf=900.0, bf_shift=1.5)
    record_fit(2025, [2015, 2025], dataclasses.asdict(earlier), "123", None)
    record_fit(2026, [2015, 2026], dataclasses.asdict(saw_2026), "123", None)
    assert params_for(2026) == earlier and params_for(2027) == saw_2026
    priced = market_lines(demo_logs, [2026])
    pd.testing.assert_frame_equal(priced, market_lines(demo_logs, [2026], params=earlier))
    assert not priced["strikeouts_line"].equals(
        market_lines(demo_logs, [2026], params=saw_2026)["strikeouts_line"]
    )


def test_the_recorded_fits_never_price_a_season_they_saw() -> None:
    """The fits shipped with the book (benchmarks/tune_market.py --through S): each evaluated season has
    one whose fitted seasons all come before it, and it is the one that prices the season."""
    fits = json.loads(PARAMS_FILE.read_text())["fits"]
    for season in (2021, 2022):
        earlier = [f for f in fits if f["fit_seasons"][1] < season]
        assert earlier, f"no fit before {season}"
        newest = max(earlier, key=lambda f: f["through_season"])
        assert newest["through_season"] == season - 1
        assert params_for(season) == MarketParams(**newest["params"])


def test_the_sharp_book_is_deterministic(demo_logs: pd.DataFrame) -> None:
    a, b = market_lines(demo_logs, [2026], seed=5), market_lines(demo_logs, [2026], seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a["over_odds"].equals(market_lines(demo_logs, [2026], seed=6)["over_odds"])  # holds vary


@requires_full_real_data
def test_on_real_2022_the_sharp_book_ties_the_systems(real) -> None:  # type: ignore[no-untyped-def]
    """Systems reach ≈ 1.77 K on every real 2022 start; a real book's line had 1.765."""
    starts, team_games = real
    actual = starts.set_index(["game_id", "pitcher_id"])["strikeouts"]

    def mae(lines: pd.DataFrame) -> float:
        k = actual.reindex(pd.MultiIndex.from_frame(lines[["game_id", "pitcher_id"]])).to_numpy()
        return float(np.mean(np.abs(lines["strikeouts_line"].to_numpy() - k)))

    sharp = market_lines(starts, [2022], team_games=team_games)
    assert 1.74 <= mae(sharp.iloc[::2]) <= 1.80  # the open, the line a morning pick sees
    assert 1.74 <= mae(sharp.iloc[1::2]) <= 1.80  # the close


@requires_full_real_data
def test_on_real_starts_the_sharp_books_p_over_is_calibrated_by_decile(real) -> None:  # type: ignore[no-untyped-def]
    """No-vig P(over) against the over rate in deciles, 2016-2022 opens (SE ≈ 0.8 points per decile)."""
    starts, team_games = real
    seasons = list(range(2016, 2023))  # the book's construction, not its walk-forward fit: one set of params
    lines = market_lines(starts, seasons, team_games=team_games, params=MarketParams()).iloc[::2]
    k = starts.set_index(["game_id", "pitcher_id"])["strikeouts"]
    k = k.reindex(pd.MultiIndex.from_frame(lines[["game_id", "pitcher_id"]])).to_numpy()
    decided = k != lines["strikeouts_line"].to_numpy()
    p_over, _ = no_vig_probabilities(lines["over_odds"], lines["under_odds"])
    frame = pd.DataFrame({"p": p_over[decided], "over": (k > lines["strikeouts_line"].to_numpy())[decided]})
    table = frame.groupby(pd.qcut(frame["p"], 10, labels=False)).mean()
    assert (table["over"] - table["p"]).abs().max() < 0.03
    assert table["over"].iloc[-1] - table["over"].iloc[0] > 0.08
