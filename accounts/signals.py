"""API tokens die with the credentials they were issued for. Every way a password
changes (the password page, the set-password link, an assistant clearing a
farmer's password, the admin, `changepassword`) and every deactivation saves the
User, so one pair of receivers on that save is the rule for all of them: the
stored password hash or `is_active` is compared with what is being saved, and the
user's token is revoked once the save is done. (A queryset `update()` sends no
signal; nothing in the code changes passwords or deactivates accounts that way.)"""

from accounts.models import User
from accounts.services import tokens_revoke

WATCHED = {"password", "is_active"}


def remember_credentials_change(sender, instance, raw=False, update_fields=None, **_):
    """pre_save: does this save change the password, or deactivate the account?"""
    instance._revokes_tokens = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # such as update_last_login: no query
    before = User.objects.filter(pk=instance.pk).values(*WATCHED).first()
    if before is None:
        return
    instance._revokes_tokens = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )


def revoke_tokens_after_change(sender, instance, raw=False, **_):
    """post_save: the change is saved, so the token goes (in the same transaction)."""
    if getattr(instance, "_revokes_tokens", False):
        instance._revokes_tokens = False
        tokens_revoke(user=instance)
