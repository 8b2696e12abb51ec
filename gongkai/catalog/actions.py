"""Every state change of the catalogue: check permission → write in a transaction → audit.

Views, the API, the importer, the demo loader and commands all call these; none saves a
Record or Interpretation directly. Errors are `ActionError` with a Chinese message for the
user (`gongkai.core.actions.ActionError`; `forbidden` for a permission failure).
"""

from __future__ import annotations

import datetime as dt
import logging

import nh3
from django.db import transaction
from django.utils import timezone

from gongkai.catalog import index_no, rules
from gongkai.catalog.indexing import sync_record
from gongkai.catalog.models import (
    QA,
    Attachment,
    Attribute,
    Cleanup,
    CleanupDecision,
    CleanupItem,
    CleanupStatus,
    Interpretation,
    InterpretationPlan,
    InterpretationStatus,
    Record,
    Status,
    Validity,
    ValidityChange,
)
from gongkai.core import audit, calendar, workday_dates
from gongkai.core.actions import ActionError, require
from gongkai.core.text import normalize_doc_no

logger = logging.getLogger("gongkai.catalog")

PUBLISH_WINDOW_WORKDAYS = 20  # 条例第26条
INTERPRETATION_WINDOW_WORKDAYS = 3

# The fields an officer edits (in the staff form's order), then those set by other actions.
EDITABLE_RECORD_FIELDS = [
    "title",
    "doc_no",
    "written_on",
    "made_on",
    "topic",
    "genre",
    "keywords",
    "summary",
    "body",
    "attribute",
    "attribute_reason",
    "attribute_basis",
    "is_important_policy",
    "interpretation_plan",
    "interpretation_exempt_reason",
    "effective_on",
    "expires_on",
    "column",
    "catalogue",
]
RECORD_FIELDS = [*EDITABLE_RECORD_FIELDS, "validity"]

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "blockquote",
    "span",
    "div",
    "sub",
    "sup",
}


def sanitize(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan"},
        },
        url_schemes={"http", "https", "mailto"},
    )


def publish_due(made_on: dt.date) -> calendar.WorkdayResult:
    """条例第26条: proactive information is published within 20 working days of being made or
    changed. Stored as publish_due_on + publish_due_on_provisional (catalog.workdays)."""
    return calendar.add_workdays(made_on, PUBLISH_WINDOW_WORKDAYS)


def interpretation_due(published_at: dt.datetime) -> calendar.WorkdayResult:
    """三同步: an interpretation promised for later follows within 3 working days (RULES.md §5)."""
    return calendar.add_workdays(
        timezone.localtime(published_at).date(), INTERPRETATION_WINDOW_WORKDAYS
    )


def _set_due(record: Record) -> None:
    for name, value in workday_dates.fields("publish_due_on", publish_due(record.made_on)).items():
        setattr(record, name, value)


def _locked(record: Record) -> Record:
    return Record.objects.select_for_update().select_related("publisher").get(pk=record.pk)


def _apply(record: Record, data: dict) -> list[str]:
    changed = []
    for name in RECORD_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "body":
            value = sanitize(value)
        if (
            name in ("column", "catalogue")
            and value is not None
            and value.organisation_id != record.publisher_id
        ):
            raise ActionError("栏目或标准目录事项不属于发布机构。")
        if isinstance(value, str):
            value = value.strip() if name != "body" else value
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    if record.attribute == Attribute.PROACTIVE:
        record.attribute_reason = ""
        record.attribute_basis = ""
    if record.interpretation_plan != InterpretationPlan.EXEMPT:
        record.interpretation_exempt_reason = ""
    record.doc_no_key = normalize_doc_no(record.doc_no)
    return changed


def _check_attribute(record: Record) -> None:
    if record.attribute != Attribute.PROACTIVE:
        if not record.attribute_reason.strip():
            raise ActionError("公开属性为依申请公开或不予公开时，必须填写理由。")
        if not record.attribute_basis.strip():
            raise ActionError(
                "公开属性为依申请公开或不予公开时，必须填写法律依据（如条例第十四条）。"
            )


