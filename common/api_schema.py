"""The OpenAPI schema class: drf-spectacular's, plus the error answers DRF gives on
its own, derived from the same view attributes that produce them (permissions,
throttles, pagination, filters, path ids), so the document lists every status code
an operation really returns. Answers a view gives for its own reasons (a 409 from a
service, a 404 for an unknown id in the body) are declared on the view with
`extend_schema(responses=…)`."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """DRF's body for every error but invalid input."""

    detail = serializers.CharField()


BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid input: the messages, by field."
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="Not signed in, or the role may not do this."
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such object in the caller's scope, or an invalid page cursor.",
)
UNSUPPORTED = OpenApiResponse(
    ErrorSerializer,
    description="A body without a Content-Type, or in one the operation does not read.",
)
THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many requests: wait and try again."
)


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in self._framework_errors(operation).items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _framework_errors(self, operation: dict) -> dict[str, OpenApiResponse]:
        errors = {}
        if self._takes_input(operation):
            errors["400"] = BAD_INPUT  # serializer or filter validation
        if "requestBody" in operation:
            errors["415"] = UNSUPPORTED  # a body DRF has no parser for
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            # Session authentication comes first, so DRF answers a missing
            # sign-in with 403, never 401.
            errors["403"] = FORBIDDEN
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = NOT_FOUND  # get_object(), or the paginator's cursor
        if self.view.get_throttles():
            errors["429"] = THROTTLED
        return errors

    def _takes_input(self, operation: dict) -> bool:
        """A request body, or query parameters other than the paginator's (which
        fall back to defaults rather than refuse a bad value)."""
        paging = {p["name"] for p in self._get_pagination_parameters()}
        query = {
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        return "requestBody" in operation or bool(query - paging)
