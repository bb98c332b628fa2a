"""Review pages: the buyer reviews a line of a completed order; the farmer,
their assistant and staff list the storefront's reviews, the farmer replies
once, the assistant or staff hide an abusive one. Scope:
reviews.selectors.managed_by, and the orders' scope for the buyer's lines."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from common.web import REFUSED, call_service, form_error_text, paginate
from orders.models import OrderLine
from orders.selectors import orders_visible_to
from reviews.forms import HideForm, ReplyForm, ReviewForm
from reviews.selectors import hiding_scope, managed_by, may_hide, may_reply
from reviews.services import review_hide, review_reply, review_write

MANAGERS = (Role.FARMER, Role.ASSISTANT, Role.STAFF)


@role_required(Role.BUYER)
@require_http_methods(["GET", "POST"])
def review_new(request, line_pk):
    line = get_object_or_404(
        OrderLine.objects.select_related("order", "product"),
        pk=line_pk,
        order__in=orders_visible_to(request.user).values("pk"),
    )
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        review = call_service(
            request,
            review_write,
            done=_("Thank you: your review is on the product's page."),
            line=line,
            buyer=request.user,
            **form.review(),
        )
        if review is not REFUSED:
            return redirect("orders:detail", pk=line.order_id)
    return render(request, "reviews/new.html", {"line": line, "form": form})


@role_required(*MANAGERS)
@require_safe
def review_list(request):
    reviews = (
        managed_by(request.user)
        .prefetch_related("photos")
        .order_by("-created_at", "-pk")
    )
    context = paginate(request, reviews)
    scope = hiding_scope(request.user)
    context["rows"] = [
        (review, may_reply(review, request.user), may_hide(review, request.user, scope))
        for review in context["page_obj"]
    ]
    context["reply_form"], context["hide_form"] = ReplyForm(), HideForm()
    return render(request, "reviews/list.html", context)


def _act(request, pk, form_class, service, done):
    review = get_object_or_404(managed_by(request.user), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        call_service(
            request,
            service,
            done=done,
            review=review,
            actor=request.user,
            **form.cleaned_data,
        )
    else:
        messages.error(request, form_error_text(form))
    return redirect("reviews:list")


@role_required(Role.FARMER)
@require_POST
def review_reply_view(request, pk):
    return _act(request, pk, ReplyForm, review_reply, _("Your reply is shown."))


@role_required(Role.ASSISTANT, Role.STAFF)
@require_POST
def review_hide_view(request, pk):
    return _act(
        request, pk, HideForm, review_hide, _("Hidden: buyers no longer see it.")
    )
