"""`gongkai migrate`: the one step that changes the schema of a multi-node deployment.

Safe to run from several machines at once (a deploy script on every node, a CI job and an
operator): on PostgreSQL the runs queue on one advisory lock and each later run finds nothing
left to do. Migrations are written to be applied while the previous release still serves
(add columns and tables first, drop them a release later).
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connections

# An arbitrary constant of this project: pg_advisory_lock's key for schema changes.
MIGRATION_LOCK = 0x676F6E676B6169  # "gongkai"


def migrate(verbosity: int = 1) -> int:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        call_command("migrate", interactive=False, verbosity=verbosity)
        return 0
    # The lock is held by a transaction of a connection of its own, open while the migrations
    # run on the default connection: a session-level lock would not survive PgBouncer's
    # transaction pooling (GONGKAI_PGBOUNCER), which hands each transaction of a client any
    # server connection, so the unlock could reach another session than the lock and leave
    # the lock behind, or a later run could be handed the session holding it and not wait.
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            if verbosity:
                print("等待迁移锁……", flush=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        call_command("migrate", interactive=False, verbosity=verbosity)
    finally:
        holder.rollback()  # ends the transaction: releases the lock
        holder.close()
    return 0
