"""Scale-out: when DATABASE_REPLICA_URL is set, the reports' reads of the summary
tables go to the read replica; every write (rollup rebuilds included) and every
other read goes to the primary. A replica that fails is left alone for
REPLICA_RETRY_SECONDS (common.replica): the reports read the primary meanwhile."""

from common.replica import REPLICA, replica_in_use


class ReportReplicaRouter:
    # The summary tables (reports.rollups writes them; report pages only read
    # them). Exports are read back right after a worker writes them: primary.
    REPLICATED = {
        "dailysales",
        "dailycategorysales",
        "dailyfarmersales",
        "dailyproductsales",
        "monthlysales",
        "monthlycategorysales",
        "monthlyfarmersales",
        "monthlyproductsales",
    }

    def db_for_read(self, model, **hints):
        if (
            model._meta.app_label == "reports"
            and model._meta.model_name in self.REPLICATED
            and replica_in_use()
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
