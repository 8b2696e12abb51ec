"""Every stored working-day date, in every app, is 暂定 exactly when it depends on a year whose
holiday notice is not loaded, and is recomputed — moved earlier where a 调休 Saturday became a
working day, with the office and the officer told — when that year is loaded.

Issue 15 point 14 and its "Done when" (RULES.md §10: working days follow the yearly State
Council notice; 2027's is not out). The test walks the registry of stored working-day dates
(gongkai.core.workday_dates) and plants one item in each registered date through the apps' own
actions, so a date registered without a planter here fails the test.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from gongkai.core import calendar as cal
from gongkai.core import workday_dates
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))

# A made-up 2027 arrangement (示例): 元旦 1–3 January with Saturday 9 January worked, and a
# 春节 that adds 9–11 February to the statutory 除夕–初三 (5–8 February).
NOTICE_2027 = """
年份: 2027
标题: 测试用2027年节假日安排（示例）
示例: 是
节日:
  - 名称: 元旦
    放假: 2027-01-01 至 2027-01-03
    调休上班: 2027-01-09
  - 名称: 春节
    放假: 2027-02-05 至 2027-02-11
"""


@pytest.fixture
def frozen(monkeypatch):
    """frozen(day): from now on timezone.now() is 08:00 (Asia/Shanghai) of that day."""

    def _at(day: date):
        moment = dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        cal.clear_cache()

    return _at


@pytest.fixture
def world(government, dept_a, office, officer_a, approver_a):
    for user in (office, officer_a, approver_a):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return {
        "government": government,
        "org": dept_a,
        "office": office,
        "officer": officer_a,
        "approver": approver_a,
    }


# --- Planters: one item per registered date, through the app's actions, started on `on` --------


def plant_consultation(w, on):
    from gongkai.participation import actions
    from gongkai.participation.models import DocumentKind

    c = actions.create_consultation(
        w["office"],
        w["org"],
        title="学生资助办法（征求意见稿）",
        kind=DocumentKind.POLICY,
        summary="公开征求意见。",
        draft_text="第一条 为规范学生资助工作，制定本办法。",
        opens_on=on,
        closes_on=on,
    )
    actions.publish_consultation(w["office"], c)


def plant_enquiry(w, on):
    from gongkai.participation import actions

    actions.submit_enquiry(
        w["org"], subject="咨询", question="补助标准？", asker_name="周五", contact="13900000000"
    )


def plant_message(w, on):
    from gongkai.participation import actions
    from gongkai.participation.models import Mailbox

    actions.submit_message(
        w["government"],
        w["org"],
        mailbox=Mailbox.LEADER,
        subject="供暖",
        body="温度不达标。",
        writer_name="陈八",
        phone="13700001111",
    )


def plant_complaint(w, on):
    from gongkai.participation import actions

    actions.register_complaint(
        w["office"],
        w["org"],
        institution_name="第一中学",
        sector="education",
        complainant_name="褚十一",
        contact="13300007777",
        content="未公开收费项目。",
        received_on=on,
    )


def plant_suggestion(w, on):
    from gongkai.participation import actions

    now = timezone.now()
    day = actions.create_open_day(
        w["office"],
        w["org"],
        title="走进教育局",
        theme="教育惠民政策",
        place="一楼大厅",
        starts_at=now + dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=5),
        capacity=5,
        signup_closes_at=now + dt.timedelta(hours=1),
    )
    day = actions.publish_open_day(w["office"], day)
    actions.add_suggestion(w["office"], day, content="延长开放时间", organisation=w["org"])


def plant_record(w, on):
    from gongkai.catalog import actions

    actions.create_record(
        w["officer"], w["org"], {"title": "关于做好公开工作的通知", "made_on": on}
    )


def plant_interpretation(w, on):
    from gongkai.catalog import actions
    from gongkai.catalog.models import Genre, InterpretationPlan

    record = actions.create_record(
        w["officer"],
        w["org"],
        {
            "title": "关于规范校外培训的规定",
            "made_on": on,
            "genre": Genre.NORMATIVE,
            "interpretation_plan": InterpretationPlan.LATER,
        },
    )
    actions.submit_for_review(w["officer"], record)
    actions.approve(w["approver"], record)
    actions.publish(w["approver"], record)


def plant_plan(w, on, due=None):
    from gongkai.plans import actions

    due = due or on + dt.timedelta(days=45)
    parsed = {
        "year": on.year,
        "title": f"{on.year}年政务公开工作要点",
        "issued_on": on.isoformat(),
        "duplicate_ok": True,  # the same requirement in another year's plan
        "rows": [
            {
                "n": 1,
                "requirement": "做好政策解读工作。",
                "lead_text": w["org"].name,
                "responsible_text": "",
                "due": due.isoformat(),
            }
        ],
    }
    actions.import_parsed(
        w["office"],
        parsed,
        government=w["government"],
        organisation=w["government"],
        source_name=f"plan-{on}.docx",
        source_sha256=f"sha-{on}",
    )


def _foi_request(w, on):
    from gongkai.foi import actions
    from gongkai.foi.actions import RequestData, RequesterData

    req = actions.register(
        w["officer"],
        w["org"],
        RequesterData(
            kind="natural_person",
            name="张三",
            id_type="resident_id",
            id_number="370802199001011248",
            phone="13800000000",
            email="zhangsan@example.com",
        ),
        RequestData(description="义务教育阶段学校招生计划"),
        channel="in_person",
        arrived_on=on,
    )
    return actions.assign(w["officer"], req, w["officer"])


def plant_foi_request(w, on):
    _foi_request(w, on)


def plant_foi_fee(w, on):
    from gongkai.foi import actions

    req = _foi_request(w, on)
    actions.fee_notice(w["officer"], req, "by_pages", 60)
    # The payment period runs from the applicant's receipt of the notice (109号).
    letter = req.letters.get(kind="fee_notice")
    actions.record_delivery(w["officer"], letter, channel="email", sent_on=on, received_on=on)


PLANTERS = {
    "participation.consultation.feedback_due_on": plant_consultation,
    "participation.enquiry.due_on": plant_enquiry,
    "participation.message.due_on": plant_message,
    "participation.complaint.due_on": plant_complaint,
    "participation.open_day_suggestion.due_on": plant_suggestion,
    "catalog.record.publish_due_on": plant_record,
    "catalog.record.interpretation_due_on": plant_interpretation,
    "plans.assignment.remind_on": plant_plan,
    "foi.request.due_on": plant_foi_request,
    "foi.fee.pay_by": plant_foi_fee,
}


def stored_dates():
    """(entry, object, date, 暂定) for every pending stored working-day date of the project."""
    for entry in workday_dates.entries():
        for obj in entry.pending():
            d, provisional = entry.stored(obj)
            if d is not None:
                yield entry, obj, d, provisional


def settled(entry, obj) -> bool:
    """Whether the stored date must equal what the app computes now. A foi request's clock
    paused for a fee runs on while paused (its due date follows today), so its stored due date
    is the one of its last event; everything else is computed from stored inputs only."""
    from gongkai.foi.models import PAUSED_STATES

    return not (entry.key == "foi.request.due_on" and obj.state in PAUSED_STATES)


def load(text: str):
    notice = cal.parse_notice(text, fmt="yaml")
    return cal.load_notice(notice, actor="测试")


def test_every_registered_date_has_a_planter():
    assert {e.key for e in workday_dates.entries()} == set(PLANTERS)


def test_every_stored_working_day_date_is_provisional_exactly_when_its_year_is_unloaded(
    world, frozen, login, django_capture_on_commit_callbacks
):
    """Items started mid-June 2026 (a known year) and mid-June 2027 (no notice): each date and
    everything its computation counts lie in the start's year, so it depends on an unloaded
    year exactly when it is a 2027 date. After 2027 is loaded none is 暂定."""
    for on in (date(2026, 6, 15), date(2027, 6, 14)):
        frozen(on)
        for plant in PLANTERS.values():
            plant(world, on)

    seen = {}
    for entry, obj, d, provisional in stored_dates():
        assert d.year in (2026, 2027), (entry.key, obj, d)
        assert provisional == (d.year == 2027), (entry.key, obj, d, provisional)
        assert not settled(entry, obj) or (d, provisional) == entry.expected(obj), entry.key
        seen.setdefault(entry.key, set()).add(d.year)
    assert seen == {key: {2026, 2027} for key in PLANTERS}

    # Shown as 暂定 wherever the office sees the item (each entry's own staff page).
    client = login(world["office"])
    for entry, obj, d, provisional in stored_dates():
        if provisional:
            page = client.get(entry.url(obj)).content.decode()
            assert d.isoformat() in page and "暂定" in page, (entry.key, entry.url(obj))

    with django_capture_on_commit_callbacks(execute=True):
        load(NOTICE_2027)
    for entry, obj, d, provisional in stored_dates():
        assert not provisional, (entry.key, obj, d)
        assert not settled(entry, obj) or (d, provisional) == entry.expected(obj), entry.key
    recomputed = AuditEvent.objects.filter(
        action__in=[workday_dates.RECOMPUTED, workday_dates.MOVED_EARLIER]
    )
    assert {e.after["key"] for e in recomputed} == set(PLANTERS)
    assert all(e.actor_label == "测试" and "载入2027年节假日安排后" in e.note for e in recomputed)


def test_a_date_moved_earlier_by_a_loaded_notice_is_listed_and_its_officer_alerted(
    world, frozen, login, django_capture_on_commit_callbacks
):
    """Loading 2027 turns Saturday 9 January into a working day (and adds 9–11 February off):
    every date counted forward over 9 January, and the plan reminder counted back over 9–11
    February, moves earlier; each is listed on the office's calendar page and its officer is
    alerted through the app's own reminder mechanism."""
    from gongkai.core.models import OutboundMail
    from gongkai.foi.models import RequestReminder
    from gongkai.plans.models import TaskReminder

    on = date(2027, 1, 6)  # a Wednesday, before notice
    frozen(on)
    for key, plant in PLANTERS.items():
        if key == "plans.assignment.remind_on":
            plant(world, on, due=date(2027, 2, 15))
        else:
            plant(world, on)
    before = {(e.key, o.pk): d for e, o, d, _ in stored_dates()}

    with django_capture_on_commit_callbacks(execute=True):
        load(NOTICE_2027)

    events = AuditEvent.objects.filter(action=workday_dates.MOVED_EARLIER)
    moved = {(e.after["key"], int(e.object_id)): e for e in events}
    assert len(moved) == events.count()
    assert {key for key, _ in moved} == set(PLANTERS)
    for (key, pk), e in moved.items():
        old, new = date.fromisoformat(e.before["date"]), date.fromisoformat(e.after["date"])
        assert old == before[(key, pk)] and new < old
        assert e.before["provisional"] and not e.after["provisional"]
        assert e.actor_label == "测试" and "（提前）" in e.note
    # e.g. the enquiry: 5 working days from Wed 6 January, 13 January before, 12 after.
    enquiry = next(e for (k, _), e in moved.items() if k == "participation.enquiry.due_on")
    assert (enquiry.before["date"], enquiry.after["date"]) == ("2027-01-13", "2027-01-12")

    # The office's list.
    page = login(world["office"]).get("/manage/calendar/").content.decode()
    assert "载入节假日安排后提前的期限" in page
    for event in events:
        assert event.after["label"] in page and event.after["date"] in page

    # The officers: e-mail for participation and the catalogue, a foi reminder, a plan reminder.
    mails = list(OutboundMail.objects.filter(key__startswith="workday-moved:"))
    mailed = {m.key.split(":")[1] for m in mails}
    assert {k for k in PLANTERS if k.startswith(("participation.", "catalog."))} <= mailed
    assert all("officer_a@example.gov.cn" in m.recipients for m in mails)
    assert any("提前" in m.body for m in mails)
    from gongkai.foi.models import Fee

    foi_requests = {pk for (k, pk) in moved if k == "foi.request.due_on"} | {
        Fee.objects.get(pk=pk).request_id for (k, pk) in moved if k == "foi.fee.pay_by"
    }
    reminded = RequestReminder.objects.filter(kind="moved_earlier", user=world["officer"])
    assert set(reminded.values_list("request_id", flat=True)) == foi_requests
    reminder = TaskReminder.objects.get(status="date_moved")
    assert "任务到期提醒日" in reminder.message and "2027-02-03" in reminder.message


def test_recompute_dates_repairs_rows_stored_before_the_flags_existed(world, frozen, capsys):
    """`gongkai calendar recompute-dates`: a row written before this upgrade (2027 date, no 暂定
    flag) is recomputed and marked 暂定 (RULES.md §10: 2027's notice is not loaded)."""
    from gongkai.cli import main
    from gongkai.participation.models import Enquiry

    frozen(date(2027, 6, 14))
    plant_enquiry(world, None)
    enquiry = Enquiry.objects.get()
    Enquiry.objects.filter(pk=enquiry.pk).update(due_on=date(2027, 6, 18), due_on_provisional=False)
    assert main(["calendar", "recompute-dates"]) == 0
    out = capsys.readouterr().out
    enquiry.refresh_from_db()
    assert (enquiry.due_on, enquiry.due_on_provisional) == (date(2027, 6, 21), True)
    assert "重新计算的期限：1 项有变化，其中 0 项提前" in out
    event = AuditEvent.objects.get(action=workday_dates.RECOMPUTED)
    assert event.note.startswith("按现行节假日安排重新计算后，政策咨询答复期限由 2027-06-18")
