"""Runtime settings: the process itself (threads, log level, how long it waits for another run)."""

from __future__ import annotations

import os

from pydantic import Field, field_validator

from python_models.config.base import SettingsGroup, env


class RuntimeSettings(SettingsGroup):
    """The process: threads of every engine, the log level, the wait for another run's lock."""

    group = "runtime"

    threads: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        validation_alias=env("KZONE_THREADS"),
        description=(
            "Threads of each engine: XGBoost nthread, DuckDB threads (the runner's connections and dbt's), "
            "dbt --threads. Lower it on a shared machine."
        ),
        json_schema_extra={"readme_default": "the machine's cores"},
    )
    log_level: str = Field("INFO", validation_alias=env("KZONE_LOG_LEVEL"), description="Logging level.")
    run_lock_wait_s: float = Field(
        0.0,
        ge=0,
        validation_alias=env("KZONE_RUN_LOCK_WAIT_S"),
        description="How long `kzone daily` waits for another run on the same warehouse to finish (0: exit 75 at once).",
    )

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value
