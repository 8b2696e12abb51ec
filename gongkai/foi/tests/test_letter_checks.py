"""No letter is approved, signed, issued or delivered while it holds a template placeholder or,
for 部分公开 / 不予公开, states no reasons (条例第三十六条第（三）项、第三十七条: the agency tells
the applicant why; issue: a signed 部分公开 letter still said 「（请写明不予公开部分及理由）」)."""

import pytest

from gongkai.core.actions import ActionError
from gongkai.foi import actions
from gongkai.foi.letters import placeholders
from gongkai.foi.models import Letter, Reply, ReplyStatus
from gongkai.orgs.actions import set_review_body

from .conftest import request_to, sign

pytestmark = pytest.mark.django_db


def test_partly_disclosed_without_reasons_is_not_approved(received, office, officer_a):
    """条例第三十七条: the part withheld and its reasons must be stated."""
    actions.draft_reply(officer_a, received, outcome="partly_disclosed")
    actions.submit_reply(officer_a, received)
    with pytest.raises(ActionError) as info:
        actions.review_reply(office, received, approve=True)
    message = info.value.message
    assert message.startswith("不能审核通过")
    assert "「（请写明不予公开部分及理由）」" in message
    assert "须写明不予公开部分的内容及理由" in message
    assert Reply.objects.get(request=received).status == ReplyStatus.REVIEW
    assert not Letter.objects.filter(kind="reply").exists()


def test_not_disclosed_without_reasons_is_not_signed(received, office, officer_a):
    """条例第三十六条第（三）项: a refusal states its reasons, also when the check is reached by
    a reply approved before it existed."""
    actions.draft_reply(
        officer_a, received, outcome="not_disclosed", reason=6, reasons="讨论记录。"
    )
    actions.submit_reply(officer_a, received)
    actions.review_reply(office, received, approve=True)
    Reply.objects.filter(request=received).update(reasons="")
    with pytest.raises(ActionError, match=r"不能签发：.*须写明不予公开的内容及理由"):
        actions.sign_reply(office, received)
    assert not received.letters.exists()


def test_a_placeholder_left_in_the_body_blocks_signing(received, office, officer_a):
    actions.draft_reply(
        officer_a,
        received,
        outcome="not_processed",
        reason=3,  # the template asks for the way to obtain the publication
    )
    actions.submit_reply(officer_a, received)
    with pytest.raises(ActionError, match="「（写明获取途径）」"):
        actions.review_reply(office, received, approve=True)
    actions.review_reply(office, received, approve=False, note="请写明获取途径")
    body = Reply.objects.get(request=received).body.replace(
        "（写明获取途径）", "（可在新华书店或济宁市图书馆获取）"
    )
    actions.draft_reply(officer_a, received, outcome="not_processed", reason=3, body=body)
    letter = sign(received, office, outcome="not_processed", reason=3, body=body)
    assert placeholders(letter.body) == []


def test_a_letter_with_a_placeholder_is_not_delivered(received, office, officer_a):
    letter = sign(received, office, outcome="disclosed")
    Letter.objects.filter(pk=letter.pk).update(body=letter.body + "（请写明提供方式）")
    with pytest.raises(ActionError, match=r"不能送达.*「（请写明提供方式）」"):
        actions.deliver(officer_a, received, "邮寄")
    with pytest.raises(ActionError, match=r"不能送达.*「（请写明提供方式）」"):
        actions.record_delivery(
            officer_a, letter, channel="email", sent_on=letter.issued_on, received_on=None
        )


def test_a_notice_from_an_edited_template_with_a_blank_is_not_issued(
    received, office, officer_a, government
):
    actions.save_letter_template(
        office,
        government,
        "correction_notice",
        "{{ requester.name }}：\n　　请于（填写日期）前补正。",
    )
    with pytest.raises(ActionError, match=r"不能出具补正申请告知书.*「（填写日期）」"):
        actions.request_correction(officer_a, received, "请写明学校名称。")
    assert not received.letters.exists()


def test_the_government_without_a_known_review_body_cannot_sign(government, office):
    """RULES.md §11: the letter names the review body; for the top government it is outside the
    tree, so the office must name it (never an unnamed 「上一级人民政府」)."""
    req = request_to(government, office)
    with pytest.raises(ActionError, match=r"（请写明行政复议机关）.*设置出具机关的行政复议机关"):
        sign(req, office, outcome="disclosed")
    set_review_body(office, government, review_body_name="山东省人民政府")
    req.refresh_from_db()
    actions.sign_reply(office, req)
    assert "向山东省人民政府申请行政复议" in req.letters.get(kind="reply").body
