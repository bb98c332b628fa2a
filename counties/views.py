"""The divisions within one, as JSON, for the address form's lists
(static/js/divisions.js): public and the same for everyone, so cached."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from counties.selectors import divisions_within


@require_safe
@cache_control(public=True, max_age=86400)
def division_children(request, code):
    children = list(divisions_within(code).values_list("code", "name"))
    if not children:
        raise Http404
    return JsonResponse({"divisions": [{"code": c, "name": n} for c, n in children]})
