"""One typed settings object for the whole runner, read from the environment, and the process's logging.

The original production names (``MLB_*``) are kept with their original defaults; new settings use the
``KZONE_`` prefix. A bad value fails at start-up with a message naming the variable.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from python_models.dbt.project import PROJECT_ROOT, system_ids, var
from python_models.monitoring.figures import measured_picks_system

log = logging.getLogger(__name__)

#: Prefixes of the variables the runner reads: an unknown one is a typo and gets a warning.
VARIABLE_PREFIXES = ("KZONE_", "MLB_")
#: Variables read outside the settings object (besides the `env_var` calls of profiles.yml and
#: dbt_project.yml and the variables the Makefile names, found there): what reads each.
OTHER_VARIABLES = {"KZONE_BQ_OFFLINE_TARGET": "python_models.dbt.bq_offline"}


class SettingsError(ValueError):
    """Raised when the environment holds a value the runner cannot start with."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


def project_var(name: str) -> Callable[[], Any]:
    """Default taken from dbt_project.yml's vars: thresholds shared by dbt and Python live there once
    (run_dbt passes the effective values back to dbt, so an env override reaches both sides)."""
    return lambda: var(name)


#: Settings dbt needs too: Settings field -> dbt var. The default lives in dbt_project.yml's vars (read
#: through ``project_var``); the runner passes the effective value back to every dbt call.
SHARED_DBT_VARS = {
    "agreement_strong_k": "agreement_strong_k",
    "agreement_disagree_k": "agreement_disagree_k",
    "low_coverage_threshold": "low_coverage_threshold_pct",
    "active_systems": "active_systems",
    "picks_system": "picks_system_id",
    "live": "enforce_live_recency",
}


