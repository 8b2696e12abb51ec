"""The demo requests load once, in several states, through the actions."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_requests_are_idempotent():
    from gongkai.demo import foi
    from gongkai.demo.loader import load_demo
    from gongkai.foi.models import InfoRequest

    assert load_demo()["created"] is True  # the demo loader runs the foi demo (AREA_LOADERS)
    states = set(InfoRequest.objects.values_list("state", flat=True))
    assert {"submitted", "in_progress", "awaiting_correction", "third_party", "delivered"} <= states
    count = InfoRequest.objects.count()
    assert count >= 8  # the annual-report demo adds requests of earlier years
    assert foi.load() is False and InfoRequest.objects.count() == count
