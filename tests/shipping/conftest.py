"""The shipping tests read messages in English: services run under an English
override and the test client asks for English pages."""

from tests.english import client, in_english  # noqa: F401 (fixtures)
