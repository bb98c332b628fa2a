"""Fixtures for suites that read messages in English: services run under an
English override and the test client asks for English pages. A suite's
conftest imports them."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")
