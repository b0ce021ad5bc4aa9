"""The environment variables kzone reads, and the KZONE_*/MLB_* ones nothing reads (a typo does nothing and
would say nothing, so each is reported with the nearest real name)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping

from python_models.config.base import env_name
from python_models.config.settings import Settings
from python_models.dbt.project import PROJECT_ROOT

#: Prefixes of the variables the runner reads: an unknown one is a typo and gets a warning.
VARIABLE_PREFIXES = ("KZONE_", "MLB_")
#: Variables read outside the settings object (besides the `env_var` calls of profiles.yml and
#: dbt_project.yml and the variables the Makefile names, found there): what reads each.
OTHER_VARIABLES = {"KZONE_BQ_OFFLINE_TARGET": "python_models.dbt.bq_offline"}


def known_variables() -> set[str]:
    """Every KZONE_/MLB_ variable something reads: the settings, dbt's `env_var`s (profile, project, macros), the Makefile's
    variables (KZONE_THREADS, ...) and OTHER_VARIABLES."""
    names = {env_name(Settings, f) for f in Settings.model_fields} | set(OTHER_VARIABLES)
    configs = [PROJECT_ROOT / "profiles.yml", PROJECT_ROOT / "dbt_project.yml"]
    for config in [*configs, *sorted((PROJECT_ROOT / "macros").rglob("*.sql"))]:
        text = config.read_text(encoding="utf-8")
        names |= set(re.findall(r"env_var\(\s*['\"]([A-Z0-9_]+)['\"]", text))
    makefile = PROJECT_ROOT / "Makefile"
    if makefile.exists():
        names |= set(re.findall(r"\b((?:KZONE|MLB)_[A-Z0-9_]+)", makefile.read_text(encoding="utf-8")))
    return names


def unknown_variable_warnings(environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per KZONE_*/MLB_* variable of the environment that nothing reads, naming the nearest real one.
    Other variables are none of our business."""
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
            else "the settings are listed by `kzone config` (README: Configuration)"
        )
        lines.append(f"{name} is not a kzone setting and is ignored: {hint}")
    return lines
