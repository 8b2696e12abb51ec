"""What the public may see of work plans: the ONLY public gate for plans.

A plan is public when the office has switched on 「在门户公开承诺事项进展」; of a public plan only
the tasks marked 公开承诺事项 are shown, with their organisations and accepted progress (never
pending or returned reports, never names of staff).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Assignment, Task, WorkPlan


def public_plans(government) -> QuerySet[WorkPlan]:
    gov_id = government if isinstance(government, int) else government.pk
    return WorkPlan.objects.filter(government_id=gov_id, is_public=True).select_related(
        "organisation"
    )


def public_tasks(plan: WorkPlan) -> QuerySet[Task]:
    if not plan.is_public:
        return Task.objects.none()
    return (
        Task.objects.filter(plan=plan, is_public_commitment=True)
        .prefetch_related(
            "lead_orgs",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("organisation").order_by(
                    "organisation__order", "organisation_id", "period"
                ),
            ),
        )
        .order_by("n")
    )
