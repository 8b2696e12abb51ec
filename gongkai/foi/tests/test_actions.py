"""The state machine through the actions: intake by channel, correction, pauses, extension,
the approval chain, letters, delivery; illegal transitions refused in Chinese; audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from gongkai.core.calendar import add_workdays, workdays_between
from gongkai.core.models import AuditEvent
from gongkai.foi import actions
from gongkai.foi.actions import ActionError
from gongkai.foi.models import (
    EventKind,
    InfoRequest,
    Letter,
    LetterKind,
    RequestEvent,
    State,
)

from .conftest import asking, id_proof, person

pytestmark = pytest.mark.django_db


def test_online_submission_is_idempotent_and_starts_on_confirmation(government, dept_a, office):
    req, created = actions.submit_online(
        government, dept_a, person(), asking(), idempotency_key="k-1", id_proof=id_proof()
    )
    again, created_again = actions.submit_online(
        government, dept_a, person(), asking(), idempotency_key="k-1"
    )
    assert created and not created_again and again.pk == req.pk
    assert InfoRequest.objects.count() == 1
    assert req.state == State.SUBMITTED and req.received_on is None and req.due_on is None
    assert len(req.tracking_code) == 12 and req.requester.id_proof
    req = actions.confirm_receipt(office, req)
    today = timezone.localdate()
    assert req.state == State.RECEIVED and req.received_on == today
    assert req.ref == f"{today.year}-0001"
    assert req.due_on == add_workdays(today, 20).date
    rule = req.events.get(kind=EventKind.RECEIVED).note
    assert "双方确认" in rule
    with pytest.raises(ActionError, match="不能确认受理"):
        actions.confirm_receipt(office, req)


def test_receipt_date_by_channel_for_staff_registration(officer_a, dept_a):
    past = timezone.localdate() - timedelta(days=10)
    visit = actions.register(
        officer_a, dept_a, person(), asking(), channel="in_person", arrived_on=past
    )
    assert visit.received_on == past and visit.state == State.RECEIVED
    signed = actions.register(
        officer_a, dept_a, person(), asking(), channel="post", signed_for=True, arrived_on=past
    )
    assert signed.received_on == past
    ordinary = actions.register(
        officer_a, dept_a, person(), asking(), channel="post", arrived_on=past
    )
    assert ordinary.received_on is None and ordinary.state == State.SUBMITTED
    confirmed = past + timedelta(days=1)
    ordinary = actions.confirm_receipt(officer_a, ordinary, confirmed)
    assert ordinary.received_on == confirmed
    assert timezone.localdate(ordinary.arrived_at) == past
    fax = actions.register(
        officer_a,
        dept_a,
        person(),
        asking(),
        channel="fax",
        arrived_on=past,
        confirmed_on=confirmed,
    )
    assert fax.received_on == confirmed
    assert ordinary.ref != signed.ref != visit.ref
    with pytest.raises(ActionError, match="晚于今天"):
        actions.register(
            officer_a,
            dept_a,
            person(),
            asking(),
            channel="in_person",
            arrived_on=timezone.localdate() + timedelta(days=1),
        )


def test_officer_of_b_cannot_register_for_a(officer_b, dept_a):
    with pytest.raises(ActionError, match="不能为该机关登记"):
        actions.register(
            officer_b, dept_a, person(), asking(), channel="in_person", arrived_on=date(2026, 1, 5)
        )


def test_full_journey_with_correction_extension_and_approval(
    received, officer_a, reviewer_a, approver_a
):
    today = timezone.localdate()
    req = actions.request_correction(officer_a, received, "请写明学校名称。", days=10)
    assert req.state == State.AWAITING_CORRECTION and req.due_on is None
    assert req.letters.get().kind == LetterKind.CORRECTION_NOTICE
    with pytest.raises(ActionError, match="不能发出补正通知"):
        actions.request_correction(officer_a, req, "again")
    req = actions.receive_correction(None, req, "济宁市第一中学")
    assert req.state == State.IN_PROGRESS
    assert req.due_on == add_workdays(today, 20).date  # restarted from the correction
    with pytest.raises(ActionError, match="只能发出一次"):
        actions.request_correction(officer_a, req, "again")

    actions.propose_extension(officer_a, req, 15, "需要调取档案")
    with pytest.raises(ActionError, match="负责人"):
        actions.extend(officer_a, req)
    before = req.due_on
    req = actions.extend(approver_a, req)
    assert req.extended and workdays_between(before, req.due_on) == 15
    assert req.letters.filter(kind=LetterKind.EXTENSION_NOTICE).count() == 1
    with pytest.raises(ActionError, match="只能延长一次"):
        actions.extend(approver_a, req, 5, "again")
    with pytest.raises(ActionError, match="只能延长一次"):
        actions.propose_extension(officer_a, req, 5, "again")

    with pytest.raises(ActionError, match="请选择办理结果"):
        actions.draft_reply(officer_a, req, outcome="")
    with pytest.raises(ActionError, match="须选择具体理由"):
        actions.draft_reply(officer_a, req, outcome="not_disclosed")
    with pytest.raises(ActionError, match="1–3"):
        actions.draft_reply(officer_a, req, outcome="cannot_provide", reason=4)
    with pytest.raises(ActionError, match="没有细分理由"):
        actions.draft_reply(officer_a, req, outcome="disclosed", reason=1)
    reply = actions.draft_reply(
        officer_a, req, outcome="partly_disclosed", reasons="第3页含学生个人信息，已删去。"
    )
    assert "第三十七条" in reply.legal_basis and "区分处理" in reply.body
    with pytest.raises(ActionError, match="尚未审核"):
        actions.sign_reply(approver_a, req)
    actions.submit_reply(officer_a, req)
    with pytest.raises(ActionError, match="审批"):
        actions.draft_reply(officer_a, req, outcome="disclosed")
    with pytest.raises(ActionError, match="审核人或负责人"):
        actions.review_reply(officer_a, req, approve=True)
    with pytest.raises(ActionError, match="理由"):
        actions.review_reply(reviewer_a, req, approve=False)
    actions.review_reply(reviewer_a, req, approve=True)
    with pytest.raises(ActionError, match="签发人"):
        actions.sign_reply(reviewer_a, req)
    with pytest.raises(ActionError, match="不能登记送达"):
        actions.deliver(officer_a, req, "邮寄")
    actions.sign_reply(approver_a, req)
    req.refresh_from_db()
    assert req.state == State.REPLIED
    assert (req.outcome, req.outcome_reason, req.finished_on) == ("partly_disclosed", None, today)
    letter = req.letters.get(kind=LetterKind.REPLY)
    assert letter.number == f"市教育局依申请答复〔{today.year}〕1号"
    assert (
        "行政复议" in letter.body and "行政诉讼" in letter.body and "济宁市人民政府" in letter.body
    )
    req = actions.deliver(officer_a, req, "网上送达")
    letter.refresh_from_db()
    assert req.state == State.DELIVERED and letter.delivered_on == today
    req = actions.archive(officer_a, req)
    assert req.state == State.ARCHIVED
    with pytest.raises(ActionError, match="不能撤回"):
        actions.withdraw(officer_a, req)

    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds[:3] == [EventKind.REGISTERED, EventKind.RECEIVED, EventKind.ASSIGNED]
    assert EventKind.EXTENDED in kinds and kinds[-1] == EventKind.ARCHIVED
    audited = set(AuditEvent.objects.for_object(req).values_list("action", flat=True))
    assert {
        "foi.register",
        "foi.request_correction",
        "foi.receive_correction",
        "foi.extend",
        "foi.reply_sign",
        "foi.deliver",
        "foi.archive",
    } <= audited


def test_correction_notice_only_within_7_working_days(officer_a, dept_a):
    old = timezone.localdate() - timedelta(days=30)
    req = actions.register(
        officer_a, dept_a, person(), asking(), channel="in_person", arrived_on=old
    )
    with pytest.raises(ActionError, match="7个工作日内"):
        actions.request_correction(officer_a, req, "请补充")


def test_lapsed_correction_becomes_other_1(received, officer_a, approver_a, monkeypatch):
    req = actions.request_correction(officer_a, received, "请写明年份", days=5)
    with pytest.raises(ActionError, match="尚未届满"):
        actions.lapse_correction(officer_a, req)
    later = add_workdays(timezone.localdate(), 6).date
    monkeypatch.setattr(actions.base, "today", lambda: later)
    req = actions.lapse_correction(officer_a, req)
    # 条例第30条: treated as abandoned, ends as 其他处理-1 with a closed clock.
    assert (req.state, req.outcome, req.outcome_reason) == ("lapsed", "other", 1)
    assert req.finished_on == later and actions.clock_for(req).status(later) == "closed"


def test_third_party_pause_moves_due_date(received, officer_a, monkeypatch):
    start = timezone.localdate()
    due = received.due_on
    req = actions.start_third_party(
        officer_a, received, name="济宁某某公司", concerns="涉及企业商业秘密"
    )
    assert req.state == State.THIRD_PARTY
    end = add_workdays(start, 4).date
    monkeypatch.setattr(actions.base, "today", lambda: end)
    req = actions.end_third_party(officer_a, req, answer="objection", opinion="第三方不同意公开")
    assert workdays_between(due, req.due_on) == 4


def test_fee_by_pages_and_payment(received, officer_a, settings):
    settings.GONGKAI_FOI_FEE_PAUSES_CLOCK = True
    with pytest.raises(ActionError, match="为零"):
        actions.fee_notice(officer_a, received, "by_pages", 30)
    fee = actions.fee_notice(officer_a, received, "by_pages", 150)
    assert fee.amount == 70 * 10 + 50 * 20
    assert fee.pay_by is None  # runs from the requester's receipt of the notice (109号)
    req = InfoRequest.objects.get(pk=received.pk)
    assert req.state == State.AWAITING_PAYMENT
    assert req.letters.get(kind=LetterKind.FEE_NOTICE).body.count("1700") == 1
    with pytest.raises(ActionError, match="不能发出收费通知"):
        actions.fee_notice(officer_a, req, "by_count")
    req = actions.fee_paid(officer_a, req)
    assert req.state == State.IN_PROGRESS
    with pytest.raises(ActionError, match=r"尚未届满|不能按逾期未缴费"):
        actions.fee_lapsed(officer_a, req)


def test_withdrawal_counts_as_other_3(received):
    req = actions.withdraw(None, received, "不需要了")
    assert (req.state, req.outcome, req.outcome_reason) == ("withdrawn", "other", 3)
    assert req.events.last().actor_label == "申请人"


def test_transfer_within_government_only(received, officer_a, dept_b, other_government):
    with pytest.raises(ActionError, match="转办说明"):
        actions.transfer(officer_a, received, dept_b, " ")
    with pytest.raises(ActionError, match="本政府"):
        actions.transfer(officer_a, received, other_government, "不属于本机关")
    req = actions.transfer(officer_a, received, dept_b, "属于财政局职责")
    assert req.organisation == dept_b and req.officer is None
    # Officer A no longer handles it.
    with pytest.raises(ActionError, match="权限"):
        actions.add_note(officer_a, req, "x")


def test_record_correction_request_has_its_own_reply(officer_a, approver_a, dept_a):
    req = actions.register(
        officer_a,
        dept_a,
        person(),
        asking("更正我的学籍记录中的出生日期", kind="record_correction"),
        channel="in_person",
        arrived_on=timezone.localdate(),
    )
    with pytest.raises(ActionError, match="更正申请的处理结果"):
        actions.draft_reply(officer_a, req, outcome="disclosed")
    reply = actions.draft_reply(officer_a, req, correction_result="corrected")
    assert "第四十一条" in reply.legal_basis
    # The template asks for what was corrected: the reply cannot go out without it.
    body = reply.body.replace("（写明更正内容）", "，出生日期已更正为2010年3月1日")
    actions.draft_reply(officer_a, req, correction_result="corrected", body=body)
    actions.submit_reply(officer_a, req)
    actions.review_reply(approver_a, req, approve=True)
    actions.sign_reply(approver_a, req)
    req.refresh_from_db()
    assert req.state == State.REPLIED and req.outcome == "" and req.correction_result == "corrected"


def test_events_are_append_only_and_one_extension_in_the_database(received, approver_a):
    event = received.events.first()
    with pytest.raises(ValueError, match="只能新增"):
        event.save()
    with pytest.raises(ValueError, match="只能新增"):
        event.delete()
    actions.extend(approver_a, received, 5, "档案调取")
    with pytest.raises(IntegrityError):
        RequestEvent.objects.create(request=received, kind="extended", on=date(2026, 3, 2), days=5)


def test_review_and_litigation_cases(received, officer_a, approver_a):
    with pytest.raises(ActionError, match="尚未答复"):
        actions.add_review_case(officer_a, received, kind="review", filed_on=date(2026, 1, 5))
    actions.draft_reply(
        officer_a, received, outcome="not_disclosed", reason=6, reasons="讨论记录。"
    )
    actions.submit_reply(officer_a, received)
    actions.review_reply(approver_a, received, approve=True)
    actions.sign_reply(approver_a, received)
    received.refresh_from_db()
    case = actions.add_review_case(
        officer_a, received, kind="review", filed_on=timezone.localdate(), case_no="济复〔2026〕1号"
    )
    assert case.result == "pending"
    with pytest.raises(ActionError, match="审结日期"):
        actions.decide_review_case(officer_a, case, result="upheld", decided_on=None)
    case = actions.decide_review_case(
        officer_a, case, result="upheld", decided_on=timezone.localdate()
    )
    assert case.result == "upheld"


def test_letters_render_to_docx(received, officer_a):
    import io

    from docx import Document

    from gongkai.foi.letters import render_docx

    req = actions.request_correction(officer_a, received, "请写明学校名称。")
    letter = Letter.objects.get(request=req)
    doc = Document(io.BytesIO(render_docx(letter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "补正申请告知书" in text and letter.number in text and "请写明学校名称" in text


def test_loading_the_2027_notice_recomputes_provisional_due_dates(
    officer_a, dept_a, monkeypatch, django_capture_on_commit_callbacks
):
    from gongkai.core import calendar as cal

    monkeypatch.setattr(actions.base, "today", lambda: date(2026, 12, 15))
    cal.clear_cache()
    req = actions.register(
        officer_a, dept_a, person(), asking(), channel="in_person", arrived_on=date(2026, 12, 15)
    )
    assert req.due_on.year == 2027 and req.due_provisional
    notice = cal.read_notice(cal.__file__.replace("calendar.py", "calendar_data/example-2027.yaml"))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cal.load_notice(notice)
        req.refresh_from_db()
        assert not req.due_provisional
        assert req.due_on == cal.add_workdays(date(2026, 12, 15), 20).date
    finally:
        cal.clear_cache()


def test_letters_render_to_pdf_with_libreoffice(received, officer_a):
    import shutil

    from gongkai.foi.letters import render_pdf

    assert shutil.which("soffice"), "LibreOffice is installed by ./run test"
    req = actions.request_correction(officer_a, received, "请写明学校名称。")
    pdf = render_pdf(Letter.objects.get(request=req))
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("days", [0, 21, 40])
def test_extension_outside_1_to_20_is_refused(received, officer_a, approver_a, days):
    with pytest.raises(ActionError, match="最长 20 个工作日"):
        actions.propose_extension(officer_a, received, days, "理由")
    with pytest.raises(ActionError, match="最长 20 个工作日"):
        actions.extend(approver_a, received, days, "理由")
    received.refresh_from_db()
    assert not received.extended and not received.events.filter(kind="extended").exists()
