"""Reviews on other apps' pages, loaded by name so those apps import nothing
of reviews: a product's or storefront's rating and latest reviews, paginated
({% product_reviews product %}, {% storefront_reviews farmer %}), and on a
completed order the lines its buyer may still review ({% order_reviews order %})."""

from django import template
from django.core.paginator import Paginator

from reviews.selectors import lines_to_review, rating_of, shown

register = template.Library()
PER_PAGE = 5


def _reviews(context, queryset) -> dict:
    request = context.get("request")
    number = request.GET.get("reviews", "1") if request is not None else "1"
    page = Paginator(shown(queryset), PER_PAGE).get_page(number)
    return {"rating": rating_of(queryset), "page": page, "request": request}


@register.inclusion_tag("reviews/_reviews.html", takes_context=True)
def product_reviews(context, product):
    return _reviews(context, product.reviews.all())


@register.inclusion_tag("reviews/_reviews.html", takes_context=True)
def storefront_reviews(context, farmer):
    return _reviews(context, farmer.reviews.select_related("product"))


@register.inclusion_tag("reviews/_order.html", takes_context=True)
def order_reviews(context, order):
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = user is not None and user.pk == order.buyer_id
    return {"lines": lines_to_review(order) if mine else []}
