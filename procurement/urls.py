"""URLs of work units, under /units/."""

from django.urls import path

from procurement.views import deliveries, staff, units

app_name = "procurement"

urlpatterns = [
    path("", units.home, name="home"),
    path("all/", units.unit_list, name="units"),
    path("new/", units.unit_new, name="unit_new"),
    path("join/<str:token>/", units.join, name="join"),
    path("checkout/", units.unit_checkout, name="checkout"),
    path("transfers/", units.transfers, name="transfers"),
    path("transfers/<id:pk>/", units.transfer_receive, name="transfer_receive"),
    path("transfers/refunds/", units.transfer_refunds, name="transfer_refunds"),
    path(
        "transfers/refunds/<id:pk>/",
        units.transfer_refund_send,
        name="transfer_refund_send",
    ),
    path("<id:pk>/", units.unit, name="unit"),
    path("<id:pk>/invite/", units.invite_new, name="invite_new"),
    path(
        "<id:pk>/invites/<id:invite_pk>/withdraw/",
        units.invite_withdraw,
        name="invite_withdraw",
    ),
    path(
        "<id:pk>/members/<id:member_pk>/remove/",
        units.member_remove,
        name="member_remove",
    ),
    path("<id:pk>/budget/", units.budget_set, name="budget_set"),
    path("<id:pk>/terms/", units.terms_set, name="terms_set"),
    path("<id:pk>/staff-link/", staff.staff_link_make, name="staff_link_make"),
    path("staff/<str:token>/", staff.staff_join, name="staff_join"),
    path("orders/<id:pk>/accept/", deliveries.accept, name="accept"),
    path("orders/<id:pk>/rate/", deliveries.rate, name="rate"),
    path("orders/<id:pk>/invoice/", deliveries.invoice_download, name="invoice"),
    path(
        "orders/<id:pk>/invoice/upload/",
        deliveries.invoice_upload,
        name="invoice_upload",
    ),
    path("orders/<id:pk>/receipt/", deliveries.receipt, name="receipt"),
    path("supplied/", deliveries.supplied, name="supplied"),
]
