"""Shared by every action: refusals, the clock cache, events, audit, numbering, letters and
notifications."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Collection, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.actions import ActionError as ActionError  # re-exported to the actions
from gongkai.core.tasks import generate_later, queue_mail

from .. import clock as clock_mod
from .. import rules
from ..models import (
    CLOCK_STATES,
    InfoRequest,
    Letter,
    LetterKind,
    RequestEvent,
)
from ..rules import fee_pauses_clock as fee_pauses_clock  # re-exported
from ..rules import receipt_rule as receipt_rule  # re-exported

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.core.actions import Actor

logger = logging.getLogger("gongkai.foi")

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REQUESTER_ACTOR = "申请人"
NOT_HANDLER = "您没有办理该申请的权限。"


def today() -> date:
    return timezone.localdate()


# --- The clock -----------------------------------------------------------------------------


def clock_events(
    req: InfoRequest, events: Iterable[RequestEvent] | None = None
) -> list[clock_mod.ClockEvent]:
    events = req.events.all() if events is None else events
    return [clock_mod.ClockEvent.of(e) for e in events]


def clock_for(
    req: InfoRequest, *, on: date | None = None, events: Iterable[RequestEvent] | None = None
) -> clock_mod.Clock:
    return rules.request_clock(req, on=on or today(), events=events)


def require_lawful(req: InfoRequest, name: str) -> rules.LawfulAction:
    """Refuse, with the Chinese reason and its article, an action the law does not allow today
    (foi.rules.allowed_actions)."""
    return rules.require_lawful(req, name, today())


def refresh_clock(req: InfoRequest) -> clock_mod.Clock:
    """Recompute the cached due date from the events and store it."""
    clock = clock_for(req)
    open_clock = req.state in CLOCK_STATES
    due = clock.due if open_clock else req.due_on
    provisional = clock.provisional if open_clock else req.due_provisional
    paused = open_clock and bool(clock.paused)
    if clock.awaiting_correction:
        due, provisional = None, False
    if (due, provisional, paused) != (req.due_on, req.due_provisional, req.clock_paused):
        req.due_on, req.due_provisional, req.clock_paused = due, provisional, paused
        req.save(update_fields=["due_on", "due_provisional", "clock_paused", "updated_at"])
    return clock


def recompute_open(*, year: int | None = None) -> int:
    """Recompute the due dates of open requests and the pay-by dates of unpaid fees (after a
    holiday notice is loaded)."""
    from .delivery import recompute_fees

    qs = InfoRequest.objects.filter(state__in=CLOCK_STATES)
    if year is not None:
        qs = qs.filter(due_provisional=True) | qs.filter(due_on__year=year)
    changed = 0
    for req in qs.prefetch_related("events"):
        before = (req.due_on, req.due_provisional)
        refresh_clock(req)
        changed += before != (req.due_on, req.due_provisional)
    return changed + recompute_fees(year=year)


# --- Helpers ------------------------------------------------------------------------------


def _label(actor: Actor) -> str:
    if actor is None:
        return "系统"
    if isinstance(actor, str):
        return actor
    return str(actor)


def _user(actor: Actor) -> User | None:
    # Only a signed-in user (the project's User) is authenticated; a label or AnonymousUser is
    # not, so the narrowed value is a User.
    return cast("User | None", actor) if getattr(actor, "is_authenticated", False) else None


def _event(
    req: InfoRequest,
    kind: str,
    on: date,
    actor: Actor,
    *,
    days: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=req,
        kind=kind,
        on=on,
        actor=_user(actor),
        actor_label=_label(actor),
        days=days,
        note=note,
        data=data or {},
        public=public,
    )


FIELDS = ["state", "organisation", "officer", "received_on", "due_on", "outcome", "ref"]


def _locked(req: InfoRequest) -> InfoRequest:
    """The request re-read under a row lock, so concurrent actions serialise."""
    fresh = (
        InfoRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "requester")
        .get(pk=req.pk)
    )
    return fresh


def _require_state(req: InfoRequest, states: Collection[str], what: str) -> None:
    if req.state not in states:
        raise ActionError(f"申请当前状态为「{req.get_state_display()}」，不能{what}。")


def _audit(
    actor: Actor, action: str, req: InfoRequest, before: dict[str, Any], note: str = ""
) -> None:
    audit.record(
        actor,
        f"foi.{action}",
        req,
        before=before,
        after=audit.snapshot(req, FIELDS),
        note=note,
    )


def _done(
    req: InfoRequest, actor: Actor, action: str, before: dict[str, Any], note: str = ""
) -> InfoRequest:
    refresh_clock(req)
    _audit(actor, action, req, before, note)
    return req


def _new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


def _assign_ref(req: InfoRequest) -> None:
    """登记编号 such as 2026-0007, one sequence per government and year of receipt."""
    if req.ref or req.received_on is None:
        return
    year = req.received_on.year
    prefix = f"{year}-"
    for _ in range(20):
        last = (
            InfoRequest.objects.filter(government_id=req.government_id, ref__startswith=prefix)
            .aggregate(m=Max("ref"))
            .get("m")
        )
        serial = int(last.split("-")[1]) + 1 if last else 1
        req.ref = f"{prefix}{serial:04d}"
        try:
            with transaction.atomic():
                req.save(update_fields=["ref", "updated_at"])
            return
        except IntegrityError:
            req.ref = ""
    raise ActionError("登记编号分配失败，请重试。")


LETTER_PREFIX: dict[str, str] = {
    LetterKind.REPLY: "依申请答复",
    LetterKind.CORRECTION_NOTICE: "补正告知",
    LetterKind.EXTENSION_NOTICE: "延期告知",
    LetterKind.FEE_NOTICE: "收费通知",
    LetterKind.RECEIPT: "受理回执",
    LetterKind.THIRD_PARTY: "征求意见",
    LetterKind.CONSULTATION: "会商",
    LetterKind.THIRD_PARTY_DECISION: "公开决定告知",
    LetterKind.REASONS_REQUEST: "说明理由通知",
    LetterKind.DEADLINE_NOTICE: "延迟答复告知",
}


def _issue_letter(
    req: InfoRequest,
    kind: str,
    body: str,
    on: date,
    *,
    remedies: str = "",
    recipient: str = "requester",
    recipient_name: str = "",
) -> Letter:
    """Number and store a letter, refused while its text holds a placeholder or lacks the
    remedies it must state (foi.letters)."""
    from ..letters import refuse, text_problems

    refuse(text_problems(body, remedies), f"出具{LetterKind(kind).label}")
    org = req.organisation
    for _ in range(20):
        last = Letter.objects.filter(organisation=org, kind=kind, year=on.year).aggregate(
            m=Max("serial")
        )["m"]
        serial = (last or 0) + 1
        try:
            with transaction.atomic():
                letter = Letter.objects.create(
                    request=req,
                    organisation=org,
                    kind=kind,
                    year=on.year,
                    serial=serial,
                    number=f"{org.display_name}{LETTER_PREFIX[kind]}〔{on.year}〕{serial}号",
                    title=LetterKind(kind).label,
                    body=body,
                    issued_on=on,
                    recipient=recipient,
                    recipient_name=recipient_name or req.requester.name,
                )
            # Rendered and stored by a worker, in this action's transaction (foi.documents).
            generate_later("foi.letter", str(letter.pk), ("docx", "pdf"))
            return letter
        except IntegrityError:
            continue
    raise ActionError("文书编号分配失败，请重试。")


def _notify_requester(req: InfoRequest, subject: str, text: str) -> None:
    """E-mail the requester through the outbox: sent by a worker once this action commits."""
    if req.requester.email:
        queue_mail(f"foi:{req.pk}:{uuid.uuid4().hex}", subject, text, [req.requester.email])


def _notify_staff(users: Iterable[User], subject: str, text: str, req: InfoRequest) -> None:
    emails = [u.email for u in users if getattr(u, "email", "")]
    if emails:
        queue_mail(f"foi-staff:{req.pk}:{uuid.uuid4().hex}", subject, text, emails)


def _letter_text(template: str, req: InfoRequest, **extra: Any) -> str:
    """The letter text from the government's own wording of `template` (LetterTemplate), or
    the default file templates/foi/letters/<key>.txt, rendered in the restricted letter
    language (foi.letter_language: allow-listed fields as plain values)."""
    from .. import letter_language
    from ..models import LetterTemplate
    from .templates import default_text

    key = template.rsplit("/", 1)[-1].removesuffix(".txt")
    own = LetterTemplate.objects.filter(government_id=req.government_id, key=key).first()
    return letter_language.render(own.text if own else default_text(key), req, **extra)
