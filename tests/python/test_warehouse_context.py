"""``open_warehouse`` as a context manager: the block's writes are on disk and the file is free for another
connection when the block ends, however it ends; the plain call still returns an open warehouse."""

from __future__ import annotations

import duckdb
import pytest

from python_models.config import Settings
from python_models.warehouse import open_warehouse


def _tables_seen_by_another_connection(settings: Settings) -> list[str]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        return sorted(
            row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()
        )


def test_a_with_block_leaves_its_writes_on_disk_and_the_file_free(settings: Settings) -> None:
    with open_warehouse(settings) as wh:
        wh.ensure_schema("raw")
        wh.execute(f"create table {wh.relation('raw', 'kept')} as select 1 as x")
    assert "kept" in _tables_seen_by_another_connection(settings)


def test_a_block_that_raises_still_releases_the_file(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="mid-block"), open_warehouse(settings) as wh:
        wh.ensure_schema("raw")
        wh.execute(f"create table {wh.relation('raw', 'before_the_error')} as select 1 as x")
        raise RuntimeError("mid-block")
    assert "before_the_error" in _tables_seen_by_another_connection(settings)


def test_the_plain_call_still_returns_an_open_warehouse(settings: Settings) -> None:
    wh = open_warehouse(settings)
    try:
        assert int(wh.query("select 41 + 1 as answer")["answer"].iloc[0]) == 42
    finally:
        wh.close()
