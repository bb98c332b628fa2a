"""The seller's invoice for a unit's order: uploaded once the goods have shipped
(and unless they were refused whole) by the farmer or their assistant, as a PDF
or a photo already validated (common.documents); uploading again replaces it.
Audited. (A feature module: it writes.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from common.storage import files_undone_on_error
from orders.models import Order, OrderStatus
from procurement.models import Invoice, UnitOrder

INVOICED = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def invoice_upload(
    *, unit_order: UnitOrder, actor, number: str, issued_by: str, file
) -> Invoice:
    """`actor` has been checked to be the order's farmer or their assistant (the
    view's scope: procurement.selectors.unit_orders_supplied_by)."""
    replaced = None
    with files_undone_on_error() as saved, transaction.atomic():
        order = Order.objects.select_for_update().get(pk=unit_order.order_id)
        if order.status not in INVOICED:
            raise ValidationError(
                _(
                    "An invoice can be uploaded once the goods have shipped, unless "
                    "they were refused whole."
                ),
                code="not_invoiceable",
            )
        invoice = Invoice.objects.filter(unit_order=unit_order).first()
        before = {}
        if invoice is None:
            invoice = Invoice(unit_order=unit_order)
        else:
            replaced = invoice.file.name
            before = {"number": invoice.number, "issued_by": invoice.issued_by}
        invoice.number, invoice.issued_by = number, issued_by
        invoice.uploaded_by, invoice.uploaded_at = actor, timezone.now()
        invoice.file.save(file.name, file, save=False)
        saved(invoice.file)
        invoice.save()
        if replaced:  # once the new one is committed, the old file is no one's
            storage = invoice.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        record(
            actor=actor,
            action=AuditEvent.Action.UNIT_INVOICE_UPLOADED,
            subject=order,
            farmer=order.farmer,
            county=order.county,
            before=before,
            after={"number": number, "issued_by": issued_by},
        )
    return invoice
