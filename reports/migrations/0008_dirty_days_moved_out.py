"""DirtyDay now belongs to orders (orders.0005); reports forget it in state only,
and the table keeps its name and rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_dirty_days_outbox"),
        ("reports", "0007_product_in_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DirtyDay")],
        ),
    ]
