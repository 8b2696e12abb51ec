"""Reminders from `gongkai run-periodic`: due within 3 working days, overdue; once a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import add_workdays
from gongkai.foi import actions
from gongkai.foi.models import RequestReminder
from gongkai.foi.periodic import reminders
from gongkai.testing import run_queued_tasks

from .conftest import asking, person

pytestmark = pytest.mark.django_db


def test_reminders_in_staff_area_and_by_mail(officer_a, dept_a, login, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer_a.email = "officer@example.com"
    officer_a.save()
    today = timezone.localdate()
    late = actions.register(
        officer_a,
        dept_a,
        person(),
        asking("逾期"),
        channel="in_person",
        arrived_on=today - timedelta(days=60),
    )
    soon = actions.register(
        officer_a,
        dept_a,
        person(),
        asking("快到期"),
        channel="in_person",
        arrived_on=add_workdays(today, -18).date,
    )
    actions.register(
        officer_a, dept_a, person(), asking("刚收到"), channel="in_person", arrived_on=today
    )
    assert reminders(dry_run=True) == "将发送提醒 2 条"
    assert RequestReminder.objects.count() == 0
    assert reminders() == "已发送提醒 2 条"
    assert reminders() == "已发送提醒 0 条"  # once a day
    assert run_queued_tasks() >= 2  # the worker sends the queued mail
    kinds = dict(RequestReminder.objects.values_list("request_id", "kind"))
    assert kinds == {late.pk: "overdue", soon.pk: "due_soon"}
    assert len(mail.outbox) == 2 and "已超期" in mail.outbox[0].subject + mail.outbox[1].subject
    html = login(officer_a).get(reverse("foi_staff:list")).content.decode()
    assert "我的提醒" in html and "已超期" in html


def test_run_periodic_command_lists_the_job(db, capsys):
    from gongkai.cli import main

    assert main(["run-periodic", "--dry-run"]) == 0
    assert "foi.reminders: 将发送提醒 0 条" in capsys.readouterr().out


def test_due_command(officer_a, dept_a, capsys):
    import json

    from gongkai.cli import main

    today = timezone.localdate()
    late = actions.register(
        officer_a,
        dept_a,
        person(),
        asking("逾期"),
        channel="in_person",
        arrived_on=today - timedelta(days=60),
    )
    assert main(["foi", "due", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"]) for r in rows] == [(late.pk, "overdue")]
    assert main(["foi", "recompute"]) == 0
    assert "0 件申请的期限有变化" in capsys.readouterr().out
