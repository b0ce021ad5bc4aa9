"""The one settings object: the groups composed, and the rules that span groups."""

from __future__ import annotations

from pydantic import model_validator

from python_models.config.alerts import AlertSettings
from python_models.config.base import SettingsGroup
from python_models.config.feeds import FeedSettings
from python_models.config.gates import GateSettings
from python_models.config.models import ModelSettings
from python_models.config.runtime import RuntimeSettings
from python_models.config.scoring import ScoringSettings
from python_models.config.warehouse import WarehouseSettings

#: Settings dbt needs too: Settings field -> dbt var. The default lives in dbt_project.yml's vars (read
#: through ``project_var``); the runner passes the effective value back to every dbt call.
SHARED_DBT_VARS = {
    "agreement_strong_k": "agreement_strong_k",
    "agreement_disagree_k": "agreement_disagree_k",
    "low_coverage_threshold": "low_coverage_threshold_pct",
    "low_coverage_rate_threshold": "low_coverage_max_share",
    "active_systems": "active_systems",
    "picks_system": "picks_system_id",
    "live": "enforce_live_recency",
}


class Settings(
    WarehouseSettings,
    FeedSettings,
    ModelSettings,
    ScoringSettings,
    GateSettings,
    AlertSettings,
    RuntimeSettings,
):
    """Every setting the runner reads, by group (one class per group, in the README's order). Field aliases
    are the environment variable names; the fields stay flat (``settings.min_edge``)."""

    @model_validator(mode="after")
    def _picks_system_active(self) -> Settings:
        if self.picks_system not in self.active_systems and "picks_system" not in self.model_fields_set:
            # the default picks system is not active: the picks follow the first active system instead
            object.__setattr__(self, "picks_system", self.active_systems[0])
        if self.picks_system not in self.active_systems:
            raise ValueError(
                f"KZONE_PICKS_SYSTEM {self.picks_system!r} is not an active system "
                f"(MLB_ACTIVE_SYSTEMS: {list(self.active_systems)})"
            )
        return self


#: The groups, in the order ``Settings`` composes them (and the README lists them).
GROUPS: tuple[type[SettingsGroup], ...] = tuple(
    base for base in Settings.__bases__ if issubclass(base, SettingsGroup)
)


def groups() -> dict[str, tuple[str, ...]]:
    """Each group's name -> its fields."""
    return {cls.group: tuple(cls.model_fields) for cls in GROUPS}
