"""Row hashes cover typed values: the same content hashes the same whatever dtype pandas gave a column."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from python_models.warehouse.base import row_hashes

COLUMNS = ["pitcher_id", "strikeouts_line", "over_odds", "under_odds", "captured_at", "is_home", "game_date"]


def _slate(*, with_unlined_pitcher: bool) -> pd.DataFrame:
    rows = [
        ("colee001", 6.5, -115, -105, datetime(2026, 4, 1, 15), True, date(2026, 4, 1)),
        ("kersc001", 5.0, 110, -130, datetime(2026, 4, 1, 16), False, date(2026, 4, 1)),
    ]
    if with_unlined_pitcher:
        rows.append(("nolin001", None, None, None, None, True, date(2026, 4, 1)))
    return pd.DataFrame(rows, columns=COLUMNS)


def test_a_pitcher_without_a_line_does_not_change_the_other_rows_hashes() -> None:
    lined = row_hashes(_slate(with_unlined_pitcher=False), COLUMNS)
    mixed_frame = _slate(with_unlined_pitcher=True)
    assert mixed_frame["over_odds"].dtype == "float64"  # what pandas does to the odds columns
    mixed = row_hashes(mixed_frame, COLUMNS)
    assert mixed.iloc[:2].tolist() == lined.tolist()


def test_int_and_float_of_the_same_number_and_every_null_hash_alike() -> None:
    as_int = pd.DataFrame({"odds": pd.array([110, -120, None], dtype="Int64")})
    as_float = pd.DataFrame({"odds": [110.0, -120.0, np.nan]})
    as_object = pd.DataFrame({"odds": pd.Series([110, -120.0, None], dtype=object)})
    as_nat_na = pd.DataFrame({"odds": pd.Series([110, -120, pd.NA], dtype=object)})
    hashes = [row_hashes(f, ["odds"]).tolist() for f in (as_int, as_float, as_object, as_nat_na)]
    assert hashes[0] == hashes[1] == hashes[2] == hashes[3]


def test_different_content_hashes_differently() -> None:
    frame = pd.DataFrame({"line": [6.5, 7.5, 6.5], "odds": [-110, -110, -115]})
    hashes = row_hashes(frame, ["line", "odds"])
    assert hashes.nunique() == 3
    # a null is not the same content as zero or as the empty string
    nulls = pd.DataFrame({"x": pd.Series([None, 0, ""], dtype=object)})
    assert row_hashes(nulls, ["x"]).nunique() == 3


def test_timestamps_hash_alike_naive_utc_or_aware_and_at_any_precision() -> None:
    naive = pd.DataFrame({"at": pd.to_datetime(["2026-04-01 15:00:00"]).astype("datetime64[us]")})
    aware = pd.DataFrame({"at": [pd.Timestamp("2026-04-01 11:00:00-04:00")]})
    python = pd.DataFrame({"at": pd.Series([datetime(2026, 4, 1, 15, tzinfo=UTC)], dtype=object)})
    assert row_hashes(naive, ["at"]).tolist() == row_hashes(aware, ["at"]).tolist()
    assert row_hashes(naive, ["at"]).tolist() == row_hashes(python, ["at"]).tolist()


def test_a_frame_read_back_from_the_warehouse_hashes_as_written(warehouse) -> None:
    from python_models.warehouse.base import Column

    frame = _slate(with_unlined_pitcher=True)
    columns = [
        Column("pitcher_id", "string", False),
        Column("strikeouts_line", "float64"),
        Column("over_odds", "int64"),
        Column("under_odds", "int64"),
        Column("captured_at", "timestamp"),
        Column("is_home", "bool"),
        Column("game_date", "date"),
    ]
    warehouse.merge_batch("raw", "hash_probe", frame, columns, ["pitcher_id"], hash_column=None)
    back = warehouse.query(
        f"select {', '.join(COLUMNS)} from {warehouse.relation('raw', 'hash_probe')} order by pitcher_id"
    )
    assert row_hashes(back, COLUMNS).tolist() == row_hashes(frame, COLUMNS).tolist()
