"""`python -m python_models.config` prints the README's configuration block (paste it between the markers)."""

import sys

from python_models.config.table import settings_markdown

sys.stdout.write(settings_markdown() + "\n")
