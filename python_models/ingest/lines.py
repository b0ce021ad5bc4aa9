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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from python_models.ingest.loaders import (
    DataValidationError,
    absent_optional,
    load_frame,
    read_csv_strings,
    read_json_document,
    validate_frame,
)
from python_models.ingest.resolve import PitcherDirectory, Resolution, normalize_name, team_directory
from python_models.predictors.markets import implausible_margin
from python_models.predictors.odds import american_from_decimal, no_vig_probabilities, price_margin
from python_models.warehouse.base import MergeResult, Warehouse
from python_models.warehouse.tables import (
    GAME_LOGS,
    LINES_QUARANTINE,
    PEOPLE,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    STRIKEOUT_LINES_BY_NAME,
    TableSpec,
)

log = logging.getLogger(__name__)

FORMATS = ("csv", "odds-api")
ODDS_API_MARKET = "pitcher_strikeouts"
UNKNOWN_BOOKMAKER = "unknown"
MAX_DECIMAL_ODDS = 20  # a price in (1, 20] is decimal odds (20 = +1900), never American (|odds| >= 100)
EVENT_TIMEZONE = "America/New_York"  # game_date of an odds event = its local date in New York
LINE_FILE_DEFAULTS = {
    "bookmaker": f"`{UNKNOWN_BOOKMAKER}` when the column is absent",
    "captured_at": (
        "00:00:00 UTC of game_date when the column is absent: taken as captured before first pitch on its date"
    ),
}
# The Odds API fields read (documented in the README by python_models.ingest.formats).
ODDS_API_FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("[] or {}", "list / object", True, "A list of events, one event, or a historical snapshot {data: ...}."),
    ("id", "string", False, "Event id (kept in the quarantine's raw_row)."),
    (
        "commence_time",
        "timestamp",
        True,
        "Scheduled first pitch (UTC) → event_start_at; game_date = its New York date.",
    ),
    (
        "home_team, away_team",
        "string",
        True,
        'Full team names ("New York Yankees"); the pitcher must be on one of them.',
    ),
    ("bookmakers[].key", "string", True, "Sportsbook → bookmaker (every bookmaker is kept)."),
    ("bookmakers[].last_update", "timestamp", False, "Capture time when the market has none."),
    (
        "bookmakers[].markets[].key",
        "string",
        True,
        f"Only `{ODDS_API_MARKET}` is read; other markets (alternate lines, h2h) are ignored.",
    ),
    (
        "bookmakers[].markets[].last_update",
        "timestamp",
        False,
        "Capture time → captured_at (else the bookmaker's).",
    ),
    (
        "…outcomes[].name",
        "string",
        True,
        "Over or Under; each Over is paired with the Under of the same player and point.",
    ),
    (
        "…outcomes[].description",
        "string",
        True,
        "Player name, resolved to pitcher_id with the event's two teams.",
    ),
    (
        "…outcomes[].price",
        "int64",
        True,
        "American odds → over_odds / under_odds (request oddsFormat=american).",
    ),
    ("…outcomes[].point", "float64", True, "The strikeout line → strikeouts_line."),
)


@dataclass(frozen=True)
class Quarantined:
    """A row that did not load, where it is in its file, and why."""

    record: str
    reason: str
    raw_row: dict[str, Any]
    line_number: int | None = None
    game_date: date | None = None
    pitcher_name: str | None = None
    team: str | None = None
    bookmaker: str | None = None


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


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- the rules every form shares (CSV by id, CSV by name, The Odds API JSON) ---------------------------
def normalise_bookmaker(value: object) -> object:
    """A bookmaker key as stored: trimmed, inner spaces collapsed, lower-case (`` BetMGM `` -> ``betmgm``),
    so one book is one book whatever the file's spelling. Empty stays empty (the column's own check)."""
    text = _text(value)
    return " ".join(text.split()).lower() if text is not None else value


