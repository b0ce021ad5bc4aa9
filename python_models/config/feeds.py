"""Feed settings: the base URLs `kzone fetch` and `kzone fetch-history` read, their key, the download cache and
the HTTP client's timeout and retries (python_models/ingest)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr

from python_models.config.base import SettingsGroup, env


class FeedSettings(SettingsGroup):
    """Where the feeds are, the Odds API key, where downloads are kept and how a request is retried."""

    group = "feeds"

    statsapi_url: str = Field(
        "https://statsapi.mlb.com",
        validation_alias=env("KZONE_STATSAPI_URL"),
        description="MLB Stats API base URL (schedule, boxscores, people, transactions).",
    )
    odds_api_url: str = Field(
        "https://api.the-odds-api.com",
        validation_alias=env("KZONE_ODDS_API_URL"),
        description="The Odds API v4 base URL (events and pitcher-strikeout odds).",
    )
    odds_api_key: SecretStr | None = Field(
        None,
        validation_alias=env("KZONE_ODDS_API_KEY"),
        description="The Odds API key (never logged, stored or printed).",
    )
    retrosheet_url: str = Field(
        "https://www.retrosheet.org",
        validation_alias=env("KZONE_RETROSHEET_URL"),
        description="Retrosheet base URL of the per-season CSV downloads (`kzone fetch-history`).",
    )
    register_url: str = Field(
        "https://raw.githubusercontent.com/chadwickbureau/register/master/data",
        validation_alias=env("KZONE_REGISTER_URL"),
        description="Folder URL of the Chadwick register's people-*.csv files (Retrosheet <-> MLBAM ids).",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("kzone")),
        validation_alias=env("KZONE_CACHE_DIR"),
        description="Downloads and raw feed payloads (default: the platform's user cache folder).",
        json_schema_extra={"readme_default": "~/.cache/kzone"},  # Linux; platformdirs picks per platform
    )
    history_dir: Path | None = Field(
        None,
        validation_alias=env("KZONE_HISTORY_DIR"),
        description="A folder of prepared history files (starters, team games, people) used instead of a download.",
    )
    http_timeout_s: float = Field(
        20.0, gt=0, validation_alias=env("KZONE_HTTP_TIMEOUT_S"), description="Timeout of one HTTP request."
    )
    http_retries: int = Field(
        4,
        ge=0,
        validation_alias=env("KZONE_HTTP_RETRIES"),
        description="Retries of a request answered 429/5xx or cut off (backoff honours Retry-After).",
    )
