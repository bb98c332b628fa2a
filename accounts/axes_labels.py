"""Chinese for django-axes' admin (the sign-in lockout records staff look at and
clear). Axes ships no zh_Hans catalogue; gettext finds its messages in ours, and
listing them here keeps them there when the catalogues are re-extracted. Each
string is axes' own msgid, word for word (axes/models.py and axes/admin.py), plus
three of Django's admin that its zh_Hans catalogue lacks."""

from django.utils.translation import gettext_noop

MESSAGES = [
    # axes/models.py: models and fields
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Logout Time"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("User Agent"),
    # axes/admin.py: filters, fieldsets, the status column, the action
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    # django/contrib/admin/templates/admin/app_list.html (every app's table)
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]
