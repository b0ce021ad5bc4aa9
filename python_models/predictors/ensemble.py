"""ensemble_v1: a weighted blend of the component systems with an agreement bonus or penalty.

Weights (MLB_ENSEMBLE_V1_WEIGHT=0.3, MLB_ENSEMBLE_V1_6_WEIGHT=0.5) are normalised over the components that
produced a prediction for the pitcher: the original summed them to 0.8 without normalising and so shrank
every prediction by 20%. If one component failed, the blend is the other one, flagged as a fallback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from python_models.config import Settings
from python_models.dbt.project import ensemble

#: The ensemble is specified over v1_baseline and v1_6_rolling; their weights are the original settings.
WEIGHT_SETTINGS = {"v1_baseline": "ensemble_v1_weight", "v1_6_rolling": "ensemble_v1_6_weight"}


def component_weights(settings: Settings) -> dict[str, float]:
    """Each component's weight (MLB_ENSEMBLE_V1_WEIGHT, MLB_ENSEMBLE_V1_6_WEIGHT)."""
    components = ensemble().components
    unknown = [c for c in components if c not in WEIGHT_SETTINGS]
    if unknown:
        raise ValueError(
            f"ensemble components {unknown} have no weight setting (known: {list(WEIGHT_SETTINGS)})"
        )
    return {c: float(getattr(settings, WEIGHT_SETTINGS[c])) for c in components}


def agreement_factor(spread: np.ndarray, settings: Settings) -> np.ndarray:
    """×(1+bonus) when components agree within the strong threshold, ×(1-penalty) beyond the disagree
    threshold, ×1 in between or with a single component (spread NaN)."""
    spread = np.asarray(spread, dtype=float)
    factor = np.ones_like(spread)
    factor = np.where(spread < settings.agreement_strong_k, 1.0 + settings.agreement_bonus, factor)
    factor = np.where(spread > settings.agreement_disagree_k, 1.0 - settings.disagreement_penalty, factor)
    return np.where(np.isnan(spread), 1.0, factor)


def blend(components: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Blend component predictions.

    ``components``: one row per pitcher (index: row key) with a column per component system holding its
    predicted strikeouts (NaN where that system produced nothing). Returns predicted_strikeouts, spread,
    n_components, components_used (list), agreement_factor.
    """
    weights = component_weights(settings)
    cols = [c for c in ensemble().components if c in components.columns]
    values = components[cols].to_numpy(dtype=float)
    w = np.array([weights[c] for c in cols], dtype=float)
    present = ~np.isnan(values)
    w_present = present * w
    total = w_present.sum(axis=1)
    blended = np.where(total > 0, np.nansum(values * w, axis=1) / np.where(total > 0, total, 1.0), np.nan)
    n = present.sum(axis=1)
    spread = np.where(
        n >= 2, np.nanmax(values, axis=1, initial=-np.inf) - np.nanmin(values, axis=1, initial=np.inf), np.nan
    )
    used = [[c for c, ok in zip(cols, row, strict=True) if ok] for row in present]
    return pd.DataFrame(
        {
            "predicted_strikeouts": blended,
            "spread": spread,
            "n_components": n,
            "components_used": used,
            "agreement_factor": agreement_factor(spread, settings),
        },
        index=components.index,
    )
