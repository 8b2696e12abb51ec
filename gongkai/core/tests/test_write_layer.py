"""Every state change goes through an actions module (docs/contributing.md): the faces — views,
the API, the command line, importers and the portal — never write models themselves. Read from
the syntax trees, so a new view that calls ``.save()`` fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai

ROOT = Path(gongkai.__file__).resolve().parent

WRITE_METHODS = {
    "create",
    "save",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# Calls named like writes that are not model writes (hashlib digests, dict.update …): name the
# receiver here when a face needs one.
NOT_MODEL_WRITES = {"digest.update"}


def _face(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    parts = rel.parts
    if "migrations" in parts or "tests" in parts:
        return False
    if parts[0] == "portal":
        return True
    name = path.stem
    return (
        name in {"views", "api", "cli", "importer", "importers", "importing"}
        or name.endswith("_views")
        or "views" in parts[:-1]
        or "importers" in parts[:-1]
    )


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


def writes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS:
            continue
        name = _dotted(node.func)
        if name in NOT_MODEL_WRITES or name.split(".", 1)[-1] in NOT_MODEL_WRITES:
            continue
        found.append((node.lineno, name))
    return found


def face_modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if _face(p))


def test_faces_are_found():
    names = {str(p.relative_to(ROOT)) for p in face_modules()}
    for expected in ("foi/views.py", "foi/importer.py", "catalog/api.py", "plans/cli.py"):
        assert expected in names


def test_no_model_writes_outside_the_actions():
    offenders = []
    for path in face_modules():
        for line, call in writes_in(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}:{line} {call}")
    assert offenders == [], "writes outside the actions layer:\n" + "\n".join(offenders)


def test_the_check_sees_a_planted_write():
    planted = (
        "def view(request):\n"
        "    Record.objects.filter(pk=1).update(title='x')\n"
        "    obj.save()\n"
        "    Thing.objects.get_or_create(name='y')\n"
        "    digest.update(b'ok')\n"
    )
    assert [call for _, call in writes_in(planted)] == [
        "Record.objects.filter().update",
        "obj.save",
        "Thing.objects.get_or_create",
    ]
