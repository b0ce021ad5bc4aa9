"""Read the dbt project's vars: the one place the feature sets and thresholds are listed."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from python_models.config import PROJECT_ROOT


@lru_cache(maxsize=1)
def dbt_vars() -> dict[str, Any]:
    with open(PROJECT_ROOT / "dbt_project.yml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh)["vars"])


def feature_sets() -> dict[str, list[str]]:
    """{'v1_baseline': [...], 'v1_6_rolling': [...]} exactly as dbt computes coverage over them."""
    return {name: list(cols) for name, cols in dbt_vars()["feature_sets"].items()}


def all_features() -> list[str]:
    """Union of every feature set, in first-seen order (the columns the slate query reads)."""
    seen: dict[str, None] = {}
    for cols in feature_sets().values():
        seen.update(dict.fromkeys(cols))
    return list(seen)
