"""The category rollups gain the village of the sale (issue 15: the county sales
report's category breakdown under a village filter). Their rows are emptied and
every day with rollup rows is marked dirty, so the rebuild task
(`rebuild_dirty_days`) fills them again with villages; `manage.py
rebuild_rollups` does it at once."""

import django.db.models.deletion
from django.db import migrations, models


def empty_and_mark_dirty(apps, schema_editor):
    DailySales = apps.get_model("reports", "DailySales")
    DirtyDay = apps.get_model("reports", "DirtyDay")
    days = DailySales.objects.values_list("day", flat=True).distinct()
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day) for day in days.iterator()],
        ignore_conflicts=True,
        batch_size=1000,
    )
    apps.get_model("reports", "DailyCategorySales").objects.all().delete()
    apps.get_model("reports", "MonthlyCategorySales").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0001_initial"),
        ("farmers", "0007_remove_on_behalf_events"),
        ("reports", "0005_monthly_from_days"),
    ]

    operations = [
        migrations.RunPython(empty_and_mark_dirty, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="monthlycategorysales",
            name="monthly_category_county",
        ),
        migrations.AddField(
            model_name="dailycategorysales",
            name="village",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.village",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="monthlycategorysales",
            name="village",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.village",
            ),
            preserve_default=False,
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
                ),
                name="monthly_category_county",
            ),
        ),
    ]
