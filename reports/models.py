"""Summary tables the reports read, rebuilt from the orders by set-based SQL
(reports.rollups), and the days waiting to be rebuilt. A sale's day is the local
date of its payment; the county, village and assistant are those on the order."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.storage import private_storage

MONEY = {"max_digits": 14, "decimal_places": 2}


class SalesFigures(models.Model):
    """What every rollup row counts, over the orders paid in its bucket."""

    gmv = models.DecimalField(_("sales (GMV)"), **MONEY)
    completed = models.DecimalField(_("completed sales"), **MONEY)
    refunds = models.DecimalField(_("refunded or cancelled after payment"), **MONEY)
    orders = models.PositiveIntegerField(_("orders"))
    units = models.PositiveIntegerField(_("units"))
    buyers = models.PositiveIntegerField(_("buyers"))

    class Meta:
        abstract = True


class DailySales(SalesFigures):
    """Per day, county, village and assistant (orders counted once each)."""

    day = models.DateField()
    county = models.ForeignKey(
        "counties.County", on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(
        "counties.Village", on_delete=models.CASCADE, related_name="+"
    )
    assistant = models.ForeignKey(
        "assistants.Assistant",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        indexes = [
            models.Index(fields=["county", "day"], name="daily_sales_county_day"),
            models.Index(fields=["day"], name="daily_sales_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.village_id}"


class DailyCategorySales(SalesFigures):
    """Per day, county and category. `orders` counts orders with a line in the
    category, so an order of two categories counts in both."""

    day = models.DateField()
    county = models.ForeignKey(
        "counties.County", on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "farmers.Category", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("daily sales by category")
        verbose_name_plural = _("daily sales by category")
        indexes = [
            models.Index(fields=["county", "day"], name="daily_category_county_day")
        ]

    def __str__(self):
        return f"{self.day} {self.category_id}"


class DailyFarmerSales(SalesFigures):
    """Per day and farmer: the 30- and 90-day windows of the assistant-performance
    and training-effect reports."""

    day = models.DateField()
    county = models.ForeignKey(
        "counties.County", on_delete=models.CASCADE, related_name="+"
    )
    farmer = models.ForeignKey(
        "farmers.Farmer", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("daily sales by farmer")
        verbose_name_plural = _("daily sales by farmer")
        indexes = [models.Index(fields=["farmer", "day"], name="daily_farmer_day")]

    def __str__(self):
        return f"{self.day} {self.farmer_id}"


class MonthlyFarmerSales(SalesFigures):
    """Per month (its first day) and farmer, with the village of the sales."""

    month = models.DateField()
    county = models.ForeignKey(
        "counties.County", on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(
        "counties.Village", on_delete=models.CASCADE, related_name="+"
    )
    farmer = models.ForeignKey(
        "farmers.Farmer", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly sales by farmer")
        verbose_name_plural = _("monthly sales by farmer")
        indexes = [
            models.Index(fields=["county", "month"], name="monthly_farmer_county"),
        ]

    def __str__(self):
        return f"{self.month} {self.farmer_id}"


class MonthlyProductSales(SalesFigures):
    """Per month and product (for the top products)."""

    month = models.DateField()
    county = models.ForeignKey(
        "counties.County", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "farmers.Product", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly sales by product")
        verbose_name_plural = _("monthly sales by product")
        indexes = [
            models.Index(fields=["county", "month"], name="monthly_product_county"),
        ]

    def __str__(self):
        return f"{self.month} {self.product_id}"


class DirtyDay(models.Model):
    """A day whose sales changed since its rollup rows were built."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("day to rebuild")
        verbose_name_plural = _("days to rebuild")

    def __str__(self):
        return str(self.day)


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
