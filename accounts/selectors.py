"""Reads about users: where each role lands, and the role-scoping rule every
selector of the platform starts from."""

from collections.abc import Callable

from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role

ROLE_HOME_URL_NAMES = {
    Role.BUYER: "orders:home",
    Role.FARMER: "orders:farmer_home",
    Role.ASSISTANT: "fieldwork:home",
    Role.OFFICIAL: "reports:home",
    Role.STAFF: "admin:index",
}

ScopeRule = Callable[[object], Q]


# Apps above accounts that give some users another home register a rule here in
# their AppConfig.ready(): a function of the user returning a URL name, or None
# (procurement: a work unit's admins and buyers land on /units/).
HOME_RULES: list[Callable[[object], str | None]] = []


def home_rule_register(rule: Callable[[object], str | None]) -> None:
    if rule not in HOME_RULES:
        HOME_RULES.append(rule)


def home_url_for(user) -> str:
    """The page a signed-in user lands on: the first registered rule's answer,
    else their role's home."""
    for rule in HOME_RULES:
        name = rule(user)
        if name is not None:
            return reverse(name)
    return reverse(ROLE_HOME_URL_NAMES[Role(user.role)])


def scoped(
    queryset: QuerySet,
    user,
    *,
    official: ScopeRule | None = None,
    assistant: ScopeRule | None = None,
    farmer: ScopeRule | None = None,
    buyer: ScopeRule | None = None,
) -> QuerySet:
    """Restrict `queryset` to what `user` may see.

    Staff see everything. Officials, assistants and farmers see the rows their rule
    (a function of the user returning a Q) selects; a role without a rule and
    anonymous visitors see nothing.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.STAFF:
        return queryset
    rule = {
        Role.OFFICIAL: official,
        Role.ASSISTANT: assistant,
        Role.FARMER: farmer,
        Role.BUYER: buyer,
    }.get(user.role)
    if rule is None:
        return queryset.none()
    return queryset.filter(rule(user))


def password_setup_path(user) -> str:
    """A one-time link for `user` to choose a password.

    Django's token covers the password hash and last login, so the link stops
    working once used, and after PASSWORD_RESET_TIMEOUT.
    """
    return reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
