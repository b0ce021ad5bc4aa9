"""Incremental feature tables (models/intermediate/windows/int_*_windowed, ml_feature_store;
macros/features/incremental.sql): mornings computed one by one equal a full refresh, a late correction
recomputes exactly the windows it touches, and the no-leakage gates pass on the incremental path.

Every scenario works on a COPY of the session's demo warehouse, changes raw rows the way a loader does
(a reloaded row gets a newer `_loaded_at`), rebuilds the feature nodes and compares tables inside DuckDB.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from python_models.config import Settings
from python_models.jobs.dbt_ops import run_dbt
from tests.python.feeds_fixture import run_cli
from tests.python.test_feature_store import (
    DEMO_VARS,
    STORE,
    build_store,
    connect,
    copy_warehouse,
    rows_differing,
)

LAST_PLAYED = date(2026, 9, 26)  # the demo's newest game logs; 2026-09-27 is the pending slate
AUDIT = "inputs_loaded_at"  # the high-water mark: how recently the row was recomputed, not what it holds


def feature_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every incremental feature table: the relations of schema `features` that carry the mark."""
    rows = con.execute(
        """
        select distinct table_name from information_schema.columns
        where table_schema = 'features' and column_name = ?
        order by 1
        """,
        [AUDIT],
    ).fetchall()
    tables = [f"features.{r[0]}" for r in rows]
    assert STORE in tables and len(tables) >= 9, tables
    return tables


def snapshot(con: duckdb.DuckDBPyConnection, tables: list[str], prefix: str) -> None:
    """A copy of each table as `features.<prefix>_<name>`."""
    for table in tables:
        con.execute(
            f"create or replace table features.{prefix}_{table.split('.')[1]} as select * from {table}"
        )


def assert_equal_to_snapshot(con: duckdb.DuckDBPyConnection, tables: list[str], prefix: str) -> None:
    """Every table has exactly the rows of its snapshot (EXCEPT both ways over the snapshot's columns by
    name, and the same count)."""
    for table in tables:
        copy = f"features.{prefix}_{table.split('.')[1]}"
        columns = ", ".join(f'"{c}"' for c in con.execute(f"select * from {copy} limit 0").fetchdf().columns)
        differing = con.execute(
            f"""
            select count(*) from (
                (select {columns} from {table} except select {columns} from {copy})
                union all
                (select {columns} from {copy} except select {columns} from {table})
            )
            """
        ).fetchone()[0]
        assert differing == 0, f"{differing} rows of {table} differ from {copy}"
        count = con.execute(f"select count(*) from {table}").fetchone()[0]
        assert count == con.execute(f"select count(*) from {copy}").fetchone()[0], table


def test_mornings_appended_one_by_one_equal_a_full_refresh(demo_warehouse: Settings, tmp_path: Path) -> None:
    """The last three days of results arrive one morning at a time (freshly loaded), each morning an
    incremental run; the tables then equal a full refresh of the same data, row for row. A morning
    computes its new dates only: a row months back that a morning would rewrite keeps a planted value."""
    wh = copy_warehouse(demo_warehouse, tmp_path / "mornings")
    mornings = [LAST_PLAYED - timedelta(days=2), LAST_PLAYED - timedelta(days=1), LAST_PLAYED]
    with connect(wh) as con:
        for table in ("pitcher_game_logs", "team_games"):
            con.execute(
                f"create table raw.held_back_{table} as select * from raw.{table} where game_date >= ?",
                [mornings[0]],
            )
            con.execute(f"delete from raw.{table} where game_date >= ?", [mornings[0]])
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        planted_key = con.execute(
            "select pitcher_id, game_date, k_last_3 from features.int_pitcher_starts_windowed "
            "where game_date = date '2026-06-15' and k_last_3 is not null order by pitcher_id limit 1"
        ).fetchone()
        con.execute(
            "update features.int_pitcher_starts_windowed set k_last_3 = -1 where pitcher_id = ? and game_date = ?",
            planted_key[:2],
        )

    for day in mornings:
        with connect(wh) as con:
            for table in ("pitcher_game_logs", "team_games"):
                con.execute(
                    f"insert into raw.{table} "
                    f"select * replace (current_timestamp as _loaded_at) from raw.held_back_{table} "
                    "where game_date = ?",
                    [day],
                )
        build_store(wh, full_refresh=False)
        with connect(wh) as con:
            played = con.execute(
                f"select count(*) from {STORE} where game_date = ? and is_played", [day]
            ).fetchone()[0]
            assert played > 0, f"the morning after {day} must hold {day}'s results"
            planted = con.execute(
                "select k_last_3 from features.int_pitcher_starts_windowed where pitcher_id = ? and game_date = ?",
                planted_key[:2],
            ).fetchone()[0]
            assert planted == -1, "an incremental morning rewrote a row dated months before its new dates"

    with connect(wh) as con:
        con.execute(
            "update features.int_pitcher_starts_windowed set k_last_3 = ? where pitcher_id = ? and game_date = ?",
            [planted_key[2], *planted_key[:2]],
        )
        tables = feature_tables(con)
        snapshot(con, tables, "incremental")
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        assert_equal_to_snapshot(con, tables, "incremental")


