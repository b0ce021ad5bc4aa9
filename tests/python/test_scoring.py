"""The Python runner: train, score, backfill; bad input and faults give clear errors and lose nothing."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from python_models.jobs.backfill import backfill
from python_models.scoring.il_cache import InjuredListCache, RetryPolicy
from python_models.scoring.output import prediction_id
from python_models.scoring.scorer import Scorer, ScoringError, UnknownPitcherError
from python_models.training.lifecycle import retrain_point
from python_models.training.trainer import TrainingError, train_systems
from python_models.warehouse.base import WarehouseError
from python_models.warehouse.tables import PREDICTIONS_LANDING

from .conftest import DAY


def landing(wh) -> pd.DataFrame:
    rel = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
    if not wh.table_exists(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name):
        return pd.DataFrame()
    return wh.query(f"select * from {rel} order by prediction_id")


def test_scores_every_system_in_one_feature_query_and_one_merge(env) -> None:
    settings, wh = env
    report = Scorer(wh, settings).score(DAY)
    rows = landing(wh)
    assert report.slate_size > 20
    assert report.per_system == {s: report.slate_size for s in settings.active_systems}
    assert len(rows) == len(settings.active_systems) * report.slate_size and rows["prediction_id"].is_unique
    first = rows.iloc[0]
    assert first["prediction_id"] == prediction_id(
        first["game_date"], first["pitcher_id"], first["system_id"]
    )
    probs = rows[["p_over", "p_under", "p_push"]].dropna()
    assert ((probs.sum(axis=1) - 1).abs() < 1e-6).all()
    assert set(rows["recommendation"]) <= {"OVER", "UNDER", "PASS"}
    assert rows["model_version"].str.endswith("20260430").all()


def test_rescoring_ten_times_changes_nothing(env) -> None:
    settings, wh = env
    scorer = Scorer(wh, settings)
    scorer.score(DAY)
    first = landing(wh)
    for _ in range(9):
        report = scorer.score(DAY)
        assert (report.rows_written, report.rows_changed) == (0, 0)
    again = landing(wh)
    assert again["prediction_id"].is_unique
    pd.testing.assert_frame_equal(first, again)  # identical rows, batch_id and scored_at included


def test_corrupt_model_degrades_one_system_and_the_ensemble_says_so(env) -> None:
    settings, wh = env
    model = next((settings.model_store / "v1_baseline").glob("*20260430.json"))
    model.write_text('{"learner": "truncated')
    scorer = Scorer(wh, settings)
    report = scorer.score(DAY)
    assert "v1_baseline" in report.failures and "sha256" in report.failures["v1_baseline"]
    assert scorer.breakers["v1_baseline"].state == "open"
    rows = landing(wh)
    assert set(rows["system_id"]) == set(settings.active_systems) - {"v1_baseline"}
    ens = rows[rows["system_id"] == "ensemble_v1"]
    assert ens["red_flags"].map(lambda f: "ensemble_fallback:v1_baseline" in json.loads(f)).all()
    assert ens["component_systems"].map(lambda c: json.loads(c) == ["v1_6_rolling"]).all()


def test_nothing_scorable_raises_naming_each_failure_and_writes_nothing(env) -> None:
    settings, wh = env
    for path in settings.model_store.rglob("*.json"):
        if not path.name.endswith(".card.json"):
            path.unlink()
    with pytest.raises(ScoringError, match=r"v1_baseline: model file .* does not exist"):
        Scorer(wh, settings).score(DAY)
    assert landing(wh).empty


def test_failing_injured_list_query_proceeds_without_flags(env, caplog) -> None:
    settings, wh = env

    def broken(day: date) -> set[str]:
        raise ConnectionError("IL service down")

    cache = InjuredListCache(broken, policy=RetryPolicy(first_delay_s=0.0), sleep=lambda s: None)
    report = Scorer(wh, settings, il_cache=cache).score(DAY)
    assert sum(report.per_system.values()) == len(settings.active_systems) * report.slate_size
    assert "WITHOUT injury flags" in caplog.text


def test_injured_pitcher_is_passed_with_a_reason(env) -> None:
    settings, wh = env
    slate = Scorer(wh, settings).store.slate(DAY)
    hurt = slate["pitcher_id"].iloc[0]
    cache = InjuredListCache(lambda day: {hurt})
    Scorer(wh, settings, il_cache=cache).score(DAY)
    rows = landing(wh)
    mine = rows[rows["pitcher_id"] == hurt]
    assert (mine["recommendation"] == "PASS").all()
    assert mine["red_flags"].map(lambda f: "on_injured_list" in json.loads(f)).all()


def test_missing_and_absurd_lines_are_scored_as_pass_with_flags(env) -> None:
    settings, wh = env
    slate = Scorer(wh, settings).store.slate(DAY)
    no_line, absurd = slate["pitcher_id"].iloc[0], slate["pitcher_id"].iloc[1]
    lines = wh.relation("raw", "strikeout_lines")
    wh.execute(f"delete from {lines} where game_date = @d and pitcher_id = @p", {"d": DAY, "p": no_line})
    wh.execute(
        f"update {lines} set strikeouts_line = 44.5 where game_date = @d and pitcher_id = @p",
        {"d": DAY, "p": absurd},
    )  # bypasses the loader's checks on purpose: defence in depth
    Scorer(wh, settings).score(DAY)
    rows = landing(wh).set_index(["pitcher_id", "system_id"])
    a = rows.loc[(no_line, "ensemble_v1")]
    assert a["recommendation"] == "PASS" and "no_line" in json.loads(a["red_flags"]) and pd.isna(a["p_over"])
    b = rows.loc[(absurd, "ensemble_v1")]
    assert b["recommendation"] == "PASS" and any(
        f.startswith("absurd_line") for f in json.loads(b["red_flags"])
    )
    assert pd.isna(b["strikeouts_line"])


def test_thin_features_lower_confidence_instead_of_crashing(env) -> None:
    settings, wh = env
    fs = wh.relation("features", "ml_feature_store")
    slate = Scorer(wh, settings).store.slate(DAY)
    pid = slate["pitcher_id"].iloc[2]
    wh.execute(
        f"update {fs} set k_last_3 = null, k_last_5 = null, k_last_10 = null, k_per_bf_last_5 = null, "
        "season_k_per_bf = null, v1_6_rolling_coverage_pct = 55, feature_coverage_pct = 55 "
        "where game_date = @d and pitcher_id = @p",
        {"d": DAY, "p": pid},
    )
    Scorer(wh, settings).score(DAY)
    row = landing(wh).set_index(["pitcher_id", "system_id"]).loc[(pid, "v1_6_rolling")]
    assert row["feature_coverage_pct"] == 55 and row["recommendation"] == "PASS"
    assert "low_coverage" in json.loads(row["red_flags"])


def test_unknown_pitcher_and_empty_date(env) -> None:
    settings, wh = env
    with pytest.raises(UnknownPitcherError, match="nobody_000"):
        Scorer(wh, settings).score(DAY, pitchers=["nobody_000"])
    assert landing(wh).empty
    assert Scorer(wh, settings).score(date(2026, 1, 15)).slate_size == 0


def test_warehouse_error_during_merge_leaves_the_target_unchanged(env, monkeypatch) -> None:
    settings, wh = env
    Scorer(wh, settings).score(DAY)
    before = landing(wh)
    original = wh.merge_sql

    def broken_merge(*args, **kwargs):
        return original(*args, **kwargs).replace(
            "when not matched", "when not matched and no_such_column = 1"
        )

    monkeypatch.setattr(wh, "merge_sql", broken_merge)
    fs = wh.relation("features", "ml_feature_store")
    wh.execute(f"update {fs} set days_rest = 99 where game_date = @d", {"d": DAY})  # changes every prediction
    with pytest.raises(WarehouseError, match="target is unchanged"):
        Scorer(wh, settings).score(DAY)
    pd.testing.assert_frame_equal(before, landing(wh))
    assert not [t for t, _ in wh.list_tables("scoring") if t.startswith("_stg_batch_")]  # staging cleaned


def test_training_is_walk_forward_only(env) -> None:
    settings, wh = env
    cards = train_systems(wh, settings, ["v1_baseline"], date(2025, 6, 30))
    assert cards[0].training_window[1] <= "2025-06-30"
    assert retrain_point(date(2026, 5, 15)) == date(2026, 4, 30)
    models = Scorer(wh, settings).resolve_models(date(2025, 7, 1))
    assert models["v1_baseline"].model_version.endswith("20250630")  # trained strictly before the date
    with pytest.raises(TrainingError, match="need at least"):
        train_systems(wh, settings, ["v1_baseline"], date(2025, 3, 28))


def test_backfill_is_resumable(env) -> None:
    settings, wh = env
    first = backfill(wh, settings, date(2026, 5, 10), date(2026, 5, 13))
    assert first.dates_scored == 4 and not first.dates_failed
    again = backfill(wh, settings, date(2026, 5, 10), date(2026, 5, 13))
    assert (again.dates_scored, again.dates_skipped) == (0, 4)
    forced = backfill(wh, settings, date(2026, 5, 10), date(2026, 5, 13), force=True)
    assert forced.dates_scored == 4 and forced.predictions == 0  # rescored, nothing changed


def test_cli_rejects_malformed_date_and_explains() -> None:
    from python_models.cli import app

    result = CliRunner().invoke(app, ["score", "--date", "2026-13-45"])
    assert result.exit_code == 2 and "not a date in YYYY-MM-DD form" in result.output


def test_out_of_range_predictions_are_clipped_counted_and_flagged(env, monkeypatch) -> None:
    """A model that returns -3 and 35 K: the values land clipped to [0, 20], every clipped row carries the
    `clipped_prediction` flag (both ensembles too, since they blended them), and the report counts them."""
    import numpy as np

    from python_models.predictors import xgboost_poisson

    settings, wh = env
    real_predict = xgboost_poisson.predict

    def wild(booster, frame, features):
        values = np.asarray(real_predict(booster, frame, features), dtype=float).copy()
        if "k_last_3" in features:  # v1_6_rolling only
            values[0], values[1] = -3.0, 35.0
        return values

    monkeypatch.setattr(xgboost_poisson, "predict", wild)
    report = Scorer(wh, settings).score(DAY)
    assert report.clipped == {"v1_6_rolling": 2}
    rows = landing(wh)
    flagged = rows[rows["red_flags"].map(lambda f: "clipped_prediction" in json.loads(f))]
    assert set(flagged["system_id"]) == {"v1_6_rolling", "ensemble_v1", "ensemble_v2"} and len(flagged) == 6
    v16 = flagged[flagged["system_id"] == "v1_6_rolling"]["predicted_strikeouts"]
    assert sorted(v16) == [0.0, 20.0]
    assert rows["predicted_strikeouts"].between(0, 20).all()


def test_low_coverage_is_one_summary_line_per_date_with_the_names_at_debug(env, caplog) -> None:
    """One INFO line per date, not one per low-coverage pitcher per system (that flooded the log: 567 lines for
    24 days); the names go to DEBUG."""
    import logging

    settings, wh = env
    fs = wh.relation("features", "ml_feature_store")
    wh.execute(
        f"update {fs} set v1_6_rolling_coverage_pct = 50, v1_baseline_coverage_pct = 50 "
        "where game_date = @d and pitcher_id in (select pitcher_id from " + fs + " where game_date = @d "
        "order by pitcher_id limit 4)",
        {"d": DAY},
    )
    with caplog.at_level(logging.DEBUG, logger="python_models.scoring.scorer"):
        Scorer(wh, settings).score(DAY)
    info = [r for r in caplog.records if r.levelno == logging.INFO and "coverage" in r.getMessage()]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG and "low coverage" in r.getMessage()]
    assert len(info) == 1 and "4 of" in info[0].getMessage() and "names at DEBUG" in info[0].getMessage()
    assert len(debug) >= 4 * 2  # each pitcher, each system below the threshold


def test_a_backfill_sums_low_coverage_up_in_one_line_with_the_count_of_days(env, caplog) -> None:
    """A season's backfill used to log a low-coverage warning for every date (the demo's log flooded)."""
    import logging

    from python_models.features.store import FeatureStore

    settings, wh = env
    fs = wh.relation("features", "ml_feature_store")
    days = [date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 13)]
    below = ", ".join(f"{c} = 50" for c in FeatureStore(wh).coverage_columns())
    # every starter of the first and the last date below the threshold, for every system
    wh.execute(f"update {fs} set {below} where game_date in (@a, @b)", {"a": days[0], "b": days[2]})
    with caplog.at_level(logging.DEBUG):
        report = backfill(wh, settings, days[0], days[-1], retrain="never")
    assert report.dates_scored == 3 and report.low_coverage_dates == 2
    told = [r for r in caplog.records if r.levelno >= logging.INFO and "coverage" in r.getMessage()]
    assert len(told) == 1, [r.getMessage() for r in told]
    assert told[0].levelno == logging.WARNING  # 2 dates of 3 low: above MLB_LOW_COVERAGE_RATE_THRESHOLD
    assert "on 2 of 3 scored date(s)" in told[0].getMessage()
    per_date = [r for r in caplog.records if r.levelno == logging.DEBUG and "low feature" in r.getMessage()]
    assert len(per_date) == 2  # each low date's line is still there, at DEBUG


def test_ensemble_v2_pools_every_component_with_its_cards_weights(env) -> None:
    """ensemble_v2's mean is its components' means weighted by the weights its version's card holds (equal
    here: no graded history before the first cut-off), and its card says so."""
    from python_models.dbt.project import systems
    from python_models.training.model_store import ModelStore

    settings, wh = env
    Scorer(wh, settings).score(DAY)
    rows = landing(wh).set_index(["pitcher_id", "system_id"])["predicted_strikeouts"].unstack()
    version = landing(wh).query("system_id == 'ensemble_v2'")["model_version"].iloc[0]
    card = ModelStore(settings.model_store).load_card("ensemble_v2", version)
    components = list(systems()["ensemble_v2"].components)
    assert set(components) == {"v1_baseline", "v1_6_rolling", "v2_workload_rate"}
    assert card.params["weights_rows"] == 0 and card.params["weights"] == dict.fromkeys(components, 1 / 3)
    pooled = sum(rows[c] * w for c, w in card.params["weights"].items())
    # the pool's mean reads the tail cell P(K >= 20) as 20: within 1e-3 K of the weighted means
    assert (rows["ensemble_v2"] - pooled).abs().max() < 1e-3


def _graded_history(seed: int, n: int, day: date, means_of=None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Each component's graded predictions of ``n`` starts on ``day``: Poisson distributions around its
    mean (``means_of(truth)``: v1_baseline the truth by default), a line, the book at 1/2, the outcome."""
    import numpy as np

    from python_models.predictors.distribution import poisson_pmf, to_json

    rng = np.random.default_rng(seed)
    truth = rng.uniform(3.0, 8.0, n)
    actual = rng.poisson(truth)
    line = np.floor(truth) + 0.5
    means = (
        means_of
        or (lambda t: {"v1_baseline": t, "v1_6_rolling": np.full(n, 5.0), "v2_workload_rate": t * 1.3})
    )(truth)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "system_id": system,
                    "game_id": [f"G{day:%m%d}{i}" for i in range(n)],
                    "pitcher_id": [f"P{i}" for i in range(n)],
                    "game_date": day,
                    "strikeout_pmf": to_json(poisson_pmf(mean)),
                    "strikeouts_line": line,
                    "p_system": np.nan,
                    "p_market": 0.5,
                    "actual_strikeouts": actual,
                }
            )
            for system, mean in means.items()
        ],
        ignore_index=True,
    )


