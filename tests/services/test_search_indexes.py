"""On PostgreSQL the catalogue search's conditions match its indexes' expressions:
the planner, told not to scan the table, answers each part of the search through
its index. (Which plan wins on the full public query at scale is for bench/.)"""

import pytest
from django.db import connection

from catalogue.models import Product
from catalogue.selectors import search_products
from tests.factories import ProductFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.mark.parametrize("text", ["蜂蜜", "honey"])
def test_search_uses_the_trigram_and_full_text_indexes(text):
    ProductFactory(status="active", title="高山蜂蜜 mountain honey")
    query = search_products(Product.objects.all(), text)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("product_title_trgm", "product_description_trgm", "product_fulltext"):
        assert index in plan, plan
