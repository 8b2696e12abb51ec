"""The remedies sentence of each letter names the organisation's own review body and states the
remedies that apply to that letter (RULES.md §11; 《行政复议法》第二十三条第一款第（四）项, 第二十四条;
《行政诉讼法》第四十五条、第四十六条)."""

import pytest

from gongkai.foi import actions
from gongkai.testing.factories import organisations_of_each_kind

from .conftest import request_to, sign

pytestmark = pytest.mark.django_db

REVIEW_FIRST = "第二十三条第一款第（四）项"


@pytest.fixture
def tree(government, dept_a):
    return organisations_of_each_kind(government, dept_a)


def test_refusal_goes_to_review_first_at_the_county(tree, office):
    """A 不予公开 by 任城区教育局: review first (行政复议法第二十三条第一款第（四）项) at 任城区人民政府
    (第二十四条), then court within 15 days of the review decision (行政诉讼法第四十五条)."""
    req = request_to(tree["county_department"], office)
    body = sign(req, office, outcome="not_disclosed", reason=1, reasons="该文件已定密。").body
    assert "向任城区人民政府申请行政复议" in body
    assert "济宁市人民政府" not in body
    assert REVIEW_FIRST in body and "十五日内" in body and "第四十五条" in body
    assert "六个月内" not in body  # no direct lawsuit against a refusal


def test_other_replies_and_fee_notice_state_review_or_litigation(tree, office):
    req = request_to(tree["township"], office)
    body = sign(req, office, outcome="disclosed").body
    assert "六十日内向任城区人民政府申请行政复议" in body and "六个月内" in body
    assert REVIEW_FIRST not in body
    req = request_to(tree["county_department"], office)
    actions.fee_notice(office, req, "by_pages", 40)
    notice = req.letters.get(kind="fee_notice").body
    assert "向任城区人民政府申请行政复议" in notice and "六个月内" in notice


def test_partial_disclosure_splits_the_remedies(tree, office):
    req = request_to(tree["department"], office)
    body = sign(
        req, office, outcome="partly_disclosed", reasons="第3页含个人隐私（条例第十五条）。"
    ).body
    assert "对本答复中不予公开的部分不服的" in body and REVIEW_FIRST in body
    assert "对本答复其他内容不服的" in body and "六个月内" in body


def test_public_institution_names_its_supervisor_for_a_complaint(tree, office):
    """条例第五十五条: no 行政复议; 申诉 to the 主管部门."""
    req = request_to(tree["institution"], office)
    body = sign(req, office, outcome="disclosed").body
    assert "向济宁市卫生健康委员会申诉" in body
    assert "行政复议" not in body and "行政诉讼" not in body


def test_staff_page_deadlines_follow_the_letters_remedies(tree):
    """The staff page's last days match what the letter says: 不予公开 goes to review first
    (行政复议法第二十三条第一款第（四）项) — no lawsuit deadline from receipt; a 部分公开 splits; a
    第55条 institution is not reviewed; procedural notices carry none."""
    from datetime import date

    from gongkai.foi.remedies import remedy_deadlines_note

    got = date(2026, 3, 2)
    dept = tree["county_department"]
    refusal = remedy_deadlines_note("reply", dept, "not_disclosed", got)
    assert refusal == "须先申请行政复议，至 2026-05-01（复议前置）"
    general = remedy_deadlines_note("reply", dept, "disclosed", got)
    assert general == "申请行政复议至 2026-05-01；提起行政诉讼至 2026-09-02"
    partly = remedy_deadlines_note("reply", dept, "partly_disclosed", got)
    assert partly.startswith("不予公开部分须先申请行政复议") and general in partly
    assert remedy_deadlines_note("fee_notice", dept, "", got) == general
    assert remedy_deadlines_note("correction_notice", dept, "", got) == ""
    assert remedy_deadlines_note("reply", dept, "disclosed", None) == ""
    institution = tree["institution"]
    assert "申诉" in remedy_deadlines_note("reply", institution, "not_disclosed", got)
