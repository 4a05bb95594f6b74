"""The cases API: the regulator's list, case, opening, allegations, moves, examiners'
decisions and hearings; the registrant's own cases and responses; who may use each,
and what the registrant never sees."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.audit.models import AuditEvent
from steward.cases import forms as case_forms
from steward.cases.examiners import examiner_decide
from steward.cases.models import (
    Allegation,
    Appeal,
    Case,
    CaseSource,
    Determination,
    DeterminationKind,
    Evidence,
    EvidenceParty,
    ExaminerDecision,
    Hearing,
    HearingKind,
    HearingStatus,
    Sanction,
    Stage,
    StageChange,
)
from steward.cases.stages import stage_move
from steward.cases.tests.factories import examiner_make, hearing_make, matrix_sign_in, person_make
from steward.cases.tests.test_pages_staff import (
    SUMMARY,
    add_evidence,
    not_fit_referral,
    open_case,
    person,
    recommended,
)
from steward.concerns.tests.factories_staff import REPORTER, WHAT
from steward.core import clock
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register.models import Registrant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "skip_mfa")]

TODAY = dt.date(2026, 11, 2)
CASES = "/api/v1/cases"
MINE = "/api/v1/cases/mine"
CASE_STAFF = {"caseworker", "case_examiner", "hearings_officer", "registrar"}
CONDUCT_ON = "2025-09-01"


@pytest.fixture
def api(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def case(caseworker):
    return open_case(person(), caseworker)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def url(case, suffix="") -> str:
    return f"{CASES}/{case.reference}{suffix}"


def mine_url(case, suffix="") -> str:
    return f"{MINE}/{case.reference}{suffix}"


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def allegation(case, actor, refs=("CC1",)):
    from steward.cases.services import allegation_add

    return allegation_add(
        case=case,
        text="Approved a misleading report to the board.",
        conduct_on=dt.date(2025, 9, 1),
        refs=list(refs),
        actor=actor,
    )


def at_stage(case, stage) -> Case:
    Case.objects.filter(pk=case.pk).update(stage=stage)
    return fresh(case)


@pytest.fixture
def examiners():
    return examiner_make("lay", full_name="Lee Lay"), examiner_make(
        "manager", full_name="Mo Manager"
    )


def warned(case, examiners, capture) -> None:
    """The case examiners give a warning, issued at once: the appeal window opens."""
    lay, manager = examiners
    with capture(execute=True):
        examiner_decide(
            case=fresh(case),
            outcome="warning",
            reasons="Honesty matters to the board.",
            lay_examiner=lay,
            manager_examiner=manager,
            actor=lay,
        )


# --- Who may use each endpoint ------------------------------------------------------


def ref(ctx):
    return ctx["case"].reference


MATRIX = [
    (CASES, None, CASE_STAFF, "api"),
    (lambda ctx: f"{CASES}/{ref(ctx)}", None, CASE_STAFF, "api"),
    (MINE, None, {"registrant"}, "api"),
    (lambda ctx: f"{MINE}/{ref(ctx)}", None, {"registrant"}, "api"),
]


@pytest.fixture
def ctx(make_user):
    worker = make_user("caseworker")
    case = open_case(person(("Rhiannon", "Matrix")), worker)
    add_evidence(case, worker, disclosed=True)
    return {"case": case}


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_read_for_every_role(client, role_user, ctx, role):
    matrix_sign_in(client, role_user, role, ctx["case"])
    check_matrix(client, role, MATRIX, ctx)


def _writes(ctx):
    case = ctx["case"]
    later = (TODAY + dt.timedelta(days=40)).isoformat()
    return [
        (
            CASES,
            {"source": "own_motion", "summary": "x", "registration_number": "M0000000"},
            {"caseworker"},
        ),
        (
            url(case, "/allegations"),
            {"text": "Text", "conduct_on": CONDUCT_ON, "refs": ["CC1"]},
            {"caseworker"},
        ),
        (url(case, "/moves"), {"move": "close", "reason": "r", "version": 1}, {"caseworker"}),
        (
            url(case, "/examiner-decisions"),
            {
                "outcome": "refer_to_panel",
                "reasons": "r",
                "lay_examiner": 1,
                "manager_examiner": 2,
            },
            {"case_examiner"},
        ),
        (
            url(case, "/hearings"),
            {"kind": "substantive", "starts_on": later, "location": "Remote"},
            {"hearings_officer"},
        ),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, role_user, ctx, role):
    matrix_sign_in(client, role_user, role, ctx["case"])
    failures = []
    for address, data, allowed in _writes(ctx):
        status = post(client, address, data).status_code
        if role is None:
            ok = status == 401
        elif role in allowed:
            ok = status not in {401, 403, 405} and status < 500
        else:
            ok = status == 403
        if not ok:
            failures.append(f"POST {address}: {status}")
    response = client.post(mine_url(ctx["case"], "/responses"), {"text": "My side"})
    expected = {None: 401, "registrant": 201}.get(role, 403)
    if response.status_code != expected:
        failures.append(f"POST responses: {response.status_code}")
    assert not failures, f"role {role}: " + "; ".join(failures)
    assert fresh(ctx["case"]).stage == Stage.TRIAGE
    assert not Hearing.objects.exists() and not ExaminerDecision.objects.exists()


def test_staff_never_read_or_work_on_a_case_about_themselves(client, make_user, case):
    """It is "not found", exactly as a reference nobody has."""
    user = make_user("caseworker")
    Registrant.objects.filter(pk=case.registrant_id).update(user=user)
    client.force_login(user)
    assert case.reference not in client.get(CASES).content.decode()
    unknown = client.get(f"{CASES}/FTP-2026-9999")
    about_me = client.get(url(case))
    assert about_me.status_code == unknown.status_code == 404
    assert about_me.json() == unknown.json() == {"detail": "No case has that reference."}
    for suffix, data in [
        ("/allegations", {"text": "Text", "conduct_on": CONDUCT_ON, "refs": ["CC1"]}),
        ("/moves", {"move": "start_investigation", "reason": "Mine", "version": 1}),
    ]:
        response = post(client, url(case, suffix), data)
        assert response.status_code == 404 and response.json() == unknown.json()
    assert not Allegation.objects.filter(case=case).exists()
    assert fresh(case).stage == Stage.TRIAGE
    # As its registrant, they see it on their own page.
    assert client.get(mine_url(case)).status_code == 200


# --- The list -----------------------------------------------------------------------


def test_the_list_shows_cases_without_their_summaries(api, case, caseworker):
    closed = at_stage(open_case(person(("Sam", "Closed")), caseworker), Stage.CLOSED)
    response = api.get(CASES)
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "open" and body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == case.reference and item["url"] == url(case)
    assert item["registrant"]["name"] == "Alex Morgan"
    assert item["stage"] == "triage" and item["stage_label"] == "Triage"
    assert item["source"] == "own_motion" and item["caseworker"]["name"] == "Casey Worker"
    assert item["opened_on"] == TODAY.isoformat() and item["version"] == 1
    assert body["counts"]["open"] == 1 and body["counts"]["closed"] == 1
    assert body["counts"]["all"] == 2
    assert SUMMARY not in response.content.decode()
    assert not AuditEvent.objects.filter(action="cases.case.restricted_viewed").exists()
    only = api.get(CASES, {"stage": "closed"}).json()
    assert [i["reference"] for i in only["items"]] == [closed.reference]


def test_the_list_searches_by_reference_or_registration_number(api, case, caseworker):
    other = open_case(person(("Sam", "Other")), caseworker)
    by_reference = api.get(CASES, {"q": case.reference.lower(), "stage": "all"}).json()
    assert [i["reference"] for i in by_reference["items"]] == [case.reference]
    assert by_reference["q"] == case.reference
    number = other.registrant.registration_number
    by_number = api.get(CASES, {"q": number}).json()
    assert [i["reference"] for i in by_number["items"]] == [other.reference]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"stage": "everything"}, "stage", "There is no such stage: use one of open, triage"),
        ({"q": "<script>"}, "q", "Search by case reference, like FTP-2026-0001"),
        ({"page": "x"}, None, "The request is not valid."),
    ],
)
def test_a_bad_list_request_is_refused_with_a_message(api, case, params, field, message):
    response = api.get(CASES, params)
    assert response.status_code == 422
    body = response.json()
    assert message in body["detail"]
    if field:
        assert body["errors"][0]["field"] == field


def test_the_list_runs_a_bounded_number_of_queries(api, caseworker, django_assert_max_num_queries):
    for index in range(2):
        open_case(person(("Few", f"Person{index}")), caseworker)
    with django_assert_max_num_queries(12) as few:
        assert api.get(CASES).json()["count"] == 2
    for index in range(15):
        open_case(person(("Many", f"Person{index}")), caseworker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(CASES).json()["count"] == 17


# --- A case -------------------------------------------------------------------------


def test_a_case_shows_everything_decided_and_records_the_reading(
    api, caseworker, organisation, make_user, examiners, django_capture_on_commit_callbacks
):
    account = make_user("registrant", full_name="Alex Morgan")
    case = open_case(person(user=account), caseworker)
    allegation(case, caseworker, refs=["CC1", "NE2"])
    shown = add_evidence(case, caseworker, title="Board minutes", content=b"zq-file-bytes")
    stage_move(case=case, move="start_investigation", actor=caseworker, reason="Enough to go on")
    stage_move(case=case, move="refer_to_examiners", actor=caseworker, reason="Investigated")
    warned(case, examiners, django_capture_on_commit_callbacks)
    hearing_make(case=case, kind=HearingKind.INTERIM_ORDER)
    before = AuditEvent.objects.count()
    response = api.get(url(case).lower())
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == SUMMARY and body["stage"] == "appeal_window"
    assert body["came_from"]["concern_reference"] is None
    assert body["moves_possible"] == []  # the window closes itself; appeals are lodged
    (cited,) = body["allegations"]
    assert [c["ref"] for c in cited["cited"]] == ["CC1", "NE2"]
    assert cited["cited"][0]["title"] == "Be honest and open"
    assert cited["standards_version"] == 1 and cited["conduct_on"] == CONDUCT_ON
    (evidence,) = body["evidence"]
    assert evidence["sha256"] == hashlib.sha256(b"zq-file-bytes").hexdigest() == shown.sha256
    assert evidence["size"] == 13 and evidence["added_by"]["name"] == "Casey Worker"
    assert "content" not in evidence and "zq-file-bytes" not in response.content.decode()
    history = [(h["from_stage"], h["to_stage"]) for h in body["stage_history"]]
    assert history[:3] == [(None, "triage"), ("triage", "investigation"),
                           ("investigation", "case_examiners")]  # fmt: skip
    assert body["stage_history"][1]["reason"] == "Enough to go on"
    (decision,) = body["examiner_decisions"]
    assert decision["outcome"] == "warning" and decision["lay_examiner"]["name"] == "Lee Lay"
    (determination,) = body["determinations"]
    assert determination["sanction"] == "warning" and len(determination["pdf_sha256"]) == 64
    assert determination["appeal_by"] == (TODAY + dt.timedelta(days=28)).isoformat()
    assert not determination["superseded"]
    (sanction,) = body["sanctions"]
    assert sanction["kind"] == "warning" and sanction["status"] == "in_force"
    (hearing,) = body["hearings"]
    assert hearing["kind"] == "interim_order" and len(hearing["panel"]) == 3
    assert [seat["is_chair"] for seat in hearing["panel"]] == [True, False, False]
    assert body["appeals"] == []
    viewed = AuditEvent.objects.filter(pk__gt=before, action="cases.case.restricted_viewed")
    assert viewed.get().actor_id == caseworker.pk


def test_a_case_shows_where_it_came_from(api, caseworker, organisation):
    decision = recommended(organisation, caseworker, person(("Dev", "Subject")))
    concern_case = open_case(
        decision.concern.subject_registrant,
        caseworker,
        source=CaseSource.CONCERN,
        concern_decision=decision,
    )
    came_from = api.get(url(concern_case)).json()["came_from"]
    assert came_from["concern_reference"] == decision.concern.reference
    assert WHAT not in api.get(url(concern_case)).content.decode()
    employer_case = open_case(
        person(("Em", "Ployed")),
        caseworker,
        source=CaseSource.EMPLOYER,
        referring_organisation=organisation,
    )
    came_from = api.get(url(employer_case)).json()["came_from"]
    assert came_from["referring_organisation"] == {
        "ods_code": "RR8",
        "name": "Leeds Teaching Hospitals NHS Trust",
    }


@pytest.mark.parametrize("reference", ["FTP-2026-9999", "nonsense", "x" * 300])
def test_an_unknown_reference_is_not_found(api, case, reference):
    response = api.get(f"{CASES}/{reference}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No case has that reference."}


def test_the_case_runs_a_bounded_number_of_queries(
    api, case, caseworker, django_assert_max_num_queries
):
    allegation(case, caseworker)
    add_evidence(case, caseworker)
    hearing_make(case=case, kind=HearingKind.INTERIM_ORDER)
    with django_assert_max_num_queries(40) as few:
        api.get(url(case))
    for _ in range(6):
        allegation(case, caseworker)
        add_evidence(case, caseworker)
        hearing_make(case=case, kind=HearingKind.INTERIM_ORDER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(url(case)).json()
    assert len(body["allegations"]) == 7 and len(body["hearings"]) == 7


# --- Opening a case -----------------------------------------------------------------


def test_opening_a_case_on_the_regulators_own_motion(api, caseworker):
    someone = person(("Sam", "Own"))
    response = post(
        api,
        CASES,
        {
            "source": "own_motion",
            "summary": "  Reported in the press.  ",
            "registration_number": someone.registration_number.lower(),
            "health_related": True,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == "FTP-2026-0001" and body["stage"] == "triage"
    case = Case.objects.get(reference=body["reference"])
    assert case.registrant == someone and case.source == CaseSource.OWN_MOTION
    assert case.summary == "Reported in the press." and case.health_related
    assert case.opened_by == caseworker and case.caseworker == caseworker
    assert StageChange.objects.get(case=case).to_stage == Stage.TRIAGE
    event = AuditEvent.objects.get(action="cases.case.opened")
    assert event.actor_id == caseworker.pk and event.payload_data["source"] == "own_motion"


def test_opening_a_case_on_an_employers_referral(api, organisation):
    someone = person(("Em", "Ployed"))
    response = post(
        api,
        CASES,
        {
            "source": "employer",
            "summary": "The trust referred its director.",
            "registration_number": someone.registration_number,
            "ods_code": "rr8",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.referring_organisation == organisation and case.source == CaseSource.EMPLOYER


def test_opening_a_case_from_a_concern_and_from_a_not_fit_referral(
    api, caseworker, organisation, django_capture_on_commit_callbacks
):
    subject = person(("Dev", "Subject"))
    decision = recommended(organisation, caseworker, subject)
    response = post(
        api,
        CASES,
        {
            "source": "concern",
            "summary": "Concern about board papers.",
            "concern_decision": decision.pk,
        },
    )
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.concern_decision == decision and case.registrant == subject
    again = post(
        api,
        CASES,
        {"source": "concern", "summary": "Again.", "concern_decision": decision.pk},
    )
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "concern_decision", "message": "No concern waits for a case with that number"}
    ]
    referral = not_fit_referral(organisation)
    response = post(
        api,
        CASES,
        {"source": "not_fit", "summary": "Not fit and proper.", "not_fit_referral": referral.pk},
    )
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.not_fit_referral == referral
    assert case.registrant == referral.assessment.registrant
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"registration_number": "M123"}, "registration_number", "letter M followed by 7"),
        ({"registration_number": "M0000000"}, "registration_number", "Nobody on the register"),
        ({"summary": "  "}, "summary", "Enter a summary of the matter"),
        ({"source": "employer", "ods_code": "ZZZ99"}, "ods_code", "No NHS organisation"),
        ({"source": "employer", "ods_code": ""}, "ods_code", "Enter the ODS code"),
        ({"source": "concern"}, "concern_decision", "Give the number of the concern"),
        ({"source": "not_fit", "not_fit_referral": 99}, "not_fit_referral", "No not fit"),
    ],
)
def test_a_case_that_cannot_be_opened_is_explained_and_nothing_is_opened(api, data, field, message):
    someone = person(("Sam", "Refused"))
    values = {
        "source": "own_motion",
        "summary": "A matter.",
        "registration_number": someone.registration_number,
    }
    values.update(data)
    response = post(api, CASES, values)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field and message in body["errors"][0]["message"]
    assert message in body["detail"]
    assert (
        not Case.objects.exists()
        and not AuditEvent.objects.filter(action="cases.case.opened").exists()
    )


def test_nobody_opens_a_case_about_themselves(api, caseworker):
    me = person(("Casey", "Worker"), user=caseworker)
    response = post(
        api,
        CASES,
        {"source": "own_motion", "summary": "Me.", "registration_number": me.registration_number},
    )
    assert response.status_code == 422
    assert "You cannot open a case about yourself" in response.json()["detail"]
    assert not Case.objects.exists()


def test_a_schema_error_is_a_422_with_where_it_is(api):
    response = post(api, CASES, {"source": "gossip", "summary": "x"})
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert response.json()["errors"]


# --- Allegations --------------------------------------------------------------------


def test_adding_an_allegation(api, case, caseworker):
    response = post(
        api,
        url(case, "/allegations"),
        {"text": "Misled the board.", "conduct_on": CONDUCT_ON, "refs": ["cc1", "NE2"]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1 and body["standards_version"] == 1
    assert [c["ref"] for c in body["cited"]] == ["CC1", "NE2"]
    row = Allegation.objects.get(case=case)
    assert row.text == "Misled the board." and row.cited_refs == ["CC1", "NE2"]
    event = AuditEvent.objects.get(action="cases.allegation.added")
    assert event.actor_id == caseworker.pk and event.payload_data["allegation"] == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"refs": ["CC99"]}, "refs", "CC99 is not in version 1 of the standards"),
        ({"refs": []}, "refs", "Choose at least one standard or never event"),
        ({"conduct_on": "2027-01-01"}, "conduct_on", "must be in the past"),
        ({"text": " "}, "text", "Enter the allegation"),
    ],
)
def test_an_allegation_that_cannot_be_added_is_explained(api, case, data, field, message):
    values = {"text": "Misled the board.", "conduct_on": CONDUCT_ON, "refs": ["CC1"]}
    values.update(data)
    response = post(api, url(case, "/allegations"), values)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert message in response.json()["detail"]
    assert not Allegation.objects.exists()


def test_allegations_on_an_unknown_case_are_not_found(api):
    response = post(
        api,
        f"{CASES}/FTP-2026-9999/allegations",
        {"text": "Text", "conduct_on": CONDUCT_ON, "refs": ["CC1"]},
    )
    assert response.status_code == 404


# --- Moves --------------------------------------------------------------------------


def test_moving_a_case(api, case, caseworker):
    response = post(
        api,
        url(case, "/moves"),
        {"move": "start_investigation", "reason": "Enough to investigate", "version": 1},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "investigation" and body["version"] == 2
    assert body["change"]["from_stage"] == "triage" and body["change"]["reason"] == (
        "Enough to investigate"
    )
    assert body["moves_possible"] == ["refer_to_examiners"]
    assert fresh(case).stage == Stage.INVESTIGATION
    change = StageChange.objects.filter(case=case).latest("pk")
    assert (change.actor, change.to_stage) == (caseworker, Stage.INVESTIGATION)
    event = AuditEvent.objects.get(action="cases.stage.changed")
    assert event.payload_data["move"] == "start_investigation" and event.actor_id == caseworker.pk


def test_a_stale_or_impossible_move_is_a_conflict_with_the_services_message(api, case):
    stage_move(case=case, move="start_investigation", actor="test", reason="Moved")
    stale = post(api, url(case, "/moves"), {"move": "close_at_triage", "reason": "r", "version": 1})
    assert stale.status_code == 409
    assert "The case has moved on since you opened the page" in stale.json()["detail"]
    impossible = post(api, url(case, "/moves"), {"move": "close", "reason": "r", "version": 2})
    assert impossible.status_code == 409
    assert impossible.json()["detail"] == (
        "Close the case is not possible: the case is at “investigation”. "
        "From here you can: refer to the case examiners."
    )
    assert fresh(case).stage == Stage.INVESTIGATION and fresh(case).version == 2


def test_a_move_needs_a_reason_and_a_real_move(api, case):
    blank = post(
        api, url(case, "/moves"), {"move": "start_investigation", "reason": " ", "version": 1}
    )
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {"field": "reason", "message": "Enter the reason for this step"}
    ]
    unknown = post(api, url(case, "/moves"), {"move": "vanish", "reason": "r", "version": 1})
    assert unknown.status_code == 422
    assert fresh(case).stage == Stage.TRIAGE
    assert not AuditEvent.objects.filter(action="cases.stage.changed").exists()


# --- Case examiners -----------------------------------------------------------------


def _decision(lay, manager, **kwargs):
    values = {
        "outcome": "refer_to_panel",
        "reasons": "A realistic prospect of finding impairment.",
        "lay_examiner": lay.pk,
        "manager_examiner": manager.pk,
    }
    values.update(kwargs)
    return values


def test_the_examiners_decide_a_case(client, case, examiners):
    lay, manager = examiners
    case = at_stage(case, Stage.CASE_EXAMINERS)
    client.force_login(manager)
    response = post(client, url(case, "/examiner-decisions"), _decision(lay, manager))
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "panel_hearing"
    assert body["decision"]["outcome"] == "refer_to_panel"
    assert body["decision"]["manager_examiner"] == {"id": manager.pk, "name": "Mo Manager"}
    row = ExaminerDecision.objects.get(case=case)
    assert (row.lay_examiner, row.manager_examiner) == (lay, manager)
    assert fresh(case).stage == Stage.PANEL_HEARING
    assert AuditEvent.objects.filter(action="cases.examiner_decision.recorded").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"same": True}, "", "must be two different people"),
        ({"lay_examiner": 999999}, "lay_examiner", "No one has that user id"),
        ({"reasons": " "}, "reasons", "Enter the reasons for the decision"),
        ({"outcome": "undertakings"}, "undertakings", "Write down the undertakings"),
        ({"stage": Stage.INVESTIGATION}, "", "once it has been referred to them"),
    ],
)
def test_an_examiners_decision_that_breaks_the_rules_is_explained(
    client, case, examiners, change, field, message
):
    lay, manager = examiners
    case = at_stage(case, change.pop("stage", Stage.CASE_EXAMINERS))
    if change.pop("same", False):
        change["manager_examiner"] = lay.pk
    client.force_login(lay)
    response = post(client, url(case, "/examiner-decisions"), _decision(lay, manager, **change))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert message in response.json()["detail"]
    assert not ExaminerDecision.objects.exists()


def test_only_one_of_the_two_examiners_records_the_decision(client, case, examiners):
    lay, manager = examiners
    case = at_stage(case, Stage.CASE_EXAMINERS)
    client.force_login(examiner_make("lay"))
    response = post(client, url(case, "/examiner-decisions"), _decision(lay, manager))
    assert response.status_code == 403
    assert "Only one of the two examiners" in response.json()["detail"]
    assert not ExaminerDecision.objects.exists()


# --- Hearings -----------------------------------------------------------------------


@pytest.fixture
def officer():
    return person_make("hearings_officer", full_name="Hana Officer")


def test_scheduling_a_hearing_serves_notice(
    client, make_user, caseworker, officer, django_capture_on_commit_callbacks
):
    account = make_user("registrant", full_name="Alex Morgan", email="alex@example.org")
    case = at_stage(open_case(person(user=account), caseworker), Stage.PANEL_HEARING)
    client.force_login(officer)
    starts_on = TODAY + dt.timedelta(days=28)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            url(case, "/hearings"),
            {"kind": "substantive", "starts_on": starts_on.isoformat(), "location": "Leeds"},
        )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "substantive" and body["status"] == "scheduled"
    assert body["notice_served_on"] == TODAY.isoformat() and body["panel"] == []
    hearing = Hearing.objects.get(case=case)
    assert hearing.starts_on == starts_on and hearing.scheduled_by == officer
    assert AuditEvent.objects.filter(action="cases.hearing.scheduled").exists()
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]


@pytest.mark.parametrize(
    ("data", "stage", "message"),
    [
        ({"starts_on": (TODAY + dt.timedelta(days=27)).isoformat()}, Stage.PANEL_HEARING,
         "at least 28 days' notice"),
        ({}, Stage.INVESTIGATION, "can only be scheduled when the case is at"),
        ({"location": " "}, Stage.PANEL_HEARING, "Enter where the hearing will be held"),
    ],
)  # fmt: skip
def test_a_hearing_that_cannot_be_scheduled_is_explained(
    client, case, officer, data, stage, message
):
    case = at_stage(case, stage)
    client.force_login(officer)
    values = {
        "kind": "substantive",
        "starts_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        "location": "Leeds",
    }
    values.update(data)
    response = post(client, url(case, "/hearings"), values)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not Hearing.objects.exists()


# --- The registrant's own cases -----------------------------------------------------


@pytest.fixture
def manager_user(make_user):
    return make_user("registrant", full_name="Alex Morgan")


@pytest.fixture
def own_case(manager_user, caseworker):
    return open_case(person(user=manager_user), caseworker)


@pytest.fixture
def signed_in(client, manager_user):
    client.force_login(manager_user)
    return client


def test_the_registrant_lists_their_cases_and_nobody_elses(signed_in, own_case, case):
    body = signed_in.get(MINE).json()
    assert body["count"] == 1
    assert body["items"] == [
        {
            "reference": own_case.reference,
            "url": mine_url(own_case),
            "stage": "triage",
            "stage_label": "Triage",
            "opened_on": TODAY.isoformat(),
        }
    ]


def test_the_registrants_list_runs_a_bounded_number_of_queries(
    signed_in, own_case, caseworker, manager_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        signed_in.get(MINE)
    for _ in range(8):
        open_case(own_case.registrant, caseworker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(MINE).json()["count"] == 9


def test_the_registrant_reads_their_case(signed_in, own_case, caseworker, manager_user):
    allegation(own_case, caseworker, refs=["CC1"])
    add_evidence(own_case, caseworker, title="Board minutes", content=b"shared", disclosed=True)
    stage_move(case=own_case, move="start_investigation", actor=caseworker, reason="x")
    hearing_make(case=own_case, kind=HearingKind.INTERIM_ORDER)
    called_off = hearing_make(case=own_case, panel=False)
    Hearing.objects.filter(pk=called_off.pk).update(status=HearingStatus.CANCELLED)
    before = AuditEvent.objects.count()
    response = signed_in.get(mine_url(own_case).lower())
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "investigation" and body["explanation"].startswith(
        "We are investigating"
    )
    assert body["summary"] == SUMMARY
    assert body["how_it_started"] == "The regulator's own motion"
    assert [step["stage"] for step in body["timeline"]] == ["triage", "investigation"]
    assert body["allegations"][0]["cited"][0] == {"ref": "CC1", "title": "Be honest and open"}
    (evidence,) = body["evidence"]
    assert evidence["title"] == "Board minutes"
    assert evidence["sha256"] == hashlib.sha256(b"shared").hexdigest()
    (hearing,) = body["hearings"]  # a cancelled hearing is left out, as on their page
    assert hearing["kind"] == "interim_order" and len(hearing["panel"]) == 3
    assert body["may_respond"] is True
    viewed = AuditEvent.objects.filter(pk__gt=before, action="cases.case.restricted_viewed")
    assert viewed.get().actor_id == manager_user.pk


def test_the_registrant_never_sees_staff_sources_or_undisclosed_evidence(
    client,
    make_user,
    caseworker,
    organisation,
    examiners,
    officer,
    django_capture_on_commit_callbacks,
):
    user = make_user("registrant", full_name="Dev Subject")
    subject = person(("Dev", "Subject"), user=user)
    decision = recommended(organisation, caseworker, subject, anonymity="confidential")
    case = open_case(subject, caseworker, source=CaseSource.CONCERN, concern_decision=decision)
    allegation(case, caseworker)
    add_evidence(case, caseworker, title="Witness statement", content=b"hidden")
    stage_move(case=case, move="start_investigation", actor=caseworker, reason="Internal note")
    stage_move(case=case, move="refer_to_examiners", actor=caseworker, reason="Internal too")
    warned(case, examiners, django_capture_on_commit_callbacks)
    hearing_make(case=case, kind=HearingKind.INTERIM_ORDER, officer=officer)
    client.force_login(user)
    response = client.get(mine_url(case))
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert body["how_it_started"] == "A concern raised with the regulator"
    assert WHAT not in text and REPORTER["name"] not in text and REPORTER["email"] not in text
    assert decision.concern.reference not in text
    assert "Casey Worker" not in text and caseworker.email not in text
    assert "Lee Lay" not in text and "Mo Manager" not in text
    # The panel is named to the registrant; the hearings officer who scheduled it is not.
    assert len(body["hearings"][0]["panel"]) == 3 and officer.full_name not in text
    assert "Internal note" not in text and "Internal too" not in text
    assert "Witness statement" not in text and body["evidence"] == []
    assert body["examiner_decisions"][0]["outcome"] == "warning"
    (determination,) = body["determinations"]
    assert determination["sanction"] == "warning" and len(determination["pdf_sha256"]) == 64
    assert body["sanctions"][0]["kind"] == "warning"
    staff_fields = ("added_by", "issued_by", "lay_examiner", "manager_examiner", "scheduled_by")
    for name in (*staff_fields, "by", "reason"):
        assert f'"{name}"' not in text


def test_someone_elses_case_is_not_found_like_an_unknown_one(signed_in, case):
    theirs = signed_in.get(mine_url(case))
    unknown = signed_in.get(f"{MINE}/FTP-2026-9999")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json() == {"detail": "You have no case with that reference."}
    response = signed_in.post(mine_url(case, "/responses"), {"text": "Mine now"})
    assert response.status_code == 404 and response.json() == unknown.json()
    assert not Evidence.objects.exists()


def test_a_response_is_kept_as_evidence_the_registrant_gave(
    signed_in, own_case, caseworker, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            mine_url(own_case, "/responses"),
            {
                "text": "I was on leave.",
                "file": SimpleUploadedFile("leave.pdf", b"%PDF leave record"),
                "file_title": "My leave record",
            },
        )
    assert response.status_code == 201
    sent = response.json()["evidence"]
    assert [e["title"] for e in sent] == ["Response on 2 November 2026", "My leave record"]
    assert sent[1]["sha256"] == hashlib.sha256(b"%PDF leave record").hexdigest()
    text, upload = Evidence.objects.filter(case=own_case).order_by("number")
    assert bytes(text.content) == b"I was on leave." and text.added_by == manager_user
    assert upload.submitted_by == EvidenceParty.REGISTRANT and upload.disclosed
    assert upload.media_type == "application/pdf"
    assert AuditEvent.objects.filter(action="cases.evidence.added").count() == 2
    assert [m.to for m in mail.outbox] == [[caseworker.email]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "Enter your response or choose a file to send"),
        ({"text": "x" * 10_001}, "The request is not valid."),
        ({"file": "empty"}, "The selected file is empty"),
    ],
)
def test_a_bad_response_is_explained_and_nothing_is_kept(signed_in, own_case, data, message):
    if data.get("file") == "empty":
        data = {"file": SimpleUploadedFile("empty.pdf", b"")}
    response = signed_in.post(mine_url(own_case, "/responses"), data)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_a_response_too_large_is_refused(signed_in, own_case, monkeypatch):
    monkeypatch.setattr(case_forms, "MAX_EVIDENCE_BYTES", 5)
    monkeypatch.setattr(case_forms, "FORM_ALLOWANCE_BYTES", 0)
    response = signed_in.post(
        mine_url(own_case, "/responses"),
        {"text": "Long enough", "file": SimpleUploadedFile("a.pdf", b"123456")},
    )
    assert response.status_code == 413 and "must be smaller than" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_a_closed_case_takes_no_response(signed_in, own_case):
    stage_move(case=own_case, move="close_at_triage", actor="test", reason="No case")
    assert signed_in.get(mine_url(own_case)).json()["may_respond"] is False
    response = signed_in.post(mine_url(own_case, "/responses"), {"text": "Late"})
    assert response.status_code == 422 and "The case is closed" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_people_not_on_the_register_have_no_cases_to_see(client, make_user):
    client.force_login(make_user("caseworker"))
    assert client.get(MINE).status_code == 403
    assert client.get(f"{MINE}/FTP-2026-0001").status_code == 403


def test_decisions_sanctions_and_appeals_as_the_registrants_page_shows_them(
    signed_in, own_case, caseworker
):
    """Issued decisions only (never a draft, never who issued it); sanctions a decision
    imposed and interim orders in force; appeals by date and status."""
    determination = Determination.objects.create(
        case=own_case,
        kind=DeterminationKind.PANEL,
        sanction="suspension",
        sanction_reasons="Serious.",
        facts={"1": {"proved": True, "reasons": "Minutes show it."}},
        impaired=True,
        issued_at=clock.now(),
        appeal_by=TODAY + dt.timedelta(days=28),
        issued_by=caseworker,
    )
    Determination.objects.create(
        case=own_case, kind=DeterminationKind.REVIEW, sanction_reasons="Draft thoughts."
    )
    in_six_months = TODAY + dt.timedelta(days=180)
    for kind, interim, status, decided in [
        ("suspension", False, "in_force", determination),
        ("conditions", True, "in_force", None),
        ("suspension", True, "ended", None),
    ]:
        Sanction.objects.create(
            registrant=own_case.registrant,
            case=own_case,
            determination=decided,
            kind=kind,
            interim=interim,
            status=status,
            effective_from=TODAY,
            ends_on=in_six_months,
            review_by=in_six_months,
        )
    Appeal.objects.create(determination=determination, grounds="Too harsh.")
    response = signed_in.get(mine_url(own_case))
    body = response.json()
    (shown,) = body["determinations"]
    assert shown["facts"] == [{"allegation": 1, "proved": True, "reasons": "Minutes show it."}]
    assert shown["issued_on"] == TODAY.isoformat() and shown["kind"] == "panel"
    assert "Draft thoughts." not in response.content.decode()
    assert "Casey Worker" not in response.content.decode()
    sanctions = [(s["kind"], s["interim"], s["review_by"]) for s in body["sanctions"]]
    assert sanctions == [
        ("suspension", False, None),
        ("conditions", True, in_six_months.isoformat()),
    ]
    assert body["appeals"] == [{"lodged_on": TODAY.isoformat(), "status": "lodged"}]
