"""Loaders for the raw landing sources: validate every row, then write the file as ONE batch.

A file is all-or-nothing: any malformed row rejects the whole file with messages naming the line and the
column, and nothing is written. A valid file goes through the warehouse's staging table + MERGE on the
table's key, so re-loading the same file adds and changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from python_models.data.resolve import TEAM_SEED, team_directory
from python_models.predictors.markets import LINE_RANGE, ODDS_ABS_RANGE  # one definition of 'absurd'
from python_models.warehouse.base import MergeResult, Warehouse, new_batch_id, row_hashes
from python_models.warehouse.tables import (
    GAME_LOGS,
    INJURED_LIST,
    PEOPLE,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    STRIKEOUT_LINES_BY_NAME,
    TEAM_GAMES,
    TableSpec,
)

log = logging.getLogger(__name__)

MAX_REPORTED_PROBLEMS = 20
IL_STATUSES = ("IL7", "IL10", "IL15", "IL60")


class DataValidationError(ValueError):
    """A file or frame failed validation; ``problems`` lists each with its line and column."""

    def __init__(self, source: str, problems: list[str], total: int | None = None) -> None:
        self.source = source
        self.problems = problems
        total = total if total is not None else len(problems)
        shown = "\n  ".join(problems[:MAX_REPORTED_PROBLEMS])
        more = f"\n  ... and {total - MAX_REPORTED_PROBLEMS} more" if total > MAX_REPORTED_PROBLEMS else ""
        super().__init__(f"{source}: rejected, nothing was loaded ({total} problem(s)):\n  {shown}{more}")


@dataclass
class _Problems:
    source: str
    items: list[str]

    def add(self, mask: pd.Series, where: pd.Series, column: str, what: str, values: pd.Series) -> None:
        """One problem per flagged row: ``where`` says where the row is (``line 19``, a JSON path)."""
        for idx in mask[mask].index[:MAX_REPORTED_PROBLEMS]:
            self.items.append(f"{where[idx]}, column {column}: {values[idx]!r} {what}")
        if mask.sum() > MAX_REPORTED_PROBLEMS:
            self.items.append(f"column {column}: {int(mask.sum())} rows {what} in all")


_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


def _parse_column(raw: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Parse strings to a type; return (values, bad mask) where bad = non-empty but unparsable."""
    text = raw.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if kind == "string":
        return text.mask(empty), pd.Series(False, index=raw.index)
    if kind == "int64":
        num = pd.to_numeric(text.mask(empty), errors="coerce")
        bad = (~empty & num.isna()) | (num.notna() & (num != np.floor(num.fillna(0))))
        return num.astype("Int64", errors="ignore") if not bad.any() else num, bad
    if kind == "float64":
        num = pd.to_numeric(text.mask(empty), errors="coerce")
        bad = (~empty & num.isna()) | np.isinf(num.fillna(0))
        return num.astype("Float64"), bad
    if kind == "bool":
        low = text.str.lower()
        val = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        val[low.isin(_TRUE).fillna(False)] = True
        val[low.isin(_FALSE).fillna(False)] = False
        return val, ~empty & val.isna()
    if kind == "date":
        ok_shape = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)
        val = pd.to_datetime(text.where(ok_shape), format="%Y-%m-%d", errors="coerce")
        return val.dt.date.astype("object").where(val.notna(), None), ~empty & val.isna()
    if kind == "timestamp":
        val = pd.to_datetime(text.mask(empty), errors="coerce", utc=True, format="ISO8601")
        return val.dt.tz_convert("UTC").dt.tz_localize(None), ~empty & val.isna()
    raise ValueError(kind)


