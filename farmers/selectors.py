"""Reads about farmers and households, always scoped to the user asking."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.selectors import scoped
from assistants.models import Assistant
from assistants.selectors import assigned_farmers, assigned_to, assignments_in_force
from farmers.models import (
    Category,
    Farmer,
    Household,
    Product,
    ProductStatus,
    RegisterImport,
)


def farmers_visible_to(user) -> QuerySet[Farmer]:
    """Staff: all; officials: their counties; assistants: their assigned farmers;
    farmers: themselves. Rows carry their active assignment in `active_assignments`."""
    queryset = Farmer.objects.select_related(
        "user", "household__village__county"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=assignments_in_force().select_related("assistant__user"),
            to_attr="active_assignments",
        )
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(household__village__county__officials=u),
        assistant=lambda u: assigned_to(user=u),
        farmer=lambda u: Q(user=u),
    )


def search_farmers(queryset: QuerySet[Farmer], text: str) -> QuerySet[Farmer]:
    """Match a name, shop, phone or village."""
    text = text.strip()
    if not text:
        return queryset
    if "\x00" in text:
        # No stored text holds a NUL (every form refuses it), and PostgreSQL
        # refuses it as a query parameter: nothing can match.
        return queryset.none()
    return queryset.filter(
        Q(user__first_name__icontains=text)
        | Q(user__username__icontains=text)
        | Q(shop_name__icontains=text)
        | Q(phone__contains=text)
        | Q(household__village__name__icontains=text)
    )


def households_visible_to(user) -> QuerySet[Household]:
    """Households of the farmers `user` may see (officials: all in their counties)."""
    queryset = Household.objects.select_related("village__county")
    return scoped(
        queryset,
        user,
        official=lambda u: Q(village__county__officials=u),
        assistant=lambda u: Q(pk__in=assigned_farmers(user=u).values("household_id")),
        farmer=lambda u: Q(farmers__user=u),
    )


def register_imports_visible_to(user) -> QuerySet[RegisterImport]:
    """Officials see their own uploads; staff see all."""
    return scoped(
        RegisterImport.objects.select_related("uploaded_by"),
        user,
        official=lambda u: Q(uploaded_by=u),
    )


def households_open_for_onboarding(user) -> QuerySet[Household]:
    """Households an assistant may add a new farmer to: those of their own farmers,
    and households of their county that have no farmer yet (such as the registered
    households an official imported from the register)."""
    no_farmer_yet = ~Exists(Farmer.objects.filter(household=OuterRef("pk")))
    # The county as a subquery: joining the county's assistants gave a household
    # once per assistant there, and picking it failed (MultipleObjectsReturned).
    my_county = Assistant.objects.filter(user=user).values("county")
    return Household.objects.select_related("village").filter(
        Q(pk__in=households_visible_to(user).values("pk"))
        | (Q(village__county__in=my_county) & no_farmer_yet)
    )


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


def listing_history(product: Product, limit: int = 20) -> list[dict]:
    """The listing's latest changes as the reader reads them: when, by whom, the
    field's label, before and after (in the active language; one query for the
    changes, one for the categories when a category changed)."""
    changes = list(product.changes.select_related("changed_by")[:limit])
    categories = {}
    if any(change.field == "category" for change in changes):
        for category in Category.objects.all():
            for key in (category.slug, category.name_zh, category.name_en):
                categories[key] = category
    return [
        {
            "at": change.changed_at,
            "by": change.changed_by,
            "label": change.label,
            "before": change.shown(change.old_value, categories),
            "after": change.shown(change.new_value, categories),
        }
        for change in changes
    ]
