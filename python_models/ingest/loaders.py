"""Loaders for the raw landing sources: validate every row, then write the file as ONE batch.

A file is all-or-nothing: any malformed row rejects the whole file with messages naming the line and the
column, and nothing is written. A valid file goes through the warehouse's staging table + MERGE on the
table's key, so re-loading the same file adds and changes nothing. A file is read, checked and staged in
chunks of ``CHUNK_ROWS`` rows (memory holds one chunk, not the file); the one MERGE runs after the last
chunk passed, so a bad row anywhere still writes nothing. An optional column the file does not have keeps
the values stored rows already hold for it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from python_models.ingest.validation import DataValidationError, SeenKeys, validate_frame
from python_models.warehouse.base import MergeResult, Warehouse, new_batch_id, row_hashes
from python_models.warehouse.raw_tables import PROBABLE_STARTER_ANNOUNCEMENTS, PROBABLE_STARTERS
from python_models.warehouse.tables import TableSpec

log = logging.getLogger(__name__)

CHUNK_ROWS = 20_000  # rows read, checked and staged at a time (~5 MB of game-log CSV)
# Where a load also keeps its history (every version, keyed with the version's time).
HISTORY = {PROBABLE_STARTERS.name: PROBABLE_STARTER_ANNOUNCEMENTS}


def _open_bytes(path: Path) -> bytes:
    if path.suffix == ".gz":
        import gzip

        with gzip.open(path, "rb") as fh:
            return fh.read()
    return path.read_bytes()


def _encoding_problem(path: Path) -> str:
    """Where a file stops being UTF-8 (line and byte), and an encoding that reads that line."""
    data = _open_bytes(path)
    # latin-1 decodes any bytes, so a hint is always found; cp1252 (Excel on Windows) is the likelier one
    encoding = "cp1252"
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "latin-1"
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw_line.decode(encoding).rstrip("\r")
            return (
                f"line {number}, byte {exc.start + 1}: not UTF-8 (bytes {raw_line[exc.start : exc.end]!r}); "
                f"it reads as {encoding}: {text!r} - re-save the file as UTF-8"
            )
    return "not UTF-8: re-save the file as UTF-8"


def read_csv_strings(path: Path) -> pd.DataFrame:
    """Read a CSV (optionally .gz) keeping every cell as text, so validation sees what the file says."""
    chunks = list(read_csv_chunks(path, chunk_rows=None))
    return chunks[0]


def read_csv_chunks(path: Path, chunk_rows: int | None = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The CSV's rows as text, ``chunk_rows`` at a time (None: all at once); the chunks keep the file's
    row numbering in their index (0 = the first data row, file line 2). Unreadable files are named."""
    if not path.exists():
        raise DataValidationError(str(path), ["file does not exist"])
    try:
        reader = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            compression="infer",
            encoding="utf-8",
            chunksize=chunk_rows,
        )
        if chunk_rows is None:
            yield reader
            return
        with reader:
            yield from reader
    except pd.errors.EmptyDataError:
        raise DataValidationError(str(path), ["the file is empty (no header, no rows)"]) from None
    except UnicodeDecodeError:
        raise DataValidationError(str(path), [_encoding_problem(path)]) from None
    except (pd.errors.ParserError, EOFError, OSError) as exc:
        raise DataValidationError(str(path), [f"cannot be read as CSV: {exc}"]) from exc


