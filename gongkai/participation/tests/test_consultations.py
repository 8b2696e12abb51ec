"""Consultations end to end through HTTP and the actions: period rules, public comments
(captcha, idempotency, moderation, escaping), disposition, published feedback, export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.participation import actions
from gongkai.participation.models import (
    ChangeKind,
    Channel,
    Comment,
    Consultation,
    Disposition,
    DocumentKind,
    Moderation,
    Phase,
)
from gongkai.testing import forbidden

pytestmark = pytest.mark.django_db


class TestPeriodRules:
    def test_twenty_day_major_decision_without_reason_is_refused(self, make_consultation):
        with pytest.raises(ActionError) as exc:
            make_consultation(kind=DocumentKind.MAJOR_DECISION, days=20, publish=False)
        assert exc.value.field == "shortened_reason"
        assert "不少于30日" in exc.value.message and "本次仅20日" in exc.value.message
        assert not Consultation.objects.exists()

    def test_twenty_day_major_decision_with_reason_is_accepted(self, make_consultation):
        c = make_consultation(
            kind=DocumentKind.MAJOR_DECISION,
            days=20,
            shortened_reason="落实上级紧急部署，须于年底前出台。",
        )
        assert c.phase() == Phase.OPEN and c.period_days == 20

    def test_thirty_days_is_enough_and_other_kinds_have_no_minimum(self, make_consultation):
        assert make_consultation(kind=DocumentKind.MAJOR_DECISION, days=30).period_days == 30
        assert make_consultation(kind=DocumentKind.POLICY, days=10).period_days == 10

    def test_the_staff_form_shows_the_refusal_on_the_reason_field(
        self, login, office, dept_a, today
    ):
        client = login(office)
        response = client.post(
            reverse("participation_staff:consultation_new"),
            {
                "organisation": dept_a.pk,
                "title": "济宁市城市更新专项规划（征求意见稿）",
                "kind": DocumentKind.MAJOR_DECISION,
                "summary": "说明",
                "draft_text": "正文",
                "opens_on": today.isoformat(),
                "closes_on": (today + dt.timedelta(days=19)).isoformat(),
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "须说明缩短期限的理由" in html
        assert "济宁市城市更新专项规划" in html  # what was typed is kept
        assert not Consultation.objects.exists()

    def test_published_period_only_changes_by_extension(self, consultation, office, today):
        with pytest.raises(ActionError):
            actions.update_consultation(
                office, consultation, closes_on=today + dt.timedelta(days=60)
            )
        actions.extend_consultation(
            office, consultation, today + dt.timedelta(days=45), "应群众要求延长"
        )
        consultation.refresh_from_db()
        assert consultation.closes_on == today + dt.timedelta(days=45)
        change = consultation.changes.get()
        assert change.kind == ChangeKind.EXTENDED and change.reason == "应群众要求延长"
        assert AuditEvent.objects.filter(action="participation.consultation.extend").count() == 1

    def test_extension_must_move_the_date_forward(self, consultation, office):
        with pytest.raises(ActionError) as exc:
            actions.extend_consultation(office, consultation, consultation.closes_on, "理由")
        assert exc.value.field == "new_closes_on"

    def test_early_closing_is_logged_and_closes(self, consultation, office, today):
        actions.close_consultation_early(office, consultation, "草案已撤回修改")
        consultation.refresh_from_db()
        assert consultation.phase() == Phase.CLOSED
        assert consultation.closes_on == today
        assert consultation.changes.get().kind == ChangeKind.CLOSED_EARLY


class TestPublicComments:
    def test_comment_is_stored_once_even_when_the_form_is_posted_twice(
        self, client, consultation, post_comment
    ):
        response, data = post_comment(consultation, author_name="李四", contact="13812345678")
        assert "您的意见已提交" in response.content.decode()
        again = client.post(f"/participation/consultations/{consultation.pk}/", data, follow=True)
        assert "您的意见已提交" in again.content.decode()
        comment = Comment.objects.get()
        assert comment.author_name == "李四" and comment.moderation == Moderation.APPROVED
        assert comment.channel == Channel.PORTAL

    def test_submit_comment_action_is_idempotent(self, consultation):
        import uuid

        key = uuid.uuid4()
        first, created = actions.submit_comment(consultation, body="意见", idempotency_key=key)
        second, created_again = actions.submit_comment(
            consultation, body="意见", idempotency_key=key
        )
        assert created and not created_again and first.pk == second.pk

    def test_wrong_captcha_keeps_the_text_and_creates_nothing(self, client, consultation):
        url = f"/participation/consultations/{consultation.pk}/"
        html = client.get(url).content.decode()
        from gongkai.participation.tests.conftest import form_fields

        data = {**form_fields(html), "captcha_1": "wrong", "body": "我的意见很长很长"}
        response = client.post(url, data)
        page = response.content.decode()
        assert "验证码不正确" in page and "我的意见很长很长" in page
        assert not Comment.objects.exists()

    def test_comment_on_a_closed_consultation_is_refused_with_a_clear_message(
        self, client, make_consultation, today
    ):
        closed = make_consultation(start=today - dt.timedelta(days=40), days=30, publish=False)
        Consultation.objects.filter(pk=closed.pk).update(
            state="published", published_at=closed.created_at
        )
        url = f"/participation/consultations/{closed.pk}/"
        page = client.get(url).content.decode()
        closes = closed.closes_on
        message = f"本次征求意见已于{closes:%Y年%m月%d日}截止，不再接受意见。"
        assert message in page and 'name="body"' not in page
        response = client.post(
            url,
            {"body": "迟到的意见", "idempotency_key": "5b0b5b7e-6a0b-4a8e-9a43-5f3f7f8e2b11"},
            follow=True,
        )
        assert message in response.content.decode()
        assert not Comment.objects.exists()
        with pytest.raises(ActionError) as exc:
            actions.submit_comment(closed, body="直接调用也不行")
        assert exc.value.message == message

    def test_comment_before_opening_is_refused(self, make_consultation, today):
        upcoming = make_consultation(start=today + dt.timedelta(days=3))
        with pytest.raises(ActionError) as exc:
            actions.submit_comment(upcoming, body="早到的意见")
        assert "开始" in exc.value.message

    def test_script_tags_are_stored_as_text_and_shown_escaped(
        self, client, consultation, post_comment, office
    ):
        evil = '<script>alert("x")</script><img src=x onerror=alert(1)>请<b>修改</b>第二条'
        post_comment(consultation, body=evil, author_name="<script>alert(2)</script>")
        comment = Comment.objects.get()
        assert comment.body == evil  # kept exactly as typed: it is text, never HTML
        # Staff see it escaped.
        from django.test import Client

        staff = Client()
        staff.force_login(office, backend="django.contrib.auth.backends.ModelBackend")
        staff_page = staff.get(
            reverse("participation_staff:consultation", args=[consultation.pk])
        ).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in staff_page
        assert '<script>alert("x")' not in staff_page and "<img src=x" not in staff_page
        # The public sees it escaped in the published feedback.
        actions.close_consultation_early(office, consultation, "提前结束")
        actions.dispose_comment(
            office, comment, disposition=Disposition.NOT_ADOPTED, reason="与本办法无关"
        )
        actions.publish_feedback(office, consultation)
        page = client.get(f"/participation/consultations/{consultation.pk}/").content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert (
            "<script>alert" not in page and "<img src=x" not in page and "<b>修改</b>" not in page
        )
        # The API returns it as plain text (JSON-escaped by nature).
        data = client.get(f"/api/participation/consultations/{consultation.pk}").json()
        assert data["feedback"]["groups"][0]["items"][0]["body"] == evil

    def test_sensitive_words_hold_the_comment_for_moderation(
        self, consultation, post_comment, office
    ):
        response, _ = post_comment(consultation, body="专业代 开 发 票，联系我")
        assert "经审核后纳入汇总" in response.content.decode()
        comment = Comment.objects.get()
        assert comment.moderation == Moderation.PENDING and comment.flagged_words == ["代开发票"]
        with pytest.raises(ActionError):
            actions.dispose_comment(office, comment, disposition=Disposition.ADOPTED)
        with pytest.raises(ActionError):
            actions.moderate_comment(office, comment, approve=False)  # a reason is required
        actions.moderate_comment(office, comment, approve=False, note="广告信息")
        comment.refresh_from_db()
        assert comment.moderation == Moderation.REJECTED

    def test_rate_limit_refuses_politely(self, consultation, post_comment, settings, monkeypatch):
        from gongkai.portal.participation import views

        monkeypatch.setitem(views.RATE_LIMITS, "comment", 1)
        settings.GONGKAI_RATE_LIMIT_ENABLED = True
        post_comment(consultation, body="第一条意见")
        response, _ = post_comment(consultation, body="第二条意见")
        page = response.content.decode()
        assert "提交过于频繁" in page and "第二条意见" in page
        assert Comment.objects.count() == 1


class TestDispositionAndFeedback:
    def test_not_adopted_needs_a_reason(self, consultation, office):
        comment, _ = actions.submit_comment(consultation, body="取消全部收费")
        with pytest.raises(ActionError) as exc:
            actions.dispose_comment(
                office, comment, disposition=Disposition.NOT_ADOPTED, reason="  "
            )
        assert exc.value.field == "reason" and "须说明理由" in exc.value.message
        with pytest.raises(ActionError):
            actions.dispose_comment(office, comment, disposition=Disposition.PARTLY_ADOPTED)
        actions.dispose_comment(office, comment, disposition=Disposition.ADOPTED)

    def test_feedback_waits_for_closing_and_for_every_disposition(self, consultation, office):
        comment, _ = actions.submit_comment(consultation, body="意见一")
        with pytest.raises(ActionError) as exc:
            actions.publish_feedback(office, consultation)
        assert "尚未截止" in exc.value.message
        actions.close_consultation_early(office, consultation, "提前结束")
        with pytest.raises(ActionError) as exc:
            actions.publish_feedback(office, consultation)
        assert "1条意见未填写采纳情况" in exc.value.message
        actions.dispose_comment(office, comment, disposition=Disposition.ADOPTED)
        actions.publish_feedback(office, consultation, "感谢参与")
        consultation.refresh_from_db()
        assert consultation.phase() == Phase.FEEDBACK and consultation.feedback["adopted"] == 1
        with pytest.raises(ActionError):
            actions.dispose_comment(
                office, comment, disposition=Disposition.NOT_ADOPTED, reason="改主意"
            )

    def test_feedback_groups_counts_and_masks_names(self, client, consultation, office):
        a, _ = actions.submit_comment(
            consultation,
            body="建议补助提高到每年1000元，电话13812345678",
            author_name="王小明",
            contact="wxm@example.com",
            clause="",
        )
        b, _ = actions.submit_comment(consultation, body="建议简化申请材料", author_name="赵六")
        c = actions.enter_comment(
            office,
            consultation,
            channel=Channel.LETTER,
            body="建议增加公示环节",
            author_name="刘七",
            contact="济宁市任城区某路1号",
        )
        actions.close_consultation_early(office, consultation, "提前结束")
        actions.dispose_comment(
            office,
            a,
            disposition=Disposition.NOT_ADOPTED,
            reason="超出财政承受能力",
            topic="补助标准",
        )
        actions.dispose_comment(office, b, disposition=Disposition.ADOPTED, topic="申请材料")
        actions.dispose_comment(
            office,
            c,
            disposition=Disposition.PARTLY_ADOPTED,
            reason="公示期改为5个工作日",
            topic="申请材料",
        )
        actions.publish_feedback(office, consultation, "共收到意见3条。")
        fb = Consultation.objects.get(pk=consultation.pk).feedback
        assert (fb["total"], fb["adopted"], fb["partly_adopted"], fb["not_adopted"]) == (3, 1, 1, 1)
        assert [g["name"] for g in fb["groups"]] == ["补助标准", "申请材料"]
        assert {r["reason"] for r in fb["not_adopted_reasons"]} == {
            "超出财政承受能力",
            "公示期改为5个工作日",
        }
        page = client.get(f"/participation/consultations/{consultation.pk}/").content.decode()
        for secret in ("王小明", "赵六", "刘七", "13812345678", "wxm@example.com", "某路1号"):
            assert secret not in page
        assert "王**" in page and "赵*" in page and "138****5678" in page
        assert "超出财政承受能力" in page

    def test_staff_can_enter_comments_from_letters_after_closing(self, consultation, office):
        actions.close_consultation_early(office, consultation, "提前结束")
        comment = actions.enter_comment(
            office, consultation, channel=Channel.MEETING, body="座谈会意见"
        )
        assert comment.moderation == Moderation.APPROVED and comment.entered_by == office
        with pytest.raises(ActionError):
            actions.enter_comment(office, consultation, channel=Channel.PORTAL, body="冒充网站")


class TestPermissions:
    def test_officer_of_another_department_cannot_see_or_act(self, consultation, officer_b, login):
        client = login(officer_b)
        assert (
            client.get(
                reverse("participation_staff:consultation", args=[consultation.pk])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("participation_staff:consultation_publish", args=[consultation.pk])
            ).status_code
            == 404
        )
        with forbidden():
            actions.close_consultation_early(officer_b, consultation, "越权")

    def test_officer_drafts_but_only_a_reviewer_publishes(
        self, officer_a, approver_a, dept_a, today
    ):
        draft = actions.create_consultation(
            officer_a,
            dept_a,
            title="草案",
            kind=DocumentKind.POLICY,
            summary="说明",
            draft_text="正文",
            opens_on=today,
            closes_on=today + dt.timedelta(days=29),
        )
        with forbidden():
            actions.publish_consultation(officer_a, draft)
        actions.publish_consultation(approver_a, draft)

    def test_officer_cannot_open_for_another_department(self, officer_a, dept_b, today):
        with forbidden():
            actions.create_consultation(
                officer_a,
                dept_b,
                title="草案",
                kind=DocumentKind.POLICY,
                summary="说明",
                opens_on=today,
                closes_on=today + dt.timedelta(days=29),
            )

    def test_anonymous_is_sent_to_login(self, client, consultation):
        response = client.get(reverse("participation_staff:consultations"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestStaffPages:
    def test_office_works_a_consultation_through_the_staff_pages(
        self, login, office, dept_a, today, client
    ):
        staff = login(office)
        response = staff.post(
            reverse("participation_staff:consultation_new"),
            {
                "organisation": dept_a.pk,
                "title": "济宁市校外培训机构管理办法（征求意见稿）",
                "kind": DocumentKind.NORMATIVE,
                "summary": "公开征求意见。",
                "draft_text": "第一条 总则",
                "clauses": "第一条 总则\n第二条 适用范围",
                "opens_on": today.isoformat(),
                "closes_on": (today + dt.timedelta(days=29)).isoformat(),
            },
        )
        c = Consultation.objects.get()
        assert response.status_code == 302
        staff.post(reverse("participation_staff:consultation_publish", args=[c.pk]))
        c.refresh_from_db()
        assert c.phase() == Phase.OPEN and c.feedback_due_on > c.closes_on
        staff.post(
            reverse("participation_staff:comment_add", args=[c.pk]),
            {"channel": "email", "body": "邮件意见", "clause": "第一条 总则"},
        )
        comment = Comment.objects.get()
        staff.post(
            reverse("participation_staff:consultation_close", args=[c.pk]),
            {"close-reason": "提前结束"},
        )
        page = staff.post(
            reverse("participation_staff:comment_dispose", args=[comment.pk]),
            {f"c{comment.pk}-disposition": "not_adopted", f"c{comment.pk}-reason": ""},
            follow=True,
        ).content.decode()
        assert "「未采纳」须说明理由" in page
        staff.post(
            reverse("participation_staff:comment_dispose", args=[comment.pk]),
            {
                f"c{comment.pk}-disposition": "not_adopted",
                f"c{comment.pk}-reason": "上位法已有规定",
            },
        )
        staff.post(reverse("participation_staff:feedback_publish", args=[c.pk]), {"summary": ""})
        c.refresh_from_db()
        assert c.feedback_published_at is not None
        assert (
            "上位法已有规定" in client.get(f"/participation/consultations/{c.pk}/").content.decode()
        )

    def test_export_has_every_comment_and_defuses_formulas(self, login, office, consultation):
        actions.submit_comment(
            consultation,
            body='=HYPERLINK("http://evil")',
            author_name="孙八",
            contact="13900001111",
        )
        response = login(office).get(
            reverse("participation_staff:consultation_export", args=[consultation.pk])
        )
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(min_row=4, values_only=True))
        assert len(rows) == 1
        assert rows[0][3] == "孙八" and rows[0][4] == "13900001111"
        assert rows[0][6].startswith("'=HYPERLINK")

    def test_list_page_query_count_is_flat(
        self, login, office, make_consultation, django_assert_max_num_queries
    ):
        for _ in range(5):
            c = make_consultation()
            actions.submit_comment(c, body="意见")
        client = login(office)
        client.get(reverse("participation_staff:consultations"))  # warm caches
        with django_assert_max_num_queries(8):
            response = client.get(reverse("participation_staff:consultations"))
        assert response.content.decode().count("征求意见稿") >= 5


def test_draft_and_explanation_attachments_download_only_when_public(
    login, office, dept_a, today, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.core.files.tests.hostile import docx_with_text

    draft = docx_with_text("征求意见稿")  # uploads are checked by their bytes (core.files)
    settings.MEDIA_ROOT = tmp_path
    staff = login(office)
    staff.post(
        reverse("participation_staff:consultation_new"),
        {
            "organisation": dept_a.pk,
            "title": "附件测试征求意见稿",
            "kind": DocumentKind.POLICY,
            "summary": "说明",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=29)).isoformat(),
            "draft_file": SimpleUploadedFile("draft.docx", draft),
            "explanation_file": SimpleUploadedFile("explanation.pdf", b"%PDF-explanation"),
        },
    )
    c = Consultation.objects.get()
    from django.test import Client

    public = Client()
    assert public.get(f"/participation/consultations/{c.pk}/files/draft/").status_code == 404
    actions.publish_consultation(office, c)
    response = public.get(f"/participation/consultations/{c.pk}/files/draft/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == draft
    assert public.get(f"/participation/consultations/{c.pk}/files/explanation/").status_code == 200
    assert public.get(f"/participation/consultations/{c.pk}/files/other/").status_code == 404


def test_evaluator_reads_the_handling_but_not_personal_data(consultation, government, login):
    from gongkai.accounts.models import User
    from gongkai.orgs.models import Membership, Role

    evaluator = User.objects.create_user(username="evaluator", password="x")
    Membership.objects.create(user=evaluator, organisation=government, role=Role.EVALUATOR)
    Membership.objects.create(
        user=evaluator, organisation=consultation.organisation, role=Role.EVALUATOR
    )
    actions.submit_comment(
        consultation, body="意见内容", author_name="隐私姓名", contact="13911112222"
    )
    client = login(evaluator)
    page = client.get(
        reverse("participation_staff:consultation", args=[consultation.pk])
    ).content.decode()
    assert "意见内容" in page and "隐私姓名" not in page and "13911112222" not in page
    assert (
        client.get(
            reverse("participation_staff:consultation_export", args=[consultation.pk])
        ).status_code
        == 403
    )
