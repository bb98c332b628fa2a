"""Catalogue API: the public read of categories, products and storefronts, and the
listings API through which farmers and assistants write products (via the services
of catalogue.services.listings, never by saving the model)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response

from accounts.api import PeopleRoles
from accounts.models import Role
from catalogue.api.filters import (
    CatalogueProductFilter,
    ListingFilter,
    StorefrontFilter,
)
from catalogue.api.serializers import (
    CatalogueProductSerializer,
    CategorySerializer,
    ListingConflictSerializer,
    ListingCreateSerializer,
    ListingSerializer,
    ListingUpdateSerializer,
    PhotoUploadSerializer,
    RejectionSerializer,
    StorefrontSerializer,
)
from catalogue.models import Category
from catalogue.selectors import (
    products_visible_to,
    public_products,
    public_storefronts,
    review_queue,
    with_photos,
)
from catalogue.services.listings import (
    product_approve,
    product_archive,
    product_create,
    product_reject,
    product_restore,
    product_submit,
    product_update,
)
from catalogue.services.photos import product_image_add
from common.api import Cursor, call_service
from common.web import IdConverter

# A slug in a URL, as Django's slug converter has it: anything else (a NUL byte,
# which PostgreSQL refuses in a query) is a 404 before any query.
SLUG = "[-a-zA-Z0-9_]+"
# Household columns no public answer reads: not even loaded.
PRIVATE_HOUSEHOLD = (
    "household__poverty_causes",
    "household__support_measures",
    "household__registration_number",
)


# --- Service errors as HTTP answers ---------------------------------------------


# The listing is in the wrong status for the request: retrying the same request
# cannot succeed until the status changes, so these are 409, not 400.
STATUS_CONFLICTS = {"illegal_transition", "archived"}


def _call(service, *, field: str | None = None, **kwargs):
    return call_service(service, conflicts=STATUS_CONFLICTS, field=field, **kwargs)


# --- Public catalogue -----------------------------------------------------------


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Produce categories, in their display order (a short list: not paginated)."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    permission_classes = [AllowAny]
    pagination_class = None
    lookup_field = "slug"
    lookup_value_regex = SLUG


class CatalogueProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Active listings of active farmers, newest first; `ordering` sorts by
    `price`, `-price`, `-units_sold` (best-selling) or `-created_at`."""

    serializer_class = CatalogueProductSerializer
    permission_classes = [AllowAny]
    filterset_class = CatalogueProductFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "price", "units_sold"]
    ordering = ["-created_at"]
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        private = [f"farmer__{name}" for name in PRIVATE_HOUSEHOLD]
        return with_photos(public_products()).defer("rejection_reason", *private)


class StorefrontViewSet(viewsets.ReadOnlyModelViewSet):
    """Shops of active farmers with at least one active listing."""

    serializer_class = StorefrontSerializer
    permission_classes = [AllowAny]
    filterset_class = StorefrontFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return public_storefronts().defer(*PRIVATE_HOUSEHOLD)


# --- Listings (farmers and assistants write, officials and staff read) -----------

EDITORS = frozenset({Role.FARMER, Role.ASSISTANT})
REVIEWERS = frozenset({Role.ASSISTANT, Role.STAFF})


