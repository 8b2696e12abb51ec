#!/bin/sh
# Nightly base backup (the start point of a point-in-time recovery); keep 7 with their WAL.
#   base-backup.sh postgres://replicator@10.0.2.11/ /var/lib/gongkai/base-backups
set -eu
url="$1"; dest="$2"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
pg_basebackup -d "$url" -D "$dest/$stamp" -Ft -z -X fetch --checkpoint=fast --label="gongkai-$stamp"
ls -1d "$dest"/*/ | head -n -7 | xargs -r rm -rf
