"""The public gate: unpublished items and the personal data of the public never reach a
public page or the API; one government's items never show on another's site."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from gongkai.core.actions import ActionError
from gongkai.participation import actions, visibility
from gongkai.participation.models import Disposition, DocumentKind, Mailbox
from gongkai.participation.tests.conftest import form_fields

pytestmark = pytest.mark.django_db

SECRETS = [
    "王秘密",
    "13899998888",
    "secret@example.com",
    "370811199001011234",
    "济宁市任城区秘密路8号",
]


def _public_text(client, *paths) -> str:
    out = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        out.append(response.content.decode())
    return "\n".join(out)


def _api(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return json.dumps(response.json(), ensure_ascii=False)


def test_unpublished_consultation_is_nowhere_public(client, make_consultation):
    draft = make_consultation(publish=False, title="内部草案：尚未发布的征求意见稿")
    pages = _public_text(client, "/participation/", "/participation/consultations/")
    assert "内部草案" not in pages
    assert client.get(f"/participation/consultations/{draft.pk}/").status_code == 404
    assert "内部草案" not in _api(client, "/api/participation/consultations")
    assert client.get(f"/api/participation/consultations/{draft.pk}").status_code == 404


def test_withdrawn_consultation_disappears(client, consultation, office):
    actions.withdraw_consultation(office, consultation, "草案需重大修改")
    assert client.get(f"/participation/consultations/{consultation.pk}/").status_code == 404
    assert _api(client, "/api/participation/consultations") == "[]"


def test_commenters_personal_data_never_public(client, consultation, office):
    url = f"/participation/consultations/{consultation.pk}/"
    data = {
        **form_fields(client.get(url).content.decode()),
        "body": "我的身份证号370811199001011234，手机13899998888，邮箱secret@example.com",
        "author_name": "王秘密",
        "contact": "济宁市任城区秘密路8号",
    }
    client.post(url, data)
    comment = consultation.comments.get()
    assert comment.author_name == "王秘密"
    # Before feedback: comments are not shown publicly at all.
    before = _public_text(client, url) + _api(
        client, f"/api/participation/consultations/{consultation.pk}"
    )
    assert all(secret not in before for secret in SECRETS)
    assert "我的身份证号" not in before
    actions.close_consultation_early(office, consultation, "提前结束")
    actions.dispose_comment(
        office, comment, disposition=Disposition.NOT_ADOPTED, reason="与草案无关，已转相关部门"
    )
    actions.publish_feedback(office, consultation)
    after = _public_text(client, url, "/participation/", "/participation/consultations/")
    after += _api(client, f"/api/participation/consultations/{consultation.pk}")
    after += _api(client, "/api/participation/consultations")
    for secret in SECRETS:
        assert secret not in after, secret
    assert "王**" in after and "138****8888" in after and "s***@example.com" in after


def test_other_governments_items_do_not_leak_across_sites(client, consultation, other_government):
    # The default site is 济宁 (first government); 滕州's site must not show 济宁's items.
    assert "学生资助" in _public_text(client, "/participation/consultations/")
    assert "学生资助" not in _public_text(client, "/s/tengzhou/participation/consultations/")
    assert (
        client.get(f"/s/tengzhou/participation/consultations/{consultation.pk}/").status_code == 404
    )
    assert _api(client, "/api/participation/consultations?gov=tengzhou") == "[]"


def test_messages_public_only_when_answered_published_and_consented(
    client, government, dept_a, office
):
    def write(consent, subject):
        message, _ = actions.submit_message(
            government,
            dept_a,
            mailbox=Mailbox.LEADER,
            subject=subject,
            body="我叫王秘密，电话13899998888，反映校门口交通拥堵。",
            writer_name="王秘密",
            phone="13899998888",
            email="secret@example.com",
            consent_to_publish=consent,
        )
        return message

    consented = write(True, "关于校门口交通的建议")
    private = write(False, "不愿公开的来信")
    unanswered = write(True, "尚未答复的来信")
    for m in (consented, private):
        actions.answer_message(office, m, answer="已协调交警部门在上下学时段加强疏导。")
    actions.set_message_published(office, consented, True)
    with pytest.raises(ActionError):
        actions.set_message_published(office, private, True)
    with pytest.raises(ActionError):
        actions.set_message_published(office, unanswered, True)
    text = _public_text(
        client, "/participation/messages/", f"/participation/messages/{consented.pk}/"
    )
    text += _api(client, "/api/participation/messages")
    assert "关于校门口交通的建议" in text and "已协调交警部门" in text
    assert "不愿公开的来信" not in text and "尚未答复的来信" not in text
    for secret in ["13899998888", "secret@example.com", "王秘密"]:
        assert secret not in text
    assert "王**" in text
    assert client.get(f"/participation/messages/{private.pk}/").status_code == 404


def test_enquiries_public_only_when_published(client, dept_a, office):
    answered, _ = actions.submit_enquiry(
        dept_a,
        subject="义务教育入学需要哪些材料？",
        question="孩子明年上小学，需要准备什么？我的电话13899998888",
        asker_name="王秘密",
        contact="13899998888",
    )
    hidden, _ = actions.submit_enquiry(
        dept_a, subject="未公开的咨询", question="内容", asker_name="王秘密", contact="13899998888"
    )
    actions.answer_enquiry(office, answered, answer="需要户口簿和房产证明。", publish=True)
    actions.answer_enquiry(office, hidden, answer="已电话答复。")
    text = _public_text(
        client, "/participation/enquiries/", f"/participation/enquiries/{answered.pk}/"
    )
    text += _api(client, "/api/participation/enquiries")
    assert "义务教育入学需要哪些材料" in text and "户口簿" in text
    assert "未公开的咨询" not in text
    assert "王秘密" not in text and "13899998888" not in text
    assert client.get(f"/participation/enquiries/{hidden.pk}/").status_code == 404


def test_unpublished_catalogue_open_day_and_proposal_are_not_public(
    client, government, dept_a, office, today
):
    catalogue = actions.create_catalogue(office, government, year=today.year)
    actions.add_decision(
        office, catalogue, title="内部决策事项", organisation=dept_a, planned_time="年内"
    )
    now = timezone.now()
    actions.create_open_day(
        office,
        dept_a,
        title="未发布的开放日",
        theme="教育",
        place="市教育局",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=2),
        capacity=20,
        signup_closes_at=now + dt.timedelta(days=8),
    )
    actions.register_proposal(
        office,
        dept_a,
        kind="npc_suggestion",
        session="市十八届人大三次会议",
        number="101",
        title="未公开的建议",
        proposer="某代表",
        assigned_on=today,
    )
    text = _public_text(
        client,
        "/participation/",
        "/participation/decisions/",
        "/participation/open-days/",
        "/participation/proposals/",
    )
    for path in ["decisions", "open-days", "proposals", "consultations", "enquiries", "messages"]:
        text += _api(client, f"/api/participation/{path}")
    for secret in ["内部决策事项", "未发布的开放日", "未公开的建议"]:
        assert secret not in text


def test_visibility_gate_checks_the_publication_time(government, consultation):
    from gongkai.participation.models import Consultation

    Consultation.objects.filter(pk=consultation.pk).update(
        published_at=timezone.now() + dt.timedelta(days=1)
    )
    assert not visibility.public_consultations(government).exists()


def test_mask_personal():
    text = "电话13812345678，座机0537-2345678，身份证370811199001011234，邮箱abc@x.cn"
    masked = visibility.mask_personal(text)
    assert masked == "电话138****5678，座机****-********，身份证******************，邮箱a***@x.cn"


def test_api_schema_lists_participation_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/participation/")]
    assert "/api/participation/consultations/{pk}" in paths and len(paths) >= 8


def test_public_list_pages_have_flat_query_counts(
    client, make_consultation, office, django_assert_max_num_queries, consultation
):
    for _ in range(6):
        make_consultation(kind=DocumentKind.POLICY)
    client.get("/participation/consultations/")
    with django_assert_max_num_queries(6):
        client.get("/participation/consultations/")
    with django_assert_max_num_queries(6):
        client.get("/api/participation/consultations")
