"""Which plans, assignments and reports a staff user may see: the ONE read gate for plans.

- the openness office (公开办) or an evaluator of a government: every plan of that government;
- staff of an organisation: plans it issued (its 实施方案), plans where it leads a task or
  holds an assignment, and plans whose look-back (回头看) lists its unfinished work; within a plan, the assignments of its organisations and of the tasks it
  leads.

A plan the user may not see is a 404 exactly like a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.orgs import rules as org_rules
from gongkai.orgs.models import Role

from .models import Assignment, LookBackItem, ProgressReport, WorkPlan, WorkPlanQuerySet


def _governments(user) -> list[int]:
    return [
        org_id
        for org_id, roles in org_rules.roles_by_organisation(user).items()
        if roles & {Role.OFFICE_ADMIN, Role.EVALUATOR}
    ]


def _handling_orgs(user) -> list[int]:
    handling = {str(r) for r in org_rules.HANDLING_ROLES}
    return [
        org_id
        for org_id, roles in org_rules.roles_by_organisation(user).items()
        if roles & handling
    ]


def plans_for(user) -> WorkPlanQuerySet:
    if not getattr(user, "is_authenticated", False):
        return WorkPlan.objects.none()
    if getattr(user, "is_superuser", False):
        return WorkPlan.objects.all()
    govs, orgs = _governments(user), _handling_orgs(user)
    if not govs and not orgs:
        return WorkPlan.objects.none()
    involved = Assignment.objects.filter(organisation_id__in=orgs).values("task__plan_id")
    led = WorkPlan.objects.filter(tasks__lead_orgs__in=orgs).values("pk")
    reviewing = LookBackItem.objects.filter(assignment__organisation_id__in=orgs).values("plan_id")
    return WorkPlan.objects.filter(
        Q(government_id__in=govs)
        | Q(organisation_id__in=orgs)
        | Q(pk__in=involved)
        | Q(pk__in=led)
        | Q(pk__in=reviewing)
    )


def get_plan_for(user, pk) -> WorkPlan:
    try:
        return plans_for(user).select_related("organisation", "government", "parent").get(pk=pk)
    except (WorkPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该工作计划。") from exc


def sees_whole_plan(user, plan: WorkPlan) -> bool:
    return getattr(user, "is_superuser", False) or plan.government_id in _governments(user)


def assignments_for(user, plan: WorkPlan) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(task__plan=plan)
    if sees_whole_plan(user, plan):
        return qs
    orgs = _handling_orgs(user)
    return qs.filter(Q(organisation_id__in=orgs) | Q(task__lead_orgs__in=orgs)).distinct()


def get_assignment_for(user, pk) -> Assignment:
    try:
        assignment = Assignment.objects.select_related(
            "task", "task__plan", "task__plan__government", "organisation"
        ).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该任务分工。") from exc
    if not assignments_for(user, assignment.task.plan).filter(pk=assignment.pk).exists():
        raise Http404("未找到该任务分工。")
    return assignment


def get_report_for(user, pk) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_related("assignment").get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该报送。") from exc
    get_assignment_for(user, report.assignment_id)
    return ProgressReport.objects.select_related(
        "assignment__task__plan", "assignment__organisation"
    ).get(pk=report.pk)
