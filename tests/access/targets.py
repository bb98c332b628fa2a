"""What the matrix asks each URL about: the world's object in its parameters
(always someone's: the B1/F1/A/official-of-IN chain), its query string, and the
body of a write. Bodies are empty unless an empty one would hide who may write
(a form error for everyone in scope); then they are minimal and valid, and a
body that names an object (a farmer, a household, an address) names one of that
same chain, so another farmer, assistant or buyer is refused for naming it."""

import uuid
from datetime import timedelta

from django.utils import timezone

from orders.carts import cart_view
from orders.models import Cart
from tests.access.world import SURVEY_YEAR, png, register_csv
from tests.factories import SURVEY_FIGURES

# URL name → its parameters, given the world's objects `o` and the row's variant
# `v` (the action a slug names: orders:act[refund] → action="refund").
TARGETS = {
    "procurement:unit": lambda o, v: {"pk": o["unit1"].pk},
    "procurement:invite_new": lambda o, v: {"pk": o["unit1"].pk},
    "procurement:invite_withdraw": lambda o, v: {
        "pk": o["unit1"].pk,
        "invite_pk": o["invite"].pk,
    },
    "procurement:member_remove": lambda o, v: {
        "pk": o["unit1"].pk,
        "member_pk": o["unit_buyer"].pk,
    },
    "procurement:budget_set": lambda o, v: {"pk": o["unit1"].pk},
    "procurement:terms_set": lambda o, v: {"pk": o["unit1"].pk},
    "procurement:join": lambda o, v: {"token": o["invite_token"]},
    "procurement:staff_join": lambda o, v: {"token": o["staff_link"]},
    "procurement:staff_link_make": lambda o, v: {"pk": o["unit1"].pk},
    "procurement:transfer_receive": lambda o, v: {"pk": o["transfer"].pk},
    "procurement:transfer_refund_send": lambda o, v: {"pk": o["transfer_refund"].pk},
    "procurement:accept": lambda o, v: {"pk": o["o_unit"].unit_order.pk},
    "procurement:rate": lambda o, v: {"pk": o["unit_done"].pk},
    "procurement:invoice": lambda o, v: {"pk": o["unit_done"].pk},
    "procurement:invoice_upload": lambda o, v: {"pk": o["unit_done"].pk},
    "procurement:receipt": lambda o, v: {"pk": o["unit_done"].pk},
    "product": lambda o, v: {"pk": o["p1"].pk},
    "storefront": lambda o, v: {"slug": o["f1"].slug},
    "county": lambda o, v: {"code": o["county_in"].code},
    # A link that is not valid (a valid one only works for a farmer without a
    # password, and signs them in).
    "accounts:set_password": lambda o, v: {"uidb64": "MQ", "token": "x-y"},
    "catalogue:listing": lambda o, v: {"pk": o["p1"].pk},
    "catalogue:listing_quick": lambda o, v: {"pk": o["p1"].pk},
    "catalogue:listing_photo_add": lambda o, v: {"pk": o["p1"].pk},
    "catalogue:listing_photo_change": lambda o, v: {
        "pk": o["p1"].pk,
        "photo_pk": o["photo"].pk,
        "change": v,
    },
    "catalogue:listing_action": lambda o, v: {"pk": o["p1"].pk, "action": v},
    "farmers:register_import_preview": lambda o, v: {"pk": o["register_import"].pk},
    "fieldwork:farmer_detail": lambda o, v: {"pk": o["f1"].pk},
    "shipping:template": lambda o, v: {"farmer_pk": o["f1"].pk},
    "shipping:point": lambda o, v: {"pk": o["pickup_point"].pk},
    "aftersales:new": lambda o, v: {"order_pk": o["o1_received"].pk},
    "reviews:new": lambda o, v: {"line_pk": o["o1_done"].lines.get().pk},
    "reviews:reply": lambda o, v: {"pk": o["review"].pk},
    "reviews:hide": lambda o, v: {"pk": o["review"].pk},
    "aftersales:case": lambda o, v: {"pk": o["aftersale"].pk},
    "aftersales:move": lambda o, v: {"pk": o["aftersale"].pk, "action": v},
    "counties:division_children": lambda o, v: {"code": "420000"},
    "assistants:farmer_link": lambda o, v: {"pk": o["f1"].pk},
    "assistants:farmer_link_text": lambda o, v: {"pk": o["f1"].pk},
    "assistants:farmer_verify": lambda o, v: {"pk": o["f1"].pk},
    "assistants:household_exit": lambda o, v: {"pk": o["f1"].pk},
    "fieldwork:visit_new": lambda o, v: {"pk": o["f1"].pk},
    "fieldwork:visit_photo": lambda o, v: {"pk": o["visit1"].pk},
    "fieldwork:survey_new": lambda o, v: {"pk": o["f1"].pk},
    "fieldwork:survey_edit": lambda o, v: {"pk": o["survey1"].pk},
    "catalogue:review_decide": lambda o, v: {
        "pk": o["p1_pending"].pk,
        "decision": v,
    },
    "orders:cart_update": lambda o, v: {"product_id": o["cart_product"].pk},
    "settlement:assistant_farmer_account": lambda o, v: {"pk": o["f1"].pk},
    "settlement:assistant_verify": lambda o, v: {"pk": o["f1"].pk},
    "settlement:batch": lambda o, v: {"pk": o["batch"].pk},
    "settlement:batch_paid": lambda o, v: {"pk": o["batch"].pk},
    "settlement:batch_csv": lambda o, v: {"pk": o["batch"].pk},
    "settlement:batch_xlsx": lambda o, v: {"pk": o["batch"].pk},
    "settlement:payout_failed": lambda o, v: {"pk": o["payout"].pk},
    "earnings-detail": lambda o, v: {"pk": o["f1"].pk},
    "earnings-entries": lambda o, v: {"pk": o["f1"].pk},
    "earnings-payouts": lambda o, v: {"pk": o["f1"].pk},
    "orders:checkout_done": lambda o, v: {"pk": o["checkout"].pk},
    "orders:pay": lambda o, v: {"pk": o["checkout"].pk},
    "orders:gateway": lambda o, v: {"reference": o["payment"].reference},
    "orders:webhook": lambda o, v: {"provider": "simulated"},
    "orders:detail": lambda o, v: {"pk": o["o1"].pk},
    "orders:ship": lambda o, v: {"pk": o["o1"].pk},
    "orders:packing_slip": lambda o, v: {"pk": o["o1"].pk},
    "orders:act": lambda o, v: {"pk": o["o1"].pk, "action": v},
    "orders:mismatch_resolve": lambda o, v: {"pk": o["mismatch"].pk},
    "orders:mismatch_apply": lambda o, v: {"pk": o["mismatch"].pk},
    "orders:refund_retry": lambda o, v: {"pk": o["refund_owed"].pk},
    "reports:export": lambda o, v: {"pk": o["export"].pk},
    "reports:export_download": lambda o, v: {"pk": o["export"].pk},
    "farmer-detail": lambda o, v: {"pk": o["f1"].pk},
    "household-detail": lambda o, v: {"pk": o["household1"].pk},
    "catalogue-category-detail": lambda o, v: {"slug": o["category"].slug},
    "catalogue-product-detail": lambda o, v: {"pk": o["p1"].pk},
    "storefront-detail": lambda o, v: {"slug": o["f1"].slug},
    "listing-detail": lambda o, v: {"pk": o["p1"].pk},
    "listing-add-image": lambda o, v: {"pk": o["p1"].pk},
    "listing-submit": lambda o, v: {"pk": o["p1"].pk},
    "listing-archive": lambda o, v: {"pk": o["p1"].pk},
    "listing-restore": lambda o, v: {"pk": o["p1"].pk},
    "listing-approve": lambda o, v: {"pk": o["p1_pending"].pk},
    "listing-reject": lambda o, v: {"pk": o["p1_pending"].pk},
    "assignment-detail": lambda o, v: {"pk": o["assignment1"].pk},
    "training-detail": lambda o, v: {"pk": o["training1"].pk},
    "training-attendance": lambda o, v: {"pk": o["training1"].pk},
    "visit-detail": lambda o, v: {"pk": o["visit1"].pk},
    "survey-detail": lambda o, v: {"pk": o["survey1"].pk},
    "cart-detail": lambda o, v: {"product": o["cart_product"].pk},
    "address-detail": lambda o, v: {"pk": o["address1"].pk},
    "order-detail": lambda o, v: {"pk": o["o1"].pk},
    "order-cancel": lambda o, v: {"pk": o["o1"].pk},
    "order-complete": lambda o, v: {"pk": o["o1"].pk},
    "order-deliver": lambda o, v: {"pk": o["o1"].pk},
    "order-refund": lambda o, v: {"pk": o["o1"].pk},
    "order-ship": lambda o, v: {"pk": o["o1"].pk},
}


