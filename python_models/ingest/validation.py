"""The row rules of every landing table: each cell typed, each row checked, every problem named by line and column.

``validate_frame`` is what every loader and feed calls before anything is written; ``DataValidationError`` is
how a rejected file or frame is reported (the first ``MAX_REPORTED_PROBLEMS`` problems, and how many more).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from python_models.ingest.resolve import TEAM_SEED, team_directory
from python_models.predictors.markets import LINE_RANGE, ODDS_ABS_RANGE  # one definition of 'absurd'
from python_models.warehouse.base import row_hashes
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    INJURED_LIST,
    PEOPLE,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    STRIKEOUT_LINES_BY_NAME,
    TEAM_GAMES,
)
from python_models.warehouse.tables import TableSpec

log = logging.getLogger(__name__)

MAX_REPORTED_PROBLEMS = 20
IL_STATUSES = ("IL7", "IL10", "IL15", "IL60")


# A pitcher starts one game a day: two rows for him on one date would leave one team's game without its
# starter downstream (the feature store holds one start per pitcher and date), so the file is rejected.
ONE_START_A_DAY = ("pitcher_id", "game_date")
ALSO_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    GAME_LOGS.name: (ONE_START_A_DAY,),
    PROBABLE_STARTERS.name: (ONE_START_A_DAY,),
}


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
    seen: SeenKeys | None = None,
) -> pd.DataFrame:
    """Type and check every row of ``raw`` (strings) against ``spec``; raise DataValidationError or return
    the typed frame. ``first_line`` is the file line of the first data row (header is line 1); a feed that
    has no lines (JSON) passes ``locators`` instead, one label per row (its path in the document). A file
    read in chunks passes one ``seen`` to every chunk, so a key repeated across chunks is found too."""
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
    located_by_line = locators is None
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
        seen = seen if seen is not None else SeenKeys()
        numbers = seen.number(lines, first_line if located_by_line else None)
        for columns, what in (
            (spec.key, "duplicates the key of"),
            *(
                (u, "is a second start on one date for this pitcher, with")
                for u in ALSO_UNIQUE.get(spec.name, ())
            ),
        ):
            named = out[list(columns)].notna().all(axis=1).to_numpy()  # a scratch names no pitcher
            seen.check(out[named], lines, numbers[named], problems, columns, what)
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


def _non_negative(*columns: str) -> Callable[[pd.DataFrame, pd.Series, _Problems], None]:
    def check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
        for column in columns:
            v = df[column].astype("Float64")
            problems.add(
                (v < 0).fillna(False),
                lines,
                column,
                "is negative (a count cannot be)",
                df[column].astype("string"),
            )

    return check


def _not_in_future(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    today = datetime.now(UTC).date()
    future = df["game_date"].map(lambda d: d is not None and d > today).astype(bool)
    problems.add(
        future,
        lines,
        "game_date",
        f"is in the future (today is {today} UTC): a game log is a played game",
        df["game_date"],
    )


def _game_id_matches(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    """game_id = home team code + YYYYMMDD of game_date + game number (0/1/2); team differs from opponent."""
    ids = df["game_id"].astype("string")
    dates = df["game_date"].map(lambda d: d.strftime("%Y%m%d") if d is not None else None).astype("string")
    shape = ids.str.fullmatch(r"[A-Z0-9]{3}\d{8}[0-9]").fillna(False).astype(bool)
    problems.add(
        ~shape, lines, "game_id", "is not a home team code + YYYYMMDD + game number (e.g. NYA202604010)", ids
    )
    wrong_day = shape & (ids.str.slice(3, 11) != dates).fillna(False).astype(bool)
    problems.add(
        wrong_day, lines, "game_id", "names another date than game_date: fix the game_id or the date", ids
    )
    if "game_number" in df.columns:
        number = ids.str.slice(11, 12)
        wrong = shape & (number != df["game_number"].astype("string")).fillna(False).astype(bool)
        problems.add(wrong, lines, "game_number", "differs from the game_id's last digit", df["game_number"])
    same = (df["team"] == df["opponent"]).fillna(False).astype(bool)
    problems.add(same, lines, "opponent", "is the team itself", df["opponent"])


def _announced_before_first_pitch(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    late = (df["announced_at"] > df["first_pitch_at"]).fillna(False).astype(bool)
    problems.add(
        late,
        lines,
        "announced_at",
        "is after first_pitch_at: an announcement after the game began cannot feed a pre-game pick "
        "(fix the time, or leave the row out)",
        df["announced_at"].astype("string"),
    )


def _starter_named(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
    """An announcement names its starter; a scratch (is_scratched) names none: it says the starter announced
    before is withdrawn and no replacement is announced yet."""
    scratched = df["is_scratched"].fillna(False).astype(bool)
    for column in ("pitcher_id", "pitcher_name"):
        values = df[column].astype("string")
        problems.add(
            ~scratched & values.isna(),
            lines,
            column,
            "is required (leave it empty only on a scratch row, is_scratched = true)",
            values.fillna(""),
        )
        problems.add(
            scratched & values.notna(),
            lines,
            column,
            "must be empty on a scratch row (is_scratched = true: no starter announced)",
            values,
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


def _known_teams(*columns: str) -> Callable[[pd.DataFrame, pd.Series, _Problems], None]:
    """Each column holds a team the seed knows (any code or name of it), else the row is named."""

    def check(df: pd.DataFrame, lines: pd.Series, problems: _Problems) -> None:
        teams = team_directory()
        known = ", ".join(teams.retro_codes())
        for column in columns:
            bad = df[column].notna() & df[column].map(lambda t: teams.code(t) is None).astype(bool)
            problems.add(
                bad,
                lines,
                column,
                f"is not a team code or name of {TEAM_SEED.name} (known codes: {known}; MLB codes such as "
                "NYY map too)",
                df[column],
            )

    return check


@dataclass
class SeenKeys:
    """Values of each unique column set seen so far in a file, with the row that first had each: a repeat
    is named with both rows, within a chunk or across chunks. Held as sorted 64-bit digests and row numbers
    (16 bytes a row), so a file of a million rows costs a few MB, not a dictionary of strings."""

    digests: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    rows: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # only for feeds located by path (small JSON files)

    def number(self, lines: pd.Series, first_line: int | None) -> np.ndarray:
        """Row numbers of a frame: its file lines, or (located by path) positions in ``labels``."""
        if first_line is not None:
            return np.arange(first_line, first_line + len(lines), dtype=np.int64)
        start = len(self.labels)
        self.labels.extend(str(x) for x in lines)
        return np.arange(start, start + len(lines), dtype=np.int64)

    def label(self, number: int) -> str:
        return self.labels[number] if self.labels else f"line {number}"

    def check(
        self,
        df: pd.DataFrame,
        lines: pd.Series,
        numbers: np.ndarray,
        problems: _Problems,
        columns: tuple[str, ...],
        what: str,
    ) -> None:
        columns = tuple(columns)
        new = np.array([int(h[:16], 16) for h in row_hashes(df, list(columns))], dtype=np.uint64)
        seen = self.digests.get(columns, np.empty(0, np.uint64))
        seen_rows = self.rows.get(columns, np.empty(0, np.int64))
        first = np.full(len(new), -1, dtype=np.int64)
        if len(seen):  # a value an earlier chunk had
            at = np.minimum(np.searchsorted(seen, new), len(seen) - 1)
            known = seen[at] == new
            first[known] = seen_rows[at[known]]
        else:
            known = np.zeros(len(new), dtype=bool)
        repeat_here = pd.Series(new).duplicated(keep="first").to_numpy() & ~known
        if repeat_here.any():  # a value an earlier row of this chunk had
            first_of = pd.Series(numbers).groupby(new).transform("first").to_numpy()
            first[repeat_here] = first_of[repeat_here]
        repeats = np.flatnonzero(first >= 0)
        for i in repeats[:MAX_REPORTED_PROBLEMS]:
            idx = df.index[i]
            value = "+".join(str(df.at[idx, c]) for c in columns)
            problems.items.append(
                f"{lines[idx]}, column {'+'.join(columns)}: {value!r} {what} {self.label(int(first[i]))}"
            )
        if len(repeats) > MAX_REPORTED_PROBLEMS:
            problems.items.append(f"column {'+'.join(columns)}: {len(repeats)} repeated rows in all")
        fresh = first < 0
        merged = np.concatenate([seen, new[fresh]])
        order = np.argsort(merged, kind="stable")
        self.digests[columns] = merged[order]
        self.rows[columns] = np.concatenate([seen_rows, numbers[fresh]])[order]


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
        _non_negative(
            *(
                c.name
                for c in GAME_LOGS.columns
                if c.type in ("int64", "float64") and c.name not in ("temp_f", "wind_speed_mph")
            )
        ),
        _not_in_future,
        _game_id_matches,
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
    STRIKEOUT_LINES_BY_NAME.name: (_range("strikeouts_line", *LINE_RANGE), _odds_check, _known_teams("team")),
    INJURED_LIST.name: (_one_of("status", IL_STATUSES), _known_teams("team")),
    PROBABLE_STARTERS.name: (
        _range("scheduled_innings", 1, 9),
        _non_negative(*(c.name for c in PROBABLE_STARTERS.columns if c.name.startswith("opp_lineup_"))),
        _known_teams("team", "opponent"),
        _game_id_matches,
        _announced_before_first_pitch,
        _starter_named,
    ),
    PEOPLE.name: (_one_of("throws", ("L", "R")), _one_of("bats", ("L", "R", "B")), _mlbam_unique),
}
