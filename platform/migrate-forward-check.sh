#!/usr/bin/env bash
# A database made by an earlier commit migrates forward with every row:
#   platform/migrate-forward-check.sh <commit> [seed_demo arguments…]
# Seeds a fresh PostgreSQL database with <commit>'s code (`migrate`, `seed_demo`
# with the arguments given, default the small preset, plus one dirty day and two
# listing edits, the farmer's and the assistant's), counts
# the rows of every table and of every model, migrates it with this tree's code,
# counts again and compares: the same tables with the same rows (django_migrations
# aside; a model added since may have a new table, with its content type and
# permissions), every model's rows read through its new app, and the content types of
# moved models kept (same ids, new app label). A table that a later migration
# folds into another (FOLDS below) may be gone only if the other table gained
# exactly the rows the fold makes, counted on the old database by the fold's own
# SQL. Exits non-zero on any difference.
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

# Tables a later migration folds into another, and the rows the fold adds to it,
# counted in SQL (PostgreSQL) on the database before it: table -> [into, SQL].
# catalogue 0002: a listing's ProductChange rows become audit events, one per
# edit (rows of one listing and author, each within 2 s of the one before, with
# different fields; a photo row alone), except the edits that already have their
# on-behalf event (listing_changed, photos_changed): groups minus those events.
FOLDS='{
  "farmers_productchange": ["audit_auditevent",
    "SELECT (SELECT count(*) FROM (SELECT field, lag(field) OVER w AS previous, changed_at - lag(changed_at) OVER w AS gap FROM farmers_productchange WINDOW w AS (PARTITION BY product_id, changed_by_id ORDER BY changed_at, id)) AS rows WHERE previous IS NULL OR (field = previous) OR (field = $$photos$$) OR (previous = $$photos$$) OR gap > interval $$2 seconds$$) - (SELECT count(*) FROM audit_auditevent WHERE action IN ($$listing_changed$$, $$photos_changed$$))"]
}'
export FOLDS
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
adds = {}
with connection.cursor() as cursor:
    for table, (_into, sql) in json.loads(os.environ["FOLDS"]).items():
        if table in tables:
            cursor.execute(sql)
            adds[table] = cursor.fetchone()[0]
json.dump({"tables": tables, "models": models, "types": types, "adds": adds}, open(os.environ["COUNTS"], "w"))
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
  # Listing edits, so a fold of the listings history has both kinds to fold: a
  # farmer's own (no event yet) and their assistant's (its on-behalf event).
  .venv/bin/python manage.py shell -c '
import importlib
from django.apps import apps
for name in ("catalogue.services.listings", "farmers.listings"):
    try:
        product_update = importlib.import_module(name).product_update
        break
    except (ImportError, AttributeError):
        continue
assignment = next(m for m in apps.get_models() if m.__name__ == "Assignment")
held = assignment.objects.filter(ended_on__isnull=True, farmer__products__isnull=False)
held = held.select_related("assistant__user", "farmer__user").first()
product = held.farmer.products.order_by("pk").first()
product_update(product=product, changed_by=held.farmer.user, title=product.title + "!", stock=product.stock + 1)
product_update(product=product, changed_by=held.assistant.user, price=product.price + 1, stock=product.stock + 2)'
  COUNTS="$WORK/before.json" .venv/bin/python manage.py shell -c "$COUNT"
)
.venv/bin/python manage.py migrate --noinput -v 0
COUNTS="$WORK/after.json" .venv/bin/python manage.py shell -c "$COUNT"

.venv/bin/python - "$WORK/before.json" "$WORK/after.json" <<'EOF'
import json
import os
import sys

before, after = (json.load(open(path)) for path in sys.argv[1:3])
folds = {table: into for table, (into, _sql) in json.loads(os.environ["FOLDS"]).items()}
problems = []
skip = {"django_migrations"}
# Rows each table should have gained: a folded table's rows went into another.
gained = {}
for table, added in before["adds"].items():
    if table in after["tables"]:
        problems.append(f"table {table}: folded into {folds[table]}, but still there")
        continue
    gained[folds[table]] = gained.get(folds[table], 0) + added
    into = folds[table]
    print(f"folded {table:32} -> {into:32} {before['tables'][table]:>9} rows made "
          f"{added}: {into} {before['tables'][into]} -> {after['tables'].get(into)}")
# Models that are new since the old commit: their tables may hold rows derived
# from the old ones (orders 0006 records past refunds), and each brings one
# content type and its four default permissions.
new_models = [label for table, (label, _n) in after["models"].items()
              if table not in before["models"] and table not in before["tables"]]
for label in new_models:
    print(f"new    {label}")
gained["django_content_type"] = gained.get("django_content_type", 0) + len(new_models)
gained["auth_permission"] = gained.get("auth_permission", 0) + 4 * len(new_models)
new_tables = {after_table for after_table in after["tables"]
              if after_table not in before["tables"]}
for table in sorted(set(before["tables"]) | set(after["tables"])):
    if table in skip or table in before["adds"] or table in new_tables:
        continue
    old, new = before["tables"].get(table), after["tables"].get(table)
    expected = None if old is None else old + gained.get(table, 0)
    if new != expected:
        folded_in = f" (expected {expected}, with folds)" if table in gained else ""
        problems.append(f"table {table}: {old} rows before, {new} after{folded_in}")
for table, (label, rows) in sorted(before["models"].items()):
    now = after["models"].get(table)
    if table in before["adds"]:
        if now is not None:
            problems.append(f"model {label} ({table}): folded, but still a model")
        continue
    rows += gained.get(table, 0)
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
echo "migrate-forward-check: every table and model kept its rows (folded tables: their rows made the rows counted above)"
