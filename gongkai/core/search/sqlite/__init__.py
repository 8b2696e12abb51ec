"""The SQLite backend: a plain table plus an external-content FTS5 table (``schema``) and the
query planner over FTS5 (``planner``)."""
