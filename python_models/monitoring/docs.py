"""`kzone docs`: generate the dbt docs site and check that its lineage tells the whole story.

The chain a reader must be able to follow in the docs DAG: raw sources → staging → the feature store →
the scorer exposure (`strikeout_scorer`, type ml) → its landing table (source `scoring.predictions_landing`)
→ the public `pitcher_strikeouts` table → the monitoring views (read by the `picks_consumers` exposure).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from python_models.config import Settings, get_settings
from python_models.dbt.project import PROJECT_ROOT

log = logging.getLogger(__name__)

SCORER_EXPOSURE = "strikeout_scorer"
CONSUMER_EXPOSURE = "picks_consumers"
FEATURE_STORE = "ml_feature_store"
PUBLIC_TABLE = "fct_pitcher_strikeouts"
LANDING_SOURCE = ("scoring", "predictions_landing")
MONITORING_VIEWS = (
    "todays_picks",
    "system_comparison",
    "system_performance",
    "daily_coverage",
    "system_agreement",
    "feature_coverage_monitoring",
    "prediction_coverage",
    "market_comparison",
    "distribution_calibration",
    "picks_by_confidence",
)
OVERVIEW_DOC = "doc.kzone.__overview__"
# what the licences of the real data require the site to say (python_models/ingest prints the same)
DATA_NOTICES = (
    "obtained free of charge from and is copyrighted by Retrosheet",
    '"Chadwick Baseball Bureau Persons Register"',
    "Open Data Commons Attribution License",
)
SERVE_HINT = (
    "make docs-serve  (= dbt docs serve --port 8080 --host 127.0.0.1), then open http://127.0.0.1:8080"
)


@dataclass
class DocsResult:
    target_dir: Path
    checks: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.target_dir / "index.html"

    @property
    def ok(self) -> bool:
        return all(passed for _, passed in self.checks)


def target_dir() -> Path:
    """Where dbt writes its artifacts: DBT_TARGET_PATH when set, else the project's target/."""
    configured = os.environ.get("DBT_TARGET_PATH")
    if not configured:
        return PROJECT_ROOT / "target"
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _ancestors(parent_map: dict[str, list[str]], node: str) -> set[str]:
    seen: set[str] = set()
    todo = list(parent_map.get(node, []))
    while todo:
        parent = todo.pop()
        if parent not in seen:
            seen.add(parent)
            todo.extend(parent_map.get(parent, []))
    return seen


def lineage_checks(manifest: dict) -> list[tuple[str, bool]]:
    """Each link of the documented chain, as (description, holds) read from manifest.json."""
    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {}), **manifest.get("exposures", {})}
    parent_map: dict[str, list[str]] = manifest.get("parent_map", {})

    def uid(resource: str, name: str) -> str | None:
        return next(
            (k for k, v in nodes.items() if v.get("resource_type") == resource and v.get("name") == name),
            None,
        )

    def folder(node_id: str) -> str:
        return str(nodes.get(node_id, {}).get("original_file_path", ""))

    staging = [k for k in nodes if folder(k).startswith("models/staging/") and k.startswith("model.")]
    sources_to_staging = any(p.startswith("source.") for s in staging for p in parent_map.get(s, []))
    feature_store = uid("model", FEATURE_STORE)
    fs_ancestors = _ancestors(parent_map, feature_store) if feature_store else set()
    scorer = uid("exposure", SCORER_EXPOSURE)
    landing = next(
        (
            k
            for k, v in nodes.items()
            if v.get("resource_type") == "source" and (v.get("source_name"), v.get("name")) == LANDING_SOURCE
        ),
        None,
    )
    public = uid("model", PUBLIC_TABLE)
    consumers = uid("exposure", CONSUMER_EXPOSURE)
    overview = str(manifest.get("docs", {}).get(OVERVIEW_DOC, {}).get("block_contents", ""))
    checks = [
        (
            "the site opens on the project's overview (docs block __overview__)",
            OVERVIEW_DOC in manifest.get("docs", {}),
        ),
        (
            "the overview keeps Retrosheet's notice and the Chadwick register's ODC-By credit",
            all(" ".join(notice.split()) in " ".join(overview.split()) for notice in DATA_NOTICES),
        ),
        ("raw sources → staging models", sources_to_staging),
        (f"staging → {FEATURE_STORE}", any(a in fs_ancestors for a in staging)),
        (
            f"{FEATURE_STORE} → exposure {SCORER_EXPOSURE} (type ml)",
            bool(scorer and feature_store in parent_map.get(scorer, [])),
        ),
        (
            f"scorer landing source scoring.predictions_landing → {PUBLIC_TABLE}",
            bool(public and landing and landing in _ancestors(parent_map, public)),
        ),
    ]
    for view in MONITORING_VIEWS:
        view_id = uid("model", view)
        checks.append(
            (f"{PUBLIC_TABLE} → {view}", bool(view_id and public in _ancestors(parent_map, view_id)))
        )
    checks.append(
        (
            f"monitoring views → exposure {CONSUMER_EXPOSURE}",
            bool(
                consumers and all(uid("model", v) in parent_map.get(consumers, []) for v in MONITORING_VIEWS)
            ),
        )
    )
    return checks


def generate_docs(settings: Settings | None = None, as_of_date: date | None = None) -> DocsResult:
    """Run `dbt docs generate` and check the lineage in the manifest it wrote."""
    from python_models.jobs.dbt_ops import run_dbt

    settings = settings or get_settings()
    run_dbt(["docs", "generate"], settings, vars={"as_of_date": str(as_of_date)} if as_of_date else None)
    result = DocsResult(target_dir())
    manifest = json.loads((result.target_dir / "manifest.json").read_text(encoding="utf-8"))
    result.checks = lineage_checks(manifest)
    for description, passed in result.checks:
        log.log(
            logging.INFO if passed else logging.WARNING,
            "lineage %s: %s",
            "ok" if passed else "MISSING",
            description,
        )
    return result
