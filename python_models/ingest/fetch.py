"""`kzone fetch --date D`: everything the morning needs, from the MLB Stats API and The Odds API.

Steps (one log line each), every answer kept under ``{KZONE_CACHE_DIR}/payloads/{D}/`` (see
``python_models.ingest.payloads``):

1. merge provisional ids the crosswalk has learnt since (``python_models.ingest.crosswalk``);
2. catch-up: for every day from the last date in ``raw.pitcher_game_logs`` up to D-1 (at most
   :data:`MAX_CATCHUP_DAYS`), the schedule and the boxscore of each final game; the last
   :data:`CATCHUP_OVERLAP_DAYS` landed days are fetched again (a day whose schedule or boxes were down, or
   a game that ended after midnight, lands on a later morning; what is unchanged changes nothing);
3. D's schedule with probable starters;
4. ``/api/v1/people`` for every starter or lineup batter the crosswalk does not know (provisional ids);
5. the finals land in ``raw.pitcher_game_logs`` and ``raw.team_games``; D's starters in
   ``raw.probable_starters`` (a starter no longer announced gets a scratch row, the rule of
   ``python_models.ingest.schedule.add_scratches``, which withdraws his predictions; an unchanged one keeps
   his ``announced_at``, so a rerun changes nothing);
6. ``/api/v1/transactions`` (the last :data:`IL_LOOKBACK_DAYS` days) -> ``raw.injured_list``;
7. The Odds API: D's events, then each event's ``pitcher_strikeouts`` odds, loaded by the same parser as
   ``kzone load-lines --format odds-api`` (other markets are ignored; unresolved names quarantined).

A feed that stays down after the retries (or refuses the key) marks its part *stale* and the fetch goes
on with the rest; :class:`FetchReport` says what landed per feed and what is stale.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from python_models.config import Settings
from python_models.ingest.crosswalk import Crosswalk, merge_provisional
from python_models.ingest.http import FeedError, HttpClient
from python_models.ingest.lines import load_lines
from python_models.ingest.loaders import ensure_raw_tables, load_frame
from python_models.ingest.payloads import FeedSource
from python_models.ingest.schedule import ScheduledGame, add_scratches, parse_schedule, schedule_games
from python_models.ingest.statsapi import boxscore_people, parse_boxscore, parse_injuries, parse_people
from python_models.ingest.validation import DataValidationError, validate_frame
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    GAME_STATUSES,
    INJURED_LIST,
    PEOPLE,
    PROBABLE_STARTERS,
    TEAM_GAMES,
)

log = logging.getLogger(__name__)

LEAGUE_TZ = ZoneInfo("America/New_York")
MAX_CATCHUP_DAYS = 31
CATCHUP_OVERLAP_DAYS = 3  # the last landed days are fetched again: a day that was stale lands later
IL_LOOKBACK_DAYS = 60
PEOPLE_CHUNK = 100
ODDS_SPORT = "baseball_mlb"
ODDS_PARAMS = {"markets": "pitcher_strikeouts", "oddsFormat": "american", "regions": "us"}


def league_today() -> date:
    """Today in the league's time zone (US/Eastern)."""
    return datetime.now(LEAGUE_TZ).date()


@dataclass
class FeedStatus:
    landed: dict[str, int] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass
class FetchReport:
    day: date
    folder: Path
    statsapi: FeedStatus = field(default_factory=FeedStatus)
    odds: FeedStatus = field(default_factory=FeedStatus)
    reported: list[str] = field(default_factory=list)  # games/starters not loaded, and why
    quarantined: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)
    provisional: list[str] = field(default_factory=list)  # people given a provisional id this run
    catchup_days: list[date] = field(default_factory=list)
    quota: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def stale(self) -> list[str]:
        return [*(f"statsapi: {s}" for s in self.statsapi.stale), *(f"odds: {s}" for s in self.odds.stale)]


def _typed(rows: list[dict[str, Any]], spec: Any, source: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows).astype("string")
    return validate_frame(frame, spec, source, locators=[f"{source} row {i + 1}" for i in range(len(rows))])


