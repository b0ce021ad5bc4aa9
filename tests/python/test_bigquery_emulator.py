"""The BigQuery write path and the dbt project against a local BigQuery stand-in (bqemulator).

The real google-cloud-bigquery client talks REST to bqemulator on 127.0.0.1 through BigQueryWarehouse,
exactly as in production but for the endpoint and anonymous credentials. Skipped (with the reason) when
the emulator cannot start here.

What the stand-in cannot show (it runs on DuckDB): enforced contracts, table expiration and labels,
partition pruning, bytes billed, real concurrency conflicts between DML statements. Those are listed in
docs/deploy_bigquery.md as "only a real project can prove".
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from python_models.config import Settings, load_settings
from python_models.dbt.project import PROJECT_ROOT
from python_models.jobs.dbt_ops import DbtOutcome, dbt_env, run_dbt
from python_models.warehouse.base import STAGING_PREFIX, Column, WarehouseError, row_hashes
from python_models.warehouse.bigquery_warehouse import BigQueryWarehouse
from tests.python.bq_emulator import Emulator, EmulatorUnavailable, running_emulator

pytestmark = pytest.mark.emulator

PROJECT = "kzone-test"
COLUMNS = (
    Column("game_date", "date", False),
    Column("pitcher_id", "string", False),
    Column("system_id", "string", False),
    Column("predicted_strikeouts", "float64"),
    Column("line_count", "int64"),
    Column("is_pick", "bool"),
    Column("scored_at", "timestamp"),
    Column("row_hash", "string"),
)
KEY = ("game_date", "pitcher_id", "system_id")
CONTENT = [c.name for c in COLUMNS if c.name not in ("row_hash", "scored_at")]


@pytest.fixture(scope="module", autouse=True)
def _restore_environ() -> Iterator[None]:
    """run_dbt exports KZONE_TARGET=bigquery_emulator etc.; later tests must not inherit them."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    try:
        with running_emulator(tmp_path_factory.mktemp("bqemulator"), project=PROJECT) as emu:
            yield emu
    except EmulatorUnavailable as exc:
        pytest.skip(f"local BigQuery stand-in unavailable: {exc}")


def emulator_settings(emu: Emulator, prefix: str) -> Settings:
    return load_settings(
        target="bigquery_emulator",
        bq_api_endpoint=emu.api_endpoint,
        bq_project=PROJECT,
        dataset_prefix=prefix,
        warehouse_retries=2,
    )


@pytest.fixture
def wh(emulator: Emulator) -> Iterator[BigQueryWarehouse]:
    """A warehouse on its own datasets (prefix), built through the factory like the runner does."""
    from python_models.warehouse import open_warehouse

    warehouse = open_warehouse(emulator_settings(emulator, f"t{uuid.uuid4().hex[:8]}_"))
    assert isinstance(warehouse, BigQueryWarehouse)
    yield warehouse
    warehouse.close()


def batch(pitchers: list[str], predicted: float = 5.5, day: date = date(2026, 9, 27)) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "game_date": [day] * len(pitchers),
            "pitcher_id": pitchers,
            "system_id": ["ensemble_v1"] * len(pitchers),
            "predicted_strikeouts": [predicted] * len(pitchers),
            "line_count": [3] * len(pitchers),
            "is_pick": [True] * len(pitchers),
            "scored_at": [datetime.now(UTC).replace(tzinfo=None)] * len(pitchers),
        }
    )
    df["row_hash"] = row_hashes(df, CONTENT)
    return df


def rows(wh: BigQueryWarehouse) -> pd.DataFrame:
    frame = wh.query(f"select * from {wh.relation('scoring', 'landing')} order by pitcher_id")
    return frame.reset_index(drop=True)


def staging_left(wh: BigQueryWarehouse, layer: str = "scoring") -> list[str]:
    return [name for name, _ in wh.list_tables(layer) if name.startswith(STAGING_PREFIX)]


def test_writing_a_batch_twice_adds_and_changes_nothing(wh: BigQueryWarehouse) -> None:
    first = wh.merge_batch("scoring", "landing", batch(["p1", "p2", "p3"]), COLUMNS, KEY)
    snapshot = rows(wh)
    second = wh.merge_batch("scoring", "landing", batch(["p1", "p2", "p3"]), COLUMNS, KEY)
    assert (first.rows_inserted, first.rows_updated) == (3, 0)
    assert (second.rows_inserted, second.rows_updated) == (0, 0)
    after = rows(wh)
    assert len(after) == 3 and not after.duplicated(list(KEY)).any()
    # the row_hash guard: not even scored_at was rewritten
    pd.testing.assert_frame_equal(after, snapshot)
    changed = wh.merge_batch("scoring", "landing", batch(["p2"], predicted=7.0), COLUMNS, KEY)
    assert (changed.rows_inserted, changed.rows_updated) == (0, 1)
    assert rows(wh).set_index("pitcher_id").loc["p2", "predicted_strikeouts"] == 7.0
    assert staging_left(wh) == []


