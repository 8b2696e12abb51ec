"""Forms: the requester's details (shared by the public form and staff registration), and one
small form per action on the request page. Every message is Chinese."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files import File
from django.core.validators import FileExtensionValidator

from gongkai.core.files import validate_upload
from gongkai.core.formfields import choice_field, model_choice_field
from gongkai.core.public_forms import HumanCheckMixin
from gongkai.orgs.models import Organisation

from . import clock as clock_mod
from .actions import RequestData, RequesterData
from .actions.retention import retention_days as id_proof_retention_days
from .models import (
    OUTCOME_REASONS,
    Channel,
    ConsultationAnswer,
    CorrectionResult,
    Delivery,
    DeliveryChannel,
    FeeScheme,
    IdType,
    InfoForm,
    Outcome,
    ReplyPath,
    RequesterKind,
    RequestKind,
    ReviewKind,
    ReviewResult,
    ThirdPartyAnswer,
    reason_value,
    resolve_reason,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from gongkai.accounts.models import User

    from .models import Letter, ReviewCase

MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = ["jpg", "jpeg", "png", "pdf", "doc", "docx", "ofd"]
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
PERSON_ID_TYPES = {IdType.RESIDENT_ID, IdType.PASSPORT, IdType.HK_MACAO, IdType.TAIWAN}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-character 居民身份证号码."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def _file_size(f: File[Any] | None) -> None:
    if f and f.size > MAX_UPLOAD:
        raise forms.ValidationError("文件不能超过 10MB。")


def _cleaned(form: forms.BaseForm, returned: dict[str, Any] | None) -> dict[str, Any]:
    """What a parent's clean() leaves, as Django's _clean_form takes it: the dict it returned,
    or (None) the form's cleaned_data unchanged."""
    return returned if returned is not None else form.cleaned_data


class DateInput(forms.DateInput):
    input_type = "date"


class RequesterFields(forms.Form):
    requester_kind = forms.ChoiceField(label="申请人类型", choices=RequesterKind.choices)
    name = forms.CharField(label="姓名或单位名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=64)
    legal_representative = forms.CharField(
        label="法定代表人（法人或其他组织填写）", max_length=100, required=False
    )
    contact_name = forms.CharField(
        label="联系人（法人或其他组织填写）", max_length=100, required=False
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,  # the column's length (forms.EmailField allows 320)
        error_messages={
            "invalid": "请输入有效的电子邮箱地址。",
            "max_length": "电子邮箱地址过长（不超过 254 个字符）。",
        },
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    kind = forms.ChoiceField(label="申请类型", choices=RequestKind.choices, initial="disclosure")
    description = forms.CharField(
        label="所需政府信息的名称或内容描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="请尽量写明信息的名称、文号或者便于查询的其他特征性描述。",
    )
    doc_no = forms.CharField(label="文号（如知道）", max_length=200, required=False)
    info_form = forms.ChoiceField(
        label="所需信息的形式", choices=InfoForm.choices, initial="electronic"
    )
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices, initial="online")

    def clean_id_number(self) -> str:
        number: str = self.cleaned_data["id_number"]
        return number.strip().upper().replace(" ", "")

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("请输入有效的联系电话（7–20 位数字）。")
        return phone

    def clean(self) -> dict[str, Any]:
        data = _cleaned(self, super().clean())
        kind, id_type, number = (
            data.get("requester_kind"),
            data.get("id_type"),
            data.get("id_number", ""),
        )
        if kind == RequesterKind.NATURAL_PERSON and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", "自然人请选择个人身份证件。")
        if kind and kind != RequesterKind.NATURAL_PERSON and id_type in PERSON_ID_TYPES:
            self.add_error("id_type", "法人或其他组织请选择统一社会信用代码或其他证件。")
        if id_type == IdType.RESIDENT_ID and number and not resident_id_ok(number):
            self.add_error("id_number", "居民身份证号码不正确，请核对（18 位，最后一位可为 X）。")
        if id_type == IdType.CREDIT_CODE and number and not re.fullmatch(r"[0-9A-Z]{18}", number):
            self.add_error("id_number", "统一社会信用代码应为 18 位数字或大写字母。")
        if not (data.get("phone") or data.get("email") or data.get("address")):
            self.add_error("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件获取时请填写电子邮箱。")
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", "选择邮寄时请填写通信地址。")
        return data

    def requester_data(self) -> RequesterData:
        d = self.cleaned_data
        return RequesterData(
            kind=d["requester_kind"],
            name=d["name"].strip(),
            id_type=d["id_type"],
            id_number=d["id_number"],
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            address=d.get("address", "").strip(),
            postcode=d.get("postcode", "").strip(),
            contact_name=d.get("contact_name", "").strip(),
            legal_representative=d.get("legal_representative", "").strip(),
        )

    def request_data(self) -> RequestData:
        d = self.cleaned_data
        return RequestData(
            description=d["description"].strip(),
            doc_no=d.get("doc_no", "").strip(),
            info_form=d["info_form"],
            delivery=d["delivery"],
            kind=d["kind"],
        )


def _org_field(
    queryset: QuerySet[Organisation] | None,
    label: str = "受理机关",
    empty_label: str | None = None,
) -> forms.ModelChoiceField[Organisation]:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        empty_label=empty_label,
        error_messages={
            "invalid_choice": "请选择列表中的机关。",
            "required": f"请选择{label}。",
        },
    )


