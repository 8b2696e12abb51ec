"""Decision-catalogue and hearing actions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.actions import ActionError, require
from gongkai.participation import rules
from gongkai.participation.actions.base import changed
from gongkai.participation.models import (
    STEP_ORDER,
    AdjustmentKind,
    Decision,
    DecisionAdjustment,
    DecisionCatalogue,
    DecisionStatus,
    DecisionStep,
    Hearing,
    HearingParticipant,
    PublicationState,
    StepKind,
    StepStatus,
)

ADJUSTABLE_FIELDS = [
    "title",
    "description",
    "organisation",
    "planned_time",
    "planned_by",
    "hearing_required",
]


@transaction.atomic
def create_catalogue(actor, government, *, year: int, title: str = "") -> DecisionCatalogue:
    require(
        rules.can_manage_catalogue(actor, government), "只有政务公开办公室可以编制决策事项目录。"
    )
    if DecisionCatalogue.objects.filter(government=government, year=year).exists():
        raise ActionError(f"{year}年度目录已存在。", field="year")
    catalogue = DecisionCatalogue.objects.create(
        government=government,
        year=year,
        title=title or f"{government.name}{year}年度重大行政决策事项目录",
    )
    audit.record(
        actor,
        "participation.catalogue.create",
        catalogue,
        organisation_id=government.pk,
        after={"year": year},
    )
    return catalogue


@transaction.atomic
def publish_catalogue(actor, catalogue, *, party_consent_on: dt.date) -> DecisionCatalogue:
    catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
    require(rules.can_manage_catalogue(actor, catalogue.government_id))
    if catalogue.published_at:
        raise ActionError("目录已发布；此后的变化请通过「调整」记录。")
    if party_consent_on is None or party_consent_on > timezone.localdate():
        raise ActionError("请填写同级党委同意的日期（不能晚于今天）。", field="party_consent_on")
    if not catalogue.decisions.exists():
        raise ActionError("目录中还没有决策事项。")
    catalogue.party_consent_on = party_consent_on
    catalogue.published_at = timezone.now()
    catalogue.save(update_fields=["party_consent_on", "published_at"])
    audit.record(
        actor,
        "participation.catalogue.publish",
        catalogue,
        organisation_id=catalogue.government_id,
        after={"party_consent_on": party_consent_on},
    )
    return catalogue


@transaction.atomic
def add_decision(actor, catalogue, *, reason: str = "", **fields) -> Decision:
    """Add a decision with its seven steps. After publication this is an adjustment and needs
    a reason."""
    catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
    require(rules.can_manage_catalogue(actor, catalogue.government_id))
    organisation = fields["organisation"]
    if organisation.government_id != catalogue.government_id:
        raise ActionError("承办单位须属于本级政府。", field="organisation")
    if catalogue.published_at and not reason.strip():
        raise ActionError("目录已发布，新增事项须说明调整理由。", field="reason")
    number = (catalogue.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision.objects.create(
        catalogue=catalogue,
        number=number,
        **{k: v for k, v in fields.items() if k in ADJUSTABLE_FIELDS},
    )
    DecisionStep.objects.bulk_create(
        [
            DecisionStep(decision=decision, kind=kind, order=i)
            for i, kind in enumerate(STEP_ORDER, 1)
        ]
    )
    if catalogue.published_at:
        DecisionAdjustment.objects.create(
            decision=decision, kind=AdjustmentKind.ADDED, reason=reason.strip(), actor=actor
        )
    audit.record(
        actor,
        "participation.decision.add",
        decision,
        after=audit.snapshot(decision, ["number", "title", "planned_time", "hearing_required"]),
        note=reason,
    )
    return decision


@transaction.atomic
def adjust_decision(actor, decision, *, kind: str, reason: str, **fields) -> Decision:
    decision = Decision.objects.select_for_update().select_related("catalogue").get(pk=decision.pk)
    require(rules.can_manage_catalogue(actor, decision.catalogue.government_id))
    if not reason.strip():
        raise ActionError("请填写调整理由。", field="reason")
    if decision.status == DecisionStatus.WITHDRAWN:
        raise ActionError("该事项已调出目录。")
    values = {k: v for k, v in fields.items() if k in ADJUSTABLE_FIELDS}
    if kind == AdjustmentKind.WITHDRAWN:
        values = {"status": DecisionStatus.WITHDRAWN}
    org = values.get("organisation")
    if org is not None and org.government_id != decision.catalogue.government_id:
        raise ActionError("承办单位须属于本级政府。", field="organisation")
    before, after = changed(decision, values)
    if not after:
        raise ActionError("没有需要调整的内容。")
    decision.save()
    DecisionAdjustment.objects.create(
        decision=decision,
        kind=kind,
        reason=reason.strip(),
        changes=audit._jsonable({"before": before, "after": after}),
        actor=actor,
    )
    audit.record(
        actor, "participation.decision.adjust", decision, before=before, after=after, note=reason
    )
    return decision


def _derive_status(decision) -> str:
    steps = {s.kind: s for s in decision.steps.all()}
    if decision.status == DecisionStatus.WITHDRAWN:
        return decision.status
    needed = [s for s in steps.values() if s.status != StepStatus.NOT_APPLICABLE]
    if needed and all(s.status == StepStatus.DONE for s in needed):
        return DecisionStatus.COMPLETED
    collective = steps.get(StepKind.COLLECTIVE_DECISION)
    if collective and collective.status == StepStatus.DONE:
        return DecisionStatus.DECIDED
    if any(s.status in (StepStatus.DONE, StepStatus.IN_PROGRESS) for s in steps.values()):
        return DecisionStatus.IN_PROGRESS
    return DecisionStatus.PLANNED


@transaction.atomic
def update_step(
    actor,
    step,
    *,
    status: str,
    started_on=None,
    completed_on=None,
    consultation=None,
    hearing=None,
    evidence_title: str = "",
    evidence_url: str = "",
    note: str = "",
) -> DecisionStep:
    step = (
        DecisionStep.objects.select_for_update()
        .select_related("decision__catalogue", "decision__organisation")
        .get(pk=step.pk)
    )
    decision = step.decision
    require(
        rules.can_manage(actor, decision.organisation)
        or rules.can_manage_catalogue(actor, decision.catalogue.government_id)
    )
    if decision.status == DecisionStatus.WITHDRAWN:
        raise ActionError("该事项已调出目录。")
    gov_id = decision.catalogue.government_id
    if consultation is not None and consultation.organisation.government_id != gov_id:
        raise ActionError("关联的征求意见不属于本级政府。", field="consultation")
    if hearing is not None and hearing.organisation.government_id != gov_id:
        raise ActionError("关联的听证不属于本级政府。", field="hearing")
    if status == StepStatus.NOT_APPLICABLE and not note.strip():
        raise ActionError("标记为「不适用」须在说明中写明依据。", field="note")
    if status == StepStatus.DONE:
        if not completed_on:
            raise ActionError("请填写完成日期。", field="completed_on")
        if completed_on > timezone.localdate():
            raise ActionError("完成日期不能晚于今天。", field="completed_on")
        if not (consultation or hearing or evidence_url):
            raise ActionError(
                "标记为已完成须关联佐证材料（征求意见、听证或已公开的文件链接）。",
                field="evidence_url",
            )
        if step.kind == StepKind.LEGALITY_REVIEW:
            error = rules.legality_review_error(started_on, completed_on)
            if error:
                raise ActionError(error, field="started_on")
        if step.kind == StepKind.COLLECTIVE_DECISION:
            review = decision.steps.filter(kind=StepKind.LEGALITY_REVIEW).first()
            if review and review.status not in (StepStatus.DONE, StepStatus.NOT_APPLICABLE):
                raise ActionError("集体讨论决定前须完成合法性审查。", field="status")
    if started_on and completed_on and completed_on < started_on:
        raise ActionError("完成日期不能早于开始日期。", field="completed_on")
    before, after = changed(
        step,
        {
            "status": status,
            "started_on": started_on,
            "completed_on": completed_on if status == StepStatus.DONE else None,
            "consultation": consultation,
            "hearing": hearing,
            "evidence_title": evidence_title.strip(),
            "evidence_url": evidence_url.strip(),
            "note": note.strip(),
        },
    )
    step.save()
    new_status = _derive_status(decision)
    updates = {"status": new_status}
    if step.kind == StepKind.COLLECTIVE_DECISION:
        updates["decided_on"] = step.completed_on
    _d_before, d_after = changed(decision, updates)
    if d_after:
        decision.save(update_fields=list(d_after))
    audit.record(
        actor,
        "participation.decision.step",
        step,
        organisation_id=decision.organisation_id,
        before=before,
        after={**after, **d_after},
    )
    return step


@transaction.atomic
def record_decision_result(actor, decision, *, result_title: str, result_url: str) -> Decision:
    decision = Decision.objects.select_for_update().select_related("catalogue").get(pk=decision.pk)
    require(
        rules.can_manage(actor, decision.organisation)
        or rules.can_manage_catalogue(actor, decision.catalogue.government_id)
    )
    before, after = changed(
        decision, {"result_title": result_title.strip(), "result_url": result_url.strip()}
    )
    decision.save(update_fields=["result_title", "result_url"])
    audit.record(actor, "participation.decision.result", decision, before=before, after=after)
    return decision


# --- Hearings and meeting attendance ----------------------------------------------------------


@transaction.atomic
def create_hearing(actor, organisation, **fields) -> Hearing:
    require(rules.can_manage(actor, organisation))
    decision = fields.get("decision")
    if decision is not None and decision.catalogue.government_id != organisation.government_id:
        raise ActionError("关联的决策事项不属于本级政府。", field="decision")
    hearing = Hearing.objects.create(organisation=organisation, **fields)
    audit.record(
        actor,
        "participation.hearing.create",
        hearing,
        after=audit.snapshot(hearing, ["title", "kind", "held_at", "place"]),
    )
    return hearing


@transaction.atomic
def publish_hearing(actor, hearing) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    require(rules.can_publish(actor, hearing.organisation))
    if hearing.state != PublicationState.DRAFT:
        raise ActionError("该公告已发布。")
    now = timezone.now()
    if hearing.held_at <= now:
        raise ActionError("听证公告须在举行前发布。", field="held_at")
    if hearing.materials_sent_on and hearing.materials_sent_on > rules.hearing_materials_due(
        hearing.held_at
    ):
        raise ActionError(
            f"听证材料须至少在举行前{rules.HEARING_MATERIALS_DAYS}日送达参加人"
            f"（最迟{rules.hearing_materials_due(hearing.held_at):%Y-%m-%d}）。",
            field="materials_sent_on",
        )
    hearing.state = PublicationState.PUBLISHED
    hearing.notice_published_at = now
    hearing.save(update_fields=["state", "notice_published_at"])
    audit.record(
        actor, "participation.hearing.publish", hearing, after={"notice_published_at": now}
    )
    return hearing


@transaction.atomic
def record_materials_sent(actor, hearing, sent_on: dt.date) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    require(rules.can_manage(actor, hearing.organisation))
    due = rules.hearing_materials_due(hearing.held_at)
    if sent_on > due:
        raise ActionError(
            f"听证材料须至少在举行前{rules.HEARING_MATERIALS_DAYS}日送达参加人（最迟{due:%Y-%m-%d}）。",
            field="materials_sent_on",
        )
    before, after = changed(hearing, {"materials_sent_on": sent_on})
    hearing.save(update_fields=["materials_sent_on"])
    audit.record(actor, "participation.hearing.materials", hearing, before=before, after=after)
    return hearing


@transaction.atomic
def add_participant(
    actor,
    hearing,
    *,
    name: str,
    role: str,
    affiliation: str = "",
    opinion: str = "",
    handling: str = "",
) -> HearingParticipant:
    require(rules.can_manage(actor, hearing.organisation))
    if not name.strip():
        raise ActionError("请填写姓名。", field="name")
    participant = HearingParticipant.objects.create(
        hearing=hearing,
        name=name.strip(),
        role=role,
        affiliation=affiliation.strip(),
        opinion=opinion.strip(),
        handling=handling.strip(),
    )
    audit.record(
        actor,
        "participation.hearing.participant",
        participant,
        organisation_id=hearing.organisation_id,
        after={"name": participant.name, "role": role},
    )
    return participant


@transaction.atomic
def record_participant_opinion(
    actor, participant, *, opinion: str, handling: str
) -> HearingParticipant:
    participant = (
        HearingParticipant.objects.select_for_update()
        .select_related("hearing__organisation")
        .get(pk=participant.pk)
    )
    require(rules.can_manage(actor, participant.hearing.organisation))
    if opinion.strip() and not handling.strip():
        raise ActionError("请填写该意见的处理情况。", field="handling")
    before, after = changed(participant, {"opinion": opinion.strip(), "handling": handling.strip()})
    participant.save(update_fields=["opinion", "handling"])
    audit.record(
        actor,
        "participation.hearing.opinion",
        participant,
        organisation_id=participant.hearing.organisation_id,
        before=before,
        after=after,
    )
    return participant


@transaction.atomic
def record_hearing_outcome(actor, hearing, outcome: str) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    require(rules.can_manage(actor, hearing.organisation))
    before, after = changed(hearing, {"outcome": outcome.strip()})
    hearing.save(update_fields=["outcome"])
    audit.record(actor, "participation.hearing.outcome", hearing, before=before, after=after)
    return hearing
