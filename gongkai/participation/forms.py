"""Forms: the public forms (captcha, idempotency key) and the staff forms."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django import forms

from gongkai.core.files import validate_upload
from gongkai.core.formfields import choice_field, model_choice_field
from gongkai.core.public_forms import HumanCheckMixin
from gongkai.orgs.models import Organisation
from gongkai.participation.actions.consultations import EDITABLE_FIELDS
from gongkai.participation.models import (
    AdjustmentKind,
    Channel,
    Complaint,
    ConcernRelease,
    ConcernResponse,
    Consultation,
    Decision,
    Disposition,
    Hearing,
    InstitutionSector,
    Mailbox,
    OpenDay,
    ParticipantRole,
    Proposal,
    ProposalResult,
    StepStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, **kwargs
    )


# --- Public forms -----------------------------------------------------------------------------


class IdempotentForm(forms.Form):
    """A hidden key made when the form is shown; the same key submitted twice makes one row."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class CommentForm(HumanCheckMixin, IdempotentForm):
    clause = forms.ChoiceField(label="针对条款", required=False)
    body = forms.CharField(
        label="意见内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    author_name = forms.CharField(label="姓名（选填，公开时隐去）", max_length=100, required=False)
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=200, required=False)

    def __init__(self, *args, clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "clause").choices = [("", "整体意见")] + [(c, c) for c in clauses]
        if not clauses:
            del self.fields["clause"]


class EnquiryForm(HumanCheckMixin, IdempotentForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="咨询单位", queryset=None, empty_label="请选择"
    )
    subject = forms.CharField(label="咨询标题", max_length=200)
    policy_title = forms.CharField(label="所咨询的政策文件（选填）", max_length=200, required=False)
    question = forms.CharField(
        label="咨询内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    asker_name = forms.CharField(label="姓名（不公开）", max_length=100)
    contact = forms.CharField(label="联系方式（不公开）", max_length=200)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class MessageForm(HumanCheckMixin, IdempotentForm):
    mailbox = forms.ChoiceField(label="渠道", choices=Mailbox.choices)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="写信对象", queryset=None, empty_label="请选择"
    )
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="留言内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    writer_name = forms.CharField(label="姓名（不公开）", max_length=100)
    phone = forms.CharField(label="联系电话（不公开）", max_length=30)
    email = forms.EmailField(
        label="电子邮箱（选填，不公开）",
        required=False,
        max_length=254,  # the column's length (forms.EmailField allows 320)
        error_messages={"max_length": "电子邮箱地址过长（不超过 254 个字符）。"},
    )
    consent_to_publish = forms.BooleanField(
        label="同意在网站公开留言及答复（姓名隐去，个人信息不公开）", required=False
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class PublicComplaintForm(HumanCheckMixin, IdempotentForm):
    institution_name = forms.CharField(
        label="被申诉单位", max_length=200, help_text="如学校、医院、供水供电供气企业、公交公司"
    )
    sector = forms.ChoiceField(label="领域", choices=InstitutionSector.choices)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="主管部门", queryset=None, empty_label="请选择"
    )
    content = forms.CharField(
        label="申诉内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    complainant_name = forms.CharField(label="姓名（不公开）", max_length=100)
    contact = forms.CharField(label="联系方式（不公开）", max_length=200)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class SignupForm(HumanCheckMixin, IdempotentForm):
    name = forms.CharField(label="姓名", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=30)
    affiliation = forms.CharField(label="单位或身份（选填）", max_length=200, required=False)


# --- Staff forms ------------------------------------------------------------------------------


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class OrganisationChoiceMixin(_FormBase):
    """Limits the `organisation` field to the organisations the user may act for."""

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields and organisations is not None:
            model_choice_field(self, "organisation").queryset = organisations


class ConsultationForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="征集单位", queryset=None, empty_label="请选择"
    )

    class Meta:
        model = Consultation
        fields = ["organisation", *EDITABLE_FIELDS]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "draft_text": forms.Textarea(attrs={"rows": 10}),
            "clauses": forms.Textarea(attrs={"rows": 4}),
            "shortened_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "decision").queryset = (
            decisions if decisions is not None else Decision.objects.none()
        )
        for name in ("draft_file", "explanation_file"):
            if name in self.fields:
                self.fields[name].validators.append(validate_upload)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(ReasonForm):
    new_closes_on = forms.DateField(label="新的截止日期", widget=DATE)


