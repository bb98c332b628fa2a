"""OnBehalfEvent is folded into the audit trail: audit 0002 moved its rows into
audit.AuditEvent first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("farmers", "0006_on_behalf_events"),
        ("audit", "0002_on_behalf_events_and_survey_changes"),
    ]

    operations = [
        migrations.DeleteModel(
            name="OnBehalfEvent",
        ),
    ]
