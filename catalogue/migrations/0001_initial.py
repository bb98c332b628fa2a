"""The catalogue's models, moved from farmers with their tables and rows."""


import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models



MOVED = ["category", "product", "productimage", "productchange"]


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


def content_types_follow(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "farmers", "catalogue")


def content_types_back(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "catalogue", "farmers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('farmers', '0007_remove_on_behalf_events'),
        ('audit', '0002_on_behalf_events_and_survey_changes'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables were made by farmers' migrations and keep their names
            # (Meta.db_table): only Django's state moves here.
            state_operations=[
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=40, unique=True, verbose_name='slug')),
                        ('name_zh', models.CharField(max_length=40, verbose_name='Chinese name')),
                        ('name_en', models.CharField(max_length=60, verbose_name='English name')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'category',
                        'verbose_name_plural': 'categories',
                        'db_table': 'farmers_category',
                        'ordering': ['position', 'slug'],
                    },
                ),
                migrations.CreateModel(
                    name='Product',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=80, verbose_name='title')),
                        ('description', models.TextField(blank=True, max_length=5000, verbose_name='description')),
                        ('unit', models.CharField(choices=[('kg', 'kg'), ('jin', 'jin (斤, 500 g)'), ('box', 'box'), ('bottle', 'bottle'), ('bag', 'bag'), ('piece', 'piece')], max_length=8, verbose_name='unit')),
                        ('net_weight_kg', models.DecimalField(decimal_places=3, max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0.001'))], verbose_name='net weight per unit (kg)')),
                        ('price', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01')), django.core.validators.MaxValueValidator(Decimal('1000000'))], verbose_name='price (yuan per unit)')),
                        ('stock', models.PositiveIntegerField(default=0, verbose_name='stock')),
                        ('units_sold', models.PositiveIntegerField(default=0, verbose_name='units sold')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('pending', 'Pending review'), ('active', 'Active'), ('rejected', 'Rejected'), ('archived', 'Archived')], default='draft', max_length=10, verbose_name='status')),
                        ('rejection_reason', models.TextField(blank=True, verbose_name='why it was rejected')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted for review')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='products', to='catalogue.category', verbose_name='category')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('farmer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='products', to='farmers.farmer', verbose_name='farmer')),
                    ],
                    options={
                        'verbose_name': 'product',
                        'verbose_name_plural': 'products',
                        'db_table': 'farmers_product',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ProductChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='changed at')),
                        ('field', models.CharField(max_length=40, verbose_name='field')),
                        ('old_value', models.TextField(blank=True, verbose_name='before')),
                        ('new_value', models.TextField(blank=True, verbose_name='after')),
                        ('changed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                        ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='catalogue.product', verbose_name='product')),
                    ],
                    options={
                        'verbose_name': 'product change',
                        'verbose_name_plural': 'product changes',
                        'db_table': 'farmers_productchange',
                        'ordering': ['-changed_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ProductImage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.ImageField(upload_to='products/%Y/%m/', verbose_name='photo')),
                        ('thumbnail', models.ImageField(blank=True, upload_to='products/renditions/')),
                        ('detail', models.ImageField(blank=True, upload_to='products/renditions/')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='images', to='catalogue.product', verbose_name='product')),
                    ],
                    options={
                        'verbose_name': 'product photo',
                        'verbose_name_plural': 'product photos',
                        'db_table': 'farmers_productimage',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['status', '-created_at'], name='product_status_new'),
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['status', 'price'], name='product_status_price'),
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['status', '-units_sold'], name='product_status_best_selling'),
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['status', 'category'], name='product_status_category'),
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['farmer', 'status'], name='product_farmer_status'),
                ),
                migrations.AddIndex(
                    model_name='product',
                    index=models.Index(fields=['status', 'submitted_at'], name='product_review_queue'),
                ),
                migrations.AddConstraint(
                    model_name='product',
                    constraint=models.CheckConstraint(condition=models.Q(('price__gt', 0), ('price__lte', Decimal('1000000'))), name='product_price_in_range', violation_error_message='The price must be more than ¥0 and at most ¥1,000,000.'),
                ),
                migrations.AddConstraint(
                    model_name='product',
                    constraint=models.CheckConstraint(condition=models.Q(('net_weight_kg__gt', 0)), name='product_net_weight_positive'),
                ),
                migrations.AddConstraint(
                    model_name='product',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR'), name='product_rejection_has_reason'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
