"""Adding a prediction system is one class and one entry in `vars.systems`: a kind registered here (a model
that predicts every starter the training window's mean) and a `--vars` override of `systems` are all it
takes to train it, score a day with it and find it in the predictions table and the monitoring views."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from python_models.config import Settings
from python_models.dbt.project import SystemSpec, dbt_vars, feature_sets, override_vars
from python_models.predictors.base import ModelPredictor, Prediction, register
from tests.python.conftest import DAY, THROUGH, make_settings

NEW = "sys_new"


@register("test_league_mean")
class LeagueMean(ModelPredictor):
    """Every starter gets the training window's (recency-weighted) mean strikeouts, Poisson around it."""

    def __init__(self, spec: SystemSpec, mean: float) -> None:
        super().__init__(spec)
        self.mean = mean

    @classmethod
    def fit(
        cls, spec: SystemSpec, frame: pd.DataFrame, weight: np.ndarray, holdout: pd.Series
    ) -> tuple[LeagueMean, LeagueMean]:
        actual = frame["actual_strikeouts"].to_numpy(dtype=float)
        early = ~holdout.to_numpy()
        return (
            cls(spec, float(np.average(actual, weights=weight))),
            cls(spec, float(np.average(actual[early], weights=weight[early]))),
        )

    def predict(self, frame: pd.DataFrame) -> Prediction:
        return Prediction(np.full(len(frame), self.mean))

    def card_params(self) -> dict[str, Any]:
        return {"mean": self.mean}

    def to_bytes(self) -> bytes:
        return json.dumps({"mean": self.mean}).encode()

    @classmethod
    def from_bytes(cls, spec: SystemSpec, data: bytes) -> LeagueMean:
        return cls(spec, float(json.loads(data)["mean"]))


@pytest.fixture
def with_new_system():
    entry = {"kind": "test_league_mean", "feature_set": next(iter(feature_sets())), "version_tag": NEW}
    override_vars({"systems": {**dbt_vars()["systems"], NEW: entry}})
    yield
    override_vars({})


def test_a_new_system_is_one_class_and_one_vars_entry(
    demo_warehouse: Settings, tmp_path: Path, with_new_system
) -> None:
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.scoring.scorer import Scorer
    from python_models.training.trainer import train_systems
    from python_models.warehouse import open_warehouse

    shutil.copy(demo_warehouse.duckdb_path, tmp_path / "warehouse.duckdb")  # a copy: the session's stays
    settings = make_settings(tmp_path)
    assert NEW in settings.active_systems  # every system of the vars, the new one included

    with open_warehouse(settings) as wh:
        cards = train_systems(wh, settings, [NEW], THROUGH)
        report = Scorer(wh, make_settings(tmp_path, active_systems=[NEW])).score(DAY)  # the others: untrained
        wh.execute("checkpoint")
    assert [c.system_id for c in cards] == [NEW] and cards[0].params["kind"] == "test_league_mean"
    assert report.per_system == {NEW: report.slate_size} and report.slate_size > 0

    # dbt reads the same vars (the runner passes the override): the new id is accepted, not quarantined
    run_dbt(["run", "--select", "stg_scoring__predictions+"], settings, vars={"as_of_date": "2026-09-27"})
    with open_warehouse(settings) as wh:
        table = wh.query(
            "select count(*) as n, min(predicted_strikeouts) as lo, max(predicted_strikeouts) as hi "
            "from mlb_predictions.pitcher_strikeouts where system_id = @s and game_date = @d",
            {"s": NEW, "d": DAY},
        ).iloc[0]
        comparison = wh.query(
            f"select {NEW}_predicted as predicted from mlb_predictions.system_comparison "
            f"where game_date = @d and {NEW}_predicted is not null",
            {"d": DAY},
        )
        performance = wh.query(
            "select system_id from mlb_predictions.system_performance where system_id = @s", {"s": NEW}
        )
    assert table["n"] == report.slate_size
    assert table["lo"] == pytest.approx(table["hi"])  # one mean for every starter, as the class predicts
    assert len(comparison) == report.slate_size
    assert comparison["predicted"].to_numpy() == pytest.approx(table["lo"])
    assert len(performance) > 0
