"""Builders for the cases tests: people in the roles cases need (case examiners and
panel members with their lay or manager category), a registrant with a career, a case
at a given stage with allegations, and a hearing with its panel.

Each takes only what a test usually varies; everything else has a plain default.
"""

import datetime as dt
import itertools

from steward.accounts.models import RoleAssignment, User
from steward.cases.models import Case, CaseSource, Hearing, HearingKind, PanelSeat, Stage
from steward.cases.services import allegation_add, case_open
from steward.core import clock
from steward.register.models import Registrant
from steward.register.services import career_role_add, registrant_create

CONDUCT_ON = dt.date(2025, 9, 1)  # version 1 of the standards is in force then
_serial = itertools.count(1)


def person_make(
    role: str | None = None,
    *,
    category: str = "",
    full_name: str = "",
    organisation=None,
    region=None,
) -> User:
    """Someone who signs in, holding ``role`` (with ``category`` "lay" or "manager" for
    case examiners and panel members)."""
    number = next(_serial)
    user = User.objects.create_user(
        email=f"cases-person{number}@test.steward.example",
        password="a-long-test-password",  # noqa: S106
        full_name=full_name or f"Person {number}",
    )
    if role:
        RoleAssignment.objects.create(
            user=user,
            role=role,
            organisation=organisation,
            region=region,
            panel_category=category,
        )
    return user


def examiner_make(category: str = "lay", *, full_name: str = "") -> User:
    return person_make("case_examiner", category=category, full_name=full_name)


def panel_member_make(category: str = "lay", *, full_name: str = "") -> User:
    return person_make("panel_member", category=category, full_name=full_name)


def caseworker_make() -> User:
    return person_make("caseworker", full_name="Casey Worker")


def registrant_make(
    *,
    forenames: str = "Alex",
    surname: str = "Morgan",
    user=None,
    email: str = "",
    roles=(),
) -> Registrant:
    """A registrant; ``roles`` are ``(organisation, start_date, end_date)`` career roles."""
    registrant = registrant_create(
        legal_forenames=forenames,
        legal_surname=surname,
        email=email,
        user=user,
        actor="cases tests",
        reason="Test record",
    )
    for organisation, start_date, end_date in roles:
        career_role_add(
            registrant=registrant,
            organisation=organisation,
            title="Director of Operations",
            category="executive_director",
            start_date=start_date,
            end_date=end_date,
            actor="cases tests",
            reason="Test record",
        )
    return registrant


def case_make(
    *,
    registrant: Registrant | None = None,
    stage: str = Stage.TRIAGE,
    allegations: int = 1,
    health_related: bool = False,
    caseworker: User | None = None,
) -> Case:
    """A case opened today with ``allegations`` allegations (citing CC1 as in force on
    1 September 2025), put straight at ``stage``."""
    caseworker = caseworker or caseworker_make()
    case = case_open(
        registrant=registrant or registrant_make(),
        source=CaseSource.OWN_MOTION,
        summary="A matter the regulator noticed.",
        health_related=health_related,
        actor=caseworker,
    )
    for number in range(1, allegations + 1):
        allegation_add(
            case=case,
            text=f"Allegation text {number}.",
            conduct_on=CONDUCT_ON,
            refs=["CC1"],
            actor=caseworker,
        )
    if stage != case.stage:
        Case.objects.filter(pk=case.pk).update(stage=stage)
        case.refresh_from_db()
    return case


def hearing_make(
    *,
    case: Case,
    kind: str = HearingKind.SUBSTANTIVE,
    starts_on: dt.date | None = None,
    panel: bool = True,
    officer: User | None = None,
) -> Hearing:
    """A hearing (notice served today, starting in 28 days unless told) with, when
    ``panel``, a seated panel: a lay chair, a lay member and a manager member."""
    today = clock.today()
    hearing = Hearing.objects.create(
        case=case,
        kind=kind,
        starts_on=starts_on or today + dt.timedelta(days=28),
        location="Remote",
        notice_served_on=today,
        scheduled_by=officer or person_make("hearings_officer"),
    )
    if panel:
        for category, is_chair in (("lay", True), ("lay", False), ("manager", False)):
            PanelSeat.objects.create(
                hearing=hearing,
                member=panel_member_make(category),
                category=category,
                is_chair=is_chair,
            )
    return hearing
