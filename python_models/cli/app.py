"""The one `kzone` Typer app and what every command shares: the console, the error shell (one clear line,
exit 1), the settings check before any command, date parsing."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console, ConsoleDimensions

from python_models.config import SettingsError, get_settings, setup_logging

app = typer.Typer(
    name="kzone",
    help="MLB pitcher-strikeout predictions: load data, build the warehouse, train, score, monitor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
PIPED_WIDTH = 4000


class CliConsole(Console):
    """Rich output that a pipe or a file gets whole: a terminal keeps its width, anything else gets lines as
    long as they need (rich would otherwise cut tables at 80 columns: `mlb_pitche…`)."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        if self._width is None and not self.is_terminal:
            return ConsoleDimensions(PIPED_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


out = CliConsole()
log = logging.getLogger("kzone")
F = TypeVar("F", bound=Callable[..., Any])
MODEL_HINT = (
    " - restore the model files the registry names, or retrain them (kzone train --through YYYY-MM-DD)"
)


def friendly_errors(func: F) -> F:
    """Known failures print one clear line and exit 1; unexpected ones keep their traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from python_models.dbt.runner import DbtError
        from python_models.ingest.cache import HistoryError
        from python_models.ingest.http import FeedError
        from python_models.ingest.validation import DataValidationError
        from python_models.scoring.scorer import ScoringError
        from python_models.training.model_store import ModelLoadError
        from python_models.training.trainer import TrainingError
        from python_models.warehouse.base import WarehouseError

        try:
            return func(*args, **kwargs)
        except (
            SettingsError,
            DataValidationError,
            WarehouseError,
            DbtError,
            ValueError,
            HistoryError,
            FeedError,
            TrainingError,
        ) as exc:
            log.error("%s", exc)
            raise typer.Exit(code=1) from None
        except (ScoringError, ModelLoadError) as exc:
            hint = MODEL_HINT if "model" in str(exc) else ""
            log.error("%s%s", exc, hint)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main() -> None:
    """Configure logging from KZONE_LOG_LEVEL and validate the settings before any command runs."""
    try:
        settings = get_settings()
    except SettingsError as exc:
        setup_logging("INFO")
        log.error("%s", exc)
        sys.exit(2)
    setup_logging(settings.log_level)


def parse_date(value: str | date) -> date:
    """Dates are YYYY-MM-DD; anything else is a clear error."""
    if isinstance(value, date):  # an option's default
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


MAX_LISTED = 20
