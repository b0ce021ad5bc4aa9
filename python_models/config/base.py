"""What every settings group shares: the base class, the environment-variable alias of a field, defaults read
from dbt_project.yml's vars, comma-separated lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, BeforeValidator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from python_models.dbt.project import var


class SettingsError(ValueError):
    """Raised when the environment holds a value the runner cannot start with."""


class SettingsGroup(BaseSettings):
    """One group of settings (warehouse, feeds, ...): its fields and the rules among them. ``Settings``
    composes the groups; a field belongs to exactly one (tests/python/test_config.py checks it)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    #: The group's name, as the README's configuration section and `kzone config` show it.
    group: ClassVar[str]


def env(name: str) -> AliasChoices:
    """The environment variable a field is read from (its name is kept flat: KZONE_THREADS, MLB_MIN_EDGE)."""
    return AliasChoices(name)


def env_name(settings_cls: type[BaseSettings], field: str) -> str:
    """The environment variable of ``field``."""
    alias = settings_cls.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return field


def project_var(name: str) -> Callable[[], Any]:
    """Default taken from dbt_project.yml's vars: thresholds shared by dbt and Python live there once
    (run_dbt passes the effective values back to dbt, so an env override reaches both sides)."""
    return lambda: var(name)


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    return value


#: A comma-separated list in the environment (`a, b`), a tuple in Python.
CommaSeparated = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_commas)]
