"""The Python package's floors hold: imports inside `mlax._src` point down.

From the top: `numpy` may use everything below; `transforms` may use
`lax`, `runtime`, `sharding` and `core`; `lax` and `runtime` sit side by
side (`lax` may use only `core`, `runtime` also `sharding`); `sharding`
uses only `core`; `core` uses nothing above it. Every import counts,
including those inside functions (a lazy import is still a dependency).
"""

import ast
import os

import mlax
import pytest

SRC = os.path.join(os.path.dirname(os.path.abspath(mlax.__file__)), "_src")

ALLOWED = {
    "core": {"core"},
    "sharding": {"core", "sharding"},
    "lax": {"core", "lax"},
    "runtime": {"core", "sharding", "runtime"},
    "transforms": {"core", "sharding", "lax", "runtime", "transforms"},
    "numpy": {"core", "sharding", "lax", "runtime", "transforms", "numpy"},
    "random": {"core", "sharding", "lax", "runtime", "transforms", "numpy", "random"},
    "nn": {"core", "sharding", "lax", "runtime", "transforms", "numpy", "random", "nn"},
    "image": {"core", "sharding", "lax", "runtime", "transforms", "numpy", "image"},
    "ode": {"core", "sharding", "lax", "runtime", "transforms", "numpy", "ode"},
    "example_libraries": {
        "core",
        "sharding",
        "lax",
        "runtime",
        "transforms",
        "numpy",
        "random",
        "nn",
        "example_libraries",
    },
    "scipy": {
        "core",
        "sharding",
        "lax",
        "runtime",
        "transforms",
        "numpy",
        "random",
        "nn",
        "scipy",
    },
}


def _source_files():
    for root, _, files in os.walk(SRC):
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(root, name)


def _floor_of(path):
    rel = os.path.relpath(path, SRC).split(os.sep)
    return rel[0] if len(rel) > 1 else None


def _imported_floors(path, source=None):
    """(line, floor) for every import of another part of mlax._src."""
    if source is None:
        with open(path) as f:
            source = f.read()
    tree = ast.parse(source, path)
    package = os.path.relpath(os.path.dirname(path), os.path.dirname(SRC)).split(os.sep)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
                if target[:2] != ["mlax", "_src"]:
                    continue
                target = target[1:]
            if target[:1] != ["_src"]:
                continue  # mlax._mlir, the bindings, sit below every floor
            if len(target) > 1:
                yield node.lineno, target[1]
            else:  # from mlax._src import lax, ...
                for alias in node.names:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[:2] == ["mlax", "_src"] and len(parts) > 2:
                    yield node.lineno, parts[2]


def test_every_source_file_sits_on_a_floor():
    loose = [p for p in _source_files() if _floor_of(p) is None and not p.endswith("__init__.py")]
    assert loose == [], f"files outside the floors: {loose}"


def test_imports_point_down():
    violations = []
    for path in _source_files():
        floor = _floor_of(path)
        if floor is None:
            continue
        for line, target in _imported_floors(path):
            if target not in ALLOWED[floor]:
                violations.append(f"{os.path.relpath(path, SRC)}:{line}: {floor} imports {target}")
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize(
    "source,expected",
    [
        ("from ..runtime import compiler\n", ["runtime"]),
        ("def f():\n    from ..transforms.jit import jit\n", ["transforms"]),
        ("from mlax._src.numpy import ufuncs\n", ["numpy"]),
        ("from ... import _mlir\nfrom ..._mlir import ir\n", []),
        ("from . import dtypes\n", ["core"]),
    ],
)
def test_the_checker_sees_every_kind_of_import(source, expected):
    """The check itself can fail: relative, absolute and lazy imports are seen."""
    path = os.path.join(SRC, "core", "probe.py")
    assert [floor for _, floor in _imported_floors(path, source)] == expected
