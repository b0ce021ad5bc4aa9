"""One typed settings object for the whole runner, read from the environment, and the process's logging.

The settings come in groups, one module each (warehouse, feeds, models, scoring, gates, alerts, runtime);
``Settings`` composes them and keeps the fields flat (``settings.min_edge``) and the variable names as they
were: the original production names (``MLB_*``) with their original defaults, new settings with the ``KZONE_``
prefix. A bad value fails at start-up with a message naming the variable; a KZONE_*/MLB_* variable nothing
reads is reported with the nearest real name.
"""

from __future__ import annotations

import logging
import sys
from functools import lru_cache

from pydantic import ValidationError

from python_models.config.base import SettingsError, env_name
from python_models.config.settings import GROUPS, SHARED_DBT_VARS, Settings, groups
from python_models.config.variables import unknown_variable_warnings
from python_models.dbt.project import PROJECT_ROOT

__all__ = [
    "GROUPS",
    "PROJECT_ROOT",
    "SHARED_DBT_VARS",
    "Settings",
    "SettingsError",
    "env_name",
    "get_settings",
    "groups",
    "load_settings",
    "setup_logging",
    "unknown_variable_warnings",
]

log = logging.getLogger(__name__)


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
            name = env_name(Settings, field) if field in Settings.model_fields else field
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {msg} (got {err.get('input')!r})")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (tests build their own with ``load_settings``)."""
    return load_settings()


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
