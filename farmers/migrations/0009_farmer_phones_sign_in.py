"""Each farmer's phone, registered by their assistant in person, becomes their
user's verified phone: it takes their text messages and signs them in by code.
A number another user holds already is left alone."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def copy_phones(apps, schema_editor):
    Farmer = apps.get_model("farmers", "Farmer")
    User = apps.get_model("accounts", "User")
    taken = User.objects.exclude(phone="").values("phone")
    phone = Farmer.objects.filter(user=OuterRef("pk")).values("phone")[:1]
    User.objects.filter(role="farmer", phone="", farmer__isnull=False).exclude(
        farmer__phone__in=taken
    ).update(phone=Subquery(phone), phone_verified_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("farmers", "0008_catalogue_moved_out"),
        ("accounts", "0002_phone"),
    ]

    operations = [migrations.RunPython(copy_phones, migrations.RunPython.noop)]
