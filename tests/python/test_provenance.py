"""The report states where the strikeout lines came from, read from the lines themselves: none, synthetic
(the demo generator or the market model), or loaded from files, with bookmakers and dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from python_models.ingest.loaders import ensure_raw_tables, load_file, load_frame
from python_models.ingest.validation import validate_frame
from python_models.monitoring.report import detect_provenance, provenance_html
from python_models.warehouse.raw_tables import GAME_LOGS, STRIKEOUT_LINES

from .feeds_fixture import game_logs_frame, write_csv

START, END = date(2026, 4, 1), date(2026, 4, 30)


@pytest.fixture
def wh(warehouse, tmp_path: Path):
    ensure_raw_tables(warehouse)
    load_file(warehouse, GAME_LOGS, write_csv(game_logs_frame(), tmp_path / "starters_2025.csv"))
    return warehouse


def _load(wh, source: str, book: str, days: list[str]) -> None:
    """Lines of one source (a file name, or a generator's name) written through the validated loader."""
    frame = pd.DataFrame({"game_date": days, "pitcher_id": [f"p{i:03d}" for i in range(len(days))]})
    frame = frame.assign(bookmaker=book, strikeouts_line="5.5", over_odds="-110", under_odds="-110")
    frame["captured_at"] = [f"{d}T12:00:00Z" for d in days]
    load_frame(wh, STRIKEOUT_LINES, validate_frame(frame, STRIKEOUT_LINES, source), source)


def test_an_empty_lines_table_is_reported_as_none_not_synthetic(wh) -> None:
    p = detect_provenance(wh, START, END)
    assert p.lines.kind == "none"
    page = provenance_html(p)
    assert 'data-lines="none"' in page and "Strikeout lines: none loaded" in page and "no_line" in page
    assert "synthetic (set by a market model" not in page


def test_generated_lines_are_synthetic(wh) -> None:
    _load(wh, "demo-seed-20260107", "demo_book", ["2026-04-02", "2026-04-03"])
    _load(wh, "market_model", "market", ["2026-04-04"])
    p = detect_provenance(wh, START, END)
    assert (p.lines.kind, p.lines.captures, p.lines.bookmakers) == ("synthetic", 3, ("demo_book", "market"))
    assert "Strikeout lines: synthetic (set by a market model" in provenance_html(p)


def test_lines_loaded_from_files_name_the_files_bookmakers_and_date_range(wh) -> None:
    _load(wh, "dk_april.csv", "draftkings", ["2026-04-05", "2026-04-20"])
    _load(wh, "odds_0421.json", "fanduel", ["2026-04-21"])
    _load(wh, "odds_0601.json", "fanduel", ["2026-06-01"])  # outside the window
    p = detect_provenance(wh, START, END)
    assert p.lines.kind == "files" and p.lines.in_window
    assert p.lines.file_sources == ("dk_april.csv", "odds_0421.json")
    assert (p.lines.first_date, p.lines.last_date, p.lines.captures) == (
        date(2026, 4, 5),
        date(2026, 4, 21),
        3,
    )
    page = provenance_html(p)
    assert "loaded from files (dk_april.csv, odds_0421.json): 2 bookmaker(s) (draftkings, fanduel)" in page
    assert (
        "2026-04-05 → 2026-04-21, 3 captures" in page and "synthetic" not in page.split("Strikeout lines")[1]
    )


def test_synthetic_and_file_lines_together_are_both_named(wh) -> None:
    _load(wh, "market_model", "market", ["2026-04-02"])
    _load(wh, "dk_april.csv", "draftkings", ["2026-04-03"])
    p = detect_provenance(wh, START, END)
    assert p.lines.kind == "mixed"
    text = provenance_html(p)
    assert "synthetic (set by a market model" in text and "loaded from files (dk_april.csv)" in text


def test_a_window_without_lines_describes_the_table_and_says_so(wh) -> None:
    _load(wh, "dk_may.csv", "draftkings", ["2026-05-10"])
    p = detect_provenance(wh, START, END)
    assert p.lines.kind == "files" and not p.lines.in_window
    assert "(none in this window; the table as a whole)" in provenance_html(p)
