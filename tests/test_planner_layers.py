"""The planner's modules form layers: each imports only from lower layers, at the top of the module.

The table is the one in docs/architecture.md ("The planner's layers"). The
imports are read from the source with ``ast``, so a lazy import inside a
function (the usual way to hide an import cycle) counts too, and fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "makker" / "planner"

LAYERS = {
    "costs": 0,  # what one group costs (integers)
    "diagnose": 0,  # why the hard rules cannot hold
    "solve": 0,  # running CBC / HiGHS safely
    "construct": 0,  # known designs without repeated group-mates
    "preview": 1,  # the two-stage matchings
    "search_state": 1,  # the year optimiser's state and move scores
    "quick": 2,  # the quick rotation: the one fallback
    "rotation": 3,  # the exact model of one rotation, and the preview
    "seeding": 4,  # the year optimiser's start from a design
    "improve": 5,  # the year optimiser's search
    "year": 6,  # the school year
    "__init__": 7,  # the package's public names
}


def _planner_module(node: ast.ImportFrom | ast.Import) -> list[str]:
    """The makker.planner modules a statement imports (empty for anything else)."""
    if isinstance(node, ast.Import):
        return [a.name.split(".")[2] for a in node.names
                if a.name.startswith("makker.planner.") and len(a.name.split(".")) > 2]
    if node.level == 1:  # from .x import y / from . import x
        return [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
    if node.level == 2 and node.module and node.module.startswith("planner"):  # from ..planner.x import y
        parts = node.module.split(".")
        return [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
    if node.level == 0 and node.module and node.module.startswith("makker.planner"):
        parts = node.module.split(".")
        return [parts[2]] if len(parts) > 2 else [a.name for a in node.names]
    return []


def _imports(name: str) -> tuple[set[str], set[str]]:
    """(planner modules imported at the top of ``name``, those imported anywhere else in it)."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    top = {m for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom) for m in _planner_module(node)}
    nested = {m for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
              and node not in tree.body for m in _planner_module(node)}
    return top, nested


def test_the_table_names_every_module():
    assert {p.stem for p in PACKAGE.glob("*.py")} == set(LAYERS)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_module_imports_only_from_lower_layers(name):
    top, _ = _imports(name)
    assert top <= set(LAYERS), f"{name} imports an unknown planner module: {top - set(LAYERS)}"
    upward = {m: LAYERS[m] for m in top if LAYERS[m] >= LAYERS[name]}
    assert not upward, f"{name} (layer {LAYERS[name]}) imports from layers at or above its own: {upward}"


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_no_planner_module_is_imported_inside_a_function(name):
    _, nested = _imports(name)
    assert not nested, f"{name} imports {sorted(nested)} inside a function or block"


def test_the_check_sees_lazy_and_upward_imports(tmp_path):
    """The parser finds what the checks are about (else they could not fail)."""
    source = "from .year import plan_year\nfrom ..planner import improve\n\ndef f():\n    from .rotation import x\n"
    tree = ast.parse(source)
    top = {m for node in tree.body if isinstance(node, ast.ImportFrom) for m in _planner_module(node)}
    nested = {m for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node not in tree.body
              for m in _planner_module(node)}
    assert top == {"year", "improve"} and nested == {"rotation"}


def test_the_architecture_doc_has_the_same_table():
    doc = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, layer in LAYERS.items():
        assert f"| {layer} | `{name}" in doc, f"docs/architecture.md: no row for {name} in layer {layer}"
