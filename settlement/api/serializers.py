"""Serializers of the earnings API: a farmer's totals and payout account (masked),
their ledger entries and their payouts. Money is a string of yuan to the fen."""

from rest_framework import serializers


class PayoutAccountSerializer(serializers.Serializer):
    method = serializers.CharField()
    holder_name = serializers.CharField()
    bank_name = serializers.CharField()
    number = serializers.CharField(source="masked", help_text="Masked: the end only.")
    verified = serializers.BooleanField()
    verified_at = serializers.DateTimeField(allow_null=True)


class EarningsSerializer(serializers.Serializer):
    farmer = serializers.IntegerField(source="farmer.pk")
    shop_name = serializers.CharField(source="farmer.shop_name")
    pending = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_out = serializers.DecimalField(max_digits=14, decimal_places=2)
    earned_this_month = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_out_this_month = serializers.DecimalField(max_digits=14, decimal_places=2)
    hold_reason = serializers.CharField(help_text="Empty unless a payout is held.")
    payout_account = PayoutAccountSerializer(allow_null=True)


class FarmerBalanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    shop_name = serializers.CharField()
    pending = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField(source="entry.kind")
    at = serializers.DateTimeField(source="entry.at")
    order = serializers.IntegerField(source="entry.order_id", allow_null=True)
    account = serializers.CharField(source="account.kind")
    amount = serializers.DecimalField(
        source="to_farmer",
        max_digits=12,
        decimal_places=2,
        help_text="To the farmer (positive) or taken back or paid out (negative).",
    )


class PayoutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    batch = serializers.IntegerField(source="batch_id")
    created_at = serializers.DateTimeField(source="batch.created_at")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    method = serializers.CharField()
    number = serializers.CharField(source="masked")
    status = serializers.CharField()
    bank_reference = serializers.CharField(source="batch.bank_reference")
    failed_reason = serializers.CharField()
