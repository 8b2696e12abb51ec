"""Reply paths of 条例第三十六条 and 第三十五条 that one report row cannot tell apart: 36(一)
already published (where, with the link; counted as 予以公开), 36(四) and 36(五) as separate
texts, 第35条 (ask for reasons; unreasonable → 不予处理-4; reasonable → a stated later deadline),
and 不予处理-5, which RULES.md ties to no article, citing none."""

from datetime import date

import pytest

from gongkai.core.actions import ActionError
from gongkai.core.calendar import add_workdays
from gongkai.foi import actions
from gongkai.foi.models import EventKind, Reply

from .conftest import sign

pytestmark = pytest.mark.django_db

ART = "《中华人民共和国政府信息公开条例》"


def test_already_published_says_where_with_the_link(received, office):
    """第三十六条第（一）项: tell where and how to obtain it; counted as 予以公开."""
    actions.draft_reply(office, received, outcome="disclosed", path="published")
    actions.submit_reply(office, received)
    with pytest.raises(ActionError, match=r"公开的位置和链接（条例第三十六条第（一）项）"):
        actions.review_reply(office, received, approve=True)
    actions.review_reply(office, received, approve=False, note="补充位置")
    letter = sign(
        received,
        office,
        outcome="disclosed",
        path="published",
        published_where="济宁市人民政府门户网站“政府信息公开—法定主动公开内容”栏目",
        published_url="https://www.jining.gov.cn/art/2025/3/1/art_1.html",
    )
    assert f"{ART}第三十六条第（一）项" in letter.body
    assert "https://www.jining.gov.cn/art/2025/3/1/art_1.html" in letter.body
    assert "第三十六条第（二）项" not in letter.body
    received.refresh_from_db()
    assert (received.outcome, received.outcome_reason) == ("disclosed", None)


def test_not_exist_and_not_ours_are_separate_texts(received, officer_a, office, dept_b):
    with pytest.raises(ActionError, match="须选择答复情形"):
        actions.draft_reply(officer_a, received, outcome="cannot_provide", reason=1)
    with pytest.raises(ActionError, match="对应的办理结果为「予以公开」"):
        actions.draft_reply(
            officer_a, received, outcome="cannot_provide", reason=1, path="published"
        )
    absent = actions.draft_reply(
        officer_a, received, outcome="cannot_provide", reason=1, path="not_exist"
    )
    assert "第三十六条第（四）项" in absent.body and "不存在" in absent.body
    assert "第（五）项" not in absent.body + absent.legal_basis
    ours = actions.draft_reply(
        officer_a, received, outcome="cannot_provide", reason=1, path="not_ours"
    )
    assert "第三十六条第（五）项" in ours.legal_basis and "不存在" not in ours.body
    actions.submit_reply(officer_a, received)
    with pytest.raises(ActionError, match="负责公开该信息的机关"):
        actions.review_reply(office, received, approve=True)
    actions.review_reply(office, received, approve=False, note="写明负责机关")
    letter = sign(
        received,
        office,
        outcome="cannot_provide",
        reason=1,
        path="not_ours",
        responsible_name=dept_b.name,
        responsible_contact="0537-2345678，济宁市太白湖新区市民中心",
    )
    assert f"由{dept_b.name}负责公开" in letter.body and "0537-2345678" in letter.body
    assert "第三十六条第（五）项" in letter.body


def test_article_35_unreasonable_reasons_lead_to_not_processed_4(received, officer_a, approver_a):
    actions.ask_reasons(officer_a, received, "本月已提交申请86件，内容大量重复")
    letter = received.letters.get(kind="reasons_request")
    assert f"{ART}第三十五条" in letter.body and "说明理由" in letter.body
    assert "行政复议" not in letter.body  # a procedural notice decides nothing
    with pytest.raises(ActionError):
        actions.ask_reasons(officer_a, received, "再次")
    with pytest.raises(ActionError, match="负责人"):
        actions.decide_reasons(officer_a, received, reasonable=False)
    actions.decide_reasons(approver_a, received, reasonable=False, note="未说明理由")
    reply = Reply.objects.get(request=received)
    assert (reply.outcome, reply.outcome_reason) == ("not_processed", 4)
    assert reply.legal_basis == f"{ART}第三十五条"


def test_article_35_reasonable_reasons_set_a_stated_later_deadline(received, officer_a, approver_a):
    actions.ask_reasons(officer_a, received, "申请公开近十年全部行政许可案卷")
    due = actions.clock_for(received).due
    with pytest.raises(ActionError, match="应晚于现行答复期限"):
        actions.decide_reasons(approver_a, received, reasonable=True, due_on=due)
    later = add_workdays(due, 30).date
    actions.decide_reasons(approver_a, received, reasonable=True, due_on=later, note="分批提供")
    event = received.events.get(kind=EventKind.DEADLINE_SET)
    assert event.data == {"due_on": later.isoformat()}  # what the clock reads
    notice = received.letters.get(kind="deadline_notice")
    assert f"{later.year}年{later.month}月{later.day}日" in notice.body
    assert "第三十五条" in notice.body
    with pytest.raises(ActionError):
        actions.decide_reasons(approver_a, received, reasonable=False)


def test_not_processed_5_cites_no_invented_article(received, office):
    """RULES.md §2 maps 不予处理-5 to no article of the 条例: the letter cites none."""
    letter = sign(received, office, outcome="not_processed", reason=5)
    assert "政府信息公开条例》第" not in letter.body
    assert "依据：" not in letter.body


def test_ask_reasons_after_the_period_is_refused(received, officer_a, monkeypatch):
    due = actions.clock_for(received).due
    monkeypatch.setattr(actions.base, "today", lambda: add_workdays(due, 1).date)
    with pytest.raises(ActionError, match="已届满"):
        actions.ask_reasons(officer_a, received, "太多")
    assert date.today() <= due
