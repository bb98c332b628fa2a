"""Public pages (no sign-in): home, catalogue, product, storefront and county pages.
Only active listings of active farmers are shown
(catalogue.selectors.public_products)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalogue.forms import CatalogueForm
from catalogue.models import LOW_STOCK
from catalogue.selectors import (
    catalogue_products,
    catalogue_version,
    categories_with_products,
    counties_with_products,
    for_list,
    newest_products,
    public_product,
    public_products,
    public_storefronts,
)
from common.page_cache import cached_public_page
from common.web import paginate, paginate_open
from counties.models import County

PRODUCTS_PER_PAGE = 24
STOREFRONTS_PER_PAGE = 48


# Browsing, as links on the site make it: no search or price range, and no
# empty parameters (the filter form's own submissions have them).
BROWSING = ("county", "category", "poverty", "sort")
CACHED_PAGES = 10


def catalogue_cacheable(request) -> bool:
    """Whether a catalogue URL is one the whole-page cache keeps: browsing by
    county, category, poverty-alleviation and sort, in valid values, on one of
    the first CACHED_PAGES pages. A search, an odd value or a deep page is
    served by the view (its results fragment is still cached)."""
    query = request.GET
    if set(query) - {*BROWSING, "page"} or any(
        len(query.getlist(name)) > 1 or not query[name] for name in query
    ):
        return False
    page = query.get("page", "1")
    if page not in {str(number) for number in range(1, CACHED_PAGES + 1)}:
        return False
    form = CatalogueForm(query)
    return form.is_valid() and query.get("poverty", "on") == "on"


@require_safe
@cached_public_page(catalogue_version)
def home(request):
    context = {
        "categories": categories_with_products(),
        "products": newest_products(12),
        "counties": counties_with_products(),
        "low_stock": LOW_STOCK,
    }
    return render(request, "catalogue/home.html", context)


@require_safe
@cached_public_page(catalogue_version, cacheable=catalogue_cacheable)
def catalogue(request):
    form = CatalogueForm(request.GET)
    filters = form.filtered()
    context = {
        "form": form,
        "heading": form.heading(),
        # Open the filter panel for real filters (or errors), not for a search alone,
        # so results start on the first screen of a phone.
        "searched": bool(filters.keys() - {"sort", "q"}),
        "low_stock": LOW_STOCK,
        # The results are a fragment cached per URL and catalogue version; the
        # open page reads its rows only when the fragment is not cached.
        "catalogue_version": catalogue_version(),
        "cache_seconds": settings.CATALOGUE_CACHE_SECONDS,
        **paginate_open(request, catalogue_products(filters), PRODUCTS_PER_PAGE),
    }
    return render(request, "catalogue/catalogue.html", context)


@require_safe
@cached_public_page(catalogue_version)
def product(request, pk):
    item = get_object_or_404(public_product(pk))
    return render(
        request, "catalogue/product.html", {"product": item, "low_stock": LOW_STOCK}
    )


@require_safe
def storefront(request, slug):
    farmer = get_object_or_404(public_storefronts(), slug=slug)
    products = for_list(public_products().filter(farmer=farmer))
    context = {
        "farmer": farmer,
        "low_stock": LOW_STOCK,
        **paginate(request, products, PRODUCTS_PER_PAGE),
    }
    return render(request, "catalogue/storefront.html", context)


@require_safe
def county(request, code):
    place = get_object_or_404(County, code=code)
    products = for_list(
        public_products().filter(farmer__household__village__county=place)
    )
    storefronts = (
        public_storefronts()
        .filter(household__village__county=place)
        .defer("story", "household__poverty_causes", "household__support_measures")
    )
    # The storefronts page on their own parameter, so both lists can be paged.
    shops = paginate(request, storefronts, STOREFRONTS_PER_PAGE, param="shops")
    context = {
        "county": place,
        "shops": shops,
        "low_stock": LOW_STOCK,
        **paginate(request, products, PRODUCTS_PER_PAGE),
    }
    return render(request, "catalogue/county.html", context)