def _check_required(record: Record) -> None:
    missing = [
        label
        for field, label in (("title", "标题"), ("made_on", "信息形成日期"))
        if not getattr(record, field)
    ]
    if missing:
        raise ActionError("请填写：" + "、".join(missing) + "。")


def check_three_in_step(record: Record, *, publishing: bool = False) -> None:
    """三同步: a normative document or important policy goes out with its interpretation,
    an exemption with a reason, or a promise to publish one within 3 working days."""
    if record.attribute != Attribute.PROACTIVE or not record.needs_interpretation:
        return
    plan = record.interpretation_plan
    if not plan:
        raise ActionError(
            "该文件为规章、行政规范性文件或重要政策，须同步提交政策解读（三同步），"
            "或选择“3个工作日内发布解读”，或说明免于解读的理由。"
        )
    if plan == InterpretationPlan.EXEMPT and not record.interpretation_exempt_reason.strip():
        raise ActionError("选择免于解读时，必须填写理由。")
    if plan == InterpretationPlan.WITH:
        active = record.interpretations.exclude(status=InterpretationStatus.WITHDRAWN)
        if not active.exists():
            raise ActionError("该文件须与政策解读同步报审、同步发布（三同步），请先添加政策解读。")


# --- Records ----------------------------------------------------------------------------------


def _new_record(actor, publisher, data: dict, source_ref: str) -> Record:
    """An unsaved record of publisher with data applied and checked, its due date set."""
    record = Record(
        publisher=publisher,
        government_id=publisher.government_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        source_ref=source_ref,
        made_on=data.get("made_on") or timezone.localdate(),
    )
    _apply(record, data)
    _check_required(record)
    _set_due(record)
    return record


@transaction.atomic
def create_record(user, publisher, data: dict, *, source_ref: str = "") -> Record:
    require(rules.can_create_in(user, publisher), "您不能为该机构发布信息。")
    record = _new_record(user, publisher, data, source_ref)
    record.index_no = index_no.generate(record)
    record.save()
    audit.record(user, "catalog.record.create", record, after=audit.snapshot(record))
    return record


@transaction.atomic
def update_record(user, record: Record, data: dict) -> Record:
    record = _locked(record)
    require(rules.can_edit_record(user, record), "该信息当前状态下您不能修改。")
    before = audit.snapshot(record)
    old_attribute = record.attribute
    changed = _apply(record, data)
    _check_required(record)
    if record.status != Status.DRAFT:
        _check_attribute(record)
    if "made_on" in changed:
        _set_due(record)
    if not changed:
        return record
    record.save()
    after = audit.snapshot(record)
    audit.record(
        user,
        "catalog.record.update",
        record,
        before={k: before[k] for k in before if before[k] != after[k]},
        after={k: after[k] for k in before if before[k] != after[k]},
    )
    if old_attribute != record.attribute:
        audit.record(
            user,
            "catalog.record.attribute",
            record,
            before={"attribute": old_attribute},
            after={
                "attribute": record.attribute,
                "reason": record.attribute_reason,
                "basis": record.attribute_basis,
            },
            note="公开属性变更（条例第18条）",
        )
    sync_record(record)
    return record


@transaction.atomic
def add_attachment(user, record: Record, name: str, content) -> Attachment:
    record = _locked(record)
    require(rules.can_edit_record(user, record), "该信息当前状态下您不能添加附件。")
    if not name:
        raise ActionError("附件名称不能为空。")
    attachment = Attachment(record=record, name=name[:200], size=getattr(content, "size", 0) or 0)
    attachment.file.save(name, content, save=False)
    attachment.save()
    audit.record(user, "catalog.attachment.add", record, after={"attachment": name})
    return attachment


