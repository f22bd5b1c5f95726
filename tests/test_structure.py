"""The map is true: the README and docs/architecture.md name every app, every route and every doc
the code cites, and each app says in its docstring what it owns and where its writes and reads are.
"""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEIS = ROOT / "meis"
README = (ROOT / "README.md").read_text()
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text()

APPS = sorted(p.name for p in MEIS.iterdir() if (p / "__init__.py").is_file())


def readme_map() -> str:
    layout = README.split("## Layout", 1)[1]
    return layout.split("```", 2)[1]


def readme_url_table() -> str:
    layout = README.split("## Layout", 1)[1]
    return layout.split("| URL prefix | app |", 1)[1].split("\n\n", 1)[0]


def test_there_are_apps_to_check() -> None:
    assert {"core", "registry", "cases", "portal"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_the_readme_map_names_every_app(app: str) -> None:
    assert re.search(rf"^\s+{app}/\s", readme_map(), re.MULTILINE), f"{app}/ is not in the map"


@pytest.mark.parametrize("app", APPS)
def test_the_architecture_page_places_every_app(app: str) -> None:
    assert f"| {app} |" in ARCHITECTURE or f"`{app}`" in ARCHITECTURE


@pytest.mark.parametrize("app", APPS)
def test_every_app_is_given_a_layer(app: str) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = config["tool"]["importlinter"]["contracts"]
    placed = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    assert app in placed


@pytest.mark.parametrize("app", APPS)
def test_every_app_says_what_it_owns_and_where_its_writes_and_reads_are(app: str) -> None:
    docstring = ast.get_docstring(ast.parse((MEIS / app / "__init__.py").read_text()))
    assert docstring, f"meis/{app}/__init__.py has no docstring"
    assert "Owns" in docstring or "owns" in docstring
    assert re.search(r"\bWrites\b", docstring)
    assert re.search(r"\bReads\b", docstring)
    for module in re.findall(r"`([a-z_]+(?:\.py|/))`", docstring):
        assert (MEIS / app / module.rstrip("/")).exists(), f"{app}: {module} does not exist"


def _included_apps() -> set[str]:
    urls = (MEIS / "urls.py").read_text()
    return set(re.findall(r'include\("meis\.([a-z_]+)\.', urls))


@pytest.mark.parametrize("app", sorted(_included_apps()))
def test_the_url_table_names_every_app_that_serves_pages(app: str) -> None:
    assert re.search(rf"\|\s*{app}\s*\|", readme_url_table()), f"{app} has no row"


def test_every_route_prefix_is_in_the_url_table() -> None:
    urls = (MEIS / "urls.py").read_text()
    prefixes = {p for p in re.findall(r'path\("([^"]+)"', urls) if p}
    table = readme_url_table()
    for prefix in prefixes:
        assert f"/{prefix}" in table or f"/<lang>/{prefix}" in table, prefix


def _cited_docs() -> set[str]:
    cited: set[str] = set()
    for path in [*MEIS.rglob("*.py"), *MEIS.rglob("*.html"), *ROOT.joinpath("bench").rglob("*.py")]:
        cited |= set(re.findall(r"\bdocs/[\w/.-]+\.md", path.read_text(errors="ignore")))
    return cited


def test_every_doc_the_code_cites_exists() -> None:
    cited = _cited_docs()
    assert "docs/domain.md" in cited
    for doc in cited:
        assert (ROOT / doc).is_file(), doc


def test_the_code_cites_no_document_outside_the_repository() -> None:
    outside = re.compile(r"(?<![\w/])(ARCHITECTURE|DOMAIN)\.md")
    for path in [*MEIS.rglob("*.py"), *MEIS.rglob("*.html"), *ROOT.joinpath("bench").rglob("*.py")]:
        assert not outside.search(path.read_text(errors="ignore")), path


# The rule (CONTRIBUTING.md) holds from the commit that wrote it down; older history stays as it is.
SUBJECT_RULE_SINCE = "Write down the commit subject rule"
# Subjects that broke the rule after others had committed on top (history is not rewritten).
SUBJECTS_TOO_LONG_BEFORE_NOTICED = {
    "Payments: import the banks' statements, reconcile, hold returned accounts",
    "bench/request_path.py: the case page before and after, beside bare Django",
    "Payments: who recorded each account, never a user name; CSV header as code",
}


def test_commit_subjects_since_the_rule_fit_in_72_characters() -> None:
    try:
        log = subprocess.run(
            ["git", "log", "--format=%s", "--max-count=500"],  # noqa: S607 — git from PATH
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    if SUBJECT_RULE_SINCE not in log:
        pytest.skip("history before the rule")
    since_rule = log[: log.index(SUBJECT_RULE_SINCE) + 1]
    too_long = [s for s in since_rule if len(s) > 72]
    assert [s for s in too_long if s not in SUBJECTS_TOO_LONG_BEFORE_NOTICED] == []


def test_every_file_the_readme_points_to_exists() -> None:
    for path in re.findall(r"`(meis/[\w/.]+)`", README):
        assert (ROOT / path).exists(), path
