"""The PostgreSQL backend: a table with tsvector columns and one GIN index (``schema``) and the
query planner over GIN and the table statistics (``planner``)."""
