"""URLs of settlement: the farmer's earnings, the assistant's farmers' money, the
staff's payout batches, and payouts by county."""

from django.urls import path

from settlement.views import assistant, counties, earnings, staff

app_name = "settlement"

urlpatterns = [
    path("farmer/earnings/", earnings.earnings, name="earnings"),
    path("farmer/earnings/account/", earnings.account_edit, name="account_edit"),
    path(
        "farmer/earnings/account/confirm/",
        earnings.account_confirm,
        name="account_confirm",
    ),
    path("assistant/earnings/", assistant.farmers_money, name="assistant_farmers"),
    path(
        "assistant/earnings/<id:pk>/account/",
        assistant.farmer_account,
        name="assistant_farmer_account",
    ),
    path(
        "assistant/earnings/<id:pk>/verify/",
        assistant.farmer_account_verify,
        name="assistant_verify",
    ),
    path("staff/payouts/", staff.batches, name="batches"),
    path("staff/payouts/run/", staff.run, name="run"),
    path("staff/payouts/<id:pk>/", staff.batch, name="batch"),
    path("staff/payouts/<id:pk>/paid/", staff.batch_paid, name="batch_paid"),
    path(
        "staff/payouts/<id:pk>/file.csv",
        staff.batch_file,
        {"kind": "csv"},
        name="batch_csv",
    ),
    path(
        "staff/payouts/<id:pk>/file.xlsx",
        staff.batch_file,
        {"kind": "xlsx"},
        name="batch_xlsx",
    ),
    path("staff/payouts/failed/<id:pk>/", staff.payout_failed, name="payout_failed"),
    path("reports/payouts/", counties.county_payouts, name="county_payouts"),
]
