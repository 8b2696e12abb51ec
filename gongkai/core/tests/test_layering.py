"""The dependency picture of docs/architecture.md, checked on the import graph of every module
(function-level imports included), and no import cycles among module-level imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gongkai

ROOT = Path(gongkai.__file__).resolve().parent

DOMAIN = {"catalog", "foi", "participation", "plans"}
BELOW = {"core", "orgs", "accounts"}
# Which top-level parts of gongkai each part may import (besides itself).
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "orgs": {"core", "accounts"},
    "catalog": BELOW,
    "foi": BELOW | {"catalog"},
    "participation": BELOW | {"catalog"},
    "plans": BELOW | {"catalog"},
    "reports": BELOW | DOMAIN,
    # the faces
    "portal": BELOW | DOMAIN | {"reports"},
    "api": BELOW | DOMAIN | {"reports", "portal"},
    "cli": BELOW | DOMAIN | {"reports", "demo"},
    "demo": BELOW | DOMAIN | {"reports"},
    "testing": BELOW,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{alias.name}" for alias in node.names]
            else:
                target = node.module or ""
                names = [f"{target}.{alias.name}" for alias in node.names]
            if target.startswith("gongkai"):
                found.add(target)
                found.update(n for n in names if n in MODULES)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gongkai"))
    return found


MODULES = _modules()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _violations(imports) -> list[str]:
    """For (module, imported modules) pairs: every import against ALLOWED."""
    wrong = []
    for name, targets in imports:
        part = _part(name)
        allowed = ALLOWED.get(part)
        if allowed is None:
            wrong.append(f"{name}: its part is not in ALLOWED (and docs/architecture.md)")
            continue
        for target in sorted(targets):
            other = _part(target)
            if other and other != part and other not in allowed:
                wrong.append(f"{name} imports {target}")
    return wrong


def test_every_import_follows_the_layering():
    imports = [
        (name, _imports(name, path, top_level_only=False))
        for name, path in sorted(MODULES.items())
        if "tests" not in name.split(".") and name != "gongkai"
    ]
    wrong = _violations(imports)
    assert wrong == [], "imports against the layering:\n" + "\n".join(wrong)


def test_the_layering_check_reports_a_wrong_import():
    planted = [
        ("gongkai.catalog.x", {"gongkai.foi.models", "gongkai.orgs.models"}),
        ("gongkai.core.y", {"gongkai.orgs.rules"}),
        ("gongkai.foi.z", {"gongkai.reports.counters"}),
        ("gongkai.newapp.w", set()),
    ]
    assert _violations(planted) == [
        "gongkai.catalog.x imports gongkai.foi.models",
        "gongkai.core.y imports gongkai.orgs.rules",
        "gongkai.foi.z imports gongkai.reports.counters",
        "gongkai.newapp.w: its part is not in ALLOWED (and docs/architecture.md)",
    ]


def test_no_cycles_among_module_level_imports():
    graph = {
        name: {
            t
            for t in _imports(name, path, top_level_only=True)
            if t in MODULES and t != name and not t.startswith(name + ".")  # a package, its parts
        }
        for name, path in MODULES.items()
    }
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


ISOLATED_IMPORTS = """
import os, sys, importlib, traceback
from gongkai.core.bootstrap import setup_django
setup_django()
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
print("FAILED:" + ",".join(failed))
"""


def test_each_module_imports_on_its_own():
    """Each module imported alone (a forked child of one interpreter where only Django is set
    up) loads: no module relies on another having been imported first."""
    names = sorted(n for n in MODULES if "tests" not in n.split(".") and n != "gongkai.testing")
    result = subprocess.run(
        [sys.executable, "-c", ISOLATED_IMPORTS, *names],
        capture_output=True,
        text=True,
        cwd=ROOT.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("FAILED:"), result.stdout[-500:] + result.stderr[-3000:]


def test_core_imports_no_other_app():
    for name, path in MODULES.items():
        if _part(name) == "core" and "tests" not in name.split("."):
            others = {_part(t) for t in _imports(name, path, top_level_only=False)} - {"core"}
            assert others == set(), f"{name} imports {others}"
