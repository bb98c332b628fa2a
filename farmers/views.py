"""Farmer pages (storefront settings) and the officials' register import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, paginate
from farmers.forms import RegisterImportForm, StorefrontForm
from farmers.register_import import check_register
from farmers.selectors import own_profile, register_imports_visible_to
from farmers.services import (
    farmer_update_storefront,
    register_import_apply,
    register_import_upload,
)


@role_required(Role.FARMER)
@require_http_methods(["GET", "POST"])
def storefront(request):
    farmer = get_object_or_404(own_profile(request.user))
    form = StorefrontForm(request.POST or None, request.FILES or None, instance=farmer)
    if request.method == "POST" and form.is_valid():
        farmer_update_storefront(
            farmer=farmer,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("Your storefront settings are saved."))
        return redirect("farmers:storefront")
    return render(request, "farmers/storefront.html", {"form": form, "farmer": farmer})


@role_required(Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def register_import(request):
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = register_import_upload(
                upload=form.cleaned_data["file"], uploaded_by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("farmers:register_import_preview", pk=record.pk)
    context = {
        "form": form,
        **paginate(request, register_imports_visible_to(request.user), 20),
    }
    return render(request, "farmers/register_import.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_http_methods(["GET", "POST"])
def register_import_preview(request, pk):
    """Dry run: every row checked, errors by line; importing is a separate POST."""
    record = get_object_or_404(register_imports_visible_to(request.user), pk=pk)
    if request.method == "POST":
        imported = call_service(
            request,
            register_import_apply,
            done=lambda done: (
                _("Imported: %(created)s households created, %(updated)s updated.")
                % {"created": done.created, "updated": done.updated}
            ),
            register_import=record,
            user=request.user,
        )
        if imported is not REFUSED:
            return redirect("farmers:register_import")
        return redirect("farmers:register_import_preview", pk=record.pk)
    context = {"record": record}
    if record.status == record.Status.PREVIEWED:
        with record.file.open("rb") as file:
            check = check_register(file, request.user)
        context.update(check=check, **paginate(request, check.error_rows, 50))
    return render(request, "farmers/register_import_preview.html", context)
