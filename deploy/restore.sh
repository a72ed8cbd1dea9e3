#!/bin/sh
# Restore a dump made by backup.sh into an EMPTY database, then check the audit log on the copy.
#   DATABASE_URL=postgres://.../bluestone_restored deploy/restore.sh FILE.dump
# The settings (DJANGO_SETTINGS_MODULE and BLUESTONE_AUDIT_KEY, with any previous keys) must be the
# ones the backed-up deployment used, or the log's signatures cannot be checked.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: DATABASE_URL=postgres://... $0 FILE.dump" >&2
    exit 2
fi
: "${DATABASE_URL:?Set DATABASE_URL to the empty database to restore into.}"
BLUESTONE="${BLUESTONE:-bluestone}"
pg_restore --exit-on-error --no-owner --single-transaction --dbname="$DATABASE_URL" "$1"
"$BLUESTONE" migrate --check
"$BLUESTONE" audit verify
echo "restored from $1; the audit log verifies"
