"""Summary tables the reports read, rebuilt by set-based SQL (reports.rollups),
and the days waiting to be rebuilt. A sale's day is the local date of its
payment; the county, village and assistant are those on the order. Daily tables
are built from the order lines, monthly tables from the daily ones, so a month
costs its days' summary rows, never its orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.money import MONEY_TOTAL
from common.storage import private_storage


def _summary_of(model: str, **options) -> models.ForeignKey:
    """A summary row's key. No database constraint: the rows are derived from
    orders that carry the constraints, and are replaced wholesale, so checking
    every key again at each rebuild's commit (Django's constraints are deferred)
    would only cost time: about a second for a month's rows at platform scale."""
    return models.ForeignKey(
        model,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        **options,
    )


class SalesFigures(models.Model):
    """What every rollup row counts, over the orders paid in its bucket. Each
    figure adds up across buckets (an order is paid on one day), so a month is
    the sum of its days."""

    gmv = models.DecimalField(_("sales (GMV)"), **MONEY_TOTAL)
    completed = models.DecimalField(_("completed sales"), **MONEY_TOTAL)
    refunds = models.DecimalField(
        _("refunded or cancelled after payment"), **MONEY_TOTAL
    )
    orders = models.PositiveIntegerField(_("orders"))
    units = models.PositiveIntegerField(_("units"))
    # Of the above, work units' accepted orders (orders.sales.UNIT).
    unit_sales = models.DecimalField(
        _("work units' purchases"), **MONEY_TOTAL, db_default=0
    )
    unit_orders = models.PositiveIntegerField(_("work units' orders"), db_default=0)

    class Meta:
        abstract = True


# The figures of every row, which a month sums from its days.
FIGURES = [field.name for field in SalesFigures._meta.fields]


class DailyFigures(SalesFigures):
    """A day's figures, plus its distinct buyers (which do not add up over days:
    one buyer on two days is one buyer of the month)."""

    buyers = models.PositiveIntegerField(_("buyers"))

    class Meta:
        abstract = True


def _by_county(name: str, *keys: str) -> models.Index:
    """A monthly table's index for the reports: a county's months, covering the
    keys and figures, so a report reads the index alone (on PostgreSQL; a
    county's rows lie scattered over the table, one page read for a few rows).
    SQLite has no covering indexes and goes without."""
    return models.Index(
        fields=["county", "month"], include=[*keys, *FIGURES], name=name
    )


class DayRow(DailyFigures):
    """A daily table's row: its day and the county of its sales."""

    day = models.DateField()
    county = _summary_of("counties.County")

    class Meta:
        abstract = True


class MonthRow(SalesFigures):
    """A monthly table's row: its month (the first day) and county."""

    month = models.DateField()
    county = _summary_of("counties.County")

    class Meta:
        abstract = True


class DailySales(DayRow):
    """Per day, county, village and assistant (orders counted once each)."""

    village = _summary_of("counties.Village")
    assistant = _summary_of("assistants.Assistant", null=True)

    class Meta:
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        indexes = [
            models.Index(fields=["county", "day"], name="daily_sales_county_day"),
            models.Index(fields=["day"], name="daily_sales_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.village_id}"


class DailyCategorySales(DayRow):
    """Per day, county, village and category. `orders` counts orders with a line
    in the category, so an order of two categories counts in both."""

    category = _summary_of("catalogue.Category")
    village = _summary_of("counties.Village")

    class Meta:
        verbose_name = _("daily sales by category")
        verbose_name_plural = _("daily sales by category")
        indexes = [
            models.Index(fields=["county", "day"], name="daily_category_county_day"),
            models.Index(fields=["day"], name="daily_category_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.category_id}"


class DailyFarmerSales(DayRow):
    """Per day and farmer, with the village of the sales: the 30- and 90-day
    windows of the assistant-performance and training-effect reports, and the
    days of MonthlyFarmerSales."""

    village = _summary_of("counties.Village")
    farmer = _summary_of("farmers.Farmer")

    class Meta:
        verbose_name = _("daily sales by farmer")
        verbose_name_plural = _("daily sales by farmer")
        indexes = [
            models.Index(fields=["farmer", "day"], name="daily_farmer_day"),
            models.Index(fields=["day"], name="daily_farmer_by_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.farmer_id}"


class DailyProductSales(DayRow):
    """Per day and product: the days of MonthlyProductSales."""

    product = _summary_of("catalogue.Product")

    class Meta:
        verbose_name = _("daily sales by product")
        verbose_name_plural = _("daily sales by product")
        indexes = [models.Index(fields=["day"], name="daily_product_day")]

    def __str__(self):
        return f"{self.day} {self.product_id}"


class MonthlySales(MonthRow):
    """Per month (its first day), county, village and assistant: the sums of
    DailySales, which the county sales report reads."""

    village = _summary_of("counties.Village")
    assistant = _summary_of("assistants.Assistant", null=True)

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        indexes = [
            _by_county("monthly_sales_county", "village", "assistant"),
            models.Index(fields=["month"], name="monthly_sales_month"),
        ]

    def __str__(self):
        return f"{self.month} {self.village_id}"


class MonthlyCategorySales(MonthRow):
    """Per month, county, village and category: the sums of DailyCategorySales."""

    category = _summary_of("catalogue.Category")
    village = _summary_of("counties.Village")

    class Meta:
        verbose_name = _("monthly sales by category")
        verbose_name_plural = _("monthly sales by category")
        indexes = [
            _by_county("monthly_category_county", "category", "village"),
            models.Index(fields=["month"], name="monthly_category_month"),
        ]

    def __str__(self):
        return f"{self.month} {self.category_id}"


class MonthlyFarmerSales(MonthRow):
    """Per month (its first day) and farmer, with the village of the sales: the
    sums of DailyFarmerSales."""

    village = _summary_of("counties.Village")
    farmer = _summary_of("farmers.Farmer")

    class Meta:
        verbose_name = _("monthly sales by farmer")
        verbose_name_plural = _("monthly sales by farmer")
        indexes = [
            _by_county("monthly_farmer_county", "farmer", "village"),
            models.Index(fields=["month"], name="monthly_farmer_month"),
        ]

    def __str__(self):
        return f"{self.month} {self.farmer_id}"


class MonthlyProductSales(MonthRow):
    """Per month and product (for the top products): the sums of
    DailyProductSales."""

    product = _summary_of("catalogue.Product")

    class Meta:
        verbose_name = _("monthly sales by product")
        verbose_name_plural = _("monthly sales by product")
        indexes = [
            _by_county("monthly_product_county", "product"),
            models.Index(fields=["month"], name="monthly_product_month"),
        ]

    def __str__(self):
        return f"{self.month} {self.product_id}"


def export_path(instance, filename: str) -> str:
    return f"exports/{instance.requested_by_id}/{filename}"


class ReportExport(models.Model):
    """A report rendered to a file by a Celery job, which records its status and
    progress. Files live in private storage, are served only to whoever asked, and
    expire after EXPORT_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    report = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_by_user")
        ]

    def __str__(self):
        return f"{self.report} {self.format} {self.status}"
