"""The publisher stays in the shape issue 21 gave it: no function over 120 lines, no module over
450, and no import circles among its modules (imports made only for type checking included)."""

from __future__ import annotations

import ast
from pathlib import Path

PUBLISHER = Path(__file__).parent.parent / "docs_confluence" / "publisher"
MODULES = {path.stem: ast.parse(path.read_text()) for path in sorted(PUBLISHER.glob("*.py"))}


def test_no_function_is_longer_than_120_lines():
    long = [
        f"{name}.py:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for name, tree in MODULES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 120
    ]
    assert long == []


def test_no_module_is_longer_than_450_lines():
    sizes = {name: len((PUBLISHER / f"{name}.py").read_text().splitlines()) for name in MODULES}
    assert {name: size for name, size in sizes.items() if size > 450} == {}


def imports(tree: ast.Module) -> set[str]:
    """The publisher modules *tree* imports, anywhere (in functions, under TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found.update(name.split(".")[0] for name in names if name.split(".")[0] in MODULES)
    return found


def test_no_import_circles():
    graph = {name: imports(tree) - {name} for name, tree in MODULES.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(graph[name])
        return False

    circles = sorted(
        (name, other) for name in graph for other in graph[name] if reaches(other, name)
    )
    assert circles == []
