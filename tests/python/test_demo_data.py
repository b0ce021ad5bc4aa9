"""The synthetic league: deterministic, and shaped like the real 2021-2022 starts."""

from __future__ import annotations

import pandas as pd

from python_models.data.demo import generate


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


def test_lines_look_like_a_market() -> None:
    lines = generate().strikeout_lines
    assert (lines["strikeouts_line"] % 1 == 0.5).mean() > 0.8
    assert lines["over_odds"].abs().ge(100).all() and lines["under_odds"].abs().ge(100).all()
    vig = lines.apply(
        lambda r: sum(100 / (o + 100) if o > 0 else -o / (-o + 100) for o in (r.over_odds, r.under_odds)),
        axis=1,
    )
    assert 1.02 < vig.median() < 1.07


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
