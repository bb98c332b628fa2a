"""App configuration for work units: their admins and buyers land on /units/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Work units")

    def ready(self):
        from accounts.selectors import home_rule_register
        from procurement.selectors import home_for

        home_rule_register(home_for)
