"""Serializers of the orders API: they validate input and shape output; the
services in orders/ decide."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from common.money import MONEY
from counties.models import Division
from orders.forms import phone_validator
from orders.models import (
    MAX_QUANTITY,
    Address,
    Order,
    OrderEvent,
    OrderLine,
    PaymentProviderCode,
    Shipment,
)
from orders.selectors import SHIP_WITHIN_HOURS
from shipping.carriers import carrier_choices, tracking_clean

ID = {"min_value": 1, "max_value": 2**63 - 1}


class CartLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    title = serializers.CharField(source="product.title")
    quantity = serializers.IntegerField()
    price = serializers.DecimalField(**MONEY)
    price_when_added = serializers.DecimalField(
        source="item.price_seen", max_digits=12, decimal_places=2
    )
    price_changed = serializers.BooleanField()
    total = serializers.DecimalField(**MONEY)
    problems = serializers.ListField(child=serializers.CharField())


class StoreGroupSerializer(serializers.Serializer):
    storefront = serializers.CharField(source="farmer.slug")
    shop_name = serializers.CharField(source="farmer.shop_name")
    lines = CartLineSerializer(many=True)
    goods = serializers.DecimalField(**MONEY)
    shipping = serializers.DecimalField(
        allow_null=True,
        help_text="The fee to the address asked for (?address=); null without "
        "one, or where the storefront does not deliver.",
        **MONEY,
    )
    delivers = serializers.BooleanField()
    total = serializers.DecimalField(**MONEY)


# One cart, not a list of them, though GET /api/cart/ is the "list" route.
@extend_schema_serializer(many=False)
class CartSerializer(serializers.Serializer):
    groups = StoreGroupSerializer(many=True)
    goods = serializers.DecimalField(**MONEY)
    shipping = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    blocked = serializers.BooleanField(
        help_text="Something cannot be bought as it stands: see each line's problems."
    )
    quote = serializers.CharField(
        help_text="Send this back with the checkout: what the buyer was shown."
    )


class CartAddSerializer(serializers.Serializer):
    product = serializers.IntegerField(**ID)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class CartQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, help_text="0 removes the line."
    )


class AddressSerializer(serializers.ModelSerializer):
    division = serializers.RegexField(
        r"^[0-9]{6}$",
        required=False,
        allow_null=True,
        help_text="The district's administrative code (a city's or a province's "
        "with none below it); or send `region` as text, located best effort.",
    )

    def validate_division(self, code):
        if code is None:
            return None
        division = Division.objects.filter(pk=code).first()
        if division is None:
            raise serializers.ValidationError("No division has this code.")
        return division

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["division"] = instance.division_id
        return data

    class Meta:
        model = Address
        fields = ["id", "recipient", "phone", "division", "region", "street"]
        extra_kwargs = {
            "phone": {"validators": [phone_validator]},
            "region": {"required": False},
        }


class CheckoutSerializer(serializers.Serializer):
    address = serializers.IntegerField(**ID)
    provider = serializers.ChoiceField(
        choices=PaymentProviderCode.choices,
        help_text="One of the payment methods this site has turned on.",
    )
    idempotency_key = serializers.UUIDField(
        help_text="A fresh UUID per checkout; sending it again places nothing twice."
    )
    quote = serializers.CharField(max_length=20000, allow_blank=True)


class PlacedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)
    orders = serializers.ListField(child=serializers.IntegerField())
    pay_url = serializers.CharField(allow_null=True)


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["product", "title", "unit", "unit_price", "quantity", "line_total"]


class OrderEventSerializer(serializers.ModelSerializer):
    # None for the platform's own events (payment, expiry).
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True
    )

    class Meta:
        model = OrderEvent
        fields = ["type", "actor", "created_at", "note"]


class ShipmentSerializer(serializers.ModelSerializer):
    carrier_name = serializers.CharField(read_only=True)
    tracking_link = serializers.CharField(
        read_only=True, help_text="The carrier's tracking page; empty for another."
    )

    class Meta:
        model = Shipment
        fields = [
            "carrier",
            "carrier_name",
            "tracking_number",
            "tracking_link",
            "shipped_at",
        ]


class OrderSerializer(serializers.ModelSerializer):
    storefront = serializers.CharField(source="farmer.slug")
    lines = OrderLineSerializer(many=True)
    overdue = serializers.BooleanField(
        help_text=f"Paid over {SHIP_WITHIN_HOURS} hours ago and not shipped."
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "checkout",
            "storefront",
            "status",
            "total",
            "placed_at",
            "expires_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "closed_at",
            "overdue",
            "lines",
        ]


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True)
    shipment = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "recipient",
            "phone",
            "shipping_address",
            "events",
            "shipment",
        ]

    @extend_schema_field(ShipmentSerializer(allow_null=True))
    def get_shipment(self, order):
        shipment = getattr(order, "shipment", None)
        return ShipmentSerializer(shipment).data if shipment else None


class ShipSerializer(serializers.Serializer):
    carrier = serializers.ChoiceField(choices=carrier_choices())
    tracking_number = serializers.CharField(max_length=40)

    def validate(self, attrs):
        try:
            number = tracking_clean(attrs["carrier"], attrs["tracking_number"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {"tracking_number": error.messages}
            ) from error
        return {**attrs, "tracking_number": number}


class CancelSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