def check_line_rows(raw: pd.DataFrame, locators: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The row rules of every lines form, on the rows as text (before typing), so the CSV and the Odds API
    JSON paths (and any other feed of lines) apply them alike. Returns the rows with bookmaker keys
    normalised (``normalise_bookmaker``) and the problems, one line each naming the row:

    - prices that look like decimal odds (1 < price <= 20: 1.87 where -115 is meant), said once per file;
    - a price pair whose margin is no real book's (``predictors.markets.implausible_margin``: below
      -odds_pair_margin_tolerance or above odds_pair_max_margin, dbt_project.yml vars), e.g. +900/+900.
    Prices that are not numbers at all are left to the column's type check."""
    raw = raw.copy()
    if "bookmaker" in raw.columns:
        raw["bookmaker"] = raw["bookmaker"].map(normalise_bookmaker)
    sides = [c for c in ("over_odds", "under_odds") if c in raw.columns]
    prices = {c: pd.to_numeric(raw[c].astype("string").str.strip(), errors="coerce") for c in sides}
    problems: list[str] = []
    decimal = {c: ((p > 1) & (p <= MAX_DECIMAL_ODDS)).fillna(False) for c, p in prices.items()}
    n_decimal = sum(int(m.sum()) for m in decimal.values())
    if n_decimal:
        column, mask = next((c, m) for c, m in decimal.items() if m.any())
        i = int(mask.to_numpy().argmax())
        price = float(prices[column].iloc[i])
        others = f", as do {n_decimal - 1} other price(s) of the file" if n_decimal > 1 else ""
        problems.append(
            f"{locators[i]}, column {column}: {price:g} looks like decimal odds; request oddsFormat=american "
            f"from a feed, or write American odds in a file (decimal {price:g} = "
            f"{american_from_decimal(price):+d}){others}"
        )
        return raw, problems
    if len(sides) == 2:
        over, under = prices["over_odds"], prices["under_odds"]
        margins = price_margin(over.to_numpy(float), under.to_numpy(float))
        for i, (o, u, margin) in enumerate(zip(over, under, margins, strict=True)):
            if pd.isna(o) or pd.isna(u) or abs(o) < 100 or abs(u) < 100:
                continue  # not American odds: the columns' own checks say so
            why = implausible_margin(float(margin))
            if why:
                problems.append(
                    f"{locators[i]}: over_odds {o:+g} / under_odds {u:+g} make {why}: check the row's prices"
                )
    return raw, problems


def _raise_on(source: str, problems: list[str]) -> None:
    if problems:
        raise DataValidationError(source, problems)


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
    _raise_on(str(path), problems)
    absent = [c for c in LINE_FILE_DEFAULTS if c not in raw.columns]
    by_id = "pitcher_id" in raw.columns
    spec = STRIKEOUT_LINES if by_id else STRIKEOUT_LINES_BY_NAME
    typed = _apply_defaults(validate_frame(raw, _without(spec, absent), str(path)), absent)
    typed["ctx_where"] = [f"line {n}" for n in lines]
    if by_id:
        return typed, True
    teams = team_directory()
    typed["ctx_line"] = lines
    typed["ctx_teams"] = [[teams.code(t)] if _text(t) else [] for t in typed["team"]]
    typed["ctx_raw"] = raw.to_dict("records")
    return typed, False


# --- The Odds API ------------------------------------------------------------------------------------
def _events(doc: Any) -> list[tuple[str, Any]]:
    if isinstance(doc, dict) and "data" in doc and "bookmakers" not in doc:  # historical snapshot
        inner = _events(doc["data"])
        return [(f"$.data{p[1:]}", e) for p, e in inner]
    if isinstance(doc, list):
        return [(f"$[{i}]", e) for i, e in enumerate(doc)]
    return [("$", doc)]


@dataclass
class _OddsParse:
    rows: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)


