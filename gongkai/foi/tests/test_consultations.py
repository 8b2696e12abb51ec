"""Third-party consultation (条例第三十二条) and 会商 (第三十四条) as steps with letters: the written
consultation letter, its 15-working-day limit with a reminder, what silence means (the agency
decides / consent), the public-interest override with its written notice to the third party,
and a pause that never counts past its legal length."""

import pytest

from gongkai.core.actions import ActionError
from gongkai.core.calendar import add_workdays
from gongkai.foi import actions, periodic
from gongkai.foi.models import EventKind, RequestReminder, ThirdParty

pytestmark = pytest.mark.django_db


def _ask(officer, req):
    return actions.start_third_party(
        officer,
        req,
        name="济宁某某化工有限公司",
        concerns="该公司环评报告中的生产工艺参数",
        address="济宁市高新区某某路1号",
    )


def test_third_party_letter_and_its_limit(received, officer_a):
    with pytest.raises(ActionError, match="名称或姓名"):
        actions.start_third_party(officer_a, received, concerns="x")
    req = _ask(officer_a, received)
    party = ThirdParty.objects.get(request=req)
    assert party.reply_by == add_workdays(party.asked_on, 15).date
    letter = party.letter
    assert (letter.kind, letter.recipient, letter.recipient_name) == (
        "third_party",
        "third_party",
        "济宁某某化工有限公司",
    )
    assert letter.body.startswith("济宁某某化工有限公司：")
    assert "第三十二条" in letter.body and "15个工作日内" in letter.body
    assert f"{party.reply_by.year}年{party.reply_by.month}月{party.reply_by.day}日" in letter.body
    assert "逾期未提出意见的，由本机关" in letter.body
    assert "张三" not in letter.body  # the applicant is not disclosed to the third party
    assert "行政复议" not in letter.body  # no remedies for the applicant in this letter


def test_silence_only_after_the_limit_and_the_pause_stops_there(received, officer_a, monkeypatch):
    req = _ask(officer_a, received)
    party = ThirdParty.objects.get(request=req)
    with pytest.raises(ActionError, match="尚未届满"):
        actions.end_third_party(officer_a, req, answer="silent")
    # Recorded a week late: the pause ends on the 15th working day, not on the recording day.
    late = add_workdays(party.reply_by, 5).date
    monkeypatch.setattr(actions.base, "today", lambda: late)
    actions.end_third_party(officer_a, req, answer="silent")
    ended = req.events.get(kind=EventKind.THIRD_PARTY_ENDED)
    assert ended.on == party.reply_by and ended.data == {"answer": "silent"}
    party.refresh_from_db()
    assert (party.answer, party.answered_on) == ("silent", late)


def test_reminder_before_and_after_the_limit(received, officer_a, monkeypatch):
    req = _ask(officer_a, received)
    party = ThirdParty.objects.get(request=req)
    soon = add_workdays(party.reply_by, -2).date
    assert periodic.consultation_reminders(soon) == 1
    after = add_workdays(party.reply_by, 1).date
    assert periodic.consultation_reminders(after) == 1
    texts = list(RequestReminder.objects.filter(kind="third_party").values_list("text", flat=True))
    assert any("将到" in t for t in texts) and any("由本机关依法决定是否公开" in t for t in texts)


def test_public_interest_override_notifies_the_third_party(
    received, officer_a, approver_a, government
):
    """条例第三十二条: over an objection, disclose in the public interest and tell the third party
    in writing the content and the reasons; that notice states the third party's remedies."""
    req = _ask(officer_a, received)
    with pytest.raises(ActionError):
        actions.disclose_in_public_interest(approver_a, req, "理由")  # still paused
    actions.end_third_party(officer_a, req, answer="objection", opinion="涉及商业秘密")
    with pytest.raises(ActionError, match="负责人"):
        actions.disclose_in_public_interest(officer_a, req, "涉及公众健康")
    party = actions.disclose_in_public_interest(
        approver_a, req, "该工艺排放涉及周边居民健康，不公开可能对公共利益造成重大影响"
    )
    notice = party.decision_letter
    assert (notice.kind, notice.recipient) == ("third_party_decision", "third_party")
    assert notice.body.startswith("济宁某某化工有限公司：") and "不同意公开" in notice.body
    assert "该公司环评报告中的生产工艺参数" in notice.body and "周边居民健康" in notice.body
    assert "第三十二条" in notice.body
    assert "向济宁市人民政府申请行政复议" in notice.body and "六个月内" in notice.body
    with pytest.raises(ActionError):
        actions.disclose_in_public_interest(approver_a, req, "再次")


def test_consultation_letter_and_silence_is_consent(received, officer_a, dept_b, monkeypatch):
    """条例第三十四条: the co-author answers within 15 working days; silence = consent."""
    req = actions.start_consultation(officer_a, received, dept_b, "联合印发的文件")
    consultation = req.consultations.get()
    letter = consultation.letter
    assert (letter.kind, letter.recipient_name) == ("consultation", dept_b.name)
    assert letter.body.startswith(f"{dept_b.name}：")
    assert "第三十四条" in letter.body and "逾期未提出意见的，视为同意公开" in letter.body
    assert "行政复议" not in letter.body and "张三" not in letter.body
    with pytest.raises(ActionError, match="尚未届满"):
        actions.end_consultation(officer_a, req, answer="silent")
    late = add_workdays(consultation.reply_by, 3).date
    monkeypatch.setattr(actions.base, "today", lambda: late)
    actions.end_consultation(officer_a, req, answer="silent")
    consultation.refresh_from_db()
    assert consultation.answer == "silent"
    assert consultation.get_answer_display() == "逾期未提出意见，视为同意"
    assert req.events.get(kind=EventKind.CONSULTATION_ENDED).on == consultation.reply_by


def test_the_applicant_never_sees_letters_to_others(client, received, officer_a, dept_b):
    """The consultation letters name the third party and the information concerned: the
    applicant's status page and downloads offer only the letters addressed to the applicant."""
    from django.urls import reverse

    from gongkai.foi.access import TRACKING_SESSION_KEY as SESSION_KEY

    actions.request_correction(officer_a, received, "请写明学校名称。")
    actions.receive_correction(officer_a, received, "济宁市第一中学")
    _ask(officer_a, received)
    hidden = received.letters.get(kind="third_party")
    session = client.session
    session[SESSION_KEY] = [received.tracking_code]
    session.save()
    page = client.get(reverse("portal:foi_status", args=[received.tracking_code]))
    html = page.content.decode()
    assert page.status_code == 200 and "补正申请告知书" in html
    assert hidden.number not in html and "第三方意见征询函" not in html
    assert "济宁某某化工有限公司" not in html and "生产工艺参数" not in html
    assert "征求第三方意见" in html  # the applicant sees why the clock stands still
    url = reverse("portal:foi_letter", args=[received.tracking_code, hidden.pk, "docx"])
    assert client.get(url).status_code == 404
