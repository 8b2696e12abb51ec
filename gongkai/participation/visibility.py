"""What the public may see of participation — the ONLY public gate for every participation
type. Portal pages, the API and anything else public read through these functions.

Two layers:
- `public_*()` return the QuerySets of rows that may appear at all (published, publication
  time reached, belonging to the site's government);
- `*_public_view()` turn one row into the dict a public page or the API shows. Personal data of
  members of the public (names, phone numbers, e-mail, contact details) never leaves through
  them: names are masked, and phone/ID/e-mail numbers inside free text are masked too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from gongkai.participation.models import (
    Consultation,
    ConsultationChange,
    Decision,
    DecisionAdjustment,
    DecisionCatalogue,
    DecisionStep,
    Enquiry,
    EnquiryState,
    Hearing,
    HearingParticipant,
    Message,
    MessageState,
    OpenDay,
    OpenDaySuggestion,
    Proposal,
    PublicationState,
    SignupStatus,
    StepStatus,
    mask_name,
)

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NO = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{9}[\dXx](?![0-9A-Za-z])")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_personal(text: str, names=()) -> str:
    """Mask mobile numbers, ID numbers, landlines and e-mail addresses inside free text, and
    the given names of the writer (a writer often signs the text with their own name)."""
    text = text or ""
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    text = _ID_NO.sub("******************", text)
    text = _PHONE.sub(r"\1****\2", text)
    text = _LANDLINE.sub("****-********", text)
    return _EMAIL.sub(r"\1***@\2", text)


def _now():
    return timezone.now()


# --- Decisions --------------------------------------------------------------------------------


def public_catalogues(government) -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(
        government=government, published_at__isnull=False, published_at__lte=_now()
    )


def public_decisions(government) -> QuerySet[Decision]:
    """Decisions of published catalogues, with what the catalogue page needs."""
    return (
        Decision.objects.filter(
            catalogue__government=government,
            catalogue__published_at__isnull=False,
            catalogue__published_at__lte=_now(),
        )
        .select_related("organisation", "catalogue")
        .annotate(
            steps_required=Count("steps", filter=~Q(steps__status=StepStatus.NOT_APPLICABLE)),
            steps_done=Count("steps", filter=Q(steps__status=StepStatus.DONE)),
        )
        .order_by("catalogue__year", "number")
    )


def decision_steps_public(decision) -> list[dict]:
    """Steps with evidence links; only evidence that is itself public is linked."""
    steps = (
        DecisionStep.objects.filter(decision=decision)
        .select_related("consultation", "hearing")
        .order_by("order")
    )
    out = []
    for step in steps:
        consultation = step.consultation
        if consultation is not None and not _consultation_is_public(consultation):
            consultation = None
        hearing = step.hearing
        if hearing is not None and not _hearing_is_public(hearing):
            hearing = None
        out.append(
            {
                "kind": step.kind,
                "label": step.get_kind_display(),
                "status": step.status,
                "status_label": step.get_status_display(),
                "started_on": step.started_on,
                "completed_on": step.completed_on,
                "consultation_id": consultation.pk if consultation else None,
                "consultation_title": consultation.title if consultation else "",
                "hearing_id": hearing.pk if hearing else None,
                "hearing_title": hearing.title if hearing else "",
                "evidence_title": step.evidence_title,
                "evidence_url": step.evidence_url,
            }
        )
    return out


def decision_adjustments_public(decision) -> QuerySet[DecisionAdjustment]:
    """Adjustments of a public decision (the catalogue's adjustments are published)."""
    return DecisionAdjustment.objects.filter(decision=decision).order_by("at", "id")


# --- Consultations ----------------------------------------------------------------------------


def public_consultations(government) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(
            organisation__government=government,
            state=PublicationState.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=_now(),
        )
        .select_related("organisation")
        .order_by("-opens_on", "-id")
    )


def _consultation_is_public(c: Consultation) -> bool:
    return (
        c.state == PublicationState.PUBLISHED
        and c.published_at is not None
        and c.published_at <= _now()
    )


def consultation_changes_public(consultation) -> QuerySet[ConsultationChange]:
    return ConsultationChange.objects.filter(consultation=consultation).order_by("at")


def consultation_feedback_public(consultation) -> dict | None:
    """The published feedback (a snapshot made at publication: names already masked)."""
    if consultation.feedback_published_at is None or not consultation.feedback:
        return None
    return consultation.feedback


# --- Hearings ---------------------------------------------------------------------------------


def public_hearings(government) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(
            organisation__government=government,
            state=PublicationState.PUBLISHED,
            notice_published_at__isnull=False,
            notice_published_at__lte=_now(),
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch("participants", queryset=HearingParticipant.objects.order_by("id"))
        )
    )


def _hearing_is_public(h: Hearing) -> bool:
    return h.state == PublicationState.PUBLISHED and h.notice_published_at is not None


