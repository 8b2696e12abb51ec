"""Background work, run by `gongkai worker` on any node (django-tasks, database backend).

Every task is idempotent: run twice, or killed halfway and run again (a dead worker's task is
handed to another, gongkai.core.worker), it leaves its effect once —
- deliver_mail: one outbox row, marked sent under a row lock; the message carries the row's
  Message-ID, so the one window left (killed after the SMTP server accepted, before the row was
  marked) repeats the same Message-ID, which receivers drop as a duplicate;
- generate_document: one stored file and one row per version (gongkai.core.stored_documents);
- run_periodic_job: the jobs are idempotent per day (reminders are unique per request, user,
  kind and day; a link check rewrites its result);
- catalog.tasks.reindex_search: rebuilds the index from the records.

A task that raises is retried with backoff (RETRY_DELAYS) and every failure stays visible on
the staff page /manage/tasks/.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from gongkai.core.models import OutboundMail

logger = logging.getLogger("gongkai.tasks")

T = TypeVar("T")

RETRY_DELAYS = (10, 60, 300, 1800)  # seconds before attempts 2, 3, 4, 5
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retried(func: Callable[..., T]) -> Callable[..., T]:
    """Re-enqueue the task with backoff when it raises (the failed run stays recorded)."""

    @functools.wraps(func)
    def wrapper(*args: Any, attempt: int = 1, **kwargs: Any) -> T:
        try:
            return func(*args, **kwargs)
        except Exception:
            if attempt < MAX_ATTEMPTS:
                this = getattr(sys.modules[func.__module__], func.__name__)
                delay = dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
                this.using(run_after=timezone.now() + delay).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                logger.warning("task failed, retrying task=%s attempt=%s", func.__name__, attempt)
            else:
                logger.error("task failed for good task=%s attempts=%s", func.__name__, attempt)
            raise

    return wrapper


# --- mail ---------------------------------------------------------------------------------------


def queue_mail(key: str, subject: str, body: str, recipients: Sequence[str]) -> OutboundMail | None:
    """Put one e-mail in the outbox and enqueue its delivery, in the caller's transaction.
    The same key again (a rerun of the job or action that sent it) queues nothing."""
    recipients = [r for r in recipients if r]
    if not recipients:
        return None
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    try:
        with transaction.atomic():
            mail = OutboundMail.objects.create(
                key=key[:200],
                recipients=list(recipients),
                subject=subject[:300],
                body=body,
                message_id=f"<{uuid.uuid4().hex}@{domain}>",
            )
    except IntegrityError:
        return None  # queued before
    deliver_mail.enqueue(mail.pk)
    return mail


@task()
@retried
def deliver_mail(mail_id: int) -> str:
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.sent_at is not None:
            return "already sent"
        EmailMessage(
            mail.subject,
            mail.body,
            None,
            mail.recipients,
            headers={"Message-ID": mail.message_id},
        ).send(fail_silently=False)
        OutboundMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
    return "sent"


# --- documents ----------------------------------------------------------------------------------


@task()
@retried
def generate_document(kind: str, key: str, fmt: str) -> str:
    from gongkai.core import stored_documents as documents

    _load_document_kinds()
    doc = documents.stored(kind, key, fmt)
    return doc.file.name or ""


def _load_document_kinds() -> None:
    """Importing each app's `documents` module registers its kinds."""
    from gongkai.core.apps import import_app_modules

    import_app_modules("documents")


def generate_later(kind: str, key: str, formats: Sequence[str]) -> None:
    """Enqueue rendering of (kind, key) in each format, in the caller's transaction."""
    for fmt in formats:
        generate_document.enqueue(kind, key, fmt)


# --- periodic jobs --------------------------------------------------------------------------------


@task()
@retried
def run_periodic_job(name: str) -> str:
    from gongkai.core.periodic import registered_jobs

    jobs = dict(registered_jobs())
    if name not in jobs:
        return f"unknown job {name}"
    return jobs[name](dry_run=False)
