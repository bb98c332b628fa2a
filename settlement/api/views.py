"""Earnings API: the farmer's own earnings, and an assistant's farmers' (those
assigned to them), as /farmer/earnings/ shows them; read only. Staff read any
farmer's; buyers and officials get 403."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Role
from assistants.selectors import farmers_visible_to
from common.api import Cursor
from common.web import IdConverter
from settlement import selectors
from settlement.api.serializers import (
    EarningsSerializer,
    EntrySerializer,
    FarmerBalanceSerializer,
    PayoutSerializer,
)


class EarningsRoles(BasePermission):
    ROLES = {Role.FARMER, Role.ASSISTANT, Role.STAFF}

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role in self.ROLES)


class ByPosting(Cursor):
    ordering = ("-entry_id", "-pk")
    page_size = 50


class ByPayout(Cursor):
    ordering = "-pk"
    page_size = 50


class EarningsViewSet(viewsets.GenericViewSet):
    """`/api/earnings/`: the farmers the user may see with their balances;
    `/api/earnings/{farmer}/`: one farmer's totals and payout account, with
    `entries/` and `payouts/`."""

    permission_classes = [EarningsRoles]
    lookup_value_regex = IdConverter.regex
    serializer_class = FarmerBalanceSerializer

    def get_queryset(self):
        return selectors.with_balances(farmers_visible_to(self.request.user))

    def _farmer(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-pk"))
        return self.get_paginated_response(
            FarmerBalanceSerializer(page, many=True).data
        )

    @extend_schema(responses=EarningsSerializer)
    def retrieve(self, request, pk=None):
        farmer = self._farmer(pk)
        figures = selectors.earnings_of(farmer)
        account = selectors.payout_account_of(farmer)
        farmer.payout_account = account
        body = {
            "farmer": farmer,
            **figures.__dict__,
            "hold_reason": selectors.hold_reason(farmer, figures.available),
            "payout_account": account,
        }
        return Response(EarningsSerializer(body).data)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=ByPosting)
    def entries(self, request, pk=None):
        """The farmer's ledger postings, newest first."""
        rows = selectors.entries_of(self._farmer(pk)).order_by()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(responses=PayoutSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=ByPayout)
    def payouts(self, request, pk=None):
        """The farmer's payouts, newest first."""
        rows = selectors.payouts_of(self._farmer(pk)).order_by()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PayoutSerializer(page, many=True).data)
