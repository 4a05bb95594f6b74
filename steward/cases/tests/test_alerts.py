"""Alerts to employers: every organisation where the registrant holds a role or is
proposed for one is told, in the service and by email, when an interim order,
conditions, a suspension or a bar takes effect or ends. Public facts only."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from steward.cases.alerts import ALERT_TOPIC, employers_to_alert
from steward.cases.models import DeterminationKind, Hearing, HearingKind
from steward.cases.sanctions import (
    interim_order_make,
    sanction_from_determination,
    sanctions_lapse,
)
from steward.cases.tests.factories import (
    RESTRICTED,
    SUMMARY,
    decide,
    make_case,
    make_determination,
    make_registrant,
    months_later,
)
from steward.cases.tests.test_sanctions import TODAY
from steward.notifications.models import Notification
from steward.organisations.models import Organisation, OrganisationType
from steward.references.models import AppointmentStatus
from steward.references.tests.factories import propose
from steward.register.services import career_role_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _org(region, code, name):
    return Organisation.objects.create(
        ods_code=code, name=name, org_type=OrganisationType.FOUNDATION_TRUST, region=region
    )


@pytest.fixture
def bradford(region):
    return _org(region, "RAE", "Bradford Teaching Hospitals NHS Foundation Trust")


@pytest.fixture
def harrogate(region):
    return _org(region, "RCD", "Harrogate and District NHS Foundation Trust")


@pytest.fixture
def york(region):
    return _org(region, "RCB", "York and Scarborough Teaching Hospitals NHS Foundation Trust")


def _role(registrant, organisation, **dates):
    career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Director of Strategy",
        category="executive_director",
        actor="tests",
        reason="test data",
        **dates,
    )


def test_employers_are_those_with_a_current_or_coming_role_or_a_proposal(
    registrant, organisation, bradford, harrogate, york, region, make_user
):
    _role(registrant, harrogate, start_date=dt.date(2027, 1, 1))  # starts later
    _role(registrant, york, start_date=dt.date(2015, 1, 1), end_date=dt.date(2019, 1, 1))
    propose(bradford, registrant)
    withdrawn_at = _org(region, "RXF", "Mid Yorkshire Teaching NHS Trust")
    withdrawn = propose(withdrawn_at, registrant)
    withdrawn.status = AppointmentStatus.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    assert [o.ods_code for o in employers_to_alert(registrant)] == ["RAE", "RCD", "RR8"]


def test_every_chair_chief_executive_and_hr_lead_is_told_in_the_service_and_by_email(
    registrant,
    organisation,
    bradford,
    caseworker,
    officer,
    make_user,
    django_capture_on_commit_callbacks,
):
    propose(bradford, registrant)
    told = [
        make_user("chair", organisation=organisation, email="chair@rr8.example"),
        make_user("chief_executive", organisation=organisation, email="ceo@rr8.example"),
        make_user("hr_lead", organisation=organisation, email="hr@rr8.example"),
        make_user("hr_lead", organisation=bradford, email="hr@rae.example"),
    ]
    not_told = [
        make_user("senior_independent_director", organisation=organisation),
        make_user("chair", organisation=_org(organisation.region, "RWA", "Hull University")),
    ]
    case = make_case(registrant, caseworker, restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, officer, "suspension", ends_on=dt.date(2027, 5, 1))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in told)
    for user in told:
        note = Notification.objects.get(user=user)
        assert note.topic == ALERT_TOPIC
        assert note.url == reverse(
            "register:entry", kwargs={"registration_number": registrant.registration_number}
        )
    assert not Notification.objects.filter(user__in=not_told).exists()
    message = next(m for m in mail.outbox if m.to == ["hr@rae.example"])
    assert "Alex Morgan" in message.subject and registrant.registration_number in message.subject
    assert "role at Bradford Teaching Hospitals NHS Foundation Trust" in message.body
    assert (
        "A suspension of their registration took effect on 2 November 2026, until 1 May 2027."
        in message.body
    )
    assert f"/register/{registrant.registration_number}/" in message.body
    for text in [message.subject, message.body]:
        for value in RESTRICTED.values():
            assert value not in text
        assert SUMMARY not in text


def test_the_registrant_is_not_alerted_about_themselves(
    registrant, organisation, caseworker, officer, make_user
):
    own = make_user("chief_executive", organisation=organisation)
    registrant.user = own
    registrant.save(update_fields=["user"])
    chair = make_user("chair", organisation=organisation)
    decide(make_case(registrant, caseworker), officer, "barring")
    assert Notification.objects.filter(user=chair).count() == 1
    assert not Notification.objects.filter(user=own).exists()


@pytest.mark.parametrize("kind", ["advice", "warning", "undertakings"])
def test_sanctions_that_do_not_restrict_practice_send_no_alert(
    registrant, organisation, caseworker, officer, make_user, kind
):
    make_user("chair", organisation=organisation)
    decide(make_case(registrant, caseworker), officer, kind)
    assert not Notification.objects.exists()


def test_conditions_barring_and_an_interim_order_each_alert(
    registrant, organisation, caseworker, officer, make_user
):
    chair = make_user("chair", organisation=organisation)
    case = make_case(registrant, caseworker)
    hearing = Hearing.objects.create(
        case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, scheduled_by=officer
    )
    interim_order_make(
        case=case, kind="conditions", months=6, conditions="x", hearing=hearing, actor=officer
    )
    decide(
        make_case(registrant, caseworker),
        officer,
        "conditions",
        ends_on=months_later(6),
        conditions="Mentor",
    )
    decide(make_case(registrant, caseworker), officer, "barring")
    bodies = [n.body for n in Notification.objects.filter(user=chair).order_by("pk")]
    assert "An interim order placing conditions on their practice took effect" in bodies[0]
    assert "Conditions on their practice took effect" in bodies[1]
    assert "A bar from the register of NHS managers took effect on 2 November 2026." in bodies[2]


def test_a_health_related_interim_order_is_not_named_as_one(
    registrant, organisation, caseworker, officer, make_user
):
    chair = make_user("chair", organisation=organisation)
    case = make_case(registrant, caseworker, health_related=True)
    hearing = Hearing.objects.create(
        case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, scheduled_by=officer
    )
    interim_order_make(
        case=case, kind="suspension", months=6, conditions="", hearing=hearing, actor=officer
    )
    body = Notification.objects.get(user=chair).body
    assert "A suspension of their registration took effect" in body
    assert "interim" not in body


def test_employers_are_told_when_a_restriction_ends(
    registrant, organisation, caseworker, officer, make_user, travel
):
    chair = make_user("chair", organisation=organisation)
    decide(make_case(registrant, caseworker), officer, "suspension", ends_on=dt.date(2027, 2, 1))
    travel(dt.date(2027, 2, 2))
    sanctions_lapse()
    latest = Notification.objects.filter(user=chair).order_by("-pk").first()
    assert "A suspension of their registration ended on 1 February 2027." in latest.body


def test_nobody_to_tell_is_not_an_error(caseworker, officer):
    registrant = make_registrant()  # no roles anywhere
    decide(make_case(registrant, caseworker), officer, "barring")
    assert not Notification.objects.exists()


def test_an_appeal_that_changes_nothing_sends_nothing_and_new_terms_send_one_change(
    registrant, organisation, caseworker, officer, make_user
):
    chair = make_user("chair", organisation=organisation)
    case = make_case(registrant, caseworker)
    original = make_determination(case, "suspension", ends_on=dt.date(2027, 5, 1))
    sanction_from_determination(determination=original, actor=officer)
    dismissed = make_determination(
        case,
        "suspension",
        kind=DeterminationKind.APPEAL,
        supersedes=original,
        ends_on=dt.date(2027, 5, 1),
    )
    sanction_from_determination(determination=dismissed, actor=officer)
    assert Notification.objects.filter(user=chair).count() == 1
    shorter = make_determination(
        case,
        "suspension",
        kind=DeterminationKind.REVIEW,
        supersedes=dismissed,
        ends_on=dt.date(2027, 2, 1),
    )
    sanction_from_determination(determination=shorter, actor=officer)
    latest = Notification.objects.filter(user=chair).order_by("-pk")[0].body
    assert "took effect on 2 November 2026, until 1 February 2027." in latest
    assert "ended" not in latest
