"""The README's "Run it on your own data" block, executed as written on the real data: `kzone fetch-history`
downloads Retrosheet's real 2021-2022 zips from a local stand-in (they come from the cache of a machine that
has them) with small register shards, then every step exits 0 and the public table and the monitoring views
end non-empty (they ended empty when the merge window counted from today's date)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from python_models.config import load_settings
from python_models.dbt.project import PROJECT_ROOT
from python_models.warehouse import open_warehouse
from tests.python import history_fixture as fx
from tests.python.conftest import REAL_DATA
from tests.python.feeds_fixture import run_cli
from tests.python.test_fetch_history import REAL_ZIPS

# what fetch-history builds, as prepared files: loader command -> file (the team's ../shared folder)
PREPARED = {
    "load-people": "people.csv",
    "load-game-logs": "starters_2021_2022.csv.gz",
    "load-team-games": "team_games_2014_2022.csv.gz",
}


def walkthrough_commands() -> list[list[str]]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- walkthrough:start -->\n```bash\n(.*?)```\n<!-- walkthrough:end -->", readme, re.S
    )
    assert block, "README lost its walkthrough block"
    commands = [
        shlex.split(line) for line in block.group(1).splitlines() if line.startswith(".venv/bin/kzone ")
    ]
    return [c[1:] for c in commands]


def test_the_walkthrough_block_lists_every_step() -> None:
    steps = [c[0] for c in walkthrough_commands()]
    assert steps == ["fetch-history", "build", "train", "backfill", "build", "report"]


HAS_ZIPS = {2021, 2022} <= set(REAL_ZIPS)
HAS_PREPARED = all((REAL_DATA / name).exists() for name in PREPARED.values())


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.skipif(
    not (HAS_ZIPS or HAS_PREPARED),
    reason="needs Retrosheet's real 2021 and 2022 zips in KZONE_CACHE_DIR/history/retrosheet, or the "
    f"prepared files {PREPARED} in {REAL_DATA}",
)
def test_the_readme_walkthrough_runs_as_written_and_ends_with_monitoring_rows(
    tmp_path: Path, dbt_target_dir: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    """With the real zips, every step as written; with only the prepared files (KZONE_HISTORY_DIR's form),
    the first step becomes the three loaders of those files, and every later step runs as written."""
    monkeypatch.chdir(PROJECT_ROOT)  # the block's paths are relative to the project root
    steps = walkthrough_commands()
    if HAS_ZIPS:
        for season in (2021, 2022):
            httpserver.expect_request(f"/downloads/{season}/{season}csvs.zip").respond_with_data(
                REAL_ZIPS[season].read_bytes()
            )
    else:
        assert steps[0][0] == "fetch-history"
        steps[:1] = [[command, str(REAL_DATA / name)] for command, name in PREPARED.items()]
    for name, text in fx.register_shards().items():
        httpserver.expect_request(f"/register/{name}").respond_with_data(text)
    warehouse = tmp_path / "real.duckdb"
    env = {
        "KZONE_DUCKDB_PATH": str(warehouse),
        "KZONE_MODEL_STORE": str(tmp_path / "models"),
        "KZONE_RETROSHEET_URL": httpserver.url_for("").rstrip("/"),
        "KZONE_REGISTER_URL": httpserver.url_for("/register"),
        "KZONE_CACHE_DIR": str(tmp_path / "cache"),  # a fresh machine: everything is downloaded
    }
    for args in steps:
        if args[0] == "report":
            args = [*args, "--out", str(tmp_path / "report")]
        result = run_cli(args, **env)
        assert result.exit_code == 0, f"kzone {' '.join(args)} failed:\n{result.output}"
    wh = open_warehouse(load_settings(duckdb_path=warehouse))  # the mode of dbt's in-process connection
    try:
        for relation in ("pitcher_strikeouts", "system_performance", "todays_picks", "market_comparison"):
            n = int(wh.query(f"select count(*) from mlb_predictions.{relation}").iloc[0, 0])
            if relation == "market_comparison":
                assert n == 0, "no lines were loaded: nothing to compare with a book"
            else:
                assert n > 0, f"{relation} is empty after the walkthrough"
        picks = wh.query("select distinct game_date from mlb_predictions.todays_picks")
        assert [str(d)[:10] for d in picks["game_date"]] == ["2022-04-30"]
    finally:
        wh.close()
    assert (tmp_path / "report" / "report.html").exists()
