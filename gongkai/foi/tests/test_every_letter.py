"""Every letter type, issued by an organisation of each kind, checked for: no placeholder, the
right article, the right review body, and exactly the remedies that apply to that letter
(RULES.md §11; 《行政复议法》第二十三条第一款第（四）项、第二十四条、第二十七条; 《行政诉讼法》
第四十五条、第四十六条; 条例第三十条、第三十二至三十七条、第四十二条、第五十五条; 国办函〔2020〕109号)."""

import pytest

from gongkai.foi import actions
from gongkai.foi.letters import placeholders
from gongkai.orgs.actions import set_review_body
from gongkai.testing.factories import organisations_of_each_kind

from .conftest import request_to, sign

pytestmark = pytest.mark.django_db

ART = "《中华人民共和国政府信息公开条例》"

# kind → (who hears a challenge, whether it is 行政复议 (True) or 申诉 (False)).
KINDS = {
    "government": ("山东省人民政府", True),  # outside the tree: set by the office
    "department": ("济宁市人民政府", True),
    "township": ("任城区人民政府", True),
    "vertical": ("国家税务总局山东省税务局", True),  # outside the tree: set by the office
    "institution": ("济宁市卫生健康委员会", False),
    "county": ("济宁市人民政府", True),
}


def _remedies(body: str, kind: str, who: str, review: bool) -> None:
    """Assert that exactly the remedies of `kind` ("none", "general", "review_first",
    "partly") are stated, naming `who`."""
    first = "第二十三条第一款第（四）项"
    if kind == "none":
        assert "行政复议" not in body and "行政诉讼" not in body and "申诉" not in body
        return
    if not review:  # 条例第五十五条
        assert f"向{who}申诉" in body and "第五十五条" in body
        assert "行政复议" not in body and "行政诉讼" not in body
        return
    assert f"向{who}申请行政复议" in body and "申诉" not in body
    if kind == "general":
        assert "六十日内" in body and "六个月内" in body and "第四十六条" in body
        assert first not in body and "十五日内" not in body
    elif kind == "review_first":
        assert first in body and "十五日内" in body and "第四十五条" in body
        assert "六个月内" not in body
    else:  # partly: review first for the withheld part, the general remedies for the rest
        assert "对本答复中不予公开的部分不服的" in body and first in body and "十五日内" in body
        assert "对本答复其他内容不服的" in body and "六个月内" in body


@pytest.mark.parametrize("key", list(KINDS))
def test_every_letter_for_each_kind_of_organisation(key, government, dept_a, dept_b, office):
    tree = organisations_of_each_kind(government, dept_a)
    set_review_body(office, government, review_body_name="山东省人民政府")
    set_review_body(office, tree["vertical"], review_body_name="国家税务总局山东省税务局")
    org = tree[key]
    org.refresh_from_db()
    who, review = KINDS[key]
    letters = []  # (letter, article it must cite, remedies kind)

    def new():
        return request_to(org, office)

    # 补正通知 → 予以公开 (第三十六条第（二）项).
    req = new()
    actions.request_correction(office, req, "请写明所需文件的名称或文号。")
    letters.append((req.letters.get(kind="correction_notice"), f"{ART}第三十条", "none"))
    actions.receive_correction(office, req, "2025年招生计划（济教发〔2025〕3号）")
    letters.append((sign(req, office, outcome="disclosed"), "第三十六条第（二）项", "general"))

    # 延期通知 → 部分公开 (第三十七条).
    req = new()
    actions.propose_extension(office, req, 10, "需要多个科室汇总")
    actions.extend(office, req)
    letters.append((req.letters.get(kind="extension_notice"), "第三十三条第二款", "none"))
    letter = sign(
        req, office, outcome="partly_disclosed", reasons="第3页含个人信息，依第十五条不予公开。"
    )
    letters.append((letter, f"{ART}第三十七条", "partly"))

    # 第三方征求意见函 → 不予公开-4 (第十五条、第三十二条).
    req = new()
    actions.start_third_party(office, req, name="某某公司", concerns="该公司的投标报价")
    letters.append((req.letters.get(kind="third_party"), f"{ART}第三十二条", "none"))
    actions.end_third_party(office, req, answer="objection", opinion="商业秘密")
    letter = sign(req, office, outcome="not_disclosed", reason=4, reasons="投标报价属于商业秘密。")
    letters.append((letter, "第十五条、第三十二条", "review_first"))

    # 会商函 → 无法提供-1, 第三十六条第（四）项.
    req = new()
    other = dept_b if org != dept_b else dept_a
    actions.start_consultation(office, req, other, "共同制作的文件")
    letters.append((req.letters.get(kind="consultation"), f"{ART}第三十四条", "none"))
    actions.end_consultation(office, req, "同意", answer="agreed")
    letter = sign(req, office, outcome="cannot_provide", reason=1, path="not_exist")
    letters.append((letter, "第三十六条第（四）项", "general"))

    # 收费通知 → 不予处理-2 (第三十六条第（六）项).
    req = new()
    actions.fee_notice(office, req, "by_pages", 45)
    letters.append((req.letters.get(kind="fee_notice"), "第四十二条", "general"))
    actions.fee_paid(office, req)
    letter = sign(req, office, outcome="not_processed", reason=2)
    letters.append((letter, "第三十六条第（六）项", "general"))

    # 其他处理-3: the officer writes what was done (the template's blank must be filled).
    req = new()
    body = "　　你（单位）已于申请当日到本机关现场查阅所需信息，本机关不再另行答复。"
    letter = sign(req, office, outcome="other", reason=3, body=body)
    letters.append((letter, f"依据：{ART}", "general"))

    kinds = {item[0].kind for item in letters}
    assert kinds == {
        "reply",
        "correction_notice",
        "extension_notice",
        "third_party",
        "consultation",
        "fee_notice",
    }
    assert len([1 for item in letters if item[0].kind == "reply"]) == 6  # one per outcome
    for letter, article, remedies in letters:
        label = f"{key}: {letter.title}"
        assert placeholders(letter.body) == [], label
        assert article in letter.body, label
        assert letter.organisation_id == org.pk, label
        _remedies(letter.body, remedies, who, review)
