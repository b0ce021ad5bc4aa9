"""The one warehouse interface the runner talks to, with the write path shared by every engine.

Every write goes the same way: the batch is loaded into its own staging table (a load, never streaming
inserts), then ONE ``MERGE`` moves it into the target, then the staging table is dropped. The MERGE only
updates a row when its ``row_hash`` changed, so re-running a batch changes nothing. Engines differ only in
the primitives below (quoting, loading a DataFrame, running a statement, listing tables).
"""

from __future__ import annotations

import abc
import hashlib
import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

STAGING_PREFIX = "_stg_batch_"
PORTABLE_TYPES = ("string", "int64", "float64", "bool", "date", "timestamp")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseError(RuntimeError):
    """A warehouse operation failed; the message says which and what was left behind."""


class TransientWarehouseError(WarehouseError):
    """A failure worth retrying (lock conflict, concurrent update, rate limit)."""


@dataclass(frozen=True)
class Column:
    """A column of a table the runner owns, in portable types (rendered per engine)."""

    name: str
    type: str
    nullable: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        if self.type not in PORTABLE_TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} not in {PORTABLE_TYPES}")
        check_identifier(self.name)


@dataclass(frozen=True)
class MergeResult:
    """What a MERGE did."""

    table: str
    batch_id: str
    rows_in_batch: int
    rows_inserted: int
    rows_updated: int


def check_identifier(name: str) -> str:
    """Identifiers cannot be parameters, so they are validated instead (never user data)."""
    if not _IDENT.match(name) or len(name) > 128:
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def new_batch_id(prefix: str = "b") -> str:
    """Sortable, unique batch id: UTC time plus random suffix."""
    return f"{prefix}{datetime.now(UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"


_NULL = "\x00"
_EXACT_INT = 2**53  # floats below this magnitude hold integers exactly


def _number_text(value: float) -> str:
    if value != value:  # NaN
        return _NULL
    if abs(value) < _EXACT_INT and value == int(value):
        return str(int(value))
    return repr(float(value))


def _timestamp_text(value: datetime | np.datetime64) -> str:
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if ts == ts.normalize():  # engines hand DATE columns back as midnight timestamps
        return ts.strftime("%Y-%m-%d")
    text = ts.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{ts.microsecond:06d}" if ts.microsecond else text


def _value_text(value: Any) -> str:
    """One spelling per typed value: 110 and 110.0 alike, every kind of null alike, times in UTC (a
    midnight timestamp spelled as its date: engines return DATE columns that way)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return _NULL
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating | Decimal):
        return _number_text(float(value))
    if isinstance(value, datetime | np.datetime64):
        return _NULL if pd.isna(value) else _timestamp_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _column_text(values: pd.Series) -> pd.Series:
    """Canonical text of a column's typed values (vectorised for typed columns, per value for objects)."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        dtype = values.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return pd.Series(
            [_NULL if pd.isna(v) else _timestamp_text(v) for v in values], index=values.index, dtype="object"
        )
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return values.astype("string").fillna(_NULL).astype("object")
    if pd.api.types.is_float_dtype(dtype):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series([_number_text(v) for v in numbers], index=values.index, dtype="object")
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return values.astype("string").fillna(_NULL).astype("object")
    return values.map(_value_text, na_action=None).astype("object")


