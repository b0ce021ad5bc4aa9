"""`kzone fetch-history`: the seasons before the live feed, from Retrosheet and the Chadwick register.

Steps: download (or read from the cache) each season's zip -> build its starts and team games -> validate
every season -> download (or read) the register -> build the people -> load. Validation of every season comes
before the first write, so a corrupt or malformed season loads nothing. A season whose zip is already loaded
(same sha256, recorded in the rows' ``_source_file``) is not loaded again; the people go through the
loader's MERGE, so a rerun that finds nothing new changes nothing.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from python_models.config import Settings
from python_models.ingest.cache import CachedFile, DownloadCache, HistoryError, ProgressFactory
from python_models.ingest.crosswalk import merge_provisional
from python_models.ingest.http import FeedNotFoundError, HttpClient
from python_models.ingest.loaders import ensure_raw_tables, load_frame
from python_models.ingest.register import SHARDS, people_rows, read_register
from python_models.ingest.retrosheet import (
    SeasonFiles,
    build_players,
    build_starts,
    build_team_games,
    read_season_zip,
    season_zip_path,
)
from python_models.ingest.validation import validate_frame
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import GAME_LOGS, PEOPLE, TEAM_GAMES

log = logging.getLogger(__name__)

FIRST_SEASON = 1901  # Retrosheet's box scores start here; earlier years have no per-season CSVs worth asking
CATCH_UP = "its games come from the MLB Stats API instead: `kzone fetch --date D` lands every final since the last loaded date"
EVALUATION_SEASONS = tuple(range(2014, 2023))  # seasons after 2022 are never used for evaluation


def parse_seasons(text: str) -> list[int]:
    """``2014-2024``, ``2021,2022`` or both (``2014-2016,2019``) -> the sorted seasons."""
    seasons: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        match = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not match:
            raise ValueError(f"--seasons: {part!r} is not a season (2021) or a range (2014-2024)")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first or first < FIRST_SEASON:
            raise ValueError(f"--seasons: {part!r} is not a range of seasons from {FIRST_SEASON} on")
        seasons.update(range(first, last + 1))
    return sorted(seasons)


@dataclass
class SeasonResult:
    season: int
    status: str  # loaded | unchanged | not published
    source: str = ""  # downloaded | cache
    starts: int = 0
    team_games: int = 0
    note: str = ""


@dataclass
class HistoryResult:
    seasons: list[SeasonResult] = field(default_factory=list)
    people: int = 0
    people_new: int = 0
    people_changed: int = 0
    starters_without_mlbam: list[str] = field(default_factory=list)
    provisional_merged: dict[str, str] = field(default_factory=dict)  # live-feed ids the register now maps
    downloads: list[CachedFile] = field(default_factory=list)


def _cache(settings: Settings) -> DownloadCache:
    return DownloadCache(settings.cache_dir / "history")


def _client(settings: Settings, name: str, url: str) -> HttpClient:
    return HttpClient(name, url, timeout_s=settings.http_timeout_s, retries=settings.http_retries)


def season_file(
    settings: Settings,
    season: int,
    *,
    offline: bool = False,
    refresh: bool = False,
    progress: ProgressFactory | None = None,
    client: HttpClient | None = None,
) -> tuple[CachedFile, SeasonFiles]:
    """A season's zip from the cache or Retrosheet, opened. A corrupt zip is dropped from the cache (the next
    run downloads it again) and raises HistoryError; an unpublished season raises FeedNotFoundError."""
    cache = _cache(settings)
    rel = f"retrosheet/{season}csvs.zip"
    own = client is None
    client = client or _client(settings, "Retrosheet", settings.retrosheet_url)
    try:
        got = cache.fetch(
            client, season_zip_path(season), rel, offline=offline, refresh=refresh, progress=progress
        )
    finally:
        if own:
            client.close()
    try:
        return got, read_season_zip(got.path, season)
    except HistoryError as exc:
        cache.forget(rel)
        raise HistoryError(
            f"{exc}: removed from the cache {cache.root}; run again to download it afresh. Nothing was loaded."
        ) from None


def _source(got: CachedFile) -> str:
    return f"{got.path.name} sha256:{got.sha256[:16]}"


def _already_loaded(wh: Warehouse, source: str) -> bool:
    for spec in (GAME_LOGS, TEAM_GAMES):
        table = wh.relation(spec.layer, spec.name)
        found = wh.query(
            f"select count(*) as n from {table} where _source_file = @source", {"source": source}
        )
        if int(found["n"].iloc[0]) == 0:
            return False
    return True


def fetch_history(
    settings: Settings,
    seasons: list[int],
    *,
    offline: bool = False,
    refresh: bool = False,
    progress: ProgressFactory | None = None,
) -> HistoryResult:
    """Download what is missing, build, validate every season, then load (see the module doc)."""
    result = HistoryResult()
    built: list[tuple[CachedFile, SeasonFiles]] = []
    with _client(settings, "Retrosheet", settings.retrosheet_url) as retro:
        for season in seasons:
            try:
                got, files = season_file(
                    settings, season, offline=offline, refresh=refresh, progress=progress, client=retro
                )
            except FeedNotFoundError as exc:
                note = f"Retrosheet has not published {season} yet ({exc}); {CATCH_UP}"
                log.warning(note)
                result.seasons.append(SeasonResult(season, "not published", note=note))
                continue
            result.downloads.append(got)
            built.append((got, files))
    if not built:
        raise HistoryError(f"no season of {seasons[0]}-{seasons[-1]} is published by Retrosheet; {CATCH_UP}")

    with _client(settings, "Chadwick register", settings.register_url) as client:
        shards = [
            _cache(settings).fetch(
                client, f"/{shard}", f"register/{shard}", offline=offline, refresh=refresh, progress=progress
            )
            for shard in SHARDS
        ]
    result.downloads.extend(shards)
    register = read_register([s.path for s in shards])
    people = people_rows(build_players([files for _, files in built]), register, min(seasons))
    typed_people = validate_frame(people, PEOPLE, "people (Retrosheet allplayers + Chadwick register)")

    unmapped = set(typed_people.loc[typed_people["key_mlbam"].isna(), "pitcher_id"])
    for _, files in built:
        pitching = files.pitching
        starters = pitching.loc[
            (pitching["p_gs"] == "1") & pitching["gametype"].str.lower().eq("regular"), "id"
        ]
        result.starters_without_mlbam += sorted(unmapped.intersection(starters))
    with open_warehouse(settings) as wh:
        ensure_raw_tables(wh)
        pending = []
        for got, files in built:
            entry = SeasonResult(files.season, "unchanged", "downloaded" if got.downloaded else "cache")
            result.seasons.append(entry)
            if _already_loaded(wh, _source(got)):
                continue
            starts = validate_frame(build_starts(files), GAME_LOGS, f"{got.path.name} (starts)")
            team_games = validate_frame(build_team_games(files), TEAM_GAMES, f"{got.path.name} (team games)")
            pending.append((entry, got, starts, team_games))
        for entry, got, starts, team_games in pending:  # every season valid: now write
            load_frame(wh, GAME_LOGS, starts, _source(got))
            load_frame(wh, TEAM_GAMES, team_games, _source(got))
            entry.status, entry.starts, entry.team_games = "loaded", len(starts), len(team_games)
        merged = load_frame(wh, PEOPLE, typed_people, "retrosheet allplayers + chadwick register")
        result.people, result.people_new, result.people_changed = (
            len(typed_people),
            merged.rows_inserted,
            merged.rows_updated,
        )
        # provisional ids the live feed gave debutants become Retrosheet ids once the register maps them
        result.provisional_merged = merge_provisional(wh)
    result.seasons.sort(key=lambda s: s.season)
    result.starters_without_mlbam = sorted(set(result.starters_without_mlbam))
    return result


def prepared_history(settings: Settings, seasons: tuple[int, ...] = EVALUATION_SEASONS) -> Path:
    """A folder of history files named as the prepared files are (``starters_{first}_{last}.csv.gz``,
    ``team_games_{first}_{last}.csv.gz``): KZONE_HISTORY_DIR when set, else built from the Retrosheet zips
    (cache first) into the cache, rebuilt only when a zip changed. A season Retrosheet has not published is
    left out with a warning; the last season must be there."""
    if settings.history_dir is not None:
        return settings.history_dir
    zips = []
    with _client(settings, "Retrosheet", settings.retrosheet_url) as client:
        for season in seasons:
            try:
                zips.append(season_file(settings, season, client=client))
            except FeedNotFoundError as exc:
                if season == seasons[-1]:
                    raise HistoryError(f"Retrosheet has not published {season}: {exc}") from None
                log.warning("history: %s left out, Retrosheet has not published it (%s)", season, exc)
    first, last = zips[0][1].season, zips[-1][1].season
    out = _cache(settings).root / "prepared" / f"{first}_{last}"
    stamp = out / "sha256.json"
    shas = {str(files.season): got.sha256 for got, files in zips}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == shas:
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, build in (("starters", build_starts), ("team_games", build_team_games)):
        frame = pd.concat([build(files) for _, files in zips], ignore_index=True)
        with gzip.open(out / f"{name}_{first}_{last}.csv.gz", "wt", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, index=False)
    stamp.write_text(json.dumps(shas), encoding="utf-8")
    return out
