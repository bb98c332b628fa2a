"""Reads of the catalogue: the listings each user may manage or review, those needing
attention, the review queue, a listing's history; and for the public pages, search,
sorting and list-ready querysets (first photo prefetched) that cost the same queries
for any number of rows, all starting from public_products().

The catalogue version keys what the public pages cache (their results fragments,
the filter choices, and whole pages for visitors with nothing of their own on
them, common.page_cache): it changes when a listing, its photos, farmer, the
farmer's account, household or category is saved or deleted (catalogue.receivers), so
an edit shows at once. Stock and units sold change by UPDATE at each checkout
and do not change it: CATALOGUE_CACHE_SECONDS bounds how stale a stock badge or
the best-selling order may be (the cart and checkout always read the database)."""

from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.selectors import scoped
from assistants.selectors import assigned_farmers
from audit.models import AuditEvent, display, label_of
from audit.selectors import history
from catalogue.models import (
    PHOTOS,
    Category,
    PhotoChange,
    Product,
    ProductImage,
    ProductStatus,
)
from catalogue.services.listings import LISTING_FIELDS
from counties.models import County
from farmers.models import Farmer, RegisterStatus

SORTS = {
    "new": ("-created_at", "-pk"),
    "price": ("price", "pk"),
    "-price": ("-price", "-pk"),
    "best": ("-units_sold", "-pk"),
    "rated": (F("rating").desc(nulls_last=True), "-ratings", "-pk"),
}


VERSION_KEY = "catalogue:version"


def catalogue_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid4().hex, None)


def version_cached(name: str, compute):
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


def products_visible_to(user) -> QuerySet[Product]:
    """Listings `user` may manage or review, in any status: farmers their own,
    assistants their assigned farmers', officials their counties', staff all."""
    queryset = Product.objects.select_related(
        "category", "farmer__user", "farmer__household__village__county"
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(farmer__household__village__county__officials=u),
        assistant=lambda u: Q(farmer__in=assigned_farmers(user=u).values("pk")),
        farmer=lambda u: Q(farmer__user=u),
    )


# Listings a farmer should look at, in the order the farmer's home lists them.
ATTENTION = {
    "rejected": Q(status=ProductStatus.REJECTED),
    "out_of_stock": Q(status=ProductStatus.ACTIVE, stock=0),
    "pending": Q(status=ProductStatus.PENDING),
}


def needing_attention(user) -> QuerySet[Product]:
    """`user`'s listings that need attention: rejected (with the reason), on sale
    but out of stock, waiting for review; in that order, latest change first."""
    return (
        products_visible_to(user)
        .filter(Q.create(list(ATTENTION.values()), connector=Q.OR))
        .annotate(
            attention=Case(
                *(
                    When(condition, then=Value(rank))
                    for rank, condition in enumerate(ATTENTION.values())
                ),
                output_field=IntegerField(),
            )
        )
        .order_by("attention", "-updated_at", "-pk")
    )


def attention_counts(user) -> dict[str, int]:
    """How many of `user`'s listings are in each ATTENTION group, and `total`:
    one query."""
    counts = products_visible_to(user).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in ATTENTION.items()}
    )
    return {**counts, "total": sum(counts.values())}


def review_queue(user) -> QuerySet[Product]:
    """Listings waiting for `user`'s review, oldest submission first."""
    return (
        products_visible_to(user)
        .filter(status=ProductStatus.PENDING)
        .order_by("submitted_at", "pk")
    )


def public_products() -> QuerySet[Product]:
    """What anyone may see: active listings of farmers whose account is active."""
    return Product.objects.select_related(
        "category", "farmer__household__village__county"
    ).filter(status=ProductStatus.ACTIVE, farmer__user__is_active=True)


def category_shown(value) -> str:
    """A category as the trail stores it (its slug; events written before slugs
    were stored hold one of its names) shown by its name in the active language;
    an unknown value as stored. The names come from the cache, per catalogue
    version (a category saved changes it), so a page of events costs no query."""

    def names():
        return {
            key: category.name
            for category in Category.objects.all()
            for key in (category.slug, category.name_zh, category.name_en)
        }

    return str(version_cached("category-names", names).get(value, value))


# The audit actions that make a listing's history.
HISTORY_ACTIONS = (AuditEvent.Action.LISTING_CHANGED, AuditEvent.Action.PHOTOS_CHANGED)


def _field_rows(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field an event changed, in the order the
    history always listed them: the last field of the listing's form first."""
    if event.action == AuditEvent.Action.PHOTOS_CHANGED:
        shown = display(None, PHOTOS, dict(PhotoChange.choices).get(event.note))
        return [(str(_("photos")), "—", shown)]
    order = {name: index for index, name in enumerate(LISTING_FIELDS)}
    names = sorted({*event.before, *event.after}, key=lambda n: order.get(n, -1))
    return [
        (
            label_of(Product, name),
            display(Product, name, event.before.get(name)),
            display(Product, name, event.after.get(name)),
        )
        for name in reversed(names)
    ]


def listing_history(product: Product, limit: int = 20) -> list[dict]:
    """The listing's latest changes, one row per changed field, newest first, as
    the reader reads them: when, by whom, the field's label, before and after (in
    the active language; a category by its name). They are the product's audit
    events (LISTING_CHANGED and PHOTOS_CHANGED), the farmer's own included: one
    query, and the categories' names from the cache."""
    events = history(product, HISTORY_ACTIONS)[:limit]
    rows = [
        {"at": event.at, "by": event.actor, "label": label, "before": old, "after": new}
        for event in events
        for label, old, new in _field_rows(event)
    ]
    return rows[:limit]


def listing_approved_message(notification) -> tuple[str, str]:
    text = _("Your listing “%(name)s” was approved and is on sale.") % {
        "name": notification.product.title
    }
    return text, reverse("catalogue:listing", args=[notification.product_id])


def listing_rejected_message(notification) -> tuple[str, str]:
    product = notification.product
    text = _("Your listing “%(name)s” was sent back: %(reason)s") % {
        "name": product.title,
        "reason": product.rejection_reason,
    }
    return text, reverse("catalogue:listing", args=[product.pk])


def listing_sms(notification) -> dict:
    """A listing's text message: its name (the reason is free text, so the
    message says only to look)."""
    return {"product": notification.product.title}
