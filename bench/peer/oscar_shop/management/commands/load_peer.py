"""`manage.py load_peer --categories N --products M [--spec FILE] [--out FILE]`:
an empty migrated Oscar database filled with N categories and M products, each
product in one category with a stock record (price and stock) of one partner,
all of one product class; and one signed-in customer. Each product and the
customer also get their (empty) analytics record: Oscar creates one on a
product's first view, and two first views at once (as under load) race, the
loser's transaction aborted by the unique key (ATOMIC_REQUESTS): a 500.

Categories are made with treebeard's `Category.add_root` (N root categories, as
the marketplace's are flat); products, their category links and stock records
with `bulk_create`. `--spec` names them: a JSON object with "categories"
([slug, name] each) and "products" ([title, description, category slug, price,
stock] each), cycled when N or M is larger. Prints (or writes to --out) a JSON
object: "categories" and "products" as [URL slug, pk] pairs, "customer_cookie"
(a `Cookie` header value of the customer's session)."""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

BATCH = 2_000
CUSTOMER = ("bench_customer", "bench_customer@example.com")


def _spec(path: str | None, categories: int, products: int) -> tuple[list, list]:
    """Category and product rows, from the spec cycled, or made up."""
    if path:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known, listed = data["categories"], data["products"]
    else:
        known = [[f"category-{n}", f"Category {n}"] for n in range(categories)]
        listed = [
            [f"Product {n}", f"Product {n}, made up.", known[n % len(known)][0]]
            + [f"{10 + n % 90}.00", 100]
            for n in range(products)
        ]
    if not known or not listed:
        raise CommandError("the spec has no categories or no products")
    rows = [known[n % len(known)] for n in range(categories)]
    for n in range(len(known), categories):  # slugs stay unique when cycled
        rows[n] = [f"{rows[n][0]}-{n}", f"{rows[n][1]} {n}"]
    return rows, [listed[n % len(listed)] for n in range(products)]


def _customer_cookie() -> str:
    user = get_user_model().objects.create_user(
        CUSTOMER[0], CUSTOMER[1], "bench-customer-password"
    )
    UserRecord.objects.create(user=user)
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--categories", type=int, required=True)
        parser.add_argument("--products", type=int, required=True)
        parser.add_argument("--spec", help="a JSON file naming them")
        parser.add_argument("--out", help="write the JSON answer here")

    def handle(self, *args, categories, products, spec, out, **options):
        if categories < 1 or products < 1:
            raise CommandError("at least one category and one product")
        if Product.objects.exists():
            raise CommandError("the database already has products")
        category_rows, product_rows = _spec(spec, categories, products)
        with transaction.atomic():
            answer = self._load(category_rows, product_rows)
        answer["customer_cookie"] = _customer_cookie()
        text = json.dumps(answer, ensure_ascii=False)
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def _load(self, category_rows, product_rows) -> dict:
        product_class = ProductClass.objects.create(
            name="农产品", slug="produce", requires_shipping=True, track_stock=True
        )
        partner = Partner.objects.create(name="Bench partner", code="bench")
        by_slug = {}
        for slug, name in category_rows:
            by_slug[slug] = Category.add_root(name=name, slug=slug, is_public=True)
        made = Product.objects.bulk_create(
            [
                Product(
                    structure=Product.STANDALONE,
                    is_public=True,
                    title=title[:255],
                    slug=f"p{n}",
                    description=description,
                    product_class=product_class,
                )
                for n, (title, description, *_rest) in enumerate(product_rows)
            ],
            batch_size=BATCH,
        )
        links, stock = [], []
        for product, row in zip(made, product_rows, strict=True):
            _title, _text, slug, price, units = row
            category = by_slug.get(slug) or next(iter(by_slug.values()))
            links.append(ProductCategory(product=product, category=category))
            stock.append(
                StockRecord(
                    product=product,
                    partner=partner,
                    partner_sku=f"bench-{product.pk}",
                    price_currency=settings.OSCAR_DEFAULT_CURRENCY,
                    price=Decimal(price),
                    num_in_stock=units,
                )
            )
        ProductCategory.objects.bulk_create(links, batch_size=BATCH)
        StockRecord.objects.bulk_create(stock, batch_size=BATCH)
        ProductRecord.objects.bulk_create(
            [ProductRecord(product=product) for product in made], batch_size=BATCH
        )
        return {
            "categories": [[c.full_slug, c.pk] for c in by_slug.values()],
            "products": [[p.slug, p.pk] for p in made],
        }
