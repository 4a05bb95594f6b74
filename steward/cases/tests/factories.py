"""Builders for the cases tests: people in the roles cases need (case examiners and
panel members with their lay or manager category), a registrant with a career, a case
at a given stage with allegations, a hearing with its panel, a case examiners' world,
determinations built directly (with distinctive restricted values) and signing in for
the permission matrices.

Each takes only what a test usually varies; everything else has a plain default.
"""

import datetime as dt
import itertools
from types import SimpleNamespace

from steward.accounts.models import RoleAssignment, User
from steward.cases.hearings import hearing_held
from steward.cases.models import (
    Case,
    CaseSource,
    Determination,
    DeterminationKind,
    Hearing,
    HearingKind,
    PanelSeat,
    Sanction,
    Stage,
)
from steward.cases.sanctions import sanction_from_determination
from steward.cases.services import allegation_add, case_open, evidence_add
from steward.core import clock
from steward.register.models import Registrant
from steward.register.services import career_role_add, registrant_create

CONDUCT_ON = dt.date(2025, 9, 1)  # version 1 of the standards is in force then
HEARING_DAY = dt.date(2026, 7, 1)
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


def examiners_world(organisation) -> SimpleNamespace:
    """A case waiting for the case examiners about Alex Morgan (who signs in, and has
    held a role at ``organisation`` since 2020), and a lay and a manager examiner."""
    account = person_make("registrant", full_name="Alex Morgan")
    registrant = registrant_make(user=account, roles=[(organisation, dt.date(2020, 1, 1), None)])
    return SimpleNamespace(
        account=account,
        registrant=registrant,
        case=case_make(registrant=registrant, stage=Stage.CASE_EXAMINERS),
        lay=examiner_make("lay", full_name="Lee Lay"),
        manager=examiner_make("manager", full_name="Mo Manager"),
        organisation=organisation,
    )


def hearing_world(travel, *, organisation=None, health_related=False, allegations=2):
    """A substantive hearing held on 1 July 2026, its draft determination, and the
    people around it: the registrant (with a role at ``organisation``), the hearings
    officer, the three panel members."""
    travel(HEARING_DAY - dt.timedelta(days=28))
    account = person_make("registrant", full_name="Zofia Wiśniewska")
    roles = [(organisation, dt.date(2021, 4, 1), None)] if organisation else []
    registrant = registrant_make(forenames="Zofia", surname="Wiśniewska", user=account, roles=roles)
    case = case_make(
        registrant=registrant,
        stage=Stage.PANEL_HEARING,
        allegations=allegations,
        health_related=health_related,
    )
    officer = person_make("hearings_officer", full_name="Fiona MacLeod")
    hearing = hearing_make(case=case, officer=officer)
    travel(HEARING_DAY)
    hearing_held(hearing=hearing, actor=officer)
    case.refresh_from_db()
    seats = list(hearing.panel.select_related("member").order_by("-is_chair", "pk"))
    return SimpleNamespace(
        account=account,
        registrant=registrant,
        case=case,
        officer=officer,
        hearing=hearing,
        member=seats[0].member,
        other_member=seats[1].member,
        draft=hearing.determinations.get(),
    )


def matrix_sign_in(client, role_user, role: str | None, case: Case) -> None:
    """Sign in as someone holding ``role`` (nobody for ``None``); the registrant role
    signs in as the manager ``case`` is about."""
    if role:
        user = role_user(role)
        if role == "registrant":
            Registrant.objects.filter(pk=case.registrant_id).update(user=user)
        client.force_login(user)


# --- Sanctions: determinations built directly, with distinctive restricted values ---

# Distinctive restricted values: none may reach a public page, the API or an alert.
RESTRICTED = {
    "case summary": "CASE-SUMMARY-SECRET board papers were altered",
    "allegation": "ALLEGATION-SECRET approved falsified waiting-time figures",
    "evidence title": "EVIDENCE-TITLE-SECRET internal audit memo",
    "evidence file": "evidence-secret-memo.pdf",
    "sanction reasons": "PANEL-REASONS-SECRET the panel weighed the testimony",
    "impairment reasons": "IMPAIRMENT-SECRET insight was limited",
    "less severe": "LESS-SEVERE-SECRET conditions would not protect the public",
    "facts reasons": "FACTS-SECRET the minutes were changed after the meeting",
}
SUMMARY = "The panel found that the registrant approved misleading reports to the board."


def make_registrant(organisation=None, **names):
    details = {"legal_forenames": "Alex", "legal_surname": "Morgan"} | names
    registrant = registrant_create(actor="tests", reason="test data", **details)
    if organisation is not None:
        career_role_add(
            registrant=registrant,
            organisation=organisation,
            title="Chief Operating Officer",
            category="executive_director",
            start_date=dt.date(2021, 4, 1),
            actor="tests",
            reason="test data",
        )
    return registrant


def make_case(registrant, caseworker, *, health_related=False, restricted=False) -> Case:
    case = case_open(
        registrant=registrant,
        source=CaseSource.OWN_MOTION,
        summary=RESTRICTED["case summary"],
        health_related=health_related,
        actor=caseworker,
    )
    if restricted:
        allegation_add(
            case=case,
            text=RESTRICTED["allegation"],
            conduct_on=dt.date(2025, 9, 1),
            refs=["CC3"],
            actor=caseworker,
        )
        evidence_add(
            case=case,
            title=RESTRICTED["evidence title"],
            file_name=RESTRICTED["evidence file"],
            media_type="application/pdf",
            content=b"%PDF-1.4 memo",
            actor=caseworker,
            disclosed=True,
        )
    return case


def make_determination(case, sanction="", **values) -> Determination:
    details = {
        "kind": DeterminationKind.PANEL,
        "sanction": sanction,
        "facts": {"1": {"proved": True, "reasons": RESTRICTED["facts reasons"]}},
        "impaired": bool(sanction),
        "impairment_reasons": RESTRICTED["impairment reasons"],
        "sanction_reasons": RESTRICTED["sanction reasons"],
        "less_severe_rejected": {"warning": RESTRICTED["less severe"]},
        "published_summary": SUMMARY if sanction not in ("", "advice") else "",
        "effective_from": clock.today(),
        "issued_at": clock.now(),
    } | values
    return Determination.objects.create(case=case, **details)


def decide(case, actor, sanction="", **values) -> Sanction | None:
    return sanction_from_determination(
        determination=make_determination(case, sanction, **values), actor=actor
    )


def months_later(months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return clock.today() + relativedelta(months=months)


def status_of(registrant) -> str:
    registrant.refresh_from_db()
    return registrant.status
