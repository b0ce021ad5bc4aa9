"""The `ensemble` kind (the seed system): a weighted blend of the component systems' means with an
agreement bonus or penalty.

The weights are the system's `weights` in dbt_project.yml's `vars.systems` (one per component), normalised
over the components that produced a prediction for the pitcher: the original summed them to 0.8 without
normalising and so shrank every prediction by 20%. If one component failed, the blend is the other one,
flagged as a fallback.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from python_models.predictors.base import Combination, CombinedPredictor, Prediction, register

if TYPE_CHECKING:
    from python_models.config import Settings
    from python_models.training.model_store import ModelCard


def agreement_factor(spread: np.ndarray, settings: Settings) -> np.ndarray:
    """×(1+bonus) when components agree within the strong threshold, ×(1-penalty) beyond the disagree
    threshold, ×1 in between or with a single component (spread NaN)."""
    spread = np.asarray(spread, dtype=float)
    factor = np.ones_like(spread)
    factor = np.where(spread < settings.agreement_strong_k, 1.0 + settings.agreement_bonus, factor)
    factor = np.where(spread > settings.agreement_disagree_k, 1.0 - settings.disagreement_penalty, factor)
    return np.where(np.isnan(spread), 1.0, factor)


def blend(components: pd.DataFrame, settings: Settings, weights: dict[str, float]) -> pd.DataFrame:
    """Blend component predictions.

    ``components``: one row per pitcher (index: row key) with a column per component system holding its
    predicted strikeouts (NaN where that system produced nothing); ``weights``: each component's weight.
    Returns predicted_strikeouts, spread, n_components, components_used (list), agreement_factor.
    """
    cols = [c for c in weights if c in components.columns]
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


@register("ensemble")
class Ensemble(CombinedPredictor):
    requires_version = False
    alerts_on_fallback = True

    @classmethod
    def check(cls, system_id: str, entry: dict[str, Any]) -> None:
        where = f"dbt_project.yml vars.systems.{system_id}.weights"
        weights = entry.get("weights") or {}
        missing = [c for c in entry.get("components", []) if c not in weights]
        if missing:
            raise ValueError(f"{where}: give each component a weight (missing: {missing})")
        bad = [c for c, w in weights.items() if not isinstance(w, int | float) or not 0 <= w <= 1]
        if bad:
            raise ValueError(f"{where}: weights must be numbers in [0, 1] (not: {bad})")
        # normalised over the components that predicted: with every weight 0 there is nothing to normalise
        if sum(weights.values()) <= 0:
            raise ValueError(f"{where}: every weight is 0; give at least one component a weight above 0")

    @property
    def weights(self) -> dict[str, float]:
        return {c: float(self.spec.params["weights"][c]) for c in self.spec.components}

    def fit(
        self, settings: Settings, through: date, components: list[ModelCard], history: pd.DataFrame
    ) -> Combination:
        return Combination(
            {
                "weights": self.weights,
                "agreement_strong_k": settings.agreement_strong_k,
                "agreement_disagree_k": settings.agreement_disagree_k,
            },
            max((c.training_rows for c in components), default=0),
            "weights are normalised over the components that produced a prediction",
        )

    def predict(
        self, parts: dict[str, Prediction], learned: dict[str, float], settings: Settings
    ) -> Prediction:
        comps = pd.DataFrame({s: p.mean for s, p in parts.items()})
        blended = blend(comps, settings, self.weights)
        return Prediction(
            blended["predicted_strikeouts"].to_numpy(),
            agreement_factor=blended["agreement_factor"].to_numpy(),
            components_used=list(blended["components_used"]),
        )
