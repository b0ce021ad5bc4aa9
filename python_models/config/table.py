"""The README's configuration tables, one per group, generated from the settings object (a test keeps the
README block between the markers equal to ``settings_markdown()``)."""

from __future__ import annotations

from pathlib import Path

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
    if isinstance(default, Path) and default.is_relative_to(PROJECT_ROOT):
        default = default.relative_to(PROJECT_ROOT)
    if isinstance(default, tuple):
        default = ",".join(default)
    return str(default)


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
