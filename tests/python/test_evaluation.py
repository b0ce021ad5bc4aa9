"""Real-data evaluation on a short walk-forward window: honest metrics, same rows for every model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from python_models.evaluation import NOISE_FLOOR_MAE, evaluate

from .conftest import requires_real_data


@requires_real_data
@pytest.mark.realdata
@pytest.mark.slow
def test_walk_forward_on_real_starts_is_honest(tmp_path: Path, dbt_target_dir: Path) -> None:
    workdir = tmp_path / "eval"
    result = evaluate(workdir, start=date(2022, 4, 7), end=date(2022, 5, 10))
    systems = {r["model"]: r for r in result.rows if r["source"] == "system_performance view"}
    refs = [r for r in result.rows if r["model"].startswith("reference")]
    assert set(systems) == {"v1_baseline", "v1_6_rolling", "ensemble_v1"}
    assert len(refs) == 1
    graded = systems["ensemble_v1"]["n"]
    assert graded > 600 and all(r["n"] == graded for r in refs)  # the reference scored on the same starts
    assert all(r["mae"] < refs[0]["mae"] for r in systems.values())
    for name, r in systems.items():
        assert NOISE_FLOOR_MAE <= r["mae"] <= 2.4, f"{name}: MAE {r['mae']:.3f} (a leak, or a broken model)"
    # walk-forward: April was scored by models that saw 2021 only; May by models trained through April
    cards = [json.loads(p.read_text()) for p in (workdir / "models").rglob("*.card.json")]
    windows = {c["model_version"]: c["training_window"] for c in cards if c["training_window"]}
    assert windows and all(w[1] <= "2022-04-30" for w in windows.values())
    assert any(w[1] <= "2021-12-31" for w in windows.values())
