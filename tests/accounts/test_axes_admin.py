"""django-axes ships no Chinese catalogue: its admin (the lockout records staff
clear) reads in Chinese from the project's catalogue, and its app has a name."""

import re

import pytest
from axes.models import AccessAttempt

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.STAFF, is_superuser=True)
    client.force_login(user)
    AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="phone",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    return client


def axes_section(body: str) -> str:
    return body.split('class="app-axes module">', 1)[1].split("</table>", 1)[0]


def test_the_admin_index_names_axes_and_its_records_in_chinese(staff):
    body = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    section = re.sub(r"<[^>]+>", " ", axes_section(body))
    assert "访问尝试" in section and "登录锁定" in section
    assert re.findall(r"[A-Za-z]{3,}", section) == []


def test_the_attempts_list_reads_in_chinese(staff):
    body = staff.get(
        "/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    for english in ("User Agent", "IP Address", "Attempt Time", "Failed Logins"):
        assert english not in body
    assert "失败次数" in body and "已锁定" in body


def test_english_stays_english(staff):
    body = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Access attempts" in axes_section(body)