def test_a_late_correction_recomputes_exactly_the_windows_it_touches(
    demo_warehouse: Settings, tmp_path: Path
) -> None:
    """A start 10 days back (beyond the lookback) is reloaded with 4 more strikeouts. The incremental run
    recomputes from that date on and nothing earlier; in the feature store exactly the rows whose windows
    hold that start change: the pitcher's later rows (his career, season and last-N strikeouts) and the rows
    of pitchers facing his opponent in the 60 days after (the opponent's K per batter). The tables then
    equal a full refresh, and the no-leakage gates pass on the incrementally built tables."""
    wh = copy_warehouse(demo_warehouse, tmp_path / "correction")
    corrected_on = LAST_PLAYED - timedelta(days=10)
    with connect(wh) as con:
        tables = feature_tables(con)
        snapshot(con, tables, "before")
        game_id, pitcher_id, opponent = con.execute(
            """
            select logs.game_id, logs.pitcher_id, store.opponent
            from raw.pitcher_game_logs as logs
            inner join features.ml_feature_store as store
                on logs.pitcher_id = store.pitcher_id and logs.game_date = store.game_date
            where logs.game_date = ? and logs.batters_faced - logs.strikeouts >= 4
                and exists (
                    select 1 from raw.pitcher_game_logs as later
                    where later.pitcher_id = logs.pitcher_id and later.game_date > logs.game_date
                )
            order by logs.pitcher_id limit 1
            """,
            [corrected_on],
        ).fetchone()
        con.execute(
            """
            update raw.pitcher_game_logs set strikeouts = strikeouts + 4, _loaded_at = current_timestamp
            where game_id = ? and pitcher_id = ?
            """,
            [game_id, pitcher_id],
        )
    build_store(wh, full_refresh=False)

    with connect(wh) as con:
        for table in tables:
            before = f"features.before_{table.split('.')[1]}"
            recomputed_dates = con.execute(
                f"""
                select min(cur.game_date) from {table} as cur
                inner join {before} as was using ({", ".join(key_columns(con, table))})
                where cur.{AUDIT} is distinct from was.{AUDIT}
                """
            ).fetchone()[0]
            assert recomputed_dates == corrected_on, f"{table} recomputed from {recomputed_dates}"
            assert rows_differing(con, table, before, where=f"game_date < date '{corrected_on}'") == 0, table
        changed = set(
            con.execute(
                f"""
                select pitcher_id, game_date from (
                    select * exclude ({AUDIT}) from {STORE}
                    except
                    select * exclude ({AUDIT}) from features.before_ml_feature_store
                )
                """
            ).fetchall()
        )
        touched = set(
            con.execute(
                f"""
                select pitcher_id, game_date from {STORE}
                where (pitcher_id = ? and game_date > ?)
                    or (opponent = ? and game_date > ? and game_date <= ? + interval 60 day)
                """,
                [pitcher_id, corrected_on, opponent, corrected_on, corrected_on],
            ).fetchall()
        )
        assert len(touched) > 10
        assert changed == touched, (
            f"changed but untouched: {sorted(changed - touched)[:5]}, touched but unchanged: "
            f"{sorted(touched - changed)[:5]}"
        )
        snapshot(con, tables, "incremental")
    run_dbt(["test", "--select", "ml_feature_store", "int_pitcher_starts_windowed"], wh, vars=DEMO_VARS)
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        assert_equal_to_snapshot(con, tables, "incremental")


def key_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The grain of a feature table: game_date and the entity column it is keyed by."""
    columns = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            table.split("."),
        ).fetchall()
    }
    entity = [
        c
        for c in ("pitcher_id", "opponent", "park_id", "umpire_home_id", "manager_id", "team")
        if c in columns
    ]
    return ["game_date", *entity[:1]]


def test_check_tests_the_rows_since_a_date_or_every_row(demo_warehouse: Settings, tmp_path: Path) -> None:
    """`kzone check --since D` runs the data tests of the large tables on their rows dated D or later (what
    a morning touched); `kzone check --full` on every row (the weekly pass). A grain breach months back
    is outside the morning's scope and caught by the full pass, which exits 1 naming the test."""
    wh = copy_warehouse(demo_warehouse, tmp_path / "check")
    with connect(wh) as con:
        con.execute(
            "insert into features.int_opponent_games_windowed "
            "select * from features.int_opponent_games_windowed where game_date = date '2026-06-15' limit 1"
        )
    selected = ["--select", "int_opponent_games_windowed"]

    scoped = run_cli(
        ["check", "--since", "2026-09-20", *selected], wh.duckdb_path, KZONE_TEST_SEVERITY="error"
    )
    assert scoped.exit_code == 0, scoped.output
    assert "rows dated on or after 2026-09-20" in scoped.output

    full = run_cli(["check", "--full", *selected], wh.duckdb_path, KZONE_TEST_SEVERITY="error")
    assert full.exit_code == 1
    assert "int_opponent_games_windowed_grain" in full.output

    both = run_cli(["check", "--full", "--since", "2026-09-20"], wh.duckdb_path)
    assert both.exit_code == 2 and "exactly one of --full" in both.output


def test_tables_built_before_the_mark_existed_are_rebuilt_whole_by_the_next_run(
    demo_warehouse: Settings, tmp_path: Path
) -> None:
    """A warehouse whose feature tables predate `inputs_loaded_at` (full tables, or the store of an older
    version): the next plain incremental run rebuilds each of them whole, adds the column, and equals a
    full refresh; no manual --full-refresh is needed to upgrade."""
    wh = copy_warehouse(demo_warehouse, tmp_path / "upgrade")
    with connect(wh) as con:
        tables = feature_tables(con)
        snapshot(con, tables, "full_refresh")
        for table in tables:
            con.execute(f"alter table {table} drop column {AUDIT}")
            con.execute(f"delete from {table} where game_date > date '2026-09-01'")
    build_store(wh, full_refresh=False)
    with connect(wh) as con:
        assert_equal_to_snapshot(con, tables, "full_refresh")
