"""Before the monthly tables are built from daily ones (0005): every day that
has rollup rows is marked dirty, and the daily farmer rows (which gain a village
column) are emptied. The rebuild task (`rebuild_dirty_days`, every few minutes)
then rebuilds each day and its month; `manage.py rebuild_rollups` does it at
once."""

from django.db import migrations


def mark_every_day_dirty(apps, schema_editor):
    DailySales = apps.get_model("reports", "DailySales")
    DailyFarmerSales = apps.get_model("reports", "DailyFarmerSales")
    DirtyDay = apps.get_model("reports", "DirtyDay")
    days = DailySales.objects.values_list("day", flat=True).distinct()
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day) for day in days.iterator()],
        ignore_conflicts=True,
        batch_size=1000,
    )
    DailyFarmerSales.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_daily_farmer_sales")]

    operations = [
        migrations.RunPython(mark_every_day_dirty, migrations.RunPython.noop),
    ]
