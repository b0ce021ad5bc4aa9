"""The dbt feature store (models/intermediate, models/marts/features): no leakage, incremental = full.

Every scenario works on a COPY of the session's demo warehouse (the `demo_warehouse` fixture), changes raw
data or the built table there, rebuilds only the feature-store nodes, and compares tables with EXCEPT both
ways inside DuckDB.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from python_models.config import Settings
from python_models.dbt.project import PROJECT_ROOT, all_features, feature_sets
from python_models.jobs.dbt_ops import run_dbt
from tests.python.conftest import (
    REAL_STARTS,
    REAL_STARTS_NINE_SEASONS,
    REAL_TEAM_GAMES,
    make_settings,
    requires_nine_seasons,
    requires_real_data,
)

STORE = "features.ml_feature_store"
STORE_NODES = ["+ml_feature_store", "+dim_pitchers"]  # the store and every model it is built from
DEMO_VARS = {"as_of_date": "2026-09-27"}
# Cutoffs of the rewrite-the-future test, with the rows compared at least: mid-2026, where rows have long
# histories, full 60-day windows and a previous season; mid-2025, the data's first season, where the
# fallbacks for "no previous season" (league to date, NULL prior-season rates) are what the rows read.
CUTOFFS = [(date(2026, 6, 15), 6000), (date(2025, 6, 15), 2000)]


def copy_warehouse(source: Settings, tmp: Path) -> Settings:
    """A private copy of a DuckDB warehouse. The file name is kept: dbt-duckdb names the catalog after it."""
    settings = make_settings(tmp)
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source.duckdb_path, settings.duckdb_path)
    wal = source.duckdb_path.with_name(source.duckdb_path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, settings.duckdb_path.with_name(wal.name))
    return settings


@contextmanager
def connect(settings: Settings, attach: Settings | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection (closed before the next dbt run); `attach` is mounted read-only as `other`."""
    con = duckdb.connect(str(settings.duckdb_path))
    try:
        if attach is not None:
            con.execute(f"attach '{attach.duckdb_path}' as other (read_only)")
        yield con
    finally:
        con.close()


def build_store(settings: Settings, *, full_refresh: bool) -> float:
    """Rebuild the feature store and everything it is built from (no tests); returns seconds taken."""
    args = ["run", "--select", *STORE_NODES] + (["--full-refresh"] if full_refresh else [])
    started = time.perf_counter()
    run_dbt(args, settings, vars=DEMO_VARS)
    return time.perf_counter() - started


def rows_differing(con: duckdb.DuckDBPyConnection, left: str, right: str, where: str = "true") -> int:
    """Rows of `left` missing from `right` plus rows of `right` missing from `left` (EXCEPT both ways)."""
    sql = f"""
        select count(*) from (
            (select * from {left} where {where} except select * from {right} where {where})
            union all
            (select * from {right} where {where} except select * from {left} where {where})
        )
    """
    return int(con.execute(sql).fetchone()[0])


NEW_FEATURE_FAMILIES = {  # team-game features: each must be populated on D for the comparison to bite
    "opp_bat_k_pct_last_15": "opponent batting",
    "park_k_factor": "park",
    "umpire_k_factor": "umpire",
    "mgr_leash_bf": "manager leash",
    "bullpen_outs_last_3d": "bullpen",
    "bf_trend_last_3": "workload trend",
}


