"""``steward bench-data --registrants N``: a national-scale synthetic register for benchmarks.

Synthetic people with names from many backgrounds (accents, apostrophes,
hyphens, double-barrelled and previous names), about three career roles each
over the real NHS organisations, register statuses with their history, and
restricted details (dates of birth, emails, reasons for leaving) so that
benchmarks read rows of a realistic size. Nobody here is a real person.

Rows go in with plain multi-row INSERTs in large transactions rather than
through the services: services write an audit event per change, which at a
million people would measure the audit trail, not the register. The search
index is kept in step by its database triggers all the same. Registration
numbers come from the register's own sequence, so they are never reused.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from steward.core import clock
from steward.core.text import search_text
from steward.organisations.models import Organisation
from steward.organisations.services import organisations_load_reference_data
from steward.register.models import (
    CareerRole,
    PreviousName,
    RegisterSequence,
    RegisterStatus,
    Registrant,
    RoleCategory,
    StatusChange,
)
from steward.register.numbers import MAX_SERIAL, registration_number
from steward.register.services import registration_numbers_issue

# Forenames from the backgrounds of people who work in the NHS in England,
# common ones repeated so they come up more often.
FORENAMES = (  # noqa: SIM905 - reads as prose
    "James John David Michael Robert Paul Andrew Mark Richard Peter Stephen Christopher "
    "Sarah Helen Claire Emma Rachel Louise Elizabeth Susan Karen Julie Nicola Catherine "
    "James David Sarah Helen John Claire Emma Michael Jane Anne Mary Margaret Alison "
    "Siobhán Aoife Niamh Seán Pádraig Caoimhe Eoghan Róisín Máire Orla Ciarán Declan "
    "Zoë Chloé Renée Noël Anaïs Hélène Céline Élodie François Jérôme Agnès Benoît "
    "José María Jesús Inés Ángel Sofía Lucía Álvaro Raúl Begoña "
    "Bartłomiej Łukasz Małgorzata Agnieszka Wojciech Żaneta Krzysztof Paweł "
    "Søren Bjørn Åsa Jürgen Jörg Günther Björn Sven Ingrid "
    "Priya Rajesh Sunita Anil Deepak Kavita Amit Pooja Sanjay Lakshmi Harpreet Gurpreet "
    "Mohammed Muhammad Fatima Aisha Imran Ayesha Bilal Zainab Omar Yusuf Nadia Tariq "
    "Adebayo Oluwaseun Chinedu Ngozi Chiamaka Kwame Kofi Ama Abena Folasade Temitope "
    "Wei Li Mei Xin Jun Hui Yan Ming Chen Ling "
    "Nguyễn Thảo Minh Linh "
    "Dafydd Gwenllian Rhiannon Siân Ffion Llŷr Iestyn Catrin "
    "Eilidh Ailsa Mhairi Ruaridh Callum Iain Morag "
    "Giorgos Eleni Dimitris Maria Ioannis Katerina "
    "Jo-Anne Mary-Kate Jean-Paul Anne-Marie Lee-Ann "
    "Ahmet Elif Mehmet Ayşe Zeynep Emre Gökhan "
    "Kemi Tunde Yemi Bisi Femi"
).split()
KNOWN_AS = {
    "James": "Jim",
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "Margaret": "Maggie",
    "Christopher": "Chris",
    "Catherine": "Kate",
    "Richard": "Rick",
    "Michael": "Mike",
    "Oluwaseun": "Seun",
    "Bartłomiej": "Bart",
    "Małgorzata": "Gosia",
    "Muhammad": "Mo",
    "Wei": "William",
    "Xin": "Cindy",
    "Pádraig": "Paddy",
    "Krzysztof": "Kris",
}
# Common surnames, most frequent first (their position sets how often they occur).
COMMON_SURNAMES = (  # noqa: SIM905
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel "
    "Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison "
    "Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths "
    "Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox "
    "Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman "
    "Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes "
    "Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon "
    "Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott "
    "Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley "
    "Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells "
    "Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr "
    "Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding "
    "Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane "
    "Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross "
    "Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis "
    "Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp "
    "Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson "
    "Rahman Islam Chowdhury Uddin Mistry Sharma Kumar Gupta Mahmood Akhtar Iqbal Qureshi "
    "Okafor Adeyemi Mensah Okonkwo Adebayo Owusu Boateng Nwosu Oyelaran Eze Asante "
    "Chen Wang Zhang Li Liu Huang Wu Zhou Nguyen Tran Pham "
    "Kowalski Nowak Wiśniewski Wójcik Kowalczyk Lewandowski Zieliński Dąbrowski "
    "García Martínez López González Rodríguez Fernández Pérez Sánchez Muñoz Núñez "
    "Müller Schäfer Köhler Jäger Fößel MacLeod McAllister MacDonald D'Souza D'Arcy "
    "O'Sullivan O'Donnell O'Reilly Fitzgerald Al-Hassan El-Sayed"
).split()
# Surnames of more than one word, less common.
SPACED_SURNAMES = [
    "Ó Súilleabháin",
    "Ó Briain",
    "Mac Giolla Phádraig",
    "Ní Bhriain",
    "De Souza",
    "Van der Berg",
    "Da Silva",
    "St John",
    "Le Roux",
    "Abu Bakr",
]
# Syllables for the long tail of rarer English-sounding surnames (Ashworth, Thornbury …).
HEADS = (  # noqa: SIM905
    "Ash Bar Black Brad Brom Cal Chad Clay Craw Dal Dun Elm Fair Farn Grim Hal Hart Haw "
    "Hep Hol Hors Kirk Lang Lid Mar Mid Mor Nor Old Pen Pick Red Ring Rush Shel Stan Staf "
    "Sum Thorn Tod War Wat Went Whit Win Wolf Wood Wray Yard"
).split()
MIDDLES = ["", "en", "er", "ing", "s", "es", "in"]
TAILS = (  # noqa: SIM905
    "worth bury ford ley ton field stead well combe den ham by thorpe wick cott more "
    "bridge gate hurst ridge shaw wood cliffe ing"
).split()

TITLES = {
    RoleCategory.CHAIR: ["Chair", "Interim Chair"],
    RoleCategory.CHIEF_EXECUTIVE: ["Chief Executive", "Accountable Officer"],
    RoleCategory.EXECUTIVE_DIRECTOR: [
        "Chief Operating Officer",
        "Chief Finance Officer",
        "Chief Nurse",
        "Medical Director",
        "Chief People Officer",
        "Director of Strategy",
        "Director of Digital Transformation",
    ],
    RoleCategory.NON_EXECUTIVE_DIRECTOR: ["Non-executive Director", "Senior Independent Director"],
    RoleCategory.SENIOR_MANAGER: [
        "Deputy Director of Finance",
        "Head of Corporate Governance",
        "Associate Director of Quality",
        "Divisional Director of Operations",
        "Head of Workforce Planning",
        "Company Secretary",
    ],
}
CATEGORY_WEIGHTS = [
    (RoleCategory.SENIOR_MANAGER, 60),
    (RoleCategory.EXECUTIVE_DIRECTOR, 20),
    (RoleCategory.NON_EXECUTIVE_DIRECTOR, 14),
    (RoleCategory.CHIEF_EXECUTIVE, 3),
    (RoleCategory.CHAIR, 3),
]
LEAVING_REASONS = [
    "Moved to a new role",
    "Retired",
    "End of fixed-term appointment",
    "Resigned for personal reasons",
    "Organisation merged",
    "Dismissed after a disciplinary process",
]
STATUS_WEIGHTS = [
    (RegisterStatus.REGISTERED, 9600),
    (RegisterStatus.CONDITIONS, 150),
    (RegisterStatus.SUSPENDED, 40),
    (RegisterStatus.BARRED, 20),
    (RegisterStatus.LAPSED, 160),
    (RegisterStatus.VOLUNTARILY_REMOVED, 30),
]
STATUS_REASONS = {
    RegisterStatus.CONDITIONS: "Panel imposed conditions after a hearing",
    RegisterStatus.SUSPENDED: "Panel suspended registration after a hearing",
    RegisterStatus.BARRED: "Panel barred the registrant after a hearing",
    RegisterStatus.LAPSED: "Annual renewal not completed",
    RegisterStatus.VOLUNTARILY_REMOVED: "Registrant asked to leave the register",
}
STATUSES = [status for status, _ in STATUS_WEIGHTS]
STATUS_CUMULATIVE = list(itertools.accumulate(w for _, w in STATUS_WEIGHTS))
CATEGORIES = [category for category, _ in CATEGORY_WEIGHTS]
CATEGORY_CUMULATIVE = list(itertools.accumulate(w for _, w in CATEGORY_WEIGHTS))
BATCH = 2_000


def _weights(n: int, skew: float) -> list[float]:
    """Zipf-like weights: the k-th most common name 1/k^skew as often as the first."""
    return [1 / (k**skew) for k in range(1, n + 1)]


class NameMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.common = COMMON_SURNAMES + SPACED_SURNAMES
        # Flatter than a pure Zipf curve: in England the most common surname
        # (Smith) is about 1.3% of people and the 300th about 0.05%.
        self.common_cumulative = list(itertools.accumulate(_weights(len(self.common), 0.56)))
        self.forenames = FORENAMES
        self.tail = [h + m + t for h in HEADS for m in MIDDLES for t in TAILS]

    def surname(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:  # double-barrelled
            return f"{self._single()}-{self._single()}"
        return self._single()

    def _single(self) -> str:
        if self.rng.random() < 0.6:  # the long tail of rarer surnames
            return self.rng.choice(self.tail)
        return self.rng.choices(self.common, cum_weights=self.common_cumulative)[0]

    def forenames_for(self) -> str:
        first = self.rng.choice(self.forenames)
        if self.rng.random() < 0.4:
            return f"{first} {self.rng.choice(self.forenames)}"
        return first


class Command(BaseCommand):
    help = "Add N synthetic registrants with career roles, for benchmarks (not for demos)."

    def add_arguments(self, parser):
        parser.add_argument("--registrants", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--roles", type=float, default=3.0, help="career roles per person")

    def handle(self, *args, registrants: int, seed: int, roles: float, **options):
        if registrants < 1:
            raise CommandError("--registrants must be at least 1.")
        if not 1 <= roles <= 10:
            raise CommandError("--roles must be between 1 and 10.")
        if Registrant.objects.exists():
            # Synthetic people must never be mixed into a real register.
            raise CommandError(
                "bench-data only fills an empty register: point DATABASE_URL (or "
                "STEWARD_VAR_DIR) at a throw-away database."
            )
        organisations_load_reference_data(actor="bench-data")
        organisations = list(
            Organisation.objects.filter(closed_on__isnull=True).values_list("id", flat=True)
        )
        if not organisations:
            raise CommandError("No open NHS organisations to give people roles at.")
        rng = random.Random(seed)
        names = NameMaker(rng)
        numbers = self._numbers(registrants)
        first_id = (
            Registrant.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        today = clock.today()
        now = connection.ops.adapt_datetimefield_value(clock.now())
        totals = {"roles": 0, "previous": 0, "changes": 0}

        columns = TextColumn("[progress.description]{task.description}")
        with Progress(
            columns, BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=False
        ) as progress:
            task = progress.add_task("Adding registrants", total=registrants)
            for start in range(0, registrants, BATCH):
                stop = min(start + BATCH, registrants)
                rows = [
                    self._person(
                        rng, names, first_id + i, numbers[i], organisations, today, now, roles
                    )
                    for i in range(start, stop)
                ]
                with transaction.atomic():
                    self._insert(rows, totals)
                progress.advance(task, stop - start)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Registrant, CareerRole, PreviousName, StatusChange]
            ):
                cursor.execute(sql)
            if connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
            else:
                cursor.execute("ANALYZE register_registrant")
                cursor.execute("ANALYZE register_careerrole")
        self.stdout.write(
            f"Added {registrants:,} registrants, {totals['roles']:,} career roles, "
            f"{totals['previous']:,} previous names and {totals['changes']:,} status changes."
        )

    def _numbers(self, count: int) -> list[str]:
        """Registration numbers from the register's sequence, which starts at serial 1.

        Six serial digits hold 1,000,000 serials (000000 to 999999): the full
        national-scale million on an empty register also takes serial 0, which
        the sequence never hands out.
        """
        sequence = RegisterSequence.objects.filter(name="registration").first()
        used = sequence.last_value if sequence else 0
        if count > MAX_SERIAL - used + (1 if used == 0 else 0):
            raise CommandError(
                f"The register's numbering has room for {MAX_SERIAL - used:,} more numbers, "
                f"not {count:,}."
            )
        if used == 0 and count == MAX_SERIAL + 1:
            return [registration_number(0), *registration_numbers_issue(count - 1)]
        return registration_numbers_issue(count)

    def _person(self, rng, names, pk, number, organisations, today, now, roles_each):
        surname = names.surname()
        forenames = names.forenames_for()
        first = forenames.split()[0]
        known_as = KNOWN_AS.get(first, "") if rng.random() < 0.5 else ""
        previous = []
        if rng.random() < 0.15:
            previous.append(("", names.surname()))
        if rng.random() < 0.01:
            previous.append((names.forenames_for(), surname))
        status = rng.choices(STATUSES, cum_weights=STATUS_CUMULATIVE)[0]
        registered_on = today - dt.timedelta(days=rng.randint(30, 3000))
        birth = today - dt.timedelta(days=rng.randint(30 * 365, 66 * 365))
        # The model's own normalisation, without building a model instance.
        person = SimpleNamespace(
            legal_forenames=forenames, legal_surname=surname, known_as=known_as
        )
        Registrant.refresh_search_keys(person)
        email_name = search_text(f"{first} {surname}").replace(" ", ".")
        registrant = (
            pk,
            number,
            forenames,
            surname,
            known_as,
            status,
            registered_on,
            birth,
            f"{email_name}{rng.randint(1, 999)}@nhs.example",
            "",
            "",
            now,
            now,
            1,
            person.surname_key,
            person.names_key,
        )
        changes = [(pk, "", RegisterStatus.REGISTERED, registered_on, "Joined the register", now)]
        if status != RegisterStatus.REGISTERED:
            since = registered_on + dt.timedelta(days=rng.randint(1, 29))
            changes.append(
                (pk, RegisterStatus.REGISTERED, status, since, STATUS_REASONS[status], now)
            )
            registrant = (*registrant[:6], since, *registrant[7:])
        count = max(1, round(rng.gauss(roles_each, 0.8)))
        role_rows = []
        start = today - dt.timedelta(days=rng.randint(400, 9000))
        for k in range(count):
            category = rng.choices(CATEGORIES, cum_weights=CATEGORY_CUMULATIVE)[0]
            last = k == count - 1
            end = None
            reason = ""
            if not last or rng.random() < 0.15:
                end = min(
                    today - dt.timedelta(days=1), start + dt.timedelta(days=rng.randint(200, 2500))
                )
                end = max(end, start)
                reason = rng.choice(LEAVING_REASONS)
            settlement = bool(end) and rng.random() < 0.03
            role_rows.append(
                (
                    pk,
                    rng.choice(organisations),
                    rng.choice(TITLES[category]),
                    category,
                    start,
                    end,
                    rng.random() < 0.08,
                    reason,
                    settlement,
                    settlement and rng.random() < 0.5,
                    now,
                    now,
                    1,
                )
            )
            if end is None:
                break
            start = min(today, end + dt.timedelta(days=rng.randint(0, 120)))
        prev_rows = [(pk, f, s, search_text(f"{f} {s}"), now) for f, s in dict.fromkeys(previous)]
        return registrant, role_rows, prev_rows, changes

    def _insert(self, rows, totals) -> None:
        registrants = [r[0] for r in rows]
        roles = [role for r in rows for role in r[1]]
        previous = [p for r in rows for p in r[2]]
        changes = [c for r in rows for c in r[3]]
        self._bulk(
            "register_registrant",
            "id, registration_number, legal_forenames, legal_surname, known_as, status, "
            "status_since, date_of_birth, email, phone, address, created_at, updated_at, "
            "version, surname_key, names_key",
            registrants,
        )
        self._bulk(
            "register_careerrole",
            "registrant_id, organisation_id, title, category, start_date, end_date, is_interim, "
            "reason_for_leaving, settlement_agreement, settlement_confidentiality_terms, "
            "created_at, updated_at, version",
            roles,
        )
        self._bulk(
            "register_previousname",
            "registrant_id, forenames, surname, names_key, recorded_at",
            previous,
        )
        self._bulk(
            "register_statuschange",
            "registrant_id, from_status, to_status, effective_on, reason, recorded_at, actor_label",
            [(*c, "bench-data") for c in changes],
        )
        totals["roles"] += len(roles)
        totals["previous"] += len(previous)
        totals["changes"] += len(changes)

    def _bulk(self, table: str, columns: str, rows: list[tuple]) -> None:
        """Multi-row INSERTs, in chunks under SQLite's limit on parameters."""
        if not rows:
            return
        width = len(rows[0])
        per_statement = max(1, 30_000 // width)
        one = "(" + ", ".join(["%s"] * width) + ")"
        with connection.cursor() as wrapper:
            # The backend's own cursor: the same parameter style, without the
            # query logging Django adds when DEBUG is on.
            cursor = wrapper.cursor
            for i in range(0, len(rows), per_statement):
                chunk = rows[i : i + per_statement]
                params = [
                    value.isoformat() if isinstance(value, dt.date) else value
                    for row in chunk
                    for value in row
                ]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - our own table names
                    + ", ".join([one] * len(chunk)),
                    params,
                )
