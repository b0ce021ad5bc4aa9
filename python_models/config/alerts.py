"""Alert settings: the thresholds the scorer watches while it runs, and where an alert is sent."""

from __future__ import annotations

from pydantic import Field, SecretStr

from python_models.config.base import SettingsGroup, env, project_var


class AlertSettings(SettingsGroup):
    """When the scorer raises an alert (fallbacks, model failures, low coverage) and the webhook it posts to."""

    group = "alerts"

    fallback_rate_threshold: float = Field(
        0.10,
        ge=0,
        le=1,
        validation_alias=env("MLB_FALLBACK_RATE_THRESHOLD"),
        description="Alert above this rate.",
    )
    fallback_window_minutes: int = Field(
        60,
        gt=0,
        validation_alias=env("MLB_FALLBACK_WINDOW_MINUTES"),
        description="Window for the fallback rate.",
    )
    model_load_failure_threshold: int = Field(
        3,
        gt=0,
        validation_alias=env("MLB_MODEL_LOAD_FAILURE_THRESHOLD"),
        description="Consecutive model failures that open a system's circuit.",
    )
    low_coverage_threshold: float = Field(
        default_factory=project_var("low_coverage_threshold_pct"),
        ge=0,
        le=100,
        validation_alias=env("MLB_LOW_COVERAGE_THRESHOLD"),
        description="A prediction below this feature coverage (%) counts as low coverage.",
    )
    low_coverage_rate_threshold: float = Field(
        default_factory=project_var("low_coverage_max_share"),
        ge=0,
        le=1,
        validation_alias=env("MLB_LOW_COVERAGE_RATE_THRESHOLD"),
        description="Alert when the share of low-coverage predictions exceeds this.",
    )
    alert_webhook_url: SecretStr | None = Field(
        None,
        validation_alias=env("KZONE_ALERT_WEBHOOK_URL"),
        description="Slack-compatible webhook: one JSON POST when a gate fails, a feed is down or rows are held back.",
    )
