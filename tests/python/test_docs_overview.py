"""The dbt docs site opens on kzone's own overview page, and the deployment guide's commands run as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from python_models.dbt.project import PROJECT_ROOT

from .conftest import make_settings


@pytest.mark.slow
def test_docs_site_opens_on_the_project_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from python_models.jobs.dbt_ops import run_dbt
    from python_models.monitoring.docs import OVERVIEW_DOC, lineage_checks

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    run_dbt(["parse"], make_settings(tmp_path))
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    overview = manifest["docs"][OVERVIEW_DOC]["block_contents"]
    for step in (
        "Sources",
        "Staging",
        "Intermediate",
        "Feature store",
        "Scorer",
        "Predictions",
        "Monitoring",
    ):
        assert step in overview, f"the overview's flow lacks {step}"
    assert "todays_picks" in overview and "Where to start" in overview
    checks = dict(lineage_checks(manifest))
    assert checks["the site opens on the project's overview (docs block __overview__)"]
    notices = "the overview keeps Retrosheet's notice and the Chadwick register's ODC-By credit"
    assert checks[notices]
    uncredited = {**manifest["docs"][OVERVIEW_DOC], "block_contents": overview.replace("Chadwick", "a")}
    assert not dict(lineage_checks({**manifest, "docs": {**manifest["docs"], OVERVIEW_DOC: uncredited}}))[
        notices
    ]
    without = {**manifest, "docs": {k: v for k, v in manifest["docs"].items() if k != OVERVIEW_DOC}}
    assert not dict(lineage_checks(without))[
        "the site opens on the project's overview (docs block __overview__)"
    ]


def test_deployment_guide_schedules_the_morning_and_any_daily_names_its_date() -> None:
    guide = (PROJECT_ROOT / "docs" / "deploy_bigquery.md").read_text(encoding="utf-8")
    # the scheduled job is `kzone morning` (it fetches its own inputs); a `kzone daily` shown needs --date
    mornings = [line.strip() for line in guide.splitlines() if re.search(r"--args[= ]morning", line)]
    assert len(mornings) >= 2, "the guide no longer shows how the morning job is deployed and started"
    assert "kzone-morning:run" in guide, "Cloud Scheduler no longer starts the morning job"
    for line in guide.splitlines():
        if re.search(r"--args.*\bdaily\b|kzone daily ", line):
            assert re.search(r"daily --date \S", line), f"`kzone daily` needs --date: {line}"
