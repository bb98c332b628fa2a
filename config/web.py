"""Helpers shared by views: the id URL converter, paginated lists, and a form's
errors as one message."""

from django.core.paginator import Paginator


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
