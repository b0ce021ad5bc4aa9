"""Contracts of the raw landing sources the loaders and feeds write (``raw.*``), and the name-keyed lines form.
dbt declares the same tables as sources (models/staging/*/_*__sources.yml)."""

from __future__ import annotations

from python_models.warehouse.base import Column
from python_models.warehouse.tables import TableSpec

C = Column


def _pick(spec: TableSpec, *names: str) -> tuple[Column, ...]:
    """Columns of another spec, by name (a file form shares their contract)."""
    by_name = {c.name: c for c in spec.columns}
    return tuple(by_name[n] for n in names)


_AUDIT = (
    C(
        "row_hash",
        "string",
        description="sha256 of the row's content; a reload with equal content is a no-op.",
    ),
    C("_source_file", "string", description="File (or generator) the row came from."),
    C(
        "_loaded_at",
        "timestamp",
        False,
        "UTC time the loader wrote the row (source freshness is measured on it).",
    ),
)


GAME_LOGS = TableSpec(
    layer="raw",
    name="pitcher_game_logs",
    key=("game_id", "pitcher_id"),
    description="One row per starting pitcher per game (Retrosheet-style game line).",
    columns=(
        C("game_id", "string", False, "Retrosheet game id: home team + YYYYMMDD + game number."),
        C("game_date", "date", False, "Local date of the game."),
        C("season", "int64", False, "Season year."),
        C("game_number", "int64", False, "0 = single game, 1/2 = doubleheader game."),
        C("team", "string", False, "The pitcher's team (Retrosheet code)."),
        C("opponent", "string", False, "The opposing team (Retrosheet code)."),
        C("is_home", "bool", False, "Whether the pitcher's team was at home."),
        C("pitcher_id", "string", False, "Retrosheet player id of the starter."),
        C("pitcher_name", "string", False, '"First Last".'),
        C("pitcher_throws", "string", description="Throwing hand, L or R."),
        C("outs_recorded", "int64", False, "Outs recorded by the starter."),
        C("innings_pitched", "float64", description="outs_recorded / 3 (decimal)."),
        C("batters_faced", "int64", False, "Batters faced."),
        C("strikeouts", "int64", False, "Strikeouts (the prediction target)."),
        C("walks", "int64", False, "Walks including intentional."),
        C("intentional_walks", "int64", description="Intentional walks."),
        C("hits_allowed", "int64", False, "Hits allowed."),
        C("doubles_allowed", "int64", description="Doubles allowed."),
        C("triples_allowed", "int64", description="Triples allowed."),
        C("home_runs_allowed", "int64", description="Home runs allowed."),
        C("runs_allowed", "int64", description="Runs allowed."),
        C("earned_runs", "int64", False, "Earned runs."),
        C("hit_batters", "int64", description="Hit batters."),
        C("wild_pitches", "int64", description="Wild pitches."),
        C("complete_game", "bool", description="Whether the starter finished the game."),
        C("decision", "string", description="W, L or ND (no decision)."),
        C("day_night", "string", description="day or night."),
        C("park_id", "string", description="Retrosheet park id."),
        C("use_dh", "bool", description="Whether the designated hitter was used."),
        C("scheduled_innings", "int64", description="Scheduled innings (7 for 2021 doubleheaders)."),
        C("temp_f", "float64", description="Temperature, Fahrenheit (null = unknown)."),
        C("wind_dir", "string", description="Wind direction as in the source."),
        C("wind_speed_mph", "float64", description="Wind speed (0 or -1 can mean unknown or dome)."),
        C("sky", "string", description="Sky condition."),
        C("precip", "string", description="Precipitation."),
        C("start_time", "string", description="Local start time as text (e.g. 7:05PM)."),
        C("umpire_home_id", "string", description="Home-plate umpire id."),
        C("opp_lineup_lhb", "int64", description="Left-handed batters among the opponent's 9 starters."),
        C("opp_lineup_rhb", "int64", description="Right-handed batters among the opponent's 9 starters."),
        C("opp_lineup_swb", "int64", description="Switch hitters among the opponent's 9 starters."),
        C(
            "opp_lineup_platoon_adv",
            "int64",
            description="Batters with the platoon edge against this pitcher.",
        ),
        C("opp_lineup_ids", "string", description="The opponent's batting order, ids joined by |."),
        *_AUDIT,
    ),
)


