"""The dirty-days outbox moves from reports to orders, which write it; the table
(reports_dirtyday) and its rows stay as they are: only Django's state moves."""

from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="orders", model="dirtyday").delete()
    ContentType.objects.filter(app_label="reports", model="dirtyday").update(
        app_label="orders"
    )


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="orders", model="dirtyday").update(
        app_label="reports"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0004_product_in_catalogue"),
        ("reports", "0007_product_in_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DirtyDay",
                    fields=[
                        ("day", models.DateField(primary_key=True, serialize=False)),
                        ("marked_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "day to rebuild",
                        "verbose_name_plural": "days to rebuild",
                        "db_table": "reports_dirtyday",
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_follows, content_type_back),
    ]
