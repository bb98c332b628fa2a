"""Work units' monthly purchases, built from the acceptances made so far."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, DateField, DecimalField, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone


def build(apps, schema_editor):
    AcceptanceLine = apps.get_model("procurement", "AcceptanceLine")
    Monthly = apps.get_model("procurement", "MonthlyUnitPurchases")
    rows = (
        AcceptanceLine.objects.filter(accepted__gt=0, line__order__status="completed")
        .values(
            unit_id=F("acceptance__unit_order__unit_id"),
            month=TruncMonth(
                "acceptance__decided_at",
                output_field=DateField(),
                tzinfo=timezone.get_current_timezone(),
            ),
            county_id=F("line__order__county_id"),
            category_id=F("line__product__category_id"),
        )
        .annotate(
            amount=Sum(
                F("accepted") * F("line__unit_price"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            lines=Count("pk"),
            units=Sum("accepted"),
        )
        .order_by()
    )
    Monthly.objects.bulk_create(Monthly(**row) for row in rows)


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_product_changes_into_audit'),
        ('counties', '0002_english_names'),
        ('procurement', '0004_invoices_and_ratings'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyUnitPurchases',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='accepted goods')),
                ('lines', models.PositiveIntegerField(verbose_name='order lines')),
                ('units', models.PositiveIntegerField(verbose_name='units')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.category', verbose_name='category')),
                ('county', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='counties.county', verbose_name='county of origin')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procurement.workunit', verbose_name='work unit')),
            ],
            options={
                'verbose_name': "work unit's monthly purchases",
                'verbose_name_plural': "work units' monthly purchases",
                'indexes': [models.Index(fields=['county', 'month'], name='unit_purchases_county')],
                'constraints': [models.UniqueConstraint(fields=('unit', 'month', 'county', 'category'), name='unit_purchases_one_row')],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
