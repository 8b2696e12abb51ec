"""Staff forms of the catalogue (parse and validate only; actions do the rest)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.catalog.actions import EDITABLE_RECORD_FIELDS
from gongkai.catalog.models import (
    Attribute,
    Column,
    Interpretation,
    InterpretationKind,
    Record,
    StandardCatalogue,
    Status,
    Validity,
)
from gongkai.core.files import validate_upload
from gongkai.core.formfields import model_choice_field
from gongkai.orgs.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.ModelForm):
    publisher: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, label="发布机构", required=False
    )

    class Meta:
        model = Record
        fields = EDITABLE_RECORD_FIELDS
        widgets = {
            "written_on": DATE,
            "made_on": DATE,
            "effective_on": DATE,
            "expires_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
            "interpretation_exempt_reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": "请填写标题。"},
            "made_on": {"required": "请填写信息形成日期。"},
        }

    def __init__(self, *args, publishers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if publishers is None:
            del self.fields["publisher"]
            org_id = self.instance.publisher_id
        else:
            model_choice_field(self, "publisher").queryset = publishers
            self.fields["publisher"].required = True
            self.fields["publisher"].error_messages["required"] = "请选择发布机构。"
            first = publishers.first()
            org_id = first.pk if first else None
            self.initial.setdefault("made_on", timezone.localdate())
            if first:
                self.initial.setdefault("publisher", first.pk)
        gov_orgs = [org_id] if org_id else []
        model_choice_field(self, "column").queryset = Column.objects.filter(
            organisation_id__in=gov_orgs
        )
        model_choice_field(self, "catalogue").queryset = StandardCatalogue.objects.filter(
            organisation_id__in=gov_orgs
        )
        self.fields["interpretation_plan"].required = False
        self.fields["made_on"].help_text = "20个工作日的公开时限从此日起算（条例第26条）。"

    def clean(self):
        super().clean()
        data = self.cleaned_data
        attribute = data.get("attribute")
        if attribute and attribute != Attribute.PROACTIVE:
            if not (data.get("attribute_reason") or "").strip():
                self.add_error("attribute_reason", "依申请公开或不予公开须填写理由。")
            if not (data.get("attribute_basis") or "").strip():
                self.add_error("attribute_basis", "依申请公开或不予公开须填写法律依据。")
        if (
            data.get("interpretation_plan") == "exempt"
            and not (data.get("interpretation_exempt_reason") or "").strip()
        ):
            self.add_error("interpretation_exempt_reason", "免于解读须说明理由。")
        return data

    def action_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "publisher"}
        data["interpretation_plan"] = data.get("interpretation_plan") or ""
        return data


class InterpretationForm(forms.ModelForm):
    video_url = forms.URLField(
        label="视频链接",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "请输入有效的视频链接（http 或 https 开头）。"},
    )
    questions = forms.CharField(
        label="问答（每两行为一组：问、答）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Interpretation
        fields = ["title", "kind", "body", "video_url", "interpreter"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "title": {"required": "请填写解读标题。"},
            "video_url": {"invalid": "请输入有效的视频链接（http 或 https 开头）。"},
        }

    def qa_pairs(self) -> list[tuple[str, str]]:
        lines = [
            ln.strip()
            for ln in (self.cleaned_data.get("questions") or "").splitlines()
            if ln.strip()
        ]
        return [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == InterpretationKind.VIDEO and not data.get("video_url"):
            self.add_error("video_url", "视频解读须填写视频链接。")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写理由。"},
    )


class AttributeForm(forms.Form):
    """Re-deciding the disclosure attribute (条例第18条 periodic review)."""

    attribute = forms.ChoiceField(label="公开属性", choices=Attribute.choices)
    reason = forms.CharField(
        label="不公开理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    basis = forms.CharField(label="法律依据", required=False)


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="定时发布时间（留空则立即发布）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": "请输入有效的日期和时间。"},
    )


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on = forms.DateField(label="变更日期", required=False, widget=DATE)
    by_record = forms.ModelChoiceField(
        queryset=Record.objects.none(), required=False, label="修改或废止它的文件"
    )
    note = forms.CharField(label="说明", required=False)

    def __init__(self, *args, government=None, **kwargs):
        super().__init__(*args, **kwargs)
        if government is not None:
            model_choice_field(self, "by_record").queryset = Record.objects.filter(
                government=government, status=Status.PUBLISHED
            ).only("id", "title")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件", error_messages={"required": "请选择文件。"}, validators=[validate_upload]
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx 或 .xls）", required=False, validators=[validate_upload]
    )
    publisher: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None,
        label="发布机构（表中没有“发布机构”列时使用）",
        error_messages={"required": "请选择发布机构。"},
    )

    def __init__(self, *args, publishers=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "publisher").queryset = publishers
