"""Warehouse I/O: one interface (base.Warehouse), a DuckDB and a BigQuery implementation."""

from python_models.warehouse.base import Column, MergeResult, Warehouse, WarehouseError
from python_models.warehouse.factory import open_warehouse

__all__ = ["Column", "MergeResult", "Warehouse", "WarehouseError", "open_warehouse"]
