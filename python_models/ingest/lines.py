"""`kzone load-lines`: sportsbook strikeout lines from a CSV file or from The Odds API's JSON.

Three forms land in ``raw.strikeout_lines`` (key ``game_date, pitcher_id, bookmaker, captured_at``):

- **CSV keyed by id** (a ``pitcher_id`` column): validated and loaded all-or-nothing, as every loader does.
- **CSV keyed by name** (``pitcher_name`` and an optional ``team`` instead of ``pitcher_id``): the form real
  line files have. Each name is resolved to a pitcher id (``python_models.ingest.resolve``).
- **The Odds API v4** event-odds JSON for market ``pitcher_strikeouts`` (``--format odds-api``): each Over
  is paired with its Under (same player, same point), every bookmaker and capture is kept, players are
  resolved by name and the event's two teams.

A malformed row (bad type, absurd line or odds, unknown team) still rejects the whole file, naming where it
is. What a name-keyed file may hold and still load is rows that *cannot be resolved*: those rows (and, for
odds feeds, an Over without its Under, or a second line of one book in one capture) go to
``raw.strikeout_lines_quarantine`` with the reason, and the rest of the file loads. The quarantine holds
the latest load of each file: reloading it (after adding an alias, say) replaces that file's rows there.

Defaults, for both CSV forms when the column is absent: ``bookmaker`` = ``unknown``; ``captured_at`` =
00:00:00 UTC of ``game_date``, i.e. the line is taken as captured before first pitch on its date.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from python_models.ingest.line_rules import Quarantined, cell_text, check_line_rows, quarantine_row, raise_on
from python_models.ingest.loaders import absent_optional, load_frame, read_csv_strings
from python_models.ingest.odds_api import ODDS_API_CARRIES, odds_api_candidates
from python_models.ingest.resolve import PitcherDirectory, Resolution, normalize_name, team_directory
from python_models.ingest.validation import DataValidationError, validate_frame
from python_models.warehouse.base import MergeResult, Warehouse
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    LINES_QUARANTINE,
    PEOPLE,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    STRIKEOUT_LINES_BY_NAME,
)
from python_models.warehouse.tables import TableSpec

log = logging.getLogger(__name__)

FORMATS = ("csv", "odds-api")
UNKNOWN_BOOKMAKER = "unknown"
LINE_FILE_DEFAULTS = {
    "bookmaker": f"`{UNKNOWN_BOOKMAKER}` when the column is absent",
    "captured_at": (
        "00:00:00 UTC of game_date when the column is absent: taken as captured before first pitch on its date"
    ),
}


@dataclass
class LinesLoad:
    """What one lines file did: rows loaded (a MergeResult) and rows quarantined."""

    source: str
    source_format: str
    rows_read: int
    result: MergeResult | None = None
    quarantined: list[Quarantined] = field(default_factory=list)
    ignored_markets: dict[str, int] = field(default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        return self.result.rows_in_batch if self.result else 0


# --- helpers shared by the forms ---------------------------------------------------------------------
def _without(spec: TableSpec, absent: list[str]) -> TableSpec:
    """The spec of a file that lacks the columns given defaults (so their absence is not an error)."""
    return dataclasses.replace(
        spec,
        columns=tuple(c for c in spec.columns if c.name not in absent),
        key=tuple(k for k in spec.key if k not in absent),
    )


def _apply_defaults(typed: pd.DataFrame, absent: list[str]) -> pd.DataFrame:
    if "bookmaker" in absent:
        typed["bookmaker"] = pd.Series(UNKNOWN_BOOKMAKER, index=typed.index, dtype="string")
    if "captured_at" in absent:
        typed["captured_at"] = pd.to_datetime(typed["game_date"].astype("string"), format="%Y-%m-%d")
    return typed


def _unseen_pitcher_ids(wh: Warehouse, frame: pd.DataFrame) -> dict[str, list[str]]:
    """pitcher_ids of a file keyed by id that no game log, probable starter or people row names, with the
    rows that use them: such lines load (a debut is possible) but say so."""
    ids = sorted({str(p) for p in frame["pitcher_id"].dropna()})
    parts = [
        f"select pitcher_id from {wh.relation(s.layer, s.name)} where pitcher_id in (select * from unnest(@ids))"
        for s in (GAME_LOGS, PROBABLE_STARTERS, PEOPLE)
        if wh.table_exists(s.layer, s.name)
    ]
    known = set(wh.query(" union distinct ".join(parts), {"ids": ids})["pitcher_id"]) if parts else set()
    unseen: dict[str, list[str]] = defaultdict(list)
    for pid, where in zip(frame["pitcher_id"], frame["ctx_where"], strict=True):
        if pid not in known:
            unseen[str(pid)].append(where)
    return dict(unseen)


# --- CSV -----------------------------------------------------------------------------------------------
def _csv_candidates(path: Path) -> tuple[pd.DataFrame, bool]:
    """Typed rows of a CSV and whether it is keyed by id (True) or by name (False)."""
    raw = read_csv_strings(path)
    lines = list(range(2, 2 + len(raw)))
    raw, problems = check_line_rows(raw, [f"line {n}" for n in lines])
    raise_on(str(path), problems)
    absent = [c for c in LINE_FILE_DEFAULTS if c not in raw.columns]
    by_id = "pitcher_id" in raw.columns
    spec = STRIKEOUT_LINES if by_id else STRIKEOUT_LINES_BY_NAME
    typed = _apply_defaults(validate_frame(raw, _without(spec, absent), str(path)), absent)
    typed["ctx_where"] = [f"line {n}" for n in lines]
    if by_id:
        return typed, True
    teams = team_directory()
    typed["ctx_line"] = lines
    typed["ctx_teams"] = [[teams.code(t)] if cell_text(t) else [] for t in typed["team"]]
    typed["ctx_raw"] = raw.to_dict("records")
    return typed, False


# --- resolution and writing --------------------------------------------------------------------------
def _resolve(wh: Warehouse, candidates: pd.DataFrame) -> tuple[pd.DataFrame, list[Quarantined]]:
    """pitcher_id for every candidate row that resolves; the others (and key conflicts) quarantined."""
    directory = PitcherDirectory.from_warehouse(wh)
    cache: dict[tuple[str, date, tuple[str, ...]], Resolution] = {}
    ids, games, quarantined = [], [], []
    for row in candidates.itertuples(index=False):
        teams = tuple(sorted(t for t in row.ctx_teams if t))
        key = (normalize_name(str(row.pitcher_name)), row.game_date, teams)
        if key not in cache:
            cache[key] = directory.resolve(row.pitcher_name, row.game_date, teams)
        res = cache[key]
        ids.append(res.pitcher_id)
        games.append(cell_text(row.game_id) or res.game_id)
        if not res.resolved:
            quarantined.append(quarantine_row(row, res.reason))
    frame = candidates.assign(pitcher_id=ids, game_id=games)
    frame = frame[frame["pitcher_id"].notna()]
    clash = frame.duplicated(subset=list(STRIKEOUT_LINES.key), keep=False)
    if clash.any():
        for _, group in frame[clash].groupby(list(STRIKEOUT_LINES.key), sort=False):
            for row in group.itertuples(index=False):
                others = ", ".join(w for w in group["ctx_where"] if w != row.ctx_where)
                quarantined.append(
                    quarantine_row(
                        row,
                        f"resolves to {row.pitcher_id} with the same bookmaker and capture as {others}: "
                        "which line is right cannot be told",
                    )
                )
        frame = frame[~clash]
    return frame, quarantined


def write_quarantine(wh: Warehouse, source: str, source_format: str, rows: list[Quarantined]) -> None:
    """The file's quarantined rows replace whatever an earlier load of the same file left there."""
    spec = LINES_QUARANTINE
    wh.ensure_table(spec.layer, spec.name, spec.columns)
    if rows:
        frame = pd.DataFrame(
            {
                "record": [q.record for q in rows],
                "line_number": pd.array([q.line_number for q in rows], dtype="Int64"),
                "source_format": source_format,
                "game_date": [q.game_date for q in rows],
                "pitcher_name": [q.pitcher_name for q in rows],
                "team": [q.team for q in rows],
                "bookmaker": [q.bookmaker for q in rows],
                "reason": [q.reason for q in rows],
                "raw_row": [
                    json.dumps(q.raw_row, default=str, ensure_ascii=False, sort_keys=True) for q in rows
                ],
            }
        )
        load_frame(wh, spec, frame, source)
    rel = wh.relation(spec.layer, spec.name)
    if rows:
        wh.execute(
            f"delete from {rel} where _source_file = @source and record not in (select * from unnest(@records))",
            {"source": source, "records": [q.record for q in rows]},
        )
    else:
        wh.execute(f"delete from {rel} where _source_file = @source", {"source": source})