class ApplyForm(HumanCheckMixin, RequesterFields):
    """The public application form (条例第29条)."""

    organisation = forms.ModelChoiceField(
        label="向哪个机关申请", queryset=Organisation.objects.none()
    )
    id_proof = forms.FileField(
        label="身份证明（图片或 PDF）",
        validators=[FileExtensionValidator(UPLOAD_EXTENSIONS), _file_size, validate_upload],
        error_messages={"required": "请上传身份证明（身份证、营业执照等）的图片或 PDF。"},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    field_order = ["organisation"]

    def __init__(
        self,
        *args: Any,
        government: Organisation | int | None = None,
        kept_id_proof: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "id_proof"
        ].help_text = f"仅用于核实申请人身份；申请办结 {id_proof_retention_days()} 天后删除。"
        self.fields["organisation"] = _org_field(
            Organisation.objects.in_government(government).active().order_by("order", "id"),
            "向哪个机关申请",
            empty_label="请选择",
        )
        if kept_id_proof:
            self.keep_id_proof(kept_id_proof)

    def keep_id_proof(self, name: str) -> None:
        """The ID proof was received with an earlier try (core.pending_uploads): no need to
        choose it again."""
        field = self.fields["id_proof"]
        field.required = False
        field.help_text = f"已收到身份证明文件「{name}」，无需重新选择；如需更换，请重新选择文件。"
        # A bound field copies the help text. _bound_fields_cache is Django's private cache,
        # which the stubs do not declare.
        self._bound_fields_cache.pop("id_proof", None)  # type: ignore[attr-defined]


class RegisterForm(RequesterFields):
    """Staff registration of a visit, a letter, a fax or an e-mail."""

    organisation = forms.ModelChoiceField(label="办理机关", queryset=Organisation.objects.none())
    channel = forms.ChoiceField(
        label="申请渠道",
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
    )
    signed_for = forms.BooleanField(label="信函需签收（挂号信、快递等）", required=False)
    arrived_on = forms.DateField(label="送达或提交日期", widget=DateInput)
    confirmed_on = forms.DateField(
        label="确认日期（平常信函、传真、电子邮件：与申请人确认之日）",
        widget=DateInput,
        required=False,
    )
    id_proof = forms.FileField(
        label="身份证明（可选）",
        required=False,
        validators=[FileExtensionValidator(UPLOAD_EXTENSIONS), _file_size, validate_upload],
    )

    field_order = ["organisation", "channel", "signed_for", "arrived_on", "confirmed_on"]

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _org_field(organisations, "办理机关")


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(label="确认日期", widget=DateInput, required=False)


class AssignForm(forms.Form):
    officer: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="承办人", queryset=None, empty_label="请选择"
    )

    def __init__(self, *args: Any, officers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "officer").queryset = officers


class TransferForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="转至机关", queryset=None
    )
    note = forms.CharField(label="转办说明", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class CorrectionRequestForm(forms.Form):
    text = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.IntegerField(
        label="补正期限（工作日）",
        min_value=1,
        max_value=60,
        initial=clock_mod.DEFAULT_CORRECTION_DAYS,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsultationForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="征求意见的机关", queryset=None
    )
    note = forms.CharField(label="征求意见事项", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class ThirdPartyForm(forms.Form):
    name = forms.CharField(label="第三方名称或姓名", max_length=200)
    concerns = forms.CharField(
        label="涉及第三方的信息（写入征询函）", widget=forms.Textarea(attrs={"rows": 2})
    )
    address = forms.CharField(label="第三方通信地址", max_length=300, required=False)
    contact = forms.CharField(label="第三方联系方式", max_length=100, required=False)


class ThirdPartyEndForm(forms.Form):
    answer = forms.ChoiceField(
        label="第三方意见", choices=ThirdPartyAnswer.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label="意见及理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConsultationEndForm(forms.Form):
    answer = forms.ChoiceField(
        label="会商意见", choices=ConsultationAnswer.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PublicInterestForm(forms.Form):
    reasons = forms.CharField(
        label="决定公开的理由（书面告知第三方）", widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonsRequestForm(forms.Form):
    text = forms.CharField(
        label="数量、频次明显超过合理范围的情况", widget=forms.Textarea(attrs={"rows": 2})
    )
    days = forms.IntegerField(
        label="说明理由的期限（工作日）", min_value=1, max_value=30, initial=10
    )


class ReasonsDecisionForm(forms.Form):
    reasonable = forms.TypedChoiceField(
        label="申请理由",
        choices=[
            ("no", "未说明理由或理由不合理（不予处理-4）"),
            ("yes", "理由合理，另定延迟答复期限"),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(label="延迟答复期限", widget=DateInput, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FeeForm(forms.Form):
    scheme = forms.ChoiceField(label="计收方式（每件申请只能选择一种）", choices=FeeScheme.choices)
    pages = forms.IntegerField(label="页数（按量计收时填写）", min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = _cleaned(self, super().clean())
        if data.get("scheme") == FeeScheme.BY_PAGES and data.get("pages") is None:
            self.add_error("pages", "按量计收时请填写页数。")
        return data


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="缴费日期", widget=DateInput, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(
        label="延长工作日数（最多 20 个）",
        min_value=1,
        max_value=clock_mod.MAX_EXTENSION_DAYS,
        initial=clock_mod.MAX_EXTENSION_DAYS,
        error_messages={
            "max_value": "延长期限最长 20 个工作日。",
            "min_value": "延长期限至少 1 个工作日。",
        },
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveExtensionForm(forms.Form):
    days = forms.IntegerField(
        label="批准延长工作日数",
        min_value=1,
        max_value=clock_mod.MAX_EXTENSION_DAYS,
        required=False,
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def reason_choices(outcome: str = "") -> list[tuple[str, Any]]:
    """The reasons grouped by outcome, each with a value unique across outcomes
    (「不予公开-1」); only the chosen outcome's group when one is given."""
    choices: list[tuple[str, Any]] = [("", "（无细分理由）")]
    for key, reasons in OUTCOME_REASONS.items():
        if outcome and outcome != key:
            continue
        label = Outcome(key).label
        group = [(reason_value(key, i), f"{label}—{i}.{text}") for i, text in enumerate(reasons, 1)]
        choices.append((label, group))
    return choices


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果", choices=[("", "请选择"), *Outcome.choices], required=False
    )
    outcome_reason = forms.ChoiceField(
        label="具体理由（不予公开、无法提供、不予处理、其他处理须选择，须与所选结果配套）",
        choices=reason_choices,
        required=False,
    )
    path = forms.ChoiceField(
        label="答复情形（条例第三十六条第（一）、（四）、（五）项）",
        choices=[("", "—"), *ReplyPath.choices],
        required=False,
    )
    correction_result = forms.ChoiceField(
        label="更正申请处理结果（更正申请填写）",
        choices=[("", "—"), *CorrectionResult.choices],
        required=False,
    )
    reasons = forms.CharField(
        label="不予公开的内容及理由（部分公开、不予公开必填）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    published_where = forms.CharField(
        label="已公开的位置（第（一）项：如“济宁市人民政府门户网站—政府信息公开—法定主动公开内容”）",
        max_length=300,
        required=False,
    )
    published_url = forms.URLField(
        label="已公开信息的链接（第（一）项）",
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    responsible_name = forms.CharField(
        label="负责公开的机关（第（五）项）", max_length=200, required=False
    )
    responsible_contact = forms.CharField(
        label="负责公开机关的联系方式（第（五）项）", max_length=300, required=False
    )
    legal_basis = forms.CharField(label="法律依据（留空使用默认）", max_length=300, required=False)
    record_index_nos = forms.CharField(
        label="提供或链接的政府信息（索引号，多个用逗号分隔）",
        max_length=1000,
        required=False,
    )
    body = forms.CharField(
        label="答复正文（留空按所选结果的模板生成）",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A fresh form for a saved outcome offers only that outcome's reasons; a posted form
        # keeps them all, so a mismatch gets the message of clean() below.
        outcome = "" if self.is_bound else self.initial.get("outcome", "")
        if outcome in OUTCOME_REASONS:
            choice_field(self, "outcome_reason").choices = reason_choices(outcome)

    def clean(self) -> dict[str, Any]:
        data = _cleaned(self, super().clean())
        try:
            data["outcome"], data["outcome_reason"] = resolve_reason(
                data.get("outcome") or "", data.get("outcome_reason")
            )
        except ValueError as exc:
            self.add_error("outcome_reason", str(exc))
        return data


class AttachForm(forms.Form):
    file = forms.FileField(
        label="答复附件（提供的政府信息）",
        validators=[
            FileExtensionValidator([*UPLOAD_EXTENSIONS, "xls", "xlsx", "zip", "txt"]),
            _file_size,
            validate_upload,
        ],
        error_messages={"required": "请选择要上传的文件。"},
    )


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label="意见",
        choices=[("approve", "同意"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="意见说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeliverForm(forms.Form):
    method = forms.ChoiceField(
        label="送达方式",
        choices=[
            ("网上送达", "网上送达（本平台）"),
            ("电子邮件", "电子邮件"),
            ("邮寄", "邮寄"),
            ("当面领取", "当面领取"),
        ],
    )
    delivered_on = forms.DateField(label="送达日期", widget=DateInput, required=False)


class ReviewCaseForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ReviewKind.choices)
    filed_on = forms.DateField(label="立案日期", widget=DateInput)
    case_no = forms.CharField(label="案号", max_length=100, required=False)
    body = forms.CharField(label="复议机关或法院", max_length=200, required=False)


class DecideCaseForm(forms.Form):
    case: forms.ModelChoiceField[ReviewCase] = forms.ModelChoiceField(
        label="案件", queryset=None, empty_label=None
    )
    result = forms.ChoiceField(label="结果", choices=ReviewResult.choices)
    decided_on = forms.DateField(label="审结日期", widget=DateInput, required=False)
    note = forms.CharField(label="说明", required=False)

    def __init__(
        self, *args: Any, cases: QuerySet[ReviewCase] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "case").queryset = cases


class ConvertForm(forms.Form):
    requests = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="拟主动公开信息的标题", max_length=300)
    publisher: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="发布机构", queryset=None
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "publisher").queryset = organisations

    def clean_requests(self) -> list[int]:
        text: str = self.cleaned_data["requests"]
        ids = [p for p in text.split(",") if p.strip()]
        if not all(p.strip().isdigit() for p in ids):
            raise forms.ValidationError("申请编号无效。")
        return [int(p) for p in ids]


class LetterTemplateForm(forms.Form):
    text = forms.CharField(
        label="模板内容",
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text='可使用 {{ requester.name }}、{{ req.ref }}、{{ req.received_on|date:"Y年n月j日" }} 等变量；'
        "清空后保存即恢复默认模板。",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="台账文件（.xlsx 或 .csv）",
        validators=[FileExtensionValidator(["xlsx", "csv"]), _file_size, validate_upload],
        error_messages={"invalid_extension": "只接受 .xlsx 或 .csv 文件。"},
    )


# --- The requester's view ---------------------------------------------------------------------


class TrackForm(HumanCheckMixin, forms.Form):
    tracking_code = forms.CharField(label="查询码", max_length=16)
    contact = forms.CharField(
        label="申请时填写的联系电话或电子邮箱",
        max_length=254,
        help_text="用于核实您的身份。",
    )

    def clean_tracking_code(self) -> str:
        code: str = self.cleaned_data["tracking_code"]
        return code.strip().upper().replace(" ", "")


class CorrectionUploadForm(forms.Form):
    text = forms.CharField(
        label="补正内容", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    file = forms.FileField(
        label="补正材料（可选）",
        required=False,
        validators=[FileExtensionValidator(UPLOAD_EXTENSIONS), _file_size, validate_upload],
    )

    def clean(self) -> dict[str, Any]:
        data = _cleaned(self, super().clean())
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError("请填写补正内容或上传补正材料。")
        return data


class LetterDeliveryForm(forms.Form):
    """送达登记 of one letter (channel, date sent, tracking number, date received)."""

    letter: forms.ModelChoiceField[Letter] = forms.ModelChoiceField(
        label="文书", queryset=None, empty_label=None
    )
    channel = forms.ChoiceField(label="送达渠道", choices=DeliveryChannel.choices)
    sent_on = forms.DateField(label="寄发（发出）日期", widget=DateInput)
    tracking_no = forms.CharField(label="邮件单号", max_length=60, required=False)
    received_on = forms.DateField(
        label="申请人收到日期",
        widget=DateInput,
        required=False,
        help_text="缴费期限、复议和诉讼期限自申请人收到之日起计算；收到后登记，登记后不能修改。",
    )

    def __init__(self, *args: Any, letters: QuerySet[Letter] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "letter").queryset = letters
