"""PostgreSQL indexes for catalogue search (catalogue.selectors.search_products):
trigram GIN indexes for the substring match on title and description, and a GIN
index for full-text search. Their expressions are exactly those Django generates
for icontains and SearchVector("title", "description", config="simple"), so the
planner can use them. SQLite has no such indexes and skips this migration."""

from django.db import migrations

INDEXES = {  # name: (indexed expression, operator class)
    "product_title_trgm": ('UPPER("title"::text)', "gin_trgm_ops"),
    "product_description_trgm": ('UPPER("description"::text)', "gin_trgm_ops"),
    "product_fulltext": (
        "to_tsvector('simple'::regconfig, "
        "COALESCE(\"title\", '') || ' ' || COALESCE(\"description\", ''))",
        "",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may add it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (expression, opclass) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON farmers_product "
            f"USING gin (({expression}) {opclass})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("farmers", "0003_seed_categories")]
    operations = [migrations.RunPython(create, drop)]
