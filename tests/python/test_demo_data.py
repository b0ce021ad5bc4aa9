"""The synthetic league: deterministic, shaped like the real 2021-2022 starts, with a sharp calibrated book."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from python_models.demo import league_book
from python_models.demo.league import DemoData, generate
from python_models.demo.league_book import DemoBook
from python_models.predictors.odds import implied_probability, no_vig_probabilities


def test_same_seed_same_league() -> None:
    a, b = generate(7), generate(7)
    pd.testing.assert_frame_equal(a.game_logs, b.game_logs)
    assert not generate(8).game_logs["strikeouts"].equals(a.game_logs["strikeouts"])


def test_distribution_matches_the_real_file() -> None:
    demo = generate()
    k = demo.game_logs["strikeouts"]
    assert 4.6 <= k.mean() <= 5.0
    assert 2.3 <= k.std() <= 2.8
    assert k.min() == 0 and 14 <= k.max() <= 18
    assert demo.game_logs.groupby("season").size().tolist() == [4860, 4860]
    assert 140 <= demo.game_logs["pitcher_id"].nunique() <= 200


def test_pitchers_have_persistent_rates() -> None:
    logs = generate().game_logs
    rate = (
        logs.groupby(["pitcher_id", "season"])
        .apply(lambda g: g["strikeouts"].sum() / g["batters_faced"].sum(), include_groups=False)
        .unstack()
    )
    rate = rate[(logs.groupby("pitcher_id").size() > 40).reindex(rate.index)]
    assert rate[2025].corr(rate[2026]) > 0.6  # a skill, not noise


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate()


@pytest.fixture(scope="module")
def priced(demo: DemoData) -> pd.DataFrame:
    """Every capture with the start's first pitch and result, and the book's no-vig P(over)."""
    starts = demo.probable_starters[["game_date", "pitcher_id", "first_pitch_at"]]
    results = demo.game_logs[["game_date", "pitcher_id", "strikeouts"]]
    lines = demo.strikeout_lines.merge(starts, on=["game_date", "pitcher_id"]).merge(
        results, on=["game_date", "pitcher_id"]
    )
    p_over, _ = no_vig_probabilities(lines["over_odds"], lines["under_odds"])
    return lines.assign(p_over=p_over, before=lines["captured_at"] < lines["first_pitch_at"])


def test_lines_look_like_a_market(demo: DemoData, priced: pd.DataFrame) -> None:
    lines = demo.strikeout_lines
    assert (lines["strikeouts_line"] % 1 == 0.5).mean() > 0.95  # half strikeouts mostly
    assert (lines["strikeouts_line"] % 1 == 0).any()  # whole lines (pushes) exist
    assert lines["over_odds"].abs().ge(100).all() and lines["under_odds"].abs().ge(100).all()
    assert set(lines["bookmaker"]) == {"draftkings", "fanduel"}
    before = priced[priced["before"]]
    per_start = before.groupby(["game_date", "pitcher_id"])["captured_at"].nunique()
    assert set(per_start.unique()) == {1, 2, 3}  # one to three captures a start, as before


def test_hold_is_four_to_five_percent(demo: DemoData) -> None:
    lines = demo.strikeout_lines
    total = implied_probability(lines["over_odds"]) + implied_probability(lines["under_odds"])
    assert total.min() >= 1.04 and total.max() <= 1.05
    by_book = pd.Series(total).groupby(lines["bookmaker"].to_numpy()).mean()
    assert by_book["draftkings"] > by_book["fanduel"]  # the two books differ slightly


def test_prices_vary_around_minus_110(demo: DemoData) -> None:
    over = demo.strikeout_lines["over_odds"]
    assert over.nunique() > 30  # the price follows the book's P(over): not a flat -110
    assert over.between(-130, 110).mean() > 0.5
    assert over.between(-160, 140).mean() > 0.98
    assert abs(np.median(implied_probability(over)) - 0.5238) < 0.01  # -110 in the middle


def test_every_capture_is_before_first_pitch_but_the_rare_late_one(priced: pd.DataFrame) -> None:
    late = priced[~priced["before"]]
    starts = priced.groupby(["game_date", "pitcher_id"]).ngroups
    assert 0 < late.groupby(["game_date", "pitcher_id"]).ngroups < 0.05 * starts
    assert (late["captured_at"] - late["first_pitch_at"] == pd.Timedelta(hours=1)).all()
    open_ = priced[priced["before"]].groupby(["game_date", "pitcher_id"])["captured_at"].min()
    hours = (priced.groupby(["game_date", "pitcher_id"])["first_pitch_at"].first() - open_).dt.total_seconds()
    assert hours.between(24 * 3600, 26 * 3600).all()  # the open: 24-26 h before first pitch


def test_book_is_calibrated_by_decile() -> None:
    """The book's no-vig P(over) against the over rate, in deciles, over four seasons (SE ~1.1 points)."""
    demo = generate(seasons=(2025, 2026, 2027, 2028))
    lines = demo.strikeout_lines.merge(
        demo.probable_starters[["game_date", "pitcher_id", "first_pitch_at"]], on=["game_date", "pitcher_id"]
    ).merge(demo.game_logs[["game_date", "pitcher_id", "strikeouts"]], on=["game_date", "pitcher_id"])
    lines = lines[
        (lines["captured_at"] < lines["first_pitch_at"]) & (lines["strikeouts"] != lines["strikeouts_line"])
    ]
    p_over, _ = no_vig_probabilities(lines["over_odds"], lines["under_odds"])
    over = (lines["strikeouts"] > lines["strikeouts_line"]).astype(float)
    decile = pd.qcut(p_over, 10, labels=False)
    table = pd.DataFrame({"p": p_over, "over": over.to_numpy(), "decile": decile}).groupby("decile").mean()
    assert (table["over"] - table["p"]).abs().max() < 0.03
    assert table["over"].iloc[-1] - table["over"].iloc[0] > 0.08  # and it does discriminate


