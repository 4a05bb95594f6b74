"""An employer's board and senior manager roster: the reads and writes behind it.

Employers (chair, chief executive, senior independent director, HR lead) keep
the roster of their own organisation. They see a person's full record only
while that person holds a current role there, and even then only the
restricted details of roles at their organisation: never previous names,
never why someone left another employer.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from steward.accounts.roles import EMPLOYER_ROLES
from steward.core import clock
from steward.core.formatting import uk_date
from steward.register import services
from steward.register.board_events import board_role_ended, board_role_started
from steward.register.models import CareerRole, Registrant, RoleCategory, StaffNumber
from steward.register.numbers import clean_registration_number, is_valid_registration_number
from steward.register.selectors import registrant_resolve

# The order the roster shows its groups in, and each group's heading.
CATEGORY_HEADINGS = (
    (RoleCategory.CHAIR, "Chair"),
    (RoleCategory.CHIEF_EXECUTIVE, "Chief executive"),
    (RoleCategory.EXECUTIVE_DIRECTOR, "Executive directors"),
    (RoleCategory.NON_EXECUTIVE_DIRECTOR, "Non-executive directors"),
    (RoleCategory.SENIOR_MANAGER, "Senior managers"),
)
# Only public columns are read for the roster list: restricted ones never leave the database.
ROSTER_COLUMNS = (
    "id",
    "version",
    "organisation_id",
    "title",
    "category",
    "start_date",
    "end_date",
    "is_interim",
    "registrant_id",
    "registrant__registration_number",
    "registrant__legal_forenames",
    "registrant__legal_surname",
    "registrant__known_as",
    "registrant__status",
    "registrant__surname_key",
)
ADDED_REASON = "Added to the board and senior manager roster by the employer"
ENDED_REASON = "Role ended on the board and senior manager roster by the employer"


def _current(today: dt.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


# --- Reads ------------------------------------------------------------------


def employer_organisations(*, user) -> list:
    """The organisations where the user holds an employer role now, by name."""
    from steward.accounts.selectors import organisations_where

    return organisations_where(user=user, roles=EMPLOYER_ROLES)


@dataclass
class RosterGroup:
    category: str
    heading: str
    roles: list[CareerRole] = field(default_factory=list)


def roster_current(*, organisation, today: dt.date | None = None) -> list[RosterGroup]:
    """The board and senior managers now, grouped by category (empty groups included)."""
    today = today or clock.today()
    groups = {category: RosterGroup(category, heading) for category, heading in CATEGORY_HEADINGS}
    roles = (
        CareerRole.objects.filter(_current(today), organisation=organisation)
        .select_related("registrant")
        .only(*ROSTER_COLUMNS)
        .order_by("registrant__surname_key", "registrant__legal_forenames", "start_date", "pk")
    )
    for role in roles:
        groups[role.category].roles.append(role)
    return list(groups.values())


def roster_past(*, organisation, today: dt.date | None = None) -> QuerySet:
    """Roles at the organisation that have ended, most recently ended first."""
    today = today or clock.today()
    return (
        CareerRole.objects.filter(organisation=organisation, end_date__lt=today)
        .select_related("registrant")
        .only(*ROSTER_COLUMNS)
        .order_by("-end_date", "registrant__surname_key", "pk")
    )


def roster_role_get(*, pk: int) -> CareerRole:
    """A career role with its person and organisation (raises CareerRole.DoesNotExist)."""
    return CareerRole.objects.select_related("registrant", "organisation").get(pk=pk)


@dataclass
class PersonRecord:
    """What an employer may see of one of their people."""

    registrant: Registrant
    # Every role in their career: the public facts of each.
    roles: list[CareerRole]
    # Roles at the viewer's organisations: their restricted details may be shown.
    roles_here: list[CareerRole]
    staff_numbers: list[StaffNumber]
    restricted_fields: list[str]

    @property
    def current_roles_here(self) -> list[CareerRole]:
        return [role for role in self.roles_here if role.is_current]


def roster_person_get(*, user, registration_number: str, today=None) -> PersonRecord:
    """One of the employer's people, while they hold a current role at the employer's
    organisation. Anyone else, or a number that is not on the register, raises
    ``Registrant.DoesNotExist``: the caller cannot tell the two apart."""
    today = today or clock.today()
    number = clean_registration_number(registration_number)
    organisation_ids = {org.pk for org in employer_organisations(user=user)}
    if not organisation_ids or not is_valid_registration_number(number):
        raise Registrant.DoesNotExist
    registrant = (
        Registrant.objects.on_register()
        .filter(
            registration_number=number,
            career_roles__organisation_id__in=organisation_ids,
        )
        .filter(Q(career_roles__end_date__isnull=True) | Q(career_roles__end_date__gte=today))
        .distinct()
        .get()
    )
    roles = list(
        CareerRole.objects.filter(registrant=registrant)
        .select_related("organisation")
        .order_by("-start_date", "-pk")
    )
    roles_here = [role for role in roles if role.organisation_id in organisation_ids]
    staff_numbers = list(
        StaffNumber.objects.filter(registrant=registrant, organisation_id__in=organisation_ids)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    restricted = ["date_of_birth", "email", "phone", "address"]
    if staff_numbers:
        restricted.append("staff_number")
    if any(role.end_date for role in roles_here):
        restricted += ["reason_for_leaving", "settlement_agreement"]
    return PersonRecord(
        registrant=registrant,
        roles=roles,
        roles_here=roles_here,
        staff_numbers=staff_numbers,
        restricted_fields=restricted,
    )


# --- Writes -----------------------------------------------------------------


def registrant_find(*, registration_number: str) -> Registrant | None:
    """The record a registration number leads to: a merged duplicate leads to the kept record."""
    return registrant_resolve(registration_number=registration_number)


def roster_member_add(
    *,
    organisation,
    actor,
    title: str,
    category: str,
    start_date: dt.date,
    is_interim: bool,
    registration_number: str | None = None,
    new_person: dict | None = None,
    employee_number: str = "",
) -> CareerRole:
    """Add a role to the organisation's roster for someone on the register, or for a
    new person whose record is created first. All or nothing: if any part is
    refused (a staff number already in use, say), nothing is saved."""
    if (registration_number is None) == (new_person is None):
        raise ValueError("Give either a registration number or a new person's details.")
    registrant = None
    if registration_number is not None:
        registrant = registrant_find(registration_number=registration_number)
        if registrant is None:
            raise ValidationError(
                {
                    "registration_number": (
                        f"No one on the register has the registration number "
                        f"{clean_registration_number(registration_number)}. Check the number, "
                        "or choose ‘No’ to add them to the register"
                    )
                }
            )
        duplicate = CareerRole.objects.filter(
            _current(clock.today()),
            registrant=registrant,
            organisation=organisation,
            category=category,
            title__iexact=title.strip(),
            start_date=start_date,
        ).exists()
        if duplicate:
            raise ValidationError(
                f"{registrant.display_name} already has this role at {organisation.name}, "
                f"from {uk_date(start_date)}. Check the roster before adding it again."
            )
    with transaction.atomic():
        if registrant is None:
            registrant = services.registrant_create(
                legal_forenames=new_person["legal_forenames"],
                legal_surname=new_person["legal_surname"],
                known_as=new_person.get("known_as") or "",
                date_of_birth=new_person.get("date_of_birth"),
                email=new_person.get("email") or "",
                actor=actor,
                reason=f"{ADDED_REASON} at {organisation.ods_code}",
            )
        role = services.career_role_add(
            registrant=registrant,
            organisation=organisation,
            title=title,
            category=category,
            start_date=start_date,
            is_interim=is_interim,
            actor=actor,
            reason=ADDED_REASON,
        )
        if employee_number.strip():
            services.staff_number_set(
                registrant=registrant,
                organisation=organisation,
                employee_number=employee_number,
                actor=actor,
            )
        board_role_started(role=role, actor=actor)
    return role


def roster_role_end(
    *,
    role: CareerRole,
    expected_version: int,
    end_date: dt.date,
    reason_for_leaving: str,
    settlement_agreement: bool,
    settlement_confidentiality_terms: bool,
    actor,
) -> CareerRole:
    """End a role (or correct how it ended), refused with ``StaleEdit`` if someone
    else changed it since the form was opened."""
    if not (reason_for_leaving or "").strip():
        raise ValidationError({"reason_for_leaving": "Enter the reason they left the role"})
    with transaction.atomic():
        updated = services.career_role_update(
            role=role,
            expected_version=expected_version,
            changes={
                "end_date": end_date,
                "reason_for_leaving": reason_for_leaving.strip(),
                "settlement_agreement": settlement_agreement,
                "settlement_confidentiality_terms": settlement_agreement
                and settlement_confidentiality_terms,
            },
            actor=actor,
            reason=ENDED_REASON,
        )
        board_role_ended(role=updated, actor=actor)
    return updated
