"""What makes a line usable: the plausible line, odds and margin (dbt vars), and the one consensus line per
pitcher from every book's captures. The odds maths itself is ``python_models.predictors.odds``."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pandas as pd

from python_models.dbt.project import var
from python_models.predictors.odds import price_margin

# One definition of 'absurd' (dbt_project.yml vars; dbt's quarantine rules read the same).
LINE_RANGE: tuple[float, float] = tuple(float(x) for x in var("line_range"))  # type: ignore[assignment]
ODDS_ABS_RANGE: tuple[int, int] = tuple(int(x) for x in var("odds_abs_range"))  # type: ignore[assignment]


def margin_bounds() -> tuple[float, float]:
    """The plausible margins of one book's over/under pair (dbt_project.yml vars, shared with dbt's gate)."""
    return -float(var("odds_pair_margin_tolerance")), float(var("odds_pair_max_margin"))


def implausible_margin(margin: float) -> str | None:
    """Why a pair's margin is no real book's (None when it is plausible): one rule for loaders and scorer."""
    low, high = margin_bounds()
    if margin < low:
        return (
            f"a negative margin of {margin:+.1%} (both sides pay better than even: no book offers that; "
            f"at most {low:+.0%} from rounding)"
        )
    if margin > high:
        return f"a margin of {margin:+.1%}, above the {high:.0%} any book charges (prices of two different lines?)"
    return None


def line_problems(line: float | None, over_odds: float | None, under_odds: float | None) -> list[str]:
    """Reasons a line is unusable ([] when fine). Absurd values are rejected, never scored against."""
    problems = []
    lo, hi = LINE_RANGE
    if line is None or np.isnan(line):
        return ["no_line"]
    if not lo <= line <= hi or (line * 2) % 1 != 0:
        problems.append(f"absurd_line:{line}")
    for side, odds in (("over", over_odds), ("under", under_odds)):
        if odds is None or np.isnan(odds) or not ODDS_ABS_RANGE[0] <= abs(odds) <= ODDS_ABS_RANGE[1]:
            problems.append(f"absurd_{side}_odds:{odds}")
    if not problems:
        margin = float(price_margin(np.array([over_odds]), np.array([under_odds]))[0])
        if implausible_margin(margin):
            problems.append(f"absurd_margin:{margin:+.3f}")
    return problems


DISAGREEMENT_K = 1.0  # books whose latest lines differ by this much (K) or more disagree: a red flag
# A book whose line is this far (K) or more from the median of the other books' lines is an outlier: a stale
# capture, a different pitcher or a typo, not the market. Books' main lines differ by 1 K, rarely 2 (the
# demo's two calibrated books: at most 2 K over 9,720 starts), so 2.5 K leaves every real disagreement alone.
OUTLIER_K = 2.5


def _outlier_flags(values: np.ndarray) -> list[bool]:
    """Per book: its line is OUTLIER_K or more from the median of the OTHER books' lines (a lone book is
    never an outlier; of two books that far apart, each is one: which is right cannot be told)."""
    return [
        len(values) > 1 and abs(v - float(np.median(np.delete(values, i)))) >= OUTLIER_K
        for i, v in enumerate(values)
    ]


def consensus_lines(captures: pd.DataFrame, preferred_books: tuple[str, ...] = ()) -> pd.DataFrame:
    """One line per pitcher from every book's latest usable capture, by a documented rule:

    1. each book's latest capture (``captures`` holds one row per pitcher and book: the latest before the
       scoring cut-off and first pitch); captures with an absurd line, odds or margin are not candidates;
    2. an **outlier** book, whose line is ``OUTLIER_K`` or more from the median of the other books' lines,
       is left out (and marked ``"outlier": true`` in ``books_seen``); when every book is one (two books
       that far apart, a market split in two) no line is chosen: the pitcher is scored without a line;
    3. the first book of ``preferred_books`` (KZONE_PREFERRED_BOOKS, in order) left that has a line, else
    4. the median of the lines left, priced by a book whose line is closest to it; ties (the median between
       two lines): the line more books hold, then the latest capture, then the book name. A lone outlier
       can never be chosen: it is left out at step 2 (with three books or more), or, with two, both are;
    5. ``books_disagree`` when the books' latest usable lines span ``DISAGREEMENT_K`` or more (outliers
       included: the flag says the market was not one line);
    6. ``books_seen``: every book's latest line, as JSON, stored with the prediction.
    A line and its prices always come from the same book. A pitcher whose every capture is absurd keeps one
    (the scorer flags it and scores without a line). Returns pitcher_id, bookmaker, strikeouts_line,
    over_odds, under_odds, line_captured_at, books_seen, books_disagree, line_spread.
    """
    import json

    columns = [
        "pitcher_id",
        "bookmaker",
        "strikeouts_line",
        "over_odds",
        "under_odds",
        "line_captured_at",
        "books_seen",
        "books_disagree",
        "line_spread",
    ]
    if captures.empty:
        return pd.DataFrame(columns=columns)
    frame = captures.copy()
    frame["usable"] = [
        not line_problems(_float(line), _float(o), _float(u))
        for line, o, u in zip(frame["strikeouts_line"], frame["over_odds"], frame["under_odds"], strict=True)
    ]
    preference = {book: rank for rank, book in enumerate(preferred_books)}
    per_pitcher: dict[object, list] = {}  # plain records, not a frame per pitcher (a season's backfill)
    record = namedtuple("Capture", list(frame.columns), rename=True)  # type: ignore[misc]
    for values in zip(*(frame[c].array for c in frame.columns), strict=True):  # each value keeps its dtype
        capture = record(*values)
        per_pitcher.setdefault(capture.pitcher_id, []).append(capture)
    rows = []
    for pitcher_id in sorted(per_pitcher):
        books = per_pitcher[pitcher_id]
        usable = [b for b in books if b.usable]
        usable_lines = np.array([float(b.strikeouts_line) for b in usable])
        outlier = {id(b): flag for b, flag in zip(usable, _outlier_flags(usable_lines), strict=True)}
        pool = [b for b in usable if not outlier[id(b)]] if usable else books
        spread = float(np.ptp(usable_lines)) if usable else 0.0
        seen = [
            {"book": str(b.bookmaker), "line": float(b.strikeouts_line)}
            | ({"outlier": True} if outlier.get(id(b), False) else {})
            for b in sorted(books, key=lambda b: b.bookmaker)
        ]
        chosen = _median_book(pool, preference) if pool else None
        rows.append(
            {
                "pitcher_id": pitcher_id,
                "bookmaker": None if chosen is None else chosen.bookmaker,
                "strikeouts_line": np.nan if chosen is None else float(chosen.strikeouts_line),
                "over_odds": np.nan if chosen is None else chosen.over_odds,
                "under_odds": np.nan if chosen is None else chosen.under_odds,
                "line_captured_at": None if chosen is None else chosen.captured_at,
                "books_seen": json.dumps(seen),
                "books_disagree": bool(len(usable) > 1 and spread >= DISAGREEMENT_K),
                "line_spread": spread,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _median_book(pool: list, preference: dict[str, int]):  # type: ignore[no-untyped-def]
    """The capture at the median of ``pool``'s lines (consensus_lines, steps 3-4): the preferred book, then
    the closest line, the line more books hold, the latest capture, the book name."""
    lines = [float(b.strikeouts_line) for b in pool]
    median = float(np.median(lines))
    return min(
        pool,
        key=lambda b: (
            preference.get(b.bookmaker, len(preference)),
            abs(float(b.strikeouts_line) - median),
            -lines.count(float(b.strikeouts_line)),
            -pd.Timestamp(b.captured_at).value,
            b.bookmaker,
        ),
    )


def _float(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f
