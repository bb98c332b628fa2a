"""The product's settings (config.settings, from the environment as everywhere),
with the bench's URL conf: the product's URLs plus one trivial page to compare
with. The test client's host is allowed, for the in-process page figures."""

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}
]
