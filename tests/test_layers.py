"""The app layers hold: `make check` (lint-imports) fails on an upward import or an unplaced app.

Each test copies the package's Python files to a temporary folder, changes one thing and runs
import-linter there with the project's own contract (pyproject.toml), as `make layers` does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of meis/ (Python files only) beside the project's pyproject.toml."""
    shutil.copytree(
        ROOT / "meis",
        tmp_path / "meis",
        ignore=lambda folder, names: [
            n
            for n in names
            if not n.endswith(".py") and not (Path(folder) / n).is_dir() or n == "__pycache__"
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — our own venv's tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def test_the_tree_as_it_is_keeps_the_contract(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_registry_module_importing_the_case_engine_breaks_the_contract(tree: Path) -> None:
    models = tree / "meis" / "registry" / "models.py"
    models.write_text(models.read_text() + "\nimport meis.cases.models  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "meis.registry is not allowed to import meis.cases" in result.stdout


def test_two_apps_of_one_layer_may_not_import_each_other(tree: Path) -> None:
    views = tree / "meis" / "portal" / "views.py"
    views.write_text(views.read_text() + "\nimport meis.backoffice.views  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "meis.portal is not allowed to import meis.backoffice" in result.stdout


def test_a_new_app_must_be_given_its_layer(tree: Path) -> None:
    (tree / "meis" / "lottery").mkdir()
    (tree / "meis" / "lottery" / "__init__.py").write_text('"""Draws."""\n')
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "meis.lottery" in result.stdout + result.stderr


def test_tests_may_use_factories_of_any_app(tree: Path) -> None:
    test = tree / "meis" / "core" / "tests" / "test_factories_anywhere.py"
    test.write_text("import meis.cases.models  # noqa\n")
    assert lint_imports(tree).returncode == 0
