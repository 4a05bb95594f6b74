"""The assessment pages: the organisation's year, an assessment, recording, concluding,
the director's own tasks, referrals and opening a year."""

import datetime as dt

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.core import clock
from steward.fitness import services
from steward.fitness.models import (
    AssessmentOutcome,
    CheckKind,
    CheckOutcome,
    CompetencyRating,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
    SelfAttestation,
)
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
    other_organisation,
)
from steward.references.models import BoardMemberReference
from steward.register import services as register_services
from steward.register.models import RoleCategory
from steward.standards.selectors import version_in_force

pytestmark = pytest.mark.django_db

TODAY = clock.today()
YEAR = TODAY.year


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    text = html(response)
    assert "nhsuk-error-summary" in text, "expected the NHS error summary"
    return text


def year_url(ods_code="RR8", year=YEAR) -> str:
    return reverse("fitness:organisation_year", kwargs={"ods_code": ods_code, "year": year})


def assessment_url(assessment) -> str:
    return reverse("fitness:assessment", kwargs={"pk": assessment.pk})


def check_url(assessment, kind) -> str:
    return reverse("fitness:check", kwargs={"pk": assessment.pk, "kind": kind})


def conclude_url(assessment) -> str:
    return reverse("fitness:conclude", kwargs={"pk": assessment.pk})


@pytest.fixture(autouse=True)
def skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own


@pytest.fixture
def login(client, make_user, organisation):
    def sign_in(role, **kwargs):
        kwargs.setdefault("organisation", organisation if role in EMPLOYERS else None)
        user = make_user(role, **kwargs)
        client.force_login(user)
        return user

    return sign_in


EMPLOYERS = {"chair", "chief_executive", "senior_independent_director", "hr_lead"}


@pytest.fixture
def executive(organisation):
    return board_member(organisation, title="Chief Finance Officer", names=("Ada", "Okafor"))


@pytest.fixture
def assessment(executive):
    return assessment_for(executive)


# --- /fitness/ --------------------------------------------------------------------


def test_an_employer_at_one_organisation_goes_to_its_current_year(client, login):
    login("hr_lead")
    response = client.get(reverse("fitness:organisation_start"))
    assert response.status_code == 302
    assert response["Location"] == year_url()


def test_an_employer_at_several_organisations_chooses(client, make_user, organisation, region):
    elsewhere = other_organisation(region, name="Bradford Teaching Hospitals NHS Trust")
    user = make_user("chair", organisation=organisation)
    from steward.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role="hr_lead", organisation=elsewhere)
    client.force_login(user)

    response = client.get(reverse("fitness:organisation_start"))

    assert response.status_code == 200
    text = html(response)
    assert "Bradford Teaching Hospitals NHS Trust" in text
    assert year_url(elsewhere.ods_code) in text
    assert year_url() in text


# --- The organisation's year --------------------------------------------------------


def test_the_year_page_lists_board_members_with_their_status(client, login, organisation):
    chair = board_member(organisation, category=RoleCategory.CHAIR, title="Chair")
    ready = complete_checks(assessment_for(chair))
    not_started = assessment_for(board_member(organisation, names=("Nia", "Jones")))
    board_member(organisation, names=("Nora", "Notopened"))
    login("chief_executive")

    response = client.get(year_url())

    assert response.status_code == 200
    text = html(response)
    assert f"Fit and proper person assessments {YEAR}" in text
    assert "Ready to conclude" in text
    assert "Not started" in text
    assert "Not opened" in text
    assert "Nora Notopened" in text
    assert assessment_url(ready) in text and assessment_url(not_started) in text
    assert reverse("fitness:return", kwargs={"ods_code": "RR8", "year": YEAR}) in text
    assert "3 board members" in text
    # The counts by status, as a table and as a chart beside it.
    assert 'id="assessment-status-chart"' in text
    assert "Ready to conclude: 1" in text


