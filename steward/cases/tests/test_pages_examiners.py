"""The case examiners' pages: their queue, recording a pair's decision (every outcome and
every refusal), the registrant's answer to undertakings, declared interests, and what
the case pages show of the decisions."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases.conflicts import interest_declare
from steward.cases.examiners import examiner_decide
from steward.cases.models import (
    Case,
    DeclaredInterest,
    Determination,
    ExaminerDecision,
    Stage,
    StageChange,
    UndertakingsResponse,
)
from steward.cases.tests.factories import (
    case_make,
    caseworker_make,
    examiner_make,
    examiners_world,
    person_make,
    registrant_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "skip_mfa")]

TODAY = dt.date(2026, 6, 1)
QUEUE = reverse("cases:examiners")
INTERESTS = reverse("cases:interests")
REASONS = "The evidence shows a realistic prospect of a finding of impairment."
UNDERTAKINGS = "Complete training in board governance within six months."


@pytest.fixture
def world(organisation):
    world = examiners_world(organisation)
    world.other_lay = examiner_make("lay", full_name="Lou Otherlay")
    return world


def decide_url(case) -> str:
    return reverse("cases:examiner_decide", kwargs={"reference": case.reference})


def undertakings_url(case) -> str:
    return reverse("cases:mine_undertakings", kwargs={"reference": case.reference})


def detail_url(case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def mine_url(case) -> str:
    return reverse("cases:mine_detail", kwargs={"reference": case.reference})


def _form(case, other, outcome, **extra) -> dict:
    case.refresh_from_db()
    data = {
        "version": case.version,
        "other_examiner": other.pk,
        "outcome": outcome,
        "reasons": REASONS,
    }
    data.update(extra)
    return data


def _unchanged(case, stage=Stage.CASE_EXAMINERS):
    case.refresh_from_db()
    assert case.stage == stage
    assert not ExaminerDecision.objects.filter(case=case).exists()
    assert not Determination.objects.filter(case=case).exists()


def _offer_undertakings(world):
    return examiner_decide(
        case=world.case,
        outcome="undertakings",
        reasons=REASONS,
        undertakings=UNDERTAKINGS,
        lay_examiner=world.lay,
        manager_examiner=world.manager,
        actor=world.lay,
    )


# --- The queue ----------------------------------------------------------------------


def test_the_queue_lists_what_waits_for_the_examiners_and_for_the_registrant(client, world, travel):
    waiting_answer = case_make(stage=Stage.CASE_EXAMINERS)
    travel(dt.date(2026, 6, 3))
    examiner_decide(
        case=waiting_answer,
        outcome="undertakings",
        reasons=REASONS,
        undertakings=UNDERTAKINGS,
        lay_examiner=world.lay,
        manager_examiner=world.manager,
        actor=world.lay,
    )
    investigating = case_make(stage=Stage.INVESTIGATION)
    about_me = case_make(
        registrant=registrant_make(forenames="Mo", surname="Manager", user=world.manager),
        stage=Stage.CASE_EXAMINERS,
    )
    client.force_login(world.manager)
    page = client.get(QUEUE).content.decode()
    assert world.case.reference in page and "Alex Morgan" in page
    assert "The case examiners&#39; decision" in page
    assert decide_url(world.case) in page
    assert waiting_answer.reference in page
    assert "answer to the undertakings offered on 3 June 2026" in page
    assert decide_url(waiting_answer) not in page
    assert investigating.reference not in page
    assert about_me.reference not in page  # never a case about the examiner
    # The longest waiting first.
    assert page.index(world.case.reference) < page.index(waiting_answer.reference)


def test_the_queue_says_when_nothing_waits(client, make_user):
    client.force_login(make_user("case_examiner"))
    assert "Nothing is waiting for the case examiners." in client.get(QUEUE).content.decode()


def test_the_queue_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    _offer_undertakings(world)
    case_make(stage=Stage.CASE_EXAMINERS)
    client.force_login(world.other_lay)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    caseworker = caseworker_make()
    for _ in range(25):
        case_make(stage=Stage.CASE_EXAMINERS, caseworker=caseworker, allegations=0)
    for index in range(30):
        case = case_make(stage=Stage.CASE_EXAMINERS, caseworker=caseworker, allegations=0)
        ExaminerDecision.objects.create(
            case=case,
            outcome="undertakings",
            reasons=REASONS,
            undertakings=f"Undertaking {index}",
            lay_examiner=world.lay,
            manager_examiner=world.manager,
            undertakings_response=UndertakingsResponse.PENDING,
        )
        Case.objects.filter(pk=case.pk).update(stage=Stage.UNDERTAKINGS_OFFERED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(QUEUE).content.decode()
    assert page.count("Record the decision") == 26  # the first page: 50 rows, oldest first
    assert "page=2" in page
    assert client.get(QUEUE, {"page": "nonsense"}).status_code == 200


# --- Recording the decision ---------------------------------------------------------


def test_the_decision_page_offers_only_examiners_of_the_other_category(client, world):
    client.force_login(world.lay)
    page = client.get(decide_url(world.case)).content.decode()
    assert "Record the case examiners' decision" in page
    assert "You are the lay examiner." in page
    assert "Mo Manager" in page
    assert "Lou Otherlay" not in page  # a lay examiner cannot pair with a lay examiner
    for outcome in (
        "No further action",
        "Advice",
        "Warning",
        "Agreed undertakings",
        "Refer to a panel hearing",
    ):
        assert outcome in page
    assert "It is shown on the public register for 5 years." in page


def test_conflicted_examiners_are_shown_with_their_reasons_and_not_offered(client, world):
    conflicted = examiner_make("manager", full_name="Connie Conflicted")
    interest_declare(
        user=conflicted,
        organisation=world.organisation,
        description="Non-executive director",
        from_date=dt.date(2021, 1, 1),
        to_date=None,
        actor=conflicted,
    )
    client.force_login(world.lay)
    page = client.get(decide_url(world.case)).content.decode()
    assert "Examiners who cannot decide this case (1)" in page
    assert "Connie Conflicted declared an interest in Leeds Teaching Hospitals NHS Trust" in page
    assert f'value="{conflicted.pk}"' not in page
    assert f'value="{world.manager.pk}"' in page


def test_the_decision_page_asks_about_conflicts_only_where_there_may_be_one(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.lay)
    with django_assert_max_num_queries(40) as few:
        client.get(decide_url(world.case))
    for index in range(20):
        examiner_make("manager", full_name=f"Manager {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(decide_url(world.case)).content.decode()
    assert "Manager 19" in page


@pytest.mark.parametrize(
    ("outcome", "extra", "stage"),
    [
        ("no_further_action", {}, Stage.CLOSED),
        ("advice", {}, Stage.CLOSED),
        ("warning", {"published_summary": "Warned about board reporting."}, Stage.APPEAL_WINDOW),
        ("undertakings", {"undertakings": UNDERTAKINGS}, Stage.UNDERTAKINGS_OFFERED),
        ("refer_to_panel", {}, Stage.PANEL_HEARING),
    ],
)
def test_each_outcome_is_recorded_through_the_page(
    client, world, outcome, extra, stage, django_capture_on_commit_callbacks
):
    client.force_login(world.lay)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(world.case), _form(world.case, world.manager, outcome, **extra)
        )
    assert response.status_code == 302
    assert response["Location"] == detail_url(world.case) + "#examiners"
    world.case.refresh_from_db()
    assert world.case.stage == stage
    decision = ExaminerDecision.objects.get(case=world.case)
    assert (decision.outcome, decision.reasons) == (outcome, REASONS)
    assert (decision.lay_examiner, decision.manager_examiner) == (world.lay, world.manager)
    assert decision.undertakings == extra.get("undertakings", "")
    assert AuditEvent.objects.filter(action="cases.examiner_decision.recorded").count() == 1
    change = StageChange.objects.filter(case=world.case, from_stage=Stage.CASE_EXAMINERS).get()
    assert change.actor == world.lay
    page = client.get(response["Location"]).content.decode()
    assert "The case examiners&#39; decision on case" in page and "is recorded" in page
    if outcome == "warning":
        determination = Determination.objects.get(case=world.case)
        assert determination.published_summary == "Warned about board reporting."
    if outcome == "undertakings":
        assert mail.outbox and mail.outbox[-1].to == [world.account.email]


def test_the_manager_examiner_records_the_pair_the_right_way_round(client, world):
    client.force_login(world.manager)
    page = client.get(decide_url(world.case)).content.decode()
    assert "You are the manager examiner." in page
    assert "Lee Lay" in page and "Lou Otherlay" in page
    response = client.post(decide_url(world.case), _form(world.case, world.other_lay, "advice"))
    assert response.status_code == 302
    decision = ExaminerDecision.objects.get(case=world.case)
    assert (decision.lay_examiner, decision.manager_examiner) == (world.other_lay, world.manager)


def test_a_summary_is_never_asked_for_a_health_related_warning(client, world):
    Case.objects.filter(pk=world.case.pk).update(health_related=True)
    client.force_login(world.lay)
    page = client.get(decide_url(world.case)).content.decode()
    assert "so the warning is never published" in page
    client.post(
        decide_url(world.case),
        _form(world.case, world.manager, "warning", published_summary="Not to be published"),
    )
    assert Determination.objects.get(case=world.case).published_summary == ""


def test_two_examiners_of_the_same_category_are_refused(client, world):
    client.force_login(world.lay)
    response = client.post(decide_url(world.case), _form(world.case, world.other_lay, "advice"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Lou Otherlay is not a manager case examiner: choose a manager examiner" in page
    _unchanged(world.case)


def test_reasons_are_required(client, world):
    client.force_login(world.lay)
    page = client.post(
        decide_url(world.case), _form(world.case, world.manager, "advice", reasons="  ")
    ).content.decode()
    assert "Enter the reasons for the decision" in page
    _unchanged(world.case)


def test_undertakings_must_be_written_down(client, world):
    client.force_login(world.lay)
    page = client.post(
        decide_url(world.case), _form(world.case, world.manager, "undertakings")
    ).content.decode()
    assert "Write down the undertakings the registrant is asked to agree to" in page
    _unchanged(world.case)


def test_a_conflicted_examiner_is_refused_by_the_service(client, world):
    interest_declare(
        user=world.manager,
        organisation=world.organisation,
        description="Contract for interim services",
        from_date=dt.date(2022, 1, 1),
        to_date=dt.date(2023, 1, 1),
        actor=world.manager,
    )
    client.force_login(world.lay)
    page = client.post(
        decide_url(world.case), _form(world.case, world.manager, "refer_to_panel")
    ).content.decode()
    assert "Mo Manager cannot decide this case: Mo Manager declared an interest in" in page
    _unchanged(world.case)


def test_an_examiner_with_a_conflict_is_told_and_cannot_decide(client, world):
    interest_declare(
        user=world.lay,
        organisation=world.organisation,
        description="Former governor",
        from_date=None,
        to_date=None,
        actor=world.lay,
    )
    client.force_login(world.lay)
    page = client.get(decide_url(world.case)).content.decode()
    assert "You cannot decide this case" in page
    assert "Lee Lay declared an interest in Leeds Teaching Hospitals NHS Trust" in page
    assert "Record the decision</button>" not in page
    page = client.post(
        decide_url(world.case), _form(world.case, world.manager, "advice")
    ).content.decode()
    assert "Lee Lay cannot decide this case" in page
    _unchanged(world.case)


def test_a_case_at_another_stage_is_refused(client, world):
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.INVESTIGATION)
    client.force_login(world.lay)
    page = client.get(decide_url(world.case)).content.decode()
    assert "there is no decision to record" in page
    page = client.post(
        decide_url(world.case), _form(world.case, world.manager, "advice")
    ).content.decode()
    assert "The case examiners decide a case once it has been referred to them" in page
    _unchanged(world.case, Stage.INVESTIGATION)


def test_a_case_changed_since_the_page_was_opened_is_not_decided(client, world):
    client.force_login(world.lay)
    data = _form(world.case, world.manager, "advice")
    Case.objects.filter(pk=world.case.pk).update(version=world.case.version + 1)
    page = client.post(decide_url(world.case), data).content.decode()
    assert "The case has changed since you opened this page" in page
    assert f'name="version" value="{world.case.version + 1}"' in page
    assert REASONS in page  # what was typed is kept
    _unchanged(world.case)


@pytest.mark.parametrize(
    "change",
    [
        {"other_examiner": "not-a-number"},
        {"other_examiner": "999999"},
        {"outcome": "suspension"},
        {"version": "x"},
        {"reasons": "x" * 20_001},
    ],
)
def test_bad_input_changes_nothing(client, world, change):
    client.force_login(world.lay)
    response = client.post(
        decide_url(world.case), {**_form(world.case, world.manager, "advice"), **change}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    _unchanged(world.case)


def test_someone_not_an_examiner_is_refused_from_the_list(client, world, make_user):
    caseworker = make_user("caseworker")
    client.force_login(world.lay)
    page = client.post(
        decide_url(world.case), _form(world.case, caseworker, "advice")
    ).content.decode()
    assert "Choose the other examiner from the list" in page
    _unchanged(world.case)


def test_the_decision_page_for_wrong_cases_and_people(client, world, make_user):
    client.force_login(world.lay)
    missing = reverse("cases:examiner_decide", kwargs={"reference": "FTP-2026-9999"})
    assert client.get(missing).status_code == 404
    about_me = case_make(
        registrant=registrant_make(forenames="Lee", surname="Lay", user=world.lay),
        stage=Stage.CASE_EXAMINERS,
    )
    assert client.get(decide_url(about_me)).status_code == 403
    client.force_login(make_user("caseworker"))
    assert client.get(decide_url(world.case)).status_code == 403
    assert client.post(decide_url(world.case), {}).status_code == 403


# --- The regulator's case page -------------------------------------------------------


def test_the_case_page_shows_the_decision_with_both_examiners(client, world):
    _offer_undertakings(world)
    client.force_login(world.case.caseworker)
    page = client.get(detail_url(world.case)).content.decode()
    assert '<h2 id="examiners">Case examiners</h2>' in page
    assert "Agreed undertakings, decided on 1 June 2026" in page
    assert "Lee Lay" in page and "Mo Manager" in page
    assert REASONS in page and UNDERTAKINGS in page
    assert "Waiting for the registrant" in page
    assert "Record the case examiners&#39; decision" not in page


def test_the_case_page_offers_the_decision_to_an_examiner_at_that_stage(client, world):
    client.force_login(world.case.caseworker)
    page = client.get(detail_url(world.case)).content.decode()
    assert 'id="examiners"' not in page  # nothing to show a caseworker yet
    client.force_login(world.lay)
    page = client.get(detail_url(world.case)).content.decode()
    assert 'id="examiners"' in page
    assert "Record the case examiners&#39; decision" in page and decide_url(world.case) in page
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.INVESTIGATION)
    page = client.get(detail_url(world.case)).content.decode()
    assert 'id="examiners"' not in page


# --- The registrant ----------------------------------------------------------------


def test_the_registrant_reads_the_decision_without_staff_names(client, world):
    _offer_undertakings(world)
    client.force_login(world.account)
    page = client.get(mine_url(world.case)).content.decode()
    assert "The case examiners' decision" in page
    assert "The case examiners offered you undertakings" in page
    assert UNDERTAKINGS in page and REASONS in page
    assert "The case examiners are waiting for your answer." in page
    assert undertakings_url(world.case) in page
    for name in ("Lee Lay", "Mo Manager", "Casey Worker"):
        assert name not in page


def test_the_registrant_reads_a_warning_in_plain_english(client, world):
    examiner_decide(
        case=world.case,
        outcome="warning",
        reasons=REASONS,
        lay_examiner=world.lay,
        manager_examiner=world.manager,
        actor=world.manager,
    )
    client.force_login(world.account)
    page = client.get(mine_url(world.case)).content.decode()
    assert "The case examiners gave you a warning." in page
    assert "shown on your public register entry for 5 years" in page
    assert "Lee Lay" not in page and "Mo Manager" not in page


def test_the_registrant_accepts_the_undertakings(client, world):
    decision = _offer_undertakings(world)
    client.force_login(world.account)
    page = client.get(undertakings_url(world.case)).content.decode()
    assert UNDERTAKINGS in page and REASONS in page
    assert "Refusing sends your case to a panel hearing" in page
    assert "Lee Lay" not in page and "Mo Manager" not in page
    world.case.refresh_from_db()
    response = client.post(
        undertakings_url(world.case), {"version": world.case.version, "answer": "accept"}
    )
    assert response["Location"] == mine_url(world.case) + "#examiners"
    decision.refresh_from_db()
    assert decision.undertakings_response == UndertakingsResponse.ACCEPTED
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL_WINDOW
    assert StageChange.objects.filter(
        case=world.case, from_stage=Stage.UNDERTAKINGS_OFFERED, to_stage=Stage.ACCEPTED_OUTCOME
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "You accepted the undertakings." in page
    assert "You accepted the undertakings on 1 June 2026." in page
    # Answered once: the page says so, and a second answer is refused.
    page = client.get(undertakings_url(world.case)).content.decode()
    assert "Send your answer" not in page
    page = client.post(
        undertakings_url(world.case), {"version": world.case.version, "answer": "refuse"}
    ).content.decode()
    assert "These undertakings were already answered: accepted on 1 June 2026." in page
    decision.refresh_from_db()
    assert decision.undertakings_response == UndertakingsResponse.ACCEPTED


def test_the_registrant_refuses_the_undertakings_and_the_case_goes_to_a_panel(client, world):
    decision = _offer_undertakings(world)
    client.force_login(world.account)
    world.case.refresh_from_db()
    response = client.post(
        undertakings_url(world.case), {"version": world.case.version, "answer": "refuse"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.undertakings_response == UndertakingsResponse.REFUSED
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PANEL_HEARING
    assert not Determination.objects.filter(case=world.case).exists()
    page = client.get(mine_url(world.case)).content.decode()
    assert "Your case has been referred to a panel hearing" in page
    assert "so your case went to a panel hearing" in page
    client.force_login(world.case.caseworker)
    page = client.get(detail_url(world.case)).content.decode()
    assert "Refused on 1 June 2026: the case went to a panel hearing" in page


@pytest.mark.parametrize("data", [{}, {"answer": "maybe"}, {"answer": "accept", "version": ""}])
def test_an_answer_must_be_chosen(client, world, data):
    decision = _offer_undertakings(world)
    client.force_login(world.account)
    world.case.refresh_from_db()
    page = client.post(
        undertakings_url(world.case), {"version": world.case.version, **data}
    ).content.decode()
    assert "There is a problem" in page
    decision.refresh_from_db()
    assert decision.undertakings_response == UndertakingsResponse.PENDING
    world.case.refresh_from_db()
    assert world.case.stage == Stage.UNDERTAKINGS_OFFERED


def test_a_stale_answer_is_not_taken(client, world):
    decision = _offer_undertakings(world)
    client.force_login(world.account)
    page = client.post(
        undertakings_url(world.case), {"version": 1, "answer": "accept"}
    ).content.decode()
    assert "Your case has changed since you opened this page" in page
    decision.refresh_from_db()
    assert decision.undertakings_response == UndertakingsResponse.PENDING


def test_nobody_else_sees_or_answers_the_undertakings(client, world, make_user):
    _offer_undertakings(world)
    someone = person_make("registrant")
    registrant_make(forenames="Sam", surname="Else", user=someone)
    client.force_login(someone)
    assert client.get(undertakings_url(world.case)).status_code == 404
    assert client.post(undertakings_url(world.case), {"answer": "refuse"}).status_code == 404
    client.force_login(world.account)
    other_case = case_make(registrant=world.registrant, stage=Stage.INVESTIGATION)
    assert client.get(undertakings_url(other_case)).status_code == 404  # none offered
    client.force_login(world.lay)
    assert client.get(undertakings_url(world.case)).status_code == 403
    world.case.refresh_from_db()
    assert world.case.stage == Stage.UNDERTAKINGS_OFFERED


# --- Declared interests ------------------------------------------------------------


def test_an_examiner_searches_for_the_organisation_and_declares_an_interest(client, world):
    client.force_login(world.manager)
    page = client.get(INTERESTS).content.decode()
    assert "You have not declared any interests." in page
    page = client.post(
        INTERESTS,
        {"action": "search", "q": "leeds teaching", "description": "Non-executive director"},
    ).content.decode()
    assert "There is a problem" not in page
    assert 'value="RR8"' in page and "Leeds Teaching Hospitals NHS Trust (RR8)" in page
    assert 'value="Non-executive director"' in page  # what was typed is kept
    response = client.post(
        INTERESTS,
        {
            "action": "declare",
            "q": "leeds teaching",
            "organisation": "RR8",
            "description": "Non-executive director",
            "from_date_day": "1",
            "from_date_month": "4",
            "from_date_year": "2019",
        },
    )
    assert response["Location"] == INTERESTS + "#interests"
    interest = DeclaredInterest.objects.get(user=world.manager)
    assert interest.organisation == world.organisation
    assert (interest.from_date, interest.to_date) == (dt.date(2019, 4, 1), None)
    assert AuditEvent.objects.filter(action="cases.interest.declared").count() == 1
    page = client.get(INTERESTS).content.decode()
    assert "Your interest in Leeds Teaching Hospitals NHS Trust is declared." in page
    assert "Non-executive director" in page and "1 April 2019" in page and "Continuing" in page
    # The declaration now stops them deciding the case.
    page = client.get(decide_url(world.case)).content.decode()
    assert "You cannot decide this case" in page


def test_a_panel_member_declares_an_interest_by_ods_code(client, world, make_user):
    member = make_user("panel_member", panel_category="manager")
    client.force_login(member)
    client.post(
        INTERESTS,
        {
            "action": "declare",
            "q": "rr8",
            "organisation": "RR8",
            "description": "Sister is a ward manager there",
        },
    )
    assert DeclaredInterest.objects.filter(user=member, organisation__ods_code="RR8").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "search", "q": ""}, "Enter the organisation&#39;s name or ODS code"),
        ({"q": "", "description": "Director"}, "Search for the organisation the interest is in"),
        ({"q": "leeds", "description": "Director"}, "Select the organisation the interest is in"),
        (
            {"q": "leeds", "organisation": "ZZZ", "description": "Director"},
            "Search again, and select one of the results",
        ),
        ({"q": "leeds", "organisation": "RR8"}, "Describe the interest"),
        (
            {
                "q": "leeds",
                "organisation": "RR8",
                "description": "Director",
                "from_date_day": "1",
                "from_date_month": "1",
                "from_date_year": "2030",
            },
            "The start date must be today or in the past",
        ),
        (
            {
                "q": "leeds",
                "organisation": "RR8",
                "description": "Director",
                "from_date_day": "1",
                "from_date_month": "1",
                "from_date_year": "2022",
                "to_date_day": "1",
                "to_date_month": "1",
                "to_date_year": "2021",
            },
            "The end date must be the same as or after the start date",
        ),
        (
            {
                "q": "leeds",
                "organisation": "RR8",
                "description": "Director",
                "from_date_day": "31",
                "from_date_month": "2",
                "from_date_year": "2022",
            },
            "Start date must be a real date",
        ),
        ({"q": "leeds\x00", "organisation": "RR8", "description": "D\x00"}, "There is a problem"),
    ],
)
def test_bad_declarations_change_nothing(client, world, data, message):
    client.force_login(world.lay)
    response = client.post(INTERESTS, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not DeclaredInterest.objects.exists()


def test_the_problems_are_listed_in_the_order_of_the_page(client, world):
    client.force_login(world.lay)
    page = client.post(INTERESTS, {"q": "leeds"}).content.decode()
    assert page.index('href="#id_organisation"') < page.index('href="#id_description"')


def test_a_search_with_no_match_says_so(client, world):
    client.force_login(world.lay)
    page = client.post(INTERESTS, {"action": "search", "q": "nowhere at all"}).content.decode()
    assert "No NHS organisation matches your search" in page


def test_the_interests_page_lists_only_your_own_interests(client, world, make_user):
    interest_declare(
        user=world.manager,
        organisation=world.organisation,
        description="Manager's interest",
        from_date=None,
        to_date=None,
        actor=world.manager,
    )
    client.force_login(world.lay)
    assert "Manager&#39;s interest" not in client.get(INTERESTS).content.decode()
    client.force_login(make_user("caseworker"))
    assert client.get(INTERESTS).status_code == 403
