"""The modules of components/ import each other without a cycle, counting every import in a file
(at module level and inside functions alike): a cycle hidden in a function is still a cycle."""

from __future__ import annotations

import ast

from core import paths

COMPONENTS = paths.ROOT / "components"


def _imported(tree: ast.AST, modules: set[str]) -> set[str]:
    """The components modules a parsed file imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from components import a, b" imports modules; "from components.a import x" one.
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        elif isinstance(node, ast.ImportFrom):  # relative: "from . import a", "from .a import x"
            base = "components" + (f".{node.module}" if node.module else "")
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "components" and len(parts) > 1 and parts[1] in modules:
                found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    files = {path.stem: path for path in sorted(COMPONENTS.glob("*.py")) if path.stem != "__init__"}
    return {name: _imported(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), set(files)) - {name}
            for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None (depth-first search, white/grey/black)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    tree = ast.parse("from components import b\n\ndef f():\n    from components.a import x\n")
    assert _imported(tree, {"a", "b", "c"}) == {"a", "b"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_components_import_each_other_without_a_cycle():
    graph = import_graph()
    assert {"frame", "widgets", "boundary", "compat", "live", "lesson_bar"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in components/: " + " → ".join(cycle)
