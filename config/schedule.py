"""Every periodic job of the platform, in one place: settings' CELERY_BEAT_SCHEDULE,
which beat (the compose `beat` service) and, without a broker, the embedded
scheduler (demo.embedded) both run. Times are Asia/Shanghai (CELERY_TIMEZONE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    "purge-stale-register-uploads": {
        "task": "farmers.tasks.purge_stale_register_uploads",
        "schedule": crontab(hour=3, minute=45),
    },
    "purge-abandoned-carts": {
        "task": "orders.tasks.purge_abandoned_carts",
        "schedule": crontab(hour=4, minute=0),
    },
    "alert-farmers-needing-help": {
        "task": "fieldwork.tasks.alert_farmers_needing_help",
        "schedule": crontab(hour=6, minute=0),
    },
    "nightly-sales-rollup": {
        "task": "reports.tasks.nightly_rollup",
        "schedule": crontab(hour=2, minute=30),
    },
    "rebuild-dirty-sales-days": {
        "task": "reports.tasks.rebuild_dirty_days",
        "schedule": 300.0,
    },
    "report-export-housekeeping": {
        "task": "reports.tasks.export_housekeeping",
        "schedule": 600.0,
    },
    "expire-unpaid-orders": {
        "task": "orders.tasks.expire_unpaid_orders",
        "schedule": 60.0,
    },
    "complete-unconfirmed-orders": {
        "task": "orders.tasks.complete_unconfirmed_orders",
        "schedule": crontab(minute=15),
    },
    "accept-overdue-unit-deliveries": {
        "task": "procurement.tasks.accept_overdue_deliveries",
        "schedule": crontab(minute=20),
    },
    "chase-overdue-unit-payments": {
        "task": "procurement.tasks.chase_overdue_payments",
        "schedule": crontab(hour=9, minute=0),
    },
    "release-held-earnings": {
        "task": "settlement.tasks.release_held_earnings",
        "schedule": crontab(minute=30),
    },
    "weekly-payout-run": {
        "task": "settlement.tasks.weekly_payout_run",
        "schedule": crontab(day_of_week="mon", hour=9, minute=0),
    },
    "nightly-ledger-check": {
        "task": "settlement.tasks.check_ledger",
        "schedule": crontab(hour=4, minute=30),
    },
    # The gateways' bills of yesterday are ready after 10:00.
    "reconcile-payments": {
        "task": "orders.tasks.reconcile_payments",
        "schedule": crontab(hour=10, minute=30),
    },
    "deliver-notification-outbox": {
        "task": "notifications.tasks.deliver_notification_outbox",
        "schedule": 60.0,
    },
    # Text messages due: deferred by the quiet hours, a backoff, or a lost task.
    "deliver-sms-outbox": {
        "task": "sms.tasks.deliver_sms_outbox",
        "schedule": 60.0,
    },
    # Farmers told of an order 24 hours before its shipping deadline.
    "warn-shipping-deadlines": {
        "task": "orders.tasks.warn_shipping_deadlines",
        "schedule": crontab(minute="*/10"),
    },
}