@transaction.atomic
def submit_for_review(user, record: Record) -> Record:
    record = _locked(record)
    require(rules.can_submit_record(user, record))
    if record.status != Status.DRAFT:
        raise ActionError("只有草稿可以提交保密审查。")
    _check_required(record)
    _check_attribute(record)
    check_three_in_step(record)
    record.status = Status.IN_REVIEW
    record.return_reason = ""
    record.attribute_confirmed = False
    record.save(update_fields=["status", "return_reason", "attribute_confirmed", "updated_at"])
    audit.record(
        user,
        "catalog.record.submit",
        record,
        before={"status": Status.DRAFT},
        after={"status": record.status, "attribute": record.attribute},
    )
    return record


@transaction.atomic
def approve(user, record: Record, note: str = "") -> Record:
    """Pass the confidentiality review. A proposal not to publish is decided by the office."""
    record = _locked(record)
    require(rules.can_review_record(user, record))
    if record.status != Status.IN_REVIEW:
        raise ActionError("只有保密审查中的信息可以审核通过。")
    if record.attribute != Attribute.PROACTIVE:
        if not rules.can_confirm_attribute(user, record):
            raise ActionError("不公开（依申请公开、不予公开）的建议须由政务公开办公室审核确认。")
        record.attribute_confirmed = True
    check_three_in_step(record)
    record.status = Status.APPROVED
    record.save(update_fields=["status", "attribute_confirmed", "updated_at"])
    audit.record(
        user,
        "catalog.record.approve",
        record,
        before={"status": Status.IN_REVIEW},
        after={"status": record.status},
        note=note,
    )
    return record


@transaction.atomic
def return_to_draft(user, record: Record, reason: str) -> Record:
    record = _locked(record)
    allowed = rules.can_review_record(user, record) or rules.can_confirm_attribute(user, record)
    require(allowed)
    if record.status not in (Status.IN_REVIEW, Status.APPROVED):
        raise ActionError("只有审查中或已审核的信息可以退回。")
    if not (reason or "").strip():
        raise ActionError("退回时必须填写意见（如缺少公开属性、理由或政策解读）。")
    before = record.status
    record.status = Status.DRAFT
    record.return_reason = reason.strip()
    record.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(
        user,
        "catalog.record.return",
        record,
        before={"status": before},
        after={"status": record.status},
        note=reason.strip(),
    )
    return record


@transaction.atomic
def publish(user, record: Record, at: dt.datetime | None = None) -> Record:
    """Publish now, or at `at` (the record becomes public when that time comes)."""
    record = _locked(record)
    require(rules.can_publish_record(user, record))
    if record.status != Status.APPROVED:
        raise ActionError("只有审核通过的信息可以发布。")
    if record.attribute != Attribute.PROACTIVE:
        raise ActionError("公开属性不是主动公开，不能在网站发布。")
    check_three_in_step(record, publishing=True)
    now = timezone.now()
    if at is not None and timezone.is_naive(at):
        raise ActionError("定时发布时间无效。")
    when = at if at is not None and at > now else now
    record.status = Status.PUBLISHED
    record.published_at = when
    record.scheduled_at = when if when > now else None
    fields = ["status", "published_at", "scheduled_at", "updated_at"]
    if record.needs_interpretation and record.interpretation_plan == InterpretationPlan.LATER:
        due = workday_dates.fields("interpretation_due_on", interpretation_due(when))
        for name, value in due.items():
            setattr(record, name, value)
        fields += list(due)
    record.save(update_fields=fields)
    # 三同步: the interpretations drafted with the policy go out with it.
    drafts = list(record.interpretations.filter(status=InterpretationStatus.DRAFT))
    for interp in drafts:
        interp.status = InterpretationStatus.PUBLISHED
        interp.published_at = when
        interp.save(update_fields=["status", "published_at"])
        audit.record(
            user,
            "catalog.interpretation.publish",
            interp,
            organisation_id=record.publisher_id,
            after={"published_at": when},
        )
    audit.record(
        user,
        "catalog.record.publish",
        record,
        before={"status": Status.APPROVED},
        after={"status": record.status, "published_at": when, "scheduled": when > now},
    )
    sync_record(record)
    logger.info("record published record=%s org=%s", record.pk, record.publisher_id)
    return record


