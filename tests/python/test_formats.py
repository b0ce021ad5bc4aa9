"""Every landing format is documented from its contract, has a valid example, and each loader's --help
names its columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from python_models.dbt.project import PROJECT_ROOT
from python_models.ingest import formats
from python_models.warehouse import raw_tables, tables
from python_models.warehouse.base import Column

from .conftest import make_settings
from .feeds_fixture import run_cli

EXAMPLES = PROJECT_ROOT / "examples"
# (command, example file) in the order examples/README.md gives: the register and game logs first
EXAMPLE_LOADS = [
    (["load-people"], "people.csv"),
    (["load-game-logs"], "pitcher_game_logs.csv"),
    (["load-probable-starters"], "probable_starters.csv"),
    (["load-probable-starters", "--format", "mlb-statsapi"], "mlb_statsapi_schedule.json"),
    (["load-lines"], "strikeout_lines.csv"),
    (["load-lines"], "strikeout_lines_by_name.csv"),
    (["load-lines", "--format", "odds-api"], "odds_api_pitcher_strikeouts.json"),
    (["load-injuries"], "injured_list.csv"),
]
LOADER_HELP = {
    "load-game-logs": raw_tables.GAME_LOGS,
    "load-probable-starters": raw_tables.PROBABLE_STARTERS,
    "load-lines": raw_tables.STRIKEOUT_LINES_BY_NAME,
    "load-injuries": raw_tables.INJURED_LIST,
    "load-people": raw_tables.PEOPLE,
}


def _readme_section() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(formats.START), readme.index(formats.END) + len(formats.END)
    return readme[start:end]


def test_readme_landing_formats_are_the_generated_ones() -> None:
    assert _readme_section() == formats.landing_formats_markdown(), (
        "README's landing formats drifted from the contracts: paste `python -m python_models.ingest.formats`"
    )


def test_every_column_of_every_contract_has_a_description() -> None:
    specs = [v for m in (tables, raw_tables) for v in vars(m).values() if isinstance(v, tables.TableSpec)]
    missing = [f"{s.name}.{c.name}" for s in specs for c in s.columns if not c.description.strip()]
    assert len(specs) >= 10 and not missing, missing


def test_a_new_raw_table_is_documented_without_touching_the_generator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    team_games = tables.TableSpec(
        layer="raw",
        name="team_games",
        key=("game_id", "team"),
        description="One row per team per game.",
        columns=(
            Column("game_id", "string", False, "Game id."),
            Column("batting_strikeouts", "int64", True, "Team K."),
        ),
    )
    monkeypatch.setattr(formats, "RAW_TABLES", {**raw_tables.RAW_TABLES, "team_games": team_games})
    text = formats.landing_formats_markdown()
    assert "#### `raw.team_games` — `kzone load-team-games FILE`" in text
    assert "| `batting_strikeouts` | int64 | no | Team K. |" in text


@pytest.mark.parametrize(("command", "spec"), LOADER_HELP.items())
def test_each_loader_help_names_its_columns(command: str, spec: tables.TableSpec) -> None:
    result = run_cli([command, "--help"], COLUMNS="200")
    assert result.exit_code == 0, result.output
    for column in formats.file_columns(spec):
        assert column.name in result.output, f"{command} --help lacks {column.name}"


def test_the_lines_help_documents_both_forms_and_the_defaults() -> None:
    text = " ".join(run_cli(["load-lines", "--help"], COLUMNS="200").output.split())
    assert "pitcher_id*" in text and "pitcher_name*" in text and "odds-api" in text
    assert "bookmaker = unknown" in text and "00:00:00 UTC of game_date" in text


def test_every_example_file_loads_into_an_empty_warehouse(tmp_path: Path) -> None:
    from python_models.warehouse import open_warehouse

    listed = {name for _, name in EXAMPLE_LOADS}
    present = {p.name for p in EXAMPLES.iterdir() if p.name != "README.md"}
    assert present == listed, "every example file is loaded by this test (and examples/README.md)"
    assert {Path(p).name for p in formats.EXAMPLES.values()} == listed
    settings = make_settings(tmp_path)
    for command, name in EXAMPLE_LOADS:
        result = run_cli([*command, str(EXAMPLES / name)], settings.duckdb_path)
        assert result.exit_code == 0, f"{name}: {result.output}"
        assert "quarantined" not in result.stdout or " 0 quarantined" in result.stdout, result.stdout
        assert "not loaded:" not in result.stdout, result.stdout
    wh = open_warehouse(settings)
    try:
        counts = {
            spec.name: int(wh.query(f"select count(*) from {wh.relation(spec.layer, spec.name)}").iloc[0, 0])
            for spec in raw_tables.RAW_TABLES.values()
        }
    finally:
        wh.close()
    expected = {
        "pitcher_game_logs": 6,
        "probable_starters": 6,
        "strikeout_lines": 4 + 4 + 3,
        "injured_list": 1,
        "people": 6,
        "strikeout_lines_quarantine": 0,
    }
    assert {name: counts[name] for name in expected} == expected
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in listed) and "Retrosheet" in readme and "Chadwick" in readme