def history_cards(settings, through: date, history: pd.DataFrame) -> tuple[dict, dict, dict]:  # type: ignore[no-untyped-def]
    """What versions trained through ``through`` learn from ``history``: ensemble_v2's stacking weights,
    v1_baseline's calibration curve and market blend."""
    from python_models.dbt.project import systems
    from python_models.training.model_store import ModelCard
    from python_models.training.trainer import combination_card, fit_history_models

    stacked = combination_card(settings, systems()["ensemble_v2"], through, [], history)
    component = ModelCard("v1_baseline_x", "v1_baseline", None, [], str(through), [], 0, {}, {})
    fit_history_models(settings, [component], through, history)
    return stacked.params["weights"], component.calibration, component.market_blend


def test_history_models_learn_weights_and_a_curve_from_earlier_graded_predictions(settings) -> None:
    """Fed a graded history (each component's stored distribution, the line, the book's price, the
    outcome), the stacked card learns non-equal weights favouring the component the outcomes came from,
    and each card records a beta calibration fitted on its OWN raw P(over) only (none for a system
    without graded predictions of its own)."""
    from python_models.dbt.project import systems
    from python_models.predictors.calibration import Calibrator
    from python_models.training.model_store import ModelCard
    from python_models.training.trainer import combination_card, fit_history_models

    n = 2500
    history = _graded_history(7, n, date(2026, 4, 1))
    through = date(2026, 4, 30)
    card = combination_card(settings, systems()["ensemble_v2"], through, [], history)
    weights = card.params["weights"]
    assert card.params["weights_rows"] == n
    assert weights["v1_baseline"] == max(weights.values()) and weights["v1_baseline"] > 0.6
    component = ModelCard("v1_baseline_x", "v1_baseline", None, [], str(through), [], 0, {}, {})
    fit_history_models(settings, [component, card], through, history)
    assert component.calibration["rows"] > 2000 and component.calibration["method"] == "beta"
    assert not Calibrator.from_dict(component.calibration).is_identity
    assert Calibrator.from_dict(card.calibration) == Calibrator(), (
        "ensemble_v2 has no graded predictions of its own yet"
    )


