"""Kept uploads (core.pending_uploads) of applications that were never sent again are deleted
once their session has expired; fresh ones and other private files stay."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.test import RequestFactory

from gongkai.core import pending_uploads
from gongkai.core.periodic import registered_jobs
from gongkai.core.storage import private_storage


@pytest.fixture
def private_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def _keep(name: str) -> str:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    pending_uploads.keep(request, "id_proof", ContentFile(b"%PDF-1.4 id proof", name=name))
    path: str = request.session[pending_uploads.SESSION_KEY]["id_proof"]["path"]
    return path


def _age(private_dir, path: str, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(private_dir / path, (then, then))


def test_abandoned_uploads_are_deleted_and_fresh_ones_kept(db, private_dir):
    old, fresh = _keep("old.pdf"), _keep("fresh.pdf")
    letter = private_storage().save("letters/2026/1.pdf", ContentFile(b"letter"))
    _age(private_dir, old, 3)
    _age(private_dir, letter, 30)

    assert pending_uploads.purge_abandoned(older_than=dt.timedelta(days=1), dry_run=True) == 1
    assert private_storage().exists(old)

    assert pending_uploads.purge_abandoned(older_than=dt.timedelta(days=1)) == 1
    storage = private_storage()
    assert not storage.exists(old)
    assert not (private_dir / old).parent.exists()  # its folder goes too
    assert storage.exists(fresh)
    assert storage.exists(letter)  # only pending/ is purged


def test_the_periodic_job_is_registered_and_reports_in_chinese(db, private_dir, settings):
    settings.SESSION_COOKIE_AGE = 3600
    old = _keep("old.pdf")
    _age(private_dir, old, 2)  # older than max(session age, 1 day)
    jobs = dict(registered_jobs())
    assert "core.expired_sessions" in jobs
    assert jobs["core.abandoned_uploads"](dry_run=False) == "已删除过期的暂存上传文件 1 个"
    assert not private_storage().exists(old)
    assert jobs["core.abandoned_uploads"](dry_run=True) == "将删除过期的暂存上传文件 0 个"


def test_no_pending_folder_is_nothing_to_do(db, private_dir):
    assert pending_uploads.purge_abandoned(older_than=dt.timedelta(days=1)) == 0
