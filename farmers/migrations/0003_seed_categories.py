"""Seed the produce categories (idempotent: keyed by slug)."""

from django.db import migrations

CATEGORIES = [
    ("grains-rice", "粮油大米", "Grains and rice"),
    ("tea", "茶叶", "Tea"),
    ("fresh-fruit", "新鲜水果", "Fresh fruit"),
    ("vegetables", "蔬菜", "Vegetables"),
    ("mushrooms-fungi", "菌菇", "Mushrooms and fungi"),
    ("nuts-dried-fruit", "坚果干果", "Nuts and dried fruit"),
    ("honey", "蜂蜜", "Honey"),
    ("meat-poultry-eggs", "肉禽蛋", "Meat, poultry and eggs"),
    ("processed-foods", "加工食品与酱料", "Processed foods and sauces"),
    ("handicrafts", "手工艺品", "Handicrafts"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("farmers", "Category")
    for position, (slug, name_zh, name_en) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={"name_zh": name_zh, "name_en": name_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("farmers", "0002_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
