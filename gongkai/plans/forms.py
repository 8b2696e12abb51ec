from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from gongkai.core.files import validate_upload
from gongkai.core.formfields import model_choice_field
from gongkai.orgs.models import Organisation
from gongkai.plans.importers import SUPPORTED

from .models import IndicatorMethod

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="Word（.docx/.doc/.wps）、Excel（.xlsx/.xls）或文本（.txt）格式的任务分解表或工作要点",
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="文件中没有年份时填写",
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="印发机关", queryset=None, empty_label=None
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not any(name.endswith(ext) for ext in SUPPORTED):
            raise ValidationError(f"不支持的文件格式。支持：{'、'.join(SUPPORTED)}。")
        if f.size > MAX_UPLOAD:
            raise ValidationError("文件超过 20MB。")
        validate_upload(f)
        return f


class ReportForm(forms.Form):
    text = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    reported_on = forms.DateField(
        label="报送日期", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    links = forms.CharField(
        label="佐证链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个：平台内信息的地址或任意网址",
    )
    attachment = forms.FileField(label="附件", required=False, validators=[validate_upload])

    def clean_reported_on(self):
        return self.cleaned_data.get("reported_on") or timezone.localdate()

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for i, link in enumerate(links, start=1):
            if link.startswith("/"):
                continue
            try:
                validate(link)
            except ValidationError as exc:
                raise ValidationError(f"第{i}个链接「{link}」不是有效的网址。") from exc
        return links


class CircularForm(forms.Form):
    period_start = forms.DateField(
        label="通报期开始", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(label="通报期截止", widget=forms.DateInput(attrs={"type": "date"}))


class IndicatorForm(forms.Form):
    name = forms.CharField(label="指标", max_length=200)
    weight = forms.DecimalField(label="分值", min_value=0.01, max_digits=6, decimal_places=2)
    method = forms.ChoiceField(label="计分方式", choices=IndicatorMethod.choices)
    deduction = forms.DecimalField(
        label="每项扣分", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    cap = forms.DecimalField(
        label="扣分上限", required=False, min_value=0, max_digits=6, decimal_places=2
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="核查说明", widget=forms.Textarea(attrs={"rows": 2}))
