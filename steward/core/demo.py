"""Demo data: the real NHS organisations and one synthetic person per role.

Idempotent: running it again creates nothing new and changes nothing. Used by
``steward demo`` (and so by ``make run``) and by the browser tests.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction

from steward.accounts import services as account_services
from steward.accounts.models import RoleAssignment, User
from steward.accounts.roles import MFA_ROLES
from steward.organisations.models import Organisation, Region

ACTOR = "steward demo"
DEMO_PASSWORD = "Steward-demo-2026"  # noqa: S105 - printed for local demos on purpose
DEMO_DOMAIN = "demo.steward.example"
DEMO_TRUST = "RR8"  # Leeds Teaching Hospitals NHS Trust
DEMO_REGION = "Y63"  # North East and Yorkshire
DEMO_NATIONAL_BODY = "X24"  # NHS England


@dataclass(frozen=True)
class DemoPerson:
    local_part: str
    full_name: str
    role: str
    organisation: str | None = None
    region: str | None = None
    panel_category: str = ""


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("registrant", "Siobhán O'Connor", "registrant"),
    DemoPerson("chair", "Adebayo Okonkwo-Hughes", "chair", DEMO_TRUST),
    DemoPerson("chief-executive", "Zoë Clarke-Bennett", "chief_executive", DEMO_TRUST),
    DemoPerson("sid", "Gareth Llewellyn", "senior_independent_director", DEMO_TRUST),
    DemoPerson("hr-lead", "Priya Raghunathan", "hr_lead", DEMO_TRUST),
    DemoPerson(
        "regional-director", "Margaret Ó Súilleabháin", "regional_director", region=DEMO_REGION
    ),
    DemoPerson("caseworker", "Tomasz Wiśniewski", "caseworker"),
    DemoPerson("custodian", "Niamh Gallagher", "custodian"),
    DemoPerson("case-examiner", "Helen D'Souza", "case_examiner", panel_category="manager"),
    DemoPerson("case-examiner-lay", "Dafydd Pritchard", "case_examiner", panel_category="lay"),
    DemoPerson("registrar", "Kwame Mensah", "registrar"),
    DemoPerson("hearings-officer", "Fiona MacLeod", "hearings_officer"),
    DemoPerson("panel-lay", "Imran Qureshi", "panel_member", panel_category="lay"),
    DemoPerson("panel-manager", "Rachel Whitfield", "panel_member", panel_category="manager"),
    DemoPerson("panel-lay-2", "Margaret Oyelowo", "panel_member", panel_category="lay"),
    DemoPerson("auditor", "Chen Wei", "auditor"),
    DemoPerson("administrator", "José Martínez", "administrator"),
    DemoPerson("data-issuer", "Olivia Brennan", "data_request_issuer", DEMO_NATIONAL_BODY),
    DemoPerson("data-responder", "Samuel Adeyemi", "data_request_responder", DEMO_TRUST),
)


def demo_email(person: DemoPerson) -> str:
    return f"{person.local_part}@{DEMO_DOMAIN}"


def demo_totp_secret(email: str) -> str:
    """A fixed, printed TOTP secret per demo user, so a demo can be signed into."""
    digest = hashlib.sha256(f"steward-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


@dataclass
class DemoSignIn:
    role: str
    where: str
    email: str
    password: str
    totp_secret: str | None


def demo_load() -> list[DemoSignIn]:
    """Load organisations and demo people; return the sign-ins to print."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from steward.organisations.services import organisations_load_reference_data

    organisations_load_reference_data(actor=ACTOR)
    sign_ins: list[DemoSignIn] = []
    with transaction.atomic():
        for person in DEMO_PEOPLE:
            email = demo_email(person)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = account_services.user_create(
                    email=email,
                    full_name=person.full_name,
                    password=DEMO_PASSWORD,
                    actor=ACTOR,
                    reason="demo data",
                )
            organisation = (
                Organisation.objects.get(ods_code=person.organisation)
                if person.organisation
                else None
            )
            region = Region.objects.get(code=person.region) if person.region else None
            held = RoleAssignment.objects.current().filter(
                user=user, role=person.role, organisation=organisation, region=region
            )
            if not held.exists():
                account_services.role_grant(
                    user=user,
                    role=person.role,
                    organisation=organisation,
                    region=region,
                    panel_category=person.panel_category,
                    actor=ACTOR,
                    reason="demo data",
                )
            secret = None
            if person.role in MFA_ROLES:
                secret = demo_totp_secret(email)
                if not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists():
                    TOTP.activate(user, secret)
            where = organisation.name if organisation else region.name if region else ""
            label = dict(RoleAssignment._meta.get_field("role").choices)[person.role]
            if person.panel_category:
                label = f"{label} ({person.panel_category})"
            sign_ins.append(DemoSignIn(label, where, email, DEMO_PASSWORD, secret))
    _register_demo_load()
    _capabilities_demo_load()
    return sign_ins


def _capabilities_demo_load() -> None:
    """Standards, references and appointments, then a year and a half of the fit and
    proper person test and its annual returns, then concerns in every state, then
    fitness-to-practise cases at every stage (in that order: each builds on the last)."""
    from steward.cases.demo import cases_demo_load
    from steward.concerns.demo import concerns_demo_load
    from steward.fitness.demo import fitness_demo_load
    from steward.fitness.demo_returns import fitness_returns_demo_load
    from steward.references.demo import references_demo_load
    from steward.standards.demo import standards_demo_load

    standards_demo_load(actor=ACTOR)
    references_demo_load(actor=ACTOR)
    fitness_demo_load(actor=ACTOR)
    fitness_returns_demo_load(actor=ACTOR)
    concerns_demo_load(actor=ACTOR)
    cases_demo_load(actor=ACTOR)


# Demo people who also have a register record of their own: role → (ODS, category, title).
REGISTER_RECORDS = {
    "registrant": (DEMO_TRUST, "executive_director", "Chief People Officer"),
    "chair": (DEMO_TRUST, "chair", "Chair"),
    "chief_executive": (DEMO_TRUST, "chief_executive", "Chief Executive"),
    "senior_independent_director": (
        DEMO_TRUST,
        "non_executive_director",
        "Senior Independent Director",
    ),
    "hr_lead": (DEMO_TRUST, "senior_manager", "Company Secretary"),
}


def _register_demo_load() -> int:
    from steward.register.demo import register_demo_load

    people = {}
    for person in DEMO_PEOPLE:
        if person.role in REGISTER_RECORDS:
            people[User.objects.get(email=demo_email(person))] = REGISTER_RECORDS[person.role]
    return register_demo_load(actor=ACTOR, people_for_users=people)


def demo_totp_code(email: str) -> str:
    """The current code for a demo user's authenticator (for demos and tests)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(demo_totp_secret(email), counter))
