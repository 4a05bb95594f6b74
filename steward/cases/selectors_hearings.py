"""Reads for the hearings pages: hearings ahead, those a panel member sits on, a case's
hearings and panel, and its interim orders."""

from django.db.models import Count, Exists, OuterRef, QuerySet

from steward.cases.models import (
    Case,
    Hearing,
    HearingStatus,
    PanelSeat,
    Sanction,
    SanctionStatus,
)
from steward.cases.selectors import valid_id

HELD_SHOWN = 25  # a panel member's most recent hearings held


def _hearings() -> QuerySet[Hearing]:
    return (
        Hearing.objects.select_related("case__registrant")
        .defer("case__summary", "registrant_response")
        .annotate(seats=Count("panel"))
    )


def upcoming_hearings(*, user) -> QuerySet[Hearing]:
    """Every hearing still scheduled (those whose day has passed wait to be recorded as
    held), soonest first, but those on a case about the person themselves."""
    return (
        _hearings()
        .filter(status=HearingStatus.SCHEDULED)
        .exclude(case__registrant__user=user)
        .order_by("starts_on", "pk")
    )


def sitting_hearings(*, user) -> tuple[list[Hearing], list[Hearing]]:
    """The hearings the person sits on: those still scheduled, soonest first, and the
    most recent ones held."""
    mine = (
        _hearings()
        .filter(pk__in=PanelSeat.objects.filter(member=user).values("hearing_id"))
        .annotate(
            chairing=Exists(
                PanelSeat.objects.filter(hearing=OuterRef("pk"), member=user, is_chair=True)
            )
        )
    )
    scheduled = list(mine.filter(status=HearingStatus.SCHEDULED).order_by("starts_on", "pk"))
    held = list(mine.filter(status=HearingStatus.HELD).order_by("-starts_on", "-pk")[:HELD_SHOWN])
    return scheduled, held


def hearing_for_case(*, case: Case, hearing_id) -> Hearing | None:
    pk = valid_id(hearing_id)
    if pk is None:
        return None
    hearing = Hearing.objects.filter(case=case, pk=pk).first()
    if hearing is not None:
        hearing.case = case
    return hearing


def case_hearings(*, case: Case) -> list[Hearing]:
    return list(
        Hearing.objects.filter(case=case)
        .defer("registrant_response")
        .annotate(seats=Count("panel"))
        .order_by("starts_on", "pk")
    )


def seats_for(hearing: Hearing) -> list[PanelSeat]:
    """The panel, chair first."""
    return list(hearing.panel.select_related("member").order_by("-is_chair", "pk"))


def interim_orders(*, case: Case) -> list[Sanction]:
    """Every interim order made on the case, the latest first."""
    return list(Sanction.objects.filter(case=case, interim=True).order_by("-effective_from", "-pk"))


def interim_order_for_case(*, case: Case, order_id) -> Sanction | None:
    pk = valid_id(order_id)
    if pk is None:
        return None
    return Sanction.objects.filter(case=case, pk=pk, interim=True).first()


def order_in_force(*, case: Case) -> Sanction | None:
    return (
        Sanction.objects.filter(case=case, interim=True, status=SanctionStatus.IN_FORCE)
        .order_by("-effective_from", "-pk")
        .first()
    )
