"""Scoring settings: when systems agree, which predictions become picks, which line a slate is priced at."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from python_models.config.base import CommaSeparated, SettingsGroup, env, project_var
from python_models.monitoring.figures import measured_picks_system


class ScoringSettings(SettingsGroup):
    """How a slate is scored: the picks system, agreement between systems, the recommendation rules, the line
    and the injured list."""

    group = "scoring"

    picks_system: str = Field(
        default_factory=measured_picks_system,
        validation_alias=env("KZONE_PICKS_SYSTEM"),
        description="The system whose predictions feed todays_picks (must be active); default: the one "
        "`make evaluate` measured best (docs/figures/evaluate.json), else vars.picks_system_id.",
        json_schema_extra={"readme_default": "measured"},  # what `make evaluate` records: not typed here
    )
    agreement_strong_k: float = Field(
        default_factory=project_var("agreement_strong_k"),
        gt=0,
        validation_alias=env("KZONE_AGREEMENT_STRONG_K"),
        description="Systems agree within this many K.",
    )
    agreement_disagree_k: float = Field(
        default_factory=project_var("agreement_disagree_k"),
        gt=0,
        validation_alias=env("KZONE_AGREEMENT_DISAGREE_K"),
        description="Systems disagree beyond this.",
    )
    agreement_bonus: float = Field(
        0.10,
        ge=0,
        le=1,
        validation_alias=env("KZONE_AGREEMENT_BONUS"),
        description="Confidence bonus (share).",
    )
    disagreement_penalty: float = Field(
        0.15,
        ge=0,
        le=1,
        validation_alias=env("KZONE_DISAGREEMENT_PENALTY"),
        description="Confidence penalty.",
    )
    min_edge: float = Field(
        0.5,
        ge=0,
        validation_alias=env("MLB_MIN_EDGE"),
        description="Minimum absolute edge (prediction - line, in K).",
    )
    min_confidence: float = Field(
        50.0,
        ge=0,
        le=100,
        validation_alias=env("MLB_MIN_CONFIDENCE"),
        description="Minimum confidence (0-100).",
    )
    min_prob_margin: float = Field(
        0.02,
        ge=0,
        le=0.5,
        validation_alias=env("KZONE_MIN_PROB_MARGIN"),
        description="The side's probability must beat the no-vig implied probability by this much.",
    )
    min_coverage_pct: float = Field(
        60.0,
        ge=0,
        le=100,
        validation_alias=env("KZONE_MIN_COVERAGE_PCT"),
        description="Below this feature coverage a prediction is PASS.",
    )
    preferred_books: CommaSeparated = Field(
        (),
        validation_alias=env("KZONE_PREFERRED_BOOKS"),
        description="Comma-separated sportsbooks whose line counts first, in order (default: the median of the books).",
    )
    line_cutoff_hour_utc: int = Field(
        15,
        ge=0,
        le=23,
        validation_alias=env("KZONE_LINE_CUTOFF_HOUR_UTC"),
        description="Scoring date D uses line captures before D at this hour (UTC) and before first pitch: the morning's market, also in backfills.",
    )
    il_cache_ttl_hours: float = Field(
        3.0, gt=0, validation_alias=env("MLB_IL_CACHE_TTL_HOURS"), description="Injured-list cache lifetime."
    )

    @field_validator("preferred_books")
    @classmethod
    def _lowercase_books(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(book.lower() for book in value)  # bookmakers are staged lower-case

    @model_validator(mode="after")
    def _agreement_ordered(self) -> ScoringSettings:
        if self.agreement_disagree_k < self.agreement_strong_k:
            raise ValueError("KZONE_AGREEMENT_DISAGREE_K must be >= KZONE_AGREEMENT_STRONG_K")
        return self
