"""The regulator's case pages: the list, a case, allegations, evidence, moves and
opening a case from each source."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases import forms as case_forms
from steward.cases.models import Allegation, Case, CaseSource, Evidence, Stage, StageChange
from steward.cases.services import allegation_add, case_open, evidence_add
from steward.cases.stages import stage_move
from steward.concerns import triage
from steward.concerns.tests.factories_staff import WHAT, concern
from steward.core import clock
from steward.fitness.models import AssessmentOutcome, NotFitReferral
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
)
from steward.register.numbers import registration_number
from steward.register.services import registrant_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "skip_mfa")]

TODAY = dt.date(2026, 11, 2)
SUMMARY = "The director approved board papers that misstated the waiting list."
LIST = reverse("cases:list")


# --- Helpers other test modules share ---------------------------------------------


def person(names=("Alex", "Morgan"), *, user=None):
    return registrant_create(
        legal_forenames=names[0], legal_surname=names[1], actor=None, reason="test", user=user
    )


def open_case(registrant, actor, **kwargs):
    values = {"source": CaseSource.OWN_MOTION, "summary": SUMMARY}
    values.update(kwargs)
    return case_open(registrant=registrant, actor=actor, **values)


def add_evidence(case, actor, *, title="Board minutes", content=b"minutes", disclosed=False):
    return evidence_add(
        case=case,
        title=title,
        file_name="minutes.txt",
        media_type="text/plain",
        content=content,
        actor=actor,
        disclosed=disclosed,
    )


def case_url(case, name="cases:detail", **kwargs) -> str:
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


def not_fit_referral(organisation, *, names=("Nadia", "Unfit")) -> NotFitReferral:
    assessment = complete_checks(assessment_for(board_member(organisation, names=names)))
    assessment.outcome = AssessmentOutcome.NOT_FIT
    assessment.conclusion_reasons = "Undeclared disqualification as a company director."
    assessment.concluded_at = clock.now()
    assessment.save()
    count = NotFitReferral.objects.count() + 1
    return NotFitReferral.objects.create(
        assessment=assessment, reference=f"FPR-{clock.today().year}-{count:04d}"
    )


def recommended(organisation, caseworker, registrant=None, **kwargs):
    """A concern the concerns team recommended for a case, and its decision."""
    item = concern(organisation=organisation, registrant=registrant, **kwargs)
    return triage.triage_decide(
        concern=item,
        outcome="open_case",
        cited_refs=["CC1", "NE2"],
        reasons="Serious dishonesty alleged.",
        actor=caseworker,
        version=item.version,
    )


# --- Fixtures ---------------------------------------------------------------------


@pytest.fixture
def registrant():
    return person()


@pytest.fixture
def case(registrant, caseworker):
    return open_case(registrant, caseworker)


# --- The list ---------------------------------------------------------------------


def test_the_list_shows_each_case_with_its_registrant_source_stage_and_caseworker(
    signed_in, case, registrant, travel
):
    travel(dt.date(2026, 11, 20))
    stage_move(case=case, move="start_investigation", actor="test", reason="Enough to look into")
    page = signed_in.get(LIST).content.decode()
    assert case.reference in page and case_url(case) in page
    assert "Alex Morgan" in page and registrant.registration_number in page
    assert "Own motion" in page
    assert "Investigation" in page
    assert "20 November 2026" in page  # at this stage since
    assert "2 November 2026" in page  # opened
    assert "Casey Worker" in page
    assert SUMMARY not in page  # the summary is restricted: never on the list


def test_the_stage_filters_count_and_show_their_cases(signed_in, caseworker, registrant):
    at_triage = open_case(registrant, caseworker)
    investigating = open_case(registrant, caseworker)
    stage_move(case=investigating, move="start_investigation", actor="test", reason="Look")
    closed = open_case(registrant, caseworker)
    stage_move(case=closed, move="close_at_triage", actor="test", reason="Nothing in it")
    page = signed_in.get(LIST).content.decode()
    assert "All open (2)" in page and "Triage (1)" in page and "Investigation (1)" in page
    assert "Closed (1)" in page and "All cases (3)" in page
    assert case_url(at_triage) in page and case_url(investigating) in page
    assert case_url(closed) not in page
    page = signed_in.get(LIST, {"stage": "investigation"}).content.decode()
    assert case_url(investigating) in page and case_url(at_triage) not in page
    page = signed_in.get(LIST, {"stage": "closed"}).content.decode()
    assert case_url(closed) in page and case_url(investigating) not in page


def test_an_unknown_stage_is_explained_and_the_open_cases_shown(signed_in, case):
    response = signed_in.get(LIST, {"stage": "nonsense"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no such stage" in page and case_url(case) in page


def test_search_finds_a_case_by_reference_or_registration_number(signed_in, caseworker):
    first = open_case(person(("Bea", "First")), caseworker)
    second_person = person(("Cal", "Second"))
    second = open_case(second_person, caseworker)
    page = signed_in.get(LIST, {"q": first.reference.lower()}).content.decode()
    assert case_url(first) in page and case_url(second) not in page
    page = signed_in.get(LIST, {"q": second_person.registration_number}).content.decode()
    assert case_url(second) in page and case_url(first) not in page
    assert "All open (1)" in page


@pytest.mark.parametrize("search", ["<script>", "x" * 50, "M123;DROP"])
def test_a_bad_search_is_explained_and_searches_nothing(signed_in, case, search):
    response = signed_in.get(LIST, {"q": search})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search by case reference, like FTP-2026-0001" in page
    assert case_url(case) in page  # the unfiltered list
    assert "<script>" not in page


def test_the_list_pages_and_runs_a_bounded_number_of_queries(
    signed_in, caseworker, django_assert_max_num_queries
):
    for index in range(3):
        open_case(person(("Pat", f"Few{index}")), caseworker)
    with django_assert_max_num_queries(12) as few:
        signed_in.get(LIST)
    for index in range(60):
        open_case(person(("Pat", f"Many{index}")), caseworker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = signed_in.get(LIST).content.decode()
    assert "All open (63)" in page
    assert 'href="?page=2' in page or "page=2" in page
    second = signed_in.get(LIST, {"page": 2}).content.decode()
    assert "Few0" in second  # oldest, on the second page
    assert signed_in.get(LIST, {"page": "nonsense"}).status_code == 200


# --- A case -----------------------------------------------------------------------


def test_the_case_page_shows_the_summary_and_records_that_it_was_viewed(
    signed_in, case, caseworker
):
    page = signed_in.get(case_url(case)).content.decode()
    assert SUMMARY in page and case.reference in page
    event = AuditEvent.objects.filter(action="cases.case.restricted_viewed").get()
    assert event.payload_data["fields"] == ["summary"]
    assert event.actor_id == caseworker.pk and event.subject_id == str(case.pk)
    assert "misstated" not in event.payload


@pytest.mark.parametrize("reference", ["FTP-2026-9999", "ftp-1999-1", "nothing", "FTP-2026-0001x"])
def test_an_unknown_or_malformed_reference_is_not_found(signed_in, case, reference):
    assert signed_in.get(f"/cases/{reference}/").status_code == 404


def test_a_reference_is_found_whatever_its_case(signed_in, case):
    assert signed_in.get(f"/cases/{case.reference.lower()}/").status_code == 200


def test_the_registrar_is_sent_to_the_record_and_other_staff_to_the_public_entry(
    client, case, registrant, make_user
):
    record = reverse(
        "register_manage:record", kwargs={"registration_number": registrant.registration_number}
    )
    entry = reverse(
        "register:entry", kwargs={"registration_number": registrant.registration_number}
    )
    client.force_login(make_user("registrar"))
    page = client.get(case_url(case)).content.decode()
    assert f'href="{record}"' in page
    client.force_login(make_user("case_examiner"))
    page = client.get(case_url(case)).content.decode()
    assert f'href="{entry}"' in page and f'href="{record}"' not in page


def test_the_source_links_to_the_concern_but_never_shows_what_the_reporter_said(
    signed_in, caseworker, organisation
):
    subject = person(("Dev", "Subject"))
    decision = recommended(organisation, caseworker, subject)
    case = open_case(subject, caseworker, source=CaseSource.CONCERN, concern_decision=decision)
    page = signed_in.get(case_url(case)).content.decode()
    concern_url = reverse("concerns:detail", kwargs={"reference": decision.concern.reference})
    assert f'href="{concern_url}"' in page
    assert f"Concern {decision.concern.reference}" in page
    assert WHAT not in page and "Whistle" not in page


def test_the_source_links_to_the_not_fit_referral_and_the_referring_employer(
    signed_in, caseworker, organisation
):
    referral = not_fit_referral(organisation)
    from_referral = open_case(
        referral.assessment.registrant,
        caseworker,
        source=CaseSource.NOT_FIT,
        not_fit_referral=referral,
    )
    page = signed_in.get(case_url(from_referral)).content.decode()
    assert reverse("fitness:referral", kwargs={"pk": referral.pk}) in page
    assert referral.reference in page and organisation.name in page
    assert "Undeclared disqualification" not in page
    from_employer = open_case(
        person(), caseworker, source=CaseSource.EMPLOYER, referring_organisation=organisation
    )
    page = signed_in.get(case_url(from_employer)).content.decode()
    assert reverse("organisations:detail", kwargs={"ods_code": "RR8"}) in page
    assert "Referred by Leeds Teaching Hospitals NHS Trust (RR8)" in page


def test_the_stage_history_says_who_moved_the_case_when_and_why(
    signed_in, case, caseworker, travel
):
    travel(dt.datetime(2026, 11, 5, 14, 30, tzinfo=dt.UTC))
    stage_move(case=case, move="start_investigation", actor=caseworker, reason="Enough in it")
    page = signed_in.get(case_url(case)).content.decode()
    assert "Opened" in page and "Opened: the regulator&#39;s own motion" in page
    assert "5 November 2026 at 2:30pm" in page
    assert "Enough in it" in page and "Casey Worker" in page
    assert page.index("Opened: the regulator") < page.index("Enough in it")


def test_allegations_show_the_standards_cited_with_their_titles(signed_in, case, caseworker):
    allegation_add(
        case=case,
        text="Approved a misleading report to the board.",
        conduct_on=dt.date(2025, 9, 1),
        refs=["CC1", "NE2"],
        actor=caseworker,
    )
    page = signed_in.get(case_url(case)).content.decode()
    assert "Allegation 1" in page and "Approved a misleading report" in page
    assert "CC1 Be honest and open" in page and "NE2 Falsifying records" in page
    assert "Version 1, in force from 1 April 2025" in page
    assert "1 September 2025" in page


def test_evidence_shows_its_hash_size_and_disclosure_and_downloads_are_recorded(
    signed_in, case, caseworker
):
    content = b"%PDF-1.4 the minutes"
    item = add_evidence(case, caseworker, content=content, disclosed=True)
    page = signed_in.get(case_url(case)).content.decode()
    digest = hashlib.sha256(content).hexdigest()
    assert digest in page and "Board minutes" in page and f"{len(content)} bytes" in page
    assert "The regulator" in page and "Added 2 November 2026 by Casey Worker" in page
    download = case_url(case, "cases:evidence", number=item.number)
    assert download in page
    response = signed_in.get(download)
    assert response.status_code == 200 and response.content == content
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(action="cases.evidence.restricted_viewed").get()
    assert event.subject_id == str(item.pk) and event.payload_data["fields"] == ["content"]


def test_an_unknown_evidence_number_is_not_found(signed_in, case):
    for number in (1, 99999999999):
        assert signed_in.get(f"/cases/{case.reference}/evidence/{number}/").status_code == 404


def test_the_case_page_runs_a_bounded_number_of_queries(
    signed_in, case, caseworker, django_assert_max_num_queries
):
    allegation_add(
        case=case, text="One", conduct_on=dt.date(2025, 9, 1), refs=["CC1"], actor=caseworker
    )
    add_evidence(case, caseworker)
    with django_assert_max_num_queries(40) as few:
        signed_in.get(case_url(case))
    for index in range(15):
        allegation_add(
            case=case,
            text=f"More {index}",
            conduct_on=dt.date(2025, 9, 1),
            refs=["CC2", "NE1"],
            actor=caseworker,
        )
        add_evidence(case, caseworker, title=f"More evidence {index}")
    stage_move(case=case, move="start_investigation", actor="test", reason="x")
    stage_move(case=case, move="refer_to_examiners", actor="test", reason="y")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = signed_in.get(case_url(case)).content.decode()
    assert "More evidence 14" in page and "Allegation 16" in page


def test_other_staff_read_the_case_but_see_no_forms(client, case, make_user):
    client.force_login(make_user("case_examiner"))
    page = client.get(case_url(case)).content.decode()
    assert SUMMARY in page
    assert "Add the evidence" not in page and "Move the case" not in page
    assert "Add an allegation" not in page


SECTIONS = ('id="examiners"', 'id="hearings"', 'id="interim-orders"', 'id="outcomes"')


@pytest.mark.parametrize("role", ["caseworker", "case_examiner", "registrar"])
def test_a_case_at_triage_shows_no_empty_sections(client, case, make_user, role):
    client.force_login(make_user(role))
    page = client.get(case_url(case)).content.decode()
    for section in SECTIONS:
        assert section not in page, section
    assert "No hearings" not in page and "No appeals" not in page


def test_a_hearings_officer_is_offered_a_hearing_at_triage_and_nothing_else(
    client, case, make_user
):
    client.force_login(make_user("hearings_officer"))
    page = client.get(case_url(case)).content.decode()
    assert 'id="hearings"' in page and case_url(case, "cases:hearing_schedule") in page
    for section in ('id="examiners"', 'id="interim-orders"', 'id="outcomes"'):
        assert section not in page, section


# --- Allegations ------------------------------------------------------------------


def _date(day, month, year) -> dict:
    return {"conduct_on_day": day, "conduct_on_month": month, "conduct_on_year": year}


def test_adding_an_allegation_asks_the_date_then_offers_that_versions_standards(signed_in, case):
    url = case_url(case, "cases:allegation_add")
    first = signed_in.get(url).content.decode()
    assert "When did the conduct happen?" in first and "CC1 Be honest" not in first
    second = signed_in.get(url, _date("1", "9", "2025")).content.decode()
    assert "version 1, in force from 1 April 2025" in second
    assert "CC1 Be honest and open" in second and "NE2 Falsifying records" in second
    response = signed_in.post(
        url,
        {
            "conduct_on": "2025-09-01",
            "text": "Approved a misleading report to the board.",
            "standards": ["CC1"],
            "never_events": ["NE2"],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#allegations")
    allegation = Allegation.objects.get(case=case)
    assert allegation.cited_refs == ["CC1", "NE2"]
    assert allegation.conduct_on == dt.date(2025, 9, 1)
    assert AuditEvent.objects.filter(action="cases.allegation.added").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (_date("31", "2", "2025"), "must be a real date"),
        (_date("1", "1", "2099"), "must be on or before 2 November 2026"),
        (_date("", "9", "2025"), "must include a day"),
    ],
)
def test_a_bad_date_of_conduct_is_explained(signed_in, case, query, message):
    page = signed_in.get(case_url(case, "cases:allegation_add"), query).content.decode()
    assert message in page and "There is a problem" in page
    assert "CC1 Be honest" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Something", "standards": []}, "Choose at least one standard or never event"),
        ({"text": "", "standards": ["CC1"]}, "Enter the allegation"),
        ({"text": "Something", "standards": ["CC99"]}, "Choose standards from the list"),
        ({"text": "Something", "never_events": ["CC1"]}, "Choose never events from the list"),
    ],
)
def test_a_bad_allegation_is_explained_and_nothing_is_added(signed_in, case, data, message):
    response = signed_in.post(
        case_url(case, "cases:allegation_add"), {"conduct_on": "2025-09-01", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Allegation.objects.exists()


def test_a_tampered_date_of_conduct_starts_again(signed_in, case):
    url = case_url(case, "cases:allegation_add")
    response = signed_in.post(url, {"conduct_on": "yesterday", "text": "x", "standards": ["CC1"]})
    assert response.status_code == 302 and response["Location"] == url
    assert "Give the date of the conduct again" in signed_in.get(url).content.decode()
    response = signed_in.post(url, {"conduct_on": "2099-01-01", "text": "x", "standards": ["CC1"]})
    assert "must be in the past" in response.content.decode()
    assert not Allegation.objects.exists()


def test_no_allegation_can_be_added_to_a_closed_case(signed_in, case):
    stage_move(case=case, move="close_at_triage", actor="test", reason="Nothing in it")
    url = case_url(case, "cases:allegation_add")
    assert "The case is closed" in signed_in.get(url).content.decode()
    response = signed_in.post(
        url, {"conduct_on": "2025-09-01", "text": "Something", "standards": ["CC1"]}
    )
    assert "The case is closed: open a review to add to it." in response.content.decode()
    assert not Allegation.objects.exists()


# --- Evidence ---------------------------------------------------------------------


def _upload(content=b"Notes of the interview", name="interview.pdf"):
    return SimpleUploadedFile(name, content, content_type="text/html")


def test_a_caseworker_adds_evidence_and_its_hash_is_kept(signed_in, case):
    content = b"%PDF-1.4 notes of the interview"
    response = signed_in.post(
        case_url(case, "cases:evidence_add"),
        {
            "evidence-file": _upload(content, "../../interview.pdf"),
            "evidence-title": "Interview notes",
            "evidence-disclosed": "yes",
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get(case=case)
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.disclosed and item.title == "Interview notes"
    assert item.file_name == "interview.pdf"
    assert item.media_type == "application/pdf"  # from the name, never the browser's claim
    page = signed_in.get(case_url(case)).content.decode()
    assert "Evidence 1, Interview notes, is added to the case and disclosed" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"evidence-title": "Notes", "evidence-disclosed": "no"}, "Choose a file"),
        ({"evidence-file": "upload", "evidence-disclosed": "no"}, "Enter a title for the evidence"),
        ({"evidence-file": "upload", "evidence-title": "Notes"}, "Choose whether to disclose"),
        (
            {"evidence-file": "empty", "evidence-title": "Notes", "evidence-disclosed": "no"},
            "The selected file is empty",
        ),
    ],
)
def test_bad_evidence_is_explained_and_nothing_is_added(signed_in, case, data, message):
    data = dict(data)
    if data.get("evidence-file") == "upload":
        data["evidence-file"] = _upload()
    elif data.get("evidence-file") == "empty":
        data["evidence-file"] = _upload(b"")
    response = signed_in.post(case_url(case, "cases:evidence_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert not Evidence.objects.exists()


def test_evidence_too_large_is_refused(signed_in, case, monkeypatch):
    monkeypatch.setattr(case_forms, "MAX_EVIDENCE_BYTES", 10)
    response = signed_in.post(
        case_url(case, "cases:evidence_add"),
        {
            "evidence-file": _upload(b"more than ten bytes"),
            "evidence-title": "Notes",
            "evidence-disclosed": "no",
        },
    )
    assert "must be smaller than" in response.content.decode()
    assert not Evidence.objects.exists()
    monkeypatch.setattr(case_forms, "FORM_ALLOWANCE_BYTES", 0)
    response = signed_in.post(
        case_url(case, "cases:evidence_add"),
        {
            "evidence-file": _upload(b"more than ten bytes"),
            "evidence-title": "Notes",
            "evidence-disclosed": "no",
        },
    )
    assert response.status_code == 413 and "must be smaller than" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_added_to_a_closed_case(signed_in, case):
    stage_move(case=case, move="close_at_triage", actor="test", reason="Nothing in it")
    response = signed_in.post(
        case_url(case, "cases:evidence_add"),
        {"evidence-file": _upload(), "evidence-title": "Notes", "evidence-disclosed": "no"},
    )
    assert "The case is closed" in response.content.decode()
    assert not Evidence.objects.exists()


# --- Moving the case --------------------------------------------------------------


def test_the_moves_offered_are_those_possible_now_and_a_move_is_recorded(signed_in, case):
    page = signed_in.get(case_url(case)).content.decode()
    assert "Start the investigation" in page and "Close: no case to answer" in page
    assert "Refer to a panel hearing" not in page
    response = signed_in.post(
        case_url(case, "cases:move"),
        {
            "move-move": "start_investigation",
            "move-reason": "Enough to look into",
            "move-version": 1,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    change = StageChange.objects.filter(case=case).latest("pk")
    assert change.reason == "Enough to look into" and change.actor_label == "Casey Worker"
    page = signed_in.get(case_url(case)).content.decode()
    assert f"Case {case.reference} is now at “investigation”." in page
    assert "Refer to the case examiners" in page and "Start the investigation" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"move-move": "start_investigation", "move-reason": ""}, "Enter the reason for this step"),
        ({"move-reason": "Because"}, "Choose what happens next"),
        (
            {"move-move": "close", "move-reason": "Because"},
            "Choose what happens next from the list",
        ),
        (
            {"move-move": "delete", "move-reason": "Because"},
            "Choose what happens next from the list",
        ),
    ],
)
def test_a_bad_move_is_explained_and_the_case_stays_put(signed_in, case, data, message):
    response = signed_in.post(case_url(case, "cases:move"), {"move-version": 1, **data})
    assert response.status_code == 200 and message in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.TRIAGE and case.stage_changes.count() == 1


def test_a_move_from_a_stale_page_is_refused(signed_in, case):
    stage_move(case=case, move="start_investigation", actor="test", reason="Someone else")
    response = signed_in.post(
        case_url(case, "cases:move"),
        {"move-move": "close_at_triage", "move-reason": "No case", "move-version": 1},
    )
    page = response.content.decode()
    assert "The case has moved on since you opened the page" in page
    assert "Refer to the case examiners" in page  # the moves possible now
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_a_bad_version_asks_to_reload(signed_in, case):
    response = signed_in.post(
        case_url(case, "cases:move"),
        {"move-move": "start_investigation", "move-reason": "x", "move-version": "x"},
    )
    assert "Reload it and try again" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.TRIAGE


# --- Opening a case ---------------------------------------------------------------


def test_the_start_lists_concerns_and_referrals_waiting_for_a_case(
    signed_in, caseworker, organisation
):
    subject = person(("Dev", "Subject"))
    decision = recommended(organisation, caseworker, subject)
    referral = not_fit_referral(organisation)
    page = signed_in.get(reverse("cases:open")).content.decode()
    assert decision.concern.reference in page and "Dev Subject" in page
    assert "2 November 2026" in page
    assert reverse("cases:open_concern", kwargs={"pk": decision.pk}) in page
    assert referral.reference in page and "Nadia Unfit" in page
    assert reverse("cases:open_not_fit", kwargs={"pk": referral.pk}) in page
    assert WHAT not in page
    open_case(subject, caseworker, source=CaseSource.CONCERN, concern_decision=decision)
    open_case(
        referral.assessment.registrant,
        caseworker,
        source=CaseSource.NOT_FIT,
        not_fit_referral=referral,
    )
    page = signed_in.get(reverse("cases:open")).content.decode()
    assert decision.concern.reference not in page and referral.reference not in page


def test_the_start_runs_a_bounded_number_of_queries(
    signed_in, caseworker, organisation, django_assert_max_num_queries
):
    recommended(organisation, caseworker, person(("Dev", "Subject")))
    not_fit_referral(organisation)
    with django_assert_max_num_queries(20) as few:
        signed_in.get(reverse("cases:open"))
    for index in range(8):
        recommended(organisation, caseworker, person(("Dev", f"Subject{index}")))
        not_fit_referral(organisation, names=("Nadia", f"Unfit{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = signed_in.get(reverse("cases:open")).content.decode()
    assert "Subject7" in page and "Unfit7" in page


def test_opening_from_a_concern_names_its_subject_and_decision(signed_in, caseworker, organisation):
    subject = person(("Dev", "Subject"))
    decision = recommended(organisation, caseworker, subject)
    url = reverse("cases:open_concern", kwargs={"pk": decision.pk})
    page = signed_in.get(url).content.decode()
    assert "Dev Subject" in page and "CC1 Be honest and open" in page and WHAT not in page
    response = signed_in.post(url, {"summary": SUMMARY, "health_related": "on"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert case.registrant == subject and case.concern_decision == decision
    assert case.source == CaseSource.CONCERN and case.health_related
    assert signed_in.get(url).status_code == 404  # a concern opens one case


def test_opening_from_a_not_fit_referral(signed_in, organisation):
    referral = not_fit_referral(organisation)
    url = reverse("cases:open_not_fit", kwargs={"pk": referral.pk})
    page = signed_in.get(url).content.decode()
    assert referral.reference in page and "Nadia Unfit" in page
    assert "Undeclared disqualification" not in page
    response = signed_in.post(url, {"summary": SUMMARY})
    case = Case.objects.get()
    assert response["Location"] == case_url(case)
    assert case.not_fit_referral == referral and case.registrant == referral.assessment.registrant
    assert not case.health_related
    assert signed_in.get(url).status_code == 404


@pytest.mark.parametrize("pk", [0, 999999, 2**63])
def test_an_unknown_source_is_not_found(signed_in, pk):
    assert signed_in.get(f"/cases/open/concern/{pk}/").status_code == 404
    assert signed_in.get(f"/cases/open/not-fit/{pk}/").status_code == 404


def test_a_concern_closed_or_referred_is_not_offered(signed_in, caseworker, organisation):
    item = concern(organisation=organisation, registrant=person())
    decision = triage.triage_decide(
        concern=item,
        outcome="refer_to_employer",
        cited_refs=["CC1"],
        reasons="For the employer",
        employer_summary="Summary",
        actor=caseworker,
        version=item.version,
    )
    assert signed_in.get(f"/cases/open/concern/{decision.pk}/").status_code == 404


def test_opening_on_an_employer_referral(signed_in, organisation, registrant):
    url = reverse("cases:open_employer")
    response = signed_in.post(
        url,
        {
            "registration_number": registrant.registration_number,
            "ods_code": " rr8 ",
            "summary": SUMMARY,
        },
    )
    case = Case.objects.get()
    assert response["Location"] == case_url(case)
    assert case.source == CaseSource.EMPLOYER and case.referring_organisation == organisation
    assert case.caseworker.full_name == "Casey Worker" and case.stage == Stage.TRIAGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ods_code": "RR8", "summary": SUMMARY}, "Enter the registration number"),
        ({"registration_number": "12", "ods_code": "RR8", "summary": SUMMARY}, "like M1234567"),
        (
            {"registration_number": "NUMBER", "ods_code": "ZZZ", "summary": SUMMARY},
            "No NHS organisation",
        ),
        (
            {"registration_number": "NUMBER", "ods_code": "", "summary": SUMMARY},
            "Enter the ODS code",
        ),
        (
            {"registration_number": "NUMBER", "ods_code": "R;R8", "summary": SUMMARY},
            "No NHS organisation",
        ),
        ({"registration_number": "NUMBER", "ods_code": "RR8", "summary": "  "}, "Enter a summary"),
        (
            {"registration_number": "NUMBER", "ods_code": "RR8", "summary": "x" * 10_001},
            "10,000 characters or fewer",
        ),
    ],
)
def test_a_bad_employer_referral_is_explained_and_opens_nothing(
    signed_in, organisation, registrant, data, message
):
    data = {k: registrant.registration_number if v == "NUMBER" else v for k, v in data.items()}
    response = signed_in.post(reverse("cases:open_employer"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.exists()


def test_opening_on_the_regulators_own_motion(signed_in, registrant):
    url = reverse("cases:open_own_motion")
    assert "Open a case on the regulator" in signed_in.get(url).content.decode()
    unused = registration_number(999_999)
    response = signed_in.post(url, {"registration_number": unused, "summary": SUMMARY})
    assert f"Nobody on the register has the registration number {unused}" in (
        response.content.decode()
    )
    response = signed_in.post(
        url, {"registration_number": registrant.registration_number, "summary": SUMMARY}
    )
    case = Case.objects.get()
    assert response["Location"] == case_url(case) and case.source == CaseSource.OWN_MOTION
    page = signed_in.get(case_url(case)).content.decode()
    assert f"Case {case.reference} is open, at triage." in page


def test_a_merged_record_is_refused_with_the_reason(signed_in, registrant):
    survivor = person(("Alex", "Survivor"))
    registrant.merged_into = survivor
    registrant.save(update_fields=["merged_into"])
    response = signed_in.post(
        reverse("cases:open_own_motion"),
        {"registration_number": registrant.registration_number, "summary": SUMMARY},
    )
    assert "merged into another" in response.content.decode()
    assert not Case.objects.exists()


def test_a_caseworker_cannot_open_a_case_about_themselves(signed_in, caseworker):
    themselves = person(("Casey", "Worker"), user=caseworker)
    response = signed_in.post(
        reverse("cases:open_own_motion"),
        {"registration_number": themselves.registration_number, "summary": SUMMARY},
    )
    assert "You cannot open a case about yourself" in response.content.decode()
    assert not Case.objects.exists()
