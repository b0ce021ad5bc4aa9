"""Real-data evaluation on a short walk-forward window with the user's own lines: a name-keyed file (no
warehouse ids, Retrosheet team codes, part of the window only) resolves, the market comparison uses the
matched starts, every system is measured against the book and the naive reference on the same starts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from python_models.config import load_settings
from python_models.demo.market import market_lines
from python_models.jobs.evaluate import NOISE_FLOOR_MAE, REFERENCE_NAME, evaluate, starts_file

from .conftest import REAL_DATA, requires_real_data

START, END = date(2022, 4, 7), date(2022, 5, 10)
LINES_FROM = date(2022, 4, 20)  # the file covers part of the window only


def _name_keyed_lines(path: Path) -> int:
    """A real-format lines file: pitcher names and teams, no pitcher_id or game_id, no capture time."""
    logs = pd.read_csv(starts_file(REAL_DATA))
    lines = market_lines(logs, [2022])
    lines["game_date"] = pd.to_datetime(lines["game_date"]).dt.date
    lines = lines[(lines["game_date"] >= LINES_FROM) & (lines["game_date"] <= END)]
    teams = logs[["game_id", "pitcher_id", "team"]]
    lines = lines.merge(teams, on=["game_id", "pitcher_id"], how="left")
    lines = lines.sort_values("captured_at").drop_duplicates(
        ["game_date", "pitcher_id", "bookmaker"], keep="last"
    )
    out = lines[
        ["game_date", "pitcher_name", "team", "bookmaker", "strikeouts_line", "over_odds", "under_odds"]
    ]
    out.to_csv(path, index=False)
    return len(out)


@requires_real_data
@pytest.mark.realdata
@pytest.mark.slow
def test_walk_forward_with_a_name_keyed_partial_lines_file(tmp_path: Path, dbt_target_dir: Path) -> None:
    lines_file = tmp_path / "my_lines.csv"
    n_lines = _name_keyed_lines(lines_file)
    result = evaluate(tmp_path / "eval", REAL_DATA, start=START, end=END, lines_file=lines_file)
    assert result.lines_loaded + result.lines_quarantined == n_lines
    assert result.lines_quarantined <= n_lines * 0.01, "real names and teams resolve"

    systems = {r["model"]: r for r in result.rows if r["source"] == "system_performance view"}
    reference = next(r for r in result.rows if r["model"] == REFERENCE_NAME)
    assert set(systems) == set(load_settings().active_systems)
    graded = systems["ensemble_v1"]["n"]
    assert graded > 600 and reference["n"] == graded  # the reference scored on the same starts
    for name, r in systems.items():
        assert NOISE_FLOOR_MAE <= r["mae"] <= 2.4, f"{name}: MAE {r['mae']:.3f} (a leak, or a broken model)"
        assert r["mae"] < reference["mae"]

    market = {m["system_id"]: m for m in result.market}
    assert set(market) == set(systems)
    for m in market.values():  # the matched starts only: the file starts two weeks into the window
        assert 0 < m["n_starts"] < graded and m["n_starts"] >= result.lines_loaded * 0.9
        assert m["book_line_mae"] > 0 and 0 < m["book_brier"] < 0.3
        assert m["first_game_date"][:10] >= str(LINES_FROM)
        assert 0 < m["pick_brier"] < 0.3  # the market-aware probability the picks read, beside the book's
    # reliability per decile of the calibrated, the raw and the pick probability, for every system
    measures = {(c["system_id"], c["measure"]) for c in result.calibration}
    assert measures == {(s, m) for s in systems for m in ("p_over", "p_over_raw", "p_pick")}
    # walk-forward: April was scored by models that saw earlier seasons only; May by models through April
    cards = [json.loads(p.read_text()) for p in (tmp_path / "eval" / "models").rglob("*.card.json")]
    windows = {c["model_version"]: c["training_window"] for c in cards if c["training_window"]}
    assert windows and all(w[1] <= "2022-04-30" for w in windows.values())
    assert any(w[1] <= "2021-12-31" for w in windows.values())
