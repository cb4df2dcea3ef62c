"""What the app imports, `make run` installs: every third-party module imported anywhere under
ido/ (imports inside functions included, which run only when first needed) comes with a
package that pyproject.toml's `dependencies` name, or one of theirs. The test extras do not
count: `make run` does not install them (jsonschema was once only there, and the desk's saves
through the API answered 500 on a fresh install while every test passed)."""

import ast
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.once  # reads files and installed metadata, no database


def _runtime_packages() -> set[str]:
    """The project's dependencies and all they require in turn (with the extras asked for)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(text) for text in project["dependencies"]]
    seen: set[tuple[str, frozenset[str]]] = set()
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        name, extras = canonicalize_name(requirement.name), frozenset(requirement.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found.add(name)
        try:
            texts = requires(name) or []
        except PackageNotFoundError:
            continue  # not for this platform or Python (a marker left it out)
        for text in texts:
            wanted = Requirement(text)
            marker = wanted.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras}):
                todo.append(wanted)
    return found


def _imported_modules() -> dict[str, str]:
    """Top-level names of the modules ido/ imports (not its own, not the standard library's),
    with a file that imports each."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "ido").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top != "ido" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_module_the_app_imports_is_installed_by_make_run():
    installed_by = packages_distributions()
    runtime = _runtime_packages()
    missing = {
        module: where
        for module, where in _imported_modules().items()
        if not {canonicalize_name(d) for d in installed_by.get(module, [])} & runtime
    }
    assert missing == {}, "add their packages to pyproject.toml's dependencies"


def test_the_check_sees_imports_inside_functions():
    """jsonschema is imported inside the function that first needs it."""
    assert "jsonschema" in _imported_modules()
    assert "jsonschema" in _runtime_packages()
