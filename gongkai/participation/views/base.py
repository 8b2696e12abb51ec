"""Helpers shared by the staff views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from gongkai.participation.actions import ParticipationError


def run(request, form, action, success: str):
    """Call action(); on ParticipationError put the message on the form (on its field when the
    form has it) and return None; on success flash `success` and return the result."""
    try:
        result = action()
    except ParticipationError as exc:
        if form is not None:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


def post_only_action(request, action, success: str, back: str):
    """For button-only POSTs (publish, close …): errors become a flash message."""
    run(request, None, action, success)
    return redirect(back)


def form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)
