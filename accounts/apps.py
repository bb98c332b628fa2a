"""App configuration for accounts, and for django-axes (its admin's name)."""

import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the module also holds AxesConfig
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from accounts import signals
        from accounts.models import User

        pre_save.connect(signals.remember_credentials_change, sender=User)
        post_save.connect(signals.revoke_tokens_after_change, sender=User)


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a name in the reader's language (its messages: see
    accounts/axes_labels.py)."""

    verbose_name = _("Sign-in lockout")
