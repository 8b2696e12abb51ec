"""Background tasks of the catalogue (run by `gongkai worker`)."""

from __future__ import annotations

from django_tasks import task

from gongkai.core.tasks import retried


@task()
@retried
def reindex_search() -> int:
    """Rebuild the whole search index from the records (idempotent: a rerun rebuilds it)."""
    from gongkai.catalog.indexing import reindex

    return reindex()
