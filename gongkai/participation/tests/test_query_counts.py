"""List pages run a fixed number of queries however many rows they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.participation import actions
from gongkai.participation.models import (
    ConcernKind,
    HearingKind,
    Mailbox,
    ProposalKind,
    ReleaseKind,
)

pytestmark = pytest.mark.django_db

N = 5


@pytest.fixture
def many(government, dept_a, dept_b, office, today):
    now = timezone.now()
    for i in range(N):
        org = dept_a if i % 2 else dept_b
        m, _ = actions.submit_message(
            government,
            org,
            mailbox=Mailbox.WEBSITE,
            subject=f"留言{i}",
            body="内容",
            writer_name="某人",
            phone="13800000000",
            consent_to_publish=True,
        )
        actions.answer_message(office, m, answer="答复", publish=True)
        e, _ = actions.submit_enquiry(
            org, subject=f"咨询{i}", question="问题", asker_name="某人", contact="1"
        )
        actions.answer_enquiry(office, e, answer="答复", publish=True)
        day = actions.create_open_day(
            office,
            org,
            title=f"开放日{i}",
            theme="主题",
            place="地点",
            starts_at=now + dt.timedelta(days=9),
            ends_at=now + dt.timedelta(days=9, hours=1),
            capacity=9,
            signup_closes_at=now + dt.timedelta(days=8),
        )
        actions.publish_open_day(office, day)
        actions.sign_up(day, name="某人", phone=f"1380000000{i}")
        p = actions.register_proposal(
            office,
            org,
            kind=ProposalKind.NPC_SUGGESTION,
            session="会议",
            number=str(i),
            title=f"建议{i}",
            proposer="代表",
            assigned_on=today - dt.timedelta(days=10),
        )
        actions.record_proposal_reply(
            office, p, replied_on=today, result="solved", reply_summary="已办"
        )
        actions.publish_proposal(office, p)
        c = actions.register_concern(
            office, org, title=f"舆情{i}", kind=ConcernKind.OTHER, detected_at=now
        )
        actions.add_release(office, c, kind=ReleaseKind.RESPONSE, at=now)
        actions.register_complaint(
            office,
            org,
            institution_name=f"单位{i}",
            sector="education",
            complainant_name="某人",
            contact="1",
            content="内容",
            received_on=today,
        )
        h = actions.create_hearing(
            office,
            org,
            kind=HearingKind.HEARING,
            title=f"听证{i}",
            subject="事项",
            held_at=now + dt.timedelta(days=20),
            place="地点",
        )
        actions.add_participant(office, h, name="参加人", role="representative")
        actions.publish_hearing(office, h)


PUBLIC_PAGES = [
    "/participation/",
    "/participation/messages/",
    "/participation/enquiries/",
    "/participation/enquiries/?q=咨询",
    "/participation/open-days/",
    "/participation/proposals/",
    "/participation/hearings/",
    "/api/participation/messages",
    "/api/participation/enquiries",
    "/api/participation/open-days",
    "/api/participation/proposals",
]
STAFF_PAGES = [
    "home",
    "messages",
    "enquiries",
    "open_days",
    "proposals",
    "concerns",
    "complaints",
    "hearings",
]


def test_public_list_pages(client, many, django_assert_max_num_queries):
    for path in PUBLIC_PAGES:
        client.get(path)
        with django_assert_max_num_queries(8):
            response = client.get(path)
        assert response.status_code == 200, path


def test_staff_list_pages(login, office, many, django_assert_max_num_queries):
    client = login(office)
    for name in STAFF_PAGES:
        url = reverse(f"participation_staff:{name}")
        client.get(url)
        # The dashboard runs one query per kind of deadline and per kind in the year's record
        # (about twenty, fixed); lists run ≤ 6.
        with django_assert_max_num_queries(21 if name == "home" else 6):
            response = client.get(url)
        assert response.status_code == 200, name
