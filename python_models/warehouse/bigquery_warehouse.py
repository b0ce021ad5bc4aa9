"""BigQuery implementation of the warehouse interface (production; the local stand-in in tests).

- Every value travels as a query parameter (``@name``): the params dict is translated to
  ``ScalarQueryParameter`` / ``ArrayQueryParameter`` with the type inferred from the Python value. Only
  identifiers are interpolated, and they are validated (:func:`check_identifier`, :data:`_PROJECT`).
- A batch is written with a load job (Parquet through ``load_table_from_file``; never streaming inserts,
  never ``load_table_from_dataframe``) into its own staging table, which carries a 24 h expiration so an
  orphan left by a crashed run deletes itself; then ONE ``MERGE``; then the staging table is dropped
  (the shared :meth:`Warehouse.merge_batch`).
- Transient errors (concurrent update, too many DML statements outstanding, rate limits, 5xx backend
  errors) are retried with exponential backoff and jitter; anything else fails at once.
- Credentials come only from the environment (Application Default Credentials: a workload identity, a
  ``gcloud auth application-default login`` or ``GOOGLE_APPLICATION_CREDENTIALS``). With
  ``KZONE_BQ_API_ENDPOINT`` set (the local stand-in) the client is anonymous.
"""

from __future__ import annotations

import io
import logging
import random
import re
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from google.api_core import exceptions as gexc
from google.cloud import bigquery

from python_models.warehouse.base import (
    STAGING_PREFIX,
    Column,
    TransientWarehouseError,
    Warehouse,
    WarehouseError,
    check_identifier,
)

if TYPE_CHECKING:
    from python_models.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

_TYPES = {
    "string": "string",
    "int64": "int64",
    "float64": "float64",
    "bool": "bool",
    "date": "date",
    "timestamp": "timestamp",
}
_ARROW = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}
# GCP project ids (optionally domain-scoped, "example.com:project").
_PROJECT = re.compile(r"^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,61}[a-z0-9]$")
_LABEL = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
# Messages BigQuery uses for failures that succeed when tried again.
_TRANSIENT_MARKERS = (
    "could not serialize access",
    "concurrent update",
    "too many dml statements outstanding",
    "ratelimitexceeded",
    "rate limit",
    "quota exceeded: your table exceeded quota for table update operations",
    "backenderror",
    "jobbackenderror",
    "internalerror",
    "the service is currently unavailable",
)
_TRANSIENT_TYPES = (
    gexc.TooManyRequests,  # 429
    gexc.InternalServerError,  # 500
    gexc.BadGateway,  # 502
    gexc.ServiceUnavailable,  # 503
    gexc.GatewayTimeout,  # 504
    ConnectionError,
)
STAGING_EXPIRATION_HOURS = 24


def is_transient(exc: BaseException) -> bool:
    """Whether an error from BigQuery is worth retrying (the statement can succeed unchanged)."""
    if isinstance(exc, (TransientWarehouseError, *_TRANSIENT_TYPES)):
        return True
    text = str(exc).lower()
    reasons = " ".join(
        str(e.get("reason", "")) for e in getattr(exc, "errors", None) or [] if isinstance(e, dict)
    )
    return any(m in text or m in reasons.lower() for m in _TRANSIENT_MARKERS)


def query_parameter(name: str, value: Any) -> bigquery.ScalarQueryParameter | bigquery.ArrayQueryParameter:
    """A typed BigQuery parameter for a Python value (str, int, float, bool, date, datetime, list)."""
    check_identifier(name)
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series | pd.Index):
        items = list(value)
        types = {_scalar_type(v) for v in items if not _is_null(v)}
        if len(types) > 1:
            if types <= {"INT64", "FLOAT64"}:
                types = {"FLOAT64"}
            else:
                raise ValueError(f"parameter @{name}: array mixes types {sorted(types)}")
        if any(_is_null(v) for v in items):
            raise ValueError(f"parameter @{name}: BigQuery arrays cannot hold NULL")
        kind = types.pop() if types else "STRING"
        return bigquery.ArrayQueryParameter(name, kind, [_scalar_value(v, kind) for v in items])
    if _is_null(value):
        raise ValueError(f"parameter @{name} is None: BigQuery needs a type; leave the predicate out instead")
    kind = _scalar_type(value)
    return bigquery.ScalarQueryParameter(name, kind, _scalar_value(value, kind))


def _is_null(value: Any) -> bool:
    return value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value)))


def _scalar_type(value: Any) -> str:
    # Order matters: bool is an int, datetime is a date.
    if isinstance(value, bool | np.bool_):
        return "BOOL"
    if isinstance(value, int | np.integer):
        return "INT64"
    if isinstance(value, float | np.floating):
        return "FLOAT64"
    if isinstance(value, Decimal):
        return "NUMERIC"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, bytes):
        return "BYTES"
    if isinstance(value, datetime | np.datetime64):
        return "TIMESTAMP"
    if isinstance(value, date):
        return "DATE"
    raise TypeError(f"no BigQuery parameter type for {type(value).__name__}: {value!r}")


