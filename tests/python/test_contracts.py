"""One contract per table: the columns Python writes (python_models/warehouse/tables.py) are the columns dbt
declares for the source, with the same portable types where the YAML states them (source_if_exists types
its empty fallback from the YAML)."""

from __future__ import annotations

import yaml

from python_models.dbt.project import PROJECT_ROOT
from python_models.warehouse.raw_tables import RAW_TABLES
from python_models.warehouse.tables import LEGACY_PREDICTIONS, MODEL_REGISTRY, PREDICTIONS_LANDING

MIGRATION_COLUMNS = {"system_id": "string", "feature_coverage_pct": "float64"}  # added by M001 / M003


def _declared_sources() -> dict[str, dict[str, str | None]]:
    tables = {}
    for path in (PROJECT_ROOT / "models").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", []):
            for table in source.get("tables", []):
                tables[table["name"]] = {c["name"]: c.get("data_type") for c in table.get("columns", [])}
    return tables


def test_every_table_python_writes_is_a_dbt_source_with_the_same_columns() -> None:
    declared = _declared_sources()
    specs = [*RAW_TABLES.values(), PREDICTIONS_LANDING, MODEL_REGISTRY, LEGACY_PREDICTIONS]
    for spec in specs:
        assert spec.name in declared, f"{spec.name} is not declared as a dbt source"
        columns = declared[spec.name]
        expected = {c.name: c.type for c in spec.columns}
        if spec is LEGACY_PREDICTIONS:
            expected |= MIGRATION_COLUMNS
        assert list(columns) == list(expected), (
            f"{spec.name}: the dbt source's columns drifted from tables.py"
        )
        typed = {name: t for name, t in columns.items() if t is not None}
        assert typed == {name: expected[name] for name in typed}, f"{spec.name}: types differ"


def test_sources_with_an_empty_fallback_type_every_column() -> None:
    """Every source read through source_if_exists (its empty relation is typed from the YAML)."""
    import re

    declared = _declared_sources()
    calls = set()
    for path in (PROJECT_ROOT / "models").rglob("*.sql"):
        calls |= set(re.findall(r"source_if_exists\('\w+', '(\w+)'\)", path.read_text(encoding="utf-8")))
    assert {PREDICTIONS_LANDING.name, MODEL_REGISTRY.name, LEGACY_PREDICTIONS.name} <= calls
    for name in calls:
        assert all(t is not None for t in declared[name].values()), f"{name}: a column without data_type"
