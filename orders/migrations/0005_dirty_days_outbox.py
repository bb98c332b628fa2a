"""The dirty-days outbox moves from reports to orders, which write it; the table
(reports_dirtyday) and its rows stay as they are: only Django's state moves."""

from django.db import migrations, models


MOVED = ["dirtyday"]


def _rename_content_types(apps, schema_editor, source, target):
    """Relabel the moved models' content types in place (same ids: audit events,
    permissions and admin history keep pointing at them). A type already made
    under the target label (by an earlier post_migrate) gives its audit events to
    the kept one before it goes."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        old = types.filter(app_label=source, model=model).first()
        if old is None:  # nothing to keep: post_migrate creates the type
            continue
        stale = types.filter(app_label=target, model=model).first()
        if stale is not None:
            AuditEvent.objects.using(schema_editor.connection.alias).filter(
                subject_type=stale
            ).update(subject_type=old)
            stale.delete()  # and its permissions, which the old type also has
        old.app_label = target
        old.save(update_fields=["app_label"])
    from django.contrib.contenttypes.models import ContentType as Current

    Current.objects.clear_cache()


def content_type_follows(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "reports", "orders")


def content_type_back(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "orders", "reports")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_on_behalf_events_and_survey_changes"),
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
