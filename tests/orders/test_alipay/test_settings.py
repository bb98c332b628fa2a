"""Alipay's settings: `missing_settings()` and `manage.py check` name each one
missing and each key file that cannot be used; a provider missing any is not
offered at checkout and its webhook answers 404; the SDK client is built once
for the settings, and again only when they change."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import ProductStatus
from orders.providers import PROVIDERS, provider_choices
from tests.factories import ProductFactory, UserFactory
from tests.orders.test_alipay.fake import notification, post

ALIPAY = PROVIDERS["alipay"]
ROOT = Path(__file__).resolve().parents[3]


def test_configured_alipay_misses_nothing_and_is_offered():
    assert ALIPAY.missing_settings() == []
    assert "alipay" in dict(provider_choices())


@pytest.mark.parametrize(
    "name", ["ALIPAY_APP_ID", "ALIPAY_APP_PRIVATE_KEY_PATH", "ALIPAY_PUBLIC_KEY_PATH"]
)
def test_each_missing_setting_is_named(settings, name):
    setattr(settings, name, "")
    assert ALIPAY.missing_settings() == [name]
    assert "alipay" not in dict(provider_choices())


@pytest.fixture
def not_a_key(tmp_path):
    path = tmp_path / "key.pem"
    path.write_text(
        "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n"
    )
    return str(path)


def test_key_files_that_cannot_be_used_are_named(settings, keys, not_a_key, tmp_path):
    settings.ALIPAY_APP_PRIVATE_KEY_PATH = str(tmp_path / "nowhere.pem")
    settings.ALIPAY_PUBLIC_KEY_PATH = not_a_key
    missing = ALIPAY.missing_settings()
    assert [entry.split(" ")[0] for entry in missing] == [
        "ALIPAY_APP_PRIVATE_KEY_PATH",
        "ALIPAY_PUBLIC_KEY_PATH",
    ]
    assert "nowhere.pem" in missing[0] and "not an RSA key" in missing[1]


def test_the_keys_the_wrong_way_round_are_named(settings, keys):
    """The app's private key where Alipay's public key belongs, and back."""
    settings.ALIPAY_APP_PRIVATE_KEY_PATH = str(keys.alipay_public_path)
    settings.ALIPAY_PUBLIC_KEY_PATH = str(keys.app_private_path)
    missing = ALIPAY.missing_settings()
    assert "not a private key" in missing[0] and "not a public key" in missing[1]


def test_the_system_check_names_what_is_missing(settings):
    settings.ALIPAY_APP_ID = ""
    settings.ALIPAY_PUBLIC_KEY_PATH = ""
    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)
    said = out.getvalue() + err.getvalue()
    assert "orders.W002" in said
    assert (
        "'alipay' is not offered: ALIPAY_APP_ID, ALIPAY_PUBLIC_KEY_PATH missing" in said
    )


def test_manage_py_check_names_what_is_missing_from_the_environment(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ALIPAY_", "DJANGO_"))
    }
    env.update(
        DEBUG="1",
        PAYMENT_PROVIDERS="alipay,on_delivery",
        ALIPAY_APP_ID="2021000122600001",
        ALIPAY_APP_PRIVATE_KEY_PATH=str(tmp_path / "missing.pem"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = result.stdout + result.stderr
    assert "ALIPAY_PUBLIC_KEY_PATH" in said
    assert f"ALIPAY_APP_PRIVATE_KEY_PATH (cannot use {tmp_path / 'missing.pem'}" in said


@pytest.mark.django_db
def test_unconfigured_alipay_is_not_offered_at_checkout(client, settings):
    buyer = UserFactory()
    client.force_login(buyer)
    product = ProductFactory(status=ProductStatus.ACTIVE)
    client.post(reverse("orders:cart_add"), {"product": product.pk, "quantity": 1})
    page = client.get(reverse("orders:checkout"))
    assert "alipay" in dict(page.context["form"].fields["provider"].choices)
    settings.ALIPAY_APP_ID = ""
    page = client.get(reverse("orders:checkout"))
    assert "alipay" not in dict(page.context["form"].fields["provider"].choices)
    assert 'value="alipay"' not in page.content.decode()


@pytest.mark.django_db
def test_the_webhook_of_unconfigured_alipay_is_404(client, keys, checkout, settings):
    settings.ALIPAY_APP_ID = ""
    assert post(client, notification(keys, checkout.payments.get())).status_code == 404


def test_the_client_is_built_once_and_again_when_settings_change(settings):
    client = ALIPAY.client()
    assert ALIPAY.client() is client
    assert client.gateway == "https://openapi.alipay.com/gateway.do"
    settings.ALIPAY_SANDBOX = True
    sandbox = ALIPAY.client()
    assert sandbox is not client
    assert sandbox.gateway == "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