def test_the_year_page_runs_a_fixed_number_of_queries(
    client, login, organisation, django_assert_max_num_queries
):
    login("chair")
    for _ in range(3):
        assessment_for(board_member(organisation))
    client.get(year_url())  # warm up sessions and caches
    for _ in range(20):
        assessment_for(board_member(organisation))
    with django_assert_max_num_queries(16):
        response = client.get(year_url())
    assert html(response).count("In progress") + html(response).count("Not started") >= 23


def test_the_year_page_is_refused_to_employers_elsewhere(client, make_user, region, organisation):
    client.force_login(make_user("chair", organisation=other_organisation(region)))
    assert client.get(year_url()).status_code == 403


def test_the_regional_director_sees_the_year_read_only(client, make_user, region, organisation):
    assessment_for(board_member(organisation))
    client.force_login(make_user("regional_director", region=region))

    response = client.get(year_url())

    assert response.status_code == 200
    assert "as the regional director" in html(response)


def test_a_regional_director_elsewhere_is_refused(client, make_user, organisation):
    from steward.organisations.models import Region

    london = Region.objects.create(code="Y56", name="London", slug="london")
    client.force_login(make_user("regional_director", region=london))
    assert client.get(year_url()).status_code == 403


@pytest.mark.parametrize("path", ["/fitness/ZZZ9/2026/", "/fitness/RR8/1999/"])
def test_unknown_organisations_and_years_are_not_found(client, login, path):
    login("chair")
    assert client.get(path).status_code == 404


# --- An assessment ----------------------------------------------------------------


def test_the_assessment_page_shows_every_check_and_who_may_change_it(client, login, assessment):
    FitnessCheck.objects.filter(assessment=assessment, kind=CheckKind.IDENTITY).update(
        outcome=CheckOutcome.SATISFACTORY,
        checked_on=dt.date(YEAR, 2, 3),
        evidence_reference="Passport 123",
        checked_by_label="Hari Lead",
    )
    login("hr_lead")

    response = client.get(assessment_url(assessment))

    text = html(response)
    for kind in CheckKind:
        assert kind.label in text
    assert f"Checked on 3 February {YEAR}" in text
    assert "Evidence: Passport 123" in text
    assert "By Hari Lead" in text
    assert check_url(assessment, CheckKind.IDENTITY) in text
    assert check_url(assessment, CheckKind.REGISTER_STATUS) not in text
    assert check_url(assessment, CheckKind.COMPETENCY) not in text
    assert "Filled in by Steward from the register" in text
    assert "Still pending" in text
    assert conclude_url(assessment) not in text


def test_the_chief_executive_sees_the_assessment_without_change_links(client, login, assessment):
    login("chief_executive")
    text = html(client.get(assessment_url(assessment)))
    assert check_url(assessment, CheckKind.IDENTITY) not in text


def test_the_chair_is_offered_the_conclusion_when_every_check_is_done(client, login, assessment):
    complete_checks(assessment)
    login("chair")
    text = html(client.get(assessment_url(assessment)))
    assert conclude_url(assessment) in text
    assert "Conclude this assessment" in text


def test_restricted_history_is_shown_to_the_organisations_employers_and_audited(
    client, login, assessment, executive, region
):
    earlier = other_organisation(region, name="Wakefield Hospitals NHS Trust")
    register_services.career_role_add(
        registrant=executive.registrant,
        organisation=earlier,
        title="Director of Finance",
        category=RoleCategory.EXECUTIVE_DIRECTOR,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
        settlement_agreement=True,
        actor="tests",
        reason="test data",
    )
    BoardMemberReference.objects.create(
        registrant=executive.registrant,
        referee_organisation=earlier,
        roles_and_dates="Director of Finance 2015 to 2019",
        disciplinary_findings="no",
        investigations="no",
        upheld_concerns="yes",
        upheld_concerns_details="A grievance about bullying was upheld in 2019.",
        fitness_outcomes="no",
        settlement_agreements="yes",
        settlement_agreements_details="Left under a settlement agreement.",
        referee_name="Rita Referee",
        referee_job_title="Chief People Officer",
        completed_by_label="Rita Referee",
    )
    user = login("senior_independent_director")

    text = html(client.get(assessment_url(assessment)))

    assert "From their record" in text
    assert "On leaving Director of Finance, Wakefield Hospitals NHS Trust" in text
    assert "A grievance about bullying was upheld in 2019." in text
    event = AuditEvent.objects.filter(action="register.registrant.restricted_viewed").last()
    assert event.actor == user
    assert event.subject_id == str(executive.registrant_id)
    assert "settlement_agreements" in event.payload