@pytest.mark.parametrize("path", ["full_refresh", "incremental"])
@pytest.mark.parametrize(("cutoff", "min_rows"), CUTOFFS, ids=[f"{c:%Y-%m-%d}" for c, _ in CUTOFFS])
def test_features_for_dates_up_to_d_ignore_every_game_on_or_after_d(
    demo_warehouse: Settings, tmp_path: Path, cutoff: date, min_rows: int, path: str
) -> None:
    """Change every result ON the cutoff date D (to absurd lines) and delete every game AFTER it, in a copy:
    game logs and team games alike, so the starters' lines, the team batting lines, the bullpens' outs and
    pitchers, and every umpire's, park's and manager's later games are gone or rewritten. Every feature
    row dated before D, and the rows dated D itself (whose inputs are strictly earlier), must be identical
    to the original. A window frame ending at `current row`, or a date join on `<=`, would let D's changed
    games into D's own rows; a frame or join reaching forward would change earlier rows. D's pre-game facts
    (umpire, park, manager, scheduled innings, DH) are the rows' own announced inputs and stay.
    Both build paths: a full refresh, and an incremental run on feature tables built through D - 30 days
    (the rows after it deleted), which computes D - 30 - lookback .. D with D's changed games loaded."""
    changed = copy_warehouse(demo_warehouse, tmp_path / "changed")
    with connect(changed) as con:
        on_d = con.execute(
            "select count(*) from raw.pitcher_game_logs where game_date = ?", [cutoff]
        ).fetchone()[0]
        assert on_d > 0, "the cutoff must be a game day for the test to bite"
        # Absurd but valid lines on D: every batter struck out, nobody walked, no outs recorded otherwise.
        con.execute(
            """
            update raw.pitcher_game_logs
            set strikeouts = batters_faced, walks = 0, hits_allowed = 0, earned_runs = 0,
                outs_recorded = batters_faced
            where game_date = ?
            """,
            [cutoff],
        )
        # ... and absurd team games: every plate appearance a strikeout, a bullpen of 13 working 30 outs
        # more, the starter facing 20 more batters.
        con.execute(
            """
            update raw.team_games
            set batting_strikeouts = batting_pa, batting_hits = 0, batting_walks = 0,
                pitching_outs = pitching_outs + 30, pitchers_used = 13,
                starter_batters_faced = starter_batters_faced + 20
            where game_date = ?
            """,
            [cutoff],
        )
        for table in ("pitcher_game_logs", "team_games", "probable_starters"):
            con.execute(f"delete from raw.{table} where game_date > ?", [cutoff])
        if path == "incremental":
            built_through = cutoff - timedelta(days=30)
            for (table,) in con.execute(
                "select distinct table_name from information_schema.columns "
                "where table_schema = 'features' and column_name = 'inputs_loaded_at'"
            ).fetchall():
                con.execute(f"delete from features.{table} where game_date > ?", [built_through])
    build_store(changed, full_refresh=path == "full_refresh")

    with connect(changed, attach=demo_warehouse) as con:
        after = con.execute(f"select count(*) from {STORE} where game_date > ?", [cutoff]).fetchone()[0]
        assert after == 0, "games after the cutoff were deleted, so no feature rows after it"
        original_rows = con.execute(
            f"select count(*) from other.{STORE} where game_date <= ?", [cutoff]
        ).fetchone()[0]
        assert original_rows > min_rows
        populated = con.execute(
            f"select {', '.join(f'count({c})' for c in NEW_FEATURE_FAMILIES)} from {STORE} where game_date = ?",
            [cutoff],
        ).fetchone()
        empty = [
            family
            for family, n in zip(NEW_FEATURE_FAMILIES.values(), populated, strict=True)
            if n < 0.8 * on_d
        ]
        assert not empty, f"features not populated on D, so the comparison could not see their leak: {empty}"
        differing = rows_differing(
            con, STORE, f"other.{STORE}", where=f"game_date <= date '{cutoff:%Y-%m-%d}'"
        )
        assert differing == 0, f"{differing} feature rows dated on or before {cutoff} changed"
        # ...while the inputs on D really changed (the comparison above could see a leak).
        changed_inputs = con.execute(
            """
            select count(*) from staging.stg_gamelogs__pitcher_starts as c
            inner join other.staging.stg_gamelogs__pitcher_starts as o
                on c.game_id = o.game_id and c.pitcher_id = o.pitcher_id
            where c.game_date = ? and c.strikeouts != o.strikeouts
            """,
            [cutoff],
        ).fetchone()[0]
        assert changed_inputs >= on_d * 0.9
        changed_team_games = con.execute(
            """
            select count(*) from features.int_team_games_joined as c
            inner join other.features.int_team_games_joined as o on c.game_id = o.game_id and c.team = o.team
            where c.game_date = ? and c.batting_strikeouts != o.batting_strikeouts
                and c.relief_outs != o.relief_outs and c.starter_bf_above_league != o.starter_bf_above_league
            """,
            [cutoff],
        ).fetchone()[0]
        assert changed_team_games >= on_d * 0.9


