"""Which model version scores a date, and the version's predictor and card: the registry's newest version of
each system trained strictly before the date; the card (calibration, market logistic, stacked weights) is
their one source, the registry's market columns being a copy for SQL. Cached per version for the life of
the resolver, so a backfill reads each card and model file once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from python_models.config import Settings
from python_models.dbt.project import systems
from python_models.predictors.base import ModelPredictor, predictor_class
from python_models.predictors.calibration import Calibrator
from python_models.predictors.market_blend import MarketBlend
from python_models.training.model_store import ModelLoadError, ModelStore
from python_models.warehouse.base import Warehouse
from python_models.warehouse.tables import MODEL_REGISTRY


@dataclass
class ResolvedModel:
    system_id: str
    model_version: str
    path: Path | None
    sha256: str | None
    blend: MarketBlend = field(default_factory=MarketBlend)
    calibrator: Calibrator = field(default_factory=Calibrator)
    weights: dict[str, float] = field(default_factory=dict)  # a stacked ensemble's learned weights


class ModelResolver:
    def __init__(self, wh: Warehouse, settings: Settings) -> None:
        self.wh = wh
        self.settings = settings
        self._cache: dict[str, object] = {}

    def resolve(self, day: date) -> dict[str, ResolvedModel]:
        """Newest registered version of each system trained strictly before ``day`` (one query)."""
        registry = self.wh.relation(MODEL_REGISTRY.layer, MODEL_REGISTRY.name)
        resolved: dict[str, ResolvedModel] = {}
        if self.wh.table_exists(MODEL_REGISTRY.layer, MODEL_REGISTRY.name):
            rows = self.wh.query(
                f"""
                select r.system_id, r.model_version, r.model_path, r.model_sha256
                from {registry} as r
                where r.trained_through < @game_date
                qualify row_number() over (partition by r.system_id order by r.trained_through desc) = 1
                """,
                {"game_date": day},
            )
            for r in rows.itertuples():
                path = Path(r.model_path) if isinstance(r.model_path, str) and r.model_path else None
                sha = r.model_sha256 if isinstance(r.model_sha256, str) else None
                resolved[r.system_id] = self._with_card(
                    ResolvedModel(r.system_id, r.model_version, path, sha)
                )
        return resolved

    def _with_card(self, model: ResolvedModel) -> ResolvedModel:
        """The version's calibration, market logistic and (stacked) weights from its model card. Without a
        card: identity calibration and the book's own price."""
        key = f"card:{model.model_version}"
        if key not in self._cache:
            self._cache[key] = ModelStore(self.settings.model_store).load_card(
                model.system_id, model.model_version
            )
        card = self._cache[key]
        if card is not None:
            model.calibrator = Calibrator.from_dict(card.calibration)  # type: ignore[attr-defined]
            if card.market_blend:  # type: ignore[attr-defined]
                model.blend = MarketBlend.from_dict(card.market_blend)  # type: ignore[attr-defined]
            model.weights = dict(card.params.get("weights", {}))  # type: ignore[attr-defined]
        return model

    def load(self, model: ResolvedModel) -> ModelPredictor:
        """The system's predictor (cached per version), loaded by its kind's class, sha256 checked."""
        key = f"{model.model_version}:{model.path}"
        if key not in self._cache:
            if model.path is None:
                raise ModelLoadError(f"{model.model_version} has no model file registered")
            spec = systems()[model.system_id]
            kind = predictor_class(spec.kind)
            assert issubclass(kind, ModelPredictor)
            self._cache[key] = ModelStore.load(model.path, model.sha256, lambda b: kind.from_bytes(spec, b))
        return self._cache[key]  # type: ignore[return-value]
