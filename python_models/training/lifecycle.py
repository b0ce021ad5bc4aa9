"""The models' lifecycle: when a model is (re)trained, which versions exist, and training what is missing.

Walk-forward, monthly: a date D in month M is scored by models trained through the last day of month M-1
(`retrain_point`), trained on first need and registered (`ensure_models`). The daily job, the backfill and
the benchmarks all go through here.
"""

from __future__ import annotations

from datetime import date, timedelta

from python_models.config import Settings
from python_models.dbt.project import with_components
from python_models.training.trainer import model_version, train_systems
from python_models.warehouse.base import Warehouse
from python_models.warehouse.tables import MODEL_REGISTRY


def retrain_point(day: date) -> date:
    """The training cut-off that scores ``day``: the last day of the previous month."""
    return day.replace(day=1) - timedelta(days=1)


def registered_versions(wh: Warehouse) -> set[str]:
    if not wh.table_exists(MODEL_REGISTRY.layer, MODEL_REGISTRY.name):
        return set()
    rel = wh.relation(MODEL_REGISTRY.layer, MODEL_REGISTRY.name)
    return set(wh.query(f"select model_version from {rel}")["model_version"])


def ensure_models(wh: Warehouse, settings: Settings, through: date, known: set[str]) -> list[str]:
    """Train and register the active systems' versions for ``through`` (and the ensembles' components)
    if they are not registered yet."""
    systems = with_components(settings.active_systems)
    wanted = {model_version(s, through) for s in systems}
    if wanted <= known:
        return []
    cards = train_systems(wh, settings, systems, through)
    versions = [c.model_version for c in cards]
    known.update(versions)
    return versions
