"""One request as one of the world's people, measured: its status (a redirect to
sign in or up named as such) and the tables it wrote. The request runs in a
savepoint that is rolled back, so the next one sees the same world."""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)
# Bookkeeping that is not the platform's data: the session (sign-out, the
# anonymous cart's id, the language) and the sign-in lockout's log.
NOT_DATA = re.compile(r"^(django_session|axes_)")


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    allow: str  # the Allow header (an OPTIONS answer's)
    written: tuple[str, ...]  # tables the request inserted into, updated or deleted
    recounted: tuple[str, ...]  # tables whose row count the request changed
    response: object = field(default=None, repr=False, compare=False)

    @property
    def outcome(self) -> str:
        """The matrix's word for the status: `login` and `signup` for the
        redirects to those pages, else the code."""
        if self.status == 302 and self.location.startswith("/accounts/login/"):
            return "login"
        if self.status == 302 and self.location.startswith("/accounts/sign-up/"):
            return "signup"
        return str(self.status)

    @property
    def token(self) -> str:
        """The outcome as the table writes it: `*` when the request wrote data."""
        return self.outcome + ("*" if self.written else "")


def ask(
    session_key: str | None,
    method: str,
    url: str,
    data: dict | None = None,
    *,
    multipart: bool = False,
    count_rows: bool = False,
) -> Answer:
    """`method` on `url` with `data` (JSON for the API unless `multipart`, a form
    for pages), signed in with `session_key` (None: anonymous). With `count_rows`,
    every data table's row count is also compared before and after."""
    client = Client(raise_request_exception=False)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    # Rate limits count in the cache: the matrix asks far more often than a person.
    caches["default"].clear()
    data = data or {}
    kwargs = {}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if url.startswith("/api/") and not multipart:
            kwargs = {"data": json.dumps(data), "content_type": "application/json"}
        elif method == "POST":
            kwargs = {"data": data}  # multipart, as a browser's form
        else:
            kwargs = {
                "data": urlencode(data, doseq=True),
                "content_type": "application/x-www-form-urlencoded",
            }
    elif data:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(data, doseq=True)}"
    # The query log holds at most 9,000 entries; measured from empty, so nothing
    # the request did falls off its end.
    reset_queries()
    with transaction.atomic():
        before = row_counts() if count_rows else {}
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method.lower())(url, **kwargs)
        after = row_counts() if count_rows else {}
        transaction.set_rollback(True)
    written = sorted(
        {
            match.group(1)
            for query in queries
            if (match := WRITE.match(query["sql"]))
            and not NOT_DATA.match(match.group(1))
        }
    )
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        allow=response.get("Allow", ""),
        written=tuple(written),
        recounted=tuple(t for t in before if before[t] != after[t]),
        response=response,
    )


@cache
def _data_tables() -> tuple[str, ...]:
    """The tables of the project's own apps (and API tokens)."""
    root = Path(settings.BASE_DIR).resolve()
    return tuple(
        sorted(
            {
                model._meta.db_table
                for model in apps.get_models(include_auto_created=True)
                if not model._meta.proxy
                and (
                    Path(model._meta.app_config.path).resolve().parent == root
                    or model._meta.app_label == "authtoken"
                )
            }
        )
    )


def row_counts() -> dict[str, int]:
    """Every data table's row count, in one query."""
    tables = _data_tables()
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))
