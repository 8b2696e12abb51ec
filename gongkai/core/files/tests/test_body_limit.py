"""Request bodies refused from Content-Length before they are read (issue 13 point 9)."""

from __future__ import annotations

import io

import pytest

from gongkai.core.files.middleware import BodyLimitMiddleware


class Unread(io.RawIOBase):
    """A wsgi.input that fails the test when anything reads it."""

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings, rf):
    settings.GONGKAI_MAX_BODY_BYTES = 1024 * 1024
    called = []
    middleware = BodyLimitMiddleware(lambda request: called.append(request))
    request = rf.post("/foi/apply/", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(1024**3)  # a 1 GB POST
    request.META["wsgi.input"] = Unread()
    response = middleware(request)
    assert response.status_code == 413
    assert "超过 1 MB 上限" in response.content.decode()
    assert called == []


@pytest.mark.django_db
def test_the_public_form_answers_413_for_a_huge_post(settings, client):
    settings.GONGKAI_MAX_BODY_BYTES = 1024 * 1024
    response = client.generic(
        "POST",
        "/foi/apply/",
        data=b"x" * (1024 * 1024 + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    response = client.generic("POST", "/api/v1/anything", data=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["detail"].startswith("本次提交超过 1 MB 上限")
