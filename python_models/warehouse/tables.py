"""Contracts of the tables the Python side writes: ``TableSpec``, the scorer's landing table, the legacy
predictions and the model registry (the raw landing sources: ``raw_tables``). dbt declares the same tables as
sources (models/staging/*/_*__sources.yml)."""

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
    #: A timestamp column whose latest value wins: a reloaded row older on it never replaces the stored one.
    latest_by: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def content_columns(self) -> list[str]:
        """Columns that define the row's content (what the row hash covers)."""
        audit = {"row_hash", "_loaded_at", "_source_file", "batch_id", "scored_at"}
        return [c.name for c in self.columns if c.name not in audit]


LEGACY_PREDICTIONS = TableSpec(
    layer="mlb_predictions",
    name="pitcher_strikeouts_legacy",
    key=("game_date", "pitcher_lookup"),
    description=(
        "The production predictions table as it was before the multi-system work (one row per pitcher per "
        "day, model_version, no system_id). dbt migrates it in place (macros/migrations)."
    ),
    columns=(
        C(
            "pitcher_lookup",
            "string",
            False,
            "Slug of the pitcher's name as the legacy job wrote it (first_last).",
        ),
        C("pitcher_name", "string", description="Pitcher's display name."),
        C("game_date", "date", False, "Date of the game."),
        C("predicted_strikeouts", "float64", description="Predicted strikeouts."),
        C("strikeouts_line", "float64", description="Strikeout line at prediction time."),
        C("over_odds", "int64", description="American odds of the over."),
        C("under_odds", "int64", description="American odds of the under."),
        C("edge", "float64", description="Prediction minus line."),
        C("confidence", "float64", description="Confidence 0-100."),
        C("recommendation", "string", description="OVER, UNDER or PASS."),
        C(
            "model_version",
            "string",
            False,
            "Model version that produced the row (mapped to system_id by M002).",
        ),
        C("created_at", "timestamp", description="When the legacy job wrote the row (UTC)."),
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
        C("system_id", "string", False, "Prediction system: a key of vars.systems (dbt_project.yml)."),
        C(
            "model_version",
            "string",
            False,
            "Model version that produced the prediction (registered by the trainer).",
        ),
        C("game_date", "date", False, "Date of the game."),
        C("game_id", "string", description="Game id."),
        C("pitcher_id", "string", False, "Probable starter's player id."),
        C("pitcher_lookup", "string", False, "Canonical slug of the pitcher's name."),
        C("pitcher_name", "string", description="Pitcher's display name."),
        C("team", "string", description="Pitcher's team (MLB abbreviation)."),
        C("opponent", "string", description="Opponent (MLB abbreviation)."),
        C("bookmaker", "string", description="Sportsbook whose line was used (null without a line)."),
        C("strikeouts_line", "float64", description="Strikeout line used (last capture before first pitch)."),
        C("over_odds", "int64", description="American odds of the over."),
        C("under_odds", "int64", description="American odds of the under."),
        C("line_captured_at", "timestamp", description="When the line used was captured (UTC)."),
        C(
            "books_seen",
            "string",
            description='JSON array of every book\'s latest line at scoring time, e.g. [{"book": "fanduel", "line": 6.5}].',
        ),
        C("predicted_strikeouts", "float64", False, "Predicted mean strikeouts."),
        C("predicted_median", "float64", description="Median of the system's strikeout distribution."),
        C("predicted_p10", "float64", description="10th percentile of the system's strikeout distribution."),
        C("predicted_p90", "float64", description="90th percentile of the system's strikeout distribution."),
        C(
            "strikeout_pmf",
            "string",
            description="JSON array of P(K = k) for k = 0..20 (the last cell holds P(K >= 20)).",
        ),
        C("p_over", "float64", description="The system's own P(strikeouts > line) from its distribution."),
        C("p_under", "float64", description="P(strikeouts < line)."),
        C("p_push", "float64", description="P(strikeouts = line) (0 on half-point lines)."),
        C(
            "market_p_over",
            "float64",
            description="The book's no-vig P(over | no push) from the offered prices.",
        ),
        C(
            "pick_p_over",
            "float64",
            description="The market-aware P(over | no push) the recommendation uses (system blended with the book).",
        ),
        C(
            "market_weight",
            "float64",
            description="Weight of the system's deviation from the book in pick_p_over (0 = the book's price).",
        ),
        C("edge", "float64", description="Predicted strikeouts minus the line."),
        C("ev_over", "float64", description="Expected profit per unit staked on the over."),
        C("ev_under", "float64", description="Expected profit per unit staked on the under."),
        C("recommendation", "string", False, "OVER, UNDER or PASS."),
        C(
            "confidence",
            "float64",
            False,
            "Confidence 0-100 (probability of the side, agreement and coverage adjusted).",
        ),
        C("feature_coverage_pct", "float64", description="Share (0-100) of the system's features available."),
        C("red_flags", "string", description='JSON array of flags, e.g. ["no_line"].'),
        C("component_systems", "string", description="Ensemble only: JSON array of components used."),
        C("batch_id", "string", False, "Scorer batch that wrote the row."),
        C("scored_at", "timestamp", False, "When the scorer wrote the row (UTC)."),
        C(
            "row_hash",
            "string",
            False,
            "sha256 of the row's content (a re-score with equal content is a no-op).",
        ),
    ),
)

MODEL_REGISTRY = TableSpec(
    layer="scoring",
    name="model_registry",
    key=("model_version",),
    description="Every model version the trainer registered, mapped to its system.",
    columns=(
        C("model_version", "string", False, "Unique model version string."),
        C("system_id", "string", False, "The system the version belongs to."),
        C("trained_through", "date", False, "Last game date of the training data."),
        C("training_rows", "int64", description="Training rows."),
        C("validation_mae", "float64", description="MAE on the validation split."),
        C("model_path", "string", description="Model file in the model store."),
        C("model_sha256", "string", description="sha256 of the model file."),
        # The market logistic's figures, copied from the model card for SQL (the scorer reads the card).
        C("market_weight", "float64", description="Learned weight of the system's deviation from the book."),
        C("market_intercept", "float64", description="Learned intercept of the market blend (log-odds)."),
        C("market_blend_rows", "int64", description="Graded starts with a line the blend was fitted on."),
        C("registered_at", "timestamp", False, "When the version was registered (UTC)."),
        C("row_hash", "string", False, "sha256 of the row's content."),
    ),
)

SETUP_STATE = TableSpec(
    layer="ops",
    name="dbt_setup_state",
    key=("step",),
    description=(
        "What the last seeds + migrations step ran on: a checksum of the seed files, the migration macros, "
        "dbt_project.yml and the warehouse objects they write (python_models.jobs.dbt_ops.migrate)."
    ),
    columns=(
        C("step", "string", False, "The step ('seeds+migrations')."),
        C("checksum", "string", False, "sha256 of the step's inputs when it last succeeded."),
        C("recorded_at", "timestamp", False, "When the step last succeeded (UTC)."),
    ),
)
