import datetime as dt
import re

import pytest
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import (
    Attribute,
    Genre,
    InterpretationPlan,
    InterpretationStatus,
    Record,
    Status,
    Validity,
)
from gongkai.catalog.querysets import interpretations_due, library_counts, overdue
from gongkai.catalog.visibility import public_interpretations, public_records
from gongkai.core import calendar
from gongkai.core.models import AuditEvent
from gongkai.testing import forbidden


def draft(user, org, **fields):
    data = {"title": "济宁市教育局关于规范校外培训的通知", "made_on": dt.date(2026, 11, 2)}
    data.update(fields)
    return actions.create_record(user, org, data)


def test_index_no_scheme_is_unique_and_never_changes(officer_a, dept_a):
    dept_a.org_code = "113708000043"
    dept_a.save()
    first = draft(officer_a, dept_a, written_on=dt.date(2021, 3, 1))
    second = draft(officer_a, dept_a, written_on=dt.date(2021, 5, 1))
    assert first.index_no == "113708000043/2021-00001"
    assert second.index_no == "113708000043/2021-00002"
    actions.update_record(officer_a, first, {"title": "新标题", "written_on": dt.date(2022, 1, 1)})
    first.refresh_from_db()
    assert first.index_no == "113708000043/2021-00001"
    third = draft(officer_a, dept_a)
    assert re.fullmatch(r"113708000043/\d{4}-\d{5}", third.index_no)


def test_publish_window_is_20_working_days(officer_a, dept_a):
    record = draft(officer_a, dept_a, made_on=dt.date(2026, 9, 21))
    assert record.publish_due_on == calendar.add_workdays(dt.date(2026, 9, 21), 20).date
    # National Day holidays push the deadline past 20 calendar days.
    assert record.publish_due_on > dt.date(2026, 10, 19)