def test_the_regional_director_does_not_see_restricted_history(
    client, make_user, region, assessment, executive
):
    client.force_login(make_user("regional_director", region=region))
    before = AuditEvent.objects.filter(action__endswith="restricted_viewed").count()

    text = html(client.get(assessment_url(assessment)))

    assert "From their record" not in text
    # Their view of the assessment itself is recorded; the history was not shown.
    views = AuditEvent.objects.filter(action__endswith="restricted_viewed")
    assert views.count() == before + 1
    assert "settlement_agreements" not in views.last().payload_data["fields"]
    assert check_url(assessment, CheckKind.IDENTITY) not in text


@pytest.mark.parametrize("pk", [999999, 2**64])
def test_an_unknown_assessment_is_not_found(client, login, pk):
    login("chair")
    assert client.get(reverse("fitness:assessment", kwargs={"pk": pk})).status_code == 404
    assert client.get(reverse("fitness:conclude", kwargs={"pk": pk})).status_code == 404


# --- Recording a check --------------------------------------------------------------


def check_data(check, **overrides) -> dict:
    return {
        "outcome": "satisfactory",
        "not_applicable_reason": "",
        "checked_on_day": str(TODAY.day),
        "checked_on_month": str(TODAY.month),
        "checked_on_year": str(TODAY.year),
        "evidence_reference": "DBS 001",
        "note": "",
        "version": str(check.version),
        **overrides,
    }


def test_the_hr_lead_records_a_check_on_its_page(client, login, assessment):
    user = login("hr_lead")
    check = FitnessCheck.objects.get(assessment=assessment, kind=CheckKind.CRIMINAL_RECORD)

    page = client.get(check_url(assessment, CheckKind.CRIMINAL_RECORD))
    assert "Criminal record check" in html(page)
    assert "Disclosure and Barring Service" in html(page)

    response = client.post(check_url(assessment, CheckKind.CRIMINAL_RECORD), check_data(check))

    assert response.status_code == 302
    assert response["Location"] == assessment_url(assessment)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.SATISFACTORY
    assert check.checked_by == user
    assert "Criminal record check recorded for Ada Okafor" in html(client.get(response["Location"]))


def test_not_applicable_without_a_reason_is_shown_as_an_error(client, login, assessment):
    login("chair")
    check = FitnessCheck.objects.get(assessment=assessment, kind=CheckKind.QUALIFICATIONS)

    response = client.post(
        check_url(assessment, CheckKind.QUALIFICATIONS),
        check_data(check, outcome="not_applicable"),
    )

    assert response.status_code == 200
    assert "Enter why this check does not apply" in error_summary(response)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"outcome": ""}, "Select the outcome of the check"),
        ({"checked_on_day": "", "checked_on_month": "", "checked_on_year": ""}, "Enter the date"),
        ({"checked_on_day": "31", "checked_on_month": "2"}, "must be a real date"),
        ({"checked_on_year": str(YEAR + 1)}, "must be on or before"),
        ({"version": "abc"}, "Reload it and try again"),
    ],
)
def test_bad_input_on_the_check_page_changes_nothing(client, login, assessment, overrides, message):
    login("hr_lead")
    check = FitnessCheck.objects.get(assessment=assessment, kind=CheckKind.IDENTITY)

    response = client.post(
        check_url(assessment, CheckKind.IDENTITY), check_data(check, **overrides)
    )

    assert response.status_code == 200
    assert message in error_summary(response)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING


