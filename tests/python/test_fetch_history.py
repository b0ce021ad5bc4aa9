"""`kzone fetch-history` against a local stand-in of Retrosheet and the Chadwick register (no network)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from python_models.config import Settings
from python_models.ingest.cache import HistoryError
from python_models.ingest.http import HttpClient
from python_models.ingest.loaders import load_file, read_csv_strings
from python_models.ingest.retrosheet import (
    SeasonFiles,
    build_players,
    build_starts,
    build_team_games,
    read_season_zip,
)
from python_models.ingest.validation import validate_frame
from python_models.jobs.evaluate import starts_file, team_games_file
from python_models.jobs.history import fetch_history, parse_seasons, prepared_history
from python_models.warehouse import open_warehouse
from python_models.warehouse.raw_tables import GAME_LOGS, TEAM_GAMES

from . import history_fixture as fx
from .conftest import REAL_DATA, make_settings
from .feeds_fixture import run_cli


def stand_in(tmp_path: Path, server: HTTPServer, **overrides: object) -> Settings:
    return make_settings(
        tmp_path,
        retrosheet_url=server.url_for("").rstrip("/"),
        register_url=server.url_for("/register"),
        cache_dir=tmp_path / "cache",
        http_retries=2,
        history_dir=None,  # not the prepared files a developer may point at
        **overrides,
    )


def table(settings: Settings, name: str) -> pd.DataFrame:
    wh = open_warehouse(settings)
    try:
        return wh.query(f"select * from {wh.relation('raw', name)}")
    finally:
        wh.close()


def test_two_seasons_load_regular_games_only_and_a_rerun_changes_nothing(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    fx.serve_history(httpserver)
    settings = stand_in(tmp_path, httpserver)

    first = fetch_history(settings, [2021, 2022])

    assert [(s.season, s.status, s.source, s.starts, s.team_games) for s in first.seasons] == [
        (2021, "loaded", "downloaded", 6, 6),
        (2022, "loaded", "downloaded", 6, 6),
    ]
    starts = table(settings, "pitcher_game_logs")
    ids = set(starts["game_id"])
    assert "TBA202104111" in ids and "TBA202104112" in ids  # both games of the doubleheader
    assert not any(i.startswith("TOR") for i in ids)  # the postponed game is nowhere
    assert "BOS202110280" not in ids and "BOS202210280" not in ids  # World Series dropped
    doubleheader = starts[starts["game_id"].str.startswith("TBA2021041")].sort_values(["game_id", "team"])
    assert doubleheader["game_number"].tolist() == [1, 1, 2, 2]
    assert set(doubleheader["scheduled_innings"]) == {7}
    # the home starter of the single game faced the NYA lineup: L, R, B, R, R, L, R, R, R
    sale = starts[(starts["game_id"] == "BOS202104100") & starts["is_home"]].iloc[0]
    assert (sale["pitcher_id"], sale["opp_lineup_lhb"], sale["opp_lineup_rhb"], sale["opp_lineup_swb"]) == (
        "salec001",
        2,
        6,
        1,
    )
    assert (
        sale["opp_lineup_platoon_adv"] == 7
    )  # a left-hander: the 6 right-handed batters + the switch hitter
    team_games = table(settings, "team_games")
    assert len(team_games) == 12 and set(team_games["pitchers_used"]) == {2}

    people = table(settings, "people").set_index("pitcher_id")
    assert pd.isna(people.loc[fx.UNREGISTERED, "key_mlbam"])  # missing from the register: loaded, no id
    assert people.loc["colel001", "key_mlbam"] == 600000
    assert people.loc["rookr001", "key_mlbam"] == 699999  # register-only debutant, for the live feed
    assert "nyab003" in people.index and people.loc["nyab003", "bats"] == "B"  # batters map too
    assert first.starters_without_mlbam == [fx.UNREGISTERED]

    requests_before = len(httpserver.log)
    again = fetch_history(settings, [2021, 2022])
    assert [(s.status, s.source) for s in again.seasons] == [("unchanged", "cache")] * 2
    assert (again.people_new, again.people_changed) == (0, 0)
    assert again.starters_without_mlbam == [fx.UNREGISTERED]  # still reported when nothing was loaded
    assert len(httpserver.log) == requests_before  # nothing downloaded again
    assert len(table(settings, "pitcher_game_logs")) == 12


def test_a_platoon_edge_counts_opposite_hands_and_switch_hitters(tmp_path: Path) -> None:
    files = read_season_zip(fx.write_zip(tmp_path, 2021), 2021)
    starts = build_starts(files).set_index(["game_id", "pitcher_id"])
    # colel001 (L) faces BOS's lineup L,R,B,R,R,L,R,R,R: 6 right-handers + 1 switch hitter have the edge
    assert starts.loc[("BOS202104100", "colel001"), "opp_lineup_platoon_adv"] == "7"
    # salec001 (L) likewise; a right-hander (glasz001, game 2) gets the 2 left-handers + 1 switch hitter
    assert starts.loc[("TBA202104112", "glasz001"), "opp_lineup_platoon_adv"] == "3"
    assert starts.loc[("BOS202104100", "salec001"), "decision"] == "W"
    assert starts.loc[("BOS202104100", "colel001"), "decision"] == "L"


def test_a_503_then_success_is_retried(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/downloads/2021/2021csvs.zip").respond_with_data(
        "busy", status=503, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request("/downloads/2021/2021csvs.zip").respond_with_data(fx.season_zip(2021))
    for name, text in fx.register_shards().items():
        httpserver.expect_request(f"/register/{name}").respond_with_data(text)
    result = fetch_history(stand_in(tmp_path, httpserver), [2021])
    assert result.seasons[0].status == "loaded"


def test_a_corrupt_zip_loads_nothing_and_is_dropped_from_the_cache(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/downloads/2021/2021csvs.zip").respond_with_data(fx.season_zip(2021))
    httpserver.expect_request("/downloads/2022/2022csvs.zip").respond_with_data(b"PK\x03\x04 cut short")
    settings = stand_in(tmp_path, httpserver)
    with pytest.raises(HistoryError) as err:
        fetch_history(settings, [2021, 2022])
    assert "2022csvs.zip is not a readable zip" in str(err.value)
    assert "Nothing was loaded" in str(err.value)
    assert not (settings.cache_dir / "history" / "retrosheet" / "2022csvs.zip").exists()
    wh = open_warehouse(settings)
    try:
        assert not wh.table_exists("raw", "pitcher_game_logs")  # not even 2021
    finally:
        wh.close()


def test_an_unpublished_season_says_so_and_points_to_the_stats_api(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    fx.serve_history(httpserver, seasons=(2022,))
    httpserver.expect_request("/downloads/2023/2023csvs.zip").respond_with_data("not found", status=404)
    result = fetch_history(stand_in(tmp_path, httpserver), [2022, 2023])
    late = result.seasons[1]
    assert (late.season, late.status) == (2023, "not published")
    assert "Retrosheet has not published 2023 yet" in late.note and "kzone fetch --date" in late.note
    assert result.seasons[0].status == "loaded"


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path: Path, httpserver: HTTPServer) -> None:
    body = fx.season_zip(2021)
    ranges: list[str | None] = []

    def partial(request: Request) -> Response:
        ranges.append(request.headers.get("Range"))
        start = int(request.headers["Range"].removeprefix("bytes=").rstrip("-"))
        return Response(
            body[start:], status=206, headers={"Content-Range": f"bytes {start}-{len(body) - 1}/*"}
        )

    httpserver.expect_request("/downloads/2021/2021csvs.zip").respond_with_handler(partial)
    dest = tmp_path / "2021csvs.zip"
    dest.with_name(dest.name + ".part").write_bytes(body[:1000])  # what the interrupted run left
    with HttpClient("Retrosheet", httpserver.url_for("")) as client:
        got = client.download("/downloads/2021/2021csvs.zip", dest)
    assert ranges == ["bytes=1000-"]
    assert got.resumed and dest.read_bytes() == body
    assert not dest.with_name(dest.name + ".part").exists()


def test_a_cached_file_that_no_longer_matches_its_sha256_is_downloaded_again(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    fx.serve_history(httpserver, seasons=(2021,))
    settings = stand_in(tmp_path, httpserver)
    fetch_history(settings, [2021])
    cached = settings.cache_dir / "history" / "retrosheet" / "2021csvs.zip"
    body = cached.read_bytes()
    cached.write_bytes(body[:-1] + bytes([body[-1] ^ 1]))  # same size, one bit flipped
    again = fetch_history(settings, [2021])
    assert [(s.status, s.source) for s in again.seasons] == [("unchanged", "downloaded")]
    assert cached.read_bytes() == body


def test_offline_builds_from_the_cache_alone(tmp_path: Path, httpserver: HTTPServer) -> None:
    fx.serve_history(httpserver, seasons=(2021,))
    fetch_history(stand_in(tmp_path, httpserver), [2021])
    fresh = make_settings(
        tmp_path / "second",
        retrosheet_url="http://127.0.0.1:9",  # nothing listens: any request would fail
        register_url="http://127.0.0.1:9",
        cache_dir=tmp_path / "cache",
    )
    result = fetch_history(fresh, [2021], offline=True)
    assert [(s.status, s.source) for s in result.seasons] == [("loaded", "cache")]
    with pytest.raises(HistoryError, match="--offline"):
        fetch_history(fresh, [2022], offline=True)


def test_seasons_take_a_range_a_list_or_both() -> None:
    assert parse_seasons("2014-2016,2019") == [2014, 2015, 2016, 2019]
    assert parse_seasons("2022, 2021") == [2021, 2022]
    with pytest.raises(ValueError, match="'2024-2014'"):
        parse_seasons("2024-2014")
    with pytest.raises(ValueError, match="'last year'"):
        parse_seasons("last year")


def test_the_cli_loads_and_prints_the_notices(tmp_path: Path, httpserver: HTTPServer) -> None:
    fx.serve_history(httpserver)
    result = run_cli(
        ["fetch-history", "--seasons", "2021-2022"],
        tmp_path / "warehouse.duckdb",
        KZONE_RETROSHEET_URL=httpserver.url_for("").rstrip("/"),
        KZONE_REGISTER_URL=httpserver.url_for("/register"),
        KZONE_CACHE_DIR=str(tmp_path / "cache"),
        COLUMNS="",
    )
    assert result.exit_code == 0, result.output
    assert "obtained free of charge from and is copyrighted by Retrosheet" in result.output
    assert "Chadwick Baseball Bureau Persons Register" in result.output and "ODC-By" in result.output
    assert "1 starter(s) have no MLBAM id in the register" in result.output


def test_prepared_history_writes_files_the_loaders_take(tmp_path: Path, httpserver: HTTPServer) -> None:
    fx.serve_history(httpserver)
    httpserver.expect_request("/downloads/2020/2020csvs.zip").respond_with_data("not found", status=404)
    settings = stand_in(tmp_path, httpserver)
    folder = prepared_history(settings, (2020, 2021, 2022))  # 2020 unpublished here: left out
    starts = starts_file(folder)
    assert starts.name == "starters_2021_2022.csv.gz"
    wh = open_warehouse(settings)
    try:
        assert load_file(wh, GAME_LOGS, starts).rows_inserted == 12
        assert load_file(wh, TEAM_GAMES, team_games_file(folder, starts)).rows_inserted == 12
    finally:
        wh.close()
    requests = len(httpserver.log)
    assert prepared_history(settings, (2020, 2021, 2022)) == folder
    assert len(httpserver.log) == requests + 1  # only the unpublished season is asked again
    assert (
        prepared_history(make_settings(tmp_path, history_dir=tmp_path / "mine"), (2021,)) == tmp_path / "mine"
    )


# --- equivalence with the team's prepared files ---------------------------------------------------------


def _real_inputs() -> tuple[dict[int, Path], Path]:
    """Retrosheet's real zips of 2014-2022 found in the cache, and the prepared files' folder
    (KZONE_HISTORY_DIR, else ../shared)."""
    from python_models.config import load_settings

    settings = load_settings()
    folder = settings.cache_dir / "history" / "retrosheet"
    found = {season: folder / f"{season}csvs.zip" for season in range(2014, 2023)}
    return {s: p for s, p in found.items() if p.exists()}, settings.history_dir or REAL_DATA


REAL_ZIPS, PREPARED = _real_inputs()
PREPARED_FILES = ("starters_2014_2022.csv.gz", "team_games_2014_2022.csv.gz", "people.csv")


@pytest.mark.skipif(
    not {2021, 2022} <= set(REAL_ZIPS) or not all((PREPARED / f).exists() for f in PREPARED_FILES),
    reason="needs Retrosheet's real 2021 and 2022 zips (at least) in KZONE_CACHE_DIR/history/retrosheet "
    f"(kzone fetch-history --seasons 2021-2022) and the prepared files in KZONE_HISTORY_DIR or {REAL_DATA}",
)
def test_real_downloads_give_the_prepared_files_rows() -> None:
    """Every season of 2014-2022 in the cache (2021 and 2022 at least): the same starts and team games in
    every column, and the same names and hands for the prepared people."""
    files = [read_season_zip(path, season) for season, path in sorted(REAL_ZIPS.items())]
    for build, spec, name in (
        (build_starts, GAME_LOGS, PREPARED_FILES[0]),
        (build_team_games, TEAM_GAMES, PREPARED_FILES[1]),
    ):
        ours = validate_frame(pd.concat([build(f) for f in files], ignore_index=True), spec, "retrosheet")
        theirs = validate_frame(read_csv_strings(PREPARED / name), spec, name)
        theirs = theirs[theirs["season"].isin(list(REAL_ZIPS))].reset_index(drop=True)
        shared = [c for c in theirs.columns if c in ours.columns]
        assert len(ours) == len(theirs) > 0 and len(shared) == len(theirs.columns)
        pd.testing.assert_frame_equal(ours[shared], theirs[shared], check_dtype=False)
    if set(REAL_ZIPS) == set(range(2014, 2023)):  # the prepared people were built from all nine seasons
        players = build_players(files).set_index("pitcher_id")
        people = read_csv_strings(PREPARED / PREPARED_FILES[2]).set_index("pitcher_id")
        columns = ["first", "last", "throws", "bats"]
        pd.testing.assert_frame_equal(players.loc[people.index, columns], people[columns], check_dtype=False)


def test_people_take_the_latest_season_and_its_first_row() -> None:
    def season(year: int, rows: list[list[str]]) -> SeasonFiles:
        empty = pd.DataFrame()
        players = pd.DataFrame(rows, columns=["id", "last", "first", "bat", "throw"])
        return SeasonFiles(year, empty, empty, empty, players)

    players = build_players(
        [
            season(
                2016, [["niesj001", "Niese", "Jonathon", "L", "L"], ["niesj001", "Niese", "Jon", "L", "L"]]
            ),
            season(2015, [["niesj001", "Niese", "Jon", "L", "L"], ["smitj001", "Smith", "Joe", "R", "X"]]),
        ]
    ).set_index("pitcher_id")
    assert players.loc["niesj001", "first"] == "Jonathon"  # traded in 2016: his first row there
    assert players.loc["smitj001", "throws"] == ""  # a hand that is not L/R is left unknown


def test_zip_members_are_found_by_name_whatever_their_folder(tmp_path: Path) -> None:
    nested = tmp_path / "2021csvs.zip"
    with zipfile.ZipFile(nested, "w") as out, zipfile.ZipFile(fx.write_zip(tmp_path / "flat", 2021)) as src:
        for name in src.namelist():
            out.writestr(f"2021/{name.upper()}", src.read(name))
    assert len(build_team_games(read_season_zip(nested, 2021))) == 6


def test_a_live_feed_debutant_the_register_now_knows_takes_his_retrosheet_id(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The live feed gave rookr001 (MLBAM 699999) a provisional id; fetch-history's register load maps it."""
    from python_models.ingest.crosswalk import provisional_id
    from python_models.ingest.loaders import load_frame
    from python_models.warehouse.raw_tables import PEOPLE

    fx.serve_history(httpserver)
    settings = stand_in(tmp_path, httpserver)
    debutant = provisional_id(699999)
    wh = open_warehouse(settings)
    try:
        row = pd.DataFrame(
            [
                {
                    "pitcher_id": debutant,
                    "first": "Rick",
                    "last": "Rookie",
                    "throws": "R",
                    "key_mlbam": "699999",
                }
            ]
        )
        load_frame(wh, PEOPLE, validate_frame(row.astype("string"), PEOPLE, "feed"), "statsapi people")
    finally:
        wh.close()

    result = fetch_history(settings, [2021])

    assert result.provisional_merged == {debutant: "rookr001"}
    people = table(settings, "people")
    assert debutant not in set(people["pitcher_id"]) and "rookr001" in set(people["pitcher_id"])
