"""Reads for the public catalogue: the filter form, search, sorting, and list-ready
querysets (first photo prefetched) that cost the same queries for any number of rows.
Everything starts from farmers.selectors.public_products().

The catalogue version keys what the public pages cache (their results fragments,
the filter choices, and whole pages for visitors with nothing of their own on
them, common.page_cache): it changes when a listing, its photos, farmer, the
farmer's account, household or category is saved or deleted (farmers.apps), so
an edit shows at once. Stock and units sold change by UPDATE at each checkout
and do not change it: CATALOGUE_CACHE_SECONDS bounds how stale a stock badge or
the best-selling order may be (the cart and checkout always read the database)."""

from decimal import Decimal
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from counties.models import County
from farmers.models import (
    MAX_PRICE,
    Category,
    Farmer,
    Product,
    ProductImage,
    RegisterStatus,
)
from farmers.selectors import public_products

# At or below this many units a listing shows "low stock".
LOW_STOCK = 5
SORTS = {
    "new": ("-created_at", "-pk"),
    "price": ("price", "pk"),
    "-price": ("-price", "-pk"),
    "best": ("-units_sold", "-pk"),
}


VERSION_KEY = "catalogue:version"


def catalogue_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid4().hex, None)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, None)


def catalogue_changed(**_signal) -> None:
    """A new catalogue version now, and another once the change is committed: a
    reader between the two could have cached the old rows under the first."""
    _new_version()
    transaction.on_commit(_new_version)


def farmer_account_changed(instance, update_fields=None, **_signal) -> None:
    """A farmer's account saved (not a sign-in's last_login alone): deactivating
    it hides their products."""
    if instance.role == Role.FARMER and update_fields != frozenset({"last_login"}):
        catalogue_changed()


def _cached(name: str, compute):
    """`compute()`, cached for this catalogue version and language."""
    key = f"catalogue:{name}:{get_language()}:{catalogue_version()}"
    return cache.get_or_set(key, compute, settings.CATALOGUE_CACHE_SECONDS)


def with_photos(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """All photos in order, as `photos` (one query for the whole page)."""
    return queryset.prefetch_related(
        Prefetch(
            "images",
            queryset=ProductImage.objects.order_by("position", "pk"),
            to_attr="photos",
        )
    )


def for_list(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Rows for a list page: the first photo only (as `photos`), and none of the
    long text (or household details) the cards do not show."""
    return queryset.defer(
        "description",
        "rejection_reason",
        "farmer__story",
        "farmer__household__poverty_causes",
        "farmer__household__support_measures",
    ).prefetch_related(
        Prefetch(
            "images",
            queryset=ProductImage.objects.order_by("position", "pk")[:1],
            to_attr="photos",
        )
    )


def newest_products(limit: int = 12) -> QuerySet[Product]:
    return for_list(public_products().order_by(*SORTS["new"]))[:limit]


def public_product(pk: int) -> QuerySet[Product]:
    """The product page's row (filter it with get_object_or_404)."""
    return with_photos(public_products()).filter(pk=pk)


def public_storefronts() -> QuerySet[Farmer]:
    """Farmers with at least one public product (so an active account too)."""
    return (
        Farmer.objects.select_related("household__village__county")
        .filter(Exists(public_products().filter(farmer=OuterRef("pk"))))
        .order_by("shop_name", "pk")
    )


def counties_with_products() -> QuerySet[County]:
    return County.objects.filter(
        Exists(
            public_products().filter(farmer__household__village__county=OuterRef("pk"))
        )
    ).order_by("province", "name", "pk")


def categories_with_products() -> QuerySet[Category]:
    return Category.objects.filter(
        Exists(public_products().filter(category=OuterRef("pk")))
    )


def search_products(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Title and description. PostgreSQL adds full-text search (config "simple": no
    stemmer knows Chinese); the substring match is kept so a part of a Chinese word
    still matches, and it is all SQLite does."""
    text = text.strip()
    if not text:
        return queryset
    match = Q(title__icontains=text) | Q(description__icontains=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # alias(), not annotate(): the vector is for the WHERE clause only.
        queryset = queryset.alias(
            search=SearchVector("title", "description", config="simple")
        )
        # websearch_to_tsquery never raises on odd input (quotes, "-", "or").
        match |= Q(search=SearchQuery(text, config="simple", search_type="websearch"))
    return queryset.filter(match)


class CatalogueForm(forms.Form):
    """The catalogue's GET parameters. Every field is optional; a bad value is
    reported next to its field and that filter alone is ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"enterkeyhint": "search"}),
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    min_price = forms.DecimalField(
        label=_("Minimum price (¥)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_PRICE,
        max_digits=12,
        decimal_places=2,
    )
    max_price = forms.DecimalField(
        label=_("Maximum price (¥)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_PRICE,
        max_digits=12,
        decimal_places=2,
    )
    poverty = forms.BooleanField(
        label=_("Poverty-alleviation products only"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("new", _("Newest")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("best", _("Best-selling")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are checked in Python, so an odd value never reaches the database.
        everything = [("", _("All"))]
        self.fields["county"].choices = everything + _cached(
            "counties",
            lambda: [(c.code, c.label) for c in counties_with_products()],
        )
        self.fields["category"].choices = everything + _cached(
            "categories",
            lambda: [(c.slug, c.name) for c in Category.objects.all()],
        )
        for name in ("min_price", "max_price"):
            self.fields[name].widget.attrs.update(inputmode="decimal", step="any")

    def filtered(self) -> dict:
        """The valid, non-empty filters (bad ones dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: value
            for key, value in data.items()
            if value is not False and value not in ("", None)
        }

    def heading(self) -> str:
        """What the page lists, in the reader's language: the category, the
        county's products, or both, from the (valid) filters; "All products"
        otherwise. Names come from the choices, cached per language."""
        filters = self.filtered()
        category = dict(self.fields["category"].choices).get(filters.get("category"))
        county = dict(self.fields["county"].choices).get(filters.get("county"))
        if category and county:
            return _("%(category)s from %(county)s") % {
                "category": category,
                "county": county,
            }
        if category:
            return str(category)
        if county:
            return _("Products from %(county)s") % {"county": county}
        return str(_("All products"))


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


def catalogue_products(filters: dict) -> QuerySet[Product]:
    """Public products narrowed by CatalogueForm.filtered() and sorted."""
    queryset = public_products()
    if code := filters.get("county"):
        queryset = queryset.filter(farmer__household__village__county__code=code)
    if slug := filters.get("category"):
        queryset = queryset.filter(category__slug=slug)
    if (low := filters.get("min_price")) is not None:
        queryset = queryset.filter(price__gte=low)
    if (high := filters.get("max_price")) is not None:
        queryset = queryset.filter(price__lte=high)
    if filters.get("poverty"):
        queryset = queryset.filter(farmer__household__status=RegisterStatus.REGISTERED)
    queryset = search_products(queryset, filters.get("q", ""))
    return for_list(queryset.order_by(*SORTS[filters.get("sort") or "new"]))
