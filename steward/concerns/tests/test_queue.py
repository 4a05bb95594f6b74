"""The concerns team's queue and a concern's page: filters, deadlines, assignment,
acknowledging, messages to the reporter, staff notes and files."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import selectors, services, triage
from steward.concerns.models import Concern, ConcernStatus, StaffNote
from steward.concerns.tests.factories_staff import (
    REPORTER,
    TODAY,
    WHAT,
    concern,
    detriment_flag,
    fresh,
    manager,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("concerns:queue")


@pytest.fixture(autouse=True)
def today(travel, settings):
    settings.DEMO_SKIP_MFA = True
    travel(TODAY)
    return TODAY


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", full_name="Casey Worker")


@pytest.fixture
def colleague(make_user):
    return make_user("caseworker", full_name="Colin League")


@pytest.fixture
def signed_in(client, caseworker):
    client.force_login(caseworker)
    return client


def detail_url(item) -> str:
    return reverse("concerns:detail", kwargs={"reference": item.reference})


def references(html: str, *items) -> list[bool]:
    return [item.reference in html for item in items]


# --- Overdue ---------------------------------------------------------------------


def test_overdue_means_a_deadline_passed_and_not_met(caseworker, organisation, travel):
    item = concern(organisation=organisation)
    assert item.acknowledge_by == dt.date(2026, 11, 9)
    assert not Concern.objects.filter(selectors.overdue_q(dt.date(2026, 11, 9))).exists()
    assert list(Concern.objects.filter(selectors.overdue_q(dt.date(2026, 11, 10)))) == [item]
    triage.concern_acknowledge(concern=item, actor=caseworker, version=item.version)
    assert not Concern.objects.filter(selectors.overdue_q(dt.date(2026, 11, 10))).exists()
    day_after_feedback_due = item.feedback_by + dt.timedelta(days=1)
    assert not Concern.objects.filter(selectors.overdue_q(item.feedback_by)).exists()
    assert Concern.objects.filter(selectors.overdue_q(day_after_feedback_due)).exists()
    triage.triage_decide(
        concern=fresh(item),
        outcome="close",
        reasons="Outside our remit.",
        reporter_explanation="This is for your employer's own process.",
        actor=caseworker,
        version=fresh(item).version,
    )
    assert not Concern.objects.filter(selectors.overdue_q(day_after_feedback_due)).exists()


# --- The queue ---------------------------------------------------------------------


def test_each_filter_shows_its_concerns(signed_in, caseworker, colleague, organisation, travel):
    travel(dt.date(2026, 10, 1))
    late = concern(organisation=organisation)
    travel(TODAY)
    new = concern(organisation=organisation)
    waiting = concern(organisation=organisation)
    triage.concern_message_send(
        concern=waiting, body="Which ward was it?", actor=caseworker, needs_reply=True
    )
    mine = concern(organisation=organisation)
    triage.concern_assign(concern=mine, assignee=caseworker, actor=caseworker, version=mine.version)
    theirs = concern(organisation=organisation)
    triage.concern_assign(
        concern=theirs, assignee=colleague, actor=caseworker, version=theirs.version
    )
    flagged = concern(organisation=organisation, anonymity="open")
    detriment_flag(flagged, organisation, caseworker)
    closed = concern(organisation=organisation)
    triage.triage_decide(
        concern=closed,
        outcome="close",
        reasons="Not a matter for us.",
        reporter_explanation="We cannot look into this.",
        actor=caseworker,
        version=closed.version,
    )
    # Asked, and the reporter answered: their reply is the last word until answered.
    replied = concern(organisation=organisation)
    triage.concern_message_send(
        concern=replied, body="Who else saw it?", actor=caseworker, needs_reply=True
    )
    services.reporter_message_add(concern=replied, body="The night sister saw it too.")
    answered = concern(organisation=organisation)
    triage.concern_message_send(concern=answered, body="Any dates?", actor=caseworker)
    services.reporter_message_add(concern=answered, body="Early March.")
    triage.concern_message_send(concern=answered, body="Thank you.", actor=caseworker)
    everything = (late, new, waiting, mine, theirs, flagged, closed, replied, answered)
    expected = {
        "new": {late, new, mine, theirs, flagged},
        "awaiting_reporter": {waiting},
        "replied": {replied},
        "overdue": {late},
        "mine": {mine},
        "unassigned": {late, new, waiting, flagged, replied, answered},
        "detriment": {flagged},
        "open": {late, new, waiting, mine, theirs, flagged, replied, answered},
        "closed": {closed},
    }
    for name, shown in expected.items():
        html = signed_in.get(QUEUE, {"filter": name}).content.decode()
        for item in everything:
            assert (item.reference in html) == (item in shown), (name, item.reference)
        assert f"{selectors.QUEUE_FILTERS[name]} ({len(shown)})" in html


def test_each_row_says_who_it_is_about_and_flags_overdue_deadlines(
    signed_in, caseworker, organisation, travel
):
    travel(dt.date(2026, 10, 1))
    registrant = manager(organisation)
    named = concern(registrant=registrant, organisation=organisation, anonymity="anonymous")
    travel(TODAY)
    unknown = concern(description="The night manager on ward 7")
    triage.concern_assign(
        concern=unknown, assignee=caseworker, actor=caseworker, version=unknown.version
    )
    html = signed_in.get(QUEUE).content.decode()
    assert "Priya Director" in html and registrant.registration_number in html
    assert "Leeds Teaching Hospitals NHS Trust" in html
    assert "Someone not on the register" in html
    assert "Anonymous" in html and "Confidential" in html
    assert "nhsuk-tag--red" in html  # the late concern's deadlines are overdue
    assert "8 October 2026" in html  # the late concern's acknowledge-by date
    assert "Casey Worker" in html
    assert f'href="{detail_url(named)}"' in html
    # Listing opens nothing sealed.
    assert "ward 7" not in html and WHAT not in html


def test_listing_records_no_readings_and_runs_a_bounded_number_of_queries(
    signed_in, caseworker, organisation, django_assert_max_num_queries
):
    for _ in range(3):
        concern(organisation=organisation, registrant=manager(organisation))
    signed_in.get(QUEUE)
    with django_assert_max_num_queries(12) as few:
        signed_in.get(QUEUE)
    for index in range(12):
        item = concern(
            organisation=organisation,
            registrant=manager(organisation, names=("Person", f"Number{index}")),
        )
        triage.concern_assign(concern=item, assignee=caseworker, actor=caseworker, version=1)
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(QUEUE)
    assert response.content.decode().count('class="nhsuk-table__row"') == 16
    assert AuditEvent.objects.count() == before


def test_a_bad_filter_or_page_gives_a_message_not_an_error(signed_in, organisation):
    concern(organisation=organisation)
    response = signed_in.get(QUEUE, {"filter": "everything\x00"})
    assert response.status_code == 200
    assert "There is no such filter" in response.content.decode()
    assert signed_in.get(QUEUE, {"page": "abc"}).status_code == 200
    assert signed_in.get(QUEUE, {"page": "99999999999999999999"}).status_code == 200


def test_the_queue_pages_through_many_concerns(signed_in, organisation):
    for _ in range(51):
        concern(organisation=organisation)
    first = signed_in.get(QUEUE).content.decode()
    assert "nhsuk-pagination" in first
    second = signed_in.get(QUEUE, {"page": 2}).content.decode()
    assert second.count('class="nhsuk-table__row"') == 2  # the header row and one concern


# --- A concern's page --------------------------------------------------------------


def test_the_concern_page_opens_the_report_and_records_each_reading(
    signed_in, caseworker, organisation
):
    item = concern(organisation=organisation, description="The night manager on ward 7")
    triage.concern_message_send(concern=item, body="Which night?", actor=caseworker)
    services.reporter_message_add(concern=fresh(item), body="Tuesday 3 March")
    triage.staff_note_add(concern=item, body="Check the rota for that night", actor=caseworker)
    before = AuditEvent.objects.count()
    html = signed_in.get(detail_url(item)).content.decode()
    assert WHAT in html and "Early March 2026" in html
    assert "The night manager on ward 7" in html
    assert "Which night?" in html and "Tuesday 3 March" in html
    assert "Check the rota for that night" in html
    assert 'id="reporter-heading"' in html  # the reporter panel is included
    viewed = AuditEvent.objects.filter(
        pk__gt=before, action="concerns.concern.restricted_viewed", actor=caseworker
    )
    fields = {f for event in viewed for f in json.loads(event.payload)["fields"]}
    assert {"concern_content", "messages", "staff_notes"} <= fields
    # The audit trail names what was read, never what it said.
    assert not any("rota" in e.payload or "Tuesday" in e.payload for e in viewed)


def test_an_unknown_reference_is_not_found(signed_in):
    assert (
        signed_in.get(reverse("concerns:detail", kwargs={"reference": "C-NOPE"})).status_code == 404
    )


# --- Assignment -------------------------------------------------------------------


def test_assigning_to_me_to_a_colleague_and_to_nobody(
    signed_in, caseworker, colleague, organisation
):
    item = concern(organisation=organisation)
    url = reverse("concerns:assign", kwargs={"reference": item.reference})
    response = signed_in.post(url, {"assign-assignee": caseworker.pk, "assign-version": 1})
    assert response.status_code == 302
    assert fresh(item).assigned_to == caseworker
    signed_in.post(url, {"assign-assignee": colleague.pk, "assign-version": 2})
    assert fresh(item).assigned_to == colleague
    signed_in.post(url, {"assign-assignee": "none", "assign-version": 3})
    item = fresh(item)
    assert item.assigned_to is None and item.version == 4
    events = AuditEvent.objects.filter(action="concerns.concern.assigned").order_by("seq")
    assert [json.loads(e.payload)["assigned_to"] for e in events] == [
        caseworker.pk,
        colleague.pk,
        None,
    ]


def test_assignment_is_refused_from_a_stale_page_or_to_someone_outside_the_team(
    signed_in, caseworker, organisation, make_user
):
    item = concern(organisation=organisation)
    url = reverse("concerns:assign", kwargs={"reference": item.reference})
    page = signed_in.post(url, {"assign-assignee": caseworker.pk, "assign-version": 7})
    assert "Someone else changed this concern" in page.content.decode()
    outsider = make_user("registrar")
    page = signed_in.post(url, {"assign-assignee": outsider.pk, "assign-version": 1})
    assert "Choose a caseworker from the list" in page.content.decode()
    with pytest.raises(Exception, match="must be a caseworker"):
        triage.concern_assign(concern=item, assignee=outsider, actor=caseworker, version=1)
    assert fresh(item).assigned_to is None


# --- Acknowledging and writing to the reporter --------------------------------------


def test_acknowledging_sends_the_standard_message_once(signed_in, organisation):
    item = concern(organisation=organisation)
    url = reverse("concerns:acknowledge", kwargs={"reference": item.reference})
    assert signed_in.post(url, {"acknowledge-version": 1}).status_code == 302
    item = fresh(item)
    assert item.status == ConcernStatus.ACKNOWLEDGED and item.acknowledged_on == TODAY
    (message,) = services.messages_for_reporter(concern=item)
    assert "We have received it" in message["body"] and "2 February 2027" in message["body"]
    page = signed_in.post(url, {"acknowledge-version": item.version})
    assert "already acknowledged on 2 November 2026" in page.content.decode()
    assert len(services.messages_for_reporter(concern=item)) == 1
    assert AuditEvent.objects.filter(action="concerns.concern.acknowledged").count() == 1


def test_a_message_can_wait_for_a_reply_or_count_as_feedback(signed_in, caseworker, organisation):
    item = concern(organisation=organisation, anonymity="anonymous")
    url = reverse("concerns:message", kwargs={"reference": item.reference})
    signed_in.post(url, {"message-body": "Which ward?", "message-needs_reply": "on"})
    item = fresh(item)
    assert item.status == ConcernStatus.AWAITING_REPORTER and item.acknowledged_on == TODAY
    assert item.first_feedback_on is None
    services.reporter_message_add(concern=item, body="Ward 7")
    assert fresh(item).status == ConcernStatus.ACKNOWLEDGED
    signed_in.post(
        url, {"message-body": "We have spoken to the trust.", "message-is_feedback": "on"}
    )
    item = fresh(item)
    assert item.first_feedback_on == TODAY and item.status == ConcernStatus.ACKNOWLEDGED
    bodies = [m["body"] for m in services.messages_for_reporter(concern=item)]
    assert bodies == ["Which ward?", "Ward 7", "We have spoken to the trust."]


def test_an_empty_message_is_refused(signed_in, organisation):
    item = concern(organisation=organisation)
    url = reverse("concerns:message", kwargs={"reference": item.reference})
    page = signed_in.post(url, {"message-body": "   "})
    assert "Enter your message" in page.content.decode()
    assert not item.messages.exists() and fresh(item).status == ConcernStatus.NEW


def test_a_triaged_concern_cannot_wait_for_the_reporter(caseworker, organisation):
    item = concern(organisation=organisation)
    triage.triage_decide(
        concern=item,
        outcome="close",
        reasons="Not for us.",
        reporter_explanation="We cannot help with this.",
        actor=caseworker,
        version=item.version,
    )
    with pytest.raises(Exception, match="cannot wait for a reply"):
        triage.concern_message_send(
            concern=fresh(item), body="Any more?", actor=caseworker, needs_reply=True
        )
    assert fresh(item).status == ConcernStatus.CLOSED


# --- Staff notes -------------------------------------------------------------------


def test_staff_notes_are_sealed_and_never_reach_the_reporter(signed_in, organisation):
    item = concern(organisation=organisation)
    url = reverse("concerns:note", kwargs={"reference": item.reference})
    assert signed_in.post(url, {"note-body": "Reporter seems credible"}).status_code == 302
    note = StaffNote.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_sealed FROM concerns_staffnote")
        (stored,) = cursor.fetchone()
    assert b"credible" not in bytes(stored)
    assert note.concern == item
    assert services.messages_for_reporter(concern=item) == []
    assert AuditEvent.objects.filter(action="concerns.staff_note.added").exists()
    page = signed_in.post(url, {"note-body": ""})
    assert "Enter your note" in page.content.decode()
    assert StaffNote.objects.count() == 1


# --- Files -------------------------------------------------------------------------


def test_files_are_listed_without_opening_them_and_downloads_are_recorded(signed_in, organisation):
    item = concern(organisation=organisation, with_file=True)
    before = AuditEvent.objects.count()
    html = signed_in.get(detail_url(item)).content.decode()
    assert "Download File 1" in html and "ward-7-rota.txt" not in html
    url = reverse("concerns:file", kwargs={"reference": item.reference, "number": 1})
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response.content == b"Rota for ward 7"
    assert "attachment" in response["Content-Disposition"]
    assert "ward-7-rota.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    opened = AuditEvent.objects.filter(pk__gt=before, action="concerns.concern.restricted_viewed")
    assert any("file_1_content" in e.payload for e in opened)
    missing = reverse("concerns:file", kwargs={"reference": item.reference, "number": 2})
    assert signed_in.get(missing).status_code == 404


def test_the_reporter_identity_is_not_on_the_page_until_asked_for(signed_in, organisation):
    item = concern(organisation=organisation, anonymity="confidential")
    html = signed_in.get(detail_url(item)).content.decode()
    assert REPORTER["name"] not in html and REPORTER["email"] not in html
