"""The layers (pfp <- partners <- menu <- programmes <- reports <- devtools) hold, and
``lint-imports`` fails the build when a lower layer imports a higher one.

The contracts are in pyproject.toml (``[tool.importlinter]``); CI runs ``lint-imports`` in
``make lint``. Here it runs on this tree, and on a copy of it with one wrong import added.
"""

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pfp", "partners", "programmes")

pytestmark = pytest.mark.database_independent


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``tree``, with its pyproject.toml.

    ``python -S`` skips the site-packages' path files, among them the editable install's finder
    that would send ``import programmes`` to this checkout whatever the tree; the installed
    packages (import-linter itself) are put back on the path by hand, after the tree."""
    libraries = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    code = (
        "import sys; "
        f"sys.path[:0] = {[str(tree), *libraries]!r}; "
        "from importlinter.cli import lint_imports_command; "
        "lint_imports_command()"
    )
    return subprocess.run(
        [sys.executable, "-S", "-c", code, "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the packages and of pyproject.toml."""
    copy = tmp_path_factory.mktemp("layers")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_layers_hold(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "says"),
    [
        (
            "partners/models.py",
            "import programmes.models",
            "partners is not allowed to import programmes",
        ),
        (
            "pfp/permissions.py",
            "import partners.permissions",
            "pfp is not allowed to import partners",
        ),
        (
            "programmes/menu/models.py",
            "import programmes.workflow",
            "programmes.menu is not allowed to import programmes.workflow",
        ),
        (
            "programmes/workflow.py",
            "import programmes.reports.partner",
            "programmes.workflow is not allowed to import programmes.reports",
        ),
    ],
)
def test_a_lower_layer_importing_a_higher_one_fails(tree, module, wrong_import, says):
    path = tree / module
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\n{wrong_import}  # noqa\n", encoding="utf-8")
    try:
        result = lint_imports(tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert says in result.stdout