def _county_in(o):
    return {"county": o["county_in"].code}


# URL name → its query string: the reports are asked about county IN.
QUERIES = {
    "reports:home": _county_in,
    "reports:county_sales": _county_in,
    "reports:income_impact": _county_in,
    "reports:targeting_quality": _county_in,
    "reports:assistant_performance": _county_in,
    "reports:training_effect": _county_in,
    "api-county-sales": _county_in,
    "api-income-impact": _county_in,
    "api-targeting-quality": _county_in,
    "api-assistant-performance": _county_in,
    "api-training-effect": _county_in,
    "reports:unit_purchases": lambda o: {"unit": o["unit1"].pk},
    "api-unit-purchases": lambda o: {"unit": o["unit1"].pk},
    "reports:county_unit_purchases": _county_in,
    "api-county-unit-purchases": _county_in,
    "orders:wechat_oauth": lambda o: {"checkout": o["checkout"].pk},
}

SHIPPED = {"carrier": "other", "tracking_number": "E12345678"}
REASON = {"reason": "The photo is blurry."}


def _listing(o, category) -> dict:
    """A new listing for F1 (farmers list for themselves: `farmer` is ignored)."""
    return {
        "farmer": o["f1"].pk,
        "category": category,
        "title": "Wild honey",
        "description": "From the hills.",
        "unit": "bottle",
        "net_weight_kg": "0.5",
        "price": "48.00",
        "stock": 10,
    }


