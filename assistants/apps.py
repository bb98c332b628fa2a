"""App configuration for assistants: gives the audit trail the assistants' rule
(the events about their assigned farmers and those farmers' households)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantsConfig(AppConfig):
    name = "assistants"
    verbose_name = _("Assistants")

    def ready(self):
        from assistants.selectors import audit_events_rule
        from audit.selectors import assistant_scope_set

        assistant_scope_set(audit_events_rule)
