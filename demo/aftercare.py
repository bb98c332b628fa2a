"""The demo's reviews and after-sales: buyers' reviews of lines of completed
orders (mostly good, some not), and one return asked about, waiting for the
farmer, on a recent order still in its window. Neither changes a sales
figure: a review counts nothing, and the case is not decided."""

import random

from aftersales.models import AfterSale
from aftersales.selectors import lines_to_ask, may_ask
from aftersales.services import aftersale_request
from orders.models import Order, OrderLine, OrderStatus
from reviews.models import Review
from reviews.services import review_write

REVIEWS = 40
STARS = [5, 4, 3, 2, 1]
STARS_WEIGHTS = [55, 28, 9, 5, 3]
# What buyers write, by their stars (their own words: not translated).
COMMENTS = {
    5: ["很新鲜，家里人都说好吃", "包装很用心，物流也快", "支持家乡农产品，会回购"],
    4: ["味道不错，就是快递慢了一点", "分量足，价格实在"],
    3: ["一般，和描述差不多", "有几个压坏了，其他还好"],
    2: ["不太新鲜，希望改进"],
    1: ["收到时已经坏了不少"],
}
CASE_DETAILS = "袋子破了，撒了一些"  # the buyer's own words


def seed_reviews(rng: random.Random) -> int:
    """Reviews of up to REVIEWS lines of completed retail orders not reviewed
    yet, the newest orders first; returns how many were written."""
    lines = (
        OrderLine.objects.filter(
            order__status=OrderStatus.COMPLETED,
            order__completes_on_acceptance=False,
            review__isnull=True,
        )
        .select_related("order")
        .order_by("-order__completed_at", "pk")[:REVIEWS]
    )
    if Review.objects.exists():  # a second run adds none
        return 0
    written = 0
    for line in lines:
        stars = rng.choices(STARS, STARS_WEIGHTS)[0]
        review_write(
            line=line,
            buyer=line.order.buyer,
            rating=stars,
            comment=rng.choice(COMMENTS[stars] + [""]),
        )
        written += 1
    return written


def seed_aftersale(buyer_username: str = "demo_buyer") -> AfterSale | None:
    """A return of one unit asked about on the buyer's latest order still in
    its window, if there is one (and none asked before)."""
    if AfterSale.objects.exists():
        return None
    orders = Order.objects.filter(
        buyer__username=buyer_username,
        status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED),
    ).order_by("-delivered_at", "-completed_at")
    order = next((o for o in orders[:20] if may_ask(o)), None)
    if order is None:
        return None
    line = lines_to_ask(order)[0]
    return aftersale_request(
        order=order,
        buyer=order.buyer,
        kind=AfterSale.Kind.RETURN,
        reason=AfterSale.Reason.DAMAGED,
        details=CASE_DETAILS,
        quantities={line.pk: 1},
    )
