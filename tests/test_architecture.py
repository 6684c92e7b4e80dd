"""The shape of the package: no import circles between fundledger's modules, and modules
small enough to read (issue 11).

The graph is what each module imports when it is itself imported: module-level ``import`` and
``from … import`` of ``fundledger.*`` (absolute or relative). Imports inside functions run
later, and those under ``if TYPE_CHECKING:`` never: neither can make a circle at import time.
A package's ``__init__`` running before its submodules is not counted as an edge (Python
always initialises the parent first); an ``__init__`` that imports a submodule is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fundledger

PACKAGE = Path(fundledger.__file__).resolve().parent
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: not in a def, not TYPE_CHECKING."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    walk(node.body)
                walk(node.orelse)
            elif isinstance(node, (ast.Try, ast.With)):
                walk(node.body)
                for handler in getattr(node, "handlers", ()):
                    walk(handler.body)
                walk(getattr(node, "orelse", []))
                walk(getattr(node, "finalbody", []))
            elif isinstance(node, ast.ClassDef):  # a class body runs at import
                walk(node.body)

    walk(tree.body)
    return found


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The fundledger modules ``node`` in ``module`` imports (a package's ``__init__`` too)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        # ``from .pkg import mod`` imports the submodule; ``from .mod import name``, the module
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]  # a name inside a module: the module itself
        if name.startswith("fundledger") and name != module:
            found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        graph[module] = set().union(*(_targets(module, n) for n in _top_level_imports(tree)))
    return graph


def _a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle in ``graph`` as ``[a, b, …, a]``, or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return path[path.index(nxt):] + [nxt]
            if nxt not in done:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        on_path.discard(path.pop())
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    assert "fundledger.handover" in graph["fundledger.fund"]       # relative, from . import
    assert "fundledger.cli_common" in graph["fundledger.cli_data"]
    assert {"fundledger.cli_data", "fundledger.cli_entry"} <= graph["fundledger.cli"]
    assert "fundledger.state" not in graph["fundledger.handover"]  # only under TYPE_CHECKING
    assert _a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_itself_back():
    assert _a_cycle(import_graph()) is None


def _long_modules() -> dict[str, int]:
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines())
               for name, path in MODULES.items()}
    return {name: n for name, n in sorted(lengths.items()) if n > MAX_LINES}


def test_no_module_is_over_450_lines():
    # a module over that is doing more than one job (issue 11): split it by job
    assert _long_modules() == {}
