"""The import graph stays a one-way street (docs/architecture.md).

`make lint` runs import-linter's layers contract (pyproject.toml) over the non-test code; these tests add what
it does not check: no two modules anywhere import each other, directly or round a longer loop, and a test
imports fixtures only from tests of its own layer or a lower one (collection's tests never lean on dynamic's).
"""

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("ciqcredit", exclude_type_checking_imports=True, cache_dir=None)


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_two_modules_import_each_other(graph):
    cycles = module_cycles(graph)
    explained = []
    for members in cycles:
        first, second = members[0], members[1]
        there = graph.find_shortest_chain(importer=first, imported=second) or []
        back = graph.find_shortest_chain(importer=second, imported=first) or []
        explained.append(f"  {' -> '.join(there)}\n  {' -> '.join(back)}")
    assert not cycles, (
        "modules import each other (move the shared part to a module both import, or turn the upward call into "
        "a hook, see docs/architecture.md):\n" + "\n".join(explained)
    )


def _layers() -> list[list[str]]:
    """The app layers of the import-linter contract, top first: each a list of module names under ciqcredit."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [[name.strip() for name in layer.replace("|", ":").split(":")] for layer in contract["layers"]]


def _layer_of(module: str, levels: dict[str, int]) -> int | None:
    parts = module.split(".")
    return levels.get(parts[1]) if len(parts) > 1 else None


SHARED_TEST_SUPPORT = {"ciqcredit.conftest", "ciqcredit.testing"}  # the cast and harness every test may use


def _is_test_module(module: str) -> bool:
    parts = module.split(".")
    return module not in SHARED_TEST_SUPPORT and ("tests" in parts or parts[-1] == "conftest")


def test_tests_import_fixtures_from_their_layer_or_below(graph):
    levels = {name: len(_layers()) - depth for depth, layer in enumerate(_layers()) for name in layer}
    upward = []
    for importer in sorted(m for m in graph.modules if _is_test_module(m)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if not _is_test_module(imported):
                continue
            mine, theirs = _layer_of(importer, levels), _layer_of(imported, levels)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"  {importer} -> {imported}")
    assert not upward, (
        "tests import fixtures of a higher layer (move the fixture down to the layer that owns the data):\n"
        + "\n".join(upward)
    )


def test_the_layers_name_every_top_level_module(graph):
    """A new app or root module must be placed in a layer, or the contract would not see it."""
    named = {name for layer in _layers() for name in layer}
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top - named - {"tests"} == set(), (
        f"place these in pyproject.toml's layers: {sorted(top - named - {'tests'})}"
    )
