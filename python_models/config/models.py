"""Model settings: which systems run, where their models are stored, how they are trained, which are pinned."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from python_models.config.base import CommaSeparated, SettingsGroup, env
from python_models.dbt.project import PROJECT_ROOT, system_ids


class ModelSettings(SettingsGroup):
    """The systems that run, their model files, their training window and the ensemble's weights."""

    group = "models"

    model_store: Path = Field(
        PROJECT_ROOT / "artifacts" / "models",
        validation_alias=env("KZONE_MODEL_STORE"),
        description="Folder holding model files and model cards.",
    )
    active_systems: CommaSeparated = Field(
        default_factory=system_ids,
        validation_alias=env("MLB_ACTIVE_SYSTEMS"),
        description="Comma-separated systems to score.",
    )
    v1_model_path: Path | None = Field(
        None,
        validation_alias=env("MLB_V1_MODEL_PATH"),
        description="Pin v1_baseline to this model file (default: newest registered version valid for the date).",
    )
    v1_6_model_path: Path | None = Field(
        None,
        validation_alias=env("MLB_V1_6_MODEL_PATH"),
        description="Pin v1_6_rolling to this model file (default: newest registered version valid for the date).",
    )
    ensemble_v1_weight: float = Field(
        0.3, ge=0, le=1, validation_alias=env("MLB_ENSEMBLE_V1_WEIGHT"), description="Ensemble weight of v1."
    )
    ensemble_v1_6_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        validation_alias=env("MLB_ENSEMBLE_V1_6_WEIGHT"),
        description="Ensemble weight of v1.6.",
    )
    training_seasons: int = Field(
        0,
        ge=0,
        validation_alias=env("KZONE_TRAINING_SEASONS"),
        description="Seasons of history a model learns from, the current one included (0 = every season in the data).",
    )
    recency_half_life_seasons: float = Field(
        2.0,
        ge=0,
        validation_alias=env("KZONE_RECENCY_HALF_LIFE_SEASONS"),
        description="Training weights halve every this many seasons back (0 = equal weights): how season drift is handled (2 measured best on 2022, see the README).",
    )
    market_prior_rows: int = Field(
        400,
        ge=0,
        validation_alias=env("KZONE_MARKET_PRIOR_ROWS"),
        description="Strength of the prior that trusts the book's price, in graded starts with a line.",
    )

    @field_validator("active_systems")
    @classmethod
    def _known_systems(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in system_ids()]
        if unknown:
            raise ValueError(f"unknown system(s) {unknown}; known: {list(system_ids())}")
        if not value:
            raise ValueError("at least one system must be active")
        return value

    @field_validator("v1_model_path", "v1_6_model_path", mode="before")
    @classmethod
    def _model_file(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # set but empty: no pin, as when unset
        if value is not None and not Path(str(value)).is_file():
            raise ValueError(
                "is not a model file: give an existing model file (`kzone train` writes them to "
                "KZONE_MODEL_STORE), or unset it to use the newest registered version"
            )
        return value

    @model_validator(mode="after")
    def _ensemble_has_weight(self) -> ModelSettings:
        # Weights are normalised over the components that produced a prediction: with both at 0 there is
        # nothing to normalise, and the ensemble could only fail later, at output validation.
        if "ensemble_v1" in self.active_systems and self.ensemble_v1_weight + self.ensemble_v1_6_weight <= 0:
            raise ValueError(
                "MLB_ENSEMBLE_V1_WEIGHT and MLB_ENSEMBLE_V1_6_WEIGHT are both 0: give at least one a weight "
                "above 0, or leave ensemble_v1 out of MLB_ACTIVE_SYSTEMS"
            )
        return self
