"""The daily digest: counts of what waits for the concerns team, once a day, nothing else."""

import datetime as dt

import pytest
from django.core import mail

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent
from steward.concerns import reveal, services
from steward.concerns.apps import DAILY_DIGEST_FUNC, DAILY_DIGEST_SCHEDULE
from steward.concerns.models import Concern, ConcernStatus
from steward.concerns.tasks import concerns_daily_digest
from steward.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 3, 1)
WHAT = "The director told staff to delete the incident reports from ward 7"
NAME = "Oluwaseun Adébáyọ̀"


def submit(organisation, anonymity="anonymous"):
    return services.concern_submit(
        anonymity=anonymity,
        answers={"what_happened": WHAT},
        organisation=organisation,
        reporter_identity={"name": NAME, "email": "seun@example.nhs.uk"}
        if anonymity != "anonymous"
        else None,
    ).concern


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


def digests(user=None):
    rows = Notification.objects.filter(topic__startswith="concerns-digest:")
    return rows.filter(user=user) if user else rows


def test_nothing_is_sent_when_nothing_waits(caseworker, make_user, travel):
    make_user("custodian")
    travel(DAY)
    assert concerns_daily_digest() == 0
    assert not digests().exists() and not mail.outbox


def test_new_concerns_are_counted_the_next_day_once(
    organisation, caseworker, travel, django_capture_on_commit_callbacks
):
    travel(DAY)
    submit(organisation)
    submit(organisation, "confidential")
    assert not Notification.objects.exists()  # nothing at the moment of submission
    travel(DAY + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert concerns_daily_digest() == 1
    note = digests(caseworker).get()
    assert note.topic == "concerns-digest:2027-03-02"
    assert "2 new concerns received yesterday" in note.body
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    for text in (note.subject, note.body, mail.outbox[0].body):
        assert WHAT not in text and NAME not in text and "C-" not in text
    assert AuditEvent.objects.filter(action="concerns.digest.sent").count() == 1

    # A second run the same day sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert concerns_daily_digest() == 0
    assert digests().count() == 1 and len(mail.outbox) == 1

    # The next day they are counted as still new.
    travel(DAY + dt.timedelta(days=2))
    concerns_daily_digest()
    latest = digests(caseworker).order_by("-pk").first()
    assert latest.topic == "concerns-digest:2027-03-03"
    assert "2 concerns received earlier are still new" in latest.body
    assert "received yesterday" not in latest.body


def test_overdue_acknowledgements_and_feedback(organisation, caseworker, travel):
    travel(DAY)
    late = submit(organisation)
    acknowledged = submit(organisation)
    Concern.objects.filter(pk=acknowledged.pk).update(
        acknowledged_on=DAY, status=ConcernStatus.ACKNOWLEDGED
    )
    travel(DAY + dt.timedelta(days=7))  # the acknowledge-by day itself: not overdue yet
    concerns_daily_digest()
    assert "overdue" not in digests(caseworker).get().body
    travel(DAY + dt.timedelta(days=8))
    concerns_daily_digest()
    body = digests(caseworker).order_by("-pk").first().body
    assert "1 acknowledgement is overdue" in body
    assert "feedback" not in body

    travel(late.feedback_by + dt.timedelta(days=1))
    concerns_daily_digest()
    body = digests(caseworker).order_by("-pk").first().body
    assert "1 acknowledgement is overdue" in body
    assert "2 concerns are overdue for feedback" in body

    # Closed concerns are never overdue.
    Concern.objects.update(status=ConcernStatus.CLOSED, acknowledged_on=DAY)
    travel(late.feedback_by + dt.timedelta(days=2))
    assert concerns_daily_digest() == 0


def test_awaiting_reporter_and_detriment_flags(organisation, caseworker, travel, make_user):
    from steward.concerns.detriment import disciplinary_action_check
    from steward.register import services as register_services
    from steward.register.models import DisciplinaryAction

    travel(DAY)
    concern = submit(organisation, "confidential")
    Concern.objects.filter(pk=concern.pk).update(
        status=ConcernStatus.AWAITING_REPORTER, acknowledged_on=DAY
    )
    registrant = register_services.registrant_create(
        legal_forenames="Seun",
        legal_surname="Adebayo",
        email="seun@example.nhs.uk",
        actor="tests",
        reason="test",
    )
    action = DisciplinaryAction.objects.create(
        registrant=registrant,
        organisation=organisation,
        kind="warning",
        started_on=DAY,
        summary="A warning.",
        recorded_by=make_user("hr_lead", organisation=organisation),
    )
    disciplinary_action_check(action=action)
    travel(DAY + dt.timedelta(days=3))
    concerns_daily_digest()
    body = digests(caseworker).get().body
    assert "1 concern is waiting for the person who raised it" in body
    assert "1 detriment flag needs review" in body
    assert "A warning" not in body


def test_custodians_hear_of_waiting_reveal_requests_but_not_their_own(
    organisation, caseworker, make_user, travel
):
    custodian = make_user("custodian")
    asker = make_user("caseworker")
    RoleAssignment.objects.create(user=asker, role="custodian")
    travel(DAY)
    concern = submit(organisation, "confidential")
    Concern.objects.filter(pk=concern.pk).update(
        acknowledged_on=DAY, status=ConcernStatus.ACKNOWLEDGED
    )
    reveal.reveal_request(
        concern=concern,
        recipient="The police",
        reason="A statement is needed.",
        reporter_consented=True,
        actor=asker,
    )
    travel(DAY + dt.timedelta(days=2))
    assert concerns_daily_digest() == 1
    body = digests(custodian).get().body
    assert "1 request to reveal a reporter's identity is waiting for a custodian" in body
    assert "statement" not in body and "police" not in body
    # Caseworkers (the asker among them) have nothing else to hear about.
    assert not digests(caseworker).exists() and not digests(asker).exists()


def test_someone_holding_both_roles_gets_one_digest(organisation, make_user, travel):
    both = make_user("caseworker")
    RoleAssignment.objects.create(user=both, role="custodian")
    travel(DAY)
    concern = submit(organisation, "confidential")
    reveal.reveal_request(
        concern=concern,
        recipient="The police",
        reason="A statement is needed.",
        reporter_consented=False,
        actor=make_user("caseworker"),
    )
    travel(DAY + dt.timedelta(days=1))
    concerns_daily_digest()
    body = digests(both).get().body
    assert "1 new concern received yesterday" in body
    assert "1 request to reveal" in body


def test_the_worker_runs_it_every_day():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=DAILY_DIGEST_SCHEDULE)
    assert schedule.func == DAILY_DIGEST_FUNC == "steward.concerns.tasks.concerns_daily_digest"
    assert schedule.schedule_type == Schedule.DAILY


def test_replies_nobody_has_answered_are_counted(organisation, caseworker, travel):
    from steward.concerns import services, triage

    travel(DAY)
    concern = submit(organisation, "anonymous")
    triage.concern_message_send(
        concern=concern, body="Which ward?", actor=caseworker, needs_reply=True
    )
    services.reporter_message_add(concern=concern, body="Ward 7, on nights.")
    travel(DAY + dt.timedelta(days=1))
    concerns_daily_digest()
    body = digests(caseworker).get().body
    assert "1 concern has a reply from the person who raised it" in body
    assert "Ward 7" not in body


def test_the_daily_digest_also_clears_earlier_days_counts(organisation, caseworker, travel):
    from steward.concerns.models import DailyCount

    travel(DAY)
    DailyCount.objects.create(day=DAY - dt.timedelta(days=3), bucket="submission", client="*")
    DailyCount.objects.create(day=DAY, bucket="submission", client="*", count=2)
    concerns_daily_digest()
    assert list(DailyCount.objects.values_list("day", flat=True)) == [DAY]
