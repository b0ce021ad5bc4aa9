"""Write the generated demo into the warehouse through the same validated loaders as real data."""

from __future__ import annotations

import logging

import pandas as pd

from python_models.demo.league import DemoData, generate
from python_models.ingest.loaders import load_frame
from python_models.ingest.validation import validate_frame
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    INJURED_LIST,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    TEAM_GAMES,
)
from python_models.warehouse.tables import LEGACY_PREDICTIONS, TableSpec

log = logging.getLogger(__name__)


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """The loaders validate text, as a file would hold it."""
    return df.astype("string")


def load_demo(
    wh: Warehouse, seed: int, *, hold_back_last_day: bool = True
) -> tuple[DemoData, dict[str, int]]:
    """Generate and load the demo. The last day's game logs and team games are held back: it is 'today',
    with probable starters and lines but no results yet, like a live morning."""
    demo = generate(seed)
    logs, team_games = demo.game_logs, demo.team_games
    if hold_back_last_day:
        logs = logs[logs["game_date"] < demo.last_day]
        team_games = team_games[team_games["game_date"] < demo.last_day]
    written: dict[str, int] = {}
    for spec, frame in (
        (GAME_LOGS, logs),
        (TEAM_GAMES, team_games),
        (PROBABLE_STARTERS, demo.probable_starters),
        (STRIKEOUT_LINES, demo.strikeout_lines),
        (INJURED_LIST, demo.injured_list),
    ):
        typed = validate_frame(_as_text(frame), spec, f"demo:{spec.name}")
        result = load_frame(wh, spec, typed, f"demo-seed-{seed}")
        written[spec.name] = result.rows_inserted
    written[LEGACY_PREDICTIONS.name] = write_legacy(wh, demo.legacy_predictions, LEGACY_PREDICTIONS)
    return demo, written


def write_legacy(wh: Warehouse, frame: pd.DataFrame, spec: TableSpec) -> int:
    """Create the pre-migration legacy table (production already has it) and fill it once."""
    if wh.table_exists(spec.layer, spec.name):
        existing = int(wh.query(f"select count(*) from {wh.relation(spec.layer, spec.name)}").iloc[0, 0])
        if existing:
            log.info("legacy table already holds %d rows; left as it is", existing)
            return 0
    result = wh.merge_batch(spec.layer, spec.name, frame, spec.columns, spec.key, hash_column=None)
    return result.rows_inserted
