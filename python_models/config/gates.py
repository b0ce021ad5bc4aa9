"""Gate settings: how the dbt data tests judge a run."""

from __future__ import annotations

from pydantic import Field, field_validator

from python_models.config.base import SettingsGroup, env


class GateSettings(SettingsGroup):
    """The dbt gates: their severity, and whether the game-date recency gates are on."""

    group = "gates"

    test_severity: str = Field(
        "warn",
        validation_alias=env("KZONE_TEST_SEVERITY"),
        description="Severity of every dbt gate (dbt reads it too): warn locally, error in CI and production.",
    )
    live: bool = Field(
        False,
        validation_alias=env("KZONE_LIVE"),
        description="A live morning run: switch on the game-date recency gates (`kzone daily --live`).",
    )

    @field_validator("test_severity")
    @classmethod
    def _severity(cls, value: str) -> str:
        if value.strip().lower() not in {"warn", "error"}:
            raise ValueError("must be warn or error (dbt's severities; unset = warn)")
        return value.strip().lower()