def validate_frame(
    raw: pd.DataFrame,
    spec: TableSpec,
    source: str,
    *,
    first_line: int = 2,
    locators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Type and check every row of ``raw`` (strings) against ``spec``; raise DataValidationError or return
    the typed frame. ``first_line`` is the file line of the first data row (header is line 1); a feed that
    has no lines (JSON) passes ``locators`` instead, one label per row (its path in the document)."""
    problems = _Problems(source, [])
    if raw.empty:
        raise DataValidationError(source, ["the file has no data rows"])
    content = [c for c in spec.columns if c.name not in {"row_hash", "_source_file", "_loaded_at"}]
    missing = [c.name for c in content if not c.nullable and c.name not in raw.columns]
    if missing:
        raise DataValidationError(source, [f"header lacks required column(s) {missing}"])
    extra = sorted(set(raw.columns) - {c.name for c in spec.columns})
    if extra:
        log.warning("%s: ignoring unknown column(s) %s", source, extra)
    if locators is None:
        locators = [f"line {n}" for n in range(first_line, first_line + len(raw))]
    lines = pd.Series(list(locators), index=raw.index)
    out = pd.DataFrame(index=raw.index)
    for column in content:
        values = raw[column.name] if column.name in raw.columns else pd.Series(pd.NA, index=raw.index)
        parsed, bad = _parse_column(values, column.type)
        problems.add(bad, lines, column.name, f"is not a valid {column.type}", values)
        if not column.nullable:
            null = parsed.isna() & ~bad
            problems.add(null, lines, column.name, "is required", values.fillna(""))
        out[column.name] = parsed
    if not problems.items:
        for check in _DOMAIN_CHECKS.get(spec.name, ()):
            check(out, lines, problems)
        dup = out.duplicated(subset=list(spec.key), keep=False)
        if dup.any():
            problems.add(dup, lines, "+".join(spec.key), "duplicates another row's key", out[spec.key[0]])
    if problems.items:
        raise DataValidationError(source, problems.items)
    return out


def _range(column: str, lo: float, hi: float) -> Callable[[pd.DataFrame, pd.Series, _Problems], None]:
    def check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
        v = df[column].astype("Float64")
        problems.add(
            ((v < lo) | (v > hi)).fillna(False), lines, column, f"is outside [{lo}, {hi}]", df[column]
        )

    return check


def _throws_check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    throws = ~df["pitcher_throws"].isin(["L", "R"]) & df["pitcher_throws"].notna()
    problems.add(throws, lines, "pitcher_throws", "is not L or R", df["pitcher_throws"])


def _season_matches_date(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    years = pd.to_datetime(df["game_date"]).dt.year
    problems.add(
        (years != df["season"]).fillna(False), lines, "season", "differs from game_date's year", df["season"]
    )


def _not_above(column: str, limit: str) -> Callable[[pd.DataFrame, pd.Series, _Problems], None]:
    def check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
        problems.add((df[column] > df[limit]).fillna(False), lines, column, f"exceeds {limit}", df[column])

    return check


def _team_game_consistency(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    same = (df["team"] == df["opponent"]).fillna(False)
    problems.add(same, lines, "opponent", "is the team itself", df["opponent"])
    plate = (df["batting_ab"] + df["batting_walks"]).astype("Float64")
    problems.add(
        (plate > df["batting_pa"]).fillna(False),
        lines,
        "batting_pa",
        "is below batting_ab + batting_walks",
        df["batting_pa"],
    )
    sizes = df["lineup_ids"].str.split("|").str.len()
    problems.add(
        (df["lineup_ids"].notna() & (sizes != 9)).fillna(False),
        lines,
        "lineup_ids",
        "does not hold 9 ids joined by |",
        df["lineup_ids"],
    )


def _odds_check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    lo, hi = ODDS_ABS_RANGE
    for column in ("over_odds", "under_odds"):
        a = df[column].astype("Float64").abs()
        problems.add(
            ((a < lo) | (a > hi)).fillna(False),
            lines,
            column,
            f"is not American odds in ±[{lo}, {hi}]",
            df[column],
        )
    half = (df["strikeouts_line"] * 2) % 1 != 0
    problems.add(
        half.fillna(False), lines, "strikeouts_line", "is not a whole or half number", df["strikeouts_line"]
    )


def _one_of(column: str, allowed: tuple[str, ...]) -> Callable[[pd.DataFrame, pd.Series, _Problems], None]:
    def check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
        bad = ~df[column].isin(allowed) & df[column].notna()
        problems.add(bad.fillna(False), lines, column, f"is not one of {allowed}", df[column])

    return check


def _team_check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    teams = team_directory()
    bad = df["team"].notna() & df["team"].map(lambda t: teams.code(t) is None).astype(bool)
    problems.add(bad, lines, "team", f"is not a team code or name of {TEAM_SEED.name}", df["team"])


def _mlbam_unique(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    ids = df["key_mlbam"]
    dup = (ids.notna() & ids.duplicated(keep=False)).fillna(False).astype(bool)
    problems.add(dup, lines, "key_mlbam", "is given to two pitcher_ids", ids)


_DOMAIN_CHECKS: dict[str, tuple[Callable[[pd.DataFrame, pd.Series, _Problems], None], ...]] = {
    GAME_LOGS.name: (
        _range("strikeouts", 0, 30),
        _range("batters_faced", 0, 60),
        _range("outs_recorded", 0, 36),
        _range("walks", 0, 30),
        _range("scheduled_innings", 1, 9),
        _not_above("strikeouts", "batters_faced"),
        _season_matches_date,
        _throws_check,
    ),
    TEAM_GAMES.name: (
        _range("batting_pa", 0, 150),
        _range("batting_strikeouts", 0, 60),
        _range("pitching_outs", 0, 120),
        _range("pitchers_used", 1, 30),
        _range("starter_batters_faced", 0, 60),
        _not_above("batting_strikeouts", "batting_pa"),
        _not_above("batting_hits", "batting_ab"),
        _not_above("batting_home_runs", "batting_hits"),
        _season_matches_date,
        _team_game_consistency,
    ),
    STRIKEOUT_LINES.name: (_range("strikeouts_line", *LINE_RANGE), _odds_check),
    STRIKEOUT_LINES_BY_NAME.name: (_range("strikeouts_line", *LINE_RANGE), _odds_check, _team_check),
    INJURED_LIST.name: (_one_of("status", IL_STATUSES),),
    PROBABLE_STARTERS.name: (_range("scheduled_innings", 1, 9),),
    PEOPLE.name: (_one_of("throws", ("L", "R")), _one_of("bats", ("L", "R", "B")), _mlbam_unique),
}


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
    if not path.exists():
        raise DataValidationError(str(path), ["file does not exist"])
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[], compression="infer", encoding="utf-8"
        )
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


def prepare_batch(typed: pd.DataFrame, spec: TableSpec, source_file: str) -> pd.DataFrame:
    """Add the audit columns: content hash, source file and load time."""
    batch = typed.copy()
    batch["row_hash"] = row_hashes(batch, spec.content_columns())
    batch["_source_file"] = source_file
    batch["_loaded_at"] = datetime.now(UTC).replace(tzinfo=None)
    return batch


def load_frame(wh: Warehouse, spec: TableSpec, typed: pd.DataFrame, source_file: str) -> MergeResult:
    """Write an already validated frame as one batch (staging + MERGE on the key)."""
    batch = prepare_batch(typed, spec, source_file)
    return wh.merge_batch(spec.layer, spec.name, batch, spec.columns, spec.key, batch_id=new_batch_id("load"))


def load_file(wh: Warehouse, spec: TableSpec, path: Path) -> MergeResult:
    """Validate and load one file into a raw table; all rows or none."""
    raw = read_csv_strings(path)
    typed = validate_frame(raw, spec, str(path))
    log.info("%s: %d rows valid for %s", path.name, len(typed), spec.name)
    return load_frame(wh, spec, typed, path.name)


def ensure_raw_tables(wh: Warehouse, *, scoring: bool = False) -> None:
    """Create every raw landing table (empty) if missing and add the columns a newer contract has, so the
    staging views build even where a source has not delivered yet (e.g. real historical data has no
    probable-starter or injured-list feed) and after an upgrade that added a column. With ``scoring``, the
    scorer's landing table and the model registry too (the daily job and `kzone build` run this first)."""
    from python_models.warehouse.tables import MODEL_REGISTRY, PREDICTIONS_LANDING, RAW_TABLES

    specs = [*RAW_TABLES.values(), *((PREDICTIONS_LANDING, MODEL_REGISTRY) if scoring else ())]
    for spec in specs:
        wh.ensure_table(spec.layer, spec.name, spec.columns)
