"""`kzone`: the command line of the runner (the console script ``python_models.cli:app``)."""

from python_models.cli.app import app

__all__ = ["app"]
