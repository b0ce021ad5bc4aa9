"""BigQueryWarehouse without any server: parameter typing, identifier validation, retry policy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from google.api_core import exceptions as gexc
from google.cloud import bigquery

from python_models.warehouse.base import Column, TransientWarehouseError, WarehouseError
from python_models.warehouse.bigquery_warehouse import (
    BigQueryWarehouse,
    is_transient,
    query_parameter,
    to_arrow,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("x'; drop table t --", "STRING"),
        (7, "INT64"),
        (np.int64(7), "INT64"),
        (2.5, "FLOAT64"),
        (True, "BOOL"),  # not INT64, although bool is an int
        (np.bool_(False), "BOOL"),
        (date(2026, 9, 27), "DATE"),
        (datetime(2026, 9, 27, 18, 5, tzinfo=UTC), "TIMESTAMP"),  # not DATE, although datetime is a date
        (pd.Timestamp("2026-09-27 18:05"), "TIMESTAMP"),
    ],
)
def test_scalar_parameter_type_is_inferred_from_the_python_value(value: Any, kind: str) -> None:
    param = query_parameter("p", value)
    assert isinstance(param, bigquery.ScalarQueryParameter)
    assert param.type_ == kind


def test_naive_timestamps_are_sent_as_utc() -> None:
    param = query_parameter("at", datetime(2026, 9, 27, 18, 5))
    assert param.value == datetime(2026, 9, 27, 18, 5, tzinfo=UTC)


def test_list_parameters_become_typed_arrays() -> None:
    assert query_parameter("ids", ["a", "b"]).array_type == "STRING"
    assert query_parameter("ns", (1, 2)).array_type == "INT64"
    assert query_parameter("xs", [1, 2.5]).array_type == "FLOAT64"
    assert query_parameter("empty", []).array_type == "STRING"
    with pytest.raises(ValueError, match="mixes types"):
        query_parameter("bad", ["a", 1])
    with pytest.raises(ValueError, match="NULL"):
        query_parameter("bad", ["a", None])


def test_untyped_or_unsafe_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="needs a type"):
        query_parameter("p", None)
    with pytest.raises(TypeError):
        query_parameter("p", object())
    with pytest.raises(ValueError, match="identifier"):
        query_parameter("p; drop", 1)


class FakeJob:
    def __init__(self, outcome: Exception | None) -> None:
        self.outcome = outcome

    def result(self) -> Any:
        if self.outcome is not None:
            raise self.outcome
        return SimpleNamespace(schema=[])


class FakeClient:
    """Fails with the given errors, in order, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls: list[tuple[str, Any]] = []

    def query(self, sql: str, job_config: Any = None, **kwargs: Any) -> FakeJob:
        self.calls.append((sql, job_config))
        return FakeJob(self.errors.pop(0) if self.errors else None)


def make(client: Any, retries: int = 3) -> tuple[BigQueryWarehouse, list[float]]:
    sleeps: list[float] = []
    wh = BigQueryWarehouse(client, "kzone-test", retries=retries, sleep=sleeps.append)
    return wh, sleeps


@pytest.mark.parametrize(
    "error",
    [
        gexc.BadRequest("Could not serialize access to table p.d.t due to concurrent update"),
        gexc.BadRequest("Resources exceeded: Too many DML statements outstanding against table p.d.t"),
        gexc.Forbidden(
            "Exceeded rate limits: too many table update operations", errors=[{"reason": "rateLimitExceeded"}]
        ),
        gexc.TooManyRequests("429"),
        gexc.InternalServerError("backendError"),
        gexc.ServiceUnavailable("503"),
    ],
)
def test_transient_errors_are_retried_with_growing_jittered_backoff(error: Exception) -> None:
    client = FakeClient(error, error)
    wh, sleeps = make(client)
    wh.execute("merge into x using y on true when matched then delete")
    assert len(client.calls) == 3
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0
    assert wh.retry_count == 2


def test_permanent_errors_fail_at_once_and_name_the_statement() -> None:
    client = FakeClient(gexc.BadRequest("Syntax error: Unexpected keyword"))
    wh, sleeps = make(client)
    with pytest.raises(WarehouseError, match="Syntax error") as info:
        wh.execute("select broken")
    assert not isinstance(info.value, TransientWarehouseError)
    assert len(client.calls) == 1 and sleeps == []


def test_retries_are_bounded() -> None:
    client = FakeClient(*[gexc.ServiceUnavailable("503")] * 10)
    wh, sleeps = make(client, retries=2)
    with pytest.raises(TransientWarehouseError, match="after 3 attempts"):
        wh.execute("select 1")
    assert len(client.calls) == 3 and len(sleeps) == 2


def test_every_value_travels_as_a_parameter_and_jobs_are_labelled() -> None:
    client = FakeClient()
    wh, _ = make(client)
    wh.execute(
        "select * from t where pitcher_id = @p and game_date = @d", {"p": "o'brien", "d": date(2026, 1, 1)}
    )
    sql, config = client.calls[0]
    assert "o'brien" not in sql
    assert [(p.name, p.type_, p.value) for p in config.query_parameters] == [
        ("p", "STRING", "o'brien"),
        ("d", "DATE", date(2026, 1, 1)),
    ]
    assert config.labels["app"] == "kzone"


def test_relations_are_backquoted_and_validated() -> None:
    wh = BigQueryWarehouse(FakeClient(), "kzone-test", schema_prefix="ci_")
    assert wh.relation("raw", "pitcher_game_logs") == "`kzone-test.ci_raw.pitcher_game_logs`"
    with pytest.raises(ValueError):
        wh.relation("raw", "t`; drop table x; --")
    with pytest.raises(ValueError):
        BigQueryWarehouse(FakeClient(), "Bad Project`")
    with pytest.raises(ValueError):
        BigQueryWarehouse(FakeClient(), "kzone-test", labels={"Bad": "x"})


def test_staging_tables_expire_on_their_own() -> None:
    wh = BigQueryWarehouse(FakeClient(), "kzone-test")
    assert "expiration_timestamp" in wh.staging_options() and "interval 24 hour" in wh.staging_options()


def test_batches_are_converted_to_the_exact_target_types() -> None:
    columns = [
        Column("pitcher_id", "string"),
        Column("game_date", "date"),
        Column("n", "int64"),
        Column("x", "float64"),
        Column("ok", "bool"),
        Column("at", "timestamp"),
    ]
    df = pd.DataFrame(
        {
            "pitcher_id": ["a", None],
            "game_date": ["2026-09-27", None],
            "n": pd.array([1, None], dtype="Int64"),
            "x": [1.5, None],
            "ok": [True, None],
            "at": [datetime(2026, 9, 27, 18), None],
        }
    )
    table = to_arrow(df, columns)
    assert [str(t) for t in table.schema.types] == [
        "string",
        "date32[day]",
        "int64",
        "double",
        "bool",
        "timestamp[us, tz=UTC]",
    ]
    assert table.column("game_date").to_pylist() == [date(2026, 9, 27), None]
    assert table.column("at").to_pylist()[0] == datetime(2026, 9, 27, 18, tzinfo=UTC)
    assert sum(col.null_count for col in table.columns) == 6


def test_transient_classification() -> None:
    assert is_transient(gexc.BadRequest("could not serialize access to table due to concurrent update"))
    assert not is_transient(gexc.BadRequest("Unrecognized name: pitcher"))
    assert not is_transient(gexc.NotFound("Table not found"))