def test_full_workflow_with_audit(officer_a, approver_a, dept_a):
    record = draft(officer_a, dept_a, body="<p>正文<script>alert(1)</script></p>")
    assert "<script>" not in record.body
    actions.submit_for_review(officer_a, record)
    with forbidden():
        actions.approve(officer_a, record)
    actions.approve(approver_a, record)
    with forbidden():
        actions.publish(officer_a, record)
    actions.publish(approver_a, record)
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert public_records().filter(pk=record.pk).exists()
    with pytest.raises(actions.ActionError, match="理由"):
        actions.withdraw(approver_a, record, " ")
    actions.withdraw(approver_a, record, "内容有误")
    assert not public_records().filter(pk=record.pk).exists()
    events = list(
        AuditEvent.objects.filter(object_id=str(record.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert events == [
        "catalog.record.create",
        "catalog.record.submit",
        "catalog.record.approve",
        "catalog.record.publish",
        "catalog.record.withdraw",
    ]


def test_outsider_cannot_edit_or_publish(officer_a, officer_b, dept_a, approver_a):
    record = draft(officer_a, dept_a)
    with forbidden():
        actions.update_record(officer_b, record, {"title": "改"})
    with forbidden():
        actions.submit_for_review(officer_b, record)
    with forbidden():
        actions.create_record(officer_b, dept_a, {"title": "x", "made_on": dt.date(2026, 1, 5)})
    actions.submit_for_review(officer_a, record)
    actions.approve(approver_a, record)
    with forbidden():
        actions.publish(officer_b, record)


def test_three_in_step_blocks_normative_without_interpretation(officer_a, approver_a, dept_a):
    record = draft(officer_a, dept_a, genre=Genre.NORMATIVE, doc_no="济教发〔2026〕3号")
    with pytest.raises(actions.ActionError, match="解读"):
        actions.submit_for_review(officer_a, record)
    actions.update_record(officer_a, record, {"interpretation_plan": InterpretationPlan.WITH})
    with pytest.raises(actions.ActionError, match="请先添加政策解读"):
        actions.submit_for_review(officer_a, record)
    interp = actions.create_interpretation(officer_a, record, {"title": "一图读懂", "body": "解读"})
    actions.submit_for_review(officer_a, record)
    actions.approve(approver_a, record)
    actions.publish(approver_a, record)
    interp.refresh_from_db()
    record.refresh_from_db()
    assert interp.status == InterpretationStatus.PUBLISHED
    assert interp.published_at == record.published_at
    assert public_interpretations().filter(pk=interp.pk).exists()


def test_exemption_needs_reason(officer_a, dept_a):
    record = draft(officer_a, dept_a, genre=Genre.RULE)
    actions.update_record(officer_a, record, {"interpretation_plan": InterpretationPlan.EXEMPT})
    with pytest.raises(actions.ActionError, match="理由"):
        actions.submit_for_review(officer_a, record)
    actions.update_record(
        officer_a,
        record,
        {
            "interpretation_plan": InterpretationPlan.EXEMPT,
            "interpretation_exempt_reason": "内容简单明了",
        },
    )
    actions.submit_for_review(officer_a, record)


def test_interpretation_later_is_tracked(officer_a, approver_a, dept_a):
    record = draft(
        officer_a, dept_a, genre=Genre.NORMATIVE, interpretation_plan=InterpretationPlan.LATER
    )
    actions.submit_for_review(officer_a, record)
    actions.approve(approver_a, record)
    actions.publish(approver_a, record)
    record.refresh_from_db()
    expected = calendar.add_workdays(timezone.localdate(), 3).date
    assert record.interpretation_due_on == expected
    assert list(interpretations_due([dept_a.pk])) == [record]
    interp = actions.create_interpretation(officer_a, record, {"title": "解读", "body": "x"})
    actions.publish_interpretation(approver_a, interp)
    assert list(interpretations_due([dept_a.pk])) == []


def test_not_proactive_needs_reason_basis_and_office(officer_a, approver_a, office, dept_a):
    record = draft(officer_a, dept_a, attribute=Attribute.WITHHELD)
    with pytest.raises(actions.ActionError, match="理由"):
        actions.submit_for_review(officer_a, record)
    actions.update_record(
        officer_a,
        record,
        {
            "attribute": Attribute.WITHHELD,
            "attribute_reason": "涉及个人隐私",
            "attribute_basis": "条例第十五条",
        },
    )
    actions.submit_for_review(officer_a, record)
    with pytest.raises(actions.ActionError, match="政务公开办公室"):
        actions.approve(approver_a, record)
    actions.return_to_draft(office, record, "理由不充分，请补充")
    record.refresh_from_db()
    assert record.status == Status.DRAFT and record.return_reason
    actions.submit_for_review(officer_a, record)
    actions.approve(office, record)
    with pytest.raises(actions.ActionError, match="主动公开"):
        actions.publish(office, record)
    assert not public_records().filter(pk=record.pk).exists()


def test_attribute_change_is_logged(publish_record, office):
    record = publish_record()
    actions.change_attribute(office, record, Attribute.ON_REQUEST, "涉及第三方", "条例第十五条")
    assert not public_records().filter(pk=record.pk).exists()
    event = AuditEvent.objects.filter(action="catalog.record.attribute").get()
    assert event.before["attribute"] == "proactive"
    assert event.after["attribute"] == "on_request"


def test_scheduled_publication(publish_record):
    later = timezone.now() + dt.timedelta(days=2)
    record = publish_record(at=later)
    assert record.status == Status.PUBLISHED
    assert not public_records().filter(pk=record.pk).exists()
    assert public_records(now=later + dt.timedelta(seconds=1)).filter(pk=record.pk).exists()


def test_validity_chain_and_library_counts(publish_record, approver_a, government):
    year = timezone.localdate().year
    old = publish_record(genre=Genre.NORMATIVE, interpretation="解读一", title="旧办法")
    new = publish_record(genre=Genre.NORMATIVE, interpretation="解读二", title="新办法")
    with pytest.raises(actions.ActionError, match="废止"):
        actions.change_validity(approver_a, old, Validity.REPEALED)
    actions.change_validity(approver_a, old, Validity.REPEALED, by_record=new)
    old.refresh_from_db()
    assert old.superseded_by == new and old.validity == Validity.REPEALED
    counts = library_counts(government, year)
    assert counts["normative"] == {"issued": 2, "repealed": 1, "in_force": 1}


def test_overdue_list(officer_a, dept_a):
    late = draft(officer_a, dept_a, made_on=dt.date(2026, 1, 5))
    draft(officer_a, dept_a, made_on=timezone.localdate())
    assert list(overdue([dept_a.pk], today=dt.date(2026, 3, 1))) == [late]
    assert Record.objects.count() == 2


def test_cleanup_workflow(publish_record, office, officer_a, government):
    doc = publish_record(genre=Genre.NORMATIVE, interpretation="解读")
    with forbidden():
        actions.start_cleanup(officer_a, government, "清理")
    cleanup = actions.start_cleanup(office, government, "2026年度清理")
    item = cleanup.items.get()
    assert item.record == doc
    with pytest.raises(actions.ActionError, match="未提出"):
        actions.close_cleanup(office, cleanup)
    with pytest.raises(actions.ActionError, match="理由"):
        actions.decide_cleanup_item(office, item, "repeal")
    actions.decide_cleanup_item(office, item, "repeal", "上位法已修改")
    actions.close_cleanup(office, cleanup)
