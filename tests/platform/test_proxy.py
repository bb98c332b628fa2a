"""The production proxy's configuration (platform/nginx), run for real with Debian's
nginx: uploaded photos are answered only as images, never sniffed or run, and the
whole site configuration is valid."""

import http.client
import io
import socket
import subprocess
import time
from pathlib import Path
from string import Template

import pytest
from PIL import Image

from tests.conftest import NGINX

pytestmark = pytest.mark.nginx
TEMPLATES = Path(__file__).resolve().parents[2] / "platform" / "nginx"


def render(name: str, **values) -> str:
    """What the nginx image's envsubst makes of a template (nginx's own $vars stay)."""
    return Template((TEMPLATES / name).read_text()).safe_substitute(values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_conf(prefix: Path, server: str) -> Path:
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""
user root;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/client_body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    {server}
}}
"""
    )
    return conf


@pytest.fixture
def media_proxy(tmp_path):
    """nginx serving tmp_path/media through platform/nginx/media.inc.template."""
    media = tmp_path / "media"
    (media / "products").mkdir(parents=True)
    photo = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(photo, "JPEG")
    (media / "products" / "photo.jpg").write_bytes(photo.getvalue())
    (media / "products" / "disguised.jpg").write_bytes(b"<script>alert(1)</script>")
    (media / "products" / "page.html").write_bytes(b"<script>alert(1)</script>")
    (media / "products" / "drawing.svg").write_bytes(b"<svg onload='alert(1)'/>")
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "media.inc").write_text(
        render("media.inc.template", MEDIA_ROOT=str(media))
    )
    port = free_port()
    conf = nginx_conf(
        tmp_path,
        f"server {{ listen 127.0.0.1:{port}; include {tmp_path}/conf.d/media.inc; }}",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf)], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


def test_a_photo_is_served_as_an_image_that_cannot_run(media_proxy):
    response = get(media_proxy, "/media/products/photo.jpg")
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy")
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")


def test_script_disguised_as_a_photo_is_still_only_an_image(media_proxy):
    response = get(media_proxy, "/media/products/disguised.jpg")
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy")


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "missing.jpg"])
def test_anything_but_an_image_is_never_served(media_proxy, name):
    assert get(media_proxy, f"/media/products/{name}").status == 404


def test_the_site_configuration_is_valid(tmp_path):
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=market.example.gov.cn", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "media.inc").write_text(
        render("media.inc.template", MEDIA_ROOT=str(tmp_path))
    )
    site = render(
        "site.conf.template",
        SERVER_NAME="market.example.gov.cn",
        TLS_CERTIFICATE=str(cert),
        TLS_CERTIFICATE_KEY=str(key),
        UPSTREAM="127.0.0.1:8000",
    )
    conf = nginx_conf(tmp_path, site)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
