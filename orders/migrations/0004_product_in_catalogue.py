"""Cart items and order lines point at the catalogue's Product (state only: the
foreign keys already point at the table, which keeps its name)."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
        ('orders', '0003_payment_reissue'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='cartitem',
                    name='product',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product', verbose_name='product'),
                ),
                migrations.AlterField(
                    model_name='orderline',
                    name='product',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='order_lines', to='catalogue.product', verbose_name='product'),
                ),
            ],
        ),
    ]
