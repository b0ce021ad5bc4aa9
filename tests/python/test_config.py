"""The settings object: original names and defaults, and bad values named at start-up."""

from __future__ import annotations

import pytest

from python_models.config import SettingsError, load_settings


def test_original_defaults() -> None:
    s = load_settings()
    # Every system vars.systems defines is active by default: the original three, v2_workload_rate (issue 13)
    # and ensemble_v2 (issue 22).
    assert s.active_systems == (
        "v1_baseline",
        "v1_6_rolling",
        "v2_workload_rate",
        "ensemble_v1",
        "ensemble_v2",
    )
    assert (s.ensemble_v1_weight, s.ensemble_v1_6_weight) == (0.3, 0.5)
    assert (s.min_edge, s.il_cache_ttl_hours) == (0.5, 3.0)
    # Not the original 60: confidence is now the market-aware probability of the side (README, "Market-aware
    # picks"); 60 would demand an 8-point edge over a -110 price. 50 keeps agreement and coverage as filters.
    assert s.min_confidence == 50.0


def test_env_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLB_ACTIVE_SYSTEMS", "v1_baseline, ensemble_v1")
    monkeypatch.setenv("MLB_MIN_EDGE", "0.75")
    s = load_settings()
    assert s.active_systems == ("v1_baseline", "ensemble_v1")
    assert s.min_edge == 0.75


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("MLB_MIN_EDGE", "lots"),
        ("MLB_MIN_CONFIDENCE", "140"),
        ("MLB_ACTIVE_SYSTEMS", "v1_baseline,v9_magic"),
        ("MLB_IL_CACHE_TTL_HOURS", "-1"),
        ("KZONE_TARGET", "snowflake"),
    ],
)
def test_bad_value_fails_naming_the_variable(monkeypatch: pytest.MonkeyPatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError, match=var):
        load_settings()


def test_readme_documents_every_setting() -> None:
    from python_models.config import Settings, _env_name
    from python_models.dbt.project import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    missing = [
        _env_name(Settings, f) for f in Settings.model_fields if f"`{_env_name(Settings, f)}`" not in readme
    ]
    assert not missing, f"README lacks {missing}: paste `python -m python_models.config` into it"


def test_both_ensemble_weights_zero_is_rejected_at_start_up_naming_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLB_ENSEMBLE_V1_WEIGHT", "0")
    monkeypatch.setenv("MLB_ENSEMBLE_V1_6_WEIGHT", "0")
    with pytest.raises(SettingsError) as err:
        load_settings()
    message = str(err.value)
    assert "MLB_ENSEMBLE_V1_WEIGHT" in message and "MLB_ENSEMBLE_V1_6_WEIGHT" in message
    assert "?" not in message  # a model-level rule is not reported under an unknown field


def test_one_zero_ensemble_weight_is_allowed_and_zero_weights_without_the_ensemble(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLB_ENSEMBLE_V1_WEIGHT", "0")
    assert load_settings().ensemble_v1_6_weight == 0.5
    monkeypatch.setenv("MLB_ENSEMBLE_V1_6_WEIGHT", "0")
    monkeypatch.setenv("MLB_ACTIVE_SYSTEMS", "v1_baseline,v1_6_rolling")
    assert load_settings().active_systems == ("v1_baseline", "v1_6_rolling")
