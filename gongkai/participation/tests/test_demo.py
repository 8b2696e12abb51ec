"""The demo data loads once, through the actions, and shows on the portal and dashboard."""

import pytest

from gongkai.demo import participation as demo
from gongkai.demo.loader import load_demo
from gongkai.participation.models import Consultation

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_shows(client):
    assert load_demo()["created"] is True  # the demo loader runs the participation demo
    counts = Consultation.objects.count()
    assert counts > 0
    assert demo.load() is False
    assert Consultation.objects.count() == counts
    page = client.get("/participation/").content.decode()
    assert "公共交通票价调整" in page and "城市更新专项规划" in page
    assert (
        "济宁市中心城区公共交通票价调整方案"
        in client.get("/participation/decisions/").content.decode()
    )
    renewal = Consultation.objects.get(feedback_published_at__isnull=False)
    feedback = client.get(f"/participation/consultations/{renewal.pk}/").content.decode()
    assert (
        "受资金和施工组织条件限制" in feedback and "刘**" in feedback and "刘秀英" not in feedback
    )
    from gongkai.accounts.models import User
    from gongkai.participation.dashboard import dashboard_items

    details = {i.detail for i in dashboard_items(User.objects.get(username="office"))}
    assert "即将满三个月未答复" in details and "48小时内回应" in details