class Settings(BaseSettings):
    """Every setting the runner reads. Field aliases are the environment variable names."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    # --- warehouse --------------------------------------------------------------------------------
    target: Literal["local", "bigquery", "bigquery_emulator"] = Field(
        "local", validation_alias=_env("KZONE_TARGET"), description="Warehouse target (dbt target name)."
    )
    duckdb_path: Path = Field(
        PROJECT_ROOT / "warehouse" / "kzone.duckdb",
        validation_alias=_env("KZONE_DUCKDB_PATH"),
        description="DuckDB file of the embedded warehouse.",
    )
    bq_project: str = Field(
        "kzone-prod", validation_alias=_env("KZONE_BQ_PROJECT"), description="GCP project."
    )
    bq_location: str = Field(
        "US", validation_alias=_env("KZONE_BQ_LOCATION"), description="BigQuery location."
    )
    bq_api_endpoint: str | None = Field(
        None,
        validation_alias=_env("KZONE_BQ_API_ENDPOINT"),
        description="BigQuery API endpoint override (the local stand-in in tests); unset in production.",
    )
    dataset_prefix: str = Field(
        "",
        validation_alias=_env("KZONE_DATASET_PREFIX"),
        description="Prefix for every schema/dataset (isolates a developer or a test run).",
    )
    model_store: Path = Field(
        PROJECT_ROOT / "artifacts" / "models",
        validation_alias=_env("KZONE_MODEL_STORE"),
        description="Folder holding model files and model cards.",
    )

    # --- systems (original names and defaults) --------------------------------------------------
    active_systems: Annotated[tuple[str, ...], NoDecode] = Field(
        default_factory=system_ids,
        validation_alias=_env("MLB_ACTIVE_SYSTEMS"),
        description="Comma-separated systems to score.",
    )
    picks_system: str = Field(
        default_factory=measured_picks_system,
        validation_alias=_env("KZONE_PICKS_SYSTEM"),
        description="The system whose predictions feed todays_picks (must be active); default: the one "
        "`make evaluate` measured best (docs/figures/evaluate.json), else vars.picks_system_id.",
    )
    v1_model_path: Path | None = Field(
        None,
        validation_alias=_env("MLB_V1_MODEL_PATH"),
        description="Pin v1_baseline to this model file (default: newest registered version valid for the date).",
    )
    v1_6_model_path: Path | None = Field(
        None,
        validation_alias=_env("MLB_V1_6_MODEL_PATH"),
        description="Pin v1_6_rolling to this model file (default: newest registered version valid for the date).",
    )
    ensemble_v1_weight: float = Field(
        0.3, ge=0, le=1, validation_alias=_env("MLB_ENSEMBLE_V1_WEIGHT"), description="Ensemble weight of v1."
    )
    ensemble_v1_6_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        validation_alias=_env("MLB_ENSEMBLE_V1_6_WEIGHT"),
        description="Ensemble weight of v1.6.",
    )
    agreement_strong_k: float = Field(
        default_factory=project_var("agreement_strong_k"),
        gt=0,
        validation_alias=_env("KZONE_AGREEMENT_STRONG_K"),
        description="Systems agree within this many K.",
    )
    agreement_disagree_k: float = Field(
        default_factory=project_var("agreement_disagree_k"),
        gt=0,
        validation_alias=_env("KZONE_AGREEMENT_DISAGREE_K"),
        description="Systems disagree beyond this.",
    )
    agreement_bonus: float = Field(
        0.10,
        ge=0,
        le=1,
        validation_alias=_env("KZONE_AGREEMENT_BONUS"),
        description="Confidence bonus (share).",
    )
    disagreement_penalty: float = Field(
        0.15,
        ge=0,
        le=1,
        validation_alias=_env("KZONE_DISAGREEMENT_PENALTY"),
        description="Confidence penalty.",
    )

    # --- recommendation rules ---------------------------------------------------------------------
    min_edge: float = Field(
        0.5,
        ge=0,
        validation_alias=_env("MLB_MIN_EDGE"),
        description="Minimum absolute edge (prediction - line, in K).",
    )
    min_confidence: float = Field(
        50.0,
        ge=0,
        le=100,
        validation_alias=_env("MLB_MIN_CONFIDENCE"),
        description="Minimum confidence (0-100).",
    )
    min_prob_margin: float = Field(
        0.02,
        ge=0,
        le=0.5,
        validation_alias=_env("KZONE_MIN_PROB_MARGIN"),
        description="The side's probability must beat the no-vig implied probability by this much.",
    )
    min_coverage_pct: float = Field(
        60.0,
        ge=0,
        le=100,
        validation_alias=_env("KZONE_MIN_COVERAGE_PCT"),
        description="Below this feature coverage a prediction is PASS.",
    )
    preferred_books: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        validation_alias=_env("KZONE_PREFERRED_BOOKS"),
        description="Comma-separated sportsbooks whose line counts first, in order (default: the median of the books).",
    )
    line_cutoff_hour_utc: int = Field(
        15,
        ge=0,
        le=23,
        validation_alias=_env("KZONE_LINE_CUTOFF_HOUR_UTC"),
        description="Scoring date D uses line captures before D at this hour (UTC) and before first pitch: the morning's market, also in backfills.",
    )
    training_seasons: int = Field(
        0,
        ge=0,
        validation_alias=_env("KZONE_TRAINING_SEASONS"),
        description="Seasons of history a model learns from, the current one included (0 = every season in the data).",
    )
    recency_half_life_seasons: float = Field(
        2.0,
        ge=0,
        validation_alias=_env("KZONE_RECENCY_HALF_LIFE_SEASONS"),
        description="Training weights halve every this many seasons back (0 = equal weights): how season drift is handled (2 measured best on 2022, see the README).",
    )
    market_prior_rows: int = Field(
        600,
        ge=0,
        validation_alias=_env("KZONE_MARKET_PRIOR_ROWS"),
        description="Strength of the prior that trusts the book's price, in graded starts with a line (600 for the market logistic's three coefficients: on the seeded sharp- and soft-book tests 400 let noise picks through against a sharp book, 1000 held the system's weight down against a soft one).",
    )
    il_cache_ttl_hours: float = Field(
        3.0, gt=0, validation_alias=_env("MLB_IL_CACHE_TTL_HOURS"), description="Injured-list cache lifetime."
    )

    # --- monitoring thresholds (original names) ---------------------------------------------------
    fallback_rate_threshold: float = Field(
        0.10,
        ge=0,
        le=1,
        validation_alias=_env("MLB_FALLBACK_RATE_THRESHOLD"),
        description="Alert above this rate.",
    )
    fallback_window_minutes: int = Field(
        60,
        gt=0,
        validation_alias=_env("MLB_FALLBACK_WINDOW_MINUTES"),
        description="Window for the fallback rate.",
    )
    model_load_failure_threshold: int = Field(
        3,
        gt=0,
        validation_alias=_env("MLB_MODEL_LOAD_FAILURE_THRESHOLD"),
        description="Consecutive model failures that open a system's circuit.",
    )
    low_coverage_threshold: float = Field(
        default_factory=project_var("low_coverage_threshold_pct"),
        ge=0,
        le=100,
        validation_alias=_env("MLB_LOW_COVERAGE_THRESHOLD"),
        description="A prediction below this feature coverage (%) counts as low coverage.",
    )
    low_coverage_rate_threshold: float = Field(
        0.10,
        ge=0,
        le=1,
        validation_alias=_env("MLB_LOW_COVERAGE_RATE_THRESHOLD"),
        description="Alert when the share of low-coverage predictions exceeds this.",
    )

    live: bool = Field(
        False,
        validation_alias=_env("KZONE_LIVE"),
        description="A live morning run: switch on the game-date recency gates (`kzone daily --live`).",
    )

    # --- feeds (python_models/ingest) -----------------------------------------------------------------
    statsapi_url: str = Field(
        "https://statsapi.mlb.com",
        validation_alias=_env("KZONE_STATSAPI_URL"),
        description="MLB Stats API base URL (schedule, boxscores, people, transactions).",
    )
    odds_api_url: str = Field(
        "https://api.the-odds-api.com",
        validation_alias=_env("KZONE_ODDS_API_URL"),
        description="The Odds API v4 base URL (events and pitcher-strikeout odds).",
    )
    odds_api_key: SecretStr | None = Field(
        None,
        validation_alias=_env("KZONE_ODDS_API_KEY"),
        description="The Odds API key (never logged, stored or printed).",
    )
    retrosheet_url: str = Field(
        "https://www.retrosheet.org",
        validation_alias=_env("KZONE_RETROSHEET_URL"),
        description="Retrosheet base URL of the per-season CSV downloads (`kzone fetch-history`).",
    )
    register_url: str = Field(
        "https://raw.githubusercontent.com/chadwickbureau/register/master/data",
        validation_alias=_env("KZONE_REGISTER_URL"),
        description="Folder URL of the Chadwick register's people-*.csv files (Retrosheet <-> MLBAM ids).",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("kzone")),
        validation_alias=_env("KZONE_CACHE_DIR"),
        description="Downloads and raw feed payloads (default: the platform's user cache folder).",
    )
    history_dir: Path | None = Field(
        None,
        validation_alias=_env("KZONE_HISTORY_DIR"),
        description="A folder of prepared history files (starters, team games, people) used instead of a download.",
    )
    http_timeout_s: float = Field(
        20.0, gt=0, validation_alias=_env("KZONE_HTTP_TIMEOUT_S"), description="Timeout of one HTTP request."
    )
    http_retries: int = Field(
        4,
        ge=0,
        validation_alias=_env("KZONE_HTTP_RETRIES"),
        description="Retries of a request answered 429/5xx or cut off (backoff honours Retry-After).",
    )
    alert_webhook_url: SecretStr | None = Field(
        None,
        validation_alias=_env("KZONE_ALERT_WEBHOOK_URL"),
        description="Slack-compatible webhook: one JSON POST when a gate fails, a feed is down or rows are held back.",
    )

    # --- runner -----------------------------------------------------------------------------------
    threads: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        validation_alias=_env("KZONE_THREADS"),
        description=(
            "Threads of each engine: XGBoost nthread, DuckDB threads (the runner's connections and dbt's), "
            "dbt --threads. Lower it on a shared machine."
        ),
        json_schema_extra={"readme_default": "the machine's cores"},
    )
    warehouse_retries: int = Field(
        5, ge=0, validation_alias=_env("KZONE_WAREHOUSE_RETRIES"), description="Retries for transient errors."
    )
    log_level: str = Field("INFO", validation_alias=_env("KZONE_LOG_LEVEL"), description="Logging level.")
    test_severity: str = Field(
        "warn",
        validation_alias=_env("KZONE_TEST_SEVERITY"),
        description="Severity of every dbt gate (dbt reads it too): warn locally, error in CI and production.",
    )
    run_lock_wait_s: float = Field(
        0.0,
        ge=0,
        validation_alias=_env("KZONE_RUN_LOCK_WAIT_S"),
        description="How long `kzone daily` waits for another run on the same warehouse to finish (0: exit 75 at once).",
    )

    @field_validator("active_systems", "preferred_books", mode="before")
    @classmethod
    def _split_systems(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("preferred_books")
    @classmethod
    def _lowercase_books(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(book.lower() for book in value)  # bookmakers are staged lower-case

    @field_validator("active_systems")
    @classmethod
    def _known_systems(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in system_ids()]
        if unknown:
            raise ValueError(f"unknown system(s) {unknown}; known: {list(system_ids())}")
        if not value:
            raise ValueError("at least one system must be active")
        return value

    @field_validator("test_severity")
    @classmethod
    def _severity(cls, value: str) -> str:
        if value.strip().lower() not in {"warn", "error"}:
            raise ValueError("must be warn or error (dbt's severities; unset = warn)")
        return value.strip().lower()

    @field_validator("duckdb_path", mode="before")
    @classmethod
    def _duckdb_file(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError(
                "is empty: give the DuckDB file's path (e.g. warehouse/kzone.duckdb) or unset it"
            )
        if Path(str(value)).is_dir():
            raise ValueError(
                "is a folder: give the DuckDB file's path inside it (e.g. warehouse/kzone.duckdb)"
            )
        return value

    @field_validator("v1_model_path", "v1_6_model_path", mode="before")
    @classmethod
    def _model_file(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # set but empty: no pin, as when unset
        if value is not None and not Path(str(value)).is_file():
            raise ValueError(
                "is not a model file: give an existing model file (`kzone train` writes them to "
                "KZONE_MODEL_STORE), or unset it to use the newest registered version"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.agreement_disagree_k < self.agreement_strong_k:
            raise ValueError("KZONE_AGREEMENT_DISAGREE_K must be >= KZONE_AGREEMENT_STRONG_K")
        if self.picks_system not in self.active_systems and "picks_system" not in self.model_fields_set:
            # the default picks system is not active: the picks follow the first active system instead
            object.__setattr__(self, "picks_system", self.active_systems[0])
        if self.picks_system not in self.active_systems:
            raise ValueError(
                f"KZONE_PICKS_SYSTEM {self.picks_system!r} is not an active system "
                f"(MLB_ACTIVE_SYSTEMS: {list(self.active_systems)})"
            )
        return self

    @model_validator(mode="after")
    def _ensemble_has_weight(self) -> Settings:
        # Weights are normalised over the components that produced a prediction: with both at 0 there is
        # nothing to normalise, and the ensemble could only fail later, at output validation.
        if "ensemble_v1" in self.active_systems and self.ensemble_v1_weight + self.ensemble_v1_6_weight <= 0:
            raise ValueError(
                "MLB_ENSEMBLE_V1_WEIGHT and MLB_ENSEMBLE_V1_6_WEIGHT are both 0: give at least one a weight "
                "above 0, or leave ensemble_v1 out of MLB_ACTIVE_SYSTEMS"
            )
        return self

    def schema(self, name: str) -> str:
        """Physical schema (DuckDB) or dataset (BigQuery) for a logical layer name."""
        return f"{self.dataset_prefix}{name}"


def _env_name(settings_cls: type[BaseSettings], field: str) -> str:
    alias = settings_cls.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field


def known_variables() -> set[str]:
    """Every KZONE_/MLB_ variable something reads: the settings, dbt's `env_var`s (profile, project, macros), the Makefile's
    variables (KZONE_THREADS, ...) and OTHER_VARIABLES."""
    names = {_env_name(Settings, f) for f in Settings.model_fields} | set(OTHER_VARIABLES)
    configs = [PROJECT_ROOT / "profiles.yml", PROJECT_ROOT / "dbt_project.yml"]
    for config in [*configs, *sorted((PROJECT_ROOT / "macros").rglob("*.sql"))]:
        text = config.read_text(encoding="utf-8")
        names |= set(re.findall(r"env_var\(\s*['\"]([A-Z0-9_]+)['\"]", text))
    makefile = PROJECT_ROOT / "Makefile"
    if makefile.exists():
        names |= set(re.findall(r"\b((?:KZONE|MLB)_[A-Z0-9_]+)", makefile.read_text(encoding="utf-8")))
    return names


def unknown_variable_warnings(environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per KZONE_*/MLB_* variable of the environment that nothing reads (a typo does nothing and
    would say nothing), naming the nearest real one. Other variables are none of our business."""
    environ = os.environ if environ is None else environ
    known = known_variables()
    lines = []
    for name in sorted(environ):
        if not name.startswith(VARIABLE_PREFIXES) or name in known:
            continue
        nearest = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
        hint = (
            f"did you mean {nearest[0]}?"
            if nearest
            else "the settings are listed by `python -m python_models.config` (README: Configuration)"
        )
        lines.append(f"{name} is not a kzone setting and is ignored: {hint}")
    return lines


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning validation errors into one message naming each variable; warn about a
    KZONE_/MLB_ variable nothing reads."""
    for line in unknown_variable_warnings():
        log.warning("%s", line)
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            if not err["loc"]:  # a rule across fields: its message names the variables itself
                problems.append(str(err["msg"]).removeprefix("Value error, "))
                continue
            field = str(err["loc"][0])
            name = _env_name(Settings, field) if field in Settings.model_fields else field
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {msg} (got {err.get('input')!r})")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (tests build their own with ``load_settings``)."""
    return load_settings()