def _training(o) -> dict:
    return {
        "held_on": timezone.localdate().isoformat(),
        "hours": "2",
        "location": "村委会",
        "topics": ["pricing"],
        "farmers": [o["f1"].pk],
    }


def _checkout(o) -> dict:
    """Placing B1's cart to B1's address, as B1's checkout page shows it."""
    cart = Cart.objects.get(buyer=o["address1"].buyer)
    return {
        "place": "1",
        "address": o["address1"].pk,
        "provider": "simulated",
        "idempotency_key": str(uuid.uuid4()),
        "quote": cart_view(cart, to=o["address1"].province).quote,
    }


def _point(o, name) -> dict:
    """A pickup point in F1's county (another county's official may not name it)."""
    return {
        "county": o["county_in"].pk,
        "name": name,
        "kind": "shop",
        "address": "县城人民路 1 号",
        "opening_hours": "每天 9:00–21:00",
        "active": "on",
    }


def _survey(o) -> dict:
    return {
        "household": o["household1"].pk,
        "year": SURVEY_YEAR - 1,  # the world has SURVEY_YEAR's
        **{name: str(value) for name, value in SURVEY_FIGURES.items()},
    }


def _price(o) -> dict:
    """P1's price changed, its stock as the form showed it."""
    return {"price": "70.00", "stock": 20, "stock_seen": 20}


