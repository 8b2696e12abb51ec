import datetime as dt

import pytest

from gongkai.catalog import actions


@pytest.fixture
def publish_record(approver_a, dept_a):
    """publish_record(**fields) → a published record of dept_a, through the actions."""

    def _publish(publisher=None, user=None, at=None, interpretation=None, **fields):
        user = user or approver_a
        publisher = publisher or dept_a
        data = {
            "title": "关于做好政务公开工作的通知",
            "made_on": dt.date(2026, 11, 2),
            "body": "<p>各有关单位：请认真做好政务公开工作。</p>",
        }
        data.update(fields)
        record = actions.create_record(user, publisher, data)
        if interpretation:
            actions.create_interpretation(
                user, record, {"title": interpretation, "body": "解读正文"}
            )
        actions.submit_for_review(user, record)
        actions.approve(user, record)
        return actions.publish(user, record, at)

    return _publish
