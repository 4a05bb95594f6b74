"""The annual return: deadline, submission, sending back, and the region's overview."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError

from steward.audit.models import AuditEvent
from steward.fitness import returns
from steward.fitness.models import (
    AnnualReturn,
    AnnualReturnEvent,
    AssessmentTrigger,
    ReturnStatus,
)
from steward.fitness.returns import ReturnState
from steward.fitness.tests import factories_returns as f
from steward.notifications.models import Notification
from steward.organisations.models import Organisation, OrganisationType, Region
from steward.register.services import StaleEdit

pytestmark = pytest.mark.django_db

YEAR = 2025
STATEMENT = "Every board member was assessed this year."


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation, full_name="Adebayo Okonkwo-Hughes")


@pytest.fixture
def director(make_user, region):
    return make_user("regional_director", region=region, full_name="Margaret Ó Súilleabháin")


@pytest.fixture
def concluded_year(organisation):
    """Three board members assessed for 2025 and every assessment concluded."""
    return [
        f.assessment(organisation, year=YEAR, category="chair", title="Chair"),
        f.assessment(organisation, year=YEAR),
        f.assessment(organisation, year=YEAR, outcome=f.NOT_FIT, title="Chief Finance Officer"),
        f.assessment(organisation, year=YEAR, trigger=AssessmentTrigger.APPOINTMENT),
    ]


def submit(organisation, actor, **overrides):
    details = {"year": YEAR, "chair_statement": STATEMENT, "actor": actor, **overrides}
    return returns.annual_return_submit(organisation=organisation, **details)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- The deadline ---------------------------------------------------------------


def test_the_deadline_is_30_june_of_the_following_year_by_default():
    assert returns.return_deadline(2025) == dt.date(2026, 6, 30)


def test_the_deadline_follows_the_setting(settings):
    settings.FITNESS_RETURN_DEADLINE = "09-15"
    assert returns.return_deadline(2025) == dt.date(2026, 9, 15)


def test_a_29_february_deadline_falls_on_28_february_outside_leap_years(settings):
    settings.FITNESS_RETURN_DEADLINE = "02-29"
    assert returns.return_deadline(2027) == dt.date(2028, 2, 29)
    assert returns.return_deadline(2025) == dt.date(2026, 2, 28)


@pytest.mark.parametrize("value", ["31-06", "06/30", "02-30", "", "13-01", "June 30"])
def test_a_deadline_setting_that_is_not_a_day_is_refused(settings, value):
    settings.FITNESS_RETURN_DEADLINE = value
    with pytest.raises(ImproperlyConfigured, match="MM-DD"):
        returns.return_deadline(2025)


@pytest.mark.parametrize("value", [(0, 7), (-1,), ("soon",)])
def test_reminder_days_must_be_positive_whole_days(settings, value):
    settings.FITNESS_REMINDER_DAYS = value
    with pytest.raises(ImproperlyConfigured):
        returns.reminder_days()


# --- Submitting ---------------------------------------------------------------


def test_the_chair_submits_the_return_once_every_assessment_is_concluded(
    organisation, chair, director, concluded_year, travel
):
    travel(dt.date(2026, 5, 1))

    annual_return = submit(organisation, chair)

    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.SUBMITTED
    assert annual_return.deadline == dt.date(2026, 6, 30)
    assert annual_return.first_submitted_at == annual_return.submitted_at
    assert annual_return.submitted_by == chair
    assert annual_return.submitted_by_label == "Adebayo Okonkwo-Hughes"
    assert annual_return.chair_statement == STATEMENT
    assert annual_return.version == 1
    assert not annual_return.submitted_late
    summary = annual_return.summary
    assert summary["board_members"] == 4
    assert summary["fit_and_proper"] == 3
    assert summary["not_fit_and_proper"] == 1
    assert summary["by_trigger"]["annual"] == {
        "board_members": 3,
        "assessments": 3,
        "fit_and_proper": 2,
        "not_fit_and_proper": 1,
    }
    assert summary["by_trigger"]["appointment"]["fit_and_proper"] == 1
    event = AnnualReturnEvent.objects.get(annual_return=annual_return)
    assert (event.action, event.actor, event.actor_label) == ("submitted", chair, chair.full_name)
    audit = AuditEvent.objects.get(action="fitness.return.submitted")
    assert audit.subject_id == str(annual_return.pk)
    assert '"late":false' in audit.payload


def test_submitting_tells_the_regional_director_in_steward_and_by_email(
    organisation, chair, director, make_user, concluded_year, django_capture_on_commit_callbacks
):
    other_region = Region.objects.create(code="Y56", name="London", slug="london")
    make_user("regional_director", region=other_region, email="london-rd@test.steward.example")

    with django_capture_on_commit_callbacks(execute=True):
        submit(organisation, chair)

    notification = Notification.objects.get(user=director)
    assert notification.subject == (
        f"Fit and proper annual return {YEAR} submitted: {organisation.name}"
    )
    assert notification.url == f"/fitness/RR8/{YEAR}/return/"
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[director.email]]
    assert "/fitness/RR8/2025/return/" in mail.outbox[0].body
    # No outcomes in the email: the page behind the link checks who may see them.
    assert "not fit" not in mail.outbox[0].body.lower()


@pytest.mark.parametrize(
    "role", ["chief_executive", "senior_independent_director", "hr_lead", "regional_director"]
)
def test_only_the_chair_can_submit(organisation, region, role_user, concluded_year, role):
    with pytest.raises(ValidationError) as excinfo:
        submit(organisation, role_user(role))

    assert "Only the chair of Leeds Teaching Hospitals NHS Trust" in messages_of(excinfo)
    assert not AnnualReturn.objects.exists()


def test_the_chair_of_another_organisation_cannot_submit(
    organisation, region, make_user, concluded_year
):
    elsewhere = f.organisation(region)
    other_chair = make_user("chair", organisation=elsewhere)

    with pytest.raises(ValidationError, match="Only the chair"):
        submit(organisation, other_chair)


def test_a_year_without_assessments_cannot_be_submitted(organisation, chair):
    with pytest.raises(ValidationError) as excinfo:
        submit(organisation, chair)

    assert "There are no fit and proper assessments" in messages_of(excinfo)
    assert not AnnualReturn.objects.exists()


def test_the_return_waits_for_every_assessment_and_says_how_many_and_who(
    organisation, chair, concluded_year
):
    f.assessment(organisation, year=YEAR, outcome="", names=("Zoë", "Clarke-Bennett"))
    f.assessment(
        organisation, year=YEAR, outcome="", names=("Imran", "Qureshi"), title="Medical Director"
    )
    f.assessment(organisation, year=YEAR + 1, outcome="")  # another year does not count

    with pytest.raises(ValidationError) as excinfo:
        submit(organisation, chair)

    message = messages_of(excinfo)
    assert message.startswith("2 assessments for 2025 are not concluded:")
    assert "Zoë Clarke-Bennett (Chief Nursing Officer)" in message
    assert "Imran Qureshi (Medical Director)" in message
    assert "Conclude every board member's assessment" in message
    assert not AnnualReturn.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="fitness.return").exists()


def test_a_submitted_return_cannot_be_submitted_again(organisation, chair, concluded_year):
    submit(organisation, chair)

    with pytest.raises(ValidationError) as excinfo:
        submit(organisation, chair, chair_statement="Again")

    assert "is with the regional director" in messages_of(excinfo)
    annual_return = AnnualReturn.objects.get()
    assert annual_return.chair_statement == STATEMENT
    assert annual_return.version == 1


def test_the_statement_is_required(organisation, chair, concluded_year):
    with pytest.raises(ValidationError) as excinfo:
        submit(organisation, chair, chair_statement="   ")

    assert excinfo.value.message_dict == {"chair_statement": ["Enter your statement as chair"]}


def test_a_stale_version_is_refused(organisation, chair, concluded_year):
    submit(organisation, chair, expected_version=0)
    with pytest.raises(StaleEdit):
        submit(organisation, chair, expected_version=0)


def test_a_return_submitted_after_the_deadline_is_late(organisation, chair, concluded_year, travel):
    travel(dt.datetime(2026, 7, 1, 0, 30, tzinfo=dt.UTC))  # 1:30am on 1 July in London

    annual_return = submit(organisation, chair)

    assert annual_return.submitted_late
    assert returns.return_state(annual_return, deadline=annual_return.deadline) == (
        ReturnState.SUBMITTED_LATE
    )


def test_a_return_submitted_on_the_last_evening_is_on_time(
    organisation, chair, concluded_year, travel
):
    travel(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))  # 11:30pm on 30 June in London

    assert not submit(organisation, chair).submitted_late


# --- Sending back ---------------------------------------------------------------


def send_back(annual_return, actor, comments="Add the evidence references, please."):
    return returns.annual_return_send_back(
        annual_return=annual_return,
        comments=comments,
        actor=actor,
        expected_version=annual_return.version,
    )


def test_the_regional_director_returns_a_submission_with_comments_and_the_chair_is_told(
    organisation, chair, director, concluded_year, django_capture_on_commit_callbacks
):
    annual_return = submit(organisation, chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        returned = send_back(annual_return, director)

    assert returned.status == ReturnStatus.RETURNED
    assert returned.return_comments == "Add the evidence references, please."
    assert returned.returned_by == director
    assert returned.version == 2
    event = returned.events.get(action="returned")
    assert event.comments == "Add the evidence references, please."
    assert AuditEvent.objects.filter(
        action="fitness.return.sent_back", subject_id=str(returned.pk)
    ).exists()
    assert Notification.objects.filter(user=chair, topic="fitness.return.returned").exists()
    assert [m.to for m in mail.outbox] == [[chair.email]]
    assert "returned" in mail.outbox[0].subject


def test_comments_are_required_to_send_back(organisation, chair, director, concluded_year):
    annual_return = submit(organisation, chair)

    with pytest.raises(ValidationError) as excinfo:
        send_back(annual_return, director, comments=" ")

    assert excinfo.value.message_dict == {"comments": ["Enter what the chair needs to change"]}
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.SUBMITTED


def test_only_the_regional_director_of_that_region_can_send_back(
    organisation, chair, make_user, role_user, concluded_year
):
    annual_return = submit(organisation, chair)
    london = Region.objects.create(code="Y56", name="London", slug="london")
    for actor in (make_user("regional_director", region=london), role_user("auditor"), chair):
        with pytest.raises(ValidationError, match="Only the regional director"):
            send_back(annual_return, actor)
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.SUBMITTED


def test_a_returned_return_cannot_be_returned_again(organisation, chair, director, concluded_year):
    returned = send_back(submit(organisation, chair), director)

    with pytest.raises(ValidationError, match="already returned"):
        send_back(returned, director)


def test_the_chair_resubmits_after_it_was_returned_and_lateness_stays_with_the_first(
    organisation, chair, director, concluded_year, travel
):
    travel(dt.date(2026, 6, 1))
    first = submit(organisation, chair)
    travel(dt.date(2026, 6, 20))
    returned = send_back(first, director)
    travel(dt.date(2026, 7, 10))  # after the deadline

    again = submit(
        organisation, chair, chair_statement="References added.", expected_version=returned.version
    )

    assert again.pk == first.pk
    assert again.status == ReturnStatus.SUBMITTED
    assert again.version == 3
    assert again.first_submitted_at == first.first_submitted_at
    assert again.submitted_at > first.submitted_at
    assert again.chair_statement == "References added."
    assert not again.submitted_late  # the first submission was on time
    assert list(again.events.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
    ]
    assert AuditEvent.objects.filter(action="fitness.return.resubmitted").exists()


# --- The region's overview ------------------------------------------------------------


@pytest.fixture
def region_data(region, organisation, make_user, travel):
    """A region with organisations in every state for 2025, seen on 1 September 2026."""
    travel(dt.date(2026, 5, 1))
    chair = make_user("chair", organisation=organisation)
    # RR8: submitted on time.
    f.assessment(organisation, year=YEAR)
    f.assessment(organisation, year=YEAR, outcome=f.NOT_FIT)
    submit(organisation, chair)
    late = f.organisation(region, name="Late Hospitals NHS Trust")
    f.assessment(late, year=YEAR)
    returned = f.organisation(region, name="Returned Hospitals NHS Trust")
    f.assessment(returned, year=YEAR)
    f.assessment(returned, year=YEAR)
    overdue = f.organisation(region, name="Overdue Hospitals NHS Trust")
    f.assessment(overdue, year=YEAR, outcome="")
    f.assessment(overdue, year=YEAR)
    f.organisation(region, name="Closed Hospitals NHS Trust", closed_on=dt.date(2026, 3, 31))
    f.organisation(region, name="NHS England North East", org_type=OrganisationType.NATIONAL_BODY)
    london = Region.objects.create(code="Y56", name="London", slug="london")
    f.assessment(f.organisation(london, name="London Hospitals NHS Trust"), year=YEAR)
    director = make_user("regional_director", region=region)
    returned_chair = make_user("chair", organisation=returned)
    send_back(submit(returned, returned_chair), director)
    travel(dt.date(2026, 7, 20))
    submit(late, make_user("chair", organisation=late))
    travel(dt.date(2026, 9, 1))
    return {"late": late, "returned": returned, "overdue": overdue}


def test_the_region_overview_has_a_row_per_open_organisation_with_its_status(
    region, organisation, region_data
):
    overview = returns.region_overview(region=region, year=YEAR)

    states = {row.organisation.name: row.state for row in overview.rows}
    assert states == {
        "Leeds Teaching Hospitals NHS Trust": ReturnState.SUBMITTED_ON_TIME,
        "Late Hospitals NHS Trust": ReturnState.SUBMITTED_LATE,
        "Returned Hospitals NHS Trust": ReturnState.RETURNED,
        "Overdue Hospitals NHS Trust": ReturnState.OVERDUE,
        "NHS West Yorkshire Integrated Care Board": ReturnState.OVERDUE,
    }
    leeds = next(row for row in overview.rows if row.organisation == organisation)
    assert (leeds.counts.board_members, leeds.counts.fit_and_proper) == (2, 1)
    assert leeds.counts.not_fit_and_proper == 1
    overdue = next(row for row in overview.rows if row.organisation == region_data["overdue"])
    assert (overdue.counts.board_members, overdue.counts.concluded) == (2, 1)
    assert overview.totals.board_members == 7
    assert overview.totals.not_concluded == 1
    assert overview.states == {
        "not_submitted": 0,
        "overdue": 2,
        "submitted_on_time": 1,
        "submitted_late": 1,
        "returned": 1,
    }
    assert overview.submitted == 2


def test_before_the_deadline_a_missing_return_is_not_submitted_rather_than_overdue(
    region, region_data, travel
):
    travel(dt.date(2026, 6, 30))

    overview = returns.region_overview(region=region, year=YEAR)

    assert overview.states["overdue"] == 0
    assert overview.states["not_submitted"] == 2


def test_the_region_overview_runs_a_fixed_number_of_queries(
    region, region_data, django_assert_max_num_queries
):
    for number in range(15):
        extra = f.organisation(region, name=f"Extra {number} NHS Trust")
        f.assessment(extra, year=YEAR)

    with django_assert_max_num_queries(6):
        overview = returns.region_overview(region=region, year=YEAR)
        [row.counts.board_members for row in overview.rows]

    assert len(overview.rows) == 20


def test_the_default_year_is_the_latest_with_assessments_in_the_region(region, organisation):
    assert returns.region_default_year(region=region, today=dt.date(2026, 11, 1)) == 2026
    f.assessment(organisation, year=2024)
    f.assessment(organisation, year=2025)
    assert returns.region_default_year(region=region) == 2025
    assert returns.region_years(region=region) == [2025, 2024]


def test_organisation_return_lists_the_assessments_and_the_history(
    organisation, chair, director, concluded_year
):
    returned = send_back(submit(organisation, chair), director)

    view = returns.organisation_return(organisation=organisation, year=YEAR)

    assert view.annual_return == returned
    assert view.state == ReturnState.RETURNED
    assert [e.action for e in view.events] == ["submitted", "returned"]
    assert view.counts.board_members == 4
    assert view.ready_to_submit
    assert Organisation.objects.count() == 2  # nothing created by reading
