"""Pick the warehouse implementation for the configured target."""

from __future__ import annotations

from python_models.config import Settings, get_settings
from python_models.warehouse.base import Warehouse


def open_warehouse(settings: Settings | None = None, *, read_only: bool = False) -> Warehouse:
    """The warehouse for ``KZONE_TARGET``: DuckDB (local) or BigQuery (bigquery, bigquery_emulator)."""
    settings = settings or get_settings()
    if settings.target == "local":
        from python_models.warehouse.duckdb_warehouse import DuckDBWarehouse

        return DuckDBWarehouse(settings.duckdb_path, settings.dataset_prefix, read_only=read_only)
    from python_models.warehouse.bigquery_warehouse import BigQueryWarehouse

    return BigQueryWarehouse.from_settings(settings)
