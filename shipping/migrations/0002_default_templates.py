"""Every storefront opened before shipping templates gets the default one
(shipping.fees.DEFAULT_TERMS), as every new one does."""

from django.db import migrations

from shipping.fees import DEFAULT_TERMS


def default_templates(apps, schema_editor):
    Farmer = apps.get_model("farmers", "Farmer")
    Template = apps.get_model("shipping", "ShippingTemplate")
    Rate = apps.get_model("shipping", "ShippingRate")
    RateProvince = apps.get_model("shipping", "RateProvince")
    Division = apps.get_model("counties", "Division")
    known = set(Division.objects.values_list("code", flat=True))
    prices: dict[tuple, list[str]] = {}
    for code, price in sorted(DEFAULT_TERMS.groups.items()):
        if code in known:
            prices.setdefault(price, []).append(code)
    left_out = [code for code in DEFAULT_TERMS.not_delivered if code in known]
    for farmer_id in Farmer.objects.filter(shipping_template__isnull=True).values_list(
        "pk", flat=True
    ):
        template = Template.objects.create(
            farmer_id=farmer_id,
            charge_by=DEFAULT_TERMS.charge_by,
            first=DEFAULT_TERMS.first,
            additional=DEFAULT_TERMS.additional,
        )
        for (first, additional), codes in prices.items():
            rate = Rate.objects.create(
                template=template, first=first, additional=additional
            )
            RateProvince.objects.bulk_create(
                RateProvince(template=template, rate=rate, province_id=code)
                for code in codes
            )
        template.not_delivered.set(left_out)


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0001_initial"),
        ("counties", "0003_divisions"),
        ("farmers", "0008_catalogue_moved_out"),
    ]

    operations = [migrations.RunPython(default_templates, migrations.RunPython.noop)]
