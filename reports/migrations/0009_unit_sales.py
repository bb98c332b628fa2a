"""Work units' purchases in the summary tables (issue 18): a unit's order counts
only once accepted, at what was accepted, so the days its orders were paid are
marked for rebuilding."""

from django.db import migrations, models
from django.db.models.functions import TruncDate
from django.utils import timezone


def mark_unit_order_days(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    DirtyDay = apps.get_model("orders", "DirtyDay")
    days = (
        Order.objects.filter(completes_on_acceptance=True, paid_at__isnull=False)
        .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", flat=True)
        .distinct()
    )
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, marked_at=timezone.now()) for day in days],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assistants", "0005_fieldwork_models_moved"),
        ("catalogue", "0002_product_changes_into_audit"),
        ("counties", "0002_english_names"),
        ("farmers", "0008_catalogue_moved_out"),
        ("reports", "0008_dirty_days_moved_out"),
        ("orders", "0011_line_returned"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="monthlycategorysales",
            name="monthly_category_county",
        ),
        migrations.RemoveIndex(
            model_name="monthlyfarmersales",
            name="monthly_farmer_county",
        ),
        migrations.RemoveIndex(
            model_name="monthlyproductsales",
            name="monthly_product_county",
        ),
        migrations.RemoveIndex(
            model_name="monthlysales",
            name="monthly_sales_county",
        ),
        migrations.AddField(
            model_name="dailycategorysales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="dailycategorysales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="dailyfarmersales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="dailyfarmersales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="dailyproductsales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="dailyproductsales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="dailysales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="dailysales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="monthlycategorysales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="monthlycategorysales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="monthlyfarmersales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="monthlyfarmersales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="monthlyproductsales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="monthlyproductsales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddField(
            model_name="monthlysales",
            name="unit_orders",
            field=models.PositiveIntegerField(
                db_default=0, verbose_name="work units' orders"
            ),
        ),
        migrations.AddField(
            model_name="monthlysales",
            name="unit_sales",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                max_digits=14,
                verbose_name="work units' purchases",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlycategorysales",
            index=models.Index(
                fields=["county", "month"],
                include=(
                    "category",
                    "village",
                    "gmv",
                    "completed",
                    "refunds",
                    "orders",
                    "units",
                    "unit_sales",
                    "unit_orders",
                ),
                name="monthly_category_county",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyfarmersales",
            index=models.Index(
                fields=["county", "month"],
                include=(
                    "farmer",
                    "village",
                    "gmv",
                    "completed",
                    "refunds",
                    "orders",
                    "units",
                    "unit_sales",
                    "unit_orders",
                ),
                name="monthly_farmer_county",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyproductsales",
            index=models.Index(
                fields=["county", "month"],
                include=(
                    "product",
                    "gmv",
                    "completed",
                    "refunds",
                    "orders",
                    "units",
                    "unit_sales",
                    "unit_orders",
                ),
                name="monthly_product_county",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlysales",
            index=models.Index(
                fields=["county", "month"],
                include=(
                    "village",
                    "assistant",
                    "gmv",
                    "completed",
                    "refunds",
                    "orders",
                    "units",
                    "unit_sales",
                    "unit_orders",
                ),
                name="monthly_sales_county",
            ),
        ),
        migrations.RunPython(mark_unit_order_days, migrations.RunPython.noop),
    ]
