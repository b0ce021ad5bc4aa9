"""The settings shown by group: the README's configuration tables (generated from the settings object; a test
keeps the README block between the markers equal to ``settings_markdown()``) and `kzone config`'s rows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pydantic import SecretStr
from pydantic.fields import FieldInfo

from python_models.config.base import env_name
from python_models.config.settings import GROUPS, Settings
from python_models.dbt.project import PROJECT_ROOT

START, END = "<!-- settings:start -->", "<!-- settings:end -->"


def default_text(field: FieldInfo) -> str:
    """A field's default as the README shows it, the same on any machine: project-relative paths, and the
    field's ``readme_default`` where the default depends on the machine or on a measurement."""
    default = field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]
    if isinstance(field.json_schema_extra, dict) and "readme_default" in field.json_schema_extra:
        default = field.json_schema_extra["readme_default"]
    return value_text(default)


def value_text(value: object) -> str:
    """A setting's value as text: lists comma-separated, paths inside the project relative to it, a secret
    never shown (only whether it is set)."""
    if isinstance(value, SecretStr):
        return "set (hidden)"
    if isinstance(value, Path) and value.is_relative_to(PROJECT_ROOT):
        value = value.relative_to(PROJECT_ROOT)
    if isinstance(value, tuple):
        value = ",".join(value)
    return str(value)


class SettingRow(NamedTuple):
    group: str
    variable: str
    value: str
    source: str  # "environment" or "default"


def settings_rows(settings: Settings, environ: Mapping[str, str]) -> list[SettingRow]:
    """`kzone config`: every setting's effective value by group, and whether the environment set it."""
    rows = []
    for cls in GROUPS:
        for name in cls.model_fields:
            variable = env_name(Settings, name)
            source = "environment" if variable in environ else "default"
            rows.append(SettingRow(cls.group, variable, value_text(getattr(settings, name)), source))
    return rows


def settings_markdown() -> str:
    """The README block between the settings markers: one table per group."""
    parts = [START]
    for cls in GROUPS:
        module = cls.__module__.replace(".", "/") + ".py"
        lines = [
            f"**{cls.group}** (`{module}`): {' '.join((cls.__doc__ or '').split())}",
            "",
            "| variable | default | meaning |",
            "|---|---|---|",
        ]
        for name in cls.model_fields:
            field = Settings.model_fields[name]
            lines.append(
                f"| `{env_name(Settings, name)}` | `{default_text(field)}` | {field.description or ''} |"
            )
        parts.append("\n".join(lines))
    parts.append(END)
    return "\n\n".join(parts)
