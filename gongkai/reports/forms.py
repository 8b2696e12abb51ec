"""Forms of the report pages: reviews and lawsuits not tied to one request (table 四)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkai.core.formfields import model_choice_field
from gongkai.foi.models import ReviewKind, ReviewResult
from gongkai.orgs.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class CaseForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="被申请人（被告）机关", queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label="类型", choices=ReviewKind.choices)
    filed_on = forms.DateField(label="立案（受理）日期", widget=DateInput)
    subject = forms.CharField(
        label="案由", max_length=300, help_text="如：逾期未答复政府信息公开申请（不作为）"
    )
    inaction = forms.BooleanField(label="属于不作为案件", required=False)
    case_no = forms.CharField(label="案号", max_length=100, required=False)
    body = forms.CharField(label="复议机关或法院、简要情况", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "organisation")
        field.queryset = organisations
        field.empty_label = "请选择"


class CaseDecisionForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=ReviewResult.choices)
    decided_on = forms.DateField(label="审结日期", widget=DateInput, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)
