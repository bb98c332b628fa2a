"""SurveyChange is no longer used: audit 0002 moved its rows into the audit trail,
which now holds every survey correction."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assistants', '0003_training_visits_surveys'),
        ('audit', '0002_on_behalf_events_and_survey_changes'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SurveyChange',
        ),
    ]
