"""The registrant's own case pages: what they see, what they never see, and their
response."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases import forms as case_forms
from steward.cases.models import (
    CaseSource,
    Determination,
    DeterminationKind,
    Evidence,
    EvidenceParty,
    Hearing,
    HearingKind,
    Stage,
)
from steward.cases.services import allegation_add
from steward.cases.stages import stage_move
from steward.cases.tests.test_pages_staff import (
    SUMMARY,
    add_evidence,
    open_case,
    person,
    recommended,
)
from steward.concerns.tests.factories_staff import REPORTER, WHAT
from steward.core import clock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "skip_mfa")]

TODAY = dt.date(2026, 11, 2)
MINE = reverse("cases:mine")


@pytest.fixture
def manager_user(make_user):
    return make_user("registrant", full_name="Alex Morgan")


@pytest.fixture
def registrant(manager_user):
    return person(user=manager_user)


@pytest.fixture
def signed_in(client, manager_user):
    client.force_login(manager_user)
    return client


@pytest.fixture
def case(registrant, caseworker):
    return open_case(registrant, caseworker)


def mine_url(case, name="cases:mine_detail", **kwargs) -> str:
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


# --- The list and the page ----------------------------------------------------------


def test_the_registrant_sees_their_cases_and_nobody_elses(signed_in, case, caseworker):
    other = open_case(person(("Someone", "Else")), caseworker)
    page = signed_in.get(MINE).content.decode()
    assert mine_url(case) in page and "Triage" in page and "2 November 2026" in page
    assert other.reference not in page


def test_someone_with_no_case_is_told_so(client, make_user):
    client.force_login(make_user("registrant"))
    assert "There are no cases about you." in client.get(MINE).content.decode()


def test_the_page_says_where_the_case_is_in_plain_english(signed_in, case, travel):
    page = signed_in.get(mine_url(case)).content.decode()
    assert "We are looking at the information we have" in page
    assert SUMMARY in page  # the regulator's description of the matter
    assert "The regulator&#39;s own motion" in page
    travel(dt.date(2026, 12, 1))
    stage_move(case=case, move="start_investigation", actor="test", reason="Staff-only reason")
    page = signed_in.get(mine_url(case)).content.decode()
    assert "We are investigating" in page
    assert "1 December 2026: investigation" in page
    assert "2 November 2026: opened, at triage" in page


def test_viewing_their_own_case_is_recorded(signed_in, case, manager_user):
    signed_in.get(mine_url(case))
    event = AuditEvent.objects.filter(action="cases.case.restricted_viewed").get()
    assert event.actor_id == manager_user.pk and event.reason == "viewed their own case"


def test_the_registrant_sees_the_allegations_and_the_standards_they_cite(
    signed_in, case, caseworker
):
    allegation_add(
        case=case,
        text="Approved a misleading report to the board.",
        conduct_on=dt.date(2025, 9, 1),
        refs=["CC1", "NE2"],
        actor=caseworker,
    )
    page = signed_in.get(mine_url(case)).content.decode()
    assert "Approved a misleading report to the board." in page
    assert "CC1 Be honest and open" in page and "NE2 Falsifying records" in page
    assert "1 September 2025" in page


def test_only_disclosed_evidence_and_their_own_is_shown_and_downloadable(
    signed_in, case, caseworker
):
    shared = add_evidence(
        case, caseworker, title="Board minutes", content=b"shared", disclosed=True
    )
    hidden = add_evidence(case, caseworker, title="Witness statement", content=b"hidden")
    page = signed_in.get(mine_url(case)).content.decode()
    assert "Board minutes" in page and "Witness statement" not in page
    response = signed_in.get(mine_url(case, "cases:mine_evidence", number=shared.number))
    assert response.status_code == 200 and response.content == b"shared"
    assert "attachment" in response["Content-Disposition"]
    assert (
        signed_in.get(mine_url(case, "cases:mine_evidence", number=hidden.number)).status_code
        == 404
    )
    assert signed_in.get(mine_url(case, "cases:mine_evidence", number=99)).status_code == 404
    event = AuditEvent.objects.filter(action="cases.evidence.restricted_viewed").get()
    assert event.subject_id == str(shared.pk)


def test_deadlines_show_hearings_and_the_appeal_by_date(signed_in, case, caseworker):
    Hearing.objects.create(
        case=case,
        kind=HearingKind.SUBSTANTIVE,
        starts_on=dt.date(2027, 1, 18),
        location="Hearing centre, Manchester",
        notice_served_on=dt.date(2026, 12, 1),
        scheduled_by=caseworker,
    )
    Determination.objects.create(
        case=case,
        kind=DeterminationKind.PANEL,
        issued_at=clock.now(),
        appeal_by=dt.date(2026, 11, 30),
    )
    Determination.objects.create(case=case, kind=DeterminationKind.PANEL, appeal_by=None)
    page = signed_in.get(mine_url(case)).content.decode()
    assert "Substantive hearing" in page and "18 January 2027" in page
    assert "Hearing centre, Manchester" in page and "Notice served on 1 December 2026" in page
    assert "Last day to appeal the decision" in page and "30 November 2026" in page
    assert page.index("30 November 2026") < page.index("18 January 2027")


def test_the_registrants_pages_run_a_bounded_number_of_queries(
    signed_in, registrant, case, caseworker, django_assert_max_num_queries
):
    add_evidence(case, caseworker, disclosed=True)
    allegation_add(
        case=case, text="First", conduct_on=dt.date(2025, 9, 1), refs=["CC1"], actor=caseworker
    )
    with django_assert_max_num_queries(30) as few_detail:
        signed_in.get(mine_url(case))
    with django_assert_max_num_queries(10) as few_list:
        signed_in.get(MINE)
    for index in range(12):
        open_case(registrant, caseworker)
        add_evidence(case, caseworker, title=f"Shared {index}", disclosed=True)
        allegation_add(
            case=case,
            text=f"Allegation text {index}",
            conduct_on=dt.date(2025, 9, 1),
            refs=["CC1"],
            actor=caseworker,
        )
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        assert "Shared 11" in signed_in.get(mine_url(case)).content.decode()
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        assert "FTP-2026-0013" in signed_in.get(MINE).content.decode()


# --- What the registrant never sees --------------------------------------------------


def test_the_registrant_never_sees_who_raised_a_concern_or_who_works_on_the_case(
    client, make_user, caseworker, organisation, travel
):
    user = make_user("registrant")
    subject = person(("Dev", "Subject"), user=user)
    decision = recommended(organisation, caseworker, subject, anonymity="confidential")
    case = open_case(subject, caseworker, source=CaseSource.CONCERN, concern_decision=decision)
    stage_move(case=case, move="start_investigation", actor=caseworker, reason="Internal note")
    client.force_login(user)
    page = client.get(mine_url(case)).content.decode()
    assert "A concern raised with the regulator" in page
    assert WHAT not in page  # what the reporter said
    assert REPORTER["name"] not in page and REPORTER["email"] not in page
    assert decision.concern.reference not in page
    assert "Serious dishonesty alleged" not in page  # the triage reasons
    assert "Casey Worker" not in page and caseworker.email not in page
    assert "Internal note" not in page  # reasons for moves are the regulator's own


# --- Someone else's case --------------------------------------------------------------


def test_someone_elses_case_is_not_found(client, make_user, case):
    client.force_login(make_user("registrant"))
    assert client.get(mine_url(case)).status_code == 404
    assert client.get(mine_url(case, "cases:mine_evidence", number=1)).status_code == 404
    response = client.post(mine_url(case, "cases:mine_respond"), {"response-text": "Mine now"})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("reference", ["FTP-2026-9999", "nonsense", "ftp-2026-1"])
def test_an_unknown_reference_is_not_found(signed_in, case, reference):
    assert signed_in.get(f"/cases/mine/{reference}/").status_code == 404


# --- Responding ---------------------------------------------------------------------


def test_a_response_is_kept_as_evidence_the_registrant_gave(signed_in, case, manager_user):
    response = signed_in.post(
        mine_url(case, "cases:mine_respond"),
        {"response-text": "I did not approve the papers: I was on leave."},
    )
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    item = Evidence.objects.get(case=case)
    assert item.title == "Response on 2 November 2026"
    assert bytes(item.content) == b"I did not approve the papers: I was on leave."
    assert item.submitted_by == EvidenceParty.REGISTRANT and item.disclosed
    assert item.added_by == manager_user and item.media_type == "text/plain"
    page = signed_in.get(mine_url(case)).content.decode()
    assert "Your response has been sent to the regulator." in page
    assert "Response on 2 November 2026" in page and ">You<" in page


def test_a_response_with_a_file_keeps_both_and_tells_the_caseworker(
    signed_in, case, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            mine_url(case, "cases:mine_respond"),
            {
                "response-text": "My statement is attached.",
                "response-file": SimpleUploadedFile("leave.pdf", b"%PDF leave record"),
                "response-file_title": "My leave record",
            },
        )
    assert response.status_code == 302
    text, upload = Evidence.objects.filter(case=case).order_by("number")
    assert text.title == "Response on 2 November 2026"
    assert upload.title == "My leave record" and upload.file_name == "leave.pdf"
    assert upload.submitted_by == EvidenceParty.REGISTRANT and upload.disclosed
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert case.reference in mail.outbox[0].subject
    assert "My statement" not in mail.outbox[0].body  # no details in email


def test_a_file_alone_is_a_response_too(signed_in, case):
    signed_in.post(
        mine_url(case, "cases:mine_respond"),
        {"response-file": SimpleUploadedFile("letter.pdf", b"%PDF letter")},
    )
    item = Evidence.objects.get(case=case)
    assert item.title == "File sent with the response on 2 November 2026"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"response-text": "  "}, "Enter your response or choose a file to send"),
        ({"response-text": "x" * 10_001}, "10,000 characters or fewer"),
        ({"response-file": "empty"}, "The selected file is empty"),
    ],
)
def test_a_bad_response_is_explained_and_nothing_is_kept(signed_in, case, data, message):
    if data.get("response-file") == "empty":
        data = {"response-file": SimpleUploadedFile("empty.pdf", b"")}
    response = signed_in.post(mine_url(case, "cases:mine_respond"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_response_too_large_is_refused(signed_in, case, monkeypatch):
    monkeypatch.setattr(case_forms, "MAX_EVIDENCE_BYTES", 5)
    monkeypatch.setattr(case_forms, "FORM_ALLOWANCE_BYTES", 0)
    response = signed_in.post(
        mine_url(case, "cases:mine_respond"),
        {
            "response-text": "Long enough to be too big",
            "response-file": SimpleUploadedFile("a.pdf", b"123456"),
        },
    )
    assert response.status_code == 413 and "must be smaller than" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_closed_case_takes_no_response(signed_in, case):
    stage_move(case=case, move="close_at_triage", actor="test", reason="No case to answer")
    page = signed_in.get(mine_url(case)).content.decode()
    assert "Your case is closed" in page
    assert mine_url(case, "cases:mine_respond") not in page
    response = signed_in.post(mine_url(case, "cases:mine_respond"), {"response-text": "Late"})
    assert "The case is closed" in response.content.decode()
    assert not Evidence.objects.exists()
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
