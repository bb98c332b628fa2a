"""The field work's models, moved here from the assistants app in state only: their
tables keep their names (Meta.db_table: assistants_trainingsession and so on), so
a deployed database keeps every row and nothing is created or copied. The
assistants app forgets them in its migration 0005, after this one.

The content types of the moved models are renamed (app label assistants →
fieldwork), keeping their ids: audit events point at a content type
(AuditEvent.subject_type), and a survey's corrections are found through it. A
fieldwork duplicate (created before this ran) gives its events to the old type
and is deleted. Going back renames them back."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

MOVED = ("attendance", "trainingsession", "visit", "helpcase", "incomesurvey")


def _rename_content_types(apps, schema_editor, source, target):
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
    # The process's own cache may know the types by their old label.
    from django.contrib.contenttypes.models import ContentType as Current

    Current.objects.clear_cache()


def forward(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "assistants", "fieldwork")


def backward(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "fieldwork", "assistants")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assistants', '0004_remove_survey_changes'),
        ('audit', '0002_on_behalf_events_and_survey_changes'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('farmers', '0007_remove_on_behalf_events'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('farmer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='farmers.farmer')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'assistants_attendance',
                    },
                ),
                migrations.CreateModel(
                    name='TrainingSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='date')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=4, verbose_name='duration (hours)')),
                        ('online', models.BooleanField(default=False, verbose_name='online')),
                        ('location', models.CharField(blank=True, max_length=100, verbose_name='location')),
                        ('topics', models.JSONField(default=list, verbose_name='skill topics')),
                        ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('assistant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_sessions', to='assistants.assistant', verbose_name='assistant')),
                        ('attendees', models.ManyToManyField(related_name='training_sessions', through='fieldwork.Attendance', to='farmers.farmer', verbose_name='attendees')),
                    ],
                    options={
                        'verbose_name': 'training session',
                        'verbose_name_plural': 'training sessions',
                        'db_table': 'assistants_trainingsession',
                        'ordering': ['-held_on', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='attendance',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='fieldwork.trainingsession'),
                ),
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='date')),
                        ('purpose', models.CharField(choices=[('follow_up', 'Routine follow-up'), ('survey', 'Income survey'), ('verify', 'Farm verification'), ('problem', 'Solving a problem'), ('training', 'One-to-one training')], max_length=16, verbose_name='purpose')),
                        ('challenges', models.TextField(blank=True, max_length=2000, verbose_name='challenges')),
                        ('support_needed', models.TextField(blank=True, max_length=2000, verbose_name='resources or support needed')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('assistant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='assistants.assistant', verbose_name='assistant')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='farmers.household', verbose_name='household')),
                    ],
                    options={
                        'verbose_name': 'visit',
                        'verbose_name_plural': 'visits',
                        'db_table': 'assistants_visit',
                        'ordering': ['-visited_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HelpCase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(max_length=20)),
                        ('opened_at', models.DateTimeField(auto_now_add=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('assistant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='help_cases', to='assistants.assistant')),
                        ('farmer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='help_cases', to='farmers.farmer')),
                    ],
                    options={
                        'verbose_name': 'help case',
                        'verbose_name_plural': 'help cases',
                        'db_table': 'assistants_helpcase',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('farmer', 'reason'), name='help_case_one_open_per_reason')],
                    },
                ),
                migrations.CreateModel(
                    name='IncomeSurvey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('members', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='household size')),
                        ('platform_sales', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='platform sales')),
                        ('platform_orders', models.PositiveIntegerField(default=0, verbose_name='completed orders counted')),
                        ('other_agriculture', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='other agricultural income')),
                        ('wages', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='wages')),
                        ('business', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='business income')),
                        ('transfers', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='transfers')),
                        ('dibao', models.DecimalField(decimal_places=2, default=0, help_text='Part of the transfers above.', max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='of which subsistence allowance (dibao)')),
                        ('other_income', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='other income')),
                        ('production_costs', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='production costs')),
                        ('living_costs', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='living costs')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='surveys', to='farmers.household', verbose_name='household')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'income survey',
                        'verbose_name_plural': 'income surveys',
                        'db_table': 'assistants_incomesurvey',
                        'ordering': ['-year', '-pk'],
                        'constraints': [models.UniqueConstraint(fields=('household', 'year'), name='survey_one_per_household_year', violation_error_message='This household already has a survey for that year.'), models.CheckConstraint(condition=models.Q(('members__gte', 1)), name='survey_members_positive'), models.CheckConstraint(condition=models.Q(('business__gte', 0), ('dibao__gte', 0), ('living_costs__gte', 0), ('other_agriculture__gte', 0), ('other_income__gte', 0), ('platform_sales__gte', 0), ('production_costs__gte', 0), ('transfers__gte', 0), ('wages__gte', 0)), name='survey_amounts_not_negative'), models.CheckConstraint(condition=models.Q(('dibao__lte', models.F('transfers'))), name='survey_dibao_within_transfers', violation_error_message='Dibao is part of transfers: it cannot be more than them.')],
                    },
                ),
                migrations.AddIndex(
                    model_name='trainingsession',
                    index=models.Index(fields=['assistant', '-held_on'], name='training_by_assistant'),
                ),
                migrations.AddConstraint(
                    model_name='trainingsession',
                    constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0), ('hours__lte', 24)), name='training_hours_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='trainingsession',
                    constraint=models.CheckConstraint(condition=models.Q(('online', True), models.Q(('location', ''), _negated=True), _connector='OR'), name='training_has_a_place'),
                ),
                migrations.AddIndex(
                    model_name='attendance',
                    index=models.Index(fields=['farmer'], name='attendance_by_farmer'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('session', 'farmer'), name='attendance_once_per_session'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['household', '-visited_on'], name='visit_by_household'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['assistant', '-visited_on'], name='visit_by_assistant'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forward, backward),
    ]
