"""Bad input to orders: the checkout, the cart, shipping and cancelling, on the
pages and through the API, and the payment webhook."""

import pytest

from tests.bad_input.cases import (
    API_NOT_AN_INTEGER,
    BAD_CHOICE,
    BAD_PHONE,
    BAD_TRACKING,
    CANCEL,
    CART_ADD,
    CART_LINE,
    CHECKOUT,
    MB,
    NOT_A_WHOLE_NUMBER,
    NUL,
    RLO,
    SCRIPT,
    SHIP,
    api,
    api_too_long,
    assert_refused_and_unchanged,
    assert_saved,
    page,
    too_long,
    valid_counterparts,
)

pytestmark = pytest.mark.django_db

# fmt: off
CASES = [
    # Checkout: a new address, and placing the order (buyer).
    page("checkout: phone with RTL override", "buyer", CHECKOUT, "address",
         {"phone": f"138{RLO}00000000"}, BAD_PHONE),
    page("checkout: recipient over 40", "buyer", CHECKOUT, "address",
         {"recipient": "李" * 41}, too_long(40, 41)),
    page("checkout: street with NUL", "buyer", CHECKOUT, "address",
         {"street": "珞喻路\x00"}, NUL),
    page("checkout: a city of another province", "buyer", CHECKOUT, "address",
         {"city": "110100", "district": "110105"}, BAD_CHOICE),
    page("checkout: a province and no city", "buyer", CHECKOUT, "address",
         {"city": "", "district": ""}, "Choose the city and the district too."),
    page("checkout: no province", "buyer", CHECKOUT, "address",
         {"province": "", "city": "", "district": ""}, "This field is required."),
    page("checkout: a quote over 20000", "buyer", CHECKOUT, "place",
         {"quote": "q" * 20001}, too_long(20000, 20001)),
    page("checkout: address id of 20 digits", "buyer", CHECKOUT, "place",
         {"address": "9" * 20}, BAD_CHOICE),
    page("checkout: idempotency key not a UUID", "buyer", CHECKOUT, "place",
         {"idempotency_key": SCRIPT}, "Enter a valid UUID."),
    # Cart (buyer).
    page("cart add: negative quantity", "buyer", CART_ADD, "cart_add",
         {"quantity": "-1"}, "The quantity cannot be negative."),
    page("cart add: quantity 1e30", "buyer", CART_ADD, "cart_add",
         {"quantity": "1e30"}, NOT_A_WHOLE_NUMBER),
    page("cart add: quantity NaN", "buyer", CART_ADD, "cart_add",
         {"quantity": "NaN"}, NOT_A_WHOLE_NUMBER),
    page("cart add: 10,000 at once", "buyer", CART_ADD, "cart_add",
         {"quantity": "10000"}, "At most 9999 at a time."),
    page("cart add: product id of 20 digits", "buyer", CART_ADD, "cart_add",
         {"product": "9" * 20}, "Ensure this value is less than or equal to"),
    page("cart line: quantity -5", "buyer", CART_LINE, "quantity",
         {"quantity": "-5"}, "The quantity cannot be negative."),
    page("cart line: quantity Infinity", "buyer", CART_LINE, "quantity",
         {"quantity": "Infinity"}, NOT_A_WHOLE_NUMBER),
    # Shipping and order actions.
    page("ship: tracking number with RTL override", "farmer", SHIP, "ship",
         {"tracking_number": f"E1234{RLO}5678"}, BAD_TRACKING),
    page("ship: tracking number is a script", "farmer", SHIP, "ship",
         {"tracking_number": SCRIPT}, BAD_TRACKING),
    page("ship: a carrier not on the list", "farmer", SHIP, "ship",
         {"carrier": "c" * 41}, BAD_CHOICE),
    page("ship: carrier with NUL", "farmer", SHIP, "ship",
         {"carrier": "ems\x00"}, BAD_CHOICE),
    page("ship: an SF number for EMS", "farmer", SHIP, "ship",
         {"tracking_number": "SF1234567890123"}, BAD_TRACKING),
    page("cancel: a note over 200", "buyer", CANCEL, "cancel",
         {"note": "n" * 201}, too_long(200, 201)),
    # --- The API -----------------------------------------------------------------
    api("api cart: JSON nested 100,000 deep", "buyer", "post", "/api/cart/",
        "api_cart", {}, "JSON parse error - nested too deeply.",
        raw="[" * 100_000 + "]" * 100_000),
    api("api cart: a NaN literal in the JSON", "buyer", "post", "/api/cart/",
        "api_cart", {}, "Out of range float values are not JSON compliant",
        raw='{"product": 1, "quantity": NaN}'),
    api("api cart: malformed JSON", "buyer", "post", "/api/cart/", "api_cart", {},
        "JSON parse error", raw='{"product": 1, "quantity": '),
    api("api cart: a list instead of an object", "buyer", "post", "/api/cart/",
        "api_cart", {}, "Invalid data. Expected a dictionary, but got list.",
        raw="[]"),
    api("api cart: negative quantity", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": -1},
        "Ensure this value is greater than or equal to 1."),
    api("api cart: quantity NaN", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": "NaN"}, API_NOT_AN_INTEGER),
    api("api cart: quantity 1e30", "buyer", "post", "/api/cart/",
        "api_cart", {"quantity": 1e30}, API_NOT_AN_INTEGER),
    api("api cart: product id of 20 digits", "buyer", "post", "/api/cart/",
        "api_cart", {"product": int("9" * 20)},
        "Ensure this value is less than or equal to 9223372036854775807."),
    api("api cart: line set to 10,000", "buyer", "patch", "/api/cart/{product}/",
        "api_quantity", {"quantity": 10000},
        "Ensure this value is less than or equal to 9999."),
    api("api cart: CSRF token wrong", "buyer", "post", "/api/cart/",
        "api_cart", {}, "CSRF Failed", 403, csrf="wrong"),
    api("api address: phone with RTL override", "buyer", "post",
        "/api/addresses/", "api_address", {"phone": f"138{RLO}00000000"}, BAD_PHONE),
    api("api address: recipient with NUL", "buyer", "post", "/api/addresses/",
        "api_address", {"recipient": "李\x00"}, NUL),
    api("api address: street of 1 MB", "buyer", "post", "/api/addresses/",
        "api_address", {"street": "s" * MB}, api_too_long(200)),
    api("api checkout: idempotency key not a UUID", "buyer", "post",
        "/api/checkouts/", "api_checkout", {"idempotency_key": "tomorrow"},
        "Must be a valid UUID."),
    api("api checkout: a quote over 20000", "buyer", "post", "/api/checkouts/",
        "api_checkout", {"quote": "q" * 20001}, api_too_long(20000)),
    api("api checkout: address id of 20 digits", "buyer", "post",
        "/api/checkouts/", "api_checkout", {"address": int("9" * 20)},
        "Ensure this value is less than or equal to 9223372036854775807."),
    api("api order: tracking number with RTL override", "farmer", "post",
        "/api/orders/{order}/ship/", "api_ship",
        {"tracking_number": f"E1234{RLO}5678"}, BAD_TRACKING),
    api("api order: carrier with NUL", "farmer", "post",
        "/api/orders/{order}/ship/", "api_ship", {"carrier": "ems\x00"},
        "is not a valid choice."),
    api("api order: cancel note over 200", "buyer", "post",
        "/api/orders/{order}/cancel/", "api_cancel", {"note": "n" * 201},
        api_too_long(200)),
    api("payment webhook: unsigned, amount NaN", "anonymous", "post",
        "/orders/webhooks/simulated/", "query",
        {"reference": SCRIPT, "amount": "NaN", "nonce": "\x00"}, "bad signature"),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, case):
    assert_refused_and_unchanged(world, case)


@pytest.mark.parametrize("case", valid_counterparts(CASES), ids=str)
def test_each_forms_valid_payload_is_saved(world, case):
    """So every case above fails for its one bad value, and for nothing else."""
    assert_saved(world, case)