# --- Open days --------------------------------------------------------------------------------


class SignedUp(TypedDict):
    signed_up: int  # confirmed sign-ups


def public_open_days(government) -> QuerySet[WithAnnotations[OpenDay, SignedUp]]:
    return (
        OpenDay.objects.filter(
            organisation__government=government,
            state__in=[PublicationState.PUBLISHED],
            published_at__isnull=False,
            published_at__lte=_now(),
        )
        .select_related("organisation")
        .annotate(signed_up=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)))
    )


def open_day_suggestions_public(open_day) -> list[dict]:
    rows = (
        OpenDaySuggestion.objects.filter(open_day=open_day, answered_at__isnull=False)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    return [
        {
            "raised_by": mask_name(s.raised_by),
            "content": mask_personal(s.content, [s.raised_by]),
            "organisation": s.organisation.name,
            "answer": mask_personal(s.answer, [s.raised_by]),
            "answered_at": s.answered_at,
        }
        for s in rows
    ]


# --- Enquiries (knowledge base) ---------------------------------------------------------------


def public_enquiries(government, q: str = "") -> QuerySet[Enquiry]:
    qs = Enquiry.objects.filter(
        organisation__government=government,
        state=EnquiryState.ANSWERED,
        published_at__isnull=False,
        published_at__lte=_now(),
    ).select_related("organisation")
    for term in (q or "").split()[:5]:
        qs = qs.filter(
            Q(subject__icontains=term)
            | Q(question__icontains=term)
            | Q(answer__icontains=term)
            | Q(policy_title__icontains=term)
        )
    return qs.order_by("-published_at", "-id")


def enquiry_public_view(e: Enquiry) -> dict:
    return {
        "id": e.pk,
        "subject": mask_personal(e.subject, [e.asker_name]),
        "question": mask_personal(e.question, [e.asker_name]),
        "policy_title": e.policy_title,
        "policy_url": e.policy_url,
        "organisation": e.organisation.name,
        "asked_on": timezone.localdate(e.submitted_at),
        "answer": mask_personal(e.answer, [e.asker_name]),
        "answered_on": timezone.localdate(e.answered_at) if e.answered_at else None,
    }


# --- Messages ---------------------------------------------------------------------------------


def public_messages(government) -> QuerySet[Message]:
    return (
        Message.objects.filter(
            government=government,
            state=MessageState.ANSWERED,
            consent_to_publish=True,
            published_at__isnull=False,
            published_at__lte=_now(),
        )
        .select_related("organisation")
        .order_by("-published_at", "-id")
    )


def message_public_view(m: Message) -> dict:
    return {
        "id": m.pk,
        "mailbox": m.get_mailbox_display(),
        "subject": mask_personal(m.subject, [m.writer_name]),
        "body": mask_personal(m.body, [m.writer_name]),
        "writer": mask_name(m.writer_name),
        "received_on": timezone.localdate(m.received_at),
        "organisation": m.organisation.name,
        "answer": mask_personal(m.answer, [m.writer_name]),
        "answered_on": timezone.localdate(m.answered_at) if m.answered_at else None,
    }


# --- Proposals --------------------------------------------------------------------------------


def public_proposals(government) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            organisation__government=government,
            published_at__isnull=False,
            published_at__lte=_now(),
        )
        .select_related("organisation")
        .order_by("-replied_on", "kind", "number")
    )


# --- Follow-up by the citizen who submitted (tracking code + contact, core.tracking) ----------

TRACKING_SCOPE = "participation"


def _tracked_in(government, code: str):
    from gongkai.participation.models import Enquiry, Message

    enquiry = (
        Enquiry.objects.filter(tracking_code=code, organisation__government=government)
        .select_related("organisation")
        .first()
    )
    if enquiry is not None:
        return enquiry
    return (
        Message.objects.filter(tracking_code=code, government=government)
        .select_related("organisation")
        .first()
    )


def open_follow_up(request, government, code: str, contact: str):
    """The enquiry or message of `government` with this tracking code whose submitter gave
    `contact` (phone or e-mail); on success this browser session may follow it from now on.
    None when they do not match (the same answer for an unknown code)."""
    from gongkai.core import tracking
    from gongkai.participation.models import Enquiry

    code = tracking.normalise_code(code)
    item = _tracked_in(government, code) if code else None
    if item is None:
        return None
    known = (item.contact,) if isinstance(item, Enquiry) else (item.phone, item.email)
    if not tracking.contact_matches(contact, *known):
        return None
    tracking.remember(request, TRACKING_SCOPE, code)
    return item


def followed_up(request, government, code: str):
    """The enquiry or message this session passed the check for, else None (→ 404)."""
    from gongkai.core import tracking

    if not tracking.remembered(request, TRACKING_SCOPE, code):
        return None
    return _tracked_in(government, code)
