"""The hearing, panel and interim order pages: the hearings list, scheduling with the
notice period, moving a hearing, forming the panel, recording it held, interim orders
made and reviewed, the bundle, the registrant's response, and the case pages'
sections."""

import datetime as dt
import html as html_text
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases.hearings import hearing_reschedule
from steward.cases.models import (
    DeclaredInterest,
    Evidence,
    EvidenceParty,
    Hearing,
    HearingKind,
    HearingStatus,
    PanelSeat,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Stage,
)
from steward.cases.sanctions import interim_order_make
from steward.cases.services import evidence_add
from steward.cases.tests.factories import (
    case_make,
    hearing_make,
    panel_member_make,
    person_make,
    registrant_make,
)
from steward.notifications.models import Notification
from steward.register.models import RegisterStatus, Registrant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "skip_mfa")]

TODAY = dt.date(2026, 11, 2)
HEARINGS = reverse("cases:hearings")


@pytest.fixture
def officer():
    return person_make("hearings_officer", full_name="Hana Officer")


@pytest.fixture
def account():
    return person_make("registrant", full_name="Alex Morgan")


@pytest.fixture
def case(account):
    return case_make(registrant=registrant_make(user=account), stage=Stage.PANEL_HEARING)


@pytest.fixture
def hearing(case, officer):
    return hearing_make(case=case, officer=officer)


def as_user(client, user):
    client.force_login(user)
    return client


def case_url(case, name="cases:detail", **kwargs) -> str:
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


def hearing_url(hearing, name="cases:hearing", **kwargs) -> str:
    return reverse(
        name, kwargs={"reference": hearing.case.reference, "hearing_id": hearing.pk, **kwargs}
    )


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def text_of(response) -> str:
    """The page's text without tags or repeated spaces."""
    html = response.content.decode()
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def seat(hearing, member) -> PanelSeat:
    return PanelSeat.objects.create(
        hearing=hearing, member=member, category="lay", is_chair=not hearing.panel.exists()
    )


def add_evidence(case, *, disclosed: bool, title: str = "Board minutes", content=b"minutes"):
    return evidence_add(
        case=case,
        title=title,
        file_name="minutes.txt",
        media_type="text/plain",
        content=content,
        actor=case.caseworker,
        disclosed=disclosed,
    )


# --- The hearings list ----------------------------------------------------------------


def test_hearings_officers_see_every_hearing_to_be_held(client, officer, case, hearing):
    other = case_make(stage=Stage.INVESTIGATION)
    unformed = hearing_make(case=other, kind=HearingKind.INTERIM_ORDER, panel=False)
    held = hearing_make(case=case_make(stage=Stage.DETERMINATION), officer=officer)
    Hearing.objects.filter(pk=held.pk).update(status=HearingStatus.HELD)
    page = text_of(as_user(client, officer).get(HEARINGS))
    assert "Hearings to be held" in page
    assert case.reference in page and other.reference in page
    assert held.case.reference not in page
    assert "Substantive hearing" in page and "Interim order hearing" in page
    assert "Complete" in page and "Not formed" in page
    assert "30 November 2026" in page  # 28 days from today
    assert "Notice served on" in page and "2 November 2026" in page
    assert hearing_url(unformed) in client.get(HEARINGS).content.decode()


def test_reviews_due_are_listed_for_hearings_officers(client, officer, travel):
    registrant = registrant_make(forenames="Robin", surname="Review")
    case = case_make(registrant=registrant, stage=Stage.INVESTIGATION)
    interim = hearing_make(case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY)
    interim_order_make(
        case=case, kind=SanctionKind.SUSPENSION, months=6, hearing=interim, actor=officer
    )
    Hearing.objects.filter(pk=interim.pk).update(status=HearingStatus.HELD)
    travel(dt.date(2027, 4, 20))  # the review falls due on 2 May 2027
    page = text_of(as_user(client, officer).get(HEARINGS))
    assert "Reviews due" in page
    assert "Interim suspension" in page and "2 May 2027" in page
    assert case.reference in page and "Robin Review" in page
    assert "Schedule an interim order hearing" in page
    schedule = case_url(case, "cases:hearing_schedule") + "?kind=interim_order"
    assert schedule in client.get(HEARINGS).content.decode()


def test_panel_members_see_only_the_hearings_they_sit_on(client, case, hearing):
    member = hearing.panel.get(is_chair=True).member
    elsewhere = hearing_make(case=case_make(stage=Stage.PANEL_HEARING))
    page = text_of(as_user(client, member).get(HEARINGS))
    assert case.reference in page and "You chair the panel" in page
    assert elsewhere.case.reference not in page
    assert "Reviews due" not in page
    # A panel member is never sent to the case page they may not open.
    assert f'href="{case_url(case)}"' not in client.get(HEARINGS).content.decode()


