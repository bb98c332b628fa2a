"""Where an after-sales case may go, and who may move it: one table. The
seller is the order's farmer or their assistant; the buyer is the order's;
staff decide what was escalated. A request the farmer has not answered by its
`answer_by` may be escalated too."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from aftersales.models import AfterSale

S = AfterSale.Status


@dataclass(frozen=True)
class Move:
    sources: frozenset
    # None: it depends on the case (accepting a return waits for the goods).
    target: str | None
    actors: frozenset
    label: str


def _m(sources, target, actors, label):
    return Move(frozenset(sources), target, frozenset(actors), label)


MOVES = {
    "accept": _m({S.REQUESTED}, None, {"seller"}, _("accepted")),
    "refuse": _m({S.REQUESTED}, S.REFUSED, {"seller"}, _("refused")),
    "escalate": _m({S.REQUESTED, S.REFUSED}, S.ESCALATED, {"buyer"}, _("escalated")),
    "uphold": _m({S.ESCALATED}, None, {"staff"}, _("decided for the buyer")),
    "reject": _m({S.ESCALATED}, S.CLOSED, {"staff"}, _("decided for the farmer")),
    "returned": _m(
        {S.AWAITING_RETURN}, S.REFUNDED, {"seller", "staff"}, _("marked returned")
    ),
    "withdraw": _m(
        {S.REQUESTED, S.REFUSED, S.ESCALATED, S.AWAITING_RETURN},
        S.WITHDRAWN,
        {"buyer"},
        _("withdrawn"),
    ),
}


def granted(case: AfterSale) -> str:
    """Where a case goes once granted: a refund only is refunded at once; a
    return waits for the goods."""
    return S.REFUNDED if case.kind == AfterSale.Kind.REFUND else S.AWAITING_RETURN