def test_a_stale_check_form_is_refused(client, login, assessment):
    login("hr_lead")
    check = FitnessCheck.objects.get(assessment=assessment, kind=CheckKind.IDENTITY)
    stale = check_data(check, outcome="concern")
    FitnessCheck.objects.filter(pk=check.pk).update(version=check.version + 1)

    response = client.post(check_url(assessment, CheckKind.IDENTITY), stale)

    assert "Someone else changed this assessment" in error_summary(response)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING


@pytest.mark.parametrize("kind", ["register_status", "competency", "self_attestation", "nope"])
def test_checks_the_assessor_does_not_record_have_no_page(client, login, assessment, kind):
    login("hr_lead")
    assert client.get(check_url(assessment, kind)).status_code == 404


def test_a_concluded_assessments_check_page_sends_you_back(client, login, assessment, make_user):
    complete_checks(assessment)
    chair = make_user("chair", organisation=assessment.organisation)
    services.assessment_conclude(
        assessment=assessment,
        expected_version=assessment.version,
        outcome=AssessmentOutcome.FIT,
        reasons="Fine.",
        actor=chair,
    )
    login("hr_lead")

    response = client.get(check_url(assessment, CheckKind.IDENTITY), follow=True)

    assert "can no longer change" in html(response)
    assert check_url(assessment, CheckKind.IDENTITY) not in html(response)


# --- Concluding ---------------------------------------------------------------------


