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
    assert (s.min_edge, s.il_cache_ttl_hours) == (0.5, 3.0)
    # Confidence is the market-aware probability of the side (README, "Market-aware picks"): 60 would demand
    # an 8-point edge over a -110 price; 50 keeps agreement and coverage as the filters.
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
    from python_models.config import Settings, env_name
    from python_models.dbt.project import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    missing = [
        env_name(Settings, f) for f in Settings.model_fields if f"`{env_name(Settings, f)}`" not in readme
    ]
    assert not missing, f"README lacks {missing}: paste `python -m python_models.config` into it"


# --- issue 20, items 2.12 and 2.14: bad configuration says what to do, in one line ---------------------
@pytest.mark.parametrize(
    ("var", "value", "says"),
    [
        ("KZONE_DUCKDB_PATH", "", "is empty"),
        ("KZONE_DUCKDB_PATH", ".", "is a folder"),
        ("KZONE_TEST_SEVERITY", "bogus", "must be warn or error"),
    ],
)
def test_a_bad_path_or_severity_fails_at_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, says: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    message = str(err.value)
    assert var in message and says in message and "\n" not in message


def test_test_severity_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZONE_TEST_SEVERITY", "ERROR")
    assert load_settings().test_severity == "error"


def test_the_cli_reports_a_bad_variable_in_one_line_without_a_traceback(tmp_path) -> None:
    from .feeds_fixture import run_cli

    result = run_cli(["load-lines", str(tmp_path / "lines.csv")], KZONE_DUCKDB_PATH="")
    assert result.exit_code == 2
    assert "KZONE_DUCKDB_PATH: is empty" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["load-lines", "docs"])  # the Python client's failure, and dbt's
def test_bigquery_without_credentials_is_one_line_that_says_how_to_log_in(
    tmp_path, monkeypatch, dbt_target_dir, command: str
) -> None:
    from .feeds_fixture import run_cli

    monkeypatch.delenv("KZONE_BQ_API_ENDPOINT", raising=False)
    lines = tmp_path / "lines.csv"
    lines.write_text(
        "game_date,pitcher_id,strikeouts_line,over_odds,under_odds\n2026-04-01,a,5.5,-110,-110\n"
    )
    result = run_cli(
        [command, str(lines)] if command == "load-lines" else [command],
        KZONE_TARGET="bigquery",
        GOOGLE_APPLICATION_CREDENTIALS=str(tmp_path / "no-such-key.json"),
    )
    assert result.exit_code == 1, result.output
    assert (
        "no Google credentials found" in result.output
        and "gcloud auth application-default login" in result.output
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unknown_kzone_or_mlb_variable_is_warned_about_naming_the_nearest_real_one(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("KZONE_DUKCDB_PATH", "/tmp/x.duckdb")  # transposed letters
    monkeypatch.setenv("MLB_MIN_EGDE", "0.75")
    monkeypatch.setenv("KZONE_BQ_KEYFILE", "key.json")  # read by profiles.yml: known, no warning
    monkeypatch.setenv("OTHER_TOOL_SETTING", "1")  # not ours: ignored silently (extra="ignore")
    with caplog.at_level("WARNING", logger="python_models.config"):
        s = load_settings()
    warnings = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert warnings == [
        "KZONE_DUKCDB_PATH is not a kzone setting and is ignored: did you mean KZONE_DUCKDB_PATH?",
        "MLB_MIN_EGDE is not a kzone setting and is ignored: did you mean MLB_MIN_EDGE?",
    ]
    assert s.min_edge == 0.5  # the misspelled variable changed nothing


# --- issue 24, item 2: settings in groups, unknown variables reported, the README table generated ----------
def test_every_setting_belongs_to_exactly_one_group() -> None:
    from collections import Counter

    from python_models.config import Settings, groups

    assert list(groups()) == ["warehouse", "feeds", "models", "scoring", "gates", "alerts", "runtime"]
    counts = Counter(field for fields in groups().values() for field in fields)
    assert {f: n for f, n in counts.items() if n > 1} == {}, "a setting defined in two groups"
    assert set(Settings.model_fields) - set(counts) == set(), "a setting outside every group"
    assert len(Settings.model_fields) == sum(counts.values())


def test_a_group_keeps_its_own_rule_and_the_flat_names_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from python_models.config.scoring import ScoringSettings

    monkeypatch.setenv("KZONE_AGREEMENT_STRONG_K", "3")
    monkeypatch.setenv("KZONE_AGREEMENT_DISAGREE_K", "2")
    with pytest.raises(ValueError, match="KZONE_AGREEMENT_DISAGREE_K must be >= KZONE_AGREEMENT_STRONG_K"):
        ScoringSettings()
    with pytest.raises(SettingsError, match="KZONE_AGREEMENT_DISAGREE_K must be >="):
        load_settings()
    monkeypatch.setenv("KZONE_AGREEMENT_DISAGREE_K", "4")
    monkeypatch.setenv("KZONE_THREADS", "3")
    s = load_settings()
    assert (s.agreement_strong_k, s.agreement_disagree_k, s.threads) == (3.0, 4.0, 3)


def test_a_kzone_typo_names_the_closest_known_variable() -> None:
    from python_models.config import unknown_variable_warnings

    environ = {"KZONE_THREDS": "2", "KZONE_THREADS": "2", "KZONE_ZZZ": "1", "PATH": "/bin"}
    assert unknown_variable_warnings(environ) == [
        "KZONE_THREDS is not a kzone setting and is ignored: did you mean KZONE_THREADS?",
        "KZONE_ZZZ is not a kzone setting and is ignored: the settings are listed by `kzone config` "
        "(README: Configuration)",
    ]


def test_the_readme_configuration_block_is_the_generated_one() -> None:
    from python_models.config.table import END, START, settings_markdown
    from python_models.dbt.project import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(START) : readme.index(END) + len(END)]
    assert block == settings_markdown(), (
        "README's configuration tables drifted from the settings: paste `python -m python_models.config`"
    )
    for group in ("warehouse", "feeds", "models", "scoring", "gates", "alerts", "runtime"):
        assert f"**{group}** (`python_models/config/{group}.py`)" in block


def test_kzone_config_prints_each_group_with_where_a_value_comes_from_and_hides_secrets() -> None:
    from .feeds_fixture import run_cli

    result = run_cli(
        ["config"], KZONE_THREADS="3", KZONE_THREDS="2", KZONE_ODDS_API_KEY="sk-do-not-print", COLUMNS="200"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    threads = next(line for line in lines if "KZONE_THREADS " in line)
    assert " 3 " in threads and "environment" in threads
    assert "default" in next(line for line in lines if "MLB_MIN_EDGE" in line)
    assert "sk-do-not-print" not in result.output
    assert "set (hidden)" in next(line for line in lines if "KZONE_ODDS_API_KEY" in line)
    assert "unknown: KZONE_THREDS is not a kzone setting and is ignored: did you mean KZONE_THREADS?" in lines
    titles = [line.strip() for line in lines]
    for group in ("warehouse", "feeds", "models", "scoring", "gates", "alerts", "runtime"):
        assert group in titles