PROBABLE_STARTERS = TableSpec(
    layer="raw",
    name="probable_starters",
    key=("game_id", "team"),
    latest_by="announced_at",
    description=(
        "The announced starter per team per game: the latest announcement (by announced_at) wins; an older "
        "one loaded later is kept in raw.probable_starter_announcements and never replaces it. A scratch is "
        "an announcement too: a row with is_scratched = true and no pitcher (the starter announced before is "
        "withdrawn, no replacement yet). An MLB Stats API schedule (kzone fetch, or the file format) writes "
        "one for a game it lists with no probable pitcher where a starter was loaded; a CSV load is "
        "additive (a starter the file omits stays announced: scratch him with such a row)."
    ),
    columns=(
        C(
            "game_id",
            "string",
            False,
            "Retrosheet-style game id: home team's Retrosheet code + YYYYMMDD + game number (0/1/2).",
        ),
        C("game_date", "date", False, "Local date of the game."),
        C(
            "team",
            "string",
            False,
            "The starter's team (Retrosheet code such as NYA; MLB codes are mapped too).",
        ),
        C("opponent", "string", False, "The opposing team (Retrosheet or MLB code)."),
        C("is_home", "bool", description="Whether the starter's team is at home."),
        C(
            "pitcher_id",
            "string",
            description="Announced starter (Retrosheet player id); required unless is_scratched.",
        ),
        C("pitcher_name", "string", description="Announced starter's name; required unless is_scratched."),
        C(
            "is_scratched",
            "bool",
            description=(
                "True: the starter announced before for this game and team is no longer announced and no "
                "replacement is (a scratch; pitcher_id and pitcher_name empty). NULL or false: an announcement."
            ),
        ),
        C("pitcher_throws", "string", description="Throwing hand, L or R."),
        C("park_id", "string", description="Retrosheet park id."),
        C("day_night", "string", description="day or night."),
        C("opp_lineup_lhb", "int64", description="Left-handed batters in the announced opposing lineup."),
        C("opp_lineup_rhb", "int64", description="Right-handed batters in the announced opposing lineup."),
        C("opp_lineup_swb", "int64", description="Switch hitters in the announced opposing lineup."),
        C("opp_lineup_platoon_adv", "int64", description="Opposing batters with the platoon edge."),
        C(
            "first_pitch_at",
            "timestamp",
            False,
            "Scheduled first pitch (UTC); lines captured later are ignored.",
        ),
        C(
            "announced_at",
            "timestamp",
            False,
            "When the starter was announced (UTC); must not be after first_pitch_at.",
        ),
        # Optional pre-game facts of the game (NULL = not announced; features that need them stay NULL).
        C(
            "scheduled_innings",
            "int64",
            description="Optional: scheduled innings (7 for a seven-inning doubleheader game, else 9).",
        ),
        C("use_dh", "bool", description="Optional: whether the designated hitter is used in this game."),
        C(
            "umpire_home_id",
            "string",
            description="Optional: the assigned home-plate umpire (Retrosheet id).",
        ),
        C("manager_id", "string", description="Optional: the team's manager for this game (Retrosheet id)."),
        *_AUDIT,
    ),
)


# Every announcement ever loaded (a scratch and the announcement it replaced both stay here).
PROBABLE_STARTER_ANNOUNCEMENTS = TableSpec(
    layer="raw",
    name="probable_starter_announcements",
    key=("game_id", "team", "announced_at"),
    description=(
        "History of probable-starter announcements: every announcement any load of raw.probable_starters "
        "carried, one row per game, team and announced_at (written by the same loaders)."
    ),
    columns=PROBABLE_STARTERS.columns,
)


GAME_STATUSES = TableSpec(
    layer="raw",
    name="game_statuses",
    key=("game_id", "reported_at"),
    description=(
        "Every game's status as a schedule feed reported it, one row per game per report (history kept): "
        "the latest report of a game decides whether it is called off (postponed, suspended or cancelled), "
        "which withdraws its predictions; a later report that it is on again brings them back."
    ),
    columns=(
        C("game_id", "string", False, "Retrosheet-style game id, as in raw.probable_starters."),
        C("game_date", "date", False, "Local date of the game in this report."),
        C("game_pk", "int64", description="The feed's own game id (MLB gamePk; kept across a reschedule)."),
        C(
            "game_status",
            "string",
            False,
            "The feed's status as given (Scheduled, Postponed, Suspended: Rain...).",
        ),
        C(
            "is_called_off",
            "bool",
            False,
            "Postponed, suspended or cancelled (python_models/ingest/schedule.py).",
        ),
        C("reported_at", "timestamp", False, "When the feed reported it (the file's time, UTC)."),
        *_AUDIT,
    ),
)


