"""The summary tables point at the catalogue's Category and Product (state only:
the tables keep their names)."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
        ('reports', '0006_category_by_village'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='dailycategorysales',
                    name='category',
                    field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.category'),
                ),
                migrations.AlterField(
                    model_name='dailyproductsales',
                    name='product',
                    field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product'),
                ),
                migrations.AlterField(
                    model_name='monthlycategorysales',
                    name='category',
                    field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.category'),
                ),
                migrations.AlterField(
                    model_name='monthlyproductsales',
                    name='product',
                    field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product'),
                ),
            ],
        ),
    ]
