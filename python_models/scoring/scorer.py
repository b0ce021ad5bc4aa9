"""Score a slate: read → validate → predict (each system behind its circuit) → validate → ONE MERGE.

A job reads like its steps, one log line each:
1. read the slate's features (ONE query), the lines, the injured list (cached, retried);
2. flag rows (no line, rejected line, injured, low coverage) — bad inputs become flags, not crashes;
3. predict with every active model system behind its circuit breaker; a failure degrades that system only;
4. combine the combined systems over the components that produced a prediction;
5. validate the output (no NaN, probabilities in range and summing to 1);
6. write the batch through the warehouse's staging table + one MERGE into scoring.predictions_landing.
Re-scoring a date replaces rows with the same prediction_id; identical content changes nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from datetime import time as clock_time

import numpy as np
import pandas as pd

from python_models.config import Settings
from python_models.dbt.project import SystemSpec, feature_sets, model_systems, systems, var, with_components
from python_models.features.store import ID_COLUMNS, FeatureStore
from python_models.predictors.base import CombinedPredictor, Prediction, predictor_class
from python_models.predictors.decision import decide
from python_models.predictors.distribution import poisson_pmf
from python_models.predictors.markets import consensus_lines, line_problems
from python_models.scoring.circuit import CircuitBreaker, FallbackMonitor
from python_models.scoring.il_cache import InjuredListCache
from python_models.scoring.model_versions import ModelResolver, ResolvedModel
from python_models.scoring.output import ScoreReport, finalise, validated
from python_models.training.model_store import ModelLoadError
from python_models.training.trainer import xgb_threads
from python_models.warehouse.base import Warehouse, new_batch_id
from python_models.warehouse.tables import PREDICTIONS_LANDING

log = logging.getLogger(__name__)

MAX_PREDICTION = float(var("prediction_range")[1])  # dbt_project.yml: dbt quarantines beyond it too
LINE_COLUMNS = ("bookmaker", "strikeouts_line", "over_odds", "under_odds", "line_captured_at", "books_seen")


class ScoringError(RuntimeError):
    """Nothing could be scored; the message says which system failed and why."""


class UnknownPitcherError(ValueError):
    """A requested pitcher is not a probable starter on the date."""


class Scorer:
    """Scores dates against the warehouse. Breakers and the IL cache live as long as the Scorer, so a
    backfill carries a system's failures from one date to the next."""

    def __init__(
        self,
        wh: Warehouse,
        settings: Settings,
        *,
        il_cache: InjuredListCache | None = None,
        breakers: dict[str, CircuitBreaker] | None = None,
        coverage_per_date: bool = True,
    ) -> None:
        """``coverage_per_date=False`` (a backfill) logs each date's low-coverage lines at DEBUG only: the
        caller sums them up in one line per run from `ScoreReport.low_coverage`."""
        self.wh = wh
        self.settings = settings
        self.coverage_per_date = coverage_per_date
        self.store = FeatureStore(wh)
        self.il_cache = il_cache or InjuredListCache(
            self.store.injured, ttl_hours=settings.il_cache_ttl_hours
        )
        self.breakers = breakers or {
            s: CircuitBreaker(s, threshold=settings.model_load_failure_threshold) for s in model_systems()
        }
        self.models = ModelResolver(wh, settings)
        self.fallbacks = FallbackMonitor(settings.fallback_rate_threshold, settings.fallback_window_minutes)

    def resolve_models(self, day: date) -> dict[str, ResolvedModel]:
        """Newest registered version of each system trained strictly before ``day`` (scoring/model_versions.py)."""
        return self.models.resolve(day)

    # --- the job --------------------------------------------------------------------------------------
    def score(self, day: date, *, pitchers: list[str] | None = None, write: bool = True) -> ScoreReport:
        with xgb_threads(self.settings):  # KZONE_THREADS, not a thread per core
            return self._score([day], self.resolve_models(day), pitchers=pitchers, write=write)

    def score_dates(self, days: list[date]) -> list[tuple[list[date], ScoreReport | ScoringError]]:
        """Score several dates (a backfill's model-month) in as few batches as the models allow: the dates
        that resolve to the same model versions (`resolve_models`, each date's newest version trained
        strictly before it) are read in ONE feature query and written in ONE merge. The rows are those
        `score` writes date by date. Returns each batch's dates with its report, or the `ScoringError`
        that stopped it (every date of that batch failed for the same reason)."""
        groups: list[tuple[list[date], dict[str, ResolvedModel]]] = []
        previous: dict[str, str] | None = None
        for day in sorted(days):
            models = self.resolve_models(day)
            versions = {s: m.model_version for s, m in models.items()}
            if versions == previous:
                groups[-1][0].append(day)
            else:
                groups.append(([day], models))
            previous = versions
        results: list[tuple[list[date], ScoreReport | ScoringError]] = []
        with xgb_threads(self.settings):
            for group, models in groups:
                try:
                    results.append((group, self._score(group, models, pitchers=None, write=True)))
                except ScoringError as exc:
                    results.append((group, exc))
        return results

    def _score(
        self,
        days: list[date],
        models: dict[str, ResolvedModel],
        *,
        pitchers: list[str] | None,
        write: bool,
    ) -> ScoreReport:
        settings = self.settings
        day = days[0]
        span = f"{day}" if len(days) == 1 else f"{day} → {days[-1]} ({len(days)} dates)"
        report = ScoreReport(day, new_batch_id("score"), last_date=days[-1])
        queries_before = self.wh.query_count

        slate = self.store.slate(days)
        log.debug("read slate %s: %d probable starters (one query)", span, len(slate))
        if pitchers:
            known = set(slate["pitcher_id"]) | set(slate["pitcher_lookup"])
            unknown = [p for p in pitchers if p not in known]
            if unknown:
                raise UnknownPitcherError(f"not probable starters on {day}: {unknown}; nothing was scored")
            slate = slate[slate["pitcher_id"].isin(pitchers) | slate["pitcher_lookup"].isin(pitchers)]
        report.slate_size = len(slate)
        if slate.empty:
            log.warning("no probable starters on %s: nothing to score", day)
            return report

        frame = self._attach_lines_and_flags(days, slate)
        preds, clipped = self._predict_components(day, models, frame, report)
        outputs = [
            self._component_rows(frame, s, preds[s], clipped[s], models[s])
            for s in preds
            if s in settings.active_systems
        ]
        for spec in systems().values():
            if spec.system_id in settings.active_systems and predictor_class(spec.kind).combines:
                outputs.append(self._combined_rows(frame, spec, preds, clipped, models, report))
        outputs = [  # validated date by date: a bad date never rejects the other dates' rows
            validated(part, report, self.breakers)
            for o in outputs
            if o is not None
            for _, part in (o.groupby("game_date", sort=False) if len(days) > 1 else [(day, o)])
        ]
        outputs = [o for o in outputs if o is not None and not o.empty]
        written = {d for o in outputs for d in pd.to_datetime(o["game_date"]).dt.date}
        report.dates_rejected = sorted(set(pd.to_datetime(slate["game_date"]).dt.date) - written)
        if not outputs:
            report.queries = self.wh.query_count - queries_before
            raise ScoringError(
                f"nothing could be scored for {span}: "
                + "; ".join(f"{s}: {why}" for s, why in report.failures.items())
            )
        batch = finalise(
            pd.concat(outputs, ignore_index=True),
            report,
            self.settings,
            coverage_per_date=self.coverage_per_date,
        )
        if write:
            result = self.wh.merge_batch(
                PREDICTIONS_LANDING.layer,
                PREDICTIONS_LANDING.name,
                batch,
                PREDICTIONS_LANDING.columns,
                PREDICTIONS_LANDING.key,
                batch_id=report.batch_id,
            )
            report.rows_written, report.rows_changed = result.rows_inserted, result.rows_updated
        report.queries = self.wh.query_count - queries_before
        self._log_summary(report)
        return report

    def _attach_lines_and_flags(self, days: list[date], slate: pd.DataFrame) -> pd.DataFrame:
        cutoff = clock_time(self.settings.line_cutoff_hour_utc)
        captures = self.store.line_captures([datetime.combine(d, cutoff) for d in days])
        lines = pd.concat(  # each date's consensus line per pitcher (the rule is per date)
            [
                consensus_lines(captures[captures["game_date"] == d], self.settings.preferred_books).assign(
                    game_date=d
                )
                for d in days
            ],
            ignore_index=True,
        )
        frame = slate.assign(scored_day=pd.to_datetime(slate["game_date"]).dt.date).merge(
            lines.rename(columns={"game_date": "scored_day"}), on=["scored_day", "pitcher_id"], how="left"
        )
        frame["strikeouts_line"] = frame["strikeouts_line"].astype(float)
        frame["books_disagree"] = frame["books_disagree"].astype("boolean").fillna(False).astype(bool)
        injured = {d: self.il_cache.get(d) for d in days}
        flags: list[list[str]] = []
        for row in frame.itertuples():
            row_flags = []
            problems = line_problems(_num(row.strikeouts_line), _num(row.over_odds), _num(row.under_odds))
            row_flags.extend(problems)
            if row.pitcher_id in injured[row.scored_day]:
                row_flags.append("on_injured_list")
            if row.books_disagree:
                row_flags.append(f"books_disagree:{row.line_spread:g}")
            flags.append(row_flags)
        frame["red_flags"] = flags
        rejected = frame["red_flags"].map(lambda f: any(x.startswith("absurd_") for x in f))
        if rejected.any():
            log.warning(
                "rejected %d absurd line(s); those pitchers are scored without a line", int(rejected.sum())
            )
            frame.loc[rejected, ["strikeouts_line", "over_odds", "under_odds"]] = np.nan
        log.debug(
            "lines for %d/%d pitchers; %d on the injured list",
            int(frame["strikeouts_line"].notna().sum()),
            len(frame),
            sum("on_injured_list" in f for f in flags),
        )
        return frame.drop(columns="scored_day")

    def _predict_components(
        self, day: date, models: dict[str, ResolvedModel], frame: pd.DataFrame, report: ScoreReport
    ) -> tuple[dict[str, Prediction], dict[str, np.ndarray]]:
        """Each model system's prediction (its mean clipped to [0, MAX_PREDICTION], its distribution) with
        the resolved ``models`` (those of ``day``, the first date scored), and the mask of the values it had
        to clip (flagged and counted, never silent). Each system runs behind its own circuit breaker: a
        failure degrades that system only."""
        wanted = with_components(self.settings.active_systems)
        needed = [s for s in model_systems() if s in wanted]
        preds: dict[str, Prediction] = {}
        clipped: dict[str, np.ndarray] = {}
        for system_id in needed:
            breaker = self.breakers[system_id]
            if not breaker.allow():
                report.failures[system_id] = f"circuit open ({breaker.last_error})"
                log.error("%s skipped: circuit open (%s)", system_id, breaker.last_error)
                continue
            model = models.get(system_id)
            if model is None:
                report.failures[system_id] = f"no model registered with training data before {day}"
                log.error("%s: %s", system_id, report.failures[system_id])
                continue
            try:
                predicted = self.models.load(model).predict(frame)
                values, pmf = predicted.mean, predicted.pmf
                if not np.all(np.isfinite(values)) or (pmf is not None and not np.all(np.isfinite(pmf))):
                    raise ValueError("model returned non-finite predictions")
            except ModelLoadError as exc:
                breaker.record_failure(str(exc), fatal=True)
                report.failures[system_id] = str(exc)
                log.error("%s failed to load its model: %s", system_id, exc)
                continue
            except Exception as exc:
                breaker.record_failure(f"{type(exc).__name__}: {exc}")
                report.failures[system_id] = f"scoring error: {type(exc).__name__}: {exc}"
                log.error("%s failed while scoring: %s", system_id, exc)
                continue
            breaker.record_success()
            outside = (values < 0.0) | (values > MAX_PREDICTION)
            if outside.any():
                report.clipped[system_id] = int(outside.sum())
                log.warning(
                    "%s: %d prediction(s) outside [0, %g] clipped and flagged clipped_prediction: %s",
                    system_id,
                    int(outside.sum()),
                    MAX_PREDICTION,
                    ", ".join(f"{v:.2f}" for v in values[outside][:5]),
                )
            mean = np.clip(values, 0.0, MAX_PREDICTION)
            preds[system_id] = Prediction(mean, pmf if pmf is not None else poisson_pmf(mean))
            clipped[system_id] = outside
            log.debug("predicted %d starters with %s (%s)", len(values), system_id, model.model_version)
        return preds, clipped

    def _base(self, frame: pd.DataFrame, system_id: str, model_version: str) -> pd.DataFrame:
        out = frame[[*ID_COLUMNS, *LINE_COLUMNS]].copy()
        out["system_id"] = system_id
        out["model_version"] = model_version
        out["red_flags"] = [list(f) for f in frame["red_flags"]]
        return out

    def _flag_coverage(self, out: pd.DataFrame, frame: pd.DataFrame, features: list[str]) -> None:
        threshold = self.settings.low_coverage_threshold
        low = out["feature_coverage_pct"].fillna(0) < threshold
        for idx in out.index[low]:
            out.at[idx, "red_flags"] = [*out.at[idx, "red_flags"], "low_coverage"]
            missing = [f for f in features if pd.isna(frame.at[idx, f])]
            log.debug(
                "low coverage %.0f%% for %s (%s): missing %s",
                out.at[idx, "feature_coverage_pct"],
                out.at[idx, "pitcher_lookup"],
                out.at[idx, "system_id"],
                ", ".join(missing) or "-",
            )

    def _component_rows(
        self,
        frame: pd.DataFrame,
        system_id: str,
        prediction: Prediction,
        clipped: np.ndarray,
        model: ResolvedModel,
    ) -> pd.DataFrame:
        out = self._base(frame, system_id, model.model_version)
        out["predicted_strikeouts"] = prediction.mean
        _flag_clipped(out, clipped)
        feature_set = systems()[system_id].feature_set or ""
        out["feature_coverage_pct"] = frame[f"{feature_set}_coverage_pct"].astype(float).to_numpy()
        out["component_systems"] = None
        self._flag_coverage(out, frame, feature_sets()[feature_set])
        return decide(out, self.settings, blend=model.blend, pmf=prediction.pmf, calibrator=model.calibrator)

    def _combined_rows(
        self,
        frame: pd.DataFrame,
        spec: SystemSpec,
        preds: dict[str, Prediction],
        clipped: dict[str, np.ndarray],
        models: dict[str, ResolvedModel],
        report: ScoreReport,
    ) -> pd.DataFrame | None:
        """A combined system (its kind's class combines the components that predicted), with its
        registered version's learned weights, market blend and calibration curve."""
        predictor = predictor_class(spec.kind)(spec)
        assert isinstance(predictor, CombinedPredictor)
        parts = [s for s in spec.components if s in preds]
        model = models.get(spec.system_id)
        if not parts or (model is None and predictor.requires_version):
            why = "no component produced predictions" if not parts else "no version registered"
            report.failures[spec.system_id] = why
            log.error("%s: %s", spec.system_id, why)
            return None
        model = model or ResolvedModel(spec.system_id, f"{spec.system_id}_unregistered", None, None)
        combined = predictor.predict({s: preds[s] for s in parts}, model.weights, self.settings)
        out = self._base(frame, spec.system_id, model.model_version)
        out["predicted_strikeouts"] = combined.mean
        _flag_clipped(out, np.logical_or.reduce([clipped[s] for s in parts]))  # combined a clipped value
        out["feature_coverage_pct"] = _combined_coverage(frame, parts)
        used = combined.components_used
        out["component_systems"] = [json.dumps(c) for c in used] if used is not None else json.dumps(parts)
        missing = [s for s in spec.components if s not in parts]
        if predictor.alerts_on_fallback:
            self.fallbacks.record(len(frame), len(frame) if missing else 0)
        if missing:
            log.warning("%s falls back to %s (missing: %s)", spec.system_id, parts, missing)
            out["red_flags"] = [[*f, *(f"ensemble_fallback:{m}" for m in missing)] for f in out["red_flags"]]
        self._flag_coverage(out, frame, _used_features(parts))
        return decide(
            out,
            self.settings,
            agreement_factor=combined.agreement_factor,
            blend=model.blend,
            pmf=combined.pmf,
            calibrator=model.calibrator,
        )

    @staticmethod
    def _log_summary(report: ScoreReport) -> None:
        log.info(
            "scored %s: %s; picks %s; written %d new, %d changed%s",
            report.game_date
            if report.last_date in (None, report.game_date)
            else f"{report.game_date} → {report.last_date}",
            report.per_system,
            report.picks,
            report.rows_written,
            report.rows_changed,
            f"; FAILED: {report.failures}" if report.failures else "",
        )


def _combined_coverage(frame: pd.DataFrame, parts: list[str] | dict) -> np.ndarray:
    """A combined system's feature coverage: its least-covered component's, per row (NaN counts as 0)."""
    coverage = np.column_stack(
        [frame[f"{systems()[s].feature_set}_coverage_pct"].astype(float).to_numpy() for s in parts]
    )
    return np.nanmin(np.where(np.isnan(coverage), 0.0, coverage), axis=1)


def _used_features(parts: list[str] | dict) -> list[str]:
    """Every feature a combined system's components read."""
    return sorted({f for s in parts for f in feature_sets()[systems()[s].feature_set or ""]})


def _flag_clipped(out: pd.DataFrame, clipped: np.ndarray) -> None:
    """Add the `clipped_prediction` red flag to the rows whose prediction had to be clipped."""
    out["red_flags"] = [
        [*flags, "clipped_prediction"] if hit else flags
        for flags, hit in zip(out["red_flags"], clipped, strict=True)
    ]


def _num(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f
