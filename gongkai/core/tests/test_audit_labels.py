"""Every audit event code an action records has a Chinese label for the audit log."""

import ast
from pathlib import Path

import gongkai
from gongkai.core.audit_labels import EVENT_LABELS, event_label

ROOT = Path(gongkai.__file__).parent


def _strings(node):
    """The string constants a code expression can evaluate to (literals, both arms of a
    conditional; for foi's `_done(req, actor, "verb", …)` the verb prefixed with foi.)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def recorded_codes():
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "record" and len(node.args) >= 2:
                codes.update(_strings(node.args[1]))
            elif name == "_done" and len(node.args) >= 3 and "foi" in path.parts:
                codes.update(f"foi.{code}" for code in _strings(node.args[2]))
    return codes


def test_every_recorded_event_has_a_chinese_label():
    codes = recorded_codes()
    assert "catalog.record.approve" in codes and "foi.receive" in codes  # the scan works
    missing = sorted(code for code in codes if code not in EVENT_LABELS)
    assert missing == []


def test_label_of_known_and_unknown_codes():
    assert event_label("reports.publish") == "发布年度报告"
    assert event_label("catalog.record.approve") == "审核通过政府信息"
    assert event_label("plans.something_new") == "工作要点：plans.something_new"