def _parse_event(path: str, event: Any, parsed: _OddsParse) -> None:
    teams = team_directory()
    if not isinstance(event, dict):
        parsed.problems.append(f"{path}: not an event object")
        return
    missing = [k for k in ("commence_time", "home_team", "away_team") if not event.get(k)]
    if missing:
        parsed.problems.append(f"{path}: event lacks {missing}")
        return
    start = pd.to_datetime(event["commence_time"], utc=True, errors="coerce")
    if pd.isna(start):
        parsed.problems.append(f"{path}.commence_time: {event['commence_time']!r} is not a valid timestamp")
        return
    codes = []
    for side in ("home_team", "away_team"):
        code = teams.code(event[side])
        if code is None:
            parsed.problems.append(f"{path}.{side}: {event[side]!r} is not a team of seeds/team_codes.csv")
        codes.append(code)
    if None in codes:
        return
    game_date = start.tz_convert(EVENT_TIMEZONE).date()
    context = {k: event.get(k) for k in ("id", "commence_time", "home_team", "away_team")}
    for j, book in enumerate(event.get("bookmakers") or []):
        book_path = f"{path}.bookmakers[{j}]"
        if not isinstance(book, dict) or not book.get("key"):
            parsed.problems.append(f"{book_path}: bookmaker without a key")
            continue
        for k, market in enumerate(book.get("markets") or []):
            if not isinstance(market, dict) or market.get("key") != ODDS_API_MARKET:
                parsed.ignored[str(market.get("key") if isinstance(market, dict) else market)] += 1
                continue
            market_path = f"{book_path}.markets[{k}]"
            captured = market.get("last_update") or book.get("last_update")
            if not captured:
                parsed.problems.append(f"{market_path}: no last_update on the market or its bookmaker")
                continue
            _pair_outcomes(
                market_path,
                market,
                {
                    **context,
                    "bookmaker": normalise_bookmaker(book["key"]),
                    "captured_at": captured,
                    "game_date": game_date,
                    "teams": codes,
                },
                parsed,
            )


def _pair_outcomes(market_path: str, market: dict, ctx: dict[str, Any], parsed: _OddsParse) -> None:
    groups: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: {"Over": [], "Under": []})
    names: dict[tuple[str, str], str] = {}
    for m, outcome in enumerate(market.get("outcomes") or []):
        side = str(outcome.get("name", "")).strip().title() if isinstance(outcome, dict) else ""
        player = outcome.get("description") if isinstance(outcome, dict) else None
        if side not in ("Over", "Under") or not player:
            parsed.problems.append(
                f"{market_path}.outcomes[{m}]: needs name Over/Under and a player description, got {outcome!r}"
            )
            continue
        key = (normalize_name(player), str(outcome.get("point")))
        groups[key][side].append(outcome)
        names.setdefault(key, str(player))
    bookmaker, teams = ctx["bookmaker"], ctx["teams"]
    base = {k: ctx[k] for k in ("id", "commence_time", "home_team", "away_team")}
    for key, sides in groups.items():
        player, point = names[key], key[1]
        where = f"{market_path}: {player} {point}"
        raw = {
            **base,
            "bookmaker": bookmaker,
            "captured_at": ctx["captured_at"],
            "outcomes": sides["Over"] + sides["Under"],
        }
        overs, unders = sides["Over"], sides["Under"]
        if len(overs) == 1 and len(unders) == 1:
            parsed.rows.append(
                {
                    "game_id": None,
                    "game_date": ctx["game_date"].isoformat(),
                    "pitcher_name": player,
                    "team": None,
                    "bookmaker": bookmaker,
                    "strikeouts_line": _text(overs[0].get("point")),
                    "over_odds": _text(overs[0].get("price")),
                    "under_odds": _text(unders[0].get("price")),
                    "captured_at": str(ctx["captured_at"]),
                    "event_start_at": str(ctx["commence_time"]),
                    "ctx_where": where,
                    "ctx_line": None,
                    "ctx_teams": list(teams),
                    "ctx_raw": raw,
                    "ctx_group": (market_path, key[0]),
                }
            )
            continue
        if not unders or not overs:
            have, lack = ("Over", "Under") if overs else ("Under", "Over")
            reason = f"{have} {point} without its {lack}: not loaded half"
        else:
            reason = f"{len(overs)} Over and {len(unders)} Under outcomes for one player and point"
        parsed.quarantined.append(
            Quarantined(where, reason, raw, None, ctx["game_date"], player, "|".join(teams), bookmaker)
        )


