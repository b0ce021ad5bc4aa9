"""The BigQuery SQL of the project, proven without credentials: compile offline, parse as BigQuery."""

from __future__ import annotations

from pathlib import Path

import pytest

from python_models.dbt.bq_offline import check_bigquery_sql, run


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("select 1::int", "'::' cast"),
        ("select cast(x as varchar) from t", "DuckDB type name"),
        ("select cast(x as double) from t", "DuckDB type name"),
        ("select strip_accents(name) from t", "DuckDB-only function"),
        ("select list_value(1, 2)", "DuckDB-only function"),
        ("select epoch(ts) from t", "DuckDB-only function"),
        ("select date_diff('day', a, b) from t", "part first as a string"),
        ("select count(*) filter (where k > 5) from t", "FILTER (WHERE"),
        ("select * from t where d > current_date - interval '3 days'", "interval written as one string"),
        ("select regexp_replace(lower(x), '[^a-z]+', '_', 'g') from t", "regexp_replace with a 4th argument"),
        ("select * exclude (a) from t", "EXCLUDE"),
        ("select from where", "cannot parse"),
    ],
)
def test_checker_rejects_duckdb_isms(sql: str, why: str) -> None:
    problems = check_bigquery_sql(sql)
    assert any(why in p for p in problems), problems


def test_checker_accepts_bigquery_sql_and_ignores_strings_and_comments() -> None:
    sql = """
        -- a comment may say 1::int or strip_accents(x)
        select
            safe_cast(s.pitcher_id as string) as text,  /* alias named text is fine: list_value( */
            date_diff(s.game_date, date '2026-01-01', day) as days,
            countif(s.strikeouts > 5) as big_games,
            '::varchar' as looks_like_a_cast,
            regexp_replace(lower(s.name), r'[^a-z0-9]+', '_') as slug,
            array_length(split(s.name, ' ')) as words,
            starts_with(s.name, 'A') as is_a
        from `kzone-prod.staging.stg_x` as s
        where s.game_date >= date_sub(current_date, interval 3 day)
            and s.captured_at > timestamp_sub(current_timestamp(), interval '2' hour)
        qualify row_number() over (partition by s.pitcher_id order by s.game_date desc) = 1
    """
    assert check_bigquery_sql(sql) == []


@pytest.mark.slow
def test_every_sql_node_compiles_for_bigquery_offline_in_both_incremental_modes(tmp_path: Path) -> None:
    """`make bq-compile`: every model/test/snapshot compiles (is_incremental true AND false) and parses."""
    report = run(tmp_path / "bq_offline")
    modes = set(report.expected)
    assert modes == {"is_incremental=true", "is_incremental=false"}
    assert not report.compile_errors, report.compile_errors
    for mode in modes:
        assert report.expected[mode], f"{mode}: no SQL node selected"
        assert not report.missing(mode), f"{mode}: selected but not compiled: {sorted(report.missing(mode))}"
    kinds = {r.resource_type for r in report.results}
    assert {"model", "test"} <= kinds
    findings = [f"{r.path} [{r.mode}]: {p}" for r in report.failures for p in r.problems]
    assert not findings, "BigQuery-incompatible SQL:\n" + "\n".join(findings)
