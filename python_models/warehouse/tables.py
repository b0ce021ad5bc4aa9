"""Contracts of the tables the Python side writes: raw landing sources, the scorer's landing table and the
model registry. dbt declares the same tables as sources (models/staging/*/_*__sources.yml)."""

from __future__ import annotations

from dataclasses import dataclass

from python_models.warehouse.base import Column

C = Column


@dataclass(frozen=True)
class TableSpec:
    """A table the runner writes: where it lives, its columns and its key."""

    layer: str
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def content_columns(self) -> list[str]:
        """Columns that define the row's content (what the row hash covers)."""
        audit = {"row_hash", "_loaded_at", "_source_file", "batch_id", "scored_at"}
        return [c.name for c in self.columns if c.name not in audit]


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
        C("game_id", "string", False),
        C("game_date", "date", False),
        C("season", "int64", False),
        C("game_number", "int64", False),
        C("team", "string", False),
        C("opponent", "string", False),
        C("is_home", "bool", False),
        C("pitcher_id", "string", False),
        C("pitcher_name", "string", False),
        C("pitcher_throws", "string"),
        C("outs_recorded", "int64", False),
        C("innings_pitched", "float64"),
        C("batters_faced", "int64", False),
        C("strikeouts", "int64", False),
        C("walks", "int64", False),
        C("intentional_walks", "int64"),
        C("hits_allowed", "int64", False),
        C("doubles_allowed", "int64"),
        C("triples_allowed", "int64"),
        C("home_runs_allowed", "int64"),
        C("runs_allowed", "int64"),
        C("earned_runs", "int64", False),
        C("hit_batters", "int64"),
        C("wild_pitches", "int64"),
        C("complete_game", "bool"),
        C("decision", "string"),
        C("day_night", "string"),
        C("park_id", "string"),
        C("use_dh", "bool"),
        C("scheduled_innings", "int64"),
        C("temp_f", "float64"),
        C("wind_dir", "string"),
        C("wind_speed_mph", "float64"),
        C("sky", "string"),
        C("precip", "string"),
        C("start_time", "string"),
        C("umpire_home_id", "string"),
        C("opp_lineup_lhb", "int64"),
        C("opp_lineup_rhb", "int64"),
        C("opp_lineup_swb", "int64"),
        C("opp_lineup_platoon_adv", "int64"),
        C("opp_lineup_ids", "string"),
        *_AUDIT,
    ),
)

PROBABLE_STARTERS = TableSpec(
    layer="raw",
    name="probable_starters",
    key=("game_id", "team"),
    description="The announced starter per team per game; a later announcement replaces an earlier one.",
    columns=(
        C("game_id", "string", False),
        C("game_date", "date", False),
        C("team", "string", False),
        C("opponent", "string", False),
        C("is_home", "bool"),
        C("pitcher_id", "string", False),
        C("pitcher_name", "string", False),
        C("pitcher_throws", "string"),
        C("park_id", "string"),
        C("day_night", "string"),
        C("opp_lineup_lhb", "int64"),
        C("opp_lineup_rhb", "int64"),
        C("opp_lineup_swb", "int64"),
        C("opp_lineup_platoon_adv", "int64"),
        C(
            "first_pitch_at",
            "timestamp",
            False,
            "Scheduled first pitch (UTC); lines captured later are ignored.",
        ),
        C("announced_at", "timestamp", False),
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
        C("game_id", "string"),
        C("game_date", "date", False),
        C("pitcher_id", "string", False),
        C("pitcher_name", "string"),
        C("bookmaker", "string", False),
        C("strikeouts_line", "float64", False),
        C("over_odds", "int64", False),
        C("under_odds", "int64", False),
        C("captured_at", "timestamp", False),
        *_AUDIT,
    ),
)

INJURED_LIST = TableSpec(
    layer="raw",
    name="injured_list",
    key=("pitcher_id", "scraped_at"),
    description="Injured-list status rows as scraped (one row per pitcher per scrape while on the IL).",
    columns=(
        C("pitcher_id", "string", False),
        C("pitcher_name", "string"),
        C("team", "string"),
        C("status", "string", False),
        C("scraped_at", "timestamp", False),
        *_AUDIT,
    ),
)

LEGACY_PREDICTIONS = TableSpec(
    layer="mlb_predictions",
    name="pitcher_strikeouts_legacy",
    key=("game_date", "pitcher_lookup"),
    description=(
        "The production predictions table as it was before the multi-system work (one row per pitcher per "
        "day, model_version, no system_id). dbt migrates it in place (macros/migrations)."
    ),
    columns=(
        C("pitcher_lookup", "string", False),
        C("pitcher_name", "string"),
        C("game_date", "date", False),
        C("predicted_strikeouts", "float64"),
        C("strikeouts_line", "float64"),
        C("over_odds", "int64"),
        C("under_odds", "int64"),
        C("edge", "float64"),
        C("confidence", "float64"),
        C("recommendation", "string"),
        C("model_version", "string", False),
        C("created_at", "timestamp"),
    ),
)

# The scorer's landing table: a dbt source feeding the incremental `pitcher_strikeouts` model.
PREDICTIONS_LANDING = TableSpec(
    layer="scoring",
    name="predictions_landing",
    key=("prediction_id",),
    description="Every prediction the scorer wrote; one row per system per pitcher per game date.",
    columns=(
        C(
            "prediction_id",
            "string",
            False,
            "sha256 of game_date|pitcher_id|system_id (deterministic; legacy rows: date|lookup|system).",
        ),
        C("system_id", "string", False),
        C("model_version", "string", False),
        C("game_date", "date", False),
        C("game_id", "string"),
        C("pitcher_id", "string", False),
        C("pitcher_lookup", "string", False),
        C("pitcher_name", "string"),
        C("team", "string"),
        C("opponent", "string"),
        C("bookmaker", "string"),
        C("strikeouts_line", "float64"),
        C("over_odds", "int64"),
        C("under_odds", "int64"),
        C("line_captured_at", "timestamp"),
        C("predicted_strikeouts", "float64", False),
        C("p_over", "float64"),
        C("p_under", "float64"),
        C("p_push", "float64"),
        C("edge", "float64"),
        C("ev_over", "float64"),
        C("ev_under", "float64"),
        C("recommendation", "string", False),
        C("confidence", "float64", False),
        C("feature_coverage_pct", "float64"),
        C("red_flags", "string", description='JSON array of flags, e.g. ["no_line"].'),
        C("component_systems", "string", description="Ensemble only: JSON array of components used."),
        C("batch_id", "string", False),
        C("scored_at", "timestamp", False),
        C("row_hash", "string", False),
    ),
)

MODEL_REGISTRY = TableSpec(
    layer="scoring",
    name="model_registry",
    key=("model_version",),
    description="Every model version the trainer registered, mapped to its system.",
    columns=(
        C("model_version", "string", False),
        C("system_id", "string", False),
        C("trained_through", "date", False),
        C("training_rows", "int64"),
        C("validation_mae", "float64"),
        C("model_path", "string"),
        C("model_sha256", "string"),
        C("registered_at", "timestamp", False),
        C("row_hash", "string", False),
    ),
)

RAW_TABLES = {t.name: t for t in (GAME_LOGS, TEAM_GAMES, PROBABLE_STARTERS, STRIKEOUT_LINES, INJURED_LIST)}