TEAM_GAMES = TableSpec(
    layer="raw",
    name="team_games",
    key=("game_id", "team"),
    description=(
        "One row per team per game: the team's batting line against ALL the opposing pitchers, its "
        "pitchers used, its starter and his batters faced, its manager and starting lineup "
        "(Retrosheet teamstats)."
    ),
    columns=(
        C("game_id", "string", False, "Retrosheet game id: home team + YYYYMMDD + game number."),
        C("game_date", "date", False, "Local date of the game."),
        C("season", "int64", False, "Season year (= the year of game_date)."),
        C("game_number", "int64", False, "0 = single game, 1/2 = doubleheader game."),
        C("team", "string", False, "The team this row describes (Retrosheet code)."),
        C("opponent", "string", False, "The opposing team (Retrosheet code)."),
        C("is_home", "bool", False, "Whether the team was the home team (the team whose park it is)."),
        C("manager_id", "string", description="The team's manager for the game (acting manager if absent)."),
        C("batting_pa", "int64", False, "The team's plate appearances against all opposing pitchers."),
        C("batting_ab", "int64", description="The team's at-bats."),
        C("batting_strikeouts", "int64", False, "The team's strikeouts as batters (against all pitchers)."),
        C("batting_walks", "int64", description="The team's walks as batters, intentional included."),
        C("batting_hits", "int64", description="The team's hits."),
        C("batting_home_runs", "int64", description="The team's home runs."),
        C("runs", "int64", description="Runs the team scored."),
        C("pitching_outs", "int64", False, "Outs recorded by the team's pitchers (starter and relievers)."),
        C("pitchers_used", "int64", False, "Pitchers the team used in the game, starter included (>= 1)."),
        C("starter_id", "string", False, "The team's starting pitcher (= pitcher_id of its game-log row)."),
        C("starter_batters_faced", "int64", description="Batters faced by the team's starter."),
        C("lineup_ids", "string", description="The team's starting batting order, player ids joined by |."),
        *_AUDIT,
    ),
)


STRIKEOUT_LINES = TableSpec(
    layer="raw",
    name="strikeout_lines",
    key=("game_date", "pitcher_id", "bookmaker", "captured_at"),
    description="Every capture of a sportsbook strikeout line (lines move; all captures are kept).",
    columns=(
        C("game_id", "string", description="Game id when known."),
        C("game_date", "date", False, "Local date of the game."),
        C("pitcher_id", "string", False, "Pitcher the line is on (this warehouse's id)."),
        C("pitcher_name", "string", description="Pitcher's name as the book spells it."),
        C("bookmaker", "string", False, "Sportsbook (e.g. draftkings)."),
        C(
            "strikeouts_line",
            "float64",
            False,
            "Over/under strikeout line: a whole or half number in vars.line_range (dbt_project.yml).",
        ),
        C("over_odds", "int64", False, "American odds of the over (±100 to ±1000)."),
        C("under_odds", "int64", False, "American odds of the under (±100 to ±1000)."),
        C("captured_at", "timestamp", False, "When the line was captured (UTC)."),
        C(
            "event_start_at",
            "timestamp",
            description="Scheduled first pitch of the event the book posted the line for (UTC), when the "
            "feed gives it (The Odds API's commence_time); null otherwise.",
        ),
        *_AUDIT,
    ),
)


INJURED_LIST = TableSpec(
    layer="raw",
    name="injured_list",
    key=("pitcher_id", "scraped_at"),
    description="Injured-list status rows as scraped (one row per pitcher per scrape while on the IL).",
    columns=(
        C("pitcher_id", "string", False, "Pitcher on the IL (this warehouse's id)."),
        C("pitcher_name", "string", description="Pitcher's name."),
        C("team", "string", description="Team (Retrosheet or MLB code)."),
        C("status", "string", False, "IL7, IL10, IL15 or IL60."),
        C("scraped_at", "timestamp", False, "When the list was scraped (UTC)."),
        *_AUDIT,
    ),
)


