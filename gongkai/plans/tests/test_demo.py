"""gongkai/demo/plans.py: the sample table as the 2021 plan of 济宁市人民政府, idempotent."""

from __future__ import annotations

from gongkai.demo import plans as demo_plans
from gongkai.demo.loader import load_demo
from gongkai.plans.models import ProgressReport, ReportState, Task, WorkPlan


def test_demo_plan_loads_once(db, client):
    assert load_demo()["created"] is True  # the demo loader runs the plans demo
    plan = WorkPlan.objects.get()
    assert plan.organisation.name == "济宁市人民政府" and plan.year == 2021 and plan.is_public
    assert plan.tasks.count() == 66
    reports = ProgressReport.objects.filter(assignment__task__plan=plan)
    assert reports.count() == 3 and set(reports.values_list("state", flat=True)) == {
        ReportState.ACCEPTED
    }
    counts = (WorkPlan.objects.count(), Task.objects.count(), reports.count())
    assert demo_plans.load() is False
    assert (WorkPlan.objects.count(), Task.objects.count(), reports.count()) == counts
    assert "公开承诺事项落实情况" in client.get(f"/plans/{plan.pk}/").content.decode()
