"""README figures come from the scripts that measure them: each recorded file renders to exactly the block
the README shows, so a hand-edited number fails here."""

from __future__ import annotations

import json

import pytest

from python_models.monitoring import figures


def test_every_recorded_figure_block_is_what_its_script_renders() -> None:
    readme = figures.README.read_text(encoding="utf-8")
    recorded = sorted(figures.FIGURES_DIR.glob("*.json"))
    assert {p.stem for p in recorded} == set(figures.RENDERERS), "every script has recorded its figures"
    for path in recorded:
        payload = json.loads(path.read_text(encoding="utf-8"))
        shown = figures.current_block(readme, path.stem)
        assert shown is not None, f"README has no block for {path.stem}"
        assert shown == figures.RENDERERS[path.stem](payload).strip(), (
            f"the README's {path.stem} block differs from {path.name}: re-run `make {path.stem}`, never edit it"
        )


def test_replacing_a_block_changes_that_block_only() -> None:
    text = "intro\n<!-- figures:a:start -->\nold a\n<!-- figures:a:end -->\nmiddle\n<!-- figures:b:start -->\nold b\n<!-- figures:b:end -->\n"
    new = figures.replace_block(text, "a", "new a")
    assert figures.current_block(new, "a") == "new a"
    assert figures.current_block(new, "b") == "old b"
    assert new.startswith("intro\n") and "\nmiddle\n" in new
    with pytest.raises(ValueError, match="no <!-- figures:c:start -->"):
        figures.replace_block(text, "c", "x")


def test_a_record_names_the_date_and_the_machine(tmp_path) -> None:
    path = figures.record("evaluate", {"x": 1}, folder=tmp_path)
    payload = json.loads(path.read_text())
    assert payload["figures"] == {"x": 1} and payload["machine"]["cores"] >= 1
    assert payload["measured_at"].endswith("UTC")
    assert "cores" in figures.measured_line(payload)


def test_the_picks_system_default_is_the_one_the_evaluation_measured(tmp_path) -> None:
    from python_models.dbt.project import var

    assert figures.measured_picks_system(tmp_path) == var("picks_system_id"), "nothing measured: the var"
    figures.record(
        "evaluate", {"picks_system": {"system_id": "v2_workload_rate", "reason": "r"}}, folder=tmp_path
    )
    assert figures.measured_picks_system(tmp_path) == "v2_workload_rate"
    figures.record("evaluate", {"picks_system": {"system_id": "retired_system"}}, folder=tmp_path)
    assert figures.measured_picks_system(tmp_path) == var("picks_system_id"), "an unknown system: the var"
