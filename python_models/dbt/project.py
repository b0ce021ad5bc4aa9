"""The dbt project's vars, read once: the prediction systems, the feature sets and the thresholds dbt and
the runner share. dbt owns them (dbt_project.yml); every Python module reads them from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ENSEMBLE_KIND = "ensemble"
STACKED_KIND = "stacked"  # a linear pool of its components' distributions, weights learned walk-forward
#: The keys of a `vars.systems` entry every kind reads; the rest are the kind's own parameters.
SPEC_KEYS = ("kind", "version_tag", "feature_set", "components")
#: Vars given for this process, as dbt's --vars gives them (see override_vars).
_overrides: dict[str, Any] = {}


@lru_cache(maxsize=1)
def dbt_vars() -> dict[str, Any]:
    with open(PROJECT_ROOT / "dbt_project.yml", encoding="utf-8") as fh:
        return {**yaml.safe_load(fh)["vars"], **_overrides}


def override_vars(values: dict[str, Any]) -> None:
    """Replace vars for this process (empty: none), as `dbt --vars` replaces them: every Python reader
    and every dbt invocation of the runner (python_models.jobs.dbt_ops passes var_overrides()) see them."""
    _overrides.clear()
    _overrides.update(values)
    dbt_vars.cache_clear()
    systems.cache_clear()


def var_overrides() -> dict[str, Any]:
    return dict(_overrides)


def var(name: str) -> Any:
    """One of dbt_project.yml's vars (the default of a setting dbt and the runner share)."""
    return dbt_vars()[name]


@dataclass(frozen=True)
class SystemSpec:
    """A prediction system as dbt_project.yml's `vars.systems` defines it."""

    system_id: str
    kind: str  # a kind registered in python_models.predictors (predictors/base.py)
    version_tag: str
    feature_set: str | None = None
    components: tuple[str, ...] = ()
    #: The kind's own parameters (e.g. an ensemble's weights): the entry's other keys.
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_ensemble(self) -> bool:
        return self.kind == ENSEMBLE_KIND

    @property
    def is_stacked(self) -> bool:
        return self.kind == STACKED_KIND

    @property
    def is_model(self) -> bool:
        """A system with a trained model file (not a combination of other systems)."""
        from python_models.predictors.base import predictor_class

        return not predictor_class(self.kind).combines


@lru_cache(maxsize=1)
def systems() -> dict[str, SystemSpec]:
    """Every system, in the order dbt lists them; checked so a typo fails at start-up, not at scoring."""
    from python_models.predictors.base import predictor_class

    specs: dict[str, SystemSpec] = {}
    for system_id, spec in dbt_vars()["systems"].items():
        try:
            predictor_class(spec["kind"]).check(system_id, spec)
        except ValueError as exc:
            where = f"dbt_project.yml vars.systems.{system_id}"
            raise ValueError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
        specs[system_id] = SystemSpec(
            system_id,
            spec["kind"],
            spec.get("version_tag", system_id),
            spec.get("feature_set"),
            tuple(spec.get("components", ())),
            {k: v for k, v in spec.items() if k not in SPEC_KEYS},
        )
    for spec in specs.values():
        unknown = [c for c in spec.components if c not in specs or not specs[c].is_model]
        if unknown:
            raise ValueError(f"dbt_project.yml vars.systems.{spec.system_id}: unknown components {unknown}")
    return specs


def system_ids() -> tuple[str, ...]:
    """Every system id, in the order dbt lists them: read without importing the predictors (the settings
    read these at start-up), which ``systems()`` checks entry by entry."""
    return tuple(dbt_vars()["systems"])


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
    """{feature set: [column, ...]} exactly as dbt computes coverage over them."""
    return {name: list(cols) for name, cols in dbt_vars()["feature_sets"].items()}


def all_features() -> list[str]:
    """Union of every feature set, in first-seen order (the columns the slate query reads)."""
    seen: dict[str, None] = {}
    for cols in feature_sets().values():
        seen.update(dict.fromkeys(cols))
    return list(seen)


def in_training_order(requested: tuple[str, ...] | list[str]) -> list[str]:
    """``requested`` and every component they combine, each system after its components (by
    `components` in the vars)."""
    specs = systems()
    out: list[str] = []

    def visit(system_id: str) -> None:
        if system_id in out or system_id not in specs:
            return
        for component in specs[system_id].components:
            visit(component)
        out.append(system_id)

    for system_id in requested:
        visit(system_id)
    return out


def with_components(requested: tuple[str, ...] | list[str]) -> list[str]:
    """``requested`` plus the components of every combined system (ensemble, stacked) in it, in order."""
    specs = systems()
    out = list(requested)
    for system_id in requested:
        spec = specs.get(system_id)
        if spec is not None:
            out += [c for c in spec.components if c not in out]
    return out
