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
