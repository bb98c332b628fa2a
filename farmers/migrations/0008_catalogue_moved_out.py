"""Category, Product, ProductImage and ProductChange now belong to the catalogue
app (catalogue.0001); farmers forgets them in state only, and no table changes."""


from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('farmers', '0007_remove_on_behalf_events'),
        ('orders', '0004_product_in_catalogue'),
        ('reports', '0007_product_in_catalogue'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's state moves.
            state_operations=[
                migrations.RemoveField(
                    model_name='product',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='product',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='product',
                    name='farmer',
                ),
                migrations.RemoveField(
                    model_name='productimage',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='productchange',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='productchange',
                    name='changed_by',
                ),
                migrations.DeleteModel(
                    name='Category',
                ),
                migrations.DeleteModel(
                    name='ProductImage',
                ),
                migrations.DeleteModel(
                    name='Product',
                ),
                migrations.DeleteModel(
                    name='ProductChange',
                ),
            ],
        ),
    ]
