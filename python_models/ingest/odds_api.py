"""The Odds API v4 event odds (market ``pitcher_strikeouts``): the one parser of that feed, used by
``kzone load-lines --format odds-api`` and by ``kzone fetch`` alike.

Each Over is paired with its Under (same player, same point); every bookmaker and capture is kept; where a
book posts several lines in one capture, the main line (prices nearest even) is kept and the others are
quarantined. Rows come out as name-keyed line candidates for ``python_models.ingest.lines`` to resolve.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from python_models.ingest.line_rules import (
    Quarantined,
    cell_text,
    check_line_rows,
    normalise_bookmaker,
    quarantine_row,
    raise_on,
)
from python_models.ingest.loaders import read_json_document
from python_models.ingest.resolve import normalize_name, team_directory
from python_models.ingest.validation import validate_frame
from python_models.predictors.odds import no_vig_probabilities, price_margin
from python_models.warehouse.raw_tables import STRIKEOUT_LINES_BY_NAME

ODDS_API_MARKET = "pitcher_strikeouts"
EVENT_TIMEZONE = "America/New_York"  # game_date of an odds event = its local date in New York


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
                    "strikeouts_line": cell_text(overs[0].get("point")),
                    "over_odds": cell_text(overs[0].get("price")),
                    "under_odds": cell_text(unders[0].get("price")),
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


def odds_api_candidates(path: Path) -> tuple[pd.DataFrame, list[Quarantined], dict[str, int]]:
    doc = read_json_document(path)
    parsed = _OddsParse()
    for event_path, event in _events(doc):
        _parse_event(event_path, event, parsed)
    raise_on(str(path), parsed.problems)
    columns = [c.name for c in STRIKEOUT_LINES_BY_NAME.columns]
    if not parsed.rows:
        empty = pd.DataFrame(columns=[*columns, "ctx_where", "ctx_line", "ctx_teams", "ctx_raw", "ctx_group"])
        return empty, parsed.quarantined, dict(parsed.ignored)
    frame = pd.DataFrame(parsed.rows)
    checked, problems = check_line_rows(frame[columns].astype("string"), frame["ctx_where"].tolist())
    raise_on(str(path), problems)
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
        quarantined.append(quarantine_row(row, reason))
    return kept.drop(columns=["_distance", "_hold"]).sort_index(), quarantined


#: What an Odds API response gives a capture (no game id: the event id is the book's own).
ODDS_API_CARRIES = ("pitcher_name", "event_start_at")