def test_history_models_ignore_graded_predictions_after_their_cut_off(settings) -> None:
    """Walk-forward: a version trained through T learns its weights, its calibration curve and its market
    blend from games on or before T only. Graded rows dated after T (here a month of predictions where
    another component was right and the overs lost) change nothing in its cards."""
    import numpy as np

    through = date(2026, 4, 30)
    past = _graded_history(7, 2500, date(2026, 4, 1))
    future = _graded_history(
        8,
        2500,
        date(2026, 5, 15),
        lambda t: {"v1_baseline": t * 0.6, "v1_6_rolling": t, "v2_workload_rate": np.full(len(t), 9.0)},
    )
    future["actual_strikeouts"] = 0  # every over lost

    def cards(history: pd.DataFrame) -> tuple[dict, dict, dict]:
        return history_cards(settings, through, history)

    learned = cards(past)
    assert cards(pd.concat([past, future], ignore_index=True)) == learned
    assert learned[1]["rows"] == 2500 and learned[2]["rows"] == 2500, "both were fitted, not skipped"
    assert cards(future.assign(game_date=date(2026, 4, 15)))[1] != learned[1], (
        "the same rows dated before the cut-off do change the calibration: the window is what kept them out"
    )


def test_the_scorer_reads_the_line_capture_rule_dbt_defines(env) -> None:
    """The capture rule is dbt's (int_line_captures, macro lines_before_first_pitch), the store only applies
    the morning cut-off: a game that began before the cut-off keeps only the captures before its first pitch,
    and a capture the dbt relation leaves out is never seen."""
    from datetime import datetime, time

    from python_models.features.store import FeatureStore

    settings, wh = env
    store = FeatureStore(wh)
    cutoff = datetime.combine(DAY, time(settings.line_cutoff_hour_utc))
    seen = store.line_captures([cutoff])
    pitcher = seen.sort_values(["captured_at", "pitcher_id"])["pitcher_id"].iloc[-1]
    latest = pd.Timestamp(seen.loc[seen["pitcher_id"] == pitcher, "captured_at"].max()).to_pydatetime()
    wh.execute(  # an early game: first pitch at that capture, before the morning cut-off
        f"update {store.features} set first_pitch_at = @t where pitcher_id = @p and game_date = @d",
        {"t": latest, "p": pitcher, "d": DAY},
    )
    after = store.line_captures([cutoff])
    assert (after.loc[after["pitcher_id"] == pitcher, "captured_at"] < latest).all()
    assert len(after[after["pitcher_id"] != pitcher]) == len(seen[seen["pitcher_id"] != pitcher])
    empty = wh.relation("scoring", "no_line_captures")
    wh.execute(f"create table {empty} as select * from {store.line_captures_rel} where false")
    wh.execute(f"create or replace view {store.line_captures_rel} as select * from {empty}")
    assert store.line_captures([cutoff]).empty