def test_incremental_runs_equal_a_full_refresh(demo_warehouse: Settings, tmp_path: Path) -> None:
    """A new day of results, a scratched probable starter, and lost recent rows: after each incremental
    run the table equals a full refresh of the same data (EXCEPT both ways)."""
    wh = copy_warehouse(demo_warehouse, tmp_path / "incremental")
    newest_played = date(2026, 9, 26)
    today = date(2026, 9, 27)
    with connect(wh) as con:
        # Yesterday's results are "not in yet": hold them back, and build the store as of that morning.
        for table in ("pitcher_game_logs", "team_games"):
            con.execute(
                f"create table raw.held_back_{table} as select * from raw.{table} where game_date = ?",
                [newest_played],
            )
            con.execute(f"delete from raw.{table} where game_date = ?", [newest_played])
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        pending = con.execute(
            f"select count(*) from {STORE} where game_date = ? and not is_played", [newest_played]
        ).fetchone()[0]
        assert pending > 0
        # Today's starter of one game is scratched for a teammate who has no start today.
        scratched, team = con.execute(
            "select pitcher_id, team from raw.probable_starters where game_date = ? order by pitcher_id limit 1",
            [today],
        ).fetchone()
        replacement, replacement_name = con.execute(
            """
            select pitcher_id, max(pitcher_name) from raw.pitcher_game_logs
            where team = ? and pitcher_id != ?
                and pitcher_id not in (select pitcher_id from raw.probable_starters where game_date = ?)
            group by 1 order by 1 limit 1
            """,
            [team, scratched, today],
        ).fetchone()
        con.execute(
            "update raw.probable_starters set pitcher_id = ?, pitcher_name = ? where game_date = ? and pitcher_id = ?",
            [replacement, replacement_name, today, scratched],
        )
        # The morning after: yesterday's results arrive.
        for table in ("pitcher_game_logs", "team_games"):
            con.execute(f"insert into raw.{table} select * from raw.held_back_{table}")

    seconds_one_day = build_store(wh, full_refresh=False)
    with connect(wh) as con:
        con.execute(f"create table features.after_incremental as select * from {STORE}")
        today_ids = {
            r[0]
            for r in con.execute(f"select pitcher_id from {STORE} where game_date = ?", [today]).fetchall()
        }
        assert scratched not in today_ids, (
            "the scratched starter's row must be deleted by the incremental run"
        )
        assert replacement in today_ids
        assert (
            con.execute(
                f"select count(*) from {STORE} where game_date = ? and not is_played", [newest_played]
            )
        ).fetchone()[0] == 0
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        assert rows_differing(con, STORE, "features.after_incremental") == 0
        # Lost rows: the newest five days vanish from the table; an incremental run restores them exactly.
        con.execute(f"create table features.full_refresh as select * from {STORE}")
        con.execute(f"delete from {STORE} where game_date > date '{today:%Y-%m-%d}' - interval 5 day")
    build_store(wh, full_refresh=False)
    with connect(wh) as con:
        assert rows_differing(con, STORE, "features.full_refresh") == 0
        assert (
            con.execute(f"select count(*) from {STORE}").fetchone()[0]
            == con.execute("select count(*) from features.full_refresh").fetchone()[0]
        )
    assert seconds_one_day < 120


