"""App configuration for accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from accounts import signals
        from accounts.models import User

        pre_save.connect(signals.remember_credentials_change, sender=User)
        post_save.connect(signals.revoke_tokens_after_change, sender=User)