class OfficialsReadOnly(BasePermission):
    """County officials oversee: they read, never write."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.role != Role.OFFICIAL


class ActionRoles(BasePermission):
    """The roles `view.action_roles` names for the current action; an action it
    does not name is read-only."""

    def has_permission(self, request, view):
        if view.action is None:
            return True  # a method the route lacks: DRF answers 405
        roles = view.action_roles.get(view.action)
        if roles is None:
            return request.method in SAFE_METHODS
        return request.user.role in roles


class OldestSubmissionFirst(Cursor):
    ordering = ("submitted_at", "pk")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


CONFLICT = OpenApiResponse(
    ListingConflictSerializer, description="The listing's status does not allow this."
)
BAD_INPUT = OpenApiResponse(description="Invalid input; messages by field.")


class ListingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Listings in any status, scoped like the pages: farmers their own, assistants
    their assigned farmers', officials their counties' (read only), staff all (read
    and review). A listing out of scope is a 404 for every method. There is no
    delete: archive instead."""

    permission_classes = [PeopleRoles, OfficialsReadOnly, ActionRoles]
    filterset_class = ListingFilter
    lookup_value_regex = IdConverter.regex
    action_roles = {
        "list": PeopleRoles.ROLES,
        "retrieve": PeopleRoles.ROLES,
        "create": EDITORS,
        "partial_update": EDITORS,
        "submit": EDITORS,
        "archive": EDITORS,
        "restore": EDITORS,
        "add_image": EDITORS,
        "approve": REVIEWERS,
        "reject": REVIEWERS,
        "to_review": REVIEWERS,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action == "to_review":
            return with_photos(review_queue(user))
        return with_photos(products_visible_to(user))

    def get_serializer_class(self):
        return {
            "create": ListingCreateSerializer,
            "partial_update": ListingUpdateSerializer,
            "reject": RejectionSerializer,
            "add_image": PhotoUploadSerializer,
        }.get(self.action, ListingSerializer)

    def _answer(self, product, code=status.HTTP_200_OK) -> Response:
        """The listing as it now is, read back through the scoped queryset."""
        product = with_photos(products_visible_to(self.request.user)).get(pk=product.pk)
        data = ListingSerializer(product, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(
        request=ListingCreateSerializer,
        responses={201: ListingSerializer, 400: BAD_INPUT},
    )
    def create(self, request):
        """A new draft listing. Farmers list for themselves; assistants name one of
        their farmers in `farmer`. `created_by` is the signed-in user."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        farmer = fields.pop("farmer")
        product = _call(
            product_create, farmer=farmer, created_by=request.user, **fields
        )
        return self._answer(product, status.HTTP_201_CREATED)

    @extend_schema(
        request=ListingUpdateSerializer,
        responses={200: ListingSerializer, 400: BAD_INPUT, 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        """Change some fields; each change is recorded in the listing's history.
        Changing what buyers read of an active listing sends it back to review;
        an archived listing cannot be changed (409)."""
        product = self.get_object()
        serializer = self.get_serializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        _call(
            product_update,
            product=product,
            changed_by=request.user,
            **serializer.validated_data,
        )
        return self._answer(product)

    def _move(self, service, **kwargs) -> Response:
        product = self.get_object()
        _call(service, product=product, **kwargs)
        return self._answer(product)

    @extend_schema(request=None, responses={200: ListingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft or rejected listing for review."""
        return self._move(product_submit, actor=request.user)

    @extend_schema(request=None, responses={200: ListingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take a listing off sale (any status but archived)."""
        return self._move(product_archive, actor=request.user)

    @extend_schema(request=None, responses={200: ListingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived listing back as a draft."""
        return self._move(product_restore, actor=request.user)

    @extend_schema(request=None, responses={200: ListingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Put a pending listing on sale (the farmer's assistant, or staff)."""
        return self._move(product_approve)

    @extend_schema(
        request=RejectionSerializer,
        responses={200: ListingSerializer, 400: BAD_INPUT, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send a pending listing back to the farmer with a reason (the farmer's
        assistant, or staff)."""
        product = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            product_reject,
            field="reason",
            product=product,
            reason=serializer.validated_data["reason"],
        )
        return self._answer(product)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: ListingSerializer, 400: BAD_INPUT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="images",
        parser_classes=[MultiPartParser],
    )
    def add_image(self, request, pk=None):
        """Add a photo at the end; EXIF is stripped and renditions follow."""
        product = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            product_image_add,
            field="image",
            product=product,
            upload=serializer.validated_data["image"],
            changed_by=request.user,
        )
        return self._answer(product, status.HTTP_201_CREATED)

    @extend_schema(responses=ListingSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        url_path="review-queue",
        pagination_class=OldestSubmissionFirst,
    )
    def to_review(self, request):
        """Pending listings waiting for the user's review, oldest submission
        first (assistants: their farmers'; staff: all)."""
        return self.list(request)
