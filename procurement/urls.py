"""URLs of work units, under /units/."""

from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.home, name="home"),
    path("all/", views.unit_list, name="units"),
    path("new/", views.unit_new, name="unit_new"),
    path("join/<str:token>/", views.join, name="join"),
    path("checkout/", views.unit_checkout, name="checkout"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<id:pk>/", views.transfer_receive, name="transfer_receive"),
    path("<id:pk>/", views.unit, name="unit"),
    path("<id:pk>/invite/", views.invite_new, name="invite_new"),
    path(
        "<id:pk>/invites/<id:invite_pk>/withdraw/",
        views.invite_withdraw,
        name="invite_withdraw",
    ),
    path(
        "<id:pk>/members/<id:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<id:pk>/budget/", views.budget_set, name="budget_set"),
    path("orders/<id:pk>/accept/", views.accept, name="accept"),
]
