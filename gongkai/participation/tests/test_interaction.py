"""Messages (three-month rule), enquiries knowledge base, open days, proposals, concern
responses, hearings, complaints, and the office dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.actions import ActionError
from gongkai.participation import actions, dashboard, rules
from gongkai.participation.models import (
    ConcernKind,
    HearingKind,
    InstitutionSector,
    Mailbox,
    Message,
    OpenDaySignup,
    ParticipantRole,
    ProposalKind,
    ProposalResult,
    ReleaseKind,
)
from gongkai.participation.periodic import participation_deadlines
from gongkai.participation.tests.conftest import form_fields
from gongkai.testing import forbidden

pytestmark = pytest.mark.django_db


# --- Messages ---------------------------------------------------------------------------------


def _message(government, org, **extra):
    fields = {
        "mailbox": Mailbox.LEADER,
        "subject": "关于小区供暖的问题",
        "body": "今年供暖温度不达标。",
        "writer_name": "陈八",
        "phone": "13700001111",
        "consent_to_publish": True,
        **extra,
    }
    message, _ = actions.submit_message(government, org, **fields)
    return message


def test_message_from_the_portal_is_routed_answered_and_published(
    client, government, dept_a, office, officer_a, officer_b
):
    html = client.get("/participation/messages/write/").content.decode()
    data = {
        **form_fields(html),
        "mailbox": "leader",
        "organisation": government.pk,
        "subject": "建议增设公交线路",
        "body": "城东新区缺少公交线路。",
        "writer_name": "周九",
        "phone": "13600002222",
        "consent_to_publish": "on",
    }
    response = client.post("/participation/messages/write/", data, follow=True)
    assert "您的留言已提交" in response.content.decode()
    client.post("/participation/messages/write/", data)  # double submit: still one message
    message = Message.objects.get()
    assert message.due_on == rules.workdays_after(timezone.localdate(message.received_at), 10)
    with forbidden():
        actions.route_message(officer_a, message, dept_a)
    actions.route_message(office, message, dept_a)
    with forbidden():
        actions.answer_message(officer_b, message, answer="越权答复")
    actions.answer_message(officer_a, message, answer="已转交市交通运输局研究。")
    actions.set_message_published(office, message, True)
    page = client.get("/participation/messages/").content.decode()
    assert "建议增设公交线路" in page and "周*" in page and "13600002222" not in page


def test_three_month_rule_on_the_dashboard(government, dept_a, office, login):
    old = _message(government, dept_a, subject="已满三个月的来信")
    near = _message(government, dept_a, subject="快满三个月的来信")
    fresh = _message(government, dept_a, subject="新来信")
    answered = _message(government, dept_a, subject="早已答复的来信")
    now = timezone.now()
    Message.objects.filter(pk__in=[old.pk, answered.pk]).update(
        received_at=now - dt.timedelta(days=95)
    )
    Message.objects.filter(pk=near.pk).update(received_at=now - dt.timedelta(days=75))
    actions.answer_message(office, answered, answer="已答复")
    items = {i.title: i for i in dashboard.dashboard_items(office)}
    assert (
        items["已满三个月的来信"].level == "veto"
        and "超过三个月" in items["已满三个月的来信"].detail
    )
    assert (
        items["快满三个月的来信"].level == "veto"
        and "即将满三个月" in items["快满三个月的来信"].detail
    )
    assert "早已答复的来信" not in items and "新来信" not in items
    page = login(office).get(reverse("participation_staff:home")).content.decode()
    assert "超过三个月未答复" in page and "否决项风险" in page
    assert fresh.due_on > timezone.localdate()
    summary = participation_deadlines(dry_run=True)
    assert "超过三个月未答复的留言 1 件" in summary and "即将满三个月的留言 1 件" in summary


def test_add_months_keeps_the_end_of_month():
    assert rules.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert rules.add_months(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)


def test_invalid_message_never_becomes_public(government, dept_a, office):
    message = _message(government, dept_a)
    actions.mark_message_invalid(office, message, "广告信息")
    with pytest.raises(ActionError):
        actions.set_message_published(office, message, True)


# --- Enquiries --------------------------------------------------------------------------------


def test_enquiry_knowledge_base_search(client, dept_a, office):
    html = client.get("/participation/enquiries/ask/").content.decode()
    data = {
        **form_fields(html),
        "organisation": dept_a.pk,
        "subject": "随迁子女如何办理入学？",
        "question": "外地户籍孩子在济宁上小学需要什么条件？",
        "asker_name": "吴十",
        "contact": "13500003333",
        "policy_title": "济宁市义务教育招生入学工作方案",
    }
    response = client.post("/participation/enquiries/ask/", data, follow=True)
    assert "将于" in response.content.decode()
    enquiry = dept_a.enquiries.get()
    assert enquiry.due_on == rules.workdays_after(timezone.localdate(enquiry.submitted_at), 5)
    actions.answer_enquiry(office, enquiry, answer="持居住证和就业证明可申请入学。", publish=True)
    assert "随迁子女" in client.get("/participation/enquiries/?q=居住证").content.decode()
    assert "随迁子女" not in client.get("/participation/enquiries/?q=供暖").content.decode()
    assert (
        client.get("/api/participation/enquiries?q=入学").json()[0]["subject"]
        == "随迁子女如何办理入学？"
    )
    actions.set_enquiry_published(office, enquiry, False)
    assert "随迁子女" not in client.get("/participation/enquiries/").content.decode()


def test_form_errors_are_chinese_and_keep_the_input(client, dept_a):
    html = client.get("/participation/enquiries/ask/").content.decode()
    data = {
        **form_fields(html),
        "organisation": dept_a.pk,
        "subject": "我的问题标题",
        "question": "",
        "asker_name": "",
        "contact": "",
    }
    page = client.post("/participation/enquiries/ask/", data).content.decode()
    assert page.count("这个字段是必须的") == 3 and "我的问题标题" in page


# --- Open days --------------------------------------------------------------------------------


@pytest.fixture
def open_day(office, dept_a):
    now = timezone.now()
    day = actions.create_open_day(
        office,
        dept_a,
        title="走进市教育局",
        theme="教育惠民政策",
        place="济宁市教育局一楼大厅",
        starts_at=now + dt.timedelta(days=7),
        ends_at=now + dt.timedelta(days=7, hours=3),
        capacity=1,
        signup_closes_at=now + dt.timedelta(days=5),
    )
    return actions.publish_open_day(office, day)


def test_open_day_sign_up_respects_capacity_and_duplicates(client, open_day):
    url = f"/participation/open-days/{open_day.pk}/"
    data = {**form_fields(client.get(url).content.decode()), "name": "郑一", "phone": "13400004444"}
    assert "报名成功" in client.post(url, data, follow=True).content.decode()
    client.post(url, data)  # double submit
    assert OpenDaySignup.objects.count() == 1
    page = client.get(url).content.decode()
    assert "报名已截止或名额已满" in page
    with pytest.raises(ActionError) as exc:
        actions.sign_up(open_day, name="王二", phone="13400005555")
    assert "名额已满" in exc.value.message


def test_open_day_duplicate_phone_and_closed_signup(office, open_day):
    from gongkai.participation.models import OpenDay

    OpenDay.objects.filter(pk=open_day.pk).update(capacity=5)
    open_day.refresh_from_db()
    actions.sign_up(open_day, name="郑一", phone="13400004444")
    with pytest.raises(ActionError) as exc:
        actions.sign_up(open_day, name="郑一", phone="134-0000-4444")
    assert "已报名" in exc.value.message
    OpenDay.objects.filter(pk=open_day.pk).update(
        signup_closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_up(open_day, name="钱二", phone="13400006666")
    assert "截止" in exc.value.message


def test_open_day_suggestions_are_tracked_and_answers_published(
    client, office, officer_a, officer_b, open_day, dept_a
):
    suggestion = actions.add_suggestion(
        office, open_day, content="建议延长图书馆开放时间", organisation=dept_a, raised_by="孙三"
    )
    assert suggestion.due_on > timezone.localdate(open_day.starts_at)
    with forbidden():
        actions.answer_suggestion(officer_b, suggestion, "越权")
    actions.answer_suggestion(officer_a, suggestion, "已协调延长至晚上8点。")
    page = client.get(f"/participation/open-days/{open_day.pk}/").content.decode()
    assert "已协调延长至晚上8点" in page and "孙*" in page and "孙三" not in page


# --- Proposals --------------------------------------------------------------------------------


def test_proposal_result_is_recorded_and_published(client, office, dept_a):
    proposal = actions.register_proposal(
        office,
        dept_a,
        kind=ProposalKind.CPPCC_PROPOSAL,
        session="市政协十三届五次会议",
        number="0123",
        title="关于加强中小学心理健康教育的提案",
        proposer="李委员",
        assigned_on=dt.date(2026, 3, 10),
    )
    assert proposal.due_on == dt.date(2026, 6, 10)
    with pytest.raises(ActionError):
        actions.publish_proposal(office, proposal)
    actions.record_proposal_reply(
        office,
        proposal,
        replied_on=dt.date(2026, 5, 20),
        result=ProposalResult.SOLVED,
        reply_summary="已在全市中小学配备专职心理教师。",
    )
    actions.publish_proposal(office, proposal)
    page = client.get("/participation/proposals/").content.decode()
    assert "关于加强中小学心理健康教育的提案" in page and "A类" in page
    assert client.get("/api/participation/proposals").json()[0]["number"] == "0123"


# --- Concern responses ------------------------------------------------------------------------


def test_concern_deadlines_in_clock_hours():
    detected = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)

    class R:
        def __init__(self, kind, hours):
            self.kind, self.at = kind, detected + dt.timedelta(hours=hours)

    major = rules.concern_deadlines(
        ConcernKind.MAJOR_EMERGENCY,
        detected,
        [R(ReleaseKind.AUTHORITATIVE_INFO, 6), R(ReleaseKind.PRESS_CONFERENCE, 20)],
    )
    assert [d.due_at - detected for d in major] == [dt.timedelta(hours=5), dt.timedelta(hours=24)]
    assert major[0].late and major[1].met
    other = rules.concern_deadlines(ConcernKind.OTHER, detected, [])
    assert other[0].due_at == detected + dt.timedelta(hours=48)
    assert other[0].missed(detected + dt.timedelta(hours=49))
    assert not other[0].missed(detected + dt.timedelta(hours=47))


def test_missed_concern_deadlines_show_on_the_dashboard(office, dept_a, login):
    now = timezone.now()
    concern = actions.register_concern(
        office,
        dept_a,
        title="某校食堂食品安全事件",
        kind=ConcernKind.MAJOR_EMERGENCY,
        source="微博",
        detected_at=now - dt.timedelta(hours=30),
    )
    actions.add_release(
        office,
        concern,
        kind=ReleaseKind.AUTHORITATIVE_INFO,
        at=now - dt.timedelta(hours=27),
        channel="官方微博",
    )
    other = actions.register_concern(
        office,
        dept_a,
        title="学区划分调整引发关注",
        kind=ConcernKind.OTHER,
        detected_at=now - dt.timedelta(hours=10),
    )
    items = [(i.title, i.level, i.detail) for i in dashboard.dashboard_items(office)]
    assert ("某校食堂食品安全事件", "overdue", "24小时内召开新闻发布会") in items
    assert ("学区划分调整引发关注", "soon", "48小时内回应") in items
    assert all(not (t == "某校食堂食品安全事件" and d.startswith("5小时")) for t, _, d in items)
    page = login(office).get(reverse("participation_staff:concerns")).content.decode()
    assert "未按时" in page
    with pytest.raises(ActionError):
        actions.add_release(
            office, other, kind=ReleaseKind.RESPONSE, at=now - dt.timedelta(hours=20)
        )


# --- Hearings ---------------------------------------------------------------------------------


def test_hearing_materials_seven_days_ahead_and_public_list(client, office, dept_a):
    held = timezone.now() + dt.timedelta(days=10)
    hearing = actions.create_hearing(
        office,
        dept_a,
        kind=HearingKind.HEARING,
        title="中小学课后服务收费标准听证会",
        subject="拟定课后服务收费标准",
        held_at=held,
        place="市政务服务中心三楼",
        selection_method="自愿报名、随机抽取",
    )
    with pytest.raises(ActionError) as exc:
        actions.record_materials_sent(
            office, hearing, timezone.localdate(held) - dt.timedelta(days=5)
        )
    assert "7日" in exc.value.message
    actions.record_materials_sent(office, hearing, timezone.localdate(held) - dt.timedelta(days=8))
    actions.add_participant(
        office, hearing, name="冯参加", role=ParticipantRole.REPRESENTATIVE, affiliation="家长代表"
    )
    assert client.get(f"/participation/hearings/{hearing.pk}/").status_code == 404
    actions.publish_hearing(office, hearing)
    page = client.get(f"/participation/hearings/{hearing.pk}/").content.decode()
    assert "冯参加" in page and "家长代表" in page


# --- Complaints -------------------------------------------------------------------------------


def test_complaint_is_handled_within_working_days(office, officer_b, dept_a, login):
    complaint = actions.register_complaint(
        office,
        dept_a,
        institution_name="济宁市第一中学",
        sector=InstitutionSector.EDUCATION,
        complainant_name="褚十一",
        contact="13300007777",
        content="学校未公开收费项目。",
        received_on=dt.date(2026, 9, 28),
    )
    assert complaint.due_on == rules.workdays_after(dt.date(2026, 9, 28), 20)
    assert complaint.due_on > dt.date(2026, 10, 23)  # the National Day week is not counted
    with forbidden():
        actions.record_complaint_result(
            officer_b, complaint, result="越权", handled_on=dt.date(2026, 10, 20)
        )
    actions.record_complaint_result(
        office, complaint, result="已责令学校公开收费项目。", handled_on=dt.date(2026, 10, 20)
    )
    assert (
        login(office).get(reverse("participation_staff:complaint", args=[complaint.pk])).status_code
        == 200
    )


# --- Staff pages ------------------------------------------------------------------------------


def test_every_staff_list_page_renders_for_the_office(login, office, officer_a):
    for user in (office, officer_a):
        client = login(user)
        for name in [
            "home",
            "consultations",
            "consultation_new",
            "catalogues",
            "hearings",
            "hearing_new",
            "open_days",
            "open_day_new",
            "enquiries",
            "messages",
            "proposals",
            "proposal_new",
            "concerns",
            "concern_new",
            "complaints",
            "complaint_new",
        ]:
            assert client.get(reverse(f"participation_staff:{name}")).status_code == 200, name


def test_every_public_page_renders(client, government):
    for path in [
        "/participation/",
        "/participation/decisions/",
        "/participation/consultations/",
        "/participation/open-days/",
        "/participation/enquiries/",
        "/participation/enquiries/ask/",
        "/participation/proposals/",
        "/participation/messages/",
        "/participation/messages/write/",
    ]:
        assert client.get(path).status_code == 200, path


def test_dashboard_query_count_is_flat(
    login, office, government, dept_a, django_assert_max_num_queries
):
    for i in range(5):
        _message(government, dept_a, subject=f"来信{i}")
        actions.register_concern(
            office, dept_a, title=f"舆情{i}", kind=ConcernKind.OTHER, detected_at=timezone.now()
        )
    client = login(office)
    client.get(reverse("participation_staff:home"))
    with django_assert_max_num_queries(21):
        client.get(reverse("participation_staff:home"))


def test_public_complaint_reaches_the_competent_department(
    client, government, dept_a, officer_a, officer_b, login
):
    html = client.get("/participation/complaints/new/").content.decode()
    data = {
        **form_fields(html),
        "institution_name": "济宁市第二中学",
        "sector": "education",
        "organisation": dept_a.pk,
        "content": "学校未公开课后服务收费标准。",
        "complainant_name": "钱十二",
        "contact": "13300008888",
    }
    page = client.post("/participation/complaints/new/", data, follow=True).content.decode()
    assert "您的申诉已提交" in page and "济宁市教育局将于" in page
    client.post("/participation/complaints/new/", data)  # double submit
    complaint = dept_a.institution_complaints.get()
    assert complaint.due_on == rules.workdays_after(complaint.received_on, 20)
    assert (
        login(officer_a)
        .get(reverse("participation_staff:complaint", args=[complaint.pk]))
        .status_code
        == 200
    )
    assert (
        login(officer_b)
        .get(reverse("participation_staff:complaint", args=[complaint.pk]))
        .status_code
        == 404
    )


def test_public_hearing_list_shows_only_published(client, office, dept_a):
    held = timezone.now() + dt.timedelta(days=10)
    draft = actions.create_hearing(
        office,
        dept_a,
        kind=HearingKind.MEETING,
        title="未发布的列席会议",
        subject="议题",
        held_at=held,
        place="市政府",
    )
    published = actions.create_hearing(
        office,
        dept_a,
        kind=HearingKind.MEETING,
        title="市政府常务会议邀请市民代表列席",
        subject="审议民生实事项目",
        held_at=held,
        place="市政府第一会议室",
    )
    actions.add_participant(
        office,
        published,
        name="褚代表",
        role=ParticipantRole.ATTENDEE,
        affiliation="市民代表",
        opinion="建议增加社区食堂",
        handling="已纳入民生实事项目",
    )
    actions.publish_hearing(office, published)
    page = client.get("/participation/hearings/").content.decode()
    assert "市政府常务会议邀请市民代表列席" in page and "未发布的列席会议" not in page
    detail = client.get(f"/participation/hearings/{published.pk}/").content.decode()
    assert "已纳入民生实事项目" in detail
    assert client.get(f"/participation/hearings/{draft.pk}/").status_code == 404


def test_year_record_counts_late_handling(office, government, dept_a, login):
    late = _message(government, dept_a, subject="迟复的来信")
    on_time = _message(government, dept_a, subject="按时答复的来信")
    Message.objects.filter(pk=late.pk).update(
        received_at=timezone.now() - dt.timedelta(days=100),
        due_on=timezone.localdate() - dt.timedelta(days=80),
    )
    actions.answer_message(office, late, answer="答复")
    actions.answer_message(office, on_time, answer="答复")
    rows = {r.label: r for r in dashboard.timeliness(office)}
    messages_row = rows["留言答复"]
    assert (messages_row.handled, messages_row.late, messages_row.on_time) == (2, 1, 1)
    assert messages_row.note == "其中超过三个月答复 1 件"
    page = login(office).get(reverse("participation_staff:home")).content.decode()
    assert "本年度按时办理情况" in page and "其中超过三个月答复 1 件" in page


def test_cli_deadlines_reports_json_and_exit_code(government, dept_a, capsys):
    import argparse
    import json

    from gongkai.participation.cli import cmd_deadlines, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    assert parser.parse_args(["participation", "deadlines", "--json"]).func is cmd_deadlines

    assert cmd_deadlines(argparse.Namespace(json=True)) == 0
    assert json.loads(capsys.readouterr().out)["messages_over_three_months"] == 0
    old = _message(government, dept_a)
    Message.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=100))
    assert cmd_deadlines(argparse.Namespace(json=False)) == 1
    assert "超过三个月未答复的留言：1 件" in capsys.readouterr().out


def test_evaluator_sees_no_personal_data_on_staff_pages(government, dept_a, office, login):
    from gongkai.accounts.models import User
    from gongkai.orgs.models import Membership, Role

    evaluator = User.objects.create_user(username="evaluator", password="x")
    Membership.objects.create(user=evaluator, organisation=dept_a, role=Role.EVALUATOR)
    message = _message(government, dept_a, writer_name="隐私写信人", phone="13911113333")
    enquiry, _ = actions.submit_enquiry(
        dept_a, subject="咨询", question="问题", asker_name="隐私咨询人", contact="13911114444"
    )
    complaint = actions.register_complaint(
        office,
        dept_a,
        institution_name="某校",
        sector="education",
        complainant_name="隐私申诉人",
        contact="13911115555",
        content="内容",
        received_on=timezone.localdate(),
    )
    client = login(evaluator)
    pages = [
        client.get(reverse("participation_staff:message", args=[message.pk])),
        client.get(reverse("participation_staff:enquiry", args=[enquiry.pk])),
        client.get(reverse("participation_staff:complaint", args=[complaint.pk])),
    ]
    text = "".join(p.content.decode() for p in pages)
    assert all(p.status_code == 200 for p in pages)
    for secret in [
        "隐私写信人",
        "13911113333",
        "隐私咨询人",
        "13911114444",
        "隐私申诉人",
        "13911115555",
    ]:
        assert secret not in text