def test_todays_rows_without_an_announced_lineup_take_the_opponents_latest_earlier_one(
    demo_warehouse: Settings, tmp_path: Path
) -> None:
    """A morning before lineups are posted: half of today's announcements are reloaded without a lineup.
    Those rows take the lineup their opponent put up in its latest game before today (source 'recent'),
    with the platoon edge counted for this pitcher's hand; the others keep the announced lineup
    ('announced'); played rows keep their own ('played'). The incremental run equals a full refresh.
    (Same-day and later games never feed the fallback: the dbt unit test
    spine_pending_lineup_falls_back_to_the_opponents_latest_earlier_one, which fails on `<=`.)"""
    wh = copy_warehouse(demo_warehouse, tmp_path / "lineups")
    today = date(2026, 9, 27)
    with connect(wh) as con:
        pitchers = [
            r[0]
            for r in con.execute(
                "select pitcher_id from raw.probable_starters where game_date = ? order by pitcher_id",
                [today],
            ).fetchall()
        ]
        unannounced = pitchers[::2]
        assert len(unannounced) >= 10
        con.execute(
            f"""
            update raw.probable_starters
            set opp_lineup_lhb = null, opp_lineup_rhb = null, opp_lineup_swb = null,
                opp_lineup_platoon_adv = null, _loaded_at = current_timestamp
            where game_date = ? and pitcher_id in ({", ".join("?" * len(unannounced))})
            """,
            [today, *unannounced],
        )
    build_store(wh, full_refresh=False)
    with connect(wh) as con:
        rows = con.execute(
            f"""
            select store.pitcher_id, store.opponent, spine.pitcher_throws, store.opp_lineup_lhb,
                store.opp_lineup_rhb, store.opp_lineup_swb, store.opp_lineup_platoon_adv, store.opp_lineup_source
            from {STORE} as store
            inner join features.int_pitcher_games_unioned as spine
                on store.pitcher_id = spine.pitcher_id and store.game_date = spine.game_date
            where store.game_date = ?
            """,
            [today],
        ).df()
        faced = (
            con.execute(
                """
            select opponent, game_date, opp_lineup_lhb, opp_lineup_rhb, opp_lineup_swb
            from features.int_pitcher_games_unioned
            where is_played and game_date < ?
            qualify row_number() over (partition by opponent order by game_date desc, game_number desc) = 1
            """,
                [today],
            )
            .df()
            .set_index("opponent")
        )
        announced = (
            con.execute(
                "select pitcher_id, opp_lineup_lhb, opp_lineup_rhb, opp_lineup_swb, opp_lineup_platoon_adv "
                "from raw.probable_starters where game_date = ?",
                [today],
            )
            .df()
            .set_index("pitcher_id")
        )
        played_sources = con.execute(
            f"select opp_lineup_source, count(*) from {STORE} where is_played group by 1"
        ).fetchall()
        con.execute(f"create table features.after_incremental as select * from {STORE}")
    assert played_sources == [("played", played_sources[0][1])], played_sources
    rows = rows.set_index("pitcher_id")
    recent = rows.loc[unannounced]
    assert (recent["opp_lineup_source"] == "recent").all()
    latest = faced.loc[recent["opponent"]]
    assert (latest["game_date"] == pd.Timestamp(today - timedelta(days=1))).mean() > 0.8
    for hand in ("lhb", "rhb", "swb"):
        assert recent[f"opp_lineup_{hand}"].tolist() == latest[f"opp_lineup_{hand}"].tolist()
    other_hand = recent["opp_lineup_lhb"].where(recent["pitcher_throws"] == "R", recent["opp_lineup_rhb"])
    assert (recent["opp_lineup_platoon_adv"] == recent["opp_lineup_swb"] + other_hand).all()
    assert set(recent["pitcher_throws"]) == {"L", "R"}, "both hands, so the recount is seen for each"
    kept = rows.drop(index=unannounced)
    assert len(kept) > 0 and (kept["opp_lineup_source"] == "announced").all()
    columns = ["opp_lineup_lhb", "opp_lineup_rhb", "opp_lineup_swb", "opp_lineup_platoon_adv"]
    assert (kept[columns] == announced.loc[kept.index, columns]).all().all()
    build_store(wh, full_refresh=True)
    with connect(wh) as con:
        assert rows_differing(con, STORE, "features.after_incremental") == 0


def test_store_carries_every_listed_feature_and_honest_coverage(demo_warehouse: Settings) -> None:
    """Every feature of vars.feature_sets is a documented column; coverage counts the non-null features of
    each set; a debut is visibly thin (NULL history), never imputed."""
    documented = yaml.safe_load(
        (PROJECT_ROOT / "models" / "marts" / "features" / "_features__models.yml").read_text(encoding="utf-8")
    )
    store_doc = next(m for m in documented["models"] if m["name"] == "ml_feature_store")
    doc_columns = [c["name"] for c in store_doc["columns"]]
    with connect(demo_warehouse) as con:
        frame = con.execute(f"select * from {STORE}").df()
    assert set(all_features()) <= set(frame.columns)
    assert set(frame.columns) == set(doc_columns), (
        "every column documented, nothing documented that is absent"
    )
    assert frame["feature_row_id"].is_unique
    assert not frame.duplicated(["game_date", "pitcher_id"]).any()
    for name, columns in feature_sets().items():
        count = frame[columns].notna().sum(axis=1)
        assert (frame[f"{name}_feature_count"] == count).all()
        assert ((frame[f"{name}_coverage_pct"] - (100 * count / len(columns)).round(1)).abs() < 1e-9).all()
    coverage = frame[[f"{name}_coverage_pct" for name in feature_sets()]].min(axis=1)
    assert ((frame["feature_coverage_pct"] - coverage).abs() < 1e-9).all()
    debuts = frame[frame["career_starts_before"] == 0]
    assert len(debuts) >= 150
    assert debuts[["k_last_3", "season_k_per_bf", "career_k_per_bf", "last_start_k"]].isna().all().all()
    assert (debuts["feature_coverage_pct"] < 70).all()
    # today's slate (no results yet) is in the store with full history features
    today = frame[frame["game_date"] == frame["game_date"].max()]
    assert len(today) > 0 and not today["is_played"].any()
    assert today["first_pitch_at"].notna().all()


