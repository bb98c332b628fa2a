"""The settings of scale-out, from the environment: the read replica's database
entry and retry, and the report result cache (reports.cache); config/settings.py
takes them all."""

import environ

from config.environment import database_config

env = environ.Env()
__all__ = ["REPLICA_RETRY_SECONDS", "REPORT_CACHE_SECONDS"]

# A replica that fails is left alone this long; the reports read the primary.
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)
# A report's result is kept until the rollups rebuild a day of a county it reads,
# or a record it reads is saved (reports.cache), and this long at most.
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=300)


def replica_database(url: str) -> dict:
    """DATABASES["replica"]: tests read the primary (MIRROR); a replica that is
    down is found in a second, not the operating system's connect timeout."""
    config = database_config(url, "DATABASE_REPLICA_URL")
    config.setdefault("OPTIONS", {})["connect_timeout"] = 1
    return {**config, "TEST": {"MIRROR": "default"}}
