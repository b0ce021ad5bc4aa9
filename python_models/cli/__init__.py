"""`kzone`: the command line of the runner (the console script ``python_models.cli:app``). Each command is a
thin shell over a pipeline module. One Typer app (``app``); the commands live by group and register on it
when their module is imported, in the order `kzone --help` lists them."""

# isort: off
from python_models.cli.app import app
from python_models.cli import load, models, daily, report  # noqa: F401  (registers the commands, in order)
# isort: on

__all__ = ["app"]
