"""Public API for work plans: the plans a government publishes and the progress of their
publicly committed tasks (公开承诺事项). Everything goes through plans.visibility."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from gongkai.orgs.sites import government_or_404

from . import visibility

router = Router(tags=["工作要点"])


class ErrorOut(Schema):
    detail: str


class PlanOut(Schema):
    id: int
    title: str
    year: int
    kind: str
    doc_no: str
    organisation: str
    issued_on: date


class ProgressOut(Schema):
    organisation: str
    period: str
    due_on: date | None
    progress: int
    completed_on: date | None


class CommitmentOut(Schema):
    n: int
    section: str
    subsection: str
    requirement: str
    lead: list[str]
    due_on: date | None
    progress: list[ProgressOut]


class PlanDetailOut(PlanOut):
    commitments: list[CommitmentOut]


def _plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "title": plan.title,
        "year": plan.year,
        "kind": plan.kind,
        "doc_no": plan.doc_no,
        "organisation": plan.organisation.name,
        "issued_on": plan.issued_on,
    }


@router.get("/", response={200: list[PlanOut], 404: ErrorOut}, summary="公开的工作计划")
def plan_list(request, gov: str | None = None):
    return [_plan_out(p) for p in visibility.public_plans(government_or_404(gov))]


@router.get("/{plan_id}/", response={200: PlanDetailOut, 404: ErrorOut}, summary="公开承诺事项进展")
def plan_detail(request, plan_id: int, gov: str | None = None):
    plan = visibility.public_plans(government_or_404(gov)).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("未找到该工作计划")
    tasks = [
        {
            "n": t.n,
            "section": t.section,
            "subsection": t.subsection,
            "requirement": t.requirement,
            "lead": [o.name for o in t.lead_orgs.all()],
            "due_on": t.due_on,
            "progress": [
                {
                    "organisation": a.organisation.name,
                    "period": a.period,
                    "due_on": a.due_on,
                    "progress": a.progress,
                    "completed_on": a.completed_on,
                }
                for a in t.assignments.all()
            ],
        }
        for t in visibility.public_tasks(plan)
    ]
    return {**_plan_out(plan), "commitments": tasks}
