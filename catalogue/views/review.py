"""The review pages: an assistant's (or staff's) queue of listings waiting for
review, and approving or rejecting one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from catalogue.forms import RejectForm
from catalogue.selectors import review_queue
from catalogue.services.listings import product_approve, product_reject
from common.web import call_service, form_error_text, paginate


@role_required(Role.ASSISTANT, Role.STAFF)
@require_safe
def reviews(request):
    """The assistant's farmers' listings waiting for review, oldest first."""
    queue = review_queue(request.user).prefetch_related("images")
    context = {"reject_form": RejectForm(), **paginate(request, queue, per_page=20)}
    return render(request, "catalogue/reviews.html", context)


@role_required(Role.ASSISTANT, Role.STAFF)
@require_POST
def review_decide(request, pk, decision):
    product = get_object_or_404(review_queue(request.user), pk=pk)
    version = request.POST.get("version")
    if decision == "approve":
        call_service(
            request,
            product_approve,
            done=_("“%s” is live.") % product.title,
            product=product,
            version=version,
        )
    elif decision == "reject":
        form = RejectForm(request.POST)
        if form.is_valid():
            call_service(
                request,
                product_reject,
                done=_("“%s” was sent back to the farmer.") % product.title,
                product=product,
                reason=form.cleaned_data["reason"],
                version=version,
            )
        else:
            messages.error(request, form_error_text(form))
    else:
        raise Http404
    return redirect("catalogue:reviews")
