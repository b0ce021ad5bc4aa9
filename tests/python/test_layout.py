"""The layout says the architecture: the README's architecture section names every folder of the Python
package and of the dbt project, and the package has no loose modules (the CLI and the settings are folders)."""

from __future__ import annotations

import re

from python_models.dbt.project import PROJECT_ROOT


def _section() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    return readme[readme.index("## Architecture") : readme.index("## Warehouse targets")]


def _children(root: str) -> list[str]:
    return sorted(
        str(p.relative_to(PROJECT_ROOT))
        for p in (PROJECT_ROOT / root).iterdir()
        if p.is_dir() and not p.name.startswith(("_", "."))
    )


def test_the_readme_says_why_every_folder_exists() -> None:
    section = _section()
    # the package's folders, the dbt layers and the marts (staging's per-source folders: one row says why)
    folders = [
        *_children("python_models"),
        "models/staging",
        "models/intermediate",
        *_children("models/intermediate"),
        *_children("models/marts"),
    ]
    assert len(folders) > 10
    missing = [f for f in folders if f"`{f}/`" not in section]
    assert not missing, f"folders the README's architecture section does not explain: {missing}"


def test_the_package_has_no_loose_modules() -> None:
    loose = sorted(p.name for p in (PROJECT_ROOT / "python_models").glob("*.py"))
    assert loose == ["__init__.py"]


def test_no_system_id_is_written_outside_the_declaration_and_the_predictors() -> None:
    """The systems are declared once (dbt_project.yml `vars.systems`); Python, SQL and YAML read them there
    and name none (the predictors' classes are registered by kind, never by id). An id that is also a
    feature set's name counts only where it is quoted ("id" or 'id'): the feature set is another thing."""
    import re

    from python_models.dbt.project import feature_sets, system_ids

    patterns = {
        s: re.compile(rf"""["']{s}["']""" if s in feature_sets() else rf"\b{s}\b") for s in system_ids()
    }
    hits = []
    for root in ("python_models", "models", "macros"):
        for path in sorted((PROJECT_ROOT / root).rglob("*")):
            rel = path.relative_to(PROJECT_ROOT)
            if not path.is_file() or path.suffix not in {".py", ".sql", ".yml", ".md"}:
                continue
            if rel.parts[:2] == ("python_models", "predictors"):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                hits += [f"{rel}:{n}: {s}" for s, p in patterns.items() if p.search(line)]
    assert not hits, "system ids written outside vars.systems and predictors/:\n" + "\n".join(hits)


def _dbt_floor_lines() -> list[tuple[str, str]]:
    return [
        (f"{path.name}:{number}", line)
        for path in sorted((PROJECT_ROOT / "python_models" / "dbt").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_the_dbt_floor_imports_no_warehouse_and_no_settings() -> None:
    # python_models/dbt/ sits below the settings and the warehouse: the jobs (jobs/dbt_ops.py) own both
    found = [
        f"{where}: {line.strip()}"
        for where, line in _dbt_floor_lines()
        if re.search(r"import.*warehouse", line)
    ]
    found += [
        f"{where}: {line.strip()}" for where, line in _dbt_floor_lines() if "python_models.config" in line
    ]
    assert not found, f"python_models/dbt/ reaches up a floor: {found}"


def test_the_dbt_floor_never_writes_the_environment() -> None:
    write = re.compile(
        r"os\.environ(\[[^\]]+\]\s*=[^=]|\.(update|setdefault|pop|clear)\()|os\.(putenv|unsetenv)\("
    )
    found = [f"{where}: {line.strip()}" for where, line in _dbt_floor_lines() if write.search(line)]
    assert not found, (
        f"python_models/dbt/ writes os.environ (jobs/dbt_ops.dbt_environment does that): {found}"
    )
