"""The shape of the code: read from the source with ``ast``, no import.

- the modules of ``ckanext/cdm`` import one another without a circle (an
  import inside a function counts too: it hides a circle, it does not break
  it);
- library code never imports a view (``ckanext.cdm.views``): pages call
  library code, not the other way round;
- every action has an auth function of the same name, in the auth module of
  the same name as its action module.
"""

from __future__ import annotations

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "ckanext" / "cdm"
VIEWS = "ckanext.cdm.views"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, pathlib.Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, path: pathlib.Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The names ``node`` imports, absolute (``from . import x`` resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def import_graph() -> dict[str, set[str]]:
    """Each module of ckanext-cdm → the modules of ckanext-cdm it imports
    (``from ckanext.cdm import badges`` → ``ckanext.cdm.badges``;
    ``from ckanext.cdm.badges import Facts`` → ``ckanext.cdm.badges``)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            imported = _imported(name, path, node)
            if isinstance(node, ast.ImportFrom):
                # ``from package import module`` names the module; else the
                # names come from ``node.module`` itself (the last entry)
                imported = [i for i in imported[:-1] if i in known] or imported[-1:]
            for target in imported:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target.startswith("ckanext.cdm") and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
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
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read():
    graph = import_graph()
    assert "ckanext.cdm.badges" in graph["ckanext.cdm.badge_facts"]
    assert "ckanext.cdm.dates" in graph["ckanext.cdm.helpers"]


def test_a_circle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_modules_import_one_another_without_a_circle():
    assert cycles(import_graph()) == []


def test_no_library_module_imports_a_view():
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        if not name.startswith(VIEWS)
        for target in targets
        if target == VIEWS or target.startswith(VIEWS + ".")
    )
    assert wrong == []


def _public_cdm_functions(folder: str) -> dict[str, set[str]]:
    """Module file name → the ``cdm_`` functions it defines, read from the source."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / "logic" / folder).glob("*.py")):
        if path.name.startswith("_"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[path.stem] = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("cdm_")
        }
    return found


def test_auth_modules_mirror_action_modules():
    """``logic/auth/review.py`` holds the auth functions of exactly the
    actions of ``logic/action/review.py``."""
    assert _public_cdm_functions("auth") == _public_cdm_functions("action")


def test_every_registered_action_has_its_auth_function():
    from ckan import authz, logic

    from ckanext.cdm.logic import action, auth

    actions, auths = action.registered(), auth.registered()
    assert len(actions) > 40
    assert set(actions) == set(auths)
    for name in actions:
        assert logic.get_action(name) is not None
        assert name in authz.auth_functions_list()
