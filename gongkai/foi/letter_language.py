"""The restricted template language of letters (文书模板), edited by the office in the browser.

A letter template is Django template syntax with a short list of tags and filters, rendered by
an engine of its own (no `load`, `include`, `debug`, no custom tags) and fed only plain values —
strings, numbers, dates, and dicts/lists of them — copied from the objects through the
allow-list FIELDS. No model object, manager or setting reaches a template, so nothing can
be traversed from `requester` to a password hash or from anywhere to the settings.

check(text) runs when a template is saved: a tag, filter or field outside the lists is refused
with a Chinese message naming it. render(source, req, **extra) renders the stored or default
wording.

Adding a placeholder for letters means adding its name here (FIELDS, or PLAIN_EXTRAS for a
plain value the action passes); `test_default_templates_use_only_allowed_fields` checks the
default wordings against it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, Node, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode

if TYPE_CHECKING:
    from .models import InfoRequest

# --- The language ------------------------------------------------------------------------------

TAGS = ("if", "for", "with", "firstof", "comment", "spaceless", "templatetag")
FILTERS = (
    "add",
    "cut",
    "date",
    "default",
    "default_if_none",
    "first",
    "floatformat",
    "join",
    "last",
    "length",
    "lower",
    "slice",
    "time",
    "truncatechars",
    "truncatewords",
    "upper",
    "yesno",
)

register = Library()
for _name in TAGS:
    register.tag(_name, defaulttags.register.tags[_name])
for _name in FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]


class _LetterEngine(Engine):
    default_builtins = []  # not Django's tags and filters: only this module's `register`


ENGINE = _LetterEngine(
    builtins=["gongkai.foi.letter_language"],
    libraries={},
    dirs=[],
    app_dirs=False,
    loaders=[],
    string_if_invalid="",
)

# --- The fields --------------------------------------------------------------------------------
# A spec is LEAF (a plain value), a dict of named specs (an object), or [spec] (a list of them).

LEAF = "value"


def _leaves(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, LEAF)


_ORG_BRIEF = _leaves("pk", "name", "short_name", "address", "postcode", "phone", "email")
ORGANISATION = {
    **_leaves(
        "pk",
        "name",
        "short_name",
        "address",
        "postcode",
        "office_hours",
        "phone",
        "fax",
        "email",
        "review_body_name",
    ),
    "review_body": _ORG_BRIEF,
    "parent": _ORG_BRIEF,
}
FIELDS: dict[str, Any] = {
    "req": {
        **_leaves(
            "pk",
            "ref",
            "description",
            "doc_no",
            "kind",
            "get_kind_display",
            "info_form",
            "get_info_form_display",
            "delivery",
            "get_delivery_display",
            "channel",
            "get_channel_display",
            "arrived_at",
            "confirmed_at",
            "received_on",
            "due_on",
            "due_provisional",
            "finished_on",
            "outcome",
            "get_outcome_display",
            "outcome_reason",
            "extended",
        ),
        "organisation": ORGANISATION,
        "government": ORGANISATION,
    },
    "requester": _leaves(
        "name",
        "kind",
        "get_kind_display",
        "legal_representative",
        "contact_name",
        "phone",
        "email",
        "address",
        "postcode",
    ),
    "fee": _leaves(
        "scheme",
        "get_scheme_display",
        "quantity",
        "amount",
        "noticed_on",
        "pay_by",
        "pay_by_provisional",
    ),
    "due": _leaves("date", "provisional", "note"),
    "reply_by": _leaves("date", "provisional", "note"),
    "third_party": _leaves(
        "name",
        "address",
        "contact",
        "concerns",
        "asked_on",
        "reply_by",
        "reply_by_provisional",
        "answered_on",
        "answer",
        "get_answer_display",
        "opinion",
        "public_interest",
        "decision_reasons",
    ),
    "consultation": {
        **_leaves(
            "asked_on",
            "answered_on",
            "reply_by",
            "reply_by_provisional",
            "answer",
            "get_answer_display",
            "opinion",
        ),
        "organisation": ORGANISATION,
    },
    "clock": _leaves("due", "provisional", "provisional_note", "received_on", "start"),
    "reply": {
        **_leaves(
            "body",
            "legal_basis",
            "outcome",
            "outcome_display",
            "outcome_reason",
            "reasons",
            "path",
            "published_where",
            "published_url",
            "responsible_name",
            "responsible_contact",
        ),
        "records": [_leaves("id", "title", "index_no", "url")],
    },
}
# Plain values (text, numbers, dates) the actions pass as they are.
PLAIN_EXTRAS = (
    "text",
    "days",
    "reason",
    "old_due",
    "note",
    "due_on",
    "payment",
    "remedies",
    "path",
    "reasons",
    "published_where",
    "published_url",
    "responsible_name",
    "responsible_contact",
)
FORLOOP = _leaves("counter", "counter0", "revcounter", "revcounter0", "first", "last")

_PLAIN_TYPES = (str, int, float, Decimal, dt.date, bool)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    return str(value)


def _extract(value: Any, spec: Any) -> Any:
    """Copy of `value` with only the fields of `spec`, as plain values."""
    if value is None:
        return None
    if isinstance(spec, dict):
        out: dict[str, Any] = {}
        for name, sub in spec.items():
            item = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
            if callable(item) and sub == LEAF:  # get_x_display
                item = item()
            out[name] = _extract(item, sub)
        return out
    if isinstance(spec, list):
        return [_extract(item, spec[0]) for item in value]
    return _plain(value)


def context_for(req: InfoRequest, **extra: Any) -> dict[str, Any]:
    context = {"req": _extract(req, FIELDS["req"])}
    context["requester"] = _extract(req.requester, FIELDS["requester"])
    for name, value in extra.items():
        if name in FIELDS:
            context[name] = _extract(value, FIELDS[name])
        elif isinstance(value, _PLAIN_TYPES) or value is None:
            context[name] = value
    return context


def render(source: str, req: InfoRequest, /, **extra: Any) -> str:
    return ENGINE.from_string(source).render(Context(context_for(req, **extra))).strip()


# --- The check when saving ---------------------------------------------------------------------


def _scope() -> dict[str, Any]:
    return {**FIELDS, **dict.fromkeys(PLAIN_EXTRAS, LEAF)}


def _path_error(lookups: tuple[str, ...], scope: dict[str, Any]) -> str | None:
    shown = ".".join(lookups)
    if lookups[0] not in scope:
        return f"模板中的「{shown}」不是可用的字段。可用的字段：{'、'.join(sorted(_scope()))}。"
    spec = scope[lookups[0]]
    for part in lookups[1:]:
        if isinstance(spec, dict) and part in spec:
            spec = spec[part]
        elif isinstance(spec, list) and part.isdigit():
            spec = spec[0]
        else:
            return f"模板中的「{shown}」不是可用的字段（「{part}」不可使用）。"
    return None


def _spec_of(lookups: tuple[str, ...], scope: dict[str, Any]) -> Any:
    spec = scope[lookups[0]]
    for part in lookups[1:]:
        spec = spec[0] if isinstance(spec, list) else spec[part]
    return spec


def _variables(expression: FilterExpression) -> Iterator[tuple[str, ...]]:
    if isinstance(expression.var, Variable) and expression.var.lookups:
        yield expression.var.lookups
    for _func, args in expression.filters:
        for is_lookup, arg in args:
            if is_lookup and isinstance(arg, Variable) and arg.lookups:
                yield arg.lookups


def _condition_expressions(condition: Any) -> Iterator[FilterExpression]:
    if condition is None:
        return
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        yield value
    for side in ("first", "second"):
        part = getattr(condition, side, None)
        if part is not None:
            yield from _condition_expressions(part)


def _problems(nodelist: Iterable[Node | str], scope: dict[str, Any]) -> Iterator[str]:
    for node in nodelist:
        expressions: list[FilterExpression] = []
        if isinstance(node, VariableNode):
            expressions.append(node.filter_expression)
        elif isinstance(node, IfNode):
            for condition, body in node.conditions_nodelists:
                expressions.extend(_condition_expressions(condition))
                yield from _problems(body, scope)
        elif isinstance(node, ForNode):
            # A FilterExpression as parsed (the stubs also allow str).
            sequence_expr = node.sequence
            if isinstance(sequence_expr, FilterExpression):
                expressions.append(sequence_expr)
            inner = dict(scope, forloop=FORLOOP)
            sequence = sequence_expr.var if isinstance(sequence_expr, FilterExpression) else None
            if (
                isinstance(sequence, Variable)
                and sequence.lookups
                and _path_error(sequence.lookups, scope) is None
            ):
                spec = _spec_of(sequence.lookups, scope)
                item = spec[0] if isinstance(spec, list) else LEAF
                inner.update(dict.fromkeys(node.loopvars, item))
            yield from _problems(node.nodelist_loop, inner)
            yield from _problems(node.nodelist_empty, scope)
        elif isinstance(node, WithNode):
            # FilterExpressions as parsed (the stubs also allow str).
            expressions.extend(
                e for e in node.extra_context.values() if isinstance(e, FilterExpression)
            )
            inner = dict(scope)
            for name, expression in node.extra_context.items():
                var = expression.var if isinstance(expression, FilterExpression) else None
                lookups = var.lookups if isinstance(var, Variable) else None
                ok = lookups and not _path_error(lookups, scope)
                inner[name] = _spec_of(lookups, scope) if ok and lookups else LEAF
            yield from _problems(node.nodelist, inner)
        elif isinstance(node, FirstOfNode):
            expressions.extend(node.vars)
        elif isinstance(node, Node):
            for attr in node.child_nodelists:
                yield from _problems(getattr(node, attr, None) or [], scope)
        for expression in expressions:
            for lookups in _variables(expression):
                if lookups[0].startswith("_") or any(p.startswith("_") for p in lookups):
                    yield f"模板中的「{'.'.join(lookups)}」不是可用的字段。"
                    continue
                error = _path_error(lookups, scope)
                if error:
                    yield error


def check(text: str) -> list[str]:
    """The problems of a letter template, in Chinese (empty when it may be saved)."""
    try:
        template = ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        return [_syntax_message(exc)]
    return list(dict.fromkeys(_problems(template.nodelist, _scope())))


def _syntax_message(exc: TemplateSyntaxError) -> str:
    message = str(exc)
    quoted = re.search(r"'([^']+)'", message)
    name = quoted.group(1) if quoted else ""
    if message.startswith("Invalid block tag"):
        return f"模板中不能使用标签「{{% {name} %}}」。可用的标签：{'、'.join(TAGS)}。"
    if message.startswith("Variables and attributes may not begin with underscores"):
        return f"模板中的「{name}」不是可用的字段（不能以下划线开头）。"
    if message.startswith("Invalid filter"):
        return f"模板中不能使用过滤器「{name}」。可用的过滤器：{'、'.join(FILTERS)}。"
    return f"模板格式有误：{message}"
