"""A realistic demo register: board rosters for every organisation.

Synthetic people only, with names from many backgrounds (accents, apostrophes,
hyphens, double-barrelled and previous names). Deterministic, and loaded once:
a register that already has people is left alone.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from steward.audit.services import audit_record
from steward.core import clock
from steward.core.text import search_text
from steward.organisations.models import Organisation, OrganisationType
from steward.register.models import (
    CareerRole,
    PreviousName,
    Qualification,
    QualificationStatus,
    RegisterStatus,
    Registrant,
    RoleCategory,
    StatusChange,
)
from steward.register.services import registration_numbers_issue

SEED = 20261122

FORENAMES = (
    "Adebayo",
    "Aisha",
    "Aleksandra",
    "Amara",
    "Amir",
    "Ana",
    "Anjali",
    "Aoife",
    "Bartosz",
    "Bethan",
    "Björn",
    "Catrin",
    "Chen",
    "Chidi",
    "Chloé",
    "Ciarán",
    "Daniel",
    "Deepa",
    "Dafydd",
    "Elif",
    "Émile",
    "Eilidh",
    "Fatima",
    "Fiona",
    "François",
    "Gareth",
    "Grace",
    "Hamza",
    "Hannah",
    "Hélène",
    "Imran",
    "Ioana",
    "Isabel",
    "Jakub",
    "James",
    "Jasmine",
    "José",
    "Joanna",
    "Kemi",
    "Kwame",
    "Lakshmi",
    "Leila",
    "Liam",
    "Lucía",
    "Mairéad",
    "Malik",
    "Margaret",
    "Mariam",
    "Mateusz",
    "Mei",
    "Mohammed",
    "Naledi",
    "Niamh",
    "Nikolai",
    "Noor",
    "Olumide",
    "Oluwaseun",
    "Oscar",
    "Padraig",
    "Priya",
    "Rachel",
    "Rhiannon",
    "Rosa",
    "Ruth",
    "Samuel",
    "Sanjay",
    "Saoirse",
    "Seren",
    "Siobhán",
    "Sofia",
    "Søren",
    "Tariq",
    "Thomas",
    "Tomasz",
    "Uchenna",
    "Wei",
    "Yasmin",
    "Yusuf",
    "Zainab",
    "Zoë",
    "Zoltán",
)
SURNAMES = tuple(
    name.strip()
    for name in (
        "Abbott",
        "Adeyemi",
        "Ahmed",
        "Akhtar",
        "Anderson",
        "Bailey",
        "Banerjee",
        "Bennett",
        "Brennan",
        "Campbell",
        "Chakraborty",
        "Chowdhury",
        "Clarke",
        "Costa",
        "Dąbrowski",
        "D'Souza",
        "Davies",
        "Edwards",
        "Evans",
        "Fernández",
        "Fitzgerald",
        "García",
        "Ghosh",
        "Gonzalez",
        "Gruffydd",
        "Hughes",
        "Hussain",
        "Iqbal",
        "Jankowski",
        "Jones",
        "Kaur",
        "Kowalski",
        "Kumar",
        "Lewis",
        "Li",
        "Llewellyn",
        "MacDonald",
        "MacLeod",
        "McCarthy",
        "Mensah",
        "Mohamud",
        "Murphy",
        "Müller",
        "Nowak",
        "Nwosu",
        "O'Brien",
        "O'Connor",
        "O'Neill",
        "Okafor",
        "Okonkwo",
        "Ó Súilleabháin",
        "Osei",
        "Owusu",
        "Patel",
        "Pereira",
        "Quinn",
        "Rahman",
        "Ramírez",
        "Reddy",
        "Roberts",
        "Rossi",
        "Shah",
        "Siddiqui",
        "Singh",
        "Smith",
        "Suzuki",
        "Taylor",
        "Thomas",
        "Van der Berg",
        "Walker",
        "Wang",
        "Whitfield",
        "Williams",
        "Wiśniewski",
        "Wright",
        "Yilmaz",
        "Zhang",
    )
)
EXECUTIVE_TITLES = (
    "Chief Finance Officer",
    "Chief Nurse",
    "Medical Director",
    "Chief Operating Officer",
    "Chief People Officer",
    "Director of Strategy",
    "Chief Digital Information Officer",
)
SENIOR_MANAGER_TITLES = (
    "Company Secretary",
    "Director of Estates",
    "Deputy Chief Operating Officer",
    "Director of Communications",
    "Head of Governance",
)
QUALIFICATIONS = (
    ("Chartered Institute of Public Finance and Accountancy qualification", "CIPFA"),
    ("Master of Business Administration", "Open University"),
    ("Registered Nurse (adult)", "Nursing and Midwifery Council"),
    ("Chartered Member of the CIPD", "Chartered Institute of Personnel and Development"),
    ("Nye Bevan Programme", "NHS Leadership Academy"),
)


@dataclass
class _Person:
    registrant: Registrant
    previous_surname: str | None


def _name(rng: random.Random) -> tuple[str, str, str, str | None]:
    forenames = rng.choice(FORENAMES)
    if rng.random() < 0.15:
        forenames = f"{forenames} {rng.choice(FORENAMES)}"
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.12:
        surname = f"{surname}-{rng.choice(SURNAMES)}"
    known_as = ""
    if rng.random() < 0.08:
        known_as = {"Margaret": "Maggie", "Thomas": "Tom", "Daniel": "Dan", "Samuel": "Sam"}.get(
            forenames.split()[0], ""
        )
    previous = rng.choice(SURNAMES) if rng.random() < 0.1 else None
    return forenames, surname, known_as, previous


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def register_demo_load(*, actor: str = "steward demo", people_for_users: dict | None = None):
    """Load the demo register once; return the number of registrants created.

    ``people_for_users`` maps demo users to (organisation ODS code, category,
    title) so each demo person with an employer or registrant role also has a
    register record of their own.
    """
    if Registrant.objects.exists():
        return 0
    rng = random.Random(SEED)
    today = clock.today()
    organisations = list(
        Organisation.objects.exclude(org_type=OrganisationType.NATIONAL_BODY).order_by("ods_code")
    )
    plan: list[tuple[str, str, str, str | None, list[dict], object]] = []

    def add_person(roles: list[dict], user=None, names=None):
        forenames, surname, known_as, previous = names or _name(rng)
        plan.append((forenames, surname, known_as, previous, roles, user))

    linked = people_for_users or {}
    linked_slots = {(ods, category): user for user, (ods, category, _title) in linked.items()}
    for organisation in organisations:
        opened = organisation.opened_on or dt.date(2012, 4, 1)
        closed = organisation.closed_on
        ends = closed or None
        board = [
            ("chair", RoleCategory.CHAIR, "Chair"),
            ("chief_executive", RoleCategory.CHIEF_EXECUTIVE, "Chief Executive"),
        ]
        board += [
            ("exec", RoleCategory.EXECUTIVE_DIRECTOR, title)
            for title in rng.sample(EXECUTIVE_TITLES, rng.randint(4, 6))
        ]
        board += [
            ("ned", RoleCategory.NON_EXECUTIVE_DIRECTOR, "Non-executive Director")
            for _ in range(rng.randint(5, 7))
        ]
        board += [
            ("sm", RoleCategory.SENIOR_MANAGER, title)
            for title in rng.sample(SENIOR_MANAGER_TITLES, rng.randint(2, 3))
        ]
        for _slot, category, title in board:
            start = _date_between(rng, max(opened, dt.date(2016, 1, 1)), min(today, ends or today))
            roles = [
                {
                    "organisation": organisation,
                    "title": title,
                    "category": category,
                    "start_date": start,
                    "end_date": ends,
                    "is_interim": rng.random() < 0.07,
                }
            ]
            # A previous role elsewhere: careers move between organisations.
            if rng.random() < 0.45 and start > dt.date(2013, 1, 1):
                before = rng.choice(organisations)
                if before != organisation:
                    prev_start = _date_between(rng, dt.date(2008, 1, 1), start - dt.timedelta(400))
                    roles.append(
                        {
                            "organisation": before,
                            "title": title if category != RoleCategory.CHAIR else "Vice Chair",
                            "category": category,
                            "start_date": prev_start,
                            "end_date": start - dt.timedelta(days=rng.randint(1, 90)),
                            "is_interim": False,
                            "reason_for_leaving": "Appointed to a new post",
                            "settlement_agreement": rng.random() < 0.04,
                        }
                    )
            user = linked_slots.pop((organisation.ods_code, category), None)
            names = None
            if user is not None:
                parts = user.full_name.rsplit(" ", 1)
                names = (parts[0], parts[-1], "", None)
                roles[0]["title"] = linked[user][2]
            add_person(roles, user=user, names=names)

    with transaction.atomic():
        numbers = iter(registration_numbers_issue(len(plan)))
        registrants, roles, previous_names, changes, qualifications = [], [], [], [], []
        for forenames, surname, known_as, _previous, _roles, user in plan:
            registrant = Registrant(
                registration_number=next(numbers),
                legal_forenames=forenames,
                legal_surname=surname,
                known_as=known_as,
                date_of_birth=_date_between(rng, dt.date(1958, 1, 1), dt.date(1992, 12, 31)),
                email=f"{search_text(forenames.split()[0])}.{len(registrants)}@nhs.example",
                status=RegisterStatus.REGISTERED,
                status_since=dt.date(2026, 4, 1),
                user=user,
            )
            registrant.refresh_search_keys()
            registrants.append(registrant)
        Registrant.objects.bulk_create(registrants, batch_size=500)
        saved = {r.registration_number: r for r in Registrant.objects.all()}
        for registrant, (_f, _s, _k, previous, person_roles, _u) in zip(
            registrants, plan, strict=True
        ):
            registrant = saved[registrant.registration_number]
            for role in person_roles:
                roles.append(CareerRole(registrant=registrant, **role))
            if previous and previous != registrant.legal_surname:
                previous_names.append(
                    PreviousName(
                        registrant=registrant,
                        forenames="",
                        surname=previous,
                        names_key=search_text(previous),
                    )
                )
            changes.append(
                StatusChange(
                    registrant=registrant,
                    from_status="",
                    to_status=RegisterStatus.REGISTERED,
                    effective_on=dt.date(2026, 4, 1),
                    reason="Registered when the register opened",
                    actor_label=actor,
                )
            )
            if rng.random() < 0.3:
                title, body = rng.choice(QUALIFICATIONS)
                qualifications.append(
                    Qualification(
                        registrant=registrant,
                        title=title,
                        awarding_body=body,
                        awarded_on=_date_between(rng, dt.date(1990, 1, 1), dt.date(2024, 1, 1)),
                        status=QualificationStatus.VERIFIED
                        if rng.random() < 0.8
                        else QualificationStatus.PENDING,
                    )
                )
        CareerRole.objects.bulk_create(roles, batch_size=1000)
        PreviousName.objects.bulk_create(previous_names, batch_size=1000)
        StatusChange.objects.bulk_create(changes, batch_size=1000)
        Qualification.objects.bulk_create(qualifications, batch_size=1000)
        audit_record(
            actor=actor,
            action="register.demo.loaded",
            reason="demo data",
            payload={
                "registrants": len(registrants),
                "career_roles": len(roles),
                "previous_names": len(previous_names),
            },
        )
    _demo_sanctions(rng=rng, actor=actor)
    return len(registrants)


def _demo_sanctions(*, rng: random.Random, actor: str) -> None:
    """A few people under restriction, through the register's own services."""
    from steward.register.services import register_status_change

    unlinked = list(Registrant.objects.filter(user__isnull=True).order_by("registration_number"))
    picks = rng.sample(unlinked, 16)
    plan = [(RegisterStatus.CONDITIONS, "Conditions of practice: supervised finance duties")] * 10
    plan += [
        (RegisterStatus.SUSPENDED, "Suspended for 6 months after a panel found impairment"),
        (RegisterStatus.BARRED, "Barred after a panel found dishonesty to a regulator"),
        (RegisterStatus.LAPSED, "Annual renewal not completed"),
        (RegisterStatus.LAPSED, "Annual renewal not completed"),
        (RegisterStatus.VOLUNTARILY_REMOVED, "Retired from NHS management"),
        (RegisterStatus.CONDITIONS, "Conditions of practice: mentoring for 12 months"),
    ]
    for registrant, (status, reason) in zip(picks, plan, strict=True):
        register_status_change(
            registrant=registrant,
            to_status=status,
            reason=reason,
            actor=actor,
            effective_on=dt.date(2026, rng.randint(5, 10), rng.randint(1, 28)),
        )