@transaction.atomic
def record_past_publication(
    user, record: Record, published_at: dt.datetime, note: str = "从原网站系统导入"
) -> Record:
    """Register that a record was already published (on an older website system) at
    `published_at`: the import path, with its own audit event."""
    record = _locked(record)
    require(rules.can_publish_record(user, record))
    if record.status not in (Status.DRAFT, Status.APPROVED):
        raise ActionError("只有未发布的信息可以登记为已发布。")
    if record.attribute != Attribute.PROACTIVE:
        raise ActionError("公开属性不是主动公开，不能登记为已发布。")
    if published_at > timezone.now():
        raise ActionError("发布日期不能晚于今天。")
    before = record.status
    record.status = Status.PUBLISHED
    record.attribute_confirmed = True
    record.published_at = published_at
    record.save(update_fields=["status", "attribute_confirmed", "published_at", "updated_at"])
    record.interpretations.filter(status=InterpretationStatus.DRAFT).update(
        status=InterpretationStatus.PUBLISHED, published_at=published_at
    )
    audit.record(
        user,
        "catalog.record.import",
        record,
        before={"status": before},
        after={
            "status": record.status,
            "published_at": published_at,
            "source_ref": record.source_ref,
        },
        note=note,
    )
    sync_record(record)
    return record


def may_import(actor, publisher, attribute: str) -> bool:
    """Who may import a row for publisher: a 主动公开 row is registered as published, so it
    needs whoever may publish for it; a non-public row becomes a draft. The command line
    (actor given as a str, as in `gongkai catalog import`) acts for the office."""
    if isinstance(actor, str):
        return True
    if attribute == Attribute.PROACTIVE:
        return rules.can_publish_record(actor, Record(publisher=publisher))
    return rules.can_create_in(actor, publisher)


@transaction.atomic
def import_record(
    actor, publisher, data: dict, *, source_ref: str, published_at: dt.datetime | None
) -> Record:
    """One row of a catalogue import (an older website system's records).

    A 主动公开 row is registered as published at `published_at`; a 依申请公开 or 不予公开 row
    is kept as a draft with its attribute and is never published here."""
    attribute = data.get("attribute") or Attribute.PROACTIVE
    require(may_import(actor, publisher, attribute), "您不能为该机构导入信息。")
    record = _new_record(actor, publisher, data, source_ref)
    if record.attribute == Attribute.PROACTIVE:
        if published_at is None:
            raise ActionError("主动公开的信息须有发布日期。")
        if published_at > timezone.now():
            raise ActionError("发布日期不能晚于今天。")
        record.status = Status.PUBLISHED
        record.attribute_confirmed = True
        record.published_at = published_at
    record.index_no = index_no.generate(record)
    record.save()
    audit.record(
        actor,
        "catalog.record.import",
        record,
        after={
            "status": record.status,
            "attribute": record.attribute,
            "published_at": record.published_at,
            "source_ref": source_ref,
            "index_no": record.index_no,
        },
        note="从原网站系统导入",
    )
    sync_record(record)
    return record


@transaction.atomic
def withdraw(user, record: Record, reason: str) -> Record:
    record = _locked(record)
    require(rules.can_publish_record(user, record))
    if record.status != Status.PUBLISHED:
        raise ActionError("只有已发布的信息可以撤回。")
    if not (reason or "").strip():
        raise ActionError("撤回时必须填写理由。")
    record.status = Status.WITHDRAWN
    record.withdrawn_reason = reason.strip()
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "updated_at"])
    audit.record(
        user,
        "catalog.record.withdraw",
        record,
        before={"status": Status.PUBLISHED},
        after={"status": record.status},
        note=reason.strip(),
    )
    sync_record(record)
    return record


