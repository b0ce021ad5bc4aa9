"""The backfill scores a model-month in one feature query and one merge, with the rows date-by-date scoring
writes (every deterministic column), and a re-run changes nothing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from python_models.features.store import FeatureStore
from python_models.jobs.backfill import backfill
from python_models.predictors.distribution import KS, mean_of
from python_models.scoring.scorer import Scorer
from python_models.warehouse.tables import PREDICTIONS_LANDING

# Two model-months, and two model versions: the August dates resolve to the version trained through
# 2026-04-30 (the newest registered before them), the September dates to the one through 2026-08-31.
DAYS = (date(2026, 8, 30), date(2026, 9, 2))
NOT_DETERMINISTIC = ["batch_id", "scored_at"]  # a new batch id and clock time on every write


def _landing(wh) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    rel = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
    return wh.query(f"select * from {rel} order by prediction_id").reset_index(drop=True)


def _clear_landing(wh) -> None:  # type: ignore[no-untyped-def]
    wh.execute(f"delete from {wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)}")


def test_a_backfill_writes_the_rows_date_by_date_scoring_writes_in_one_merge_per_model_month(
    env, monkeypatch
) -> None:
    settings, wh = env
    scorer = Scorer(wh, settings)
    days = scorer.store.slate_dates(*DAYS)
    assert len({(d.year, d.month) for d in days}) == 2 and len(days) >= 4
    for day in days:  # the date-by-date path: `kzone score` for each date
        scorer.score(day)
    per_date = _landing(wh)
    assert set(per_date["model_version"].str[-8:]) == {"20260430", "20260831"}
    _clear_landing(wh)

    merges: list[int] = []
    slates: list[int] = []
    real_merge, real_slate = type(wh).merge_batch, FeatureStore.slate

    def counting_merge(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        merges.append(len(args[2]))
        return real_merge(self, *args, **kwargs)

    def counting_slate(self, days):  # type: ignore[no-untyped-def]
        slates.append(1)
        return real_slate(self, days)

    monkeypatch.setattr(type(wh), "merge_batch", counting_merge)
    monkeypatch.setattr(FeatureStore, "slate", counting_slate)
    report = backfill(wh, settings, *DAYS, retrain="never")
    assert report.dates_scored == len(days) and not report.dates_failed
    assert len(merges) == len(slates) == 2  # one feature query and one merge per model-month, not per date
    batched = _landing(wh)
    assert sum(merges) == len(batched) == report.predictions == len(per_date)
    pd.testing.assert_frame_equal(  # to the last bit: the row hashes too
        batched.drop(columns=NOT_DETERMINISTIC), per_date.drop(columns=NOT_DETERMINISTIC), check_exact=True
    )
    assert {u.model_version[-8:]: u.dates for u in report.models_used if u.system_id == "v1_baseline"} == {
        "20260430": sum(d.month == 8 for d in days),
        "20260831": sum(d.month == 9 for d in days),
    }

    again = backfill(wh, settings, *DAYS, retrain="never", force=True)
    assert again.dates_scored == len(days) and again.predictions == 0  # rescored, nothing changed
    pd.testing.assert_frame_equal(_landing(wh), batched)  # batch ids and times included


def test_a_distributions_mean_does_not_depend_on_the_rows_scored_with_it() -> None:
    """A matrix product's blocking gave a pitcher's mean a different last bit in a month's batch than in his
    date's slate (12 of 1,850 rows of the demo): each row's mean must be its own."""
    pmf = np.random.default_rng(7).dirichlet(np.ones(len(KS)), size=400)
    together = mean_of(pmf)
    assert all(together[i] == mean_of(pmf[i : i + 1])[0] for i in range(len(pmf)))
    assert all(together[i] == mean_of(pmf[i : i + 30])[0] for i in range(len(pmf)))
    assert together == pytest.approx(pmf @ KS, rel=1e-12)  # the mean it always was


def test_what_a_version_learns_from_graded_history_does_not_depend_on_the_rows_order(settings) -> None:
    """The graded history comes from the landing table in whatever order the warehouse returns it, which
    follows how the rows were written (date by date, or a month per merge): the fitted weights, calibration
    curve and market blend differed in the last bits. A version's cards must depend on the rows only."""
    from .test_scoring import _graded_history, history_cards

    through = date(2026, 4, 30)
    history = pd.concat(
        [_graded_history(7, 600, date(2026, 4, 1)), _graded_history(8, 600, date(2026, 4, 20))],
        ignore_index=True,
    )

    def cards(frame: pd.DataFrame) -> tuple[dict, dict, dict]:
        return history_cards(settings, through, frame)

    learned = cards(history)
    for seed in (1, 2, 3):
        assert cards(history.sample(frac=1.0, random_state=seed).reset_index(drop=True)) == learned


def test_a_date_whose_every_output_is_rejected_fails_alone_and_its_batch_still_writes(
    env, monkeypatch
) -> None:
    """As when it is scored alone: the date is listed as failed with the reasons, not counted as scored, and
    the other dates of its model-month are written."""
    import python_models.scoring.scorer as scorer_module

    settings, wh = env
    days = Scorer(wh, settings).store.slate_dates(*DAYS)
    bad = days[1]
    real_validated = scorer_module.validated

    def rejecting(out, report, breakers):  # type: ignore[no-untyped-def]
        if set(pd.to_datetime(out["game_date"]).dt.date) == {bad}:
            report.failures[str(out["system_id"].iloc[0])] = "output validation failed: test"
            return None
        return real_validated(out, report, breakers)

    monkeypatch.setattr(scorer_module, "validated", rejecting)
    report = backfill(wh, settings, *DAYS, retrain="never")
    assert [day for day, _ in report.dates_failed] == [bad]
    assert "nothing could be scored" in report.dates_failed[0][1]
    assert report.dates_scored == len(days) - 1
    written = set(pd.to_datetime(_landing(wh)["game_date"]).dt.date)
    assert bad not in written and written == set(days) - {bad}
