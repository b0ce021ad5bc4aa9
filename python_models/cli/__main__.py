"""`python -m python_models.cli`: the same `kzone` command line."""

from python_models.cli import app

app()
