"""Background work on workers: mail through the outbox, letters rendered once per version and
stored privately, reruns and killed workers leave each effect once, failures are retried and
shown to the operators."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.core import stored_documents as documents
from gongkai.core.models import GeneratedDocument, OutboundMail, WorkerHeartbeat
from gongkai.core.worker import STALE, beat, requeue_orphans
from gongkai.foi import actions
from gongkai.foi.models import Letter
from gongkai.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _documents_dir() -> set[str]:
    root = settings.PRIVATE_ROOT / "documents"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_correction_notice_mail_and_letter_happen_once_even_when_rerun(
    received, officer_a, settings
):
    settings.EMAIL_BACKEND = LOCMEM
    actions.request_correction(officer_a, received, "请补充申请人身份证明的清晰扫描件。")
    # The action only queued the work, in its own transaction.
    assert mail.outbox == []
    assert OutboundMail.objects.filter(sent_at__isnull=True).count() == 1
    assert GeneratedDocument.objects.count() == 0
    assert DBTaskResult.objects.ready().count() == 3  # the mail, the .docx, the .pdf
    assert run_queued_tasks() == 3
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["zhangsan@example.com"] and "补正" in sent.subject
    row = OutboundMail.objects.get()
    assert sent.extra_headers["Message-ID"] == row.message_id and row.sent_at is not None
    letter = Letter.objects.get()
    assert set(GeneratedDocument.objects.values_list("fmt", flat=True)) == {"docx", "pdf"}
    paths = {doc.file.path for doc in GeneratedDocument.objects.all()}
    for path in paths:  # private storage, never the public media directory
        assert path.startswith(str(settings.PRIVATE_ROOT)) and os.path.exists(path)
    files_after_first_run = _documents_dir()
    # Every task run again (a worker killed after the effect, before recording success).
    DBTaskResult.objects.update(status="READY", started_at=None)
    assert run_queued_tasks() == 3
    assert len(mail.outbox) == 1
    assert GeneratedDocument.objects.count() == 2
    assert {doc.file.path for doc in GeneratedDocument.objects.all()} == paths
    assert _documents_dir() == files_after_first_run  # no second copy beside the first
    assert letter.pk == Letter.objects.get().pk


def test_a_renderer_killed_after_writing_the_file_leaves_one_file_and_one_row(received, officer_a):
    from gongkai.foi.documents import KIND

    actions.request_correction(officer_a, received, "请补充申请内容的文件名称。")
    letter = Letter.objects.get()
    version = documents.version_of(KIND, letter)
    name = documents.storage_name(KIND, str(letter.pk), version, "docx")
    from gongkai.core.storage import private_storage

    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, documents.ContentFile(b"half-written"))  # the killed run's file
    doc = documents.stored(KIND, str(letter.pk), "docx")
    assert doc.file.name == name
    assert documents.read(doc)[:2] == b"PK"  # rewritten whole
    assert documents.stored(KIND, str(letter.pk), "docx").pk == doc.pk
    folder = os.path.dirname(storage.path(name))
    same_version = [f for f in os.listdir(folder) if f.startswith(version)]
    assert same_version == [os.path.basename(name)]  # no "<version>_abc123.docx" beside it


def test_download_serves_the_stored_letter(received, officer_a, login):
    actions.request_correction(officer_a, received, "请补充申请人的通信地址。")
    letter = Letter.objects.get()
    from gongkai.foi.documents import stored_letter

    doc = stored_letter(letter, "docx")
    stored_bytes = documents.read(doc)
    url = reverse("foi_staff:letter", args=[received.pk, letter.pk, "docx"])
    response = login(officer_a).get(url)
    assert response.status_code == 200 and response.content == stored_bytes
    assert GeneratedDocument.objects.filter(fmt="docx").count() == 1
    # The file in storage is what is served: no rendering on download.
    with doc.file.open("wb") as handle:
        handle.write(b"PK-stored-copy")
    assert login(officer_a).get(url).content == b"PK-stored-copy"


def test_a_dead_workers_task_is_requeued_and_done_once(received, officer_a, settings):
    settings.EMAIL_BACKEND = LOCMEM
    actions.request_correction(officer_a, received, "请补充联系电话。")
    mail_task = DBTaskResult.objects.get(task_path__endswith="deliver_mail")
    long_ago = timezone.now() - dt.timedelta(seconds=STALE * 4)
    mail_task.claim("worker-killed-with-sigkill")  # claimed, then the worker died
    DBTaskResult.objects.filter(pk=mail_task.pk).update(started_at=long_ago)
    beat("worker-alive")
    assert requeue_orphans() == 1
    assert requeue_orphans() == 0
    assert DBTaskResult.objects.get(pk=mail_task.pk).status == "READY"
    run_queued_tasks()
    assert len(mail.outbox) == 1
    # A running task of a live worker is left alone.
    alive = DBTaskResult.objects.filter(task_path__endswith="generate_document").first()
    DBTaskResult.objects.filter(pk=alive.pk).update(
        status="RUNNING", worker_ids=["worker-alive"], started_at=long_ago
    )
    beat("worker-alive")  # still beating
    assert WorkerHeartbeat.objects.filter(worker_id="worker-alive").exists()
    assert requeue_orphans() == 0


def test_failed_mail_is_retried_and_shown_to_operators(
    received, officer_a, settings, login, django_user_model
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    actions.request_correction(officer_a, received, "请补充身份证件号码。")
    DBTaskResult.objects.exclude(task_path__endswith="deliver_mail").delete()
    assert run_queued_tasks() == 1
    failed = DBTaskResult.objects.get(status="FAILED")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    assert OutboundMail.objects.get().sent_at is None
    assert login(officer_a).get(reverse("staff:tasks")).status_code == 403
    admin = django_user_model.objects.create_superuser("ops", "ops@example.com", "x-long-pw-1")
    page = login(admin).get(reverse("staff:tasks")).content.decode()
    assert "deliver_mail" in page and failed.exception_class_path in page
