"""Demo references and appointments, through the real services.

At the demo trust (Leeds Teaching Hospitals, RR8) and around it: references in
every state (requested and outstanding, given with every answer "no", given
with a disclosure, an update that replaces an earlier reference, a leaving
reference owed and one given) and appointments in every state (proposed with
references outstanding, started with every reference, started on the chair's
reason to proceed, a first board role in a high-risk organisation, and a
barred person, blocked). Idempotent: a second run changes nothing.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction

from steward.audit.services import audit_record
from steward.core import clock
from steward.organisations.models import Organisation, RiskLevel, Succession
from steward.references import services
from steward.references.models import Appointment
from steward.register import services as register_services
from steward.register.models import CareerRole, RegisterStatus, Registrant

DEMO_TRUST = "RR8"
DEMO_EMAIL_DOMAIN = "references-demo.nhs.example"
CHAIR_EMAIL = "chair@demo.steward.example"
HR_LEAD_EMAIL = "hr-lead@demo.steward.example"
REGISTRANT_EMAIL = "registrant@demo.steward.example"
# A few organisations' stored risk levels (until the risk profile exists).
RISK_LEVELS = {"RR8": RiskLevel.HIGH, "RAE": RiskLevel.MEDIUM, "RCD": RiskLevel.LOW}
REFEREE = {"referee_name": "Gareth Llewellyn", "referee_job_title": "Chair"}


def _no(roles_and_dates: str, **answers) -> dict:
    return {
        "roles_and_dates": roles_and_dates,
        "disciplinary_findings": "no",
        "investigations": "no",
        "upheld_concerns": "no",
        "fitness_outcomes": "no",
        "settlement_agreements": "no",
        **answers,
    }


class _Demo:
    def __init__(self, actor: str):
        from steward.accounts.models import User

        self.actor = actor
        self.today = clock.today()
        self.orgs = {o.ods_code: o for o in Organisation.objects.all()}
        self.chair = User.objects.filter(email=CHAIR_EMAIL).first()
        self.hr_lead = User.objects.filter(email=HR_LEAD_EMAIL).first()
        self.trust = self.orgs[DEMO_TRUST]

    def org(self, code: str, fallback: str = DEMO_TRUST) -> Organisation:
        return self.orgs.get(code) or self.orgs[fallback]

    def person(self, forenames: str, surname: str, born: dt.date, slug: str) -> Registrant:
        return register_services.registrant_create(
            legal_forenames=forenames,
            legal_surname=surname,
            date_of_birth=born,
            email=f"{slug}@{DEMO_EMAIL_DOMAIN}",
            actor=self.actor,
            reason="demo data",
        )

    def role(self, registrant, code: str, title: str, category: str, start, end=None):
        return register_services.career_role_add(
            registrant=registrant,
            organisation=self.org(code),
            title=title,
            category=category,
            start_date=start,
            end_date=end,
            actor=self.actor,
            reason="demo data",
            reason_for_leaving="Appointed to a new post" if end else "",
        )

    def propose(self, organisation, registrant, title, category, start, actor=None):
        return services.appointment_propose(
            organisation=organisation,
            registration_number=registrant.registration_number,
            role_title=title,
            role_category=category,
            proposed_start_date=start,
            actor=actor or self.actor,
        )

    def trust_actor(self, user):
        return user or self.actor

    def ago(self, **delta) -> dt.date:
        return self.today - relativedelta(**delta)

    def ahead(self, **delta) -> dt.date:
        return self.today + relativedelta(**delta)


def _start_in_2026(today: dt.date) -> dt.date:
    """A start date in 2026 when the demo runs in 2026 or just after (the regional
    view is by year); otherwise a recent date."""
    wanted = dt.date(2026, 10, 5)
    if today - relativedelta(years=1) <= wanted <= today:
        return wanted
    return today - dt.timedelta(days=30)


def references_demo_load(*, actor: str) -> None:
    """Load the demo appointments and references once (see the module docstring)."""
    if Registrant.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
        return
    if not Organisation.objects.filter(ods_code=DEMO_TRUST).exists():
        return
    with transaction.atomic():
        demo = _Demo(actor)
        _risk_levels(demo)
        _appointments_at_the_trust(demo)
        _references_the_trust_gives(demo)
        _reference_about_the_demo_registrant(demo)


def _risk_levels(demo: _Demo) -> None:
    changed = {}
    for code, level in RISK_LEVELS.items():
        if code in demo.orgs and demo.orgs[code].risk_level != level:
            Organisation.objects.filter(ods_code=code).update(risk_level=level)
            demo.orgs[code].risk_level = level
            changed[code] = level
    if changed:
        audit_record(
            actor=demo.actor,
            action="references.demo.risk_levels_set",
            reason="demo data: stored risk levels until the risk profile exists",
            payload={"risk_levels": changed},
        )


def _appointments_at_the_trust(demo: _Demo) -> None:
    trust = demo.trust
    hr = demo.trust_actor(demo.hr_lead)

    # Proposed, with a reference still to come from Bradford.
    outstanding = demo.person("Oluwaseun", "Adeyemi-Clarke", dt.date(1974, 3, 9), "o.adeyemi")
    demo.role(
        outstanding, "RAE", "Chief Operating Officer", "executive_director", dt.date(2019, 6, 1)
    )
    appointment = demo.propose(
        trust,
        outstanding,
        "Chief Operating Officer",
        "executive_director",
        demo.ahead(months=2),
        hr,
    )
    services.reference_requests_create(appointment=appointment, actor=hr)

    # Started once both references arrived, every answer "no".
    clean = demo.person("Catriona", "MacLeod", dt.date(1968, 11, 23), "c.macleod")
    demo.role(
        clean,
        "RCD",
        "Non-executive Director",
        "non_executive_director",
        dt.date(2018, 9, 1),
        dt.date(2025, 6, 30),
    )
    demo.role(clean, "RCB", "Director of Finance", "executive_director", dt.date(2025, 7, 1))
    appointment = demo.propose(
        trust, clean, "Chief Finance Officer", "executive_director", demo.ago(months=1), hr
    )
    for request in services.reference_requests_create(appointment=appointment, actor=hr):
        services.reference_complete(
            request=request,
            answers=_no(f"Board roles at {request.referee_organisation.name}, as recorded."),
            actor=demo.actor,
            **REFEREE,
        )
    services.appointment_start(appointment=appointment, start_date=demo.ago(days=20), actor=hr)

    # Started on the chair's reason to proceed, with Sheffield's reference still to come.
    if demo.chair is not None:
        urgent = demo.person("Dariusz", "Kowalczyk", dt.date(1971, 7, 14), "d.kowalczyk")
        demo.role(
            urgent,
            "RHQ",
            "Chief Nurse",
            "executive_director",
            dt.date(2017, 2, 1),
            demo.ago(months=3),
        )
        start = _start_in_2026(demo.today)
        appointment = demo.propose(
            trust, urgent, "Chief Nurse", "executive_director", start, demo.chair
        )
        services.reference_requests_create(appointment=appointment, actor=demo.chair)
        services.appointment_start(
            appointment=appointment,
            start_date=start,
            override_reason=(
                "The previous Chief Nurse left at short notice and the Care Quality "
                "Commission inspection is due this month. Sheffield has confirmed by phone "
                "that the reference will follow; the start is reviewed when it arrives."
            ),
            actor=demo.chair,
        )

    # A first board role at a high-risk organisation: a support plan is recommended.
    first = demo.person("Aisha", "Rahman", dt.date(1986, 1, 30), "a.rahman")
    demo.role(first, "RWA", "Deputy Director of Strategy", "senior_manager", dt.date(2016, 4, 1))
    demo.propose(
        trust, first, "Director of Strategy", "executive_director", demo.ahead(months=3), hr
    )

    # Someone who worked for an organisation that has since closed: the organisation
    # that holds its records now is asked ("formerly ...").
    succession = (
        Succession.objects.filter(
            predecessor__closed_on__gt=dt.date(2021, 1, 1),
            predecessor__closed_on__lt=demo.ago(months=2),
        )
        .exclude(successor__ods_code=DEMO_TRUST)
        .select_related("predecessor", "successor")
        .order_by("effective_on", "predecessor__ods_code")
        .first()
    )
    if succession is not None:
        closed = succession.predecessor
        merged = demo.person("Ifeoma", "Nwachukwu", dt.date(1977, 8, 25), "i.nwachukwu")
        register_services.career_role_add(
            registrant=merged,
            organisation=closed,
            title="Director of Commissioning",
            category="executive_director",
            start_date=dt.date(2020, 1, 6),
            end_date=closed.closed_on,
            actor=demo.actor,
            reason="demo data",
        )
        demo.role(
            merged,
            "RCD",
            "Director of Strategy",
            "executive_director",
            closed.closed_on + dt.timedelta(days=1),
        )
        demo.propose(
            trust,
            merged,
            "Director of Partnerships",
            "executive_director",
            demo.ahead(months=2),
            hr,
        )

    # A barred person: vetting blocks the appointment.
    barred = (
        Registrant.objects.on_register()
        .filter(status=RegisterStatus.BARRED)
        .order_by("registration_number")
        .first()
    )
    if barred is not None and not Appointment.objects.filter(registrant=barred).exists():
        demo.propose(
            trust,
            barred,
            "Non-executive Director",
            "non_executive_director",
            demo.ahead(months=1),
            hr,
        )


def _references_the_trust_gives(demo: _Demo) -> None:
    trust = demo.trust
    hr = demo.trust_actor(demo.hr_lead)

    # York asked for a reference; the trust gave one with a disclosure, then an update.
    mover = demo.person("Bethan", "Pryce-Jones", dt.date(1970, 4, 2), "b.pryce-jones")
    demo.role(
        mover,
        DEMO_TRUST,
        "Director of Workforce",
        "executive_director",
        dt.date(2015, 5, 1),
        demo.ago(months=10),
    )
    demo.role(mover, "RCB", "Interim Director of People", "senior_manager", demo.ago(months=9))
    york = demo.org("RCB")
    appointment = demo.propose(
        york, mover, "Chief People Officer", "executive_director", demo.ahead(months=2)
    )
    [request] = [
        r
        for r in services.reference_requests_create(appointment=appointment, actor=demo.actor)
        if r.referee_organisation_id == trust.pk
    ]
    roles = "Director of Workforce, 1 May 2015 until she left in the last year."
    given = services.reference_complete(
        request=request,
        answers=_no(
            roles,
            settlement_agreements="yes",
            settlement_agreements_details=(
                "She left under a settlement agreement after a restructure of the "
                "workforce directorate. It has a confidentiality clause; we disclose it as "
                "the framework requires."
            ),
        ),
        actor=hr,
        on_behalf_of_referee=demo.hr_lead is not None,
        **REFEREE,
    )
    services.reference_update_issue(
        reference=given,
        answers=_no(
            roles,
            settlement_agreements="yes",
            settlement_agreements_details=given.settlement_agreements_details,
            upheld_concerns="yes",
            upheld_concerns_details=(
                "A grievance about her conduct on a recruitment panel was upheld after the "
                "reference was given. Advice was given; no sanction."
            ),
        ),
        actor=hr,
        on_behalf_of_referee=demo.hr_lead is not None,
        **REFEREE,
    )

    # Bradford asks the trust for a reference: still to give.
    current = demo.person("Graham", "Whitaker", dt.date(1966, 9, 12), "g.whitaker")
    demo.role(current, DEMO_TRUST, "Medical Director", "executive_director", dt.date(2019, 1, 7))
    bradford_appointment = demo.propose(
        demo.org("RAE"), current, "Chief Executive", "chief_executive", demo.ahead(months=4)
    )
    services.reference_requests_create(appointment=bradford_appointment, actor=demo.actor)

    # Two board members left the trust: one leaving reference given, one still owed.
    leaver = demo.person("Marcus", "Ellery", dt.date(1959, 12, 1), "m.ellery")
    role = demo.role(
        leaver,
        DEMO_TRUST,
        "Non-executive Director",
        "non_executive_director",
        dt.date(2017, 4, 1),
        demo.ago(months=5),
    )
    request = services.leaving_reference_request(career_role=role, actor=hr)
    services.reference_complete(
        request=request,
        answers=_no("Non-executive Director, 1 April 2017 until his term ended."),
        actor=hr,
        **REFEREE,
    )
    owed = demo.person("Fiona", "Gallagher", dt.date(1963, 6, 18), "f.gallagher")
    role = demo.role(
        owed,
        DEMO_TRUST,
        "Director of Estates",
        "executive_director",
        dt.date(2018, 10, 1),
        demo.ago(days=40),
    )
    services.leaving_reference_request(career_role=role, actor=hr)


def _reference_about_the_demo_registrant(demo: _Demo) -> None:
    """The demo registrant sees a reference about themselves on /my-record/references/."""
    from steward.accounts.models import User

    user = User.objects.filter(email=REGISTRANT_EMAIL).first()
    registrant = Registrant.objects.filter(user=user).first() if user else None
    if registrant is None:
        return
    earlier = CareerRole.objects.filter(
        registrant=registrant, organisation__ods_code="RCD", title="Director of Workforce"
    ).first() or demo.role(
        registrant,
        "RCD",
        "Director of Workforce",
        "executive_director",
        dt.date(2016, 4, 1),
        dt.date(2020, 3, 31),
    )
    request = services.leaving_reference_request(career_role=earlier, actor=demo.actor)
    if request is not None and request.status == "requested":
        services.reference_complete(
            request=request,
            answers=_no("Director of Workforce, 1 April 2016 to 31 March 2020."),
            actor=demo.actor,
            referee_name="Eleanor Hartley",
            referee_job_title="Chief Executive",
        )
