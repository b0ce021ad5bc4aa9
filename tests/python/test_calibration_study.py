"""benchmarks/calibration_study.py: its market-logistic variants are walk-forward by month, and its noise
floor tells a calibrated forecast's largest decile gap from a miscalibrated one's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

_spec = importlib.util.spec_from_file_location(
    "calibration_study", Path(__file__).parents[2] / "benchmarks" / "calibration_study.py"
)
assert _spec and _spec.loader
study_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(study_module)


def _season(seed: int, n: int = 4000) -> pd.DataFrame:
    """Two seasons of starts: a book priced right, a system over-confident around it."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, 0.4, n)
    days = np.sort(rng.integers(0, 180, n))
    dates = np.where(
        np.arange(n) < n // 2,
        pd.Timestamp("2021-04-01") + pd.to_timedelta(days, unit="D"),
        pd.Timestamp("2022-04-01") + pd.to_timedelta(days, unit="D"),
    )
    return pd.DataFrame(
        {
            "system_id": "s",
            "game_date": pd.to_datetime(dates),
            "p_raw": 1 / (1 + np.exp(-1.6 * (truth + rng.normal(0, 0.3, n)))),
            "p_book": 1 / (1 + np.exp(-truth)),
            "line": 4.5,
            "mean": 4.5,
            "went_over": (rng.random(n) < 1 / (1 + np.exp(-truth))).astype(float),
        }
    )


def test_a_months_scores_never_see_that_month_or_later() -> None:
    frame = _season(3)
    last = frame["game_date"] >= pd.Timestamp("2022-09-01")
    changed = frame.assign(went_over=np.where(last, 1.0 - frame["went_over"], frame["went_over"]))
    before, after = study_module.study(frame), study_module.study(changed)
    methods = ["trainer", *study_module.BLENDS]
    pick = before["method"].isin(methods) & (before["season"] == 2021)
    # 2021 is scored only from earlier months: flipping September 2022's outcomes leaves every variant the same
    pd.testing.assert_frame_equal(before[pick], after[pick])
    # and the variants do learn: with a prior of 0 the raw and the calibrated input differ, as do the priors
    season = before[(before["season"] == 2022)].set_index("method")["brier"]
    assert season[methods].nunique() > 1


def test_the_noise_floor_separates_a_calibrated_forecast_from_a_shifted_one() -> None:
    rng = np.random.default_rng(5)
    p = rng.uniform(0.3, 0.7, 4800)  # one season's starts with a line
    floor = study_module.gap_floor(p)
    # one decile holds 480 starts: even a perfectly calibrated forecast misses by more than 3 pp somewhere
    assert floor > 0.03
    calibrated = (rng.random(p.size) < p).astype(float)
    shifted = (rng.random(p.size) < np.clip(p + 0.08, 0, 1)).astype(float)
    assert study_module._largest_gap(p, calibrated)[0] < 2 * floor
    assert study_module._largest_gap(p, shifted)[0] > 2 * floor
