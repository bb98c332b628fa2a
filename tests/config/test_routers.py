"""The replica router: with DATABASE_REPLICA_URL set, report reads of the summary
tables go to the replica alias; writes and everything else go to the primary."""

import pytest

from config.routers import ReportReplicaRouter
from fieldwork.models import IncomeSurvey
from orders.models import Order
from reports.models import DailySales, MonthlyFarmerSales, ReportExport
from tests.config.test_settings import PRODUCTION, settings_value


def test_without_a_replica_everything_uses_the_primary():
    router = ReportReplicaRouter()
    assert router.db_for_read(DailySales) is None
    assert router.db_for_write(DailySales) == "default"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_a_replica_report_reads_go_there(settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "replica": {**settings.DATABASES["default"]},
    }
    router = ReportReplicaRouter()
    assert router.db_for_read(DailySales) == "replica"
    assert router.db_for_read(MonthlyFarmerSales) == "replica"
    for model in (ReportExport, Order, IncomeSurvey):
        assert router.db_for_read(model) is None
    assert router.db_for_write(DailySales) == "default"
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is True


def test_the_replica_url_configures_the_alias():
    env = {**PRODUCTION, "DATABASE_REPLICA_URL": "postgres://r:p@replica.internal/gp"}
    host = settings_value(env, "settings.DATABASES['replica']['HOST']")
    assert host == "replica.internal"
    mirror = settings_value(env, "settings.DATABASES['replica']['TEST']['MIRROR']")
    assert mirror == "default"
