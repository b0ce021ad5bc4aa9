"""The layout says the architecture: the README's architecture section names every folder of the Python
package and of the dbt project, and the package has no loose modules (the CLI and the settings are folders)."""

from __future__ import annotations

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
