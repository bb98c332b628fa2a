"""`role` in every template: the signed-in user's role as flags, computed once per
request (`role.farmer`, `role.assistant`…; all false for anonymous visitors), so
no template compares role strings."""

from accounts.models import Role


def role(request) -> dict:
    user = getattr(request, "user", None)
    current = user.role if user is not None and user.is_authenticated else None
    return {"role": {value: value == current for value in Role.values}}