def _last_landed(wh: Warehouse) -> date | None:
    rel = wh.relation(GAME_LOGS.layer, GAME_LOGS.name)
    value = wh.query(f"select max(game_date) as d from {rel}").iloc[0]["d"]
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _home_parks(wh: Warehouse) -> dict[str, str]:
    """Each team's home park in the history (its latest home game's park_id)."""
    rel = wh.relation(GAME_LOGS.layer, GAME_LOGS.name)
    rows = wh.query(
        f"select team, park_id from {rel} where is_home and park_id is not null order by game_date"
    )
    return {str(r.team): str(r.park_id) for r in rows.itertuples(index=False)}


class _Fetcher:
    def __init__(self, settings: Settings, wh: Warehouse, day: date, replay: Path | None) -> None:
        self.settings, self.wh, self.day = settings, wh, day
        folder = settings.cache_dir / "payloads" / day.isoformat()
        self.report = FetchReport(day, replay or folder)
        store = None if replay else folder
        common = {"timeout_s": settings.http_timeout_s, "retries": settings.http_retries}
        key = settings.odds_api_key.get_secret_value() if settings.odds_api_key else None
        self.mlb = FeedSource(
            "statsapi",
            None if replay else HttpClient("MLB Stats API", settings.statsapi_url, **common),
            store,
            replay,
        )
        odds_client = None
        if not replay and key:
            odds_client = HttpClient(
                "The Odds API", settings.odds_api_url, secret_params={"apiKey": key}, **common
            )
        self.odds = FeedSource("odds", odds_client, store, replay)
        self.odds_disabled = not replay and not key

    def close(self) -> None:
        for source in (self.mlb, self.odds):
            if source.client is not None:
                source.client.close()

    # --- MLB Stats API ------------------------------------------------------------------------------
    def schedule(self, day: date) -> tuple[list[tuple[str, dict, ScheduledGame]] | None, datetime]:
        """The day's games (None when the feed is down or its answer is rejected) and the fetch time."""
        params = {"sportId": 1, "date": day.isoformat(), "hydrate": "probablePitcher"}
        try:
            doc, path, fetched_at = self.mlb.get("/api/v1/schedule", params)
            return schedule_games(doc, str(path or f"schedule {day}")), fetched_at
        except (FeedError, DataValidationError) as exc:  # down, or an answer the parser rejects
            self.report.statsapi.stale.append(f"schedule {day}: {exc}")
            return None, datetime.now(UTC)

    def catch_up(self) -> list[tuple[ScheduledGame, dict]]:
        last = _last_landed(self.wh)
        first = (last - timedelta(days=CATCHUP_OVERLAP_DAYS - 1)) if last else self.day - timedelta(days=1)
        first = max(first, self.day - timedelta(days=MAX_CATCHUP_DAYS))
        boxes = []
        day = first
        while day < self.day:
            self.report.catchup_days.append(day)
            for _, _, game in self.schedule(day)[0] or []:
                if game.not_played:
                    self.report.reported.append(f"{game.label}: {game.not_played}, no result")
                    continue
                if not game.is_final:
                    self.report.reported.append(f"{game.label}: {game.state or 'not final'}, no result yet")
                    continue
                try:
                    doc, _, _ = self.mlb.get(f"/api/v1/game/{game.game_pk}/boxscore")
                except FeedError as exc:
                    self.report.statsapi.stale.append(f"boxscore {game.game_id}: {exc}")
                    continue
                boxes.append((game, doc))
            day += timedelta(days=1)
        return boxes

    def learn_people(self, mlbam_ids: set[int]) -> Crosswalk:
        crosswalk = Crosswalk.from_warehouse(self.wh)
        unknown = crosswalk.unknown(mlbam_ids)
        rows: list[dict[str, Any]] = []
        for i in range(0, len(unknown), PEOPLE_CHUNK):
            ids = ",".join(str(x) for x in unknown[i : i + PEOPLE_CHUNK])
            try:
                doc, _, _ = self.mlb.get("/api/v1/people", {"personIds": ids})
            except FeedError as exc:
                self.report.statsapi.stale.append(f"people: {exc}")
                continue
            rows.extend(parse_people(doc))
        if rows:
            load_frame(self.wh, PEOPLE, _typed(rows, PEOPLE, "statsapi people"), "statsapi:people")
            self.report.provisional = sorted(r["pitcher_id"] for r in rows)
            self.report.statsapi.landed["people (provisional ids)"] = len(rows)
            crosswalk = Crosswalk.from_warehouse(self.wh)
        return crosswalk

    def land_finals(self, boxes: list[tuple[ScheduledGame, dict]], crosswalk: Crosswalk) -> None:
        parks = _home_parks(self.wh)
        logs: list[dict] = []
        teams: list[dict] = []
        for game, doc in boxes:
            rows = parse_boxscore(
                doc,
                game,
                crosswalk,
                park_id=parks.get(game.home.retro_code),
                scheduled_innings=game.scheduled_innings or game_innings(game),
            )
            if rows.problems:
                self.report.reported.extend(rows.problems)
                continue
            logs.extend(rows.game_logs)
            teams.extend(rows.team_games)
        for spec, rows_, name in ((GAME_LOGS, logs, "starts"), (TEAM_GAMES, teams, "team games")):
            if rows_:
                source = f"statsapi:boxscore:{self.day.isoformat()}"
                result = load_frame(self.wh, spec, _typed(rows_, spec, f"statsapi {name}"), source)
                self.report.statsapi.landed[f"{name} (new or changed)"] = (
                    result.rows_inserted + result.rows_updated
                )
                self.report.statsapi.landed[name] = len(rows_)

    def land_statuses(self, statuses: list[dict[str, Any]]) -> None:
        """Every game's status (a postponed, suspended or cancelled game withdraws its picks in dbt), written
        only where it differs from the latest report stored: a rerun adds nothing."""
        if not statuses:
            return
        rel = self.wh.relation(GAME_STATUSES.layer, GAME_STATUSES.name)
        stored = self.wh.query(
            f"select game_id, game_date, game_status, is_called_off, reported_at from {rel} "
            "where game_id in (select * from unnest(@ids))",
            {"ids": [row["game_id"] for row in statuses]},
        )
        latest = {
            r.game_id: (str(r.game_date)[:10], r.game_status, str(bool(r.is_called_off)))
            for r in stored.sort_values("reported_at").itertuples(index=False)
        }
        changed = [
            row
            for row in statuses
            if latest.get(row["game_id"]) != (row["game_date"], row["game_status"], row["is_called_off"])
        ]
        if changed:
            frame = pd.DataFrame(changed).astype("string")
            load_frame(
                self.wh,
                GAME_STATUSES,
                validate_frame(frame, GAME_STATUSES, "statsapi schedule"),
                f"statsapi:schedule:{self.day.isoformat()}",
            )
        called_off = sum(row["is_called_off"] == "True" for row in statuses)
        self.report.statsapi.landed["games called off"] = called_off

    def land_probables(
        self, games: list[tuple[str, dict, ScheduledGame]], crosswalk: Crosswalk, fetched_at: datetime
    ) -> None:
        doc = {"dates": [{"date": self.day.isoformat(), "games": [g for _, g, _ in games]}]}
        parsed = parse_schedule(doc, "schedule", crosswalk.schedule_people(), fetched_at.replace(tzinfo=None))
        self.land_statuses(parsed.statuses)
        rel = self.wh.relation(PROBABLE_STARTERS.layer, PROBABLE_STARTERS.name)
        existing = self.wh.query(
            f"select game_id, team, pitcher_id, announced_at from {rel} where game_date = @d", {"d": self.day}
        )
        before = {(r.game_id, r.team): r for r in existing.itertuples(index=False)}
        for row in parsed.rows:  # an unchanged announcement keeps its time: a rerun changes nothing
            old = before.get((row["game_id"], row["team"]))
            if old is not None and old.pitcher_id == row["pitcher_id"]:
                row["announced_at"] = pd.Timestamp(old.announced_at).isoformat()
        scratched = add_scratches(self.wh, parsed)  # a scratch is an announcement too: kept, never deleted
        self.report.reported.extend(parsed.reported)
        if parsed.rows:
            typed = validate_frame(
                pd.DataFrame(parsed.rows).astype("string"),
                PROBABLE_STARTERS,
                "schedule",
                locators=parsed.where,
            )
            load_frame(self.wh, PROBABLE_STARTERS, typed, f"statsapi:schedule:{self.day.isoformat()}")
        self.report.statsapi.landed["probable starters"] = len(parsed.rows) - len(scratched)
        if scratched:
            self.report.statsapi.landed["starters scratched"] = len(scratched)

    def injuries(self, crosswalk: Crosswalk) -> None:
        params = {
            "startDate": (self.day - timedelta(days=IL_LOOKBACK_DAYS)).isoformat(),
            "endDate": self.day.isoformat(),
            "sportId": 1,
        }
        try:
            doc, _, _ = self.mlb.get("/api/v1/transactions", params)
        except FeedError as exc:
            self.report.statsapi.stale.append(f"transactions: {exc}")
            return
        scraped_at = datetime.combine(self.day, dtime(0, 0))  # the morning's scrape: fixed, so reruns agree
        rows = parse_injuries(doc, self.day, crosswalk, scraped_at)
        if rows:
            load_frame(
                self.wh,
                INJURED_LIST,
                _typed(rows, INJURED_LIST, "statsapi transactions"),
                "statsapi:transactions",
            )
        self.report.statsapi.landed["injured-list rows"] = len(rows)

    # --- The Odds API -------------------------------------------------------------------------------
    def lines(self) -> None:
        if self.odds_disabled:
            self.report.odds.stale.append("KZONE_ODDS_API_KEY is not set: no lines fetched")
            return
        start = datetime.combine(self.day, dtime(4, 0), tzinfo=UTC)  # D 00:00 in New York, give or take DST
        params = {
            "commenceTimeFrom": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "commenceTimeTo": (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        try:
            events, _, _ = self.odds.get(f"/v4/sports/{ODDS_SPORT}/events", params)
        except FeedError as exc:
            self.report.odds.stale.append(f"events: {exc}")
            return
        loaded = quarantined = 0
        for event in events if isinstance(events, list) else []:
            event_id = str(event.get("id", ""))
            try:
                _, path, _ = self.odds.get(f"/v4/sports/{ODDS_SPORT}/events/{event_id}/odds", ODDS_PARAMS)
            except FeedError as exc:
                self.report.odds.stale.append(f"odds of event {event_id}: {exc}")
                continue
            if path is None:
                continue
            load = load_lines(self.wh, path, "odds-api")
            loaded += load.rows_loaded
            quarantined += len(load.quarantined)
            self.report.quarantined.extend(f"{path.name} {q.record}: {q.reason}" for q in load.quarantined)
        self.report.odds.landed["events"] = len(events) if isinstance(events, list) else 0
        self.report.odds.landed["lines"] = loaded
        self.report.odds.landed["lines quarantined"] = quarantined


def game_innings(game: ScheduledGame) -> int:
    """Scheduled innings when the box does not say: 7 for a 2020-2021 doubleheader game, else 9."""
    return 7 if game.game_number and game.game_date.year in (2020, 2021) else 9


def fetch_day(settings: Settings, day: date, *, replay: Path | None = None) -> FetchReport:
    """Fetch and land D's morning (see the module docstring); never raises for a feed that is down."""
    started = time.perf_counter()
    with (
        open_warehouse(settings) as wh,
        contextlib.closing(_Fetcher(settings, wh, day, replay)) as fetcher,  # closed before the warehouse
    ):
        ensure_raw_tables(wh)
        fetcher.report.merged = merge_provisional(wh)
        boxes = fetcher.catch_up()
        log.info(
            "fetch %s: %d final(s) to land from %d day(s)", day, len(boxes), len(fetcher.report.catchup_days)
        )
        today, fetched_at = fetcher.schedule(day)
        people = set().union(*(boxscore_people(doc) for _, doc in boxes)) if boxes else set()
        for _, game, _ in today or []:
            for side in ("away", "home"):
                pid = (((game.get("teams") or {}).get(side) or {}).get("probablePitcher") or {}).get("id")
                if pid:
                    people.add(int(pid))
        crosswalk = fetcher.learn_people(people)
        fetcher.land_finals(boxes, crosswalk)
        if today is not None:
            fetcher.land_probables(today, crosswalk, fetched_at)
        fetcher.injuries(crosswalk)
        fetcher.lines()
    report = fetcher.report
    report.statsapi.requests, report.odds.requests = fetcher.mlb.requests, fetcher.odds.requests
    report.quota = fetcher.odds.quota
    report.seconds = time.perf_counter() - started
    log.info("fetch %s done in %.1f s; stale: %s", day, report.seconds, report.stale or "none")
    return report
