"""The one way a view calls an action.

    done = run_action(request, lambda: actions.publish(request.user, record), success="已发布。")
    if done:
        return redirect(...)

A refusal because of who the user is (``ActionError(forbidden=True)``) becomes the 403 page; any
other refusal goes onto the form (on its field when the form has it) or, without a form, into a
flash message. On success the ``success`` message is flashed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.core.actions import ActionError


class ActionResult(NamedTuple):
    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def run_action(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    form: forms.BaseForm | None = None,
    success: str = "",
) -> ActionResult:
    """Call ``action()``; see the module docstring."""
    try:
        value = action()
    except ActionError as exc:
        if exc.forbidden:
            raise PermissionDenied(exc.message) from exc
        if form is not None:
            field = exc.field if exc.field in form.fields else None
            for message in exc.messages:
                form.add_error(field, message)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return ActionResult(False)
    if success:
        messages.success(request, success)
    return ActionResult(True, value)


def form_errors_to_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """Flash a bound form's errors, each prefixed with its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))