class StaffCommentForm(forms.Form):
    channel = forms.ChoiceField(
        label="来源渠道", choices=[c for c in Channel.choices if c[0] != Channel.PORTAL]
    )
    clause = forms.CharField(label="针对条款", max_length=200, required=False)
    body = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 4}))
    author_name = forms.CharField(label="提出人", max_length=100, required=False)
    contact = forms.CharField(label="联系方式", max_length=200, required=False)


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(label="采纳情况", choices=Disposition.choices)
    topic = forms.CharField(label="意见归类", max_length=100, required=False)
    reason = forms.CharField(
        label="理由（未采纳、部分采纳时必填）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ModerationForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "通过"), ("0", "认定为无效意见")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class FeedbackForm(forms.Form):
    summary = forms.CharField(
        label="意见采纳情况总体说明", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="目录名称（留空自动生成）", max_length=200, required=False)


class PublishCatalogueForm(forms.Form):
    party_consent_on = forms.DateField(label="同级党委同意日期", widget=DATE)


class DecisionForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="决策承办单位", queryset=None, empty_label="请选择"
    )
    reason = forms.CharField(
        label="调整理由（目录发布后新增事项时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Decision
        fields = [
            "title",
            "description",
            "organisation",
            "planned_time",
            "planned_by",
            "hearing_required",
        ]
        widgets = {"planned_by": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class AdjustForm(OrganisationChoiceMixin, forms.Form):
    kind = forms.ChoiceField(
        label="调整类型",
        choices=[c for c in AdjustmentKind.choices if c[0] != AdjustmentKind.ADDED],
    )
    title = forms.CharField(label="决策事项名称", max_length=200)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="决策承办单位", queryset=None
    )
    planned_time = forms.CharField(label="计划决策时间", max_length=50)
    planned_by = forms.DateField(label="计划完成日期", widget=DATE, required=False)
    hearing_required = forms.BooleanField(label="是否需要听证", required=False)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=StepStatus.choices)
    started_on = forms.DateField(label="开始日期", widget=DATE, required=False)
    completed_on = forms.DateField(label="完成日期", widget=DATE, required=False)
    consultation: forms.ModelChoiceField[Consultation] = forms.ModelChoiceField(
        label="关联征求意见", queryset=None, required=False
    )
    hearing: forms.ModelChoiceField[Hearing] = forms.ModelChoiceField(
        label="关联听证", queryset=None, required=False
    )
    evidence_title = forms.CharField(label="佐证材料名称", max_length=200, required=False)
    evidence_url = forms.URLField(
        label="佐证材料链接（已公开的文件）", required=False, assume_scheme="https"
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, consultations=None, hearings=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "consultation").queryset = consultations
        model_choice_field(self, "hearing").queryset = hearings


class ResultForm(forms.Form):
    result_title = forms.CharField(label="决策结果（文件名称）", max_length=200)
    result_url = forms.URLField(label="决策结果链接", assume_scheme="https")


class HearingForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="组织单位", queryset=None, empty_label="请选择"
    )
    held_at = _datetime_field("举行时间")

    class Meta:
        model = Hearing
        fields = [
            "organisation",
            "kind",
            "title",
            "decision",
            "subject",
            "held_at",
            "place",
            "selection_method",
            "materials_sent_on",
        ]
        widgets = {
            "materials_sent_on": DATE,
            "subject": forms.Textarea(attrs={"rows": 3}),
            "selection_method": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "decision").queryset = (
            decisions if decisions is not None else Decision.objects.none()
        )


class ParticipantForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=100)
    affiliation = forms.CharField(label="身份或单位", max_length=200, required=False)
    role = forms.ChoiceField(label="角色", choices=ParticipantRole.choices)
    opinion = forms.CharField(
        label="发表的意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    handling = forms.CharField(
        label="意见处理情况", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label="意见采纳情况说明", widget=forms.Textarea(attrs={"rows": 3}))


class MaterialsForm(forms.Form):
    sent_on = forms.DateField(label="材料送达参加人日期", widget=DATE)


class OpenDayForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="承办单位", queryset=None, empty_label="请选择"
    )
    starts_at = _datetime_field("开始时间")
    ends_at = _datetime_field("结束时间")
    signup_closes_at = _datetime_field("报名截止时间")

    class Meta:
        model = OpenDay
        fields = [
            "organisation",
            "title",
            "theme",
            "description",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "signup_closes_at",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InviteForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    affiliation = forms.CharField(label="单位或身份", max_length=200, required=False)


class SuggestionForm(OrganisationChoiceMixin, forms.Form):
    raised_by = forms.CharField(label="提出人", max_length=100, required=False)
    content = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 3}))
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="承办单位", queryset=None
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label="同时公开", required=False)


class RouteForm(OrganisationChoiceMixin, forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="分办至", queryset=None
    )


class ProposalForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="主办单位", queryset=None, empty_label="请选择"
    )

    class Meta:
        model = Proposal
        fields = [
            "organisation",
            "kind",
            "session",
            "number",
            "title",
            "proposer",
            "co_organisers",
            "assigned_on",
            "due_on",
        ]
        widgets = {"assigned_on": DATE, "due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = False
        self.fields["due_on"].help_text = "留空按交办后3个月计算"


class ProposalReplyForm(forms.Form):
    replied_on = forms.DateField(label="办复日期", widget=DATE)
    result = forms.ChoiceField(label="办理结果", choices=ProposalResult.choices)
    reply_summary = forms.CharField(label="答复摘要", widget=forms.Textarea(attrs={"rows": 4}))


class ConcernForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="涉事责任部门", queryset=None, empty_label="请选择"
    )
    detected_at = _datetime_field("发现时间")

    class Meta:
        model = ConcernResponse
        fields = ["organisation", "title", "kind", "source", "summary", "detected_at"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ReleaseForm(forms.ModelForm):
    at = _datetime_field("回应时间")
    url = forms.URLField(label="链接", required=False, assume_scheme="https")

    class Meta:
        model = ConcernRelease
        fields = ["kind", "at", "channel", "content", "url"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}


class ComplaintForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="主管部门", queryset=None, empty_label="请选择"
    )

    class Meta:
        model = Complaint
        fields = [
            "organisation",
            "institution_name",
            "sector",
            "complainant_name",
            "contact",
            "content",
            "received_on",
        ]
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 4})}


class ComplaintResultForm(forms.Form):
    handled_on = forms.DateField(label="办结日期", widget=DATE)
    result = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(HumanCheckMixin, forms.Form):
    """A citizen follows up an enquiry or a message: its tracking code and the phone or e-mail
    given with it."""

    tracking_code = forms.CharField(label="查询码", max_length=16)
    contact = forms.CharField(
        label="提交时填写的联系电话或电子邮箱", max_length=254, help_text="用于核实您的身份。"
    )
