"""API plumbing shared by the apps: cursor pagination (with the cursor checked), id
filters, and calling a service with its errors as API errors."""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.settings import api_settings


class Cursor(CursorPagination):
    """Cursor pagination whose cursor, being client input, is checked: a forged
    position that does not fit the ordering's column (text for an id, a number
    beyond 64 bits) is DRF's 404 "Invalid cursor", not a 500."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, DjangoValidationError) as exc:
            if request.query_params.get(self.cursor_query_param) is None:
                raise
            raise NotFound(self.invalid_cursor_message) from exc


class NewestFirst(Cursor):
    """Cursor pagination: stable pages under inserts, constant cost per page."""

    ordering = "-pk"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class IdFilter(django_filters.NumberFilter):
    """An id filter: whole numbers only ("1.5" is a 400, not id 1). Point it at the
    integer column ("…__id") so an id beyond 64 bits finds nothing instead of
    overflowing in the driver, and an out-of-scope id looks like an unknown one."""

    field_class = forms.IntegerField


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object's status does not allow this."
    default_code = "conflict"


def call_service(
    service,
    *,
    conflicts=frozenset(),
    forbidden=frozenset(),
    field: str | None = None,
    **kw,
):
    """Run a service; its ValidationError becomes 409 when its code is one of
    `conflicts` (the object's status does not allow it: retrying cannot help until
    that changes), 403 when one of `forbidden`, else 400 with the messages by field
    (`field` names the field of a message that has none)."""
    try:
        return service(**kw)
    except DjangoValidationError as error:
        code = getattr(error, "code", None)
        if code in conflicts:
            raise Conflict(error.messages[0], code=code) from error
        if code in forbidden:
            raise PermissionDenied(error.messages[0], code=code) from error
        general = api_settings.NON_FIELD_ERRORS_KEY
        if hasattr(error, "error_dict"):
            detail = {
                (general if name == NON_FIELD_ERRORS else name): messages
                for name, messages in error.message_dict.items()
            }
        else:
            detail = {field or general: error.messages}
        raise serializers.ValidationError(detail) from error
