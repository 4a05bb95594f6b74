"""Conflicts of interest for case examiners and panel members.

The rule Steward applies: **same organisation in the past five years is a conflict.**
Someone has a conflict with a case when

- they are the registrant the case is about; or
- they are connected with an organisation where the registrant held a role (the
  registrant's career history on the register), and
  - their connection lasted into the five years before the case opened (or began
    since), and
  - their time there and the registrant's overlap, or are no more than five years
    apart.

Someone's connections with an organisation are the roles on their own register record
(``user.registrant``), the interests they declared (``DeclaredInterest``) and any
Steward role they hold or held at that organisation. A connection with no start date
counts as having always been there; one with no end date as lasting until now.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from steward.audit.services import audit_record
from steward.cases.models import Case, DeclaredInterest
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date

FIVE_YEARS = relativedelta(years=5)


@dataclass(frozen=True)
class Connection:
    """A period someone was connected with an organisation, and how."""

    organisation_id: int
    organisation_name: str
    start: dt.date | None
    end: dt.date | None
    how: str  # "role", "interest" or "steward_role"
    detail: str = ""


def _period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"from {uk_date(start)} to {uk_date(end)}"
    if start:
        return f"since {uk_date(start)}"
    if end:
        return f"until {uk_date(end)}"
    return "with no dates given"


def _within_five_years(a: Connection, b: Connection) -> bool:
    """The two periods overlap or are no more than five years apart."""
    a_start, a_end = a.start or dt.date.min, a.end or dt.date.max
    b_start, b_end = b.start or dt.date.min, b.end or dt.date.max
    if a_start <= b_end and b_start <= a_end:
        return True
    earlier_end, later_start = (a_end, b_start) if a_end < b_start else (b_end, a_start)
    return later_start <= earlier_end + FIVE_YEARS


def _registrant_connections(case: Case) -> list[Connection]:
    from steward.register.models import CareerRole

    roles = CareerRole.objects.filter(
        Q(registrant_id=case.registrant_id) | Q(registrant__merged_into_id=case.registrant_id)
    ).select_related("organisation")
    return [
        Connection(
            organisation_id=role.organisation_id,
            organisation_name=role.organisation.name,
            start=role.start_date,
            end=role.end_date,
            how="role",
        )
        for role in roles
    ]


def _person_connections(user) -> list[Connection]:
    from steward.accounts.models import RoleAssignment
    from steward.register.models import CareerRole

    connections = [
        Connection(
            organisation_id=role.organisation_id,
            organisation_name=role.organisation.name,
            start=role.start_date,
            end=role.end_date,
            how="role",
            detail=role.title,
        )
        for role in CareerRole.objects.filter(registrant__user=user).select_related("organisation")
    ]
    connections += [
        Connection(
            organisation_id=interest.organisation_id,
            organisation_name=interest.organisation.name,
            start=interest.from_date,
            end=interest.to_date,
            how="interest",
            detail=interest.description,
        )
        for interest in DeclaredInterest.objects.filter(user=user).select_related("organisation")
    ]
    connections += [
        Connection(
            organisation_id=assignment.organisation_id,
            organisation_name=assignment.organisation.name,
            start=clock.localdate(assignment.granted_at),
            end=clock.localdate(assignment.revoked_at) if assignment.revoked_at else None,
            how="steward_role",
            detail=assignment.get_role_display(),
        )
        for assignment in RoleAssignment.objects.filter(
            user=user, organisation__isnull=False
        ).select_related("organisation")
    ]
    return connections


def _is_the_registrant(user, case: Case) -> bool:
    from steward.register.models import Registrant

    if case.registrant.user_id == user.pk:
        return True
    return (
        Registrant.objects.filter(user=user)
        .filter(Q(pk=case.registrant_id) | Q(merged_into_id=case.registrant_id))
        .exists()
    )


def conflicts_for(*, user, case: Case) -> list[str]:
    """Why ``user`` may not decide or hear ``case``, in plain English; empty when they
    have no conflict. See the module docstring for the rule."""
    name = user.full_name or "This person"
    if _is_the_registrant(user, case):
        return [f"{name} is the registrant this case is about."]
    window_start = case.opened_on - FIVE_YEARS
    theirs = _registrant_connections(case)
    reasons: list[str] = []
    for mine in _person_connections(user):
        if mine.end is not None and mine.end < window_start:
            continue
        overlapping = [
            other
            for other in theirs
            if other.organisation_id == mine.organisation_id and _within_five_years(mine, other)
        ]
        if not overlapping:
            continue
        registrant_periods = "; ".join(
            dict.fromkeys(_period_text(other.start, other.end) for other in overlapping)
        )
        where = mine.organisation_name
        if mine.how == "role":
            how = f"held a role at {where} ({mine.detail}, {_period_text(mine.start, mine.end)})"
        elif mine.how == "interest":
            how = (
                f"declared an interest in {where} ({mine.detail}, "
                f"{_period_text(mine.start, mine.end)})"
            )
        else:
            how = (
                f"holds or held the {mine.detail.lower()} role in Steward at {where} "
                f"({_period_text(mine.start, mine.end)})"
            )
        reason = (
            f"{name} {how}, and the registrant held a role there ({registrant_periods}): "
            "the same organisation in the past five years."
        )
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def interest_declare(
    *,
    user,
    organisation,
    description: str,
    from_date: dt.date | None,
    to_date: dt.date | None,
    actor,
) -> DeclaredInterest:
    """Record an interest a panel member or case examiner has in an NHS organisation
    (a past role, a relationship, a contract), so conflicts can be checked. People
    declare their own interests; a hearings officer may record one they were told of."""
    acting = actor_user(actor)
    if acting is None or user is None:
        raise PermissionDenied("Only panel members and case examiners declare interests.")
    own = acting.pk == user.pk and acting.has_perm("cases.declare_interests")
    if not own and not acting.has_perm("cases.arrange_hearings"):
        raise PermissionDenied("You can only declare your own interests.")
    if not user.has_perm("cases.declare_interests"):
        raise ValidationError(
            f"{user.full_name or 'This person'} is not a panel member or case examiner, "
            "so has no interests to declare."
        )
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the organisation the interest is in"
    try:
        text = clean_text(
            description,
            name="description",
            message="Describe the interest, for example “Non-executive director”",
            limit=500,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    today = clock.today()
    if from_date is not None and from_date > today:
        errors["from_date"] = "The start date must be today or in the past"
    if from_date is not None and to_date is not None and to_date < from_date:
        errors["to_date"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interest = DeclaredInterest.objects.create(
            user=user,
            organisation=organisation,
            description=text,
            from_date=from_date,
            to_date=to_date,
        )
        audit_record(
            actor=actor,
            action="cases.interest.declared",
            subject=interest,
            payload={
                "user": user.pk,
                "organisation": organisation.ods_code,
                "from_date": from_date,
                "to_date": to_date,
            },
        )
    return interest


def possibly_conflicted(*, case: Case, user_ids: set[int]) -> set[int]:
    """Who among ``user_ids`` might have a conflict with the case: anyone linked to the
    registrant's record, or connected in any way with an organisation where the
    registrant held a role. Everyone else has none, so ``conflicts_for`` (which has
    the last word, and the reasons) is asked only about these few."""
    from steward.accounts.models import RoleAssignment
    from steward.register.models import CareerRole, Registrant

    if not user_ids:
        return set()
    theirs = Q(registrant_id=case.registrant_id) | Q(registrant__merged_into_id=case.registrant_id)
    organisations = CareerRole.objects.filter(theirs).values("organisation_id")
    found = set(
        Registrant.objects.filter(user_id__in=user_ids)
        .filter(Q(pk=case.registrant_id) | Q(merged_into_id=case.registrant_id))
        .values_list("user_id", flat=True)
    )
    if case.registrant.user_id in user_ids:
        found.add(case.registrant.user_id)
    found |= set(
        CareerRole.objects.filter(
            registrant__user_id__in=user_ids, organisation_id__in=organisations
        ).values_list("registrant__user_id", flat=True)
    )
    found |= set(
        DeclaredInterest.objects.filter(
            user_id__in=user_ids, organisation_id__in=organisations
        ).values_list("user_id", flat=True)
    )
    found |= set(
        RoleAssignment.objects.filter(
            user_id__in=user_ids, organisation_id__in=organisations
        ).values_list("user_id", flat=True)
    )
    return found
