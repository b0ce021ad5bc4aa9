"""Warehouse settings: which target, where its file or project is, how transient errors are retried."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from python_models.config.base import SettingsGroup, env
from python_models.dbt.project import PROJECT_ROOT


class WarehouseSettings(SettingsGroup):
    """Where the warehouse is: the DuckDB file or the BigQuery project, and the schema prefix."""

    group = "warehouse"

    target: Literal["local", "bigquery", "bigquery_emulator"] = Field(
        "local", validation_alias=env("KZONE_TARGET"), description="Warehouse target (dbt target name)."
    )
    duckdb_path: Path = Field(
        PROJECT_ROOT / "warehouse" / "kzone.duckdb",
        validation_alias=env("KZONE_DUCKDB_PATH"),
        description="DuckDB file of the embedded warehouse.",
    )
    bq_project: str = Field(
        "kzone-prod", validation_alias=env("KZONE_BQ_PROJECT"), description="GCP project."
    )
    bq_location: str = Field(
        "US", validation_alias=env("KZONE_BQ_LOCATION"), description="BigQuery location."
    )
    bq_api_endpoint: str | None = Field(
        None,
        validation_alias=env("KZONE_BQ_API_ENDPOINT"),
        description="BigQuery API endpoint override (the local stand-in in tests); unset in production.",
    )
    dataset_prefix: str = Field(
        "",
        validation_alias=env("KZONE_DATASET_PREFIX"),
        description="Prefix for every schema/dataset (isolates a developer or a test run).",
    )
    warehouse_retries: int = Field(
        5, ge=0, validation_alias=env("KZONE_WAREHOUSE_RETRIES"), description="Retries for transient errors."
    )

    @field_validator("duckdb_path", mode="before")
    @classmethod
    def _duckdb_file(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError(
                "is empty: give the DuckDB file's path (e.g. warehouse/kzone.duckdb) or unset it"
            )
        if Path(str(value)).is_dir():
            raise ValueError(
                "is a folder: give the DuckDB file's path inside it (e.g. warehouse/kzone.duckdb)"
            )
        return value

    def schema(self, name: str) -> str:
        """Physical schema (DuckDB) or dataset (BigQuery) for a logical layer name."""
        return f"{self.dataset_prefix}{name}"
