#!/usr/bin/env bash
# A database made by an earlier commit migrates forward with every row:
#   platform/migrate-forward-check.sh <commit> [seed_demo arguments…]
# Seeds a fresh PostgreSQL database with <commit>'s code (`migrate`, `seed_demo`
# with the arguments given, default the small preset, plus one dirty day), counts
# the rows of every table and of every model, migrates it with this tree's code,
# counts again and compares: the same tables with the same rows (django_migrations
# aside), every model's rows read through its new app, and the content types of
# moved models kept (same ids, new app label). Exits non-zero on any difference.
# Uses the local services (platform/local-services.sh) in their own directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
COMMIT=${1:?usage: platform/migrate-forward-check.sh <commit> [seed_demo arguments]}
shift
SEED_ARGS=("$@")
WORK=$(mktemp -d /tmp/migrate-forward.XXXXXX)
chmod 755 "$WORK"  # PostgreSQL runs as its own user under it
# Its own ports, whatever the caller (CI, the tests) uses for theirs.
export SERVICES_DIR="$WORK/services" PG_PORT=${CHECK_PG_PORT:-55561} REDIS_PORT=${CHECK_REDIS_PORT:-63861}
export PG_DB=migrate_forward
trap 'platform/local-services.sh stop >/dev/null 2>&1 || true; git -C "$ROOT" worktree remove --force "$WORK/old" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
SERVICES=$(platform/local-services.sh start)
eval "$SERVICES"
case "${DATABASE_URL:-}" in postgres://*) ;; *) echo "no PostgreSQL" >&2; exit 1 ;; esac
# In-process tasks and a local cache, as `make run`: the seed needs no worker.
unset REDIS_URL REDIS_CACHE_URL DATABASE_REPLICA_URL
export DEBUG=1

git worktree add --quiet --detach "$WORK/old" "$COMMIT"
ln -s "$ROOT/.venv" "$WORK/old/.venv"
.venv/bin/pybabel -q compile --domain django --directory "$WORK/old/locale"

COUNT='
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
with connection.cursor() as cursor:
    tables = {}
    for table in connection.introspection.table_names():
        cursor.execute(f"SELECT count(*) FROM \"{table}\"")
        tables[table] = cursor.fetchone()[0]
models = {m._meta.db_table: [m._meta.label, m.objects.count()] for m in apps.get_models()}
types = {f"{t.app_label}.{t.model}": t.pk for t in ContentType.objects.all()}
import os
json.dump({"tables": tables, "models": models, "types": types}, open(os.environ["COUNTS"], "w"))
'
(
  cd "$WORK/old"
  .venv/bin/python manage.py migrate --noinput -v 0
  .venv/bin/python manage.py seed_demo "${SEED_ARGS[@]}" >/dev/null
  # A day waiting for its rollup, so the outbox has a row to keep.
  .venv/bin/python manage.py shell -c '
from datetime import date
from django.apps import apps
model = next(m for m in apps.get_models() if m.__name__ == "DirtyDay")
model.objects.get_or_create(day=date(2018, 6, 15))'
  COUNTS="$WORK/before.json" .venv/bin/python manage.py shell -c "$COUNT"
)
.venv/bin/python manage.py migrate --noinput -v 0
COUNTS="$WORK/after.json" .venv/bin/python manage.py shell -c "$COUNT"

.venv/bin/python - "$WORK/before.json" "$WORK/after.json" <<'EOF'
import json
import sys

before, after = (json.load(open(path)) for path in sys.argv[1:3])
problems = []
skip = {"django_migrations"}
for table in sorted(set(before["tables"]) | set(after["tables"])):
    if table in skip:
        continue
    old, new = before["tables"].get(table), after["tables"].get(table)
    if old != new:
        problems.append(f"table {table}: {old} rows before, {new} after")
for table, (label, rows) in sorted(before["models"].items()):
    now = after["models"].get(table)
    if now is None:
        problems.append(f"model {label} ({table}): no model reads it now")
    elif now[1] != rows:
        problems.append(f"model {label} ({table}): {rows} rows, now {now[1]} as {now[0]}")
    elif now[0] != label:
        old_type = label.lower()
        new_type = now[0].lower()
        if before["types"].get(old_type) != after["types"].get(new_type):
            problems.append(
                f"content type of {label}: id {before['types'].get(old_type)}, "
                f"now {after['types'].get(new_type)} as {now[0]}"
            )
        print(f"moved  {label:32} -> {now[0]:32} {rows:>9} rows, table {table}")
kept = sum(rows for name, rows in before["tables"].items() if name not in skip)
print(f"tables {len(before['tables'])} before, {len(after['tables'])} after; "
      f"{kept} rows before (django_migrations aside)")
for problem in problems:
    print("DIFFERENT:", problem)
sys.exit(1 if problems else 0)
EOF
echo "migrate-forward-check: every table and model kept its rows"
