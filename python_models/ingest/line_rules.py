"""The rules every form of lines shares (CSV by id, CSV by name, The Odds API JSON): prices that look like
decimal odds, a pair's margin, bookmaker keys, and how a row that cannot load is quarantined with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from python_models.ingest.validation import DataValidationError
from python_models.predictors.markets import implausible_margin
from python_models.predictors.odds import american_from_decimal, price_margin

MAX_DECIMAL_ODDS = 20  # a price in (1, 20] is decimal odds (20 = +1900), never American (|odds| >= 100)


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


def cell_text(value: object) -> str | None:
    """A cell as text; None for an empty cell (None or NaN)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- the rules every form shares (CSV by id, CSV by name, The Odds API JSON) ---------------------------
def normalise_bookmaker(value: object) -> object:
    """A bookmaker key as stored: trimmed, inner spaces collapsed, lower-case (`` BetMGM `` -> ``betmgm``),
    so one book is one book whatever the file's spelling. Empty stays empty (the column's own check)."""
    text = cell_text(value)
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


def raise_on(source: str, problems: list[str]) -> None:
    if problems:
        raise DataValidationError(source, problems)


def quarantine_row(row: Any, reason: str) -> Quarantined:
    return Quarantined(
        record=row.ctx_where,
        reason=reason,
        raw_row=row.ctx_raw,
        line_number=None if cell_text(row.ctx_line) is None else int(row.ctx_line),
        game_date=row.game_date,
        pitcher_name=cell_text(row.pitcher_name),
        team="|".join(t for t in row.ctx_teams if t) or None,
        bookmaker=cell_text(row.bookmaker),
    )
