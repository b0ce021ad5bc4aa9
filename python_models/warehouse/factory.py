"""Pick the warehouse implementation for the configured target."""

from __future__ import annotations

from python_models.config import Settings, get_settings
from python_models.warehouse.base import Warehouse

NO_CREDENTIALS_MARKERS = ("credentials were not found", "Failed to authenticate with supplied credentials")


def no_credentials_message(target: str, cause: str = "") -> str:
    """What to do when BigQuery finds no Google credentials (the Python client's and dbt's failure alike),
    in one line; ``cause``'s last line (e.g. "File key.json was not found.") is kept, its links are not."""
    lines = [line.strip() for line in cause.splitlines() if line.strip()]
    last = lines[-1].split(". To set up")[0].rstrip(".") if lines else ""
    return (
        f"KZONE_TARGET={target}: no Google credentials found{f' ({last})' if last else ''}. Run `gcloud auth "
        "application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file (on "
        "GCP a workload identity needs neither); or use KZONE_TARGET=local"
    )


def open_warehouse(settings: Settings | None = None, *, read_only: bool = False) -> Warehouse:
    """The warehouse for ``KZONE_TARGET``: DuckDB (local) or BigQuery (bigquery, bigquery_emulator). Use it as
    a context manager (``with open_warehouse(settings) as wh:``) so the connection is closed however the block
    ends; the plain call returns the same open warehouse (then ``close()`` it)."""
    settings = settings or get_settings()
    if settings.target == "local":
        from python_models.warehouse.duckdb_warehouse import DuckDBWarehouse

        return DuckDBWarehouse(
            settings.duckdb_path, settings.dataset_prefix, read_only=read_only, threads=settings.threads
        )
    from python_models.warehouse.bigquery_warehouse import BigQueryWarehouse

    return BigQueryWarehouse.from_settings(settings)
