"""Demo concerns, through the real services, in every state the concerns team meets.

About managers at the demo trust (Leeds Teaching Hospitals, RR8): new and not yet
acknowledged (one overdue), awaiting the reporter's reply to a question, referred to
the employer, closed with reasons, an open case recommended, an urgent flag for the
registrar, and a detriment report. The demo registrant raised a concern openly with
their account and was later disciplined by their employer, so the concerns team has
a detriment flag to review. Idempotent: a second run changes nothing.

Receipt codes are not printed: each is shown once, to the reporter.
"""

import datetime as dt

from django.db import transaction

from steward.concerns import services, triage
from steward.concerns.models import Anonymity, Concern, ConcernMessage
from steward.core import clock
from steward.organisations.models import Organisation
from steward.register.models import CareerRole, Registrant

DEMO_TRUST = "RR8"
CASEWORKER_EMAIL = "caseworker@demo.steward.example"
HR_LEAD_EMAIL = "hr-lead@demo.steward.example"
REGISTRANT_EMAIL = "registrant@demo.steward.example"


def _backdate(concern: Concern, days: int) -> Concern:
    """Make a demo concern look as if it arrived ``days`` ago (deadlines move too)."""
    received = clock.today() - dt.timedelta(days=days)
    acknowledge_by, feedback_by = services.deadlines(received)
    Concern.objects.filter(pk=concern.pk).update(
        received_on=received, acknowledge_by=acknowledge_by, feedback_by=feedback_by
    )
    ConcernMessage.objects.filter(concern=concern).update(sent_on=received)
    concern.refresh_from_db()
    return concern


def _subjects(trust: Organisation, count: int) -> list[Registrant]:
    """Board members at the trust who are not demo sign-ins."""
    today = clock.today()
    ids = (
        CareerRole.objects.filter(organisation=trust, start_date__lte=today)
        .exclude(end_date__lt=today)
        .exclude(registrant__user__isnull=False)
        .order_by("registrant_id")
        .values_list("registrant_id", flat=True)
        .distinct()[:count]
    )
    return list(Registrant.objects.filter(pk__in=list(ids)).order_by("pk"))