def read_json_document(path: Path) -> Any:
    """Parse a JSON file; an empty, non-UTF-8 or malformed file is rejected naming the line and column."""
    if not path.exists():
        raise DataValidationError(str(path), ["file does not exist"])
    data = _open_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataValidationError(str(path), [_encoding_problem(path)]) from None
    if not text.strip():
        raise DataValidationError(str(path), ["the file is empty (no JSON document)"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            str(path), [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None


def prepare_batch(
    typed: pd.DataFrame, spec: TableSpec, source_file: str, loaded_at: datetime | None = None
) -> pd.DataFrame:
    """Add the audit columns: content hash, source file and load time."""
    batch = typed.copy()
    batch["row_hash"] = row_hashes(batch, spec.content_columns())
    batch["_source_file"] = source_file
    batch["_loaded_at"] = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    return batch


def _write(wh: Warehouse, spec: TableSpec, chunks: Iterator[pd.DataFrame]) -> MergeResult:
    """Merge prepared chunks into the table as one batch (and into its history first, where it has one)."""
    history = HISTORY.get(spec.name)
    if history is not None:  # small feeds (a day's announcements): held whole to write them twice
        held = list(chunks)
        wh.merge_batch(
            history.layer, history.name, held, history.columns, history.key, batch_id=new_batch_id("hist")
        )
        chunks = iter(held)
    return wh.merge_batch(
        spec.layer,
        spec.name,
        chunks,
        spec.columns,
        spec.key,
        batch_id=new_batch_id("load"),
        latest_by=spec.latest_by,
    )


def _same_row(spec: TableSpec) -> list[str]:
    """What makes a stored row the same row as a new one: its key, and its pitcher where the key does not
    hold him (a scratch replaces the starter of a game: his hand or lineup facts are not the new one's)."""
    extra = ["pitcher_id"] if "pitcher_id" in spec.column_names and "pitcher_id" not in spec.key else []
    return [*spec.key, *extra]


def stored_values(wh: Warehouse, spec: TableSpec, columns: Sequence[str]) -> pd.DataFrame:
    """Stored rows that hold a value in any of ``columns``: their identity digest (index) and those
    columns."""
    if not columns or not wh.table_exists(spec.layer, spec.name):
        return pd.DataFrame(columns=list(columns))
    same, cols = _same_row(spec), ", ".join(columns)
    held = " or ".join(f"{c} is not null" for c in columns)
    stored = wh.query(
        f"select {', '.join(same)}, {cols} from {wh.relation(spec.layer, spec.name)} where {held}"
    )
    stored.index = row_hashes(stored, same) if not stored.empty else stored.index
    return stored[list(columns)]


def keep_stored(typed: pd.DataFrame, spec: TableSpec, stored: pd.DataFrame) -> pd.DataFrame:
    """Fill the columns of ``stored`` (optional columns the file did not have) from the stored row that is
    the same row (same key, same pitcher), so a file without a column never nulls what the table held."""
    if stored.empty or typed.empty:
        return typed
    at = row_hashes(typed, _same_row(spec))
    for column in stored.columns:
        by_key = stored[column].dropna()
        filled = pd.Series(by_key.reindex(at.to_numpy()).to_numpy(), index=typed.index, dtype=by_key.dtype)
        filled = filled.where(filled.notna(), None)
        try:
            typed[column] = filled.astype(typed[column].dtype)
        except (TypeError, ValueError):  # an absent column typed as all-null float: the stored type
            typed[column] = filled
    return typed


def absent_optional(spec: TableSpec, header: Sequence[str]) -> list[str]:
    """Optional content columns a file's header lacks."""
    audit = {"row_hash", "_source_file", "_loaded_at"}
    return [c.name for c in spec.columns if c.nullable and c.name not in audit and c.name not in header]


def load_frame(
    wh: Warehouse, spec: TableSpec, typed: pd.DataFrame, source_file: str, *, absent: Sequence[str] = ()
) -> MergeResult:
    """Write an already validated frame as one batch (staging + MERGE on the key); ``absent`` columns (the
    feed does not carry them) keep the values stored rows hold."""
    typed = keep_stored(typed, spec, stored_values(wh, spec, absent))
    return _write(wh, spec, iter([prepare_batch(typed, spec, source_file)]))


def load_file(wh: Warehouse, spec: TableSpec, path: Path, *, chunk_rows: int = CHUNK_ROWS) -> MergeResult:
    """Validate and load one file into a raw table; all rows or none. The file is read, checked and
    staged ``chunk_rows`` at a time; every chunk is checked even after a bad one, so the error lists the
    problems of the whole file, and the MERGE only runs when none was found."""
    chunks = read_csv_chunks(path, chunk_rows)
    first = next(chunks)
    absent = absent_optional(spec, list(first.columns))
    stored = stored_values(wh, spec, absent)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    problems: list[str] = []
    rows = 0

    def prepared() -> Iterator[pd.DataFrame]:
        nonlocal rows
        seen = SeenKeys()
        for chunk in _chain(first, chunks):
            try:
                start = 2 + int(chunk.index[0]) if len(chunk) else 2
                typed = validate_frame(chunk, spec, str(path), first_line=start, seen=seen)
            except DataValidationError as exc:
                problems.extend(exc.problems)
                continue
            rows += len(typed)
            if not problems:
                yield prepare_batch(keep_stored(typed, spec, stored), spec, path.name, loaded_at)
        if problems:
            raise DataValidationError(str(path), problems)

    result = _write(wh, spec, prepared())
    log.info("%s: %d rows valid for %s", path.name, rows, spec.name)
    return result


def _chain(first: pd.DataFrame, rest: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    yield first
    yield from rest


def ensure_raw_tables(wh: Warehouse, *, scoring: bool = False) -> None:
    """Create every raw landing table (empty) if missing and add the columns a newer contract has, so the
    staging views build even where a source has not delivered yet (e.g. real historical data has no
    probable-starter or injured-list feed) and after an upgrade that added a column. With ``scoring``, the
    scorer's landing table and the model registry too (the daily job and `kzone build` run this first)."""
    from python_models.warehouse.raw_tables import RAW_TABLES
    from python_models.warehouse.tables import MODEL_REGISTRY, PREDICTIONS_LANDING

    specs = [*RAW_TABLES.values(), *((PREDICTIONS_LANDING, MODEL_REGISTRY) if scoring else ())]
    for spec in specs:
        wh.ensure_table(spec.layer, spec.name, spec.columns)
