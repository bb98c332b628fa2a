"""Every named URL the project serves, read from the URL conf (pages and the API
routers alike), and the URL of one with the world's objects in its parameters."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace: "orders:detail", "order-detail"
    pattern: str


def routes() -> list[Route]:
    """Every named URL, the admin's included (test_admin.py checks those; the
    matrix, all others)."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (
                    f"{pattern.namespace}:" if pattern.namespace else ""
                )
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield Route(namespace + pattern.name, prefix + str(pattern.pattern))

    found = {}
    for route in walk(get_resolver().url_patterns):
        found.setdefault(route.name, route)
    return list(found.values())


def url_for(name: str, kwargs: dict) -> str:
    return reverse(name, kwargs=kwargs or None)
