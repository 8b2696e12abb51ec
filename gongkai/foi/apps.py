from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.apps import AppConfig

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from gongkai.core.actions import Actor
    from gongkai.core.calendar import WorkdayResult
    from gongkai.core.workday_dates import Change, WorkdayDate
    from gongkai.foi.models import Fee, InfoRequest


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.core import workday_dates

        for entry in _workday_dates():
            workday_dates.register(entry)


def _workday_dates() -> list[WorkdayDate]:
    """foi's stored working-day dates in the core registry (gongkai.core.workday_dates): loading a
    year's notice recomputes them with foi's own clock (refresh_clock), audits each change and
    alerts the officer (a foi Reminder + e-mail) when a date moved earlier."""
    from django.urls import reverse

    from gongkai.core.workday_dates import WorkdayDate

    def pending_requests() -> QuerySet[InfoRequest]:
        from gongkai.foi.models import CLOCK_STATES, InfoRequest

        return InfoRequest.objects.filter(state__in=CLOCK_STATES)

    def due(obj: Model) -> WorkdayResult | None:
        from gongkai.core.calendar import WorkdayResult
        from gongkai.foi.actions.base import clock_for

        clock = clock_for(cast("InfoRequest", obj))  # the entry is registered for foi.InfoRequest
        if clock.awaiting_correction or clock.due is None:
            return None
        return WorkdayResult(clock.due, clock.provisional_years)

    def recompute_due(entry: WorkdayDate, year: int | None, actor: Actor) -> list[Change]:
        from gongkai.core import workday_dates
        from gongkai.foi.actions.base import refresh_clock

        changes: list[Change] = []
        for req in workday_dates.affected(entry, year).prefetch_related("events"):
            before = entry.stored(req)
            refresh_clock(req)
            change = workday_dates.note(entry, req, before, entry.stored(req), year, actor)
            if change is not None:
                changes.append(change)
        return changes

    def pending_fees() -> QuerySet[Fee]:
        from gongkai.foi.models import Fee

        # The period runs from the day after the applicant received the notice (109号): a fee
        # whose notice has no recorded receipt has no payment deadline yet.
        return Fee.objects.filter(
            paid_on__isnull=True, lapsed=False, notice_received_on__isnull=False
        ).select_related("request")

    def pay_by(obj: Model) -> WorkdayResult:
        from gongkai.core.calendar import add_workdays
        from gongkai.foi.clock import PAYMENT_DAYS

        fee = cast("Fee", obj)  # the entry is registered for foi.Fee
        assert fee.notice_received_on is not None  # pending_fees: only received notices
        return add_workdays(fee.notice_received_on, PAYMENT_DAYS)

    def alert(change: Change, actor: object) -> None:
        from django.utils import timezone

        from gongkai.foi.periodic import _remind

        # A fee's request, or the request itself (the two entries registered below).
        req = cast("InfoRequest", getattr(change.obj, "request", change.obj))
        _remind(req, "moved_earlier", change.text[:300], timezone.localdate(), False)

    return [
        WorkdayDate(
            key="foi.request.due_on",
            label="依申请公开答复期限",
            model="foi.InfoRequest",
            field="due_on",
            provisional_field="due_provisional",
            pending=pending_requests,
            compute=due,
            recompute=recompute_due,
            alert=alert,
            url=lambda req: reverse("foi_staff:detail", args=[req.pk]),
            organisation_id=lambda req: cast("InfoRequest", req).organisation_id,
        ),
        WorkdayDate(
            key="foi.fee.pay_by",
            label="信息处理费缴费期限",
            model="foi.Fee",
            field="pay_by",
            pending=pending_fees,
            compute=pay_by,
            alert=alert,
            url=lambda fee: reverse("foi_staff:detail", args=[cast("Fee", fee).request_id]),
            organisation_id=lambda fee: cast("Fee", fee).request.organisation_id,
        ),
    ]
