"""The API is documented: a valid OpenAPI schema, and Swagger UI served locally."""

import re

import pytest
from django.core.management import call_command


def test_schema_is_valid_and_warning_free(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in ("/api/farmers/", "/api/households/", "/api/assignments/"):
        assert path in schema


@pytest.mark.django_db
def test_swagger_ui_uses_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    # Nothing is loaded from another host.
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", page)
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
