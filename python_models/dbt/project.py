"""The dbt project's vars, read once: the prediction systems, the feature sets and the thresholds dbt and
the runner share. dbt owns them (dbt_project.yml); every Python module reads them from here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ENSEMBLE_KIND = "ensemble"
STACKED_KIND = "stacked"  # a linear pool of its components' distributions, weights learned walk-forward
MODEL_KINDS = ("xgboost_poisson", "workload_rate")  # systems the trainer fits (python_models/training)


@lru_cache(maxsize=1)
def dbt_vars() -> dict[str, Any]:
    with open(PROJECT_ROOT / "dbt_project.yml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh)["vars"])


def var(name: str) -> Any:
    """One of dbt_project.yml's vars (the default of a setting dbt and the runner share)."""
    return dbt_vars()[name]


@dataclass(frozen=True)
class SystemSpec:
    """A prediction system as dbt_project.yml's `vars.systems` defines it."""

    system_id: str
    kind: str  # xgboost_poisson | workload_rate | ensemble | stacked
    version_tag: str
    feature_set: str | None = None
    components: tuple[str, ...] = ()

    @property
    def is_ensemble(self) -> bool:
        return self.kind == ENSEMBLE_KIND

    @property
    def is_stacked(self) -> bool:
        return self.kind == STACKED_KIND

    @property
    def is_model(self) -> bool:
        """A system with a trained model file (not a combination of other systems)."""
        return self.kind in MODEL_KINDS


@lru_cache(maxsize=1)
def systems() -> dict[str, SystemSpec]:
    """Every system, in the order dbt lists them; checked so a typo fails at start-up, not at scoring."""
    specs: dict[str, SystemSpec] = {}
    sets = feature_sets()
    for system_id, spec in dbt_vars()["systems"].items():
        kind = spec["kind"]
        if kind not in (*MODEL_KINDS, ENSEMBLE_KIND, STACKED_KIND):
            raise ValueError(f"dbt_project.yml vars.systems.{system_id}: unknown kind {kind!r}")
        feature_set = spec.get("feature_set")
        if kind in MODEL_KINDS and feature_set not in sets:
            raise ValueError(
                f"dbt_project.yml vars.systems.{system_id}: feature_set {feature_set!r} not in feature_sets"
            )
        specs[system_id] = SystemSpec(
            system_id,
            kind,
            spec.get("version_tag", system_id),
            feature_set,
            tuple(spec.get("components", ())),
        )
    for spec in specs.values():
        unknown = [c for c in spec.components if c not in specs or not specs[c].is_model]
        if unknown:
            raise ValueError(f"dbt_project.yml vars.systems.{spec.system_id}: unknown components {unknown}")
    return specs


def system_ids() -> tuple[str, ...]:
    return tuple(systems())


def model_systems() -> tuple[str, ...]:
    """The systems with a trained model (every system but the ensembles)."""
    return tuple(s for s, spec in systems().items() if spec.is_model)


def stacked_systems() -> tuple[SystemSpec, ...]:
    """The stacked ensembles (kind `stacked`): weights learned walk-forward over their components."""
    return tuple(spec for spec in systems().values() if spec.is_stacked)


def ensemble() -> SystemSpec:
    """The ensemble system (one per project)."""
    found = [spec for spec in systems().values() if spec.is_ensemble]
    if len(found) != 1:
        raise ValueError(f"dbt_project.yml vars.systems must hold exactly one ensemble, found {len(found)}")
    return found[0]


def feature_sets() -> dict[str, list[str]]:
    """{'v1_baseline': [...], 'v1_6_rolling': [...], ...} exactly as dbt computes coverage over them."""
    return {name: list(cols) for name, cols in dbt_vars()["feature_sets"].items()}


def all_features() -> list[str]:
    """Union of every feature set, in first-seen order (the columns the slate query reads)."""
    seen: dict[str, None] = {}
    for cols in feature_sets().values():
        seen.update(dict.fromkeys(cols))
    return list(seen)


def with_components(requested: tuple[str, ...] | list[str]) -> list[str]:
    """``requested`` plus the components of every combined system (ensemble, stacked) in it, in order."""
    specs = systems()
    out = list(requested)
    for system_id in requested:
        spec = specs.get(system_id)
        if spec is not None:
            out += [c for c in spec.components if c not in out]
    return out
