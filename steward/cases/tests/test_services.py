"""Opening a case and adding allegations and evidence."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.cases.models import Case, CaseSource, Stage
from steward.cases.services import allegation_add, case_open, evidence_add, response_send
from steward.cases.stages import stage_move
from steward.register.services import registrant_create


@pytest.fixture
def officer(make_user):
    return make_user("caseworker")


@pytest.fixture
def registrant(officer):
    return registrant_create(
        legal_forenames="Alex", legal_surname="Morgan", actor=officer, reason="test"
    )


def _open(registrant, officer, **kwargs):
    values = {"source": CaseSource.OWN_MOTION, "summary": "Board papers misstated."}
    values.update(kwargs)
    return case_open(registrant=registrant, actor=officer, **values)


def test_opening_a_case_numbers_it_by_year_records_the_first_stage_and_audits(
    registrant, officer, travel
):
    travel(dt.date(2026, 5, 1))
    first = _open(registrant, officer)
    second = _open(registrant, officer)
    assert (first.reference, second.reference) == ("FTP-2026-0001", "FTP-2026-0002")
    assert first.stage == Stage.TRIAGE and first.opened_on == dt.date(2026, 5, 1)
    assert first.stage_changes.get().to_stage == Stage.TRIAGE
    event = AuditEvent.objects.filter(action="cases.case.opened").first()
    assert event.payload_data["registrant"] == registrant.registration_number
    assert "misstated" not in event.payload  # the summary is restricted
    travel(dt.date(2027, 1, 2))
    assert _open(registrant, officer).reference == "FTP-2027-0001"


def test_only_caseworkers_open_cases(registrant, make_user):
    with pytest.raises(PermissionDenied):
        _open(registrant, make_user("registrar"))
    assert not Case.objects.exists()


def test_a_caseworker_never_opens_a_case_about_themselves(registrant, officer):
    registrant.user = officer
    registrant.save(update_fields=["user"])
    with pytest.raises(ValidationError, match="You cannot open a case about yourself"):
        _open(registrant, officer)
    assert not Case.objects.exists()


def test_each_source_must_name_where_it_came_from(registrant, officer):
    for source in (CaseSource.CONCERN, CaseSource.NOT_FIT, CaseSource.EMPLOYER):
        with pytest.raises(ValidationError, match="must name"):
            _open(registrant, officer, source=source)
    with pytest.raises(ValidationError, match="summary"):
        _open(registrant, officer, summary="   ")
    assert not Case.objects.exists()


def test_an_employer_referral_names_the_employer(registrant, officer, organisation):
    case = _open(
        registrant, officer, source=CaseSource.EMPLOYER, referring_organisation=organisation
    )
    assert case.referring_organisation == organisation


def test_allegations_cite_the_standards_in_force_on_the_date_of_the_conduct(
    registrant, officer, travel
):
    travel(dt.date(2026, 6, 1))
    case = _open(registrant, officer)
    allegation = allegation_add(
        case=case,
        text="Approved a misleading report to the board.",
        conduct_on=dt.date(2025, 9, 1),
        refs=["cc3", "NE1"],
        actor=officer,
    )
    assert allegation.number == 1
    assert allegation.cited_refs == ["CC3", "NE1"]
    assert allegation.standards_version.number == 1
    second = allegation_add(
        case=case, text="Another", conduct_on=dt.date(2025, 10, 1), refs=["CC1"], actor=officer
    )
    assert second.number == 2


def test_allegations_refuse_unknown_refs_future_dates_and_closed_cases(registrant, officer):
    case = _open(registrant, officer)
    with pytest.raises(ValidationError, match="CC99 is not in version"):
        allegation_add(
            case=case, text="x", conduct_on=dt.date(2025, 9, 1), refs=["CC99"], actor=officer
        )
    with pytest.raises(ValidationError, match="in the past"):
        allegation_add(
            case=case, text="x", conduct_on=dt.date(2099, 1, 1), refs=["CC1"], actor=officer
        )
    stage_move(case=case, move="close_at_triage", actor=officer, reason="No case to answer")
    with pytest.raises(ValidationError, match="closed"):
        allegation_add(
            case=case, text="x", conduct_on=dt.date(2025, 9, 1), refs=["CC1"], actor=officer
        )
    assert not case.allegations.exists()


def test_evidence_keeps_its_hash_and_the_audit_trail_has_it(registrant, officer):
    case = _open(registrant, officer)
    content = b"%PDF-1.4 minutes of the board meeting"
    evidence = evidence_add(
        case=case,
        title="Board minutes",
        file_name="minutes.pdf",
        media_type="application/pdf",
        content=content,
        actor=officer,
    )
    digest = hashlib.sha256(content).hexdigest()
    assert evidence.sha256 == digest and evidence.size == len(content)
    assert bytes(evidence.content) == content and not evidence.disclosed
    event = AuditEvent.objects.filter(action="cases.evidence.added").get()
    assert event.payload_data["sha256"] == digest


def test_the_registrant_adds_their_own_evidence_which_they_can_always_see(
    registrant, officer, make_user
):
    case = _open(registrant, officer)
    with pytest.raises(PermissionDenied):
        evidence_add(
            case=case,
            title="My statement",
            file_name="statement.txt",
            media_type="text/plain",
            content=b"My side",
            actor=make_user("registrant"),
            submitted_by="registrant",
        )
    own = make_user("registrant")
    registrant.user = own
    registrant.save(update_fields=["user"])
    evidence = evidence_add(
        case=case,
        title="My statement",
        file_name="statement.txt",
        media_type="text/plain",
        content=b"My side",
        actor=own,
        submitted_by="registrant",
    )
    assert evidence.disclosed


def test_empty_files_are_refused(registrant, officer):
    case = _open(registrant, officer)
    with pytest.raises(ValidationError, match="empty"):
        evidence_add(
            case=case, title="x", file_name="x", media_type="x", content=b"", actor=officer
        )


def test_a_case_opened_from_a_concern_tells_the_reporter_and_leaves_the_waiting_list(
    registrant, officer, organisation
):
    from steward.concerns import selectors as concern_selectors
    from steward.concerns import services as concern_services
    from steward.concerns import triage

    concern = concern_services.concern_submit(
        anonymity="anonymous",
        answers={"what_happened": "Contracts went to a company the director owns."},
        subject_registrant=registrant,
        organisation=organisation,
    ).concern
    decision = triage.triage_decide(
        concern=concern,
        outcome="open_case",
        cited_refs=["CC9", "NE8"],
        reasons="An undeclared conflict of interest.",
        actor=officer,
        version=concern.version,
    )
    assert list(concern_selectors.case_recommendations()) == [decision]
    case = _open(registrant, officer, source=CaseSource.CONCERN, concern_decision=decision)
    assert case.concern_decision == decision
    assert list(concern_selectors.case_recommendations()) == []
    last = concern_services.messages_for_reporter(concern=concern)[-1]["body"]
    assert "opened a fitness-to-practise case" in last
    with pytest.raises(ValidationError, match="already been opened"):
        _open(registrant, officer, source=CaseSource.CONCERN, concern_decision=decision)


def test_a_response_is_kept_as_the_registrants_evidence_and_the_caseworker_told(
    registrant, officer, make_user, travel, django_capture_on_commit_callbacks
):
    from django.core import mail

    from steward.notifications.models import Notification

    travel(dt.date(2026, 5, 1))
    own = make_user("registrant")
    registrant.user = own
    registrant.save(update_fields=["user"])
    case = _open(registrant, officer)
    with django_capture_on_commit_callbacks(execute=True):
        text, upload = response_send(
            case=case,
            text="  I was on leave that week.  ",
            file_name="leave.pdf",
            media_type="application/pdf",
            content=b"%PDF leave",
            file_title=" ",
            actor=own,
        )
    assert bytes(text.content) == b"I was on leave that week."
    assert text.title == "Response on 1 May 2026" and text.file_name == "response-2026-05-01.txt"
    assert upload.title == "File sent with the response on 1 May 2026"
    assert {text.submitted_by, upload.submitted_by} == {"registrant"}
    assert text.disclosed and upload.disclosed
    told = Notification.objects.get(user=officer)
    assert case.reference in told.subject and "leave" not in told.body
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_a_response_needs_something_and_comes_from_the_registrant_only(
    registrant, officer, make_user
):
    own = make_user("registrant")
    registrant.user = own
    registrant.save(update_fields=["user"])
    case = _open(registrant, officer)
    with pytest.raises(ValidationError, match="Enter your response or choose a file"):
        response_send(case=case, text="   ", actor=own)
    for someone in (officer, make_user("registrant")):
        with pytest.raises(PermissionDenied):
            response_send(case=case, text="Not mine to send", actor=someone)
    assert not case.evidence.exists()
