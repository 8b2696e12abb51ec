#!/bin/sh
# archive_command for WAL archiving: copy one finished WAL segment to the archive, never
# overwriting (PostgreSQL retries until this exits 0). The archive directory is a mount of
# backup storage on another machine (NFS/object storage gateway) in production.
#   archive_command = '/usr/local/lib/gongkai/archive-wal.sh %p %f'
set -eu
ARCHIVE="${GONGKAI_WAL_ARCHIVE:-/var/lib/gongkai/wal-archive}"
src="$1"; name="$2"
if [ -f "$ARCHIVE/$name" ]; then
  cmp -s "$src" "$ARCHIVE/$name" && exit 0   # archived before (a retry): fine
  echo "archive-wal: $name exists with other content" >&2; exit 1
fi
cp "$src" "$ARCHIVE/$name.tmp" && sync "$ARCHIVE/$name.tmp" 2>/dev/null || true
mv "$ARCHIVE/$name.tmp" "$ARCHIVE/$name"