def _scalar_value(value: Any, kind: str) -> Any:
    if kind == "BOOL":
        return bool(value)
    if kind == "INT64":
        return int(value)
    if kind == "FLOAT64":
        return float(value)
    if kind == "TIMESTAMP":
        ts = pd.Timestamp(value)
        # Naive datetimes are UTC by the project's convention (`<event>_at` columns are UTC).
        return (ts.tz_localize(UTC) if ts.tzinfo is None else ts.tz_convert(UTC)).to_pydatetime()
    return value


def _frame_like_duckdb(table: pa.Table) -> pd.DataFrame:
    """Rows as the DuckDB engine returns them: dates and timestamps as naive datetime64 (UTC), integers
    int64 (Int64 where NULLs occur), so callers see one set of dtypes whatever the engine."""
    df = table.to_pandas(date_as_object=False, types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    for name in df.columns:
        dtype = df[name].dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            df[name] = df[name].dt.tz_convert(UTC).dt.tz_localize(None)
        elif isinstance(dtype, pd.Int64Dtype) and not df[name].isna().any():
            df[name] = df[name].astype("int64")
    return df


def to_arrow(df: pd.DataFrame, columns: Sequence[Column]) -> pa.Table:
    """The batch as an Arrow table with the exact column types of the target (checked, not guessed)."""
    arrays = []
    for col in columns:
        series = df[col.name]
        if col.type == "date":
            values = pd.to_datetime(series).dt.date
            arrays.append(pa.array(values.astype("object").where(values.notna(), None), type=pa.date32()))
            continue
        if col.type == "timestamp":
            ts = pd.to_datetime(series, utc=True)
            arrays.append(pa.array(ts, type=_ARROW["timestamp"]))
            continue
        if col.type == "string":
            series = series.astype("string")
        arrays.append(pa.array(series, type=_ARROW[col.type], from_pandas=True))
    return pa.Table.from_arrays(arrays, names=[c.name for c in columns])


class BigQueryWarehouse(Warehouse):
    """Production warehouse: one GCP project; layers are datasets (optionally prefixed)."""

    engine = "bigquery"

    def __init__(
        self,
        client: bigquery.Client,
        project: str,
        *,
        location: str = "US",
        schema_prefix: str = "",
        retries: int = 5,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        labels: dict[str, str] | None = None,
        maximum_bytes_billed: int | None = None,
        use_storage_api: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(schema_prefix)
        if not _PROJECT.match(project):
            raise ValueError(f"not a valid GCP project id: {project!r}")
        self.client = client
        self.project = project
        self.location = location
        self.retries = retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.labels = {"app": "kzone", "component": "runner", **(labels or {})}
        for key, value in self.labels.items():
            if not _LABEL.match(key) or not _LABEL_VALUE.match(value):
                raise ValueError(f"not a valid BigQuery label: {key}={value}")
        self.maximum_bytes_billed = maximum_bytes_billed
        self.use_storage_api = use_storage_api
        self._sleep = sleep
        self._datasets: set[str] = set()
        self.retry_count = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> BigQueryWarehouse:
        """Client from the settings: anonymous against the local stand-in, ADC otherwise."""
        if settings.bq_api_endpoint:
            from google.auth.credentials import AnonymousCredentials

            client = bigquery.Client(
                project=settings.bq_project,
                location=settings.bq_location,
                credentials=AnonymousCredentials(),
                client_options={"api_endpoint": settings.bq_api_endpoint},
            )
        else:
            # Application Default Credentials: only the environment decides who we are.
            from google.auth.exceptions import DefaultCredentialsError

            from python_models.warehouse.factory import no_credentials_message

            try:
                client = bigquery.Client(project=settings.bq_project, location=settings.bq_location)
            except DefaultCredentialsError as exc:
                raise WarehouseError(no_credentials_message(settings.target, str(exc))) from None
        return cls(
            client,
            settings.bq_project,
            location=settings.bq_location,
            schema_prefix=settings.dataset_prefix,
            retries=settings.warehouse_retries,
            labels={"target": settings.target.replace("_", "-")},
            use_storage_api=not settings.bq_api_endpoint,
        )

    # --- retries ----------------------------------------------------------------------------------
    def _with_retries(self, what: str, fn: Callable[[], T]) -> T:
        """Run ``fn``; retry transient failures with exponential backoff and full jitter."""
        attempt = 0
        while True:
            try:
                return fn()
            except WarehouseError:
                raise
            except Exception as exc:
                if not is_transient(exc):
                    raise WarehouseError(f"{what} failed: {_short(exc)}") from exc
                if attempt >= self.retries:
                    raise TransientWarehouseError(
                        f"{what} still failing after {attempt + 1} attempts: {_short(exc)}"
                    ) from exc
                delay = min(self.backoff_max_s, self.backoff_base_s * 2**attempt) * (
                    0.5 + random.random() / 2
                )
                attempt += 1
                self.retry_count += 1
                log.warning("%s: transient error (%s); retry %d in %.2fs", what, _short(exc), attempt, delay)
                self._sleep(delay)

    # --- primitives -------------------------------------------------------------------------------
    def dataset_id(self, layer: str) -> str:
        return f"{self.project}.{self.schema_name(layer)}"

    def relation(self, layer: str, table: str) -> str:
        return f"`{self.project}.{self.schema_name(layer)}.{check_identifier(table)}`"

    def render_type(self, portable: str) -> str:
        return _TYPES[portable]

    def _job_config(self, params: dict[str, Any] | None) -> bigquery.QueryJobConfig:
        return bigquery.QueryJobConfig(
            query_parameters=[query_parameter(k, v) for k, v in (params or {}).items()],
            labels=dict(self.labels),
            maximum_bytes_billed=self.maximum_bytes_billed,
            use_legacy_sql=False,
        )

    def _run(self, sql: str, params: dict[str, Any] | None) -> pd.DataFrame | None:
        config = self._job_config(params)

        def run_once() -> pd.DataFrame | None:
            # query().result(), not query_and_wait(): the latter hides job errors on the stand-in.
            job = self.client.query(sql, job_config=config, location=self.location, job_retry=None)
            rows = job.result()
            if not rows.schema:
                return None
            return _frame_like_duckdb(rows.to_arrow(create_bqstorage_client=self.use_storage_api))

        return self._with_retries(f"query {_first_line(sql)}", run_once)

    def _merge(self, sql: str) -> None:
        # _run already retries transient errors (concurrent update, too many DML outstanding). A MERGE
        # that succeeded but whose answer was lost is safe to repeat: rows with an equal row_hash are
        # not touched again.
        self.execute(sql)

    def staging_options(self) -> str:
        """Staging tables expire on their own: an orphan of a crashed run costs nothing for long."""
        return (
            " options(expiration_timestamp = timestamp_add(current_timestamp(), "
            f"interval {STAGING_EXPIRATION_HOURS} hour), labels = [('app', 'kzone'), ('kind', 'staging')])"
        )

    def _load_frame(self, layer: str, table: str, df: pd.DataFrame, columns: Sequence[Column]) -> None:
        buffer = io.BytesIO()
        pq.write_table(to_arrow(df, columns), buffer)
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            write_disposition=bigquery.WriteDisposition.WRITE_APPEND,
            create_disposition=bigquery.CreateDisposition.CREATE_NEVER,
            labels=dict(self.labels),
        )
        destination = f"{self.dataset_id(layer)}.{check_identifier(table)}"

        def load_once() -> None:
            buffer.seek(0)
            job = self.client.load_table_from_file(
                buffer, destination, job_config=config, location=self.location, rewind=True
            )
            job.result()

        self._with_retries(f"load into {destination}", load_once)
        log.debug("loaded %d rows into %s", len(df), destination)

    def ensure_schema(self, layer: str) -> None:
        dataset_id = self.dataset_id(layer)
        if dataset_id in self._datasets:
            return
        try:
            self.client.get_dataset(dataset_id)
        except gexc.NotFound:
            dataset = bigquery.Dataset(dataset_id)
            dataset.location = self.location
            dataset.labels = {"app": "kzone"}
            self._with_retries(
                f"create dataset {dataset_id}", lambda: self.client.create_dataset(dataset, exists_ok=True)
            )
            log.info("created dataset %s (%s)", dataset_id, self.location)
        self._datasets.add(dataset_id)

    def table_exists(self, layer: str, table: str) -> bool:
        try:
            self.client.get_table(f"{self.dataset_id(layer)}.{check_identifier(table)}")
        except gexc.NotFound:
            return False
        return True

    def columns_of(self, layer: str, table: str) -> list[str]:
        try:
            got = self.client.get_table(f"{self.dataset_id(layer)}.{check_identifier(table)}")
        except gexc.NotFound:
            return []
        return [field.name for field in got.schema]

    def list_tables(self, layer: str) -> list[tuple[str, datetime | None]]:
        try:
            items = list(self.client.list_tables(self.dataset_id(layer)))
        except gexc.NotFound:
            return []
        return [(t.table_id, t.created.astimezone(UTC) if t.created else None) for t in items]

    def close(self) -> None:
        self.client.close()


def _first_line(sql: str) -> str:
    line = next((part.strip() for part in sql.strip().splitlines() if part.strip()), "")
    return line[:80]


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500]


__all__ = ["STAGING_PREFIX", "BigQueryWarehouse", "is_transient", "query_parameter", "to_arrow"]
