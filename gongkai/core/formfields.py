"""Typed access to a form's fields.

``form.fields`` maps names to plain ``forms.Field``; a form that narrows a choice field in its
``__init__`` (the organisations a user may act for, the clauses of a draft) reaches the field
through these helpers, which check the field's kind once instead of every caller guessing it::

    model_choice_field(self, "organisation").queryset = organisations
    choice_field(self, "clause").choices = [("", "整体意见"), *pairs]
"""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, a ModelChoiceField (or ModelMultipleChoiceField)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"form field {name!r} is a {type(field).__name__}, not a ModelChoiceField")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a ChoiceField (or one of its subclasses)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"form field {name!r} is a {type(field).__name__}, not a ChoiceField")
    return field