def concerns_demo_load(*, actor: str) -> int:
    """Load the demo concerns once; returns how many were created."""
    from steward.accounts.models import User
    from steward.register.disciplinary import disciplinary_action_record

    if Concern.objects.exists():
        return 0
    trust = Organisation.objects.filter(ods_code=DEMO_TRUST).first()
    caseworker = User.objects.filter(email=CASEWORKER_EMAIL).first()
    if trust is None or caseworker is None:
        return 0
    subjects = _subjects(trust, 6)
    if len(subjects) < 6:
        return 0
    a, b, c, d, e, f = subjects

    def submit(anonymity, subject, what, days, **kwargs) -> Concern:
        identity = kwargs.pop("identity", None)
        if anonymity != Anonymity.ANONYMOUS and identity is None and "reporter_user" not in kwargs:
            identity = {"name": "Jordan Ellis", "email": "jordan.ellis@example.org", "phone": ""}
        received = services.concern_submit(
            anonymity=anonymity,
            answers={
                "what_happened": what,
                "when": "Over the last few months",
                "who_was_affected": "Staff on the wards and their patients",
                "patient_harm": "not_sure",
                "raised_locally": "yes",
                "local_outcome": "Nothing changed.",
            },
            subject_registrant=subject,
            organisation=trust,
            reporter_identity=identity,
            **kwargs,
        )
        return _backdate(received.concern, days)

    def fresh(concern: Concern) -> Concern:
        concern.refresh_from_db()
        return concern

    created = []
    with transaction.atomic():
        # New, arrived two days ago; and one whose acknowledgement is overdue.
        created.append(
            submit(
                Anonymity.ANONYMOUS,
                a,
                "Waiting-list figures reported to the board were changed before the meeting.",
                2,
            )
        )
        created.append(
            submit(
                Anonymity.ANONYMOUS,
                b,
                "Agency spending was approved without the checks the standing orders require.",
                12,
            )
        )
        # Acknowledged, and the caseworker asked a question.
        waiting = submit(
            Anonymity.CONFIDENTIAL,
            c,
            "Staff who raised safety concerns on a ward were moved to other duties.",
            20,
            is_detriment=True,
        )
        triage.concern_assign(
            concern=waiting, assignee=caseworker, actor=caseworker, version=waiting.version
        )
        waiting = fresh(waiting)
        triage.concern_acknowledge(concern=waiting, actor=caseworker, version=waiting.version)
        triage.concern_message_send(
            concern=fresh(waiting),
            body="Thank you. Could you tell us roughly when the staff were moved, and "
            "whether anyone put the reasons in writing?",
            actor=caseworker,
            needs_reply=True,
        )
        created.append(waiting)

        def decide(concern, outcome, refs, **kwargs):
            concern = fresh(concern)
            triage.concern_acknowledge(concern=concern, actor=caseworker, version=concern.version)
            concern = fresh(concern)
            triage.triage_decide(
                concern=concern,
                outcome=outcome,
                conduct_on=concern.received_on,
                cited_refs=refs,
                actor=caseworker,
                version=concern.version,
                **kwargs,
            )
            return concern

        created.append(
            decide(
                submit(
                    Anonymity.CONFIDENTIAL,
                    d,
                    "Board papers on the financial recovery plan left out a known deficit.",
                    40,
                    employer_may_see=True,
                ),
                "refer_to_employer",
                ["CC1", "CC7"],
                reasons="A matter of local governance the trust can investigate first.",
                employer_summary="A concern that board papers on the financial recovery plan "
                "did not include a known deficit. Please investigate and tell us the outcome.",
                referred_to=trust,
            )
        )
        created.append(
            decide(
                submit(
                    Anonymity.OPEN,
                    e,
                    "The director was rude in a meeting.",
                    60,
                ),
                "close",
                ["CC4"],
                reasons="A single incident, handled locally, with no risk to patients.",
                reporter_explanation="We have looked at what you told us. It describes a single "
                "meeting that the trust has already dealt with, and nothing suggests a risk to "
                "patients or a pattern of behaviour, so we will not take it further. Thank you "
                "for telling us.",
            )
        )
        created.append(
            decide(
                submit(
                    Anonymity.ANONYMOUS,
                    f,
                    "The director signed off a contract with a company they own part of.",
                    30,
                ),
                "open_case",
                ["CC9", "NE8"],
                reasons="An undeclared conflict of interest in a board decision: a case is needed.",
            )
        )
        created.append(
            decide(
                submit(
                    Anonymity.CONFIDENTIAL,
                    a,
                    "The director told staff to stop reporting falls so the figures would improve.",
                    5,
                ),
                "urgent_action",
                ["CC2", "NE3"],
                reasons="A continuing risk to patients: the registrar should consider an interim "
                "order now.",
            )
        )

        # The demo registrant raised a concern with their account; their employer
        # later recorded disciplinary action, which the concerns team must review.
        registrant_user = User.objects.filter(email=REGISTRANT_EMAIL).first()
        hr_lead = User.objects.filter(email=HR_LEAD_EMAIL).first()
        reporter = getattr(registrant_user, "registrant", None) if registrant_user else None
        if reporter is not None and hr_lead is not None:
            created.append(
                submit(
                    Anonymity.OPEN,
                    b,
                    "I was asked to leave safeguarding incidents out of the quarterly report.",
                    50,
                    reporter_user=registrant_user,
                )
            )
            disciplinary_action_record(
                registrant=reporter,
                organisation=trust,
                kind="investigation",
                started_on=clock.today() - dt.timedelta(days=3),
                summary="A formal investigation into the late quarterly report.",
                actor=hr_lead,
            )
    return len(created)
