"""`gongkai demo` data is created once; the command line passes through to manage.py."""

import pytest

from gongkai.cli import main


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"orgs", "accounts", "core", "catalog", "foi", "plans", "participation", "reports"}
    }


@pytest.mark.django_db(transaction=True)
def test_demo_data_is_created_once(capsys):
    assert main(["demo", "--no-serve"]) == 0
    first = capsys.readouterr().out
    assert "演示数据：已创建" in first and "office" in first and "fgw" in first
    before = _counts()
    assert before["orgs.Organisation"] >= 80
    assert main(["demo", "--no-serve"]) == 0
    assert "已存在，未作改动" in capsys.readouterr().out
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_printed_demo_login_works(client):
    from gongkai.demo.loader import DEMO_PASSWORD

    main(["demo", "--no-serve"])
    response = client.post(
        "/accounts/login/", {"username": "fgw", "password": DEMO_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "济宁市发展和改革委员会" in html and "信息员" in html


def test_manage_passthrough(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["manage", "check", "--help"])
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_server_error_page_is_chinese(client, settings, government):
    from django.test import Client
    from django.urls import include, path

    def boom(request):
        raise RuntimeError("boom")

    urls = type("urls", (), {})
    urls.urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
    urls.handler500 = "gongkai.portal.errors.server_error"
    settings.ROOT_URLCONF = urls
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()
