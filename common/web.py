"""Helpers shared by views: calling a service from a page (its refusal as the
page's message), the id URL converter, paginated lists (counted, or open-ended
for the catalogue), a form's errors as one message, and the 404 answer (JSON
under /api/)."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound


def paginate(request, queryset, per_page: int = 25, param: str = "page") -> dict:
    """Context for partials/pagination.html: the page, the GET parameter that pages
    it (two lists on one page use two parameters) and the other GET parameters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    return _page_context(request, page, param)


def _page_context(request, page, param: str) -> dict:
    query = request.GET.copy()
    query.pop(param, None)
    return {"page_obj": page, "query": query.urlencode(), "page_param": param}


class OpenPage:
    """A page of a list that is never counted (no `COUNT(*)` over a catalogue of
    100,000 listings): one row more than the page is read to know whether a next
    page exists. The rows are read when first used, so a cached fragment that
    shows them costs no query. Pages past the last are empty."""

    paginator = None  # partials/pagination.html then shows no total

    def __init__(self, queryset, number: int, per_page: int):
        self.queryset, self.number, self.per_page = queryset, number, per_page

    @cached_property
    def _rows(self) -> list:
        start = (self.number - 1) * self.per_page
        return list(self.queryset[start : start + self.per_page + 1])

    @property
    def object_list(self) -> list:
        return self._rows[: self.per_page]

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return len(self._rows) > self.per_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


MAX_OPEN_PAGE = 1000


def paginate_open(request, queryset, per_page: int, param: str = "page") -> dict:
    """paginate()'s context for an OpenPage; a page number that is not one from
    1 to MAX_OPEN_PAGE shows the first page."""
    number = request.GET.get(param, "")
    number = (
        int(number) if number.isascii() and number.isdigit() and len(number) < 5 else 1
    )
    page = OpenPage(queryset, number if 1 <= number <= MAX_OPEN_PAGE else 1, per_page)
    return _page_context(request, page, param)


# What call_service returns when the service refused.
REFUSED = object()


def refusal_text(error: ValidationError) -> str:
    """A service's refusal in one line (all its messages)."""
    return " ".join(error.messages)


def call_service(request, service, /, *, done=None, **kwargs):
    """Run `service(**kwargs)` for a page. If it refuses (a ValidationError: it
    wrote nothing, services are atomic), its messages become one error message
    for the next page and REFUSED is returned. Otherwise `done` (a message, or a
    function of the result giving one) becomes the success message, and the
    result is returned."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return REFUSED
    if done is not None:
        messages.success(request, done(result) if callable(done) else done)
    return result


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
