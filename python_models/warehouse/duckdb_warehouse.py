"""DuckDB implementation of the warehouse interface (the embedded default).

DuckDB allows one read-write process per file. The runner therefore holds a connection only for the
duration of a unit of work (:meth:`DuckDBWarehouse.session`), and opening one waits with exponential
backoff while another process holds the lock: concurrent scorers queue instead of failing.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from python_models.warehouse.base import (
    Column,
    MergeResult,
    TransientWarehouseError,
    Warehouse,
    WarehouseError,
    check_identifier,
)

log = logging.getLogger(__name__)

_TYPES = {
    "string": "varchar",
    "int64": "bigint",
    "float64": "double",
    "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp",
}
_PARAM = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")
_BATCH_TS = re.compile(r"(\d{8}T\d{6})")
_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked", "Transaction conflict")


def created_from_name(name: str) -> datetime | None:
    """Batch ids embed their UTC creation time; DuckDB keeps no table creation time."""
    match = _BATCH_TS.search(name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


class DuckDBWarehouse(Warehouse):
    """The embedded warehouse: one DuckDB file."""

    engine = "duckdb"
    orphan_min_age_hours = 0.0  # one writer at a time: any staging table we can see is an orphan
    #: A batch write (staging table + MERGE) runs under this DuckDB memory limit: a big file's batch spills
    #: to disk instead of growing the process (`make bench` measures a 200 MB game-log file). Reads keep
    #: DuckDB's default.
    write_memory_limit = "256MB"

    def __init__(
        self,
        path: Path | str,
        schema_prefix: str = "",
        *,
        read_only: bool = False,
        lock_timeout_s: float = 120.0,
        threads: int | None = None,
    ) -> None:
        super().__init__(schema_prefix)
        self.path = Path(path)
        #: DuckDB's worker threads (KZONE_THREADS; None: DuckDB's default, one per core)
        self.threads = threads
        self.read_only = read_only
        self.lock_timeout_s = lock_timeout_s
        self._con: duckdb.DuckDBPyConnection | None = None

    # --- connection handling ----------------------------------------------------------------------
    def _connect(self) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                if self.threads:  # a SET, not a connect config: dbt's connection in this process has none
                    con.execute(f"set threads = {int(self.threads)}")
                return con
            except duckdb.IOException as exc:
                if not any(m in str(exc) for m in _LOCK_MARKERS) or time.monotonic() > deadline:
                    raise WarehouseError(f"cannot open {self.path}: {exc}") from exc
                log.debug("warehouse busy (another writer); retrying in %.2fs", delay)
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 2.0)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._connect()
        return self._con

    def close(self) -> None:
        """Checkpoint (so the file alone is complete: copies and other processes see every write) and
        release the file lock."""
        if self._con is not None:
            if not self.read_only:
                with contextlib.suppress(duckdb.Error):
                    self._con.execute("checkpoint")
            self._con.close()
            self._con = None

    # --- primitives -------------------------------------------------------------------------------
    def relation(self, layer: str, table: str) -> str:
        return f'"{self.schema_name(layer)}"."{check_identifier(table)}"'

    def render_type(self, portable: str) -> str:
        return _TYPES[portable]

    def _run(self, sql: str, params: dict[str, Any] | None) -> pd.DataFrame | None:
        sql = _PARAM.sub(r"$\1", sql)
        try:
            cur = self.con.execute(sql, params or {})
            if cur.description is None:
                return None
            return cur.df()
        except duckdb.TransactionException as exc:
            raise TransientWarehouseError(str(exc)) from exc
        except duckdb.Error as exc:
            raise WarehouseError(f"{type(exc).__name__}: {exc}") from exc

    def _load_frame(self, layer: str, table: str, df: pd.DataFrame, columns: Sequence[Column]) -> None:
        view = f"_frame_{table}"
        self.con.register(view, df)
        try:
            casts = ", ".join(f'cast("{c.name}" as {self.render_type(c.type)}) as {c.name}' for c in columns)
            self.execute(f"insert into {self.relation(layer, table)} select {casts} from {view}")
        finally:
            self.con.unregister(view)

    def merge_batch(self, *args: Any, **kwargs: Any) -> MergeResult:
        """The shared batch write, under :attr:`write_memory_limit`."""
        self.execute(f"set memory_limit = '{self.write_memory_limit}'")
        try:
            return super().merge_batch(*args, **kwargs)
        finally:
            with contextlib.suppress(WarehouseError):
                self.execute("reset memory_limit")

    def _merge(self, sql: str) -> None:
        # One transaction: DuckDB's MERGE is atomic on its own; the explicit transaction also covers
        # engines/versions where it is not, so a failure leaves the target exactly as it was.
        self.execute("begin transaction")
        try:
            self.execute(sql)
        except Exception:
            with contextlib.suppress(Exception):
                self.execute("rollback")
            raise
        self.execute("commit")

    def ensure_schema(self, layer: str) -> None:
        if not self.read_only:
            self.execute(f'create schema if not exists "{self.schema_name(layer)}"')

    def table_exists(self, layer: str, table: str) -> bool:
        rows = self.query(
            "select count(*) as n from information_schema.tables where table_schema = @s and table_name = @t",
            {"s": self.schema_name(layer), "t": table},
        )
        return int(rows.iloc[0, 0]) > 0

    def columns_of(self, layer: str, table: str) -> list[str]:
        rows = self.query(
            "select column_name from information_schema.columns "
            "where table_schema = @s and table_name = @t order by ordinal_position",
            {"s": self.schema_name(layer), "t": table},
        )
        return rows["column_name"].tolist() if not rows.empty else []

    def list_tables(self, layer: str) -> list[tuple[str, datetime | None]]:
        rows = self.query(
            "select table_name from information_schema.tables where table_schema = @s",
            {"s": self.schema_name(layer)},
        )
        names = rows["table_name"].tolist() if not rows.empty else []
        return [(n, created_from_name(n)) for n in names]