@transaction.atomic
def change_attribute(
    user, record: Record, attribute: str, reason: str = "", basis: str = ""
) -> Record:
    """Re-decide the disclosure attribute (条例第18条 periodic review); always logged."""
    record = _locked(record)
    allowed = rules.can_edit_record(user, record) or rules.can_confirm_attribute(user, record)
    require(allowed)
    if attribute not in Attribute.values:
        raise ActionError("公开属性无效。")
    before = {
        "attribute": record.attribute,
        "reason": record.attribute_reason,
        "basis": record.attribute_basis,
    }
    record.attribute = attribute
    record.attribute_reason = "" if attribute == Attribute.PROACTIVE else (reason or "").strip()
    record.attribute_basis = "" if attribute == Attribute.PROACTIVE else (basis or "").strip()
    _check_attribute(record)
    record.save(update_fields=["attribute", "attribute_reason", "attribute_basis", "updated_at"])
    audit.record(
        user,
        "catalog.record.attribute",
        record,
        before=before,
        after={
            "attribute": attribute,
            "reason": record.attribute_reason,
            "basis": record.attribute_basis,
        },
        note="公开属性变更（条例第18条）",
    )
    sync_record(record)
    return record


@transaction.atomic
def change_validity(
    user,
    record: Record,
    validity: str,
    on: dt.date | None = None,
    by_record: Record | None = None,
    note: str = "",
) -> Record:
    record = _locked(record)
    require(rules.can_change_validity(user, record))
    if validity not in Validity.values:
        raise ActionError("有效性无效。")
    if validity in (Validity.AMENDED, Validity.REPEALED) and by_record is None:
        raise ActionError("标注为已修改或已废止时，须选择修改或废止它的文件。")
    if by_record is not None and by_record.pk == record.pk:
        raise ActionError("文件不能修改或废止自身。")
    on = on or timezone.localdate()
    before = {"validity": record.validity, "superseded_by": record.superseded_by_id}
    record.validity = validity
    record.validity_changed_on = on
    record.superseded_by = by_record
    record.save(update_fields=["validity", "validity_changed_on", "superseded_by", "updated_at"])
    ValidityChange.objects.create(
        record=record, validity=validity, changed_on=on, by_record=by_record, note=note
    )
    audit.record(
        user,
        "catalog.record.validity",
        record,
        before=before,
        after={"validity": validity, "superseded_by": record.superseded_by_id, "changed_on": on},
        note=note,
    )
    sync_record(record)
    return record


# --- Interpretations --------------------------------------------------------------------------


