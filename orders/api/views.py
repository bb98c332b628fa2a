"""Orders API: the cart, the address book and checkout (buyers), and orders, scoped
as the pages are: buyers their own, farmers their storefront's, assistants their
farmers', officials their counties', staff all. Every write calls a service."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, Value
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import IsBuyer
from accounts.throttles import WriteThrottle
from common.api import call_service
from common.api_schema import ErrorSerializer
from common.web import IdConverter
from orders import selectors
from orders.api.serializers import (
    AddressSerializer,
    CancelSerializer,
    CartAddSerializer,
    CartQuantitySerializer,
    CartSerializer,
    CheckoutSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    PlacedSerializer,
    ShipSerializer,
)
from orders.carts import cart_view
from orders.models import Cart, OrderStatus
from orders.providers.base import Buyer
from orders.services import transitions
from orders.services.cart import cart_add, cart_remove, cart_set_quantity
from orders.services.checkout import address_add, checkout_place
from orders.services.payments import payment_start


def _buyer_cart(user) -> Cart:
    return Cart.objects.get_or_create(buyer=user)[0]


class CartViewSet(viewsets.GenericViewSet):
    """The signed-in buyer's cart, grouped by storefront, with current prices and
    each line's problems. Items are addressed by product id."""

    permission_classes = [IsBuyer]
    serializer_class = CartSerializer
    pagination_class = None
    lookup_field = "product"
    lookup_value_regex = "[0-9]{1,18}"
    queryset = Cart.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "address",
                int,
                description="One of the buyer's addresses: the shipping fees to it "
                "(and a quote that includes them).",
            )
        ]
    )
    def list(self, request):
        cart = Cart.objects.filter(buyer=request.user).first()
        address = (
            selectors.fees_address(
                selectors.addresses_of(request.user), request.query_params
            )
            if "address" in request.query_params
            else None
        )
        to = address.province if address else None
        return Response(CartSerializer(cart_view(cart, to=to)).data)

    @extend_schema(request=CartAddSerializer, responses=CartSerializer)
    def create(self, request):
        """Add a quantity of a product (on top of what the cart holds)."""
        data = CartAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = _buyer_cart(request.user)
        call_service(
            cart_add,
            field="quantity",
            cart=cart,
            product_id=data.validated_data["product"],
            quantity=data.validated_data["quantity"],
        )
        return Response(CartSerializer(cart_view(cart)).data, status.HTTP_201_CREATED)

    @extend_schema(request=CartQuantitySerializer, responses=CartSerializer)
    def partial_update(self, request, product):
        """Set a line's quantity; 0 removes it."""
        data = CartQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = _buyer_cart(request.user)
        call_service(
            cart_set_quantity,
            field="quantity",
            cart=cart,
            product_id=int(product),
            quantity=data.validated_data["quantity"],
        )
        return Response(CartSerializer(cart_view(cart)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, product):
        cart_remove(cart=_buyer_cart(request.user), product_id=int(product))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The buyer's address book."""

    permission_classes = [IsBuyer]
    serializer_class = AddressSerializer
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return selectors.addresses_of(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = call_service(
            address_add, buyer=self.request.user, **serializer.validated_data
        )


class CheckoutViewSet(viewsets.GenericViewSet):
    """Place the cart: one order per storefront. Send the cart's `quote` (what the
    buyer was shown) and a fresh `idempotency_key`; the same key again returns
    the first checkout and places nothing."""

    permission_classes = [IsBuyer]
    serializer_class = CheckoutSerializer
    throttle_classes = [WriteThrottle]
    throttle_scope = "checkout"

    def get_queryset(self):
        return selectors.checkouts_of(self.request.user)

    @extend_schema(
        request=CheckoutSerializer,
        responses={
            201: PlacedSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="The address is not one of the buyer's."
            ),
        },
    )
    def create(self, request):
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = get_object_or_404(
            selectors.addresses_of(request.user), pk=data.validated_data["address"]
        )
        placed = call_service(
            checkout_place,
            buyer=request.user,
            cart=Cart.objects.filter(buyer=request.user).first(),
            address=address,
            provider=data.validated_data["provider"],
            idempotency_key=data.validated_data["idempotency_key"],
            quote=data.validated_data["quote"],
        )
        try:
            start = payment_start(checkout=placed, buyer=Buyer.of(request))
        except DjangoValidationError:
            start = None
        pay_url = start.redirect_url if start else None
        body = {
            "id": placed.pk,
            "total": placed.total,
            "orders": list(placed.orders.values_list("pk", flat=True)),
            "pay_url": request.build_absolute_uri(pay_url) if pay_url else None,
        }
        return Response(PlacedSerializer(body).data, status.HTTP_201_CREATED)


# An order action answers with the order; 409 when its status does not allow it.
ORDER_MOVED = {
    200: OrderDetailSerializer,
    409: OpenApiResponse(
        ErrorSerializer, description="The order's status does not allow this."
    ),
}


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Orders in the caller's scope, newest first; an order out of scope is a 404
    for every method. Actions follow the order's status and the caller's part in
    it (409 when the status does not allow it, 403 when the role does not)."""

    filterset_class = OrderFilter
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        orders = selectors.orders_visible_to(self.request.user)
        if self.action == "list":
            return selectors.for_list(orders)
        return (
            orders.select_related("shipment", "farmer__user")
            .prefetch_related("lines", "events__actor")
            .annotate(overdue=Value(False, output_field=BooleanField()))
        )

    def get_serializer_class(self):
        return OrderSerializer if self.action == "list" else OrderDetailSerializer

    def _act(self, service, **kwargs):
        call_service(
            service,
            conflicts={"illegal_transition"},
            forbidden={"not_allowed"},
            order=self.get_object(),
            actor=self.request.user,
            **kwargs,
        )
        return Response(OrderDetailSerializer(self.get_object()).data)

    @extend_schema(request=CancelSerializer, responses=ORDER_MOVED)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(transitions.order_cancel, **data.validated_data)

    @extend_schema(request=ShipSerializer, responses=ORDER_MOVED)
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        data = ShipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(transitions.order_ship, **data.validated_data)

    @extend_schema(request=None, responses=ORDER_MOVED)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._act(transitions.order_deliver)

    @extend_schema(request=CancelSerializer, responses=ORDER_MOVED)
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """Staff: refund a paid order (the money and the stock go back)."""
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(transitions.order_refund, **data.validated_data)

    @extend_schema(request=None, responses=ORDER_MOVED)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The buyer confirms receipt."""
        return self._act(transitions.order_complete)
