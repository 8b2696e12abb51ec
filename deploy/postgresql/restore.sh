#!/bin/sh
# Point-in-time recovery into a new data directory from a base backup and the WAL archive.
#   restore.sh BASE_BACKUP_DIR WAL_ARCHIVE NEW_DATA_DIR [TARGET_TIME]
# TARGET_TIME like '2026-12-06 14:30:00+08' stops there (e.g. just before a bad deletion);
# without it, recovery replays every archived segment. Then start PostgreSQL on NEW_DATA_DIR:
# it recovers, then opens read-write (recovery_target_action = promote).
# ./run cluster-test runs this script and checks the restored database's rows.
set -eu
base="$1"; archive="$2"; data="$3"; target="${4:-}"
mkdir -p "$data"; chmod 700 "$data"
tar -xzf "$base/base.tar.gz" -C "$data"
[ -f "$base/pg_wal.tar.gz" ] && tar -xzf "$base/pg_wal.tar.gz" -C "$data/pg_wal"
cat >> "$data/postgresql.auto.conf" <<CONF
restore_command = 'cp $archive/%f %p'
recovery_target_action = 'promote'
CONF
if [ -n "$target" ]; then
  echo "recovery_target_time = '$target'" >> "$data/postgresql.auto.conf"
fi
touch "$data/recovery.signal"