def _odds_api_candidates(path: Path) -> tuple[pd.DataFrame, list[Quarantined], dict[str, int]]:
    doc = read_json_document(path)
    parsed = _OddsParse()
    for event_path, event in _events(doc):
        _parse_event(event_path, event, parsed)
    _raise_on(str(path), parsed.problems)
    columns = [c.name for c in STRIKEOUT_LINES_BY_NAME.columns]
    if not parsed.rows:
        empty = pd.DataFrame(columns=[*columns, "ctx_where", "ctx_line", "ctx_teams", "ctx_raw", "ctx_group"])
        return empty, parsed.quarantined, dict(parsed.ignored)
    frame = pd.DataFrame(parsed.rows)
    checked, problems = check_line_rows(frame[columns].astype("string"), frame["ctx_where"].tolist())
    _raise_on(str(path), problems)
    # alternate points of one player in one capture are told apart by the line; two events of one date
    # (a doubleheader) by their first pitch
    spec = dataclasses.replace(
        STRIKEOUT_LINES_BY_NAME,
        key=("game_date", "pitcher_name", "bookmaker", "captured_at", "strikeouts_line", "event_start_at"),
    )
    typed = validate_frame(checked, spec, str(path), locators=frame["ctx_where"].tolist())
    for extra in ("ctx_where", "ctx_line", "ctx_teams", "ctx_raw", "ctx_group"):
        typed[extra] = frame[extra]
    kept, extra_lines = _main_lines(typed)
    return kept, parsed.quarantined + extra_lines, dict(parsed.ignored)


def _main_lines(typed: pd.DataFrame) -> tuple[pd.DataFrame, list[Quarantined]]:
    """One line per player per book per capture: the one whose prices are closest to even (then the lower
    hold, then the lower point); every other line of that capture is reported, not loaded."""
    typed = typed.copy()
    over, under = typed["over_odds"].to_numpy(float), typed["under_odds"].to_numpy(float)
    typed["_distance"] = np.abs(no_vig_probabilities(over, under)[0] - 0.5)  # the main line: nearest even
    typed["_hold"] = price_margin(over, under)
    typed = typed.sort_values(["_distance", "_hold", "strikeouts_line"], kind="stable")
    first = ~typed["ctx_group"].duplicated(keep="first")
    kept = typed[first]
    chosen = {g: row for g, row in zip(kept["ctx_group"], kept.itertuples(index=False), strict=True)}
    quarantined = []
    for row in typed[~first].itertuples(index=False):
        main = chosen[row.ctx_group]
        reason = (
            f"second line of {row.bookmaker} for {row.pitcher_name} in one capture: kept {main.strikeouts_line:g} "
            f"({main.over_odds:+d}/{main.under_odds:+d}, prices closest to even), not {row.strikeouts_line:g} "
            f"({row.over_odds:+d}/{row.under_odds:+d})"
        )
        quarantined.append(_quarantine_row(row, reason))
    return kept.drop(columns=["_distance", "_hold"]).sort_index(), quarantined


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
        games.append(_text(row.game_id) or res.game_id)
        if not res.resolved:
            quarantined.append(_quarantine_row(row, res.reason))
    frame = candidates.assign(pitcher_id=ids, game_id=games)
    frame = frame[frame["pitcher_id"].notna()]
    clash = frame.duplicated(subset=list(STRIKEOUT_LINES.key), keep=False)
    if clash.any():
        for _, group in frame[clash].groupby(list(STRIKEOUT_LINES.key), sort=False):
            for row in group.itertuples(index=False):
                others = ", ".join(w for w in group["ctx_where"] if w != row.ctx_where)
                quarantined.append(
                    _quarantine_row(
                        row,
                        f"resolves to {row.pitcher_id} with the same bookmaker and capture as {others}: "
                        "which line is right cannot be told",
                    )
                )
        frame = frame[~clash]
    return frame, quarantined


def _quarantine_row(row: Any, reason: str) -> Quarantined:
    return Quarantined(
        record=row.ctx_where,
        reason=reason,
        raw_row=row.ctx_raw,
        line_number=None if _text(row.ctx_line) is None else int(row.ctx_line),
        game_date=row.game_date,
        pitcher_name=_text(row.pitcher_name),
        team="|".join(t for t in row.ctx_teams if t) or None,
        bookmaker=_text(row.bookmaker),
    )


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


#: What an Odds API response gives a capture (no game id: the event id is the book's own).
ODDS_API_CARRIES = ("pitcher_name", "event_start_at")


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
        candidates, early, ignored = _odds_api_candidates(path)
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