# (row, method) → the body (made afresh for each request: files are read once);
# every other write is sent empty.
BODIES = {
    ("procurement:unit_new", "POST"): lambda o: {
        "name": "县第一中学",
        "kind": "school",
        "county": o["county_in"].pk,
    },
    ("procurement:invite_new", "POST"): lambda o: {"role": "buyer"},
    ("procurement:rate", "POST"): lambda o: {"stars": "4", "comment": "准时"},
    ("procurement:transfer_refund_send", "POST"): lambda o: {"bank_reference": "R0001"},
    ("procurement:invoice_upload", "POST"): lambda o: {
        "number": "FP0002",
        "issued_by": "合作社",
        "file": png("invoice.png"),
    },
    ("procurement:checkout", "POST"): lambda o: {
        "address": o["unit_cart"].buyer.addresses.get().pk,
        "deliver_by": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "purchase_reference": "CG-2",
        "idempotency_key": str(uuid.uuid4()),
        "quote": cart_view(o["unit_cart"]).quote,
    },
    ("procurement:transfer_receive", "POST"): lambda o: {
        "bank_reference": "B20261203001",
        "amount": str(o["transfer"].amount),
    },
    ("procurement:terms_set", "POST"): lambda o: {"pays_on_account": "on"},
    ("procurement:budget_set", "POST"): lambda o: {
        "year": SURVEY_YEAR + 1,
        "amount": "120000.00",
    },
    ("accounts:sign_up", "POST"): lambda o: {
        "username": "newbuyer",
        "email": "newbuyer@example.com",
        "password1": "correct-horse-battery-9",
        "password2": "correct-horse-battery-9",
    },
    # F1's storefront settings (farmer2 sending them for their own shop is refused:
    # the slug is F1's).
    ("farmers:storefront", "POST"): lambda o: {
        "shop_name": "Renamed shop",
        "slug": o["f1"].slug,
        "story": "",
        "phone": o["f1"].phone,
    },
    ("catalogue:listing", "POST"): lambda o: {
        **_listing(o, o["category"].pk),
        **_price(o),
    },
    ("catalogue:listing_quick", "POST"): _price,
    ("catalogue:listing_photo_add", "POST"): lambda o: {"photo": png("new.png")},
    ("farmers:register_import", "POST"): lambda o: {
        "file": register_csv(o["county_in"], o["f1"].household.village)
    },
    ("fieldwork:visit_new", "POST"): lambda o: {
        "visited_on": timezone.localdate().isoformat(),
        "purpose": "survey",
    },
    ("fieldwork:survey_new", "POST"): _survey,
    ("catalogue:listing_new", "POST"): lambda o: _listing(o, o["category"].pk),
    ("fieldwork:training_new", "POST"): _training,
    # A second farmer in F1's household (open to F1's assistant only).
    ("assistants:farmer_new", "POST"): lambda o: {
        "farmer-full_name": "王六",
        "farmer-phone": "13700000001",
        "farmer-username": "wangliu",
        "farmer-shop_name": "王六的店",
        "farmer-slug": "wang-liu",
        "farmer-household_choice": "existing",
        "farmer-existing_household": o["household1"].pk,
    },
    ("orders:checkout", "POST"): _checkout,
    ("aftersales:new", "POST"): lambda o: {
        "kind": "return",
        "reason": "damaged",
        f"line_{o['o1_received'].lines.get().pk}": "1",
    },
    ("aftersales:move[refuse]", "POST"): lambda o: {"note": "没有破损"},
    ("reviews:new", "POST"): lambda o: {"rating": "5", "comment": "好"},
    ("reviews:reply", "POST"): lambda o: {"text": "谢谢"},
    ("reviews:hide", "POST"): lambda o: {"reason": "辱骂"},
    ("aftersales:move[withdraw]", "POST"): lambda o: {"note": ""},
    ("shipping:point_new", "POST"): lambda o: _point(o, "县城超市自提点"),
    ("shipping:point", "POST"): lambda o: _point(o, "石板村服务站"),
    ("shipping:template", "POST"): lambda o: {
        "charge_by": "weight",
        "first": "9.00",
        "additional": "4.00",
        "free_over": "",
        "group-TOTAL_FORMS": "1",
        "group-INITIAL_FORMS": "0",
        "group-0-provinces": ["540000", "650000"],
        "group-0-first": "20.00",
        "group-0-additional": "12.00",
    },
    ("listing-list", "POST"): lambda o: _listing(o, o["category"].slug),
    ("training-list", "POST"): _training,
    ("visit-list", "POST"): lambda o: {
        "household": o["household1"].pk,
        "visited_on": timezone.localdate().isoformat(),
        "purpose": "survey",
    },
    ("survey-list", "POST"): _survey,
    ("address-list", "POST"): lambda o: {
        "recipient": "王芳",
        "phone": "13900000000",
        "division": "420111",
        "street": "珞喻路 2 号",
    },
    ("checkout-list", "POST"): _checkout,
    ("set_language", "POST"): lambda o: {"language": "en"},
    ("assistants:household_exit", "POST"): lambda o: {
        "exited_on": "2020-12-31",
        "reason": "Income above the line for two years.",
    },
    ("fieldwork:survey_edit", "POST"): lambda o: {
        **{name: str(value) for name, value in SURVEY_FIGURES.items()},
        "living_costs": "5100.00",
    },
    ("assistants:assignment_list", "POST"): lambda o: {
        "farmers": [o["f1"].pk],
        "assistant": o["assignment2"].assistant_id,
    },
    ("catalogue:review_decide[reject]", "POST"): lambda o: REASON,
    ("orders:cart_add", "POST"): lambda o: {"product": o["p1"].pk, "quantity": 1},
    ("orders:cart_update", "POST"): lambda o: {"quantity": 2},
    ("orders:ship", "POST"): lambda o: SHIPPED,
    ("orders:mismatch_resolve", "POST"): lambda o: {"note": "Checked with the bank."},
    ("settlement:assistant_verify", "POST"): lambda o: {
        "seen": o["payout_account"].entered_at.isoformat()
    },
    ("settlement:account_confirm", "POST"): lambda o: {
        "seen": o["payout_account"].entered_at.isoformat()
    },
    ("reports:export_new", "POST"): lambda o: {
        "report": "county_sales",
        "format": "csv",
        **_county_in(o),
    },
    ("listing-detail", "PATCH"): lambda o: {"price": "70.00"},
    ("listing-reject", "POST"): lambda o: REASON,
    ("listing-add-image", "POST"): lambda o: {"image": png("new.png")},
    # Nobody attended after all: f1's attendance is deleted (a real write).
    ("training-attendance", "PUT"): lambda o: {"farmers": []},
    ("cart-list", "POST"): lambda o: {"product": o["p1"].pk, "quantity": 1},
    ("cart-detail", "PATCH"): lambda o: {"quantity": 2},
    ("order-ship", "POST"): lambda o: SHIPPED,
}
# API routes that read a multipart form (a file upload), not JSON.
MULTIPART = {"listing-add-image"}