def test_the_close_knows_more_than_the_open(priced: pd.DataFrame) -> None:
    before = priced[priced["before"] & (priced["bookmaker"] == "draftkings")].sort_values("captured_at")
    keys = ["game_date", "pitcher_id"]
    opened = before.drop_duplicates(keys, keep="first").set_index(keys)
    closed = before.drop_duplicates(keys, keep="last").set_index(keys)
    opened = opened.loc[closed.index]
    moved = closed.index[closed["captured_at"] > opened["captured_at"]]
    error = lambda frame: (frame.loc[moved, "strikeouts_line"] - frame.loc[moved, "strikeouts"]).abs().mean()  # noqa: E731
    assert error(closed) < error(opened)
    assert (closed.loc[moved, "p_over"] - opened.loc[moved, "p_over"]).abs().mean() > 0.01  # prices move


def _small_book(results: dict[int, tuple[int, int]] | None = None) -> DemoBook:
    """Two pitchers, 30 starts each five days apart, priced by a demo book; ``results`` rewrites the
    (strikeouts, batters faced) of the starts it names."""
    book = DemoBook(
        7, {2025: (-1.5, 0.18)}, (23.0, 2.2), 0.01, opponent_sd=0.06, park_sd=0.03, umpire_sd=0.03
    )
    rng = np.random.default_rng(3)
    for n in range(60):
        day = date(2025, 4, 1) + timedelta(days=5 * (n // 2))
        first_pitch = datetime.combine(day, datetime.min.time()) + timedelta(hours=23)
        k, bf = (results or {}).get(n, (int(rng.integers(0, 12)), int(rng.integers(15, 30))))
        book.add(
            game_id=f"AAA{day:%Y%m%d}{n % 2}",
            game_date=day,
            pitcher_id=f"p{n % 2}",
            pitcher_name=f"Pitcher {n % 2}",
            first_pitch=first_pitch,
            announced_at=first_pitch - timedelta(hours=22),
            opponent="BBB",
            park="AAA",
            umpire=f"ump{n % 7:03d}",
            log_rate=np.log(0.2 + 0.05 * (n % 2)),
            log_platoon=0.0,
            log_platoon_expected=0.0,
            lineup_var=0.0,
            workload_shift=0.5,
            workload_shift_open=0.2,
            season=2025,
            captures=[(first_pitch - timedelta(hours=25), 2), (first_pitch - timedelta(hours=2), 2)],
            late_capture=n == 5,
            strikeouts=k,
            batters_faced=bf,
        )
    return book


def test_the_book_never_sees_the_starts_own_result() -> None:
    """Rewriting the result of start 30 and of every later start leaves the lines of start 30 and of
    every earlier start unchanged; later lines do learn from the rewrite."""
    base = _small_book()
    rewritten = _small_book({n: (15, 31) for n in range(30, 60)})
    before, after = base.lines(), rewritten.lines()
    mine = before["start"] <= 30
    pd.testing.assert_frame_equal(before[mine], after[mine])
    assert not before[~mine].equals(after[~mine])


def test_the_book_does_not_change_the_rest_of_the_league(monkeypatch: pytest.MonkeyPatch) -> None:
    """The book draws from its own generator: with other noise, every other table is the same."""
    base = generate(seasons=(2025,))
    monkeypatch.setattr(league_book, "SCOUTING_NOISE", {"morning": 0.9, "close": 0.6})
    other = generate(seasons=(2025,))
    for name in ("game_logs", "probable_starters", "injured_list"):
        pd.testing.assert_frame_equal(getattr(base, name), getattr(other, name))
    assert not base.strikeout_lines["over_odds"].equals(other.strikeout_lines["over_odds"])


def test_team_games_are_the_opposing_starters_line_plus_a_bullpen() -> None:
    """Two rows per game; a team's batting line contains the opposing starter's, its own pitching staff
    is its starter plus relievers, its lineup is what the opposing starter faced; deterministic."""
    demo = generate()
    teams, logs = demo.team_games, demo.game_logs
    assert len(teams) == len(logs) and teams.groupby("game_id").size().eq(2).all()
    own = teams.merge(logs, on=["game_id", "team"], suffixes=("", "_starter"), validate="one_to_one")
    assert (own["starter_id"] == own["pitcher_id"]).all()
    assert (own["starter_batters_faced"] == own["batters_faced"]).all()
    assert (own["pitching_outs"] >= own["outs_recorded"]).all() and (own["pitching_outs"] >= 27).all()
    faced = teams.merge(
        logs, left_on=["game_id", "opponent"], right_on=["game_id", "team"], suffixes=("", "_opp")
    )
    assert (faced["batting_strikeouts"] >= faced["strikeouts"]).all()
    assert (faced["batting_pa"] >= faced["batters_faced"]).all()
    assert (faced["lineup_ids"] == faced["opp_lineup_ids"]).all()
    relief_k = (faced["batting_strikeouts"] - faced["strikeouts"]).mean()
    assert 2.5 < relief_k < 4.5  # the real 2014-2022 bullpens: 3.4 strikeouts a game
    assert 3.5 < teams["pitchers_used"].mean() < 5.0  # real: 4.25
    pd.testing.assert_frame_equal(teams, generate().team_games)


def test_managers_change_and_announcements_carry_the_pre_game_facts() -> None:
    demo = generate()
    per_team_season = demo.team_games.groupby(["season", "team"])["manager_id"].nunique()
    assert (per_team_season == 2).sum() >= 2  # mid-season changes
    assert demo.team_games.groupby(["game_date", "team"])["manager_id"].nunique().eq(1).all()
    facts = ["scheduled_innings", "use_dh", "umpire_home_id", "manager_id"]
    assert demo.probable_starters[facts].notna().all().all()
    umpires = demo.game_logs.groupby("game_id")["umpire_home_id"].nunique()
    assert umpires.eq(1).all()  # one home-plate umpire per game, on both starters' rows


def test_the_demo_summary_counts_one_systems_picks_and_names_gate_warnings() -> None:
    """It printed `OVER 12, PASS 24, UNDER 48` for 28 starters: the sum over three systems."""
    from datetime import date

    from python_models.jobs.daily import DailyReport
    from python_models.jobs.demo import daily_summary
    from python_models.scoring.scorer import ScoreReport

    score = ScoreReport(date(2026, 9, 27), "b1", slate_size=28)
    score.picks = {
        "ensemble_v1": {"OVER": 3, "UNDER": 5, "PASS": 20},
        "v1_baseline": {"OVER": 4, "UNDER": 6, "PASS": 18},
    }
    report = DailyReport(date(2026, 9, 27), score=score, warnings=["test.kzone.assert_x: Got 3 results"])
    line = daily_summary(report, "ensemble_v1")
    assert line == "28 starters; ensemble_v1: OVER 3, UNDER 5, PASS 20; 1 gate warning(s), listed below"
    assert "every gate passed" in daily_summary(DailyReport(date(2026, 9, 27), score=score), "ensemble_v1")


def test_the_performance_table_labels_the_migrated_legacy_season(demo_warehouse) -> None:
    from python_models.jobs.demo import performance_table

    table = performance_table(demo_warehouse)
    seasons = [str(cell) for cell in table.columns[1]._cells]
    assert "2025 (legacy rows)" in seasons
