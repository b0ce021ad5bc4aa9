"""A tiny known world for the feed tests: a few starters on a few dates, as raw game logs and probables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from python_models.ingest.loaders import ensure_raw_tables, load_file
from python_models.warehouse.raw_tables import GAME_LOGS, PEOPLE, PROBABLE_STARTERS

FIXTURES = Path(__file__).parent / "fixtures"
SLATE_DAY = "2026-04-01"

# (game_id, game_date, team, opponent, is_home, pitcher_id, pitcher_name) of starts already played
PLAYED = [
    ("NYA202509200", "2025-09-20", "NYA", "BOS", True, "colee001", "Gerrit Cole"),
    ("NYA202509200", "2025-09-20", "BOS", "NYA", False, "bellb001", "Brayan Bello"),
    ("HOU202509210", "2025-09-21", "HOU", "SEA", True, "garcl007", "Luis Garcia"),
    ("SDN202509210", "2025-09-21", "SDN", "SFN", True, "garcl005", "Luis García"),
    ("CLE202509220", "2025-09-22", "CLE", "DET", True, "carmf001", "Roberto Hernandez"),
    ("OAK202509230", "2025-09-23", "OAK", "SEA", True, "happj001", "J. A. Happ"),
    ("OAK202509230", "2025-09-23", "SEA", "OAK", False, "obrir001", "Riley O`Brien"),
]
# announced for SLATE_DAY: (game_id, team, opponent, is_home, pitcher_id, pitcher_name, first pitch UTC)
PROBABLES = [
    ("NYA202604010", "NYA", "BOS", True, "colee001", "Gerrit Cole", "2026-04-01T23:05:00Z"),
    ("NYA202604010", "BOS", "NYA", False, "bellb001", "Brayan Bello", "2026-04-01T23:05:00Z"),
    # a West Coast night game: first pitch on April 2 in UTC, April 1 in New York
    ("SFN202604010", "SFN", "SDN", True, "webbl001", "Logan Webb", "2026-04-02T02:15:00Z"),
    ("SFN202604010", "SDN", "SFN", False, "garcl005", "Luis García", "2026-04-02T02:15:00Z"),
    # a doubleheader at Houston
    ("HOU202604011", "HOU", "SEA", True, "acunr001", "Ronald Acuña Jr.", "2026-04-01T17:10:00Z"),
    ("HOU202604011", "SEA", "HOU", False, "obrir001", "Riley O`Brien", "2026-04-01T17:10:00Z"),
    ("HOU202604012", "HOU", "SEA", True, "valdf001", "Framber Valdez", "2026-04-01T23:10:00Z"),
    ("HOU202604012", "SEA", "HOU", False, "gilbl001", "Logan Gilbert", "2026-04-01T23:10:00Z"),
]
PEOPLE_ROWS = [
    ("colee001", "Gerrit", "Cole", "R", "R", "543037"),
    ("bellb001", "Brayan", "Bello", "R", "R", "678394"),
    ("webbl001", "Logan", "Webb", "R", "R", "657277"),
    ("garcl005", "Luis", "Garcia", "R", "R", ""),
    ("obrir001", "Riley", "O`Brien", "R", "R", "676617"),
    ("acunr001", "Ronald", "Acuna", "R", "R", "660670"),
    ("valdf001", "Framber", "Valdez", "L", "R", "664285"),
    ("gilbl001", "Logan", "Gilbert", "R", "R", "669302"),
]


def game_logs_frame(rows: list[tuple] = PLAYED) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["game_id", "game_date", "team", "opponent", "is_home", "pitcher_id", "pitcher_name"]
    )
    frame["season"] = frame["game_date"].str[:4]
    return frame.assign(
        game_number=0,
        outs_recorded=18,
        batters_faced=24,
        strikeouts=6,
        walks=2,
        hits_allowed=5,
        earned_runs=2,
        pitcher_throws="R",
    )


def probables_frame(rows: list[tuple] = PROBABLES, day: str = SLATE_DAY) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["game_id", "team", "opponent", "is_home", "pitcher_id", "pitcher_name", "first_pitch_at"],
    )
    return frame.assign(game_date=day, announced_at=f"{day}T12:00:00Z")


def people_frame(rows: list[tuple] = PEOPLE_ROWS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pitcher_id", "first", "last", "throws", "bats", "key_mlbam"])


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def load_world(wh, folder: Path, *, probables: bool = True, people: bool = False) -> None:
    """Raw tables of the tiny world (loaded through the real loaders)."""
    ensure_raw_tables(wh)
    load_file(wh, GAME_LOGS, write_csv(game_logs_frame(), folder / "game_logs.csv"))
    if probables:
        load_file(wh, PROBABLE_STARTERS, write_csv(probables_frame(), folder / "probables.csv"))
    if people:
        load_file(wh, PEOPLE, write_csv(people_frame(), folder / "people.csv"))


def count(wh, spec) -> int:
    if not wh.table_exists(spec.layer, spec.name):
        return 0
    return int(wh.query(f"select count(*) from {wh.relation(spec.layer, spec.name)}").iloc[0, 0])


def rows(wh, spec, order: str) -> pd.DataFrame:
    return wh.query(f"select * from {wh.relation(spec.layer, spec.name)} order by {order}")


def run_cli(args: list[str], duckdb_path: Path | None = None, **env: str):
    """Invoke `kzone` in-process against a given warehouse file. The settings are cached per process, so
    the cache is cleared around the call: the command reads this environment, later tests their own."""
    from typer.testing import CliRunner

    from python_models.cli import app
    from python_models.config import get_settings

    if duckdb_path is not None:
        env["KZONE_DUCKDB_PATH"] = str(duckdb_path)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, args, env=env)
    finally:
        get_settings.cache_clear()
