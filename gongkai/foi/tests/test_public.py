"""The public application form and the requester's view."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.models import InfoRequest, State
from gongkai.testing import received_code, solve_captcha

from .conftest import VALID_ID

pytestmark = pytest.mark.django_db


def _form(client, mode=""):
    html = client.get(reverse("portal:foi_apply") + mode).content.decode()
    import re

    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    return html, key


def _data(dept, key, html, **kw):
    data = {
        "organisation": dept.pk,
        "requester_kind": "natural_person",
        "name": "王五",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13700000000",
        "email": "wangwu@example.com",
        "kind": "disclosure",
        "description": "2025年度义务教育学校招生计划",
        "info_form": "electronic",
        "delivery": "online",
        "idempotency_key": key,
        "id_proof": SimpleUploadedFile("id.png", b"\x89PNGfake", content_type="image/png"),
        **solve_captcha(html),
    }
    data.update(kw)
    return data


def test_apply_with_captcha_double_submit_makes_one_request(client, government, dept_a):
    html, key = _form(client)
    assert "/captcha/image/" in html and "改用邮箱或手机验证码" in html
    data = _data(dept_a, key, html)
    captcha = {k: data[k] for k in ("captcha_0", "captcha_1")}
    response = client.post(reverse("portal:foi_apply"), data)
    assert response.status_code == 302
    req = InfoRequest.objects.get()
    assert req.state == State.SUBMITTED and req.organisation == dept_a
    page = client.get(response["Location"]).content.decode()
    assert req.tracking_code in page
    # The same form submitted again (double click, back button): still one request.
    again = _data(dept_a, key, "", **captcha)  # the captcha was used up by the first post
    response = client.post(reverse("portal:foi_apply"), again)
    assert response.status_code == 200 and "已收到" in response.content.decode()
    assert InfoRequest.objects.count() == 1


def test_accessible_one_time_code(client, government, dept_a):
    html, key = _form(client, "?captcha=code")
    assert "发送验证码" in html and "<img" not in html
    contact = f"w{uuid.uuid4().hex[:10]}@example.com"  # Redis keeps send counts between runs
    data = _data(dept_a, key, html, captcha_mode="code", captcha_0=contact, captcha_send="1")
    response = client.post(reverse("portal:foi_apply"), data)
    assert response.status_code == 400 and "验证码已发送至" in response.content.decode()
    data = _data(dept_a, key, "", captcha_mode="code", captcha_0=contact)
    data["captcha_1"] = received_code(contact)
    response = client.post(reverse("portal:foi_apply"), data)
    assert response.status_code == 302 and InfoRequest.objects.count() == 1


def test_bad_input_is_explained_and_kept(client, government, dept_a):
    html, key = _form(client)
    data = _data(dept_a, key, html, id_number="12345", phone="", email="", captcha_1="wrong")
    data.pop("id_proof")
    response = client.post(reverse("portal:foi_apply"), data)
    text = response.content.decode()
    assert response.status_code == 400
    for message in (
        "居民身份证号码不正确",
        "请至少填写一种联系方式",
        "请上传身份证明",
        "验证码不正确",
    ):
        assert message in text
    assert "2025年度义务教育学校招生计划" in text and InfoRequest.objects.count() == 0


def test_rate_limit(client, government, dept_a, settings):
    settings.GONGKAI_RATE_LIMIT_ENABLED = True
    from gongkai.portal.foi import views

    settings.GONGKAI_CAPTCHA_ENABLED = False
    views.APPLY_LIMIT = (2, 3600)
    try:
        import uuid

        response = None
        for _ in range(3):
            data = _data(dept_a, uuid.uuid4().hex, "")
            response = client.post(reverse("portal:foi_apply"), data, REMOTE_ADDR="10.77.77.77")
        assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    finally:
        views.APPLY_LIMIT = (20, 3600)


def _tracked_client(client, req, contact):
    html = client.get(reverse("portal:foi_track")).content.decode()
    return client.post(
        reverse("portal:foi_track"),
        {"tracking_code": req.tracking_code.lower(), "contact": contact, **solve_captcha(html)},
    )


def test_requester_view_checks_contact_and_allows_correction(
    client, government, dept_a, office, officer_a
):
    req, _ = actions.submit_online(
        government,
        dept_a,
        actions.RequesterData(
            kind="natural_person",
            name="王五",
            id_type="resident_id",
            id_number=VALID_ID,
            phone="137-0000-0000",
            email="wangwu@example.com",
        ),
        actions.RequestData(description="招生计划"),
        idempotency_key="pub-1",
    )
    status_url = reverse("portal:foi_status", args=[req.tracking_code])
    assert client.get(status_url).status_code == 404  # no check passed yet
    response = _tracked_client(client, req, "13900000000")
    assert response.status_code == 400 and "不匹配" in response.content.decode()
    assert client.get(status_url).status_code == 404
    response = _tracked_client(client, req, "13700000000")
    assert response.status_code == 302 and response["Location"] == status_url
    assert "待确认受理" in client.get(status_url).content.decode()

    actions.confirm_receipt(office, req)
    actions.request_correction(officer_a, req, "请写明学段。")
    page = client.get(status_url).content.decode()
    assert "提交补正材料" in page and "请写明学段" in page
    correct = reverse("portal:foi_correct", args=[req.tracking_code])
    response = client.post(correct, {"text": ""})
    assert response.status_code == 400 and "请填写补正内容" in response.content.decode()
    response = client.post(
        correct,
        {
            "text": "初中学段",
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == State.IN_PROGRESS and req.corrections.get().file
    letter = req.letters.get()
    download = client.get(reverse("portal:foi_letter", args=[req.tracking_code, letter.pk, "docx"]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    # Another browser without the check sees nothing.
    from django.test import Client

    other = Client()
    assert other.get(status_url).status_code == 404
    assert (
        other.get(
            reverse("portal:foi_letter", args=[req.tracking_code, letter.pk, "docx"])
        ).status_code
        == 404
    )


def test_requester_can_withdraw(client, government, dept_a):
    req, _ = actions.submit_online(
        government,
        dept_a,
        actions.RequesterData(
            kind="natural_person",
            name="王五",
            id_type="resident_id",
            id_number=VALID_ID,
            email="w@example.com",
        ),
        actions.RequestData(description="招生计划"),
        idempotency_key="pub-2",
    )
    _tracked_client(client, req, "W@example.com")
    client.post(reverse("portal:foi_withdraw", args=[req.tracking_code]), {"note": "不需要"})
    req.refresh_from_db()
    assert req.state == State.WITHDRAWN


def test_reply_attachment_reaches_the_requester_only_after_signing(
    client, government, dept_a, office, officer_a, login
):
    req, _ = actions.submit_online(
        government,
        dept_a,
        actions.RequesterData(
            kind="natural_person",
            name="王五",
            id_type="resident_id",
            id_number=VALID_ID,
            email="w@example.com",
        ),
        actions.RequestData(description="招生计划"),
        idempotency_key="pub-3",
    )
    actions.confirm_receipt(office, req)
    staff = login(officer_a)
    response = staff.post(
        reverse("foi_staff:action", args=[req.pk, "attach"]),
        {
            "file": SimpleUploadedFile(
                "招生计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf"
            )
        },
    )
    assert response.status_code == 302
    item = req.attachments.get()
    from django.test import Client

    citizen = Client()
    _tracked_client(citizen, req, "w@example.com")
    url = reverse("portal:foi_attachment", args=[req.tracking_code, item.pk])
    assert citizen.get(url).status_code == 404  # not before the reply is signed
    actions.draft_reply(officer_a, req, outcome="disclosed")
    actions.submit_reply(officer_a, req)
    actions.review_reply(office, req, approve=True)
    actions.sign_reply(office, req)
    response = citizen.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert (
        "招生计划.pdf"
        in citizen.get(reverse("portal:foi_status", args=[req.tracking_code])).content.decode()
    )


def test_form_starts_with_please_choose_and_refuses_no_organisation(client, government, dept_a):
    html, key = _form(client)
    assert '<option value="" selected>请选择</option>' in html
    response = client.post(reverse("portal:foi_apply"), _data(dept_a, key, html, organisation=""))
    assert response.status_code == 400
    assert "请选择向哪个机关申请。" in response.content.decode()


def test_id_proof_is_kept_across_a_validation_error(client, government, dept_a):
    html, key = _form(client)
    refused = client.post(reverse("portal:foi_apply"), _data(dept_a, key, html, phone="", email=""))
    text = refused.content.decode()
    assert refused.status_code == 400 and "请至少填写一种联系方式" in text
    assert "已收到身份证明文件「id.png」" in text
    data = _data(dept_a, key, text)
    data.pop("id_proof")  # not chosen again
    response = client.post(reverse("portal:foi_apply"), data)
    assert response.status_code == 302
    proof = InfoRequest.objects.get().requester.id_proof
    with proof.open("rb") as f:
        assert f.read() == b"\x89PNGfake"
    # Used once: the next application must bring its own proof.
    html, key = _form(client)
    assert "已收到身份证明文件" not in html