def test_values_round_trip_with_their_types(wh: BigQueryWarehouse) -> None:
    wh.merge_batch("scoring", "landing", batch(["p1"]), COLUMNS, KEY)
    got = rows(wh).iloc[0]
    assert got["game_date"] == pd.Timestamp("2026-09-27")  # same dtype family as the DuckDB engine
    assert got["line_count"] == 3 and bool(got["is_pick"]) is True
    hits = wh.query(
        f"select count(*) as n from {wh.relation('scoring', 'landing')} "
        "where game_date = @d and pitcher_id in unnest(@ids) and predicted_strikeouts > @x and is_pick = @b",
        {"d": date(2026, 9, 27), "ids": ["p1", "nobody"], "x": 5.0, "b": True},
    )
    assert int(hits.iloc[0, 0]) == 1


def test_two_batches_written_concurrently_lose_nothing(emulator: Emulator) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    errors: list[BaseException] = []

    def write(pitchers: list[str]) -> None:
        warehouse = BigQueryWarehouse.from_settings(emulator_settings(emulator, prefix))
        try:
            warehouse.merge_batch("scoring", "landing", batch(pitchers), COLUMNS, KEY)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            warehouse.close()

    first = BigQueryWarehouse.from_settings(emulator_settings(emulator, prefix))
    first.ensure_table("scoring", "landing", COLUMNS)
    threads = [
        threading.Thread(target=write, args=([f"a{i}" for i in range(40)],)),
        threading.Thread(target=write, args=([f"b{i}" for i in range(40)],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    got = rows(first)
    assert len(got) == 80 and got["pitcher_id"].is_unique
    assert staging_left(first) == []
    first.close()


def test_a_failing_merge_leaves_the_target_unchanged_and_no_staging_table(
    wh: BigQueryWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh.merge_batch("scoring", "landing", batch(["p1", "p2"]), COLUMNS, KEY)
    before = rows(wh)
    original = wh.merge_sql

    def merge_that_fails_midway(*args: object, **kwargs: object) -> str:
        # A valid MERGE that errors while processing the third row (after the staging load and after the
        # first rows were matched): BigQuery statements are atomic, so nothing may be written.
        sql = original(*args, **kwargs)  # type: ignore[arg-type]
        return sql.replace(
            "values (s.game_date, s.pitcher_id, s.system_id, s.predicted_strikeouts",
            "values (s.game_date, s.pitcher_id, s.system_id, "
            "if(s.pitcher_id = 'p4', error('forced failure'), s.predicted_strikeouts)",
        )

    monkeypatch.setattr(wh, "merge_sql", merge_that_fails_midway)
    loads: list[str] = []
    real_load = wh._load_frame
    monkeypatch.setattr(wh, "_load_frame", lambda *a: (loads.append(a[1]), real_load(*a))[1])
    with pytest.raises(WarehouseError, match="forced failure"):
        wh.merge_batch("scoring", "landing", batch(["p1", "p2", "p3", "p4"], predicted=9.0), COLUMNS, KEY)
    assert loads, "the failure must come after the staging load"
    pd.testing.assert_frame_equal(rows(wh), before)
    assert staging_left(wh) == []


@pytest.mark.parametrize(
    "pitcher_id",
    [
        "o'brien01",
        "x'; drop table landing; --",
        'x"); delete from landing where ("1"="1',
        "-- comment",
        "`backtick` \\ backslash @param",
        "josé_núñez_大谷翔平_🙂",
        "p" * 5000,
    ],
)
def test_hostile_pitcher_ids_are_data_not_sql(wh: BigQueryWarehouse, pitcher_id: str) -> None:
    wh.merge_batch("scoring", "landing", batch(["safe", pitcher_id]), COLUMNS, KEY)
    found = wh.query(
        f"select pitcher_id from {wh.relation('scoring', 'landing')} where pitcher_id = @p", {"p": pitcher_id}
    )
    assert found["pitcher_id"].tolist() == [pitcher_id]
    assert sorted(rows(wh)["pitcher_id"]) == sorted(["safe", pitcher_id])
    assert wh.table_exists("scoring", "landing")


def test_orphaned_staging_tables_are_swept_by_age(wh: BigQueryWarehouse) -> None:
    wh.ensure_table("scoring", "landing", COLUMNS)
    orphan = f"{STAGING_PREFIX}landing_b20260101T000000_deadbeef"
    wh.execute(f"create table {wh.relation('scoring', orphan)} (x int64)" + wh.staging_options())
    listed = dict(wh.list_tables("scoring"))
    created = listed[orphan]
    assert created is not None and abs(created - datetime.now(UTC)) < timedelta(minutes=10)
    assert wh.drop_orphan_staging("scoring", older_than_hours=1) == []  # too young: maybe a live batch
    assert wh.drop_orphan_staging("scoring", older_than_hours=0) == [orphan]
    assert not wh.table_exists("scoring", orphan)
    assert wh.table_exists("scoring", "landing")  # only staging tables are swept


# --- the dbt project on the stand-in ---------------------------------------------------------------
# The stand-in cannot enforce model contracts (dbt's contract check and typed CREATE TABLE fail there, not
# on BigQuery): contract-enforced models are excluded from `dbt build`; their SQL is still executed below
# as a query, so only the contract itself is unproven here. Contract models sit at several depths (the
# feature store, then the closing lines, naive reference and grading views, pitcher_strikeouts, the views
# built on it, the views built on those), so the rest is built in rounds: round k materialises the contract
# models with k contract models on their longest path from the sources, then builds the other nodes whose
# inputs are then all present.
CONTRACT_SELECTOR = "config.contract.enforced:true"
DBT_VARS = {"as_of_date": "2026-09-27"}


@dataclass(frozen=True)
class DbtOnEmulator:
    settings: Settings
    target: Path
    seed: DbtOutcome
    upstream: DbtOutcome
    contract_models: dict[str, str]  # unique_id -> error ('' = its SELECT ran and was materialised)
    downstream: DbtOutcome  # every round's build, merged


@dataclass(frozen=True)
class CompiledNode:
    resource_type: str  # model, or a test dbt selected with them (its SELECT is run, not judged)
    schema: str
    alias: str
    sql: str


def _invoke(settings: Settings, args: list[str]):
    from dbt.cli.main import dbtRunner

    os.environ.update(dbt_env(settings))
    common = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT), "--quiet"]
    result = dbtRunner().invoke([*args, *common, "--vars", json.dumps(DBT_VARS)])
    assert result.success, result.exception
    return result.result


def _compile_contract_models(settings: Settings, target: Path) -> dict[str, CompiledNode]:
    """unique_id -> compiled SELECT of the contract-enforced models (and the tests dbt selects with them),
    compiled against the stand-in (so is_incremental() and source_if_exists introspect for real)."""
    results = _invoke(
        settings,
        ["compile", "--select", f"{CONTRACT_SELECTOR},resource_type:model", "--target-path", str(target)],
    )
    return {
        r.node.unique_id: CompiledNode(
            r.node.resource_type, r.node.schema, r.node.alias, r.node.compiled_code
        )
        for r in results.results
    }


def _downstream_selectors(settings: Settings, target: Path) -> dict[str, str]:
    """unique_id -> selector of every node downstream of the contract models but those models and their
    tests (what `dbt build --select CONTRACT+ --exclude CONTRACT` builds)."""
    listed = _invoke(
        settings,
        [
            "ls",
            "--select",
            f"{CONTRACT_SELECTOR}+",
            "--exclude",
            CONTRACT_SELECTOR,
            "--resource-type",
            "model",
            "snapshot",
            "test",
            "unit_test",
            "--output",
            "json",
            "--output-keys",
            "unique_id",
            "name",
            "resource_type",
            "--target-path",
            str(target),
        ],
    )
    nodes = [json.loads(line) for line in listed]
    return {
        n["unique_id"]: f"unit_test:{n['name']}" if n["resource_type"] == "unit_test" else n["name"]
        for n in nodes
    }


def _contract_depths(target: Path, contract: set[str], downstream: set[str]) -> dict[str, int]:
    """Per node of contract | downstream: how many contract models lie on its longest path from the
    sources, itself included (0 for nodes upstream of every contract model, built first)."""
    parents = json.loads((target / "manifest.json").read_text())["parent_map"]
    depth: dict[str, int] = {}

    def visit(uid: str) -> int:
        if uid not in contract | downstream:
            return 0
        if uid not in depth:
            above = max((visit(p) for p in parents.get(uid, [])), default=0)
            depth[uid] = above + (1 if uid in contract else 0)
        return depth[uid]

    for uid in contract | downstream:
        visit(uid)
    return depth


def _merge_outcomes(outcomes: list[DbtOutcome]) -> DbtOutcome:
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        for status, n in outcome.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return DbtOutcome(
        command=" ; ".join(o.command for o in outcomes),
        seconds=sum(o.seconds for o in outcomes),
        statuses=statuses,
        failures=[f for o in outcomes for f in o.failures],
        warnings=[w for o in outcomes for w in o.warnings],
        nodes=[n for o in outcomes for n in o.nodes],
    )


@pytest.fixture(scope="module")
def dbt_on_emulator(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> DbtOnEmulator:
    """The demo league loaded through BigQueryWarehouse; `dbt seed`; the migrations; `dbt build` of all
    but the contract-enforced models and their descendants; then, round by round, the contract-enforced
    models' SELECT run and materialised as plain tables (what the stand-in cannot do is the contract check)
    and `dbt build` of the descendants whose inputs are then present (the closing lines, grading, snapshot,
    the monitoring views and their tests)."""
    from python_models.demo.load import load_demo
    from python_models.warehouse import tables

    settings = emulator_settings(emulator, f"d{uuid.uuid4().hex[:6]}_")
    target = tmp_path_factory.mktemp("dbt_emulator")
    common = ["--target-path", str(target), "--threads", "4"]
    warehouse = BigQueryWarehouse.from_settings(settings)
    try:
        load_demo(warehouse, seed=20260107)
        # Tables the scorer and trainer write, present but empty (sources of the prediction models).
        for spec in (tables.PREDICTIONS_LANDING, tables.MODEL_REGISTRY):
            warehouse.ensure_table(spec.layer, spec.name, spec.columns)
        seed = run_dbt(["seed", *common], settings, raise_on_error=False)
        run_dbt(["run-operation", "run_migrations", *common], settings)
        # Stand-in quirk: after ALTER TABLE ADD COLUMN its catalog (tables.get, and the schema its SQL
        # translator plans with) keeps the old columns, so views selecting the new ones fail to bind.
        # Rewriting the table refreshes it. BigQuery itself needs nothing of the kind.
        legacy = warehouse.relation(tables.LEGACY_PREDICTIONS.layer, tables.LEGACY_PREDICTIONS.name)
        warehouse.execute(f"create or replace table {legacy} as select * from {legacy}")
        upstream = run_dbt(
            ["build", "--exclude", f"{CONTRACT_SELECTOR}+", *common],
            settings,
            vars=DBT_VARS,
            raise_on_error=False,
        )
        compiled = _compile_contract_models(settings, target)
        selectors = _downstream_selectors(settings, target)
        models = {uid for uid, node in compiled.items() if node.resource_type == "model"}
        depth = _contract_depths(target, models, set(selectors) | set(compiled))
        contract_models: dict[str, str] = {}
        rounds: list[DbtOutcome] = []
        for k in range(1, max(depth.values(), default=0) + 1):
            # this round's contract models, then the descendants they complete, then the tests dbt
            # compiled with the contract models (they may read those descendants)
            for uid in sorted(u for u in models if depth[u] == k):
                contract_models[uid] = _materialise(warehouse, settings, compiled[uid])
            names = sorted(selectors[u] for u in selectors if depth[u] == k)
            if names:
                rounds.append(
                    run_dbt(
                        ["build", "--select", *names, *common], settings, vars=DBT_VARS, raise_on_error=False
                    )
                )
            for uid in sorted(u for u in compiled if u not in models and depth[u] == k):
                contract_models[uid] = _materialise(warehouse, settings, compiled[uid])
        downstream = _merge_outcomes(rounds)
    finally:
        warehouse.close()
    return DbtOnEmulator(settings, target, seed, upstream, contract_models, downstream)


def _materialise(warehouse: BigQueryWarehouse, settings: Settings, node: CompiledNode) -> str:
    """Run a compiled SELECT as `create or replace table`: '' when it ran, else the error."""
    try:
        warehouse.ensure_schema(node.schema.removeprefix(settings.dataset_prefix))
        rel = f"`{settings.bq_project}.{node.schema}.{node.alias}`"
        warehouse.execute(f"create or replace table {rel} as {node.sql}")
        return ""
    except WarehouseError as exc:
        return str(exc)


@pytest.mark.slow
def test_dbt_seeds_and_staging_build_on_the_stand_in(dbt_on_emulator: DbtOnEmulator) -> None:
    run = dbt_on_emulator
    assert not run.seed.failures and run.seed.statuses.get("success", 0) >= 1, run.seed
    staging = [f for f in run.upstream.failures if ".stg_" in f.split(":")[0] or ".seed." in f.split(":")[0]]
    assert not staging, "\n".join(staging)
    assert run.upstream.statuses.get("success", 0) >= 4 and run.upstream.statuses.get("pass", 0) > 0


@pytest.mark.slow
def test_dbt_build_of_everything_the_stand_in_can_build(dbt_on_emulator: DbtOnEmulator) -> None:
    """All models and tests but the contract check itself: upstream, then the contract-enforced models'
    SQL (materialised without the contract), then everything downstream of them."""
    run = dbt_on_emulator
    failures = [
        *run.upstream.failures,
        *(
            f"{uid}: its SELECT does not run on the stand-in: {err}"
            for uid, err in run.contract_models.items()
            if err
        ),
        *run.downstream.failures,
    ]
    assert not failures, "\n".join(failures)
    assert run.contract_models, "no contract-enforced model was compiled"
    assert run.upstream.statuses.get("skipped", 0) == 0 and run.downstream.statuses.get("skipped", 0) == 0


@pytest.mark.slow
def test_a_backfills_several_date_reads_run_on_the_stand_in(dbt_on_emulator: DbtOnEmulator) -> None:
    """The feature store's reads for a backfill's batch of dates (array parameters of DATE and TIMESTAMP)
    run on BigQuery SQL and return exactly what reading one date at a time returns."""
    from python_models.features.store import FeatureStore

    days = [date(2026, 9, 25), date(2026, 9, 26)]
    cutoffs = [datetime(d.year, d.month, d.day, 23, 0) for d in days]  # late: every capture of the day counts
    warehouse = BigQueryWarehouse.from_settings(dbt_on_emulator.settings)
    try:
        store = FeatureStore(warehouse)
        together = store.slate(days)
        apart = pd.concat([store.slate(d) for d in days], ignore_index=True)
        lines = store.line_captures(cutoffs)
        lines_apart = pd.concat([store.line_captures([c]) for c in cutoffs], ignore_index=True)
    finally:
        warehouse.close()
    assert len(together) > 0 and set(pd.to_datetime(together["game_date"]).dt.date) == set(days)
    pd.testing.assert_frame_equal(together, apart)
    assert len(lines) > 0 and set(lines["game_date"]) == set(days)
    key = ["game_date", "pitcher_id", "bookmaker"]
    pd.testing.assert_frame_equal(
        lines.sort_values(key).reset_index(drop=True), lines_apart.sort_values(key).reset_index(drop=True)
    )


@pytest.mark.emulator
def test_feeds_resolve_quarantine_and_replace_quarantine_rows_on_bigquery(
    wh: BigQueryWarehouse, tmp_path
) -> None:
    """The name resolver's reads, the lines + quarantine writes and the quarantine's replace-on-reload
    DELETE (an array parameter) run on BigQuery SQL through the real client."""
    import shutil

    from python_models.ingest.lines import load_lines
    from python_models.warehouse.raw_tables import LINES_QUARANTINE, STRIKEOUT_LINES

    from .feeds_fixture import FIXTURES, load_world

    load_world(wh, tmp_path)
    odds = tmp_path / "odds.json"
    shutil.copy(FIXTURES / "odds_api_pitcher_strikeouts.json", odds)
    first = load_lines(wh, odds, "odds-api")
    assert (first.rows_loaded, len(first.quarantined)) == (9, 3)

    def count(spec) -> int:
        return int(wh.query(f"select count(*) as n from {wh.relation(spec.layer, spec.name)}").iloc[0, 0])

    assert (count(STRIKEOUT_LINES), count(LINES_QUARANTINE)) == (9, 3)
    doc = json.loads(odds.read_text())
    doc[0]["bookmakers"][1]["markets"][1]["outcomes"] = doc[0]["bookmakers"][1]["markets"][1]["outcomes"][:2]
    odds.write_text(json.dumps(doc))  # fanduel's unpaired Bello and unknown Rodón are gone
    again = load_lines(wh, odds, "odds-api")
    assert len(again.quarantined) == 1 and count(LINES_QUARANTINE) == 1
