"""Model settings: which systems run, where their models are stored and how they are trained."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from python_models.config.base import CommaSeparated, SettingsGroup, env
from python_models.dbt.project import PROJECT_ROOT, system_ids


class ModelSettings(SettingsGroup):
    """The systems that run, their model files and their training window (weights live in vars.systems)."""

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
        600,
        ge=0,
        validation_alias=env("KZONE_MARKET_PRIOR_ROWS"),
        description="Strength of the prior that trusts the book's price, in graded starts with a line (600 for the market logistic's three coefficients: on the seeded sharp- and soft-book tests 400 let noise picks through against a sharp book, 1000 held the system's weight down against a soft one).",
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