@requires_real_data
def test_real_data_spine_without_probable_starters_and_renamed_pitchers(tmp_path: Path) -> None:
    """Real 2021-22 game logs (no probable-starters table): the spine is the actual starters, every dbt
    test of the feature store passes, and a renamed pitcher gets ONE lookup, the slug of his latest name."""
    from python_models.ingest.loaders import load_file
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import GAME_LOGS, RAW_TABLES

    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        for spec in RAW_TABLES.values():  # the other raw tables exist, empty, as in production
            wh.ensure_table(spec.layer, spec.name, spec.columns)
        load_file(wh, GAME_LOGS, REAL_STARTS)
    finally:
        wh.close()
    run_dbt(["build", "--select", "+ml_feature_store", "+dim_pitchers"], settings)
    with connect(settings) as con:
        starts = con.execute("select count(*) from raw.pitcher_game_logs").fetchone()[0]
        assert con.execute(f"select count(*) from {STORE}").fetchone()[0] == starts
        names = dict(
            con.execute(
                "select pitcher_id, pitcher_lookup from features.dim_pitchers where pitcher_id in ('longs002', 'heasj001')"
            ).fetchall()
        )
        latest = dict(
            con.execute(
                """
                select pitcher_id, arg_max(pitcher_name, game_date) from raw.pitcher_game_logs
                where pitcher_id in ('longs002', 'heasj001') group by 1
                """
            ).fetchall()
        )
        assert names == {pid: name.lower().replace(" ", "_") for pid, name in latest.items()}
        lookups = con.execute(
            f"select count(distinct pitcher_lookup) from {STORE} where pitcher_id in ('longs002', 'heasj001')"
        ).fetchone()[0]
        assert lookups == 2
        assert (
            con.execute(f"select count(*) from {STORE} where first_pitch_at is not null").fetchone()[0] == 0
        )


@requires_nine_seasons
def test_nine_real_seasons_build_green_with_the_team_game_features_filled(tmp_path: Path) -> None:
    """Real 2014-2022 starts and team games: every dbt test of the feature store passes, the team-game
    features are filled wherever something earlier exists, and NULL where nothing does (the data's first
    day, a park's first game: Buffalo's in 2020); the seven-inning doubleheader games say so."""
    from python_models.ingest.loaders import ensure_raw_tables, load_file
    from python_models.warehouse import open_warehouse
    from python_models.warehouse.raw_tables import GAME_LOGS, TEAM_GAMES

    settings = make_settings(tmp_path)
    wh = open_warehouse(settings)
    try:
        ensure_raw_tables(wh)
        load_file(wh, GAME_LOGS, REAL_STARTS_NINE_SEASONS)
        load_file(wh, TEAM_GAMES, REAL_TEAM_GAMES)
    finally:
        wh.close()
    run_dbt(["build", "--select", "+ml_feature_store"], settings)
    with connect(settings) as con:
        frame = con.execute(f"select * from {STORE}").df()
    assert len(frame) == 40664
    later = frame[frame["game_date"] > pd.Timestamp("2014-04-30")]
    team_features = [
        "opp_bat_k_pct_season",
        "opp_bat_k_pct_last_15",
        "opp_bat_k_pct_last_30",
        "park_k_factor",
        "umpire_k_factor",
        "mgr_leash_bf",
        "mgr_leash_outs",
        "bullpen_outs_last_3d",
        "bullpen_pitchers_last_3d",
        "scheduled_innings",
        "is_dh_game",
    ]
    filled = later[team_features].notna().mean()
    assert (filled > 0.98).all(), filled[filled <= 0.98].to_dict()
    first_day = frame[frame["game_date"] == frame["game_date"].min()]
    assert (
        first_day[["opp_bat_k_pct_season", "park_k_factor", "umpire_k_factor", "mgr_leash_bf"]]
        .isna()
        .all()
        .all()
    )
    buffalo = frame[frame["park_id"] == "BUF05"].sort_values("game_date")
    assert buffalo["park_k_factor"].iloc[:2].isna().all() and buffalo["park_k_factor"].iloc[-1] > 0
    assert (frame["scheduled_innings"] == 7).sum() == 464
    assert frame.loc[frame["season"] == 2020, "is_dh_game"].eq(1).all()
