#!/bin/sh
# Back up Bluestone's database: a PostgreSQL custom-format dump, to be restored with restore.sh.
#   DATABASE_URL=postgres://... deploy/backup.sh /srv/backups/bluestone-$(date +%Y%m%dT%H%M).dump
# Back up the audit checkpoint file (BLUESTONE_AUDIT_CHECKPOINT_FILE) separately, from its own host.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: DATABASE_URL=postgres://... $0 FILE.dump" >&2
    exit 2
fi
: "${DATABASE_URL:?Set DATABASE_URL to the database to back up.}"
umask 077
pg_dump --format=custom --no-owner --file="$1" "$DATABASE_URL"
pg_restore --list "$1" > /dev/null
echo "backed up to $1"
