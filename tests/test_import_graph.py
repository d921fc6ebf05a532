"""The package's import graph has no circles and no ``"package.module:function"`` wiring.

The graph is read from the source with ``ast`` (nothing is imported). An edge A → B means module A
names B in an ``import`` or ``from … import`` statement; ``from . import x`` points at the submodule
``x`` when there is one, otherwise at the package. Imports under ``if TYPE_CHECKING:`` are left out
(they never run). Two graphs are checked:

- module level: the imports that run when a module is first imported. A circle here is a bug
  waiting to happen (half-initialised modules) — none is allowed;
- all imports, those deferred inside functions included: a circle here is a dependency no reader
  can see from one side — none is allowed either.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = "lgf_desktop"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module) -> tuple[list[ast.stmt], list[ast.stmt]]:
    """(module-level import statements, imports inside functions and methods)."""
    top: list[ast.stmt] = []
    deferred: list[ast.stmt] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    walk_one(orelse, in_function)
                continue
            walk_one(child, in_function)

    def walk_one(child: ast.AST, in_function: bool) -> None:
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            (deferred if in_function else top).append(child)
        walk(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    walk(tree, False)
    return top, deferred


def _targets(statement: ast.stmt, module: str, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """The package's modules one import statement names."""
    names: set[str] = set()
    if isinstance(statement, ast.Import):
        candidates = [alias.name for alias in statement.names]
    else:
        assert isinstance(statement, ast.ImportFrom)
        if statement.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (statement.level - 1)]
            prefix = ".".join(base + ([statement.module] if statement.module else []))
        else:
            prefix = statement.module or ""
        candidates = []
        for alias in statement.names:
            submodule = f"{prefix}.{alias.name}"
            candidates.append(submodule if submodule in modules else prefix)
    for name in candidates:
        # ``import a.b.c`` of a name that is no module of ours: keep its longest known prefix.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name.startswith(PACKAGE) and name != module:
            names.add(name)
    return names


def import_graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module-level edges, all edges including deferred imports) of the whole package."""
    modules = package_modules()
    top_graph: dict[str, set[str]] = {}
    all_graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        top, deferred = _imports(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        is_package = path.name == "__init__.py"
        top_graph[module] = set().union(*(_targets(s, module, is_package, modules) for s in top))
        all_graph[module] = top_graph[module] | set().union(
            *(_targets(s, module, is_package, modules) for s in deferred))
    return top_graph, all_graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_reader_sees_relative_and_deferred_imports() -> None:
    top, every = import_graphs()
    assert "lgf_desktop.errors" in top["lgf_desktop.db"]  # from .errors import UserError
    assert "lgf_desktop.models" in top["lgf_desktop.db"]  # from .models import Setting (the package)
    assert "lgf_desktop.storage.sqlite.backups" not in top["lgf_desktop.storage.sqlite.backend"]  # imported inside prepare …
    assert "lgf_desktop.storage.sqlite.backups" in every["lgf_desktop.storage.sqlite.backend"]  # … and seen there


def test_a_circle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_circle() -> None:
    top, _ = import_graphs()
    assert cycles(top) == []


def test_no_import_circle_even_through_deferred_imports() -> None:
    _, every = import_graphs()
    assert cycles(every) == []


# "lgf_desktop.services.audit.demo:add_demo_audit" and the like: a dependency hidden in a string.
_WIRING = re.compile(r"""["']lgf_desktop(\.\w+)+:\w+["']""")


def test_no_module_function_strings_wire_the_package() -> None:
    found = [f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
             for path in sorted(ROOT.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if _WIRING.search(line)]
    assert found == []


def test_no_module_is_found_by_scanning_a_folder() -> None:
    found = [str(path.relative_to(ROOT.parent)) for path in sorted(ROOT.rglob("*.py"))
             if re.search(r"\bpkgutil\b|\bimport_module\(", path.read_text(encoding="utf-8"))]
    assert found == []
