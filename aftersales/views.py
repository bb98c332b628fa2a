"""After-sales pages: the buyer asks about an order, everyone in the order's
scope reads the case, and each party makes the moves open to them; the list of
cases (open ones first). Scope: aftersales.selectors.aftersales_visible_to."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Role
from accounts.permissions import role_required
from aftersales.forms import MoveForm, RequestForm
from aftersales.models import OPEN
from aftersales.rules import MOVES
from aftersales.selectors import (
    aftersales_visible_to,
    lines_to_ask,
    may_ask,
    moves_for,
    unanswered,
)
from aftersales.services import aftersale_move, aftersale_request
from common.web import REFUSED, call_service, form_error_text, paginate
from orders.selectors import orders_visible_to

EVERYONE = (Role.BUYER, Role.FARMER, Role.ASSISTANT, Role.OFFICIAL, Role.STAFF)


@role_required(Role.BUYER)
@require_http_methods(["GET", "POST"])
def case_new(request, order_pk):
    order = get_object_or_404(orders_visible_to(request.user), pk=order_pk)
    if order.buyer_id != request.user.pk or not may_ask(order):
        messages.error(request, _("This order cannot be asked about now."))
        return redirect("orders:detail", pk=order.pk)
    form = RequestForm(
        request.POST or None, request.FILES or None, lines=lines_to_ask(order)
    )
    if request.method == "POST" and form.is_valid():
        case = call_service(
            request,
            aftersale_request,
            done=_("Sent. The farmer has %(hours)s hours to answer.")
            % {"hours": settings.AFTERSALE_ANSWER_HOURS},
            order=order,
            buyer=request.user,
            **form.request(),
        )
        if case is not REFUSED:
            return redirect("aftersales:case", pk=case.pk)
    context = {"order": order, "form": form}
    return render(request, "aftersales/new.html", context)


@role_required(*EVERYONE)
@require_safe
def case_detail(request, pk):
    case = get_object_or_404(
        aftersales_visible_to(request.user).prefetch_related("lines__line", "photos"),
        pk=pk,
    )
    context = {
        "case": case,
        "moves": [(name, MOVES[name]) for name in moves_for(case, request.user)],
        "form": MoveForm(),
        "unanswered": unanswered(case),
    }
    return render(request, "aftersales/case.html", context)


@role_required(Role.BUYER, Role.FARMER, Role.ASSISTANT, Role.STAFF)
@require_POST
def case_move(request, pk, action):
    case = get_object_or_404(aftersales_visible_to(request.user), pk=pk)
    if action not in MOVES:
        raise Http404
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("aftersales:case", pk=case.pk)
    call_service(
        request,
        aftersale_move,
        done=_("Done. The other party has been told."),
        case=case,
        action=action,
        actor=request.user,
        **form.cleaned_data,
    )
    return redirect("aftersales:case", pk=case.pk)


@role_required(*EVERYONE)
@require_safe
def case_list(request):
    everything = request.GET.get("show") == "all"
    cases = aftersales_visible_to(request.user)
    if not everything:
        cases = cases.filter(status__in=OPEN)
    cases = cases.order_by("created_at" if not everything else "-created_at", "pk")
    context = {"everything": everything, **paginate(request, cases)}
    return render(request, "aftersales/list.html", context)
