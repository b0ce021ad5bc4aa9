"""CLI output is whole when piped: no table or line is cut at a terminal's 80 columns."""

from __future__ import annotations

from pathlib import Path

from .conftest import make_settings
from .feeds_fixture import run_cli

LINES_HEADER = (
    "game_id,game_date,pitcher_id,pitcher_name,bookmaker,strikeouts_line,over_odds,under_odds,captured_at\n"
)
GOOD_LINE = "NYA202604010,2026-04-01,colee001,Gerrit Cole,draftkings,6.5,-115,-105,2026-04-01T15:00:00Z\n"


def test_piped_output_keeps_long_lines_whole(tmp_path: Path) -> None:
    name = "strikeout_lines_captured_every_ten_minutes_by_the_morning_scraper_2026_04_01.csv"
    path = tmp_path / name
    path.write_text(LINES_HEADER + GOOD_LINE)
    result = run_cli(["load-lines", str(path)], make_settings(tmp_path).duckdb_path, COLUMNS="")
    assert result.exit_code == 0, result.output
    assert any(
        f"{name} → strikeout_lines: 1 line(s) read, 1 loaded" in line for line in result.output.splitlines()
    )
    assert "…" not in result.output
