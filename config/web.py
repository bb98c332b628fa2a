"""Helpers shared by views: the id URL converter, paginated lists, a form's errors
as one message, and the 404 answer (JSON under /api/)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound


def paginate(request, queryset, per_page: int = 25, param: str = "page") -> dict:
    """Context for partials/pagination.html: the page, the GET parameter that pages
    it (two lists on one page use two parameters) and the other GET parameters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return {"page_obj": page, "query": query.urlencode(), "page_param": param}


def form_error_text(form) -> str:
    """All of a form's errors in one line, for a message after a redirect."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class IdConverter:
    """A positive database id of at most 18 digits (fits a 64-bit integer)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def not_found(request, exception):
    """The 404 page; under /api/, DRF's JSON answer instead, so an API client reads
    the same body whether the URL patterns (an id of 19 digits, a word where an id
    goes) or a view refused the path."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)
