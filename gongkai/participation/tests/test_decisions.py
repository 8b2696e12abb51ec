"""The major-decision catalogue: steps with evidence, the legality-review rule in working
days, adjustments after publication, the public catalogue with progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.actions import ActionError
from gongkai.participation import actions
from gongkai.participation.models import (
    AdjustmentKind,
    DecisionStatus,
    StepKind,
    StepStatus,
)
from gongkai.testing import forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(office, government):
    return actions.create_catalogue(office, government, year=2026)


@pytest.fixture
def decision(office, catalogue, dept_a):
    return actions.add_decision(
        office,
        catalogue,
        title="济宁市中小学布局专项规划（2026—2035年）",
        organisation=dept_a,
        planned_time="2026年6月",
        hearing_required=True,
    )


def _step(decision, kind):
    return decision.steps.get(kind=kind)


def test_a_decision_gets_the_seven_steps_in_order(decision):
    kinds = list(decision.steps.order_by("order").values_list("kind", flat=True))
    assert kinds == [
        StepKind.PUBLIC_PARTICIPATION,
        StepKind.EXPERT_REVIEW,
        StepKind.RISK_ASSESSMENT,
        StepKind.LEGALITY_REVIEW,
        StepKind.COLLECTIVE_DECISION,
        StepKind.PUBLICATION,
        StepKind.POST_EVALUATION,
    ]


def test_catalogue_publication_needs_party_consent(office, catalogue, decision, client):
    with pytest.raises(ActionError):
        actions.publish_catalogue(office, catalogue, party_consent_on=None)
    assert "中小学布局" not in client.get("/participation/decisions/").content.decode()
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(2026, 2, 10))
    page = client.get("/participation/decisions/").content.decode()
    assert "中小学布局" in page and "0/7" in page and "济宁市教育局" in page


def test_legality_review_needs_seven_working_days(office, decision):
    review = _step(decision, StepKind.LEGALITY_REVIEW)
    # 2026-09-28 → 2026-10-09 spans the National Day holiday: 11 days but 4 working days.
    with pytest.raises(ActionError) as exc:
        actions.update_step(
            office,
            review,
            status=StepStatus.DONE,
            started_on=dt.date(2026, 9, 28),
            completed_on=dt.date(2026, 10, 9),
            evidence_url="https://example.gov.cn/review.pdf",
        )
    assert "不得少于7个工作日" in exc.value.message and "仅4个工作日" in exc.value.message
    actions.update_step(
        office,
        review,
        status=StepStatus.DONE,
        started_on=dt.date(2026, 6, 1),
        completed_on=dt.date(2026, 6, 10),
        evidence_url="https://example.gov.cn/review.pdf",
    )
    review.refresh_from_db()
    assert review.status == StepStatus.DONE


def test_collective_decision_waits_for_the_legality_review(office, decision):
    with pytest.raises(ActionError) as exc:
        actions.update_step(
            office,
            _step(decision, StepKind.COLLECTIVE_DECISION),
            status=StepStatus.DONE,
            completed_on=dt.date(2026, 6, 20),
            evidence_url="https://example.gov.cn/meeting.html",
        )
    assert "合法性审查" in exc.value.message


def test_done_needs_evidence_and_not_applicable_needs_a_basis(office, decision):
    step = _step(decision, StepKind.EXPERT_REVIEW)
    with pytest.raises(ActionError) as exc:
        actions.update_step(office, step, status=StepStatus.DONE, completed_on=dt.date(2026, 5, 1))
    assert exc.value.field == "evidence_url"
    with pytest.raises(ActionError):
        actions.update_step(office, step, status=StepStatus.NOT_APPLICABLE)
    actions.update_step(
        office, step, status=StepStatus.NOT_APPLICABLE, note="事项专业性不强，经研究不需专家论证"
    )


def test_progress_and_status_follow_the_steps(office, decision, consultation, client, catalogue):
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(2026, 2, 10))
    actions.update_step(
        office,
        _step(decision, StepKind.PUBLIC_PARTICIPATION),
        status=StepStatus.DONE,
        completed_on=dt.date(2026, 3, 1),
        consultation=consultation,
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS
    actions.update_step(
        office,
        _step(decision, StepKind.LEGALITY_REVIEW),
        status=StepStatus.DONE,
        started_on=dt.date(2026, 6, 1),
        completed_on=dt.date(2026, 6, 10),
        evidence_url="https://example.gov.cn/review.pdf",
        evidence_title="合法性审查意见书",
    )
    actions.update_step(
        office,
        _step(decision, StepKind.COLLECTIVE_DECISION),
        status=StepStatus.DONE,
        completed_on=dt.date(2026, 6, 20),
        evidence_url="https://example.gov.cn/meeting.html",
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DECIDED and decision.decided_on == dt.date(2026, 6, 20)
    page = client.get(f"/participation/decisions/{decision.pk}/").content.decode()
    # The evidence links: the public consultation and the published document.
    assert f"/participation/consultations/{consultation.pk}/" in page
    assert "合法性审查意见书" in page
    assert "3/7" in client.get("/participation/decisions/").content.decode()
    completion = client.get("/participation/decisions/?year=2026&view=completion").content.decode()
    assert "2026-06-20" in completion and "完成情况" in completion


def test_unpublished_consultation_is_not_linked_publicly(
    office, decision, make_consultation, catalogue, client
):
    draft = make_consultation(publish=False)
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(2026, 2, 10))
    actions.update_step(
        office,
        _step(decision, StepKind.PUBLIC_PARTICIPATION),
        status=StepStatus.IN_PROGRESS,
        consultation=draft,
    )
    page = client.get(f"/participation/decisions/{decision.pk}/").content.decode()
    assert f"/participation/consultations/{draft.pk}/" not in page


def test_adjustments_after_publication_need_a_reason_and_are_public(
    office, catalogue, decision, dept_b, client
):
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(2026, 2, 10))
    with pytest.raises(ActionError):
        actions.add_decision(
            office, catalogue, title="新增事项", organisation=dept_b, planned_time="2026年10月"
        )
    added = actions.add_decision(
        office,
        catalogue,
        title="济宁市政府性债务管理办法",
        organisation=dept_b,
        planned_time="2026年10月",
        reason="根据省政府部署新增",
    )
    assert added.number == 2 and added.adjustments.get().kind == AdjustmentKind.ADDED
    with pytest.raises(ActionError):
        actions.adjust_decision(
            office, decision, kind=AdjustmentKind.POSTPONED, reason="", planned_time="2026年12月"
        )
    actions.adjust_decision(
        office,
        decision,
        kind=AdjustmentKind.POSTPONED,
        reason="需进一步开展风险评估",
        planned_time="2026年12月",
    )
    actions.adjust_decision(
        office, added, kind=AdjustmentKind.WITHDRAWN, reason="上级已出台统一办法"
    )
    decision.refresh_from_db()
    assert decision.planned_time == "2026年12月"
    adjustment = decision.adjustments.get()
    assert adjustment.changes == {
        "before": {"planned_time": "2026年6月"},
        "after": {"planned_time": "2026年12月"},
    }
    page = client.get(f"/participation/decisions/{decision.pk}/").content.decode()
    assert "需进一步开展风险评估" in page
    assert "已调出目录" in client.get("/participation/decisions/").content.decode()


def test_only_the_office_edits_the_catalogue_and_outsiders_cannot_update_steps(
    officer_a, officer_b, catalogue, decision, dept_a
):
    with forbidden():
        actions.add_decision(
            officer_a, catalogue, title="越权新增", organisation=dept_a, planned_time="年内"
        )
    step = _step(decision, StepKind.EXPERT_REVIEW)
    actions.update_step(
        officer_a, step, status=StepStatus.IN_PROGRESS, started_on=dt.date(2026, 4, 1)
    )
    with forbidden():
        actions.update_step(officer_b, step, status=StepStatus.IN_PROGRESS)


def test_staff_pages_and_query_counts(
    login, office, catalogue, dept_a, client, django_assert_max_num_queries
):
    for i in range(8):
        actions.add_decision(
            office, catalogue, title=f"决策事项{i}", organisation=dept_a, planned_time="2026年"
        )
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(2026, 2, 10))
    staff = login(office)
    assert (
        staff.get(reverse("participation_staff:catalogue", args=[catalogue.pk])).status_code == 200
    )
    decision = catalogue.decisions.first()
    assert staff.get(reverse("participation_staff:decision", args=[decision.pk])).status_code == 200
    client.get("/participation/decisions/")
    with django_assert_max_num_queries(6):
        page = client.get("/participation/decisions/").content.decode()
    assert page.count("决策事项") >= 8
    with django_assert_max_num_queries(6):
        data = client.get("/api/participation/decisions?year=2026").json()
    assert len(data) == 8 and data[0]["steps_required"] == 7
    detail = client.get(f"/api/participation/decisions/{decision.pk}").json()
    assert len(detail["steps"]) == 7