def test_the_hearings_list_runs_a_bounded_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    as_user(client, officer)
    for _ in range(2):
        hearing_make(case=case_make(stage=Stage.PANEL_HEARING))
    client.get(HEARINGS)  # warm up: sessions, roles
    with django_assert_max_num_queries(12) as few:
        client.get(HEARINGS)
    for _ in range(8):
        hearing_make(case=case_make(stage=Stage.PANEL_HEARING))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(HEARINGS)
    assert response.content.decode().count("Substantive hearing<span") == 10


def test_a_panel_members_list_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    member = panel_member_make("lay")
    as_user(client, member)
    seat(hearing_make(case=case_make(stage=Stage.PANEL_HEARING), panel=False), member)
    client.get(HEARINGS)
    with django_assert_max_num_queries(12) as few:
        client.get(HEARINGS)
    for _ in range(6):
        seat(hearing_make(case=case_make(stage=Stage.PANEL_HEARING), panel=False), member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(HEARINGS)
    assert response.content.decode().count("Substantive hearing<span") == 7


# --- Scheduling -----------------------------------------------------------------------


def schedule_data(day, kind=HearingKind.SUBSTANTIVE, location="Hearing centre, Manchester"):
    return {"kind": kind, "location": location, **date_fields("starts_on", day)}


def test_the_schedule_page_says_the_earliest_date_the_notice_period_allows(client, officer, case):
    page = text_of(as_user(client, officer).get(case_url(case, "cases:hearing_schedule")))
    assert "Schedule a hearing" in page
    assert "at least 28 days' notice" in page and "30 November 2026" in page
    assert "Substantive hearing" in page and "Interim order hearing" in page
    assert "Review hearing" not in page and "Appeal hearing" not in page


def test_a_date_too_soon_is_refused_with_a_clear_message(client, officer, case):
    response = as_user(client, officer).post(
        case_url(case, "cases:hearing_schedule"),
        schedule_data(TODAY + dt.timedelta(days=27)),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert (
        "The registrant must have at least 28 days' notice of the hearing. Notice is served "
        "today, so the hearing must be on 30 November 2026 or later"
    ) in page
    assert not Hearing.objects.exists()
    assert not Notification.objects.filter(subject="Notice of a hearing").exists()


def test_the_notice_period_follows_the_setting(client, officer, case, settings):
    settings.CASES_HEARING_NOTICE_DAYS = 14
    as_user(client, officer)
    assert "16 November 2026" in text_of(client.get(case_url(case, "cases:hearing_schedule")))
    response = client.post(
        case_url(case, "cases:hearing_schedule"), schedule_data(TODAY + dt.timedelta(days=14))
    )
    assert response.status_code == 302
    assert Hearing.objects.get().starts_on == dt.date(2026, 11, 16)


def test_scheduling_serves_notice_and_opens_the_hearing(client, officer, case, account):
    response = as_user(client, officer).post(
        case_url(case, "cases:hearing_schedule"), schedule_data(dt.date(2026, 12, 7))
    )
    hearing = Hearing.objects.get()
    assert response.status_code == 302 and response["Location"] == hearing_url(hearing)
    assert hearing.kind == HearingKind.SUBSTANTIVE
    assert hearing.location == "Hearing centre, Manchester"
    assert hearing.notice_served_on == TODAY and hearing.scheduled_by == officer
    assert Notification.objects.filter(user=account, subject="Notice of a hearing").exists()
    page = text_of(client.get(response["Location"]))
    assert "is scheduled for 7 December 2026" in page
    assert "The panel has not been formed yet" in page


def test_scheduling_bad_input_changes_nothing(client, officer, case):
    as_user(client, officer)
    response = client.post(
        case_url(case, "cases:hearing_schedule"),
        {"kind": "tribunal", "starts_on_day": "31", "starts_on_month": "2", "location": ""},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "Choose the kind of hearing" in page
    assert "Date of the hearing must include a year" in page
    assert "Enter where the hearing will be held" in page
    assert not Hearing.objects.exists()


def test_a_kind_the_stage_does_not_allow_is_refused(client, officer):
    case = case_make(stage=Stage.INVESTIGATION)
    as_user(client, officer)
    page = text_of(client.get(case_url(case, "cases:hearing_schedule")))
    assert "Interim order hearing" in page and "Substantive hearing" not in page
    response = client.post(
        case_url(case, "cases:hearing_schedule"), schedule_data(dt.date(2026, 12, 7))
    )
    assert "Choose the kind of hearing" in text_of(response)
    assert not Hearing.objects.exists()


def test_a_second_hearing_of_the_same_kind_is_refused(client, officer, case, hearing):
    response = as_user(client, officer).post(
        case_url(case, "cases:hearing_schedule"), schedule_data(dt.date(2026, 12, 14))
    )
    assert "already scheduled for 30 November 2026: reschedule that one instead" in text_of(
        response
    )
    assert Hearing.objects.count() == 1


def test_a_closed_case_offers_no_hearing(client, officer):
    case = case_make(stage=Stage.CLOSED)
    page = text_of(as_user(client, officer).get(case_url(case, "cases:hearing_schedule")))
    assert "The case is closed, so no hearing can be scheduled" in page


# --- Moving a hearing -------------------------------------------------------------------


def reschedule_data(hearing, day, **changes):
    data = {
        "location": "Remote (video)",
        "reason": "The chair is unwell.",
        "version": hearing.version,
        **date_fields("starts_on", day),
    }
    data.update(changes)
    return data


def test_moving_a_hearing_serves_fresh_notice(client, officer, case, hearing, account):
    response = as_user(client, officer).post(
        hearing_url(hearing, "cases:hearing_reschedule"),
        reschedule_data(hearing, dt.date(2026, 12, 15)),
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case) + "#hearings"
    hearing.refresh_from_db()
    assert hearing.starts_on == dt.date(2026, 12, 15) and hearing.location == "Remote (video)"
    assert hearing.version == 2
    assert Notification.objects.filter(user=account, subject="Your hearing has been moved")
    event = AuditEvent.objects.get(action="cases.hearing.rescheduled")
    assert event.reason == "The chair is unwell."


def test_moving_a_hearing_keeps_the_notice_period(client, officer, hearing):
    response = as_user(client, officer).post(
        hearing_url(hearing, "cases:hearing_reschedule"),
        reschedule_data(hearing, TODAY + dt.timedelta(days=10)),
    )
    assert "so the hearing must be on 30 November 2026 or later" in text_of(response)
    hearing.refresh_from_db()
    assert hearing.version == 1 and hearing.location == "Remote"


def test_a_stale_move_is_refused_and_the_form_is_redrawn(client, officer, hearing):
    as_user(client, officer)
    shown_version = hearing.version
    hearing_reschedule(
        hearing=hearing,
        starts_on=dt.date(2026, 12, 20),
        reason="Room booked",
        actor=person_make("hearings_officer"),
    )
    response = client.post(
        hearing_url(hearing, "cases:hearing_reschedule"),
        reschedule_data(hearing, dt.date(2026, 12, 15), version=shown_version),
    )
    page = text_of(response)
    assert "Someone else changed this hearing while you were working on it" in page
    assert "20 December 2026" in page  # the latest date, shown
    hearing.refresh_from_db()
    assert hearing.starts_on == dt.date(2026, 12, 20)
    # Sent again from the redrawn form, the move goes through.
    assert f'name="version" value="{hearing.version}"' in response.content.decode()
    again = client.post(
        hearing_url(hearing, "cases:hearing_reschedule"),
        reschedule_data(hearing, dt.date(2026, 12, 15)),
    )
    assert again.status_code == 302
    hearing.refresh_from_db()
    assert hearing.starts_on == dt.date(2026, 12, 15)


# --- The hearing page and its bundle ----------------------------------------------------


@pytest.fixture
def bundle(case):
    case.caseworker = person_make("caseworker")
    disclosed = add_evidence(case, disclosed=True, title="Board minutes")
    secret = add_evidence(case, disclosed=False, title="Investigator notes")
    theirs = evidence_add(
        case=case,
        title="My statement",
        file_name="statement.txt",
        media_type="text/plain",
        content=b"statement",
        actor=case.registrant.user,
        submitted_by=EvidenceParty.REGISTRANT,
    )
    return disclosed, secret, theirs


def test_the_hearing_page_for_a_hearings_officer(client, officer, case, hearing, bundle):
    Hearing.objects.filter(pk=hearing.pk).update(registrant_response="I deny allegation 1.")
    disclosed, secret, theirs = bundle
    response = as_user(client, officer).get(hearing_url(hearing))
    page = text_of(response)
    html = response.content.decode()
    assert "Substantive hearing on 30 November 2026" in page
    assert "Remote" in page and "Notice served on 2 November 2026" in page
    chair = hearing.panel.get(is_chair=True).member
    assert f"{chair.full_name} Lay member, chair" in page
    assert "Manager member" in page
    assert "I deny allegation 1." in page
    assert "Allegation text 1." in page
    assert "Board minutes" in page and "My statement" in page
    assert "Investigator notes" not in page
    assert case_url(case, "cases:evidence", number=disclosed.number) in html
    assert case_url(case, "cases:evidence", number=secret.number) not in html
    assert hearing_url(hearing, "cases:hearing_panel") in html
    assert hearing_url(hearing, "cases:hearing_reschedule") in html
    assert "record that the hearing was held on or after 30 November 2026" in page


def test_the_hearing_page_for_a_member_of_its_panel(client, case, hearing, bundle):
    disclosed, _secret, theirs = bundle
    member = hearing.panel.get(category="manager").member
    response = as_user(client, member).get(hearing_url(hearing))
    html = response.content.decode()
    assert response.status_code == 200
    assert hearing_url(hearing, "cases:hearing_bundle", number=disclosed.number) in html
    assert hearing_url(hearing, "cases:hearing_bundle", number=theirs.number) in html
    assert case_url(case, "cases:evidence", number=disclosed.number) not in html
    assert f'href="{case_url(case)}"' not in html
    assert hearing_url(hearing, "cases:hearing_panel") not in html
    assert "Back to your hearings" in text_of(response)
    # The allegations and the registrant's response are restricted: the reading is recorded.
    event = AuditEvent.objects.get(action="cases.hearing.restricted_viewed")
    assert event.actor == member and event.payload_data["fields"] == [
        "allegations",
        "registrant_response",
    ]


def test_a_panel_member_downloads_the_bundle_and_it_is_audited(client, case, hearing, bundle):
    disclosed, secret, _theirs = bundle
    member = hearing.panel.get(category="manager").member
    as_user(client, member)
    response = client.get(hearing_url(hearing, "cases:hearing_bundle", number=disclosed.number))
    assert response.status_code == 200
    assert b"".join(response) == b"minutes"
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="cases.evidence.restricted_viewed").get()
    assert event.actor == member
    assert f"evidence {disclosed.number} of case {case.reference}" in event.reason
    assert "bundle for the substantive hearing on 30 November 2026" in event.reason
    # Evidence never disclosed to the registrant is not in the bundle.
    hidden = client.get(hearing_url(hearing, "cases:hearing_bundle", number=secret.number))
    assert hidden.status_code == 404
    assert client.get(hearing_url(hearing, "cases:hearing_bundle", number=999)).status_code == 404


def test_a_panel_member_not_on_the_panel_is_refused(client, case, hearing, bundle):
    outsider = panel_member_make("lay")
    as_user(client, outsider)
    assert client.get(hearing_url(hearing)).status_code == 403
    number = bundle[0].number
    assert (
        client.get(hearing_url(hearing, "cases:hearing_bundle", number=number)).status_code == 403
    )
    assert not AuditEvent.objects.filter(action="cases.evidence.restricted_viewed").exists()


def test_unknown_hearings_are_not_found(client, officer, case, hearing):
    as_user(client, officer)
    other = hearing_make(case=case_make(stage=Stage.PANEL_HEARING))
    wrong_case = reverse(
        "cases:hearing", kwargs={"reference": case.reference, "hearing_id": other.pk}
    )
    assert client.get(wrong_case).status_code == 404
    missing = reverse(
        "cases:hearing", kwargs={"reference": case.reference, "hearing_id": 9999999999}
    )
    assert client.get(missing).status_code == 404
    unknown = reverse("cases:hearing", kwargs={"reference": "FTP-2026-9999", "hearing_id": 1})
    assert client.get(unknown).status_code == 404


def test_a_hearings_officer_never_works_on_a_hearing_about_themselves(client, case, hearing):
    officer = person_make("hearings_officer")
    Registrant.objects.filter(pk=case.registrant_id).update(user=officer)
    as_user(client, officer)
    for name in ("cases:hearing", "cases:hearing_panel", "cases:hearing_reschedule"):
        assert client.get(hearing_url(hearing, name)).status_code == 403, name
    assert case.reference not in text_of(client.get(HEARINGS))


# --- Forming the panel ------------------------------------------------------------------


@pytest.fixture
def pool(organisation):
    """Four panel members: two lay, one manager, and a manager with a conflict."""
    return {
        "lay_a": panel_member_make("lay", full_name="Lee Lay"),
        "lay_b": panel_member_make("lay", full_name="Lou Lay"),
        "manager": panel_member_make("manager", full_name="Max Manager"),
        "conflicted": panel_member_make("manager", full_name="Cora Conflict"),
    }


@pytest.fixture
def open_hearing(officer, organisation, pool):
    """A hearing without a panel, on a case about someone who worked at the trust."""
    registrant = registrant_make(
        forenames="Sam", surname="Trust", roles=[(organisation, dt.date(2020, 1, 1), None)]
    )
    DeclaredInterest.objects.create(
        user=pool["conflicted"],
        organisation=organisation,
        description="Non-executive director",
        from_date=dt.date(2022, 4, 1),
    )
    case = case_make(registrant=registrant, stage=Stage.PANEL_HEARING)
    return hearing_make(case=case, panel=False, officer=officer)


def panel_data(hearing, members, chair):
    return {
        "members": [str(person.pk) for person in members],
        "chair": str(chair.pk),
        "version": hearing.version,
    }


def test_the_panel_page_shows_each_persons_category_and_conflicts(
    client, officer, open_hearing, pool
):
    page = text_of(as_user(client, officer).get(hearing_url(open_hearing, "cases:hearing_panel")))
    assert "Lee Lay Lay member" in page and "Max Manager Manager member" in page
    assert "Conflict: Cora Conflict declared an interest in Leeds Teaching Hospitals" in page
    assert "the same organisation in the past five years" in page
    assert "Conflict: Lee Lay" not in page


def test_the_panel_page_runs_a_bounded_number_of_queries(
    client, officer, open_hearing, pool, django_assert_max_num_queries
):
    url = hearing_url(open_hearing, "cases:hearing_panel")
    as_user(client, officer)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for number in range(10):
        panel_member_make("lay" if number % 2 else "manager", full_name=f"Extra Member {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text_of(client.get(url))
    assert "Extra Member 9" in page
    assert "Conflict: Cora Conflict" in page


def test_a_panel_without_a_lay_chair_is_refused(client, officer, open_hearing, pool):
    response = as_user(client, officer).post(
        hearing_url(open_hearing, "cases:hearing_panel"),
        panel_data(open_hearing, [pool["lay_a"], pool["lay_b"], pool["manager"]], pool["manager"]),
    )
    assert "Max Manager cannot chair the panel: the chair must be a lay member" in text_of(response)
    assert not PanelSeat.objects.filter(hearing=open_hearing).exists()


def test_a_panel_without_a_manager_member_is_refused(client, officer, open_hearing, pool):
    third = panel_member_make("lay", full_name="Liv Lay")
    response = as_user(client, officer).post(
        hearing_url(open_hearing, "cases:hearing_panel"),
        panel_data(open_hearing, [pool["lay_a"], pool["lay_b"], third], pool["lay_a"]),
    )
    assert "The panel needs at least one manager member" in text_of(response)
    assert not PanelSeat.objects.filter(hearing=open_hearing).exists()


def test_a_panel_member_with_a_conflict_is_refused(client, officer, open_hearing, pool):
    response = as_user(client, officer).post(
        hearing_url(open_hearing, "cases:hearing_panel"),
        panel_data(open_hearing, [pool["lay_a"], pool["lay_b"], pool["conflicted"]], pool["lay_a"]),
    )
    assert "Cora Conflict cannot sit on this panel" in text_of(response)
    assert not PanelSeat.objects.filter(hearing=open_hearing).exists()


def test_the_panel_needs_exactly_three(client, officer, open_hearing, pool):
    response = as_user(client, officer).post(
        hearing_url(open_hearing, "cases:hearing_panel"),
        panel_data(open_hearing, [pool["lay_a"], pool["manager"]], pool["lay_a"]),
    )
    assert "Choose exactly three people for the panel: you chose 2" in text_of(response)
    response = client.post(
        hearing_url(open_hearing, "cases:hearing_panel"), {"version": open_hearing.version}
    )
    page = text_of(response)
    assert "Choose three people for the panel" in page and "Choose who chairs the panel" in page
    assert not PanelSeat.objects.filter(hearing=open_hearing).exists()


def test_forming_the_panel(client, officer, open_hearing, pool):
    response = as_user(client, officer).post(
        hearing_url(open_hearing, "cases:hearing_panel"),
        panel_data(open_hearing, [pool["lay_a"], pool["lay_b"], pool["manager"]], pool["lay_b"]),
    )
    assert response.status_code == 302
    assert response["Location"] == hearing_url(open_hearing) + "#panel"
    seats = {s.member: s for s in PanelSeat.objects.filter(hearing=open_hearing)}
    assert set(seats) == {pool["lay_a"], pool["lay_b"], pool["manager"]}
    assert seats[pool["lay_b"]].is_chair and seats[pool["manager"]].category == "manager"
    assert Notification.objects.filter(user=pool["manager"], subject="You are on a hearing panel")
    page = text_of(client.get(response["Location"]))
    assert "The panel is formed" in page and "Lou Lay Lay member, chair" in page
    # The page drawn again starts from the panel seated now.
    again = client.get(hearing_url(open_hearing, "cases:hearing_panel")).content.decode()
    assert re.search(rf'value="{pool["lay_b"].pk}"\s+checked', again) or (
        f'value="{pool["lay_b"].pk}" checked' in again
    )


def test_a_panel_formed_from_a_stale_page_is_refused(client, officer, open_hearing, pool):
    data = panel_data(open_hearing, [pool["lay_a"], pool["lay_b"], pool["manager"]], pool["lay_a"])
    hearing_reschedule(
        hearing=open_hearing, starts_on=dt.date(2026, 12, 20), reason="Room", actor=officer
    )
    response = as_user(client, officer).post(hearing_url(open_hearing, "cases:hearing_panel"), data)
    assert "Someone else changed this hearing" in text_of(response)
    assert not PanelSeat.objects.filter(hearing=open_hearing).exists()


# --- Recording that a hearing was held --------------------------------------------------


def test_a_hearing_is_recorded_held_on_or_after_its_date(client, officer, case, hearing, travel):
    as_user(client, officer)
    url = hearing_url(hearing, "cases:hearing_held")
    early = client.post(url, {"version": hearing.version})
    assert "The hearing is on 30 November 2026: record it as held on or after that date" in (
        text_of(early)
    )
    travel(dt.date(2026, 11, 30))
    page = text_of(client.get(hearing_url(hearing)))
    assert "Record that the hearing was held" in page
    response = client.post(url, {"version": hearing.version})
    assert response.status_code == 302
    hearing.refresh_from_db()
    case.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert case.stage == Stage.DETERMINATION
    assert hearing.determinations.count() == 1
    assert "The panel can now record its decision" in text_of(client.get(response["Location"]))
    # Sent twice, nothing more happens.
    twice = client.post(url, {"version": hearing.version})
    assert "This hearing is held: only a scheduled hearing" in text_of(twice)


def test_a_hearing_without_its_panel_cannot_be_recorded_held(client, officer, travel):
    hearing = hearing_make(case=case_make(stage=Stage.PANEL_HEARING), panel=False)
    travel(hearing.starts_on)
    as_user(client, officer)
    assert "Form the panel before recording" in text_of(client.get(hearing_url(hearing)))
    response = client.post(hearing_url(hearing, "cases:hearing_held"), {"version": 1})
    assert "Form the hearing's panel before recording it as held" in text_of(response)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


# --- Interim orders ---------------------------------------------------------------------


@pytest.fixture
def interim_case(case):
    """A second case about the same registrant, still being investigated."""
    return case_make(registrant=case.registrant, stage=Stage.INVESTIGATION)


@pytest.fixture
def interim_hearing(interim_case, officer):
    return hearing_make(
        case=interim_case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, officer=officer
    )


def interim_data(hearing, kind=SanctionKind.SUSPENSION, months="6", conditions=""):
    return {"hearing": str(hearing.pk), "kind": kind, "months": months, "conditions": conditions}


def test_the_panel_makes_an_interim_suspension(
    client, interim_case, interim_hearing, account, organisation
):
    chair = interim_hearing.panel.get(is_chair=True).member
    as_user(client, chair)
    page = text_of(client.get(hearing_url(interim_hearing)))
    make = case_url(interim_case, "cases:interim_order_make")
    assert (
        f"{make}?hearing={interim_hearing.pk}"
        in client.get(hearing_url(interim_hearing)).content.decode()
    )
    assert "Make an interim order" in page
    response = client.post(make, interim_data(interim_hearing))
    assert response.status_code == 302
    assert response["Location"] == hearing_url(interim_hearing) + "#interim-orders"
    order = Sanction.objects.get(case=interim_case)
    assert order.interim and order.kind == SanctionKind.SUSPENSION
    assert order.ends_on == dt.date(2027, 5, 2) and order.review_by == dt.date(2027, 5, 2)
    assert Registrant.objects.get(user=account).status == RegisterStatus.SUSPENDED
    shown = text_of(client.get(response["Location"]))
    assert "The interim suspension is in force until 2 May 2027" in shown
    assert "The register shows the registrant as suspended" in shown


def test_interim_conditions_need_the_conditions_and_a_length_within_the_maximum(
    client, officer, interim_case, interim_hearing, account
):
    as_user(client, officer)
    make = case_url(interim_case, "cases:interim_order_make")
    response = client.post(make, interim_data(interim_hearing, SanctionKind.CONDITIONS, "6"))
    assert "Enter the conditions" in text_of(response)
    response = client.post(
        make,
        interim_data(interim_hearing, SanctionKind.CONDITIONS, "19", "Work under supervision."),
    )
    assert "An interim order can last at most 18 months" in text_of(response)
    response = client.post(make, interim_data(interim_hearing, months="six"))
    assert "Enter how many months the order lasts as a number" in text_of(response)
    assert not Sanction.objects.exists()
    response = client.post(
        make,
        interim_data(interim_hearing, SanctionKind.CONDITIONS, "18", "Work under supervision."),
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(interim_case) + "#interim-orders"
    assert Registrant.objects.get(user=account).status == RegisterStatus.CONDITIONS
    assert Sanction.objects.get().conditions == "Work under supervision."


def test_an_interim_order_waits_for_its_hearing(client, officer, interim_case):
    hearing = hearing_make(case=interim_case, kind=HearingKind.INTERIM_ORDER)
    as_user(client, officer)
    make = case_url(interim_case, "cases:interim_order_make")
    page = text_of(client.get(make))
    assert "There is no interim order hearing on this case whose day has come" in page
    client.post(make, interim_data(hearing))
    assert not Sanction.objects.exists()
    assert "An interim order can be made at the hearing, on 30 November 2026 or after" in (
        text_of(client.get(hearing_url(hearing)))
    )


def make_order(hearing, officer, kind=SanctionKind.SUSPENSION):
    return interim_order_make(
        case=hearing.case,
        kind=kind,
        months=12,
        conditions="Supervised.",
        hearing=hearing,
        actor=officer,
    )


def test_an_interim_order_is_revoked_on_review(
    client, officer, interim_case, interim_hearing, account
):
    order = make_order(interim_hearing, officer)
    assert Registrant.objects.get(user=account).status == RegisterStatus.SUSPENDED
    review = case_url(interim_case, "cases:interim_order_review", order_id=order.pk)
    as_user(client, officer)
    page = text_of(client.get(review))
    assert "Review the interim order" in page and "Interim suspension" in page
    assert "Not at a hearing: a review on the papers" in page
    response = client.post(
        review, {"hearing": "papers", "outcome": "revoke", "reasons": "New evidence."}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == SanctionStatus.REVOKED
    assert Registrant.objects.get(user=account).status == RegisterStatus.REGISTERED
    event = AuditEvent.objects.get(action="cases.interim_order.reviewed")
    assert event.reason == "New evidence." and event.payload_data["hearing"] is None
    page = text_of(client.get(review))
    assert "no longer in force" in page


def test_the_panel_varies_an_interim_order_at_its_hearing(
    client, interim_case, interim_hearing, officer, account
):
    order = make_order(interim_hearing, officer)
    member = interim_hearing.panel.get(category="manager").member
    review = case_url(interim_case, "cases:interim_order_review", order_id=order.pk)
    as_user(client, member)
    assert "a review on the papers" not in text_of(client.get(review))
    response = client.post(
        review,
        {
            "hearing": str(interim_hearing.pk),
            "outcome": "vary",
            "kind": SanctionKind.CONDITIONS,
            "conditions": "",
            "reasons": "Less restrictive is enough.",
        },
    )
    assert "Enter the conditions" in text_of(response)
    response = client.post(
        review,
        {
            "hearing": str(interim_hearing.pk),
            "outcome": "vary",
            "kind": SanctionKind.CONDITIONS,
            "conditions": "Work only under supervision.",
            "reasons": "Less restrictive is enough.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == hearing_url(interim_hearing) + "#interim-orders"
    order.refresh_from_db()
    assert order.status == SanctionStatus.SUPERSEDED
    varied = Sanction.objects.get(status=SanctionStatus.IN_FORCE)
    assert varied.kind == SanctionKind.CONDITIONS and varied.ends_on == order.ends_on
    assert Registrant.objects.get(user=account).status == RegisterStatus.CONDITIONS


def test_an_interim_order_continues_on_review(
    client, officer, interim_case, interim_hearing, travel
):
    order = make_order(interim_hearing, officer)
    travel(dt.date(2027, 4, 1))
    review = case_url(interim_case, "cases:interim_order_review", order_id=order.pk)
    response = as_user(client, officer).post(
        review,
        {"hearing": str(interim_hearing.pk), "outcome": "continue", "reasons": "Risk remains."},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == SanctionStatus.IN_FORCE and order.review_by == dt.date(2027, 10, 1)


def test_a_review_needs_an_outcome_and_reasons(client, officer, interim_case, interim_hearing):
    order = make_order(interim_hearing, officer)
    review = case_url(interim_case, "cases:interim_order_review", order_id=order.pk)
    page = text_of(as_user(client, officer).post(review, {}))
    assert "Choose the hearing" in page
    assert "Choose whether to continue, vary or revoke the order" in page
    assert "Enter the reasons for the decision" in page
    order.refresh_from_db()
    assert order.status == SanctionStatus.IN_FORCE
    bad = case_url(interim_case, "cases:interim_order_review", order_id=order.pk + 100)
    assert client.get(bad).status_code == 404


def test_a_panel_member_at_another_hearing_cannot_make_or_review_orders(
    client, officer, interim_case, interim_hearing, hearing
):
    order = make_order(interim_hearing, officer)
    outsider = hearing.panel.get(is_chair=True).member  # sits on a hearing of another case
    as_user(client, outsider)
    assert client.get(case_url(interim_case, "cases:interim_order_make")).status_code == 403
    review = case_url(interim_case, "cases:interim_order_review", order_id=order.pk)
    assert client.post(review, {"outcome": "revoke", "reasons": "x"}).status_code == 403
    order.refresh_from_db()
    assert order.status == SanctionStatus.IN_FORCE


# --- The registrant's response ----------------------------------------------------------


def respond_url(hearing):
    return reverse(
        "cases:mine_hearing_respond",
        kwargs={"reference": hearing.case.reference, "hearing_id": hearing.pk},
    )


def test_the_registrant_responds_to_a_hearing_notice_with_a_file(client, account, case, hearing):
    as_user(client, account)
    page = text_of(client.get(respond_url(hearing)))
    assert "Respond to the hearing notice" in page
    chair = hearing.panel.get(is_chair=True).member
    assert f"{chair.full_name} (lay member, chair)" in page
    assert "until 29 November 2026" in page
    response = client.post(
        respond_url(hearing),
        {
            "response-response": "I accept allegation 1 but not the rest.",
            "response-file": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
            "response-file_title": "Letter from my line manager",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case, "cases:mine_detail") + "#hearings"
    hearing.refresh_from_db()
    assert hearing.registrant_response == "I accept allegation 1 but not the rest."
    evidence = Evidence.objects.get(case=case)
    assert evidence.title == "Letter from my line manager"
    assert evidence.submitted_by == EvidenceParty.REGISTRANT and evidence.disclosed
    assert AuditEvent.objects.filter(action="cases.hearing.response_recorded").exists()
    mine = text_of(client.get(response["Location"]))
    assert "Your response has been sent" in mine
    assert "I accept allegation 1 but not the rest." in mine
    assert "Change your response" in mine


def test_an_empty_response_is_refused(client, account, hearing):
    response = as_user(client, account).post(respond_url(hearing), {"response-response": " "})
    assert "Enter your response" in text_of(response)
    hearing.refresh_from_db()
    assert hearing.registrant_response == "" and not Evidence.objects.exists()


def test_a_bad_file_leaves_the_response_unsent(client, account, hearing):
    response = as_user(client, account).post(
        respond_url(hearing),
        {
            "response-response": "My side.",
            "response-file": SimpleUploadedFile("empty.txt", b""),
        },
    )
    assert response.status_code == 200
    hearing.refresh_from_db()
    assert hearing.registrant_response == "" and not Evidence.objects.exists()


def test_responses_close_the_day_before_the_hearing(client, account, hearing, travel):
    travel(hearing.starts_on)
    as_user(client, account)
    page = text_of(client.get(respond_url(hearing)))
    assert "Responses are taken until the day before the hearing" in page
    client.post(respond_url(hearing), {"response-response": "Late."})
    hearing.refresh_from_db()
    assert hearing.registrant_response == ""


def test_someone_elses_hearing_is_not_found(client, hearing):
    stranger = person_make("registrant")
    registrant_make(user=stranger, forenames="Other", surname="Person")
    assert as_user(client, stranger).get(respond_url(hearing)).status_code == 404


# --- The case pages ---------------------------------------------------------------------


def test_the_case_page_shows_hearings_to_a_hearings_officer(client, officer, case, hearing):
    response = as_user(client, officer).get(case_url(case))
    html = response.content.decode()
    page = text_of(response)
    assert '<h2 id="hearings">Hearings</h2>' in html
    assert "30 November 2026" in page and "Complete" in page and "Scheduled" in page
    assert hearing_url(hearing) in html
    assert case_url(case, "cases:hearing_schedule") in html
    # No interim order, and no interim order hearing to make one at: nothing to show.
    assert 'id="interim-orders"' not in html
    assert "Make an interim order" not in page and "can be made at" not in page


def test_the_case_page_shows_hearings_without_actions_to_a_caseworker(client, case, hearing):
    response = as_user(client, person_make("caseworker")).get(case_url(case))
    html = response.content.decode()
    assert '<h2 id="hearings">Hearings</h2>' in html
    assert hearing_url(hearing) not in html
    assert case_url(case, "cases:hearing_schedule") not in html


def test_the_case_page_offers_an_interim_order_and_its_review(
    client, officer, interim_case, interim_hearing
):
    as_user(client, officer)
    html = client.get(case_url(interim_case)).content.decode()
    assert case_url(interim_case, "cases:interim_order_make") in html
    order = make_order(interim_hearing, officer)
    response = client.get(case_url(interim_case))
    html = response.content.decode()
    assert case_url(interim_case, "cases:interim_order_make") not in html
    assert case_url(interim_case, "cases:interim_order_review", order_id=order.pk) in html
    page = text_of(response)
    assert "Interim suspension" in page and "In force" in page and "2 November 2027" in page


def test_the_case_page_says_when_an_interim_order_can_be_made(client, officer, interim_case):
    hearing_make(
        case=interim_case,
        kind=HearingKind.INTERIM_ORDER,
        starts_on=TODAY + dt.timedelta(days=14),
        officer=officer,
    )
    response = as_user(client, officer).get(case_url(interim_case))
    assert '<h2 id="interim-orders">Interim orders</h2>' in response.content.decode()
    assert case_url(interim_case, "cases:interim_order_make") not in response.content.decode()
    assert "An interim order can be made at the interim order hearing, on 16 November 2026 or " in (
        text_of(response)
    )


def test_the_registrant_reads_the_hearing_notice_on_their_case(client, account, case, hearing):
    chair = hearing.panel.get(is_chair=True).member
    page = text_of(as_user(client, account).get(case_url(case, "cases:mine_detail")))
    assert "Your hearings" in page
    assert "Substantive hearing on 30 November 2026" in page
    assert "a panel decides whether the allegations are proved" in page
    assert "Remote" in page and "Notice served on 2 November 2026" in page
    assert f"{chair.full_name} (lay member, chair)" in page
    assert "You have not sent a response yet" in page
    assert "tell us in your response" in page
    assert respond_url(hearing) in client.get(case_url(case, "cases:mine_detail")).content.decode()
    # No member of staff is named.
    assert hearing.scheduled_by.full_name not in page


def test_the_registrant_sees_the_interim_order_in_force(
    client, officer, account, interim_case, interim_hearing
):
    make_order(interim_hearing, officer, kind=SanctionKind.CONDITIONS)
    page = text_of(as_user(client, account).get(case_url(interim_case, "cases:mine_detail")))
    assert "Interim order in force" in page and "Interim conditions" in page
    assert "lasts until 2 November 2027" in page and "reviewed by 2 May 2027" in page
    assert "Supervised." in page
    assert "not a finding that the allegations are true" in page
