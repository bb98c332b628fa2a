"""Listing pages for farmers and for the assistants who list for them: the list
with inline price and stock (HTMX), create and edit with photos, submit, archive,
restore, and the change history. Scope: catalogue.selectors.products_visible_to."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from assistants.selectors import farmers_visible_to
from catalogue.forms import ListingForm, PhotoForm, QuickEditForm
from catalogue.selectors import listing_history, needing_attention, products_visible_to
from catalogue.services import listings, photos
from common.web import (
    IdConverter,
    call_service,
    form_error_text,
    paginate,
    refusal_text,
)
from farmers.models import Farmer

LISTERS = (Role.FARMER, Role.ASSISTANT, Role.STAFF)
ACTIONS = {
    "submit": (listings.product_submit, gettext_lazy("Submitted for review.")),
    "archive": (
        listings.product_archive,
        gettext_lazy("Archived: buyers no longer see it."),
    ),
    "restore": (listings.product_restore, gettext_lazy("Restored as a draft.")),
}


def _listing(request, pk):
    return get_object_or_404(
        products_visible_to(request.user).prefetch_related("images"), pk=pk
    )


@role_required(*LISTERS)
@require_safe
def listing_list(request):
    # ?attention=1: only those needing attention (the farmer's home's "see all").
    attention = request.GET.get("attention") == "1"
    products = (
        needing_attention(request.user)
        if attention
        else products_visible_to(request.user).order_by("-updated_at", "-pk")
    ).prefetch_related("images")
    farmer_id = request.GET.get("farmer", "")
    if re.fullmatch(IdConverter.regex, farmer_id):
        products = products.filter(farmer_id=farmer_id)
    context = {"attention": attention, **paginate(request, products)}
    return render(request, "catalogue/listing_list.html", context)


@role_required(*LISTERS)
@require_http_methods(["GET", "POST"])
def listing_new(request):
    # Assistants (and staff) list for a farmer they choose; farmers for themselves.
    is_assistant = request.user.role != Role.FARMER
    farmers = farmers_visible_to(request.user) if is_assistant else None
    form = ListingForm(request.POST or None, farmers=farmers)
    if request.method == "POST" and form.is_valid():
        farmer = (
            form.cleaned_data["farmer"]
            if is_assistant
            else Farmer.objects.filter(user=request.user).first()
        )
        if farmer is None:
            raise Http404
        product = listings.product_create(
            farmer=farmer, created_by=request.user, **form.listing_fields()
        )
        messages.success(request, _("Saved as a draft. Add photos, then submit it."))
        return redirect("catalogue:listing", pk=product.pk)
    return render(request, "catalogue/listing_new.html", {"form": form})


@role_required(*LISTERS)
@require_http_methods(["GET", "POST"])
def listing_edit(request, pk):
    product = _listing(request, pk)
    form = ListingForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            listings.product_update(
                product=product,
                changed_by=request.user,
                stock_seen=form.cleaned_data["stock_seen"],
                **form.listing_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalogue:listing", pk=product.pk)
    context = {
        "product": product,
        "form": form,
        "photo_form": PhotoForm(),
        "changes": listing_history(product),
    }
    return render(request, "catalogue/listing_edit.html", context)


@role_required(*LISTERS)
@require_POST
def listing_quick(request, pk):
    """Inline price and stock; answers HTMX with the updated row."""
    product = _listing(request, pk)
    form = QuickEditForm(request.POST, instance=product)
    error = ""
    if form.is_valid():
        try:
            product = listings.product_update(
                product=product, changed_by=request.user, **form.cleaned_data
            )  # price, stock and stock_seen
        except ValidationError as exc:
            error = refusal_text(exc)
    else:
        error = form_error_text(form)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("catalogue:listings")
    product = _listing(request, pk)
    return render(
        request, "catalogue/_listing_row.html", {"product": product, "error": error}
    )


@role_required(*LISTERS)
@require_POST
def listing_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    product = _listing(request, pk)
    service, done = ACTIONS[action]
    call_service(request, service, done=done, product=product, actor=request.user)
    return redirect("catalogue:listing", pk=product.pk)


@role_required(*LISTERS)
@require_POST
def listing_photo_add(request, pk):
    product = _listing(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        call_service(
            request,
            photos.product_image_add,
            done=_("Photo added."),
            product=product,
            upload=form.cleaned_data["photo"],
            changed_by=request.user,
        )
    else:
        messages.error(request, form_error_text(form))
    return redirect("catalogue:listing", pk=product.pk)


@role_required(*LISTERS)
@require_POST
def listing_photo_change(request, pk, photo_pk, change):
    product = _listing(request, pk)
    if change == "delete":
        call_service(
            request,
            photos.product_image_delete,
            product=product,
            image_id=photo_pk,
            changed_by=request.user,
        )
    elif change in ("up", "down"):
        call_service(
            request,
            photos.product_image_move,
            product=product,
            image_id=photo_pk,
            step=-1 if change == "up" else 1,
            changed_by=request.user,
        )
    else:
        raise Http404
    return redirect("catalogue:listing", pk=product.pk)