def row_hashes(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """sha256 over the content columns' TYPED values, stable across runs, dtypes and engines: an int 110
    and a float 110.0 hash alike (a slate where one pitcher has no line turns pandas' odds columns to
    float), NaN/None/NA/NaT alike, timestamps as UTC to the microsecond, dates as YYYY-MM-DD."""
    if df.empty:
        return pd.Series([], dtype="string", index=df.index)
    parts = [_column_text(df[c]) for c in columns]
    text = parts[0].str.cat(parts[1:], sep="\x1f") if len(parts) > 1 else parts[0]
    return pd.Series(
        [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in text], index=df.index, dtype="string"
    )


def _not_older(column: str) -> str:
    """The batch row (s) is not older than the target row (t) on ``column`` (a null target yields)."""
    return f"(t.{column} is null or s.{column} >= t.{column})"


class Warehouse(abc.ABC):
    """A SQL warehouse the runner reads features from and writes batches into.

    SQL given to :meth:`query` and :meth:`execute` uses ``@name`` parameters (BigQuery's style); engines
    translate. Table references are built with :meth:`relation` from validated identifiers.
    """

    engine: str = "abstract"
    #: Staging tables older than this are orphans of dead runs and are swept before each write. DuckDB
    #: overrides it with 0: holding its exclusive write lock proves no other writer is alive.
    orphan_min_age_hours: float = 6.0

    def __init__(self, schema_prefix: str = "") -> None:
        self.schema_prefix = schema_prefix
        self.query_count = 0

    # --- engine primitives ------------------------------------------------------------------------
    @abc.abstractmethod
    def relation(self, layer: str, table: str) -> str:
        """Fully qualified, quoted table reference for a logical layer (schema/dataset) and table."""

    @abc.abstractmethod
    def render_type(self, portable: str) -> str:
        """Engine type name for a portable type."""

    @abc.abstractmethod
    def _run(self, sql: str, params: dict[str, Any] | None) -> pd.DataFrame | None:
        """Run one statement; return rows for queries."""

    @abc.abstractmethod
    def _load_frame(self, layer: str, table: str, df: pd.DataFrame, columns: Sequence[Column]) -> None:
        """Load a DataFrame into an existing (empty) table with a bulk load."""

    @abc.abstractmethod
    def table_exists(self, layer: str, table: str) -> bool:
        """Whether the table exists."""

    @abc.abstractmethod
    def list_tables(self, layer: str) -> list[tuple[str, datetime | None]]:
        """Tables in a layer with their creation time (UTC) where known."""

    @abc.abstractmethod
    def ensure_schema(self, layer: str) -> None:
        """Create the schema/dataset if missing."""

    def close(self) -> None:  # noqa: B027 - optional for engines without a connection
        """Release the connection."""

    def __enter__(self) -> Self:
        """``with open_warehouse(settings) as wh:`` closes the connection however the block ends."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- shared behaviour -------------------------------------------------------------------------
    def schema_name(self, layer: str) -> str:
        return check_identifier(f"{self.schema_prefix}{check_identifier(layer)}")

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a parameterized query and return its rows."""
        self.query_count += 1
        result = self._run(sql, params)
        return result if result is not None else pd.DataFrame()

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run a parameterized statement."""
        self.query_count += 1
        self._run(sql, params)

    def ensure_table(self, layer: str, table: str, columns: Sequence[Column]) -> None:
        """Create the table if missing; add columns the table lacks (never drops or retypes)."""
        self.ensure_schema(layer)
        rel = self.relation(layer, table)
        cols = ",\n    ".join(f"{c.name} {self.render_type(c.type)}" for c in columns)
        self.execute(f"create table if not exists {rel} (\n    {cols}\n)")
        existing = set(self.columns_of(layer, table))
        for column in columns:
            if column.name not in existing:
                log.info("adding column %s to %s", column.name, rel)
                self.execute(f"alter table {rel} add column {column.name} {self.render_type(column.type)}")

    @abc.abstractmethod
    def columns_of(self, layer: str, table: str) -> list[str]:
        """Column names of a table, in order."""

    def merge_sql(
        self,
        target: str,
        staging: str,
        columns: Sequence[str],
        key_columns: Sequence[str],
        hash_column: str | None,
        target_predicate: str | None = None,
        latest_by: str | None = None,
    ) -> str:
        """The one MERGE statement, identical on every engine but for quoting of relations. With
        ``latest_by`` a matched row is only replaced by a batch row whose ``latest_by`` is not earlier (an
        older announcement reloaded later never overrides a newer one)."""
        on = " and ".join(f"t.{k} = s.{k}" for k in key_columns)
        if target_predicate:
            on = f"{on} and {target_predicate}"
        updates = ", ".join(f"{c} = s.{c}" for c in columns if c not in key_columns)
        changed = (
            f" and (t.{hash_column} is null or t.{hash_column} != s.{hash_column})" if hash_column else ""
        )
        if latest_by:
            changed += f" and {_not_older(latest_by)}"
        col_list = ", ".join(columns)
        values = ", ".join(f"s.{c}" for c in columns)
        return (
            f"merge into {target} as t\nusing {staging} as s\non {on}\n"
            f"when matched{changed} then update set {updates}\n"
            f"when not matched then insert ({col_list}) values ({values})"
        )

    def merge_batch(
        self,
        layer: str,
        table: str,
        df: pd.DataFrame | Iterable[pd.DataFrame],
        columns: Sequence[Column],
        key_columns: Sequence[str],
        *,
        batch_id: str | None = None,
        hash_column: str | None = "row_hash",
        target_predicate: str | None = None,
        latest_by: str | None = None,
    ) -> MergeResult:
        """Write a batch: staging table (bulk load) -> ONE MERGE into the target -> drop staging.

        The target is never half-written: the MERGE is one atomic statement. If anything fails the staging
        table is dropped and the error re-raised as :class:`WarehouseError` naming the batch. A batch may
        come as an iterable of chunks (a big file read piece by piece): each chunk is loaded into the one
        staging table as it comes, so memory holds one chunk at a time; an error the iterator raises (a
        validation error) drops the staging table and reaches the caller as it was.
        """
        chunks = [df] if isinstance(df, pd.DataFrame) else df
        batch_id = batch_id or new_batch_id()
        names = [c.name for c in columns]
        self.ensure_table(layer, table, columns)
        self.drop_orphan_staging(layer, self.orphan_min_age_hours)
        staging_table = check_identifier(f"{STAGING_PREFIX}{table}_{re.sub(r'[^A-Za-z0-9_]', '_', batch_id)}")
        target = self.relation(layer, table)
        staging = self.relation(layer, staging_table)
        rows = 0
        try:
            self.execute(
                f"create table {staging} ("
                + ", ".join(f"{c.name} {self.render_type(c.type)}" for c in columns)
                + ")"
                + self.staging_options()
            )
            for chunk in chunks:
                missing = [n for n in names if n not in chunk.columns]
                if missing:
                    raise WarehouseError(f"batch {batch_id} for {table}: frame lacks columns {missing}")
                if chunk.empty:
                    continue
                self._load_frame(layer, staging_table, chunk[names], columns)
                rows += len(chunk)
            self._check_unique_keys(staging, key_columns, f"batch {batch_id} for {table}")
            inserted, updated = self._pending_changes(target, staging, key_columns, hash_column, latest_by)
            self._merge(
                self.merge_sql(target, staging, names, key_columns, hash_column, target_predicate, latest_by)
            )
        except Exception as exc:
            self._drop_quietly(staging)
            if not isinstance(exc, WarehouseError):
                raise  # a validation error from the chunks: the caller's message, nothing written
            raise type(exc)(f"batch {batch_id} into {target} failed; the target is unchanged: {exc}") from exc
        self._drop_quietly(staging)
        result = MergeResult(target, batch_id, rows, inserted, updated)
        log.debug(  # the callers' summaries say what was written (one line per date or file)
            "merged batch %s into %s: %d rows in batch, %d inserted, %d updated",
            batch_id,
            target,
            result.rows_in_batch,
            result.rows_inserted,
            result.rows_updated,
        )
        return result

    def staging_options(self) -> str:
        """DDL suffix for per-batch staging tables (BigQuery: an expiration, so orphans delete themselves)."""
        return ""

    def _merge(self, sql: str) -> None:
        """Run the MERGE (engines may wrap it in retries for transient errors)."""
        self.execute(sql)

    def _check_unique_keys(self, staging: str, keys: Sequence[str], what: str) -> None:
        """A batch holds each key once (checked on the staged rows, so it holds across chunks)."""
        cols = ", ".join(keys)
        row = self.query(
            f"select count(*) as n, sum(c) as extra from (select {cols}, count(*) - 1 as c from {staging} "
            f"group by {cols} having count(*) > 1) as d"
        ).iloc[0]
        if int(row["n"] or 0):
            raise WarehouseError(f"{what}: {int(row['extra'])} duplicate keys {list(keys)} in the batch")

    def _pending_changes(
        self,
        target: str,
        staging: str,
        keys: Sequence[str],
        hash_column: str | None,
        latest_by: str | None = None,
    ) -> tuple[int, int]:
        """(rows the MERGE will insert, rows it will update), in one query against the staged batch.
        Read just before the MERGE: a report figure, exact with one writer (DuckDB); on BigQuery a
        concurrent writer between the two statements can shift a row from 'insert' to 'update'."""
        on = " and ".join(f"t.{k} = s.{k}" for k in keys)
        new = f"t.{keys[0]} is null"
        changed = f"t.{hash_column} is null or t.{hash_column} != s.{hash_column}" if hash_column else "true"
        if latest_by:
            changed = f"({changed}) and {_not_older(latest_by)}"
        sql = (
            f"select sum(case when {new} then 1 else 0 end) as inserted, "
            f"sum(case when not ({new}) and ({changed}) then 1 else 0 end) as updated "
            f"from {staging} as s left join {target} as t on {on}"
        )
        row = self.query(sql).iloc[0]
        return int(row["inserted"] or 0), int(row["updated"] or 0)

    def _drop_quietly(self, rel: str) -> None:
        try:
            self.execute(f"drop table if exists {rel}")
        except Exception as exc:  # pragma: no cover - best effort; the orphan sweeper cleans up
            log.warning("could not drop staging table %s: %s", rel, exc)

    def drop_orphan_staging(self, layer: str, older_than_hours: float) -> list[str]:
        """Remove staging tables left by crashed runs that are older than ``older_than_hours``."""
        now = datetime.now(UTC)
        dropped = []
        for name, created in self.list_tables(layer):
            if not name.startswith(STAGING_PREFIX):
                continue
            age_h = (now - created).total_seconds() / 3600 if created else float("inf")
            if age_h >= older_than_hours:
                self.execute(f"drop table if exists {self.relation(layer, name)}")
                dropped.append(name)
        if dropped:
            log.info("dropped %d orphaned staging table(s) in %s: %s", len(dropped), layer, dropped)
        return dropped