@transaction.atomic
def create_interpretation(
    user, policy: Record, data: dict, questions: list[tuple[str, str]] | None = None
) -> Interpretation:
    policy = _locked(policy)
    allowed = org_can_handle(user, policy)
    require(allowed, "您不能为该文件添加解读。")
    title = (data.get("title") or "").strip()
    if not title:
        raise ActionError("请填写解读标题。")
    interp = Interpretation(
        policy=policy,
        title=title,
        kind=data.get("kind") or "text",
        body=sanitize(data.get("body") or ""),
        video_url=data.get("video_url") or "",
        interpreter=data.get("interpreter") or "",
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if interp.kind == "video" and not interp.video_url:
        raise ActionError("视频解读须填写视频链接。")
    if not interp.body and not interp.video_url and not questions:
        raise ActionError("请填写解读内容。")
    interp.save()
    if not policy.interpretation_plan:
        policy.interpretation_plan = InterpretationPlan.WITH
        policy.save(update_fields=["interpretation_plan", "updated_at"])
    for i, (question, answer) in enumerate(questions or []):
        QA.objects.create(interpretation=interp, question=question, answer=answer, order=i)
    audit.record(
        user,
        "catalog.interpretation.create",
        interp,
        organisation_id=policy.publisher_id,
        after=audit.snapshot(interp, ["policy", "title", "kind", "video_url", "status"]),
    )
    return interp


def org_can_handle(user, policy: Record) -> bool:
    from gongkai.orgs import rules as org_rules

    return org_rules.can_manage_org(user, policy.publisher)


@transaction.atomic
def publish_interpretation(user, interp: Interpretation) -> Interpretation:
    """Publish an interpretation that follows its (already published) policy."""
    interp = (
        Interpretation.objects.select_for_update()
        .select_related("policy__publisher")
        .get(pk=interp.pk)
    )
    require(rules.can_publish_record(user, interp.policy))
    if interp.status != InterpretationStatus.DRAFT:
        raise ActionError("只有草稿状态的解读可以发布。")
    if interp.policy.status != Status.PUBLISHED:
        raise ActionError("所解读的文件尚未发布：解读将随文件同步发布。")
    interp.status = InterpretationStatus.PUBLISHED
    now = timezone.now()
    interp.published_at = max(now, interp.policy.published_at or now)
    interp.save(update_fields=["status", "published_at"])
    audit.record(
        user,
        "catalog.interpretation.publish",
        interp,
        organisation_id=interp.policy.publisher_id,
        after={"published_at": interp.published_at},
    )
    return interp


@transaction.atomic
def withdraw_interpretation(user, interp: Interpretation, reason: str) -> Interpretation:
    interp = (
        Interpretation.objects.select_for_update()
        .select_related("policy__publisher")
        .get(pk=interp.pk)
    )
    require(rules.can_publish_record(user, interp.policy))
    if not (reason or "").strip():
        raise ActionError("撤回时必须填写理由。")
    interp.status = InterpretationStatus.WITHDRAWN
    interp.save(update_fields=["status"])
    audit.record(
        user,
        "catalog.interpretation.withdraw",
        interp,
        organisation_id=interp.policy.publisher_id,
        note=reason,
    )
    return interp


# --- Library clean-up -------------------------------------------------------------------------


@transaction.atomic
def start_cleanup(user, government, name: str) -> Cleanup:
    require(rules.can_manage_library(user, government.pk))
    if not (name or "").strip():
        raise ActionError("请填写清理名称。")
    cleanup = Cleanup.objects.create(
        government=government, name=name.strip(), started_on=timezone.localdate()
    )
    from gongkai.catalog.querysets import library_in_force

    items = [CleanupItem(cleanup=cleanup, record=r) for r in library_in_force(government)]
    CleanupItem.objects.bulk_create(items)
    audit.record(user, "catalog.cleanup.start", cleanup, after={"items": len(items)})
    return cleanup


@transaction.atomic
def decide_cleanup_item(user, item: CleanupItem, decision: str, note: str = "") -> CleanupItem:
    item = CleanupItem.objects.select_for_update().select_related("cleanup").get(pk=item.pk)
    require(rules.can_manage_library(user, item.cleanup.government_id))
    if item.cleanup.status != CleanupStatus.OPEN:
        raise ActionError("该清理已完成，不能再修改。")
    if decision not in CleanupDecision.values:
        raise ActionError("请选择清理意见：继续有效、拟修改或拟废止。")
    if decision != CleanupDecision.KEEP and not (note or "").strip():
        raise ActionError("拟修改或拟废止时须说明理由。")
    before = {"decision": item.decision}
    item.decision = decision
    item.note = (note or "").strip()
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save()
    audit.record(
        user,
        "catalog.cleanup.decide",
        item.cleanup,
        before=before,
        after={"record": item.record_id, "decision": decision},
        note=item.note,
    )
    return item


@transaction.atomic
def close_cleanup(user, cleanup: Cleanup) -> Cleanup:
    cleanup = Cleanup.objects.select_for_update().get(pk=cleanup.pk)
    require(rules.can_manage_library(user, cleanup.government_id))
    undecided = cleanup.items.filter(decision="").count()
    if undecided:
        raise ActionError(f"还有{undecided}件文件未提出清理意见。")
    cleanup.status = CleanupStatus.CLOSED
    cleanup.closed_at = timezone.now()
    cleanup.save(update_fields=["status", "closed_at"])
    audit.record(user, "catalog.cleanup.close", cleanup, after={"status": cleanup.status})
    return cleanup
