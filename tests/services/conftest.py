"""Fixtures of the service tests."""

import pytest

from tests.services.stack import stack_env_for


@pytest.fixture
def stack_env(settings, tmp_path):
    """Production-like variables pointing the stack at the test database."""
    return stack_env_for(settings, tmp_path)