def settings_table() -> str:
    """The README's configuration table, generated from the settings object (a test keeps them in sync)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        env = _env_name(Settings, name)
        default = field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]
        if isinstance(field.json_schema_extra, dict) and "readme_default" in field.json_schema_extra:
            default = field.json_schema_extra["readme_default"]  # a default that depends on the machine
        if isinstance(default, Path):
            if default.is_relative_to(PROJECT_ROOT):
                default = default.relative_to(PROJECT_ROOT)
            elif default.is_relative_to(Path.home()):  # the platform's user folders: the same on any Linux
                default = Path("~") / default.relative_to(Path.home())
        if isinstance(default, tuple):
            default = ",".join(default)
        lines.append(f"| `{env}` | `{default}` | {field.description or ''} |")
    return "\n".join(lines)


def setup_logging(level: str = "INFO") -> None:
    """Readable logs: one line per step, rich on a terminal, plain text (with times) elsewhere."""
    from rich.console import Console
    from rich.logging import RichHandler

    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(
            console=Console(stderr=True), show_path=False, rich_tracebacks=False, markup=False
        )
        fmt = "%(message)s"
    else:
        handler = logging.StreamHandler(sys.stderr)
        fmt = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt, datefmt="%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("urllib3", "google", "matplotlib", "dbt", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # its "metadata server unavailable" warning precedes our one-line "no Google credentials found"
    logging.getLogger("google.auth._default").setLevel(logging.ERROR)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(settings_table() + "\n")
