"""App configuration for accounts, and for django-axes (its admin's name)."""

import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a name in the reader's language (its messages: see
    accounts/axes_labels.py)."""

    verbose_name = _("Sign-in lockout")
