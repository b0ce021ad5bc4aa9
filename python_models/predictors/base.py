"""The Predictor interface and the registry of kinds.

A prediction system is an entry of dbt_project.yml's `vars.systems` (python_models/dbt/project.py reads it):
its `kind` names a class registered here with ``@register(kind)``, and the rest of the entry (feature_set,
components, weights, ...) is that class's parameters. Training and scoring ask the registry for the class
of a system's kind and never branch on the kind themselves. Two families:

- a ``ModelPredictor`` has its own model file: fitted on the feature store's training frame through a
  date, it predicts each starter's strikeout distribution from his features;
- a ``CombinedPredictor`` has none: it combines its components' predictions (fixed weights, or weights
  learned on their graded history and recorded in its model card).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from python_models.config import Settings
    from python_models.dbt.project import SystemSpec
    from python_models.training.model_store import ModelCard

#: The kinds this package ships, by module: imported on first use, so their ``@register`` runs.
BUILTIN_KINDS = {
    "xgboost_poisson": "python_models.predictors.xgboost_poisson",
    "workload_rate": "python_models.predictors.workload_rate",
    "ensemble": "python_models.predictors.ensemble",
    "stacked": "python_models.predictors.stacked",
}
_REGISTRY: dict[str, type[Predictor]] = {}


@dataclass
class Prediction:
    """One system's forecast for a slate: the predicted mean and the distribution P(K = k) per row."""

    mean: np.ndarray
    pmf: np.ndarray | None = None  # (n, K_MAX + 1); None: a Poisson around the mean
    agreement_factor: np.ndarray | None = None  # a combination's agreement bonus/penalty per row
    components_used: list[list[str]] | None = None  # per row; None: every component present


@dataclass
class Combination:
    """What a combined system records in its card when a version is trained: no model file."""

    params: dict[str, Any]
    training_rows: int
    notes: str


class Predictor:
    """One prediction system of a registered kind (a ModelPredictor or a CombinedPredictor)."""

    kind: ClassVar[str] = ""
    #: True: combines its components' predictions (no model file of its own).
    combines: ClassVar[bool] = False

    def __init__(self, spec: SystemSpec) -> None:
        self.spec = spec

    @classmethod
    def check(cls, system_id: str, entry: dict[str, Any]) -> None:
        """Raise ValueError naming ``vars.systems.<system_id>`` when the entry does not suit this kind."""
        del system_id, entry  # every entry suits a kind without parameters of its own


class ModelPredictor(Predictor, ABC):
    """A system with its own model file, fitted on the training frame through a date."""

    @classmethod
    def check(cls, system_id: str, entry: dict[str, Any]) -> None:
        from python_models.dbt.project import feature_sets

        if entry.get("feature_set") not in feature_sets():
            raise ValueError(
                f"dbt_project.yml vars.systems.{system_id}: feature_set {entry.get('feature_set')!r} "
                "not in feature_sets"
            )

    @classmethod
    @abstractmethod
    def fit(
        cls, spec: SystemSpec, frame: pd.DataFrame, weight: np.ndarray, holdout: pd.Series
    ) -> tuple[ModelPredictor, ModelPredictor]:
        """(the final model refit on every row, the model fitted without the ``holdout`` rows)."""

    @abstractmethod
    def predict(self, frame: pd.DataFrame) -> Prediction: ...

    @abstractmethod
    def card_params(self) -> dict[str, Any]:
        """The parameters the model card records."""

    @abstractmethod
    def to_bytes(self) -> bytes: ...

    @classmethod
    @abstractmethod
    def from_bytes(cls, spec: SystemSpec, data: bytes) -> ModelPredictor: ...


class CombinedPredictor(Predictor, ABC):
    """A system that combines its components' predictions."""

    combines = True
    #: False: scores before any version is registered (its parameters are all in the vars).
    requires_version: ClassVar[bool] = True
    #: True: its fallbacks to fewer components count towards the fallback-rate alert.
    alerts_on_fallback: ClassVar[bool] = False

    @abstractmethod
    def fit(
        self, settings: Settings, through: date, components: list[ModelCard], history: pd.DataFrame
    ) -> Combination:
        """The version's parameters, learned on the components' graded history on or before ``through``."""

    @abstractmethod
    def predict(
        self, parts: dict[str, Prediction], learned: dict[str, float], settings: Settings
    ) -> Prediction:
        """Combine the components that predicted (``learned``: the version's weights from its card)."""


def register(kind: str):
    """Class decorator: the class predicts the systems of ``kind``."""

    def decorate(cls: type[Predictor]) -> type[Predictor]:
        cls.kind = kind
        _REGISTRY[kind] = cls
        return cls

    return decorate


def predictor_class(kind: str) -> type[Predictor]:
    if kind not in _REGISTRY and kind in BUILTIN_KINDS:
        importlib.import_module(BUILTIN_KINDS[kind])
    if kind not in _REGISTRY:
        raise ValueError(f"unknown kind {kind!r} (registered: {sorted({*BUILTIN_KINDS, *_REGISTRY})})")
    return _REGISTRY[kind]


def predictor_for(spec: SystemSpec) -> Predictor:
    """A predictor of the system (a model predictor is loaded with ``from_bytes`` instead)."""
    return predictor_class(spec.kind)(spec)