def test_the_chair_concludes_on_the_conclude_page(client, login, assessment):
    complete_checks(assessment)
    login("chair")

    page = client.get(conclude_url(assessment))
    assert "Steward refers the outcome to the regulator" in html(page)

    response = client.post(
        conclude_url(assessment),
        {
            "outcome": "fit_and_proper",
            "reasons": "All satisfactory.",
            "version": assessment.version,
        },
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.outcome == AssessmentOutcome.FIT
    text = html(client.get(assessment_url(assessment)))
    assert "All satisfactory." in text
    assert "A concluded assessment cannot be changed." in text


def test_not_fit_on_the_conclude_page_makes_a_referral(client, login, assessment):
    complete_checks(assessment)
    login("chair")

    client.post(
        conclude_url(assessment),
        {
            "outcome": "not_fit_and_proper",
            "reasons": "Undeclared conviction.",
            "version": assessment.version,
        },
    )

    referral = NotFitReferral.objects.get(assessment=assessment)
    text = html(client.get(assessment_url(assessment)))
    assert referral.reference in text
    assert "Not fit and proper" in text


def test_conclusion_without_reasons_shows_an_error(client, login, assessment):
    complete_checks(assessment)
    login("chair")

    response = client.post(
        conclude_url(assessment), {"outcome": "fit_and_proper", "version": assessment.version}
    )

    assert "Enter the reasons for your conclusion" in error_summary(response)
    assessment.refresh_from_db()
    assert not assessment.is_concluded


def test_the_conclude_page_explains_pending_checks(client, login, assessment):
    complete_checks(assessment, leave_pending=[CheckKind.SOCIAL_MEDIA])
    login("chair")

    page = client.get(conclude_url(assessment))
    assert "while checks are pending: Social media" in html(page)
    response = client.post(
        conclude_url(assessment),
        {"outcome": "fit_and_proper", "reasons": "Fine.", "version": assessment.version},
    )

    assert "while checks are pending: Social media" in error_summary(response)
    assessment.refresh_from_db()
    assert not assessment.is_concluded


def test_the_senior_independent_director_concludes_the_chairs_assessment_on_the_page(
    client, login, organisation
):
    chair_assessment = complete_checks(
        assessment_for(board_member(organisation, category=RoleCategory.CHAIR, title="Chair"))
    )
    login("senior_independent_director")

    response = client.post(
        conclude_url(chair_assessment),
        {"outcome": "fit_and_proper", "reasons": "Fine.", "version": chair_assessment.version},
    )

    assert response.status_code == 302
    chair_assessment.refresh_from_db()
    assert chair_assessment.concluded_as == "senior_independent_director"


def test_the_chair_cannot_open_the_conclude_page_of_their_own_role(client, login, organisation):
    chair_assessment = assessment_for(
        board_member(organisation, category=RoleCategory.CHAIR, title="Chair")
    )
    login("chair")
    assert client.get(conclude_url(chair_assessment)).status_code == 403


# --- The director's own ----------------------------------------------------------


@pytest.fixture
def director(client, make_user):
    user = make_user("registrant", full_name="Dana Director")
    client.force_login(user)
    return user


@pytest.fixture
def own(organisation, director):
    return assessment_for(board_member(organisation, user=director, names=("Dana", "Director")))


def test_the_director_sees_their_assessments_and_tasks(client, director, own):
    response = client.get(reverse("fitness:mine"))

    text = html(response)
    assert f"{YEAR}: Chief Nursing Officer, Leeds Teaching Hospitals NHS Trust" in text
    assert reverse("fitness:competency", kwargs={"pk": own.pk}) in text
    assert reverse("fitness:attestation", kwargs={"pk": own.pk}) in text
    assert "To do" in text


def test_the_directors_page_runs_a_fixed_number_of_queries(client, director, own):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def concluded(assessment):
        FitnessAssessment.objects.filter(pk=assessment.pk).update(
            outcome=AssessmentOutcome.FIT,
            conclusion_reasons="Every check satisfactory.",
            concluded_as="chair",
            concluded_at=clock.now(),
            concluded_by_label="The chair",
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("fitness:mine"))
        assert response.status_code == 200
        return len(captured)

    concluded(assessment_for(own.career_role, year=YEAR - 1))
    client.get(reverse("fitness:mine"))  # warm up sessions and caches
    few = queries()
    for years_ago in range(2, 6):
        concluded(assessment_for(own.career_role, year=YEAR - years_ago))
    text = html(client.get(reverse("fitness:mine")))
    assert text.count("Every check satisfactory.") == 5
    assert queries() == few


def test_the_director_completes_the_competency_self_assessment(client, director, own):
    url = reverse("fitness:competency", kwargs={"pk": own.pk})
    domains = list(version_in_force(on=TODAY).competency_domains.all())

    page = html(client.get(url))
    for domain in domains:
        assert domain.name in page
        assert domain.description[:40] in page

    data = {}
    for domain in domains:
        data[f"rating_{domain.ref}"] = "capable"
        data[f"evidence_{domain.ref}"] = f"I led work on {domain.name}."
    missing = dict(data)
    missing.pop(f"evidence_{domains[0].ref}")
    response = client.post(url, missing)
    assert f"Enter evidence for your rating for {domains[0].name}" in error_summary(response)
    assert not CompetencyRating.objects.exists()

    response = client.post(url, data)

    assert response.status_code == 302
    assert CompetencyRating.objects.filter(assessment=own).count() == len(domains) == 6
    check = FitnessCheck.objects.get(assessment=own, kind=CheckKind.COMPETENCY)
    assert check.outcome == CheckOutcome.SATISFACTORY


def test_the_director_attests(client, director, own):
    url = reverse("fitness:attestation", kwargs={"pk": own.pk})
    page = html(client.get(url))
    for statement in services.ATTESTATION_STATEMENTS[:3]:
        assert statement.split(",")[0][:30] in page.replace("&#39;", "'")

    response = client.post(url, {"confirms": "no", "declarations": ""})
    assert "Enter what you need to declare" in error_summary(response)

    response = client.post(url, {"confirms": "yes", "declarations": ""})
    assert response.status_code == 302
    assert SelfAttestation.objects.get(assessment=own).confirms_requirements is True


def test_someone_else_cannot_open_the_directors_pages(client, own, make_user, organisation):
    client.force_login(make_user("chair", organisation=organisation))
    assert client.get(reverse("fitness:competency", kwargs={"pk": own.pk})).status_code == 403
    assert client.get(reverse("fitness:attestation", kwargs={"pk": own.pk})).status_code == 403


# --- Referrals --------------------------------------------------------------------


@pytest.fixture
def referral(assessment, make_user):
    complete_checks(assessment)
    chair = make_user("chair", organisation=assessment.organisation)
    services.assessment_conclude(
        assessment=assessment,
        expected_version=assessment.version,
        outcome=AssessmentOutcome.NOT_FIT,
        reasons="Undeclared conviction for fraud.",
        actor=chair,
    )
    return NotFitReferral.objects.get()


def test_the_registrar_reads_and_acknowledges_a_referral(client, login, referral):
    user = login("registrar")

    listing = html(client.get(reverse("fitness:referrals")))
    assert referral.reference in listing
    assert "Waiting" in listing

    url = reverse("fitness:referral", kwargs={"pk": referral.pk})
    page = html(client.get(url))
    assert "Undeclared conviction for fraud." in page
    assert "Ada Okafor" in page
    assert AuditEvent.objects.filter(
        action="register.registrant.restricted_viewed", actor=user
    ).exists()

    response = client.post(url)

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.acknowledged_by == user
    again = client.post(url)
    assert "already acknowledged" in html(again)


@pytest.mark.parametrize("pk", [99999, 2**64])
def test_an_unknown_referral_is_not_found(client, login, pk):
    login("caseworker")
    assert client.get(reverse("fitness:referral", kwargs={"pk": pk})).status_code == 404


# --- Opening a year ----------------------------------------------------------------


def test_the_administrator_opens_a_year(client, login, organisation):
    for _ in range(3):
        board_member(organisation)
    login("administrator")

    page = html(client.get(reverse("fitness:open_year")))
    assert "3 board members are in post at 1 organisation" in page

    response = client.post(reverse("fitness:open_year"), {"year": str(YEAR)}, follow=True)

    assert f"Opened 3 assessments for {YEAR} at 1 organisations." in html(response)
    assert FitnessAssessment.objects.filter(year=YEAR).count() == 3
    again = client.post(reverse("fitness:open_year"), {"year": str(YEAR)}, follow=True)
    assert "Opened 0 assessments" in html(again)
    assert "3 board members already had one" in html(again)
    assert 'id="assessment-years-chart"' in html(again)
    assert f"{YEAR} opened: 3" in html(again)


@pytest.mark.parametrize(
    ("year", "message"),
    [("", "Enter the year to open"), ("twenty", "Year must be a number"), ("1999", "from 2023")],
)
def test_a_bad_year_is_refused_on_the_page(client, login, year, message):
    login("administrator")
    response = client.post(reverse("fitness:open_year"), {"year": year})
    assert message in error_summary(response)
    assert not FitnessAssessment.objects.exists()


def test_declarations_are_shown_to_the_employers_but_not_the_region(
    client, make_user, organisation, region
):
    director = make_user("registrant")
    own = assessment_for(board_member(organisation, user=director))
    services.self_attestation_submit(
        assessment=own,
        confirms_requirements=False,
        declarations="An individual voluntary arrangement in 2019.",
        actor=director,
    )
    client.force_login(make_user("hr_lead", organisation=organisation))
    assert "An individual voluntary arrangement in 2019." in html(client.get(assessment_url(own)))
    client.force_login(make_user("regional_director", region=region))
    text = html(client.get(assessment_url(own)))
    assert "An individual voluntary arrangement" not in text
    assert "declared something" in text
