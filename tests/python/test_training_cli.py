"""Issue 20, item 2.12: training and scoring failures end in one line that says what to do, not a traceback."""

from __future__ import annotations

from pathlib import Path

from .feeds_fixture import run_cli


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    # the scorer logs each system's failure as it happens; the command ends with one line of its own
    errors = [line for line in result.output.splitlines() if "ERROR   kzone:" in line]
    assert len(errors) == 1, result.output
    return errors[0]


def test_train_through_a_date_before_any_game_says_what_to_do(env) -> None:
    settings, wh = env
    wh.close()
    result = run_cli(
        ["train", "--through", "1900-01-01"],
        settings.duckdb_path,
        KZONE_MODEL_STORE=str(settings.model_store),
    )
    line = _one_error_line(result)
    assert "only 0 starts on or before 1900-01-01" in line
    assert "train through a later date" in line


def test_daily_with_every_model_file_broken_says_what_to_do(env) -> None:
    settings, wh = env
    paths = wh.query("select model_path from scoring.model_registry where model_path is not null")
    for path in paths["model_path"]:
        Path(path).write_text("{ not a model")
    wh.close()
    for command in (
        ["score", "--date", "2026-05-15"],
        ["daily", "--date", "2026-05-15", "--skip-migrations"],
    ):
        result = run_cli(command, settings.duckdb_path, KZONE_MODEL_STORE=str(settings.model_store))
        line = _one_error_line(result)
        assert "nothing could be scored for 2026-05-15" in line, command
        assert "kzone train --through" in line, command