def load_lines(wh: Warehouse, path: Path, source_format: str = "csv") -> LinesLoad:
    """Validate a lines file, resolve its pitchers, load what resolves and quarantine what does not."""
    if source_format not in FORMATS:
        raise ValueError(f"unknown lines format {source_format!r}; one of {FORMATS}")
    if source_format == "csv" and path.suffix.lower() == ".json":
        raise DataValidationError(
            str(path), ["is JSON: load The Odds API's responses with --format odds-api"]
        )
    ignored: dict[str, int] = {}
    if source_format == "csv":
        candidates, by_id = _csv_candidates(path)
        early: list[Quarantined] = []
    else:
        candidates, early, ignored = odds_api_candidates(path)
        by_id = False
    rows_read = len(candidates) + len(early)
    if by_id:
        frame, quarantined = candidates, []
        unseen = _unseen_pitcher_ids(wh, frame)
        if unseen:
            listed = "; ".join(f"{pid} ({', '.join(where[:3])})" for pid, where in list(unseen.items())[:10])
            log.warning(
                "%s: %d pitcher_id(s) the warehouse has never seen (no game log, probable starter or people "
                "row): %s. They load, but no prediction uses them until the pitcher appears: check the ids "
                "(this warehouse's Retrosheet ids, as the game logs have them) or load people/game logs first",
                path.name,
                len(unseen),
                listed,
            )
    else:
        frame, quarantined = _resolve(wh, candidates)
        quarantined = early + quarantined
    log.info(
        "%s: %d line(s) read, %d resolved, %d quarantined%s",
        path.name,
        rows_read,
        len(frame),
        len(quarantined),
        f", markets ignored: {ignored}" if ignored else "",
    )
    load = LinesLoad(path.name, source_format, rows_read, quarantined=quarantined, ignored_markets=ignored)
    if len(frame):
        content = STRIKEOUT_LINES.content_columns()
        # an optional column the file does not carry keeps what stored captures of the same key hold
        carried = list(pd.read_csv(path, nrows=0).columns) if source_format == "csv" else ODDS_API_CARRIES
        load.result = load_frame(
            wh,
            STRIKEOUT_LINES,
            frame[content].reset_index(drop=True),
            path.name,
            absent=absent_optional(STRIKEOUT_LINES, carried),
        )
    write_quarantine(wh, path.name, source_format, quarantined)
    return load
