"""Forming a hearing's panel: three people holding a current panel member role, at
least one lay and one manager member, a lay chair, and nobody with a conflict of
interest (``conflicts``). A hearings officer forms it, and may form it again (replacing
the earlier panel) until the hearing is held."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from steward.audit.services import audit_record
from steward.cases.conflicts import conflicts_for
from steward.cases.examiners import categories_held
from steward.cases.models import Hearing, HearingStatus, PanelSeat
from steward.core.actors import actor_user
from steward.core.formatting import uk_date
from steward.core.stale import StaleEdit
from steward.notifications.services import notify

PANEL_SIZE = 3


class StaleHearing(StaleEdit):
    default_message = (
        "Someone else changed this hearing while you were working on it. "
        "Check the latest details and try again."
    )


def _name(user) -> str:
    return user.full_name or "This person"


def panel_form(
    *, hearing: Hearing, members: list, chair, actor, expected_version: int | None = None
) -> list[PanelSeat]:
    """Seat the panel for a hearing not yet held, replacing any earlier panel. Each
    refusal names the person and the reason. ``expected_version`` is the hearing's
    version the officer was shown: refused (``StaleHearing``) if it has changed since,
    so two officers never overwrite each other's panel unseen."""
    user = actor_user(actor)
    if user is None or not user.has_perm("cases.arrange_hearings"):
        raise PermissionDenied("Only hearings officers form panels.")
    hearing = Hearing.objects.select_related("case__registrant").get(pk=hearing.pk)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationError(
            f"The panel can only be formed for a hearing that is still scheduled: this one is "
            f"{hearing.get_status_display().lower()}."
        )
    people = [person for person in (members or []) if person is not None]
    distinct = list({person.pk: person for person in people}.values())
    if len(distinct) != len(people):
        raise ValidationError({"members": "Choose three different people for the panel"})
    if len(distinct) != PANEL_SIZE:
        raise ValidationError({"members": "Choose exactly three people for the panel"})
    problems: list[str] = []
    held = {}
    for person in distinct:
        held[person.pk] = categories_held(user=person, role="panel_member")
        if not held[person.pk]:
            problems.append(f"{_name(person)} is not a panel member")
    if chair is None or chair.pk not in held:
        problems.append("Choose the chair from the three panel members")
    elif held[chair.pk] and "lay" not in held[chair.pk]:
        problems.append(f"{_name(chair)} cannot chair the panel: the chair must be a lay member")
    seats = _seat_categories(distinct, held, chair)
    if seats is not None:
        if "lay" not in seats.values():
            problems.append("The panel needs at least one lay member")
        if "manager" not in seats.values():
            problems.append("The panel needs at least one manager member")
    for person in distinct:
        for reason in conflicts_for(user=person, case=hearing.case):
            problems.append(f"{_name(person)} cannot sit on this panel: {reason}")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Hearing.objects.select_for_update(of=("self",)).get(pk=hearing.pk)
        if locked.status != HearingStatus.SCHEDULED:
            raise ValidationError("The hearing has moved on since you opened it: check it again.")
        if expected_version is not None and locked.version != expected_version:
            raise StaleHearing()
        Hearing.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        earlier = list(locked.panel.values_list("member_id", flat=True))
        locked.panel.all().delete()
        created = [
            PanelSeat.objects.create(
                hearing=locked,
                member=person,
                category=seats[person.pk],
                is_chair=person.pk == chair.pk,
            )
            for person in distinct
        ]
        audit_record(
            actor=actor,
            action="cases.panel.formed",
            subject=locked.case,
            payload={
                "hearing": locked.pk,
                "members": {str(seat.member_id): seat.category for seat in created},
                "chair": chair.pk,
                "replaced": sorted(earlier),
            },
        )
        newcomers = [person for person in distinct if person.pk not in earlier]
        notify(
            users=newcomers,
            subject="You are on a hearing panel",
            body=(
                f"You are on the panel for the {locked.get_kind_display().lower()} on case "
                f"{locked.case.reference} on {uk_date(locked.starts_on)}. Sign in to Steward "
                "to read the hearing bundle."
            ),
            topic="cases",
        )
    return created


def _seat_categories(people, held, chair) -> dict[int, str] | None:
    """The category each member sits in: the chair sits as lay; someone appointed in
    both categories fills whichever the panel still lacks. None when someone holds no
    panel member role (already refused)."""
    if any(not held[person.pk] for person in people):
        return None
    seats = {}
    if chair is not None and "lay" in held.get(chair.pk, set()):
        seats[chair.pk] = "lay"
    for person in people:
        if len(held[person.pk]) == 1 and person.pk not in seats:
            seats[person.pk] = next(iter(held[person.pk]))
    for person in people:
        if person.pk not in seats:
            seats[person.pk] = "manager" if "manager" not in seats.values() else "lay"
    return seats
