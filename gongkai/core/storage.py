"""Where files live: Django's storage API, so every app node sees the same files.

- `default` (public-facing uploads: attachments, images, evidence) and `private` (applicants'
  ID proofs, their corrections, reply files and generated letters) are two storages from
  settings.STORAGES. By default both are directories (GONGKAI_MEDIA_DIR, GONGKAI_PRIVATE_DIR)
  that a multi-node deployment mounts from shared storage (NFS, CephFS); with
  GONGKAI_STORAGE=s3 both are buckets of S3-compatible object storage (django-storages).
- Neither is served by a web server: every download goes through a view that checks access.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The storage of files only their owners and the handling officers may read. A callable,
    so FileFields resolve it at run time from settings (tests and deployments override it)."""
    return storages["private"]
