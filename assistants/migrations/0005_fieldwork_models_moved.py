"""The field work's models now belong to the fieldwork app (its migration 0001):
forgotten here in state only, so their tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assistants', '0004_remove_survey_changes'),
        ('fieldwork', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='trainingsession',
                    name='attendees',
                ),
                migrations.RemoveField(
                    model_name='helpcase',
                    name='assistant',
                ),
                migrations.RemoveField(
                    model_name='helpcase',
                    name='farmer',
                ),
                migrations.RemoveField(
                    model_name='incomesurvey',
                    name='household',
                ),
                migrations.RemoveField(
                    model_name='incomesurvey',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='trainingsession',
                    name='assistant',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='assistant',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='household',
                ),
                migrations.DeleteModel(
                    name='Attendance',
                ),
                migrations.DeleteModel(
                    name='HelpCase',
                ),
                migrations.DeleteModel(
                    name='IncomeSurvey',
                ),
                migrations.DeleteModel(
                    name='TrainingSession',
                ),
                migrations.DeleteModel(
                    name='Visit',
                ),
            ],
            database_operations=[],
        ),
    ]