# A file form, not a table: lines keyed by the pitcher's NAME, as real line files come. The loader resolves
# each name to a pitcher_id (python_models/ingest/resolve.py) and writes raw.strikeout_lines; rows whose name
# cannot be resolved go to raw.strikeout_lines_quarantine.
STRIKEOUT_LINES_BY_NAME = TableSpec(
    layer="raw",
    name="strikeout_lines_by_name",
    key=("game_date", "pitcher_name", "team", "bookmaker", "captured_at"),
    description=(
        "Line captures keyed by pitcher name instead of pitcher_id (the form real line files have); loaded "
        "into raw.strikeout_lines after name resolution."
    ),
    columns=(
        C("game_id", "string", description="Game id when known (else the matched starter's game)."),
        C("game_date", "date", False, "Local date of the game."),
        C(
            "pitcher_name",
            "string",
            False,
            "Pitcher's name as the book spells it; matched ignoring accents, case, punctuation, "
            "Jr./Sr./II/III and spaces, then through seeds/pitcher_name_aliases.csv.",
        ),
        C(
            "team",
            "string",
            description="The pitcher's team: MLB code (NYY), Retrosheet code (NYA) or full name; narrows "
            "the name match.",
        ),
        *_pick(
            STRIKEOUT_LINES,
            "bookmaker",
            "strikeouts_line",
            "over_odds",
            "under_odds",
            "captured_at",
            "event_start_at",
        ),
    ),
)


LINES_QUARANTINE = TableSpec(
    layer="raw",
    name="strikeout_lines_quarantine",
    key=("_source_file", "record"),
    description=(
        "Rows of line files that were not loaded because their pitcher could not be resolved (no match, "
        "ambiguous, or two rows resolving to one key), or, for odds feeds, an Over without its Under or a "
        "second line of one book in one capture. The rest of the file loads. The latest load of a file "
        "replaces that file's rows here."
    ),
    columns=(
        C(
            "record",
            "string",
            False,
            "Where the row is in its file: `line 17` (CSV) or the JSON path of the market and the player "
            "(Odds API).",
        ),
        C("line_number", "int64", description="File line of the row (CSV, header = line 1); null for JSON."),
        C("source_format", "string", False, "Format the file was loaded as: csv or odds-api."),
        C("game_date", "date", description="Game date the row names (null when it has none)."),
        C("pitcher_name", "string", description="Pitcher's name as the file spells it."),
        C(
            "team",
            "string",
            description="Team(s) given with the row (Retrosheet codes; an odds event's home and away teams joined by |).",
        ),
        C("bookmaker", "string", description="Sportsbook of the row."),
        C("reason", "string", False, "Why the row was not loaded, in words (candidates named)."),
        C("raw_row", "string", False, "The row as the file had it, as JSON."),
        *_AUDIT,
    ),
)


PEOPLE = TableSpec(
    layer="raw",
    name="people",
    key=("pitcher_id",),
    description=(
        "The people register: this warehouse's (Retrosheet) pitcher ids with names, hands and cross-ids "
        "(MLBAM, Baseball-Reference, FanGraphs). Maps MLB Stats API player ids to pitcher ids."
    ),
    columns=(
        C("pitcher_id", "string", False, "Retrosheet player id (this warehouse's pitcher_id)."),
        C("first", "string", description="First name (Retrosheet)."),
        C("last", "string", description="Last name (Retrosheet)."),
        C("throws", "string", description="Throwing hand, L or R."),
        C("bats", "string", description="Batting hand, L, R or B."),
        C(
            "key_mlbam",
            "int64",
            description="MLB Advanced Media id (the MLB Stats API's person id); blank when unknown.",
        ),
        C("key_bbref", "string", description="Baseball-Reference id."),
        C("key_fangraphs", "string", description="FanGraphs id."),
        C("throws_retrosplits", "string", description="Throwing hand as Chadwick's retrosplits records it."),
        *_AUDIT,
    ),
)


RAW_TABLES = {
    t.name: t
    for t in (
        GAME_LOGS,
        TEAM_GAMES,
        PROBABLE_STARTERS,
        PROBABLE_STARTER_ANNOUNCEMENTS,
        GAME_STATUSES,
        STRIKEOUT_LINES,
        INJURED_LIST,
        PEOPLE,
        LINES_QUARANTINE,
    )
}
