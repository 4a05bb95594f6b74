"""The rules of the fit and proper person test, through its services."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent
from steward.core import clock
from steward.fitness import selectors, services
from steward.fitness.models import (
    AssessmentOutcome,
    AssessmentTrigger,
    CheckKind,
    CheckOutcome,
    CompetencyRating,
    ConcludedAs,
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
from steward.notifications.models import Notification
from steward.register import services as register_services
from steward.register.models import RegisterStatus, Registrant, RoleCategory
from steward.standards.selectors import version_in_force

pytestmark = pytest.mark.django_db

TODAY = clock.today()
YEAR = TODAY.year
FIT = AssessmentOutcome.FIT
NOT_FIT = AssessmentOutcome.NOT_FIT


def events(action: str):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def chair_user(make_user, organisation):
    return make_user("chair", organisation=organisation, full_name="Cara Chair")


@pytest.fixture
def sid_user(make_user, organisation):
    return make_user(
        "senior_independent_director", organisation=organisation, full_name="Sid Director"
    )


@pytest.fixture
def hr_user(make_user, organisation):
    return make_user("hr_lead", organisation=organisation, full_name="Hari Lead")


@pytest.fixture
def executive(organisation):
    return board_member(organisation, title="Chief Finance Officer")


@pytest.fixture
def assessment(executive):
    return assessment_for(executive)


def record(check, actor, **overrides):
    values = {
        "check": check,
        "expected_version": check.version,
        "outcome": CheckOutcome.SATISFACTORY,
        "checked_on": TODAY,
        "evidence_reference": "DBS 001234567890",
        "not_applicable_reason": "",
        "note": "",
        "actor": actor,
        **overrides,
    }
    return services.check_record(**values)


def conclude(assessment, actor, **overrides):
    assessment.refresh_from_db()
    values = {
        "assessment": assessment,
        "expected_version": assessment.version,
        "outcome": FIT,
        "reasons": "Every check is satisfactory.",
        "actor": actor,
        **overrides,
    }
    return services.assessment_conclude(**values)


def check_of(assessment, kind) -> FitnessCheck:
    return FitnessCheck.objects.get(assessment=assessment, kind=kind)


# --- Opening a year ---------------------------------------------------------------


def test_open_year_opens_one_assessment_per_board_member_in_post(organisation, region):
    chair = board_member(organisation, category=RoleCategory.CHAIR, title="Chair")
    board_member(organisation, category=RoleCategory.NON_EXECUTIVE_DIRECTOR, title="NED")
    board_member(organisation, category=RoleCategory.SENIOR_MANAGER, title="Head of Estates")
    board_member(organisation, end_date=TODAY - dt.timedelta(days=1))  # left
    board_member(organisation, start_date=TODAY + dt.timedelta(days=30))  # not started
    closed = other_organisation(region, closed_on=TODAY - dt.timedelta(days=10))
    board_member(closed, start_date=dt.date(2020, 1, 1), end_date=None)
    # The chair also holds a second board role here: still one assessment, for the chair's role.
    register_services.career_role_add(
        registrant=chair.registrant,
        organisation=organisation,
        title="Interim Chief Executive",
        category=RoleCategory.CHIEF_EXECUTIVE,
        start_date=dt.date(2024, 1, 1),
        actor="tests",
        reason="test data",
    )

    result = services.assessments_open_year(year=YEAR, actor="tests")

    assert result["opened"] == 2
    assert result["already_open"] == 0
    assert result["organisations"] == 1
    assessments = FitnessAssessment.objects.filter(year=YEAR)
    assert assessments.count() == 2
    chair_assessment = assessments.get(registrant=chair.registrant)
    assert chair_assessment.career_role == chair
    assert chair_assessment.trigger == AssessmentTrigger.ANNUAL
    checks = FitnessCheck.objects.filter(assessment=chair_assessment)
    assert checks.count() == 13
    assert checks.filter(outcome=CheckOutcome.PENDING).count() == 12
    register = checks.get(kind=CheckKind.REGISTER_STATUS)
    assert register.outcome == CheckOutcome.SATISFACTORY
    assert register.checked_on == TODAY
    assert register.note.startswith("Registered since")
    event = events("fitness.year.opened").get()
    assert '"opened":2' in event.payload


def test_open_year_again_opens_nothing_new_and_records_one_event_each_time(organisation):
    for _ in range(3):
        board_member(organisation)
    services.assessments_open_year(year=YEAR, actor="tests")
    board_member(organisation, names=("New", "Starter"))

    result = services.assessments_open_year(year=YEAR, actor="tests")

    assert (result["opened"], result["already_open"]) == (1, 3)
    assert FitnessAssessment.objects.filter(year=YEAR).count() == 4
    assert FitnessCheck.objects.count() == 4 * 13
    assert events("fitness.year.opened").count() == 2
    assert not events("fitness.assessment.opened").exists()


def test_open_year_fills_register_status_concern_for_a_suspended_director(organisation):
    role = board_member(organisation)
    register_services.register_status_change(
        registrant=role.registrant,
        to_status=RegisterStatus.SUSPENDED,
        reason="Panel decision",
        actor="tests",
        effective_on=dt.date(YEAR, 1, 15),
    )
    services.assessments_open_year(year=YEAR, actor="tests")

    check = FitnessCheck.objects.get(kind=CheckKind.REGISTER_STATUS)
    assert check.outcome == CheckOutcome.CONCERN
    assert check.note == f"Register status: Suspended since 15 January {YEAR}."


@pytest.mark.parametrize("year", [2019, YEAR + 2, 99999])
def test_open_year_refuses_a_year_out_of_range(organisation, year):
    board_member(organisation)
    with pytest.raises(ValidationError) as error:
        services.assessments_open_year(year=year, actor="tests")
    assert "Enter a year from 2023" in str(error.value)
    assert not FitnessAssessment.objects.exists()
    assert not events("fitness.year.opened").exists()


def test_open_year_refuses_a_date_outside_the_year(organisation):
    with pytest.raises(ValidationError, match="must be in"):
        services.assessments_open_year(year=YEAR, on=dt.date(YEAR - 1, 6, 1), actor="tests")


def test_open_a_past_year_counts_those_in_post_on_31_december(organisation):
    last_year = YEAR - 1
    board_member(organisation, start_date=dt.date(2020, 1, 1), end_date=dt.date(last_year, 6, 30))
    board_member(organisation, start_date=dt.date(2020, 1, 1))
    board_member(organisation, start_date=dt.date(YEAR, 1, 2))

    result = services.assessments_open_year(year=last_year, actor="tests")

    assert result["on"] == dt.date(last_year, 12, 31)
    assert result["opened"] == 1


def test_open_year_runs_a_fixed_number_of_queries(
    organisation, region, django_assert_max_num_queries
):
    for index in range(40):
        board_member(other_organisation(region) if index % 4 == 0 else organisation)
    calls = []
    with django_assert_max_num_queries(20):
        result = services.assessments_open_year(
            year=YEAR, actor="tests", progress=lambda done, total: calls.append((done, total))
        )
    assert result["opened"] == 40
    assert calls[0] == (0, 40)
    assert calls[-1] == (40, 40)


# --- Opening on appointment ----------------------------------------------------------


def test_a_new_board_appointment_opens_an_assessment_for_its_start_year(organisation):
    role = board_member(organisation, start_date=TODAY - dt.timedelta(days=10))

    assessment = services.assessment_open_for_appointment(career_role=role, actor="tests")

    assert assessment.trigger == AssessmentTrigger.APPOINTMENT
    assert assessment.year == role.start_date.year
    assert assessment.career_role == role
    assert assessment.checks.count() == 13
    assert check_of(assessment, CheckKind.REGISTER_STATUS).outcome == CheckOutcome.SATISFACTORY
    assert events("fitness.assessment.opened").filter(subject_id=str(assessment.pk)).exists()
    # Only one a year for the person there.
    assert services.assessment_open_for_appointment(career_role=role, actor="tests") is None
    assert FitnessAssessment.objects.count() == 1


def test_no_appointment_assessment_for_senior_managers_ended_or_old_roles(organisation):
    recent = TODAY - dt.timedelta(days=30)
    manager = board_member(organisation, category=RoleCategory.SENIOR_MANAGER, start_date=recent)
    ended = board_member(organisation, start_date=recent, end_date=TODAY - dt.timedelta(days=3))
    recorded_late = board_member(organisation, start_date=dt.date(2019, 6, 1))

    for role in (manager, ended, recorded_late):
        assert services.assessment_open_for_appointment(career_role=role, actor="tests") is None
    assert not FitnessAssessment.objects.exists()


def test_an_appointment_starting_next_year_is_assessed_for_that_year(organisation):
    role = board_member(organisation, start_date=dt.date(YEAR + 1, 1, 4))
    assessment = services.assessment_open_for_appointment(career_role=role, actor="tests")
    assert assessment.year == YEAR + 1


# --- Recording checks -------------------------------------------------------------


def test_the_hr_lead_records_a_check(assessment, hr_user):
    check = check_of(assessment, CheckKind.CRIMINAL_RECORD)

    saved = record(check, hr_user, note="Enhanced certificate")

    assert saved.outcome == CheckOutcome.SATISFACTORY
    assert saved.checked_on == TODAY
    assert saved.evidence_reference == "DBS 001234567890"
    assert saved.checked_by == hr_user
    assert saved.checked_by_label == "Hari Lead"
    assert saved.version == 2
    event = events("fitness.check.recorded").get()
    assert '"check":"criminal_record"' in event.payload
    assert "Enhanced certificate" not in event.payload


def test_not_applicable_needs_a_reason_and_a_decided_check_a_date(assessment, chair_user):
    check = check_of(assessment, CheckKind.QUALIFICATIONS)

    with pytest.raises(ValidationError) as error:
        record(check, chair_user, outcome=CheckOutcome.NOT_APPLICABLE)
    assert error.value.message_dict["not_applicable_reason"] == [
        "Enter why this check does not apply"
    ]
    with pytest.raises(ValidationError) as error:
        record(check, chair_user, checked_on=None)
    assert "checked_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(check, chair_user, checked_on=TODAY + dt.timedelta(days=1))
    assert "today or in the past" in str(error.value)

    saved = record(
        check,
        chair_user,
        outcome=CheckOutcome.NOT_APPLICABLE,
        not_applicable_reason="No qualification is needed for the role",
    )
    assert saved.outcome == CheckOutcome.NOT_APPLICABLE
    assert saved.not_applicable_reason == "No qualification is needed for the role"


def test_putting_a_check_back_to_pending_clears_its_date(assessment, hr_user):
    check = record(check_of(assessment, CheckKind.IDENTITY), hr_user)

    saved = record(check, hr_user, outcome=CheckOutcome.PENDING, checked_on=TODAY)

    assert saved.outcome == CheckOutcome.PENDING
    assert saved.checked_on is None


@pytest.mark.parametrize(
    "kind", [CheckKind.REGISTER_STATUS, CheckKind.COMPETENCY, CheckKind.SELF_ATTESTATION]
)
def test_automatic_and_director_checks_cannot_be_recorded_by_the_assessor(
    assessment, hr_user, kind
):
    check = check_of(assessment, kind)
    before = (check.outcome, check.version)

    with pytest.raises(ValidationError):
        record(check, hr_user)

    check.refresh_from_db()
    assert (check.outcome, check.version) == before


def test_a_stale_check_edit_is_refused(assessment, hr_user, chair_user):
    check = check_of(assessment, CheckKind.IDENTITY)
    opened_version = check.version
    record(check, chair_user)

    with pytest.raises(ValidationError, match="Someone else changed this assessment"):
        record(check, hr_user, expected_version=opened_version, outcome=CheckOutcome.CONCERN)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.SATISFACTORY
    assert check.checked_by == chair_user


@pytest.mark.parametrize("role", ["chief_executive", "senior_independent_director"])
def test_only_the_hr_lead_or_chair_records_checks(assessment, make_user, organisation, role):
    user = make_user(role, organisation=organisation)
    with pytest.raises(ValidationError, match="Only the HR lead or the chair"):
        record(check_of(assessment, CheckKind.IDENTITY), user)


def test_an_hr_lead_elsewhere_cannot_record_checks(assessment, make_user, region):
    user = make_user("hr_lead", organisation=other_organisation(region))
    with pytest.raises(ValidationError, match="Only the HR lead or the chair"):
        record(check_of(assessment, CheckKind.IDENTITY), user)


def test_nobody_records_the_checks_of_their_own_assessment(organisation, hr_user):
    own = assessment_for(board_member(organisation, user=hr_user))
    with pytest.raises(ValidationError, match="your own assessment"):
        record(check_of(own, CheckKind.IDENTITY), hr_user)


# --- The register status check ---------------------------------------------------


def test_register_status_is_refreshed_from_the_register(assessment, executive):
    assert services.register_status_check_refresh(assessment=assessment) is False
    version = assessment.version
    register_services.register_status_change(
        registrant=executive.registrant,
        to_status=RegisterStatus.CONDITIONS,
        reason="Conditions of practice",
        actor="tests",
    )

    assert services.register_status_check_refresh(assessment=assessment) is True

    check = check_of(assessment, CheckKind.REGISTER_STATUS)
    assert check.outcome == CheckOutcome.CONCERN
    assert check.note.startswith("Register status: Registered with conditions since")
    assert assessment.version == version + 1
    assert events("fitness.check.refreshed").exists()


@pytest.mark.parametrize(
    "status",
    [
        RegisterStatus.CONDITIONS,
        RegisterStatus.SUSPENDED,
        RegisterStatus.BARRED,
        RegisterStatus.LAPSED,
        RegisterStatus.VOLUNTARILY_REMOVED,
    ],
)
def test_every_status_but_registered_is_a_concern(status):
    outcome, note = services.register_status_result(status=status, status_since=TODAY)
    assert outcome == CheckOutcome.CONCERN
    assert note.startswith("Register status: ")


# --- The director's own checks -------------------------------------------------------


@pytest.fixture
def director(make_user):
    return make_user("registrant", full_name="Dana Director")


@pytest.fixture
def own_assessment(organisation, director):
    return assessment_for(board_member(organisation, user=director, names=("Dana", "Director")))


def full_ratings() -> dict:
    version = version_in_force(on=TODAY)
    return {
        domain.ref: ("capable", f"Evidence for {domain.name}")
        for domain in version.competency_domains.all()
    }


def test_the_director_rates_themselves_against_all_six_domains(own_assessment, director):
    ratings = full_ratings()
    assert len(ratings) == 6

    services.competency_self_assessment_submit(
        assessment=own_assessment, ratings=ratings, actor=director
    )

    assert CompetencyRating.objects.filter(assessment=own_assessment).count() == 6
    check = check_of(own_assessment, CheckKind.COMPETENCY)
    assert check.outcome == CheckOutcome.SATISFACTORY
    assert check.checked_on == TODAY
    assert check.checked_by == director
    assert events("fitness.competency.submitted").exists()

    # Doing it again replaces the ratings.
    ratings = {ref: ("strong", "Better evidence") for ref in ratings}
    services.competency_self_assessment_submit(
        assessment=own_assessment, ratings=ratings, actor=director
    )
    assert set(
        CompetencyRating.objects.filter(assessment=own_assessment).values_list("rating", flat=True)
    ) == {"strong"}


def test_a_self_assessment_missing_a_domain_or_evidence_is_refused(own_assessment, director):
    ratings = full_ratings()
    first, second = list(ratings)[:2]
    del ratings[first]
    ratings[second] = ("capable", "  ")

    with pytest.raises(ValidationError) as error:
        services.competency_self_assessment_submit(
            assessment=own_assessment, ratings=ratings, actor=director
        )

    assert f"rating_{first}" in error.value.message_dict
    assert f"evidence_{second}" in error.value.message_dict
    assert not CompetencyRating.objects.exists()
    assert check_of(own_assessment, CheckKind.COMPETENCY).outcome == CheckOutcome.PENDING


def test_only_the_director_does_their_self_assessment_and_attestation(own_assessment, chair_user):
    with pytest.raises(ValidationError, match="Only the director being assessed"):
        services.competency_self_assessment_submit(
            assessment=own_assessment, ratings=full_ratings(), actor=chair_user
        )
    with pytest.raises(ValidationError, match="Only the director being assessed"):
        services.self_attestation_submit(
            assessment=own_assessment,
            confirms_requirements=True,
            declarations="",
            actor=chair_user,
        )
    assert not CompetencyRating.objects.exists()
    assert not SelfAttestation.objects.exists()


def test_the_director_confirms_or_declares_in_their_attestation(own_assessment, director):
    with pytest.raises(ValidationError) as error:
        services.self_attestation_submit(
            assessment=own_assessment, confirms_requirements=False, declarations="", actor=director
        )
    assert "declarations" in error.value.message_dict

    services.self_attestation_submit(
        assessment=own_assessment,
        confirms_requirements=False,
        declarations="A company I directed went into liquidation in 2021.",
        actor=director,
    )
    check = check_of(own_assessment, CheckKind.SELF_ATTESTATION)
    assert check.outcome == CheckOutcome.CONCERN
    attestation = SelfAttestation.objects.get(assessment=own_assessment)
    assert attestation.declarations.startswith("A company")
    assert attestation.attested_by == director

    services.self_attestation_submit(
        assessment=own_assessment, confirms_requirements=True, declarations="", actor=director
    )
    assert check_of(own_assessment, CheckKind.SELF_ATTESTATION).outcome == (
        CheckOutcome.SATISFACTORY
    )
    first, last = events("fitness.attestation.submitted").order_by("seq")
    assert "liquidation" not in first.payload
    assert '"confirms_requirements":false' in first.payload
    assert '"confirms_requirements":true' in last.payload


# --- Concluding ------------------------------------------------------------------------


def test_a_pending_check_blocks_the_conclusion(assessment, chair_user):
    complete_checks(assessment, leave_pending=[CheckKind.SOCIAL_MEDIA, CheckKind.REFERENCES])

    with pytest.raises(ValidationError) as error:
        conclude(assessment, chair_user)

    assert "while checks are pending: Social media, References" in str(error.value)
    assessment.refresh_from_db()
    assert not assessment.is_concluded


def test_the_chair_concludes_a_board_members_assessment(assessment, chair_user, executive):
    complete_checks(assessment)

    concluded = conclude(assessment, chair_user)

    assert concluded.outcome == FIT
    assert concluded.concluded_as == ConcludedAs.CHAIR
    assert concluded.concluded_by == chair_user
    assert concluded.concluded_by_label == "Cara Chair"
    assert concluded.conclusion_reasons == "Every check is satisfactory."
    assert not NotFitReferral.objects.exists()
    event = events("fitness.assessment.concluded").get()
    assert '"outcome":"fit_and_proper"' in event.payload
    assert "Every check is satisfactory" not in event.payload


def test_reasons_are_required(assessment, chair_user):
    complete_checks(assessment)
    with pytest.raises(ValidationError) as error:
        conclude(assessment, chair_user, reasons="   ")
    assert error.value.message_dict["reasons"] == ["Enter the reasons for your conclusion"]


def test_the_senior_independent_director_cannot_conclude_other_assessments(assessment, sid_user):
    complete_checks(assessment)
    with pytest.raises(ValidationError, match="Only the chair of"):
        conclude(assessment, sid_user)


def test_the_chairs_assessment_is_concluded_by_the_senior_independent_director(
    organisation, chair_user, sid_user
):
    chair_assessment = complete_checks(
        assessment_for(board_member(organisation, category=RoleCategory.CHAIR, title="Chair"))
    )

    with pytest.raises(ValidationError, match="Only the senior independent director"):
        conclude(chair_assessment, chair_user)

    concluded = conclude(chair_assessment, sid_user)
    assert concluded.concluded_as == ConcludedAs.SENIOR_INDEPENDENT_DIRECTOR
    assert concluded.concluded_by == sid_user


def test_a_chair_elsewhere_cannot_conclude(assessment, make_user, region):
    complete_checks(assessment)
    chair_elsewhere = make_user("chair", organisation=other_organisation(region))
    with pytest.raises(ValidationError, match="Only the chair of"):
        conclude(assessment, chair_elsewhere)


def test_nobody_concludes_their_own_assessment(organisation, chair_user):
    # The chair also sits on the register as a non-executive director here.
    own = complete_checks(
        assessment_for(
            board_member(
                organisation, category=RoleCategory.NON_EXECUTIVE_DIRECTOR, user=chair_user
            )
        )
    )
    with pytest.raises(ValidationError, match="your own assessment"):
        conclude(own, chair_user)
    own.refresh_from_db()
    assert not own.is_concluded


def test_a_stale_conclusion_is_refused(assessment, chair_user, hr_user):
    complete_checks(assessment)
    assessment.refresh_from_db()
    opened_version = assessment.version
    record(check_of(assessment, CheckKind.IDENTITY), hr_user, outcome=CheckOutcome.CONCERN)

    with pytest.raises(ValidationError, match="Someone else changed this assessment"):
        conclude(assessment, chair_user, expected_version=opened_version)


def test_a_changed_register_status_stops_the_conclusion_until_it_is_seen(
    assessment, chair_user, executive
):
    complete_checks(assessment)
    register_services.register_status_change(
        registrant=executive.registrant,
        to_status=RegisterStatus.SUSPENDED,
        reason="Interim order",
        actor="tests",
    )

    with pytest.raises(ValidationError, match="register status has changed"):
        conclude(assessment, chair_user)

    assert check_of(assessment, CheckKind.REGISTER_STATUS).outcome == CheckOutcome.CONCERN
    # Having seen it, the chair can conclude.
    concluded = conclude(assessment, chair_user, outcome=NOT_FIT, reasons="Suspended.")
    assert concluded.outcome == NOT_FIT


def test_not_fit_and_proper_refers_the_director_to_the_regulator(
    assessment,
    chair_user,
    make_user,
    django_capture_on_commit_callbacks,
):
    registrar = make_user("registrar", email="registrar@test.steward.example")
    caseworker = make_user("caseworker", email="caseworker@test.steward.example")
    revoked = make_user("caseworker", email="former@test.steward.example")
    RoleAssignment.objects.filter(user=revoked).update(revoked_at=clock.now())
    auditor = make_user("auditor", email="auditor@test.steward.example")
    complete_checks(assessment)

    with django_capture_on_commit_callbacks(execute=True):
        conclude(
            assessment,
            chair_user,
            outcome=NOT_FIT,
            reasons="Undeclared conviction for fraud.",
        )

    referral = NotFitReferral.objects.get(assessment=assessment)
    assert referral.reference == f"FPR-{YEAR}-0001"
    assert referral.acknowledged_at is None
    told = set(
        Notification.objects.filter(topic="fitness.referral").values_list("user__email", flat=True)
    )
    assert told == {registrar.email, caseworker.email}
    assert auditor.email not in told and revoked.email not in told
    emailed = {message.to[0] for message in mail.outbox if "referral" in message.subject}
    assert emailed == {registrar.email, caseworker.email}
    name = assessment.registrant.display_name
    for message in mail.outbox:
        assert name not in message.subject + message.body
        assert "fraud" not in message.body
    assert (
        f"/fitness/referrals/{referral.pk}/"
        in Notification.objects.filter(topic="fitness.referral").first().url
    )
    assert events("fitness.referral.created").filter(subject_id=str(referral.pk)).exists()
    # The outcome is on the person's restricted record.
    outcomes = selectors.fitness_outcomes_for(registrant=assessment.registrant)
    assert [(o.outcome, o.referral_reference) for o in outcomes] == [(NOT_FIT, referral.reference)]


def test_referrals_are_numbered_in_sequence_each_year(organisation, chair_user):
    first = complete_checks(assessment_for(board_member(organisation)))
    second = complete_checks(assessment_for(board_member(organisation)))
    conclude(first, chair_user, outcome=NOT_FIT, reasons="Reason one.")
    conclude(second, chair_user, outcome=NOT_FIT, reasons="Reason two.")
    assert sorted(NotFitReferral.objects.values_list("reference", flat=True)) == [
        f"FPR-{YEAR}-0001",
        f"FPR-{YEAR}-0002",
    ]


def test_the_director_is_told_their_assessment_is_concluded(own_assessment, director, chair_user):
    complete_checks(own_assessment)
    conclude(own_assessment, chair_user)
    note = Notification.objects.get(user=director)
    assert "concluded" in note.subject
    assert note.url == "/fitness/mine/"


def test_a_concluded_assessment_never_changes(own_assessment, chair_user, director, hr_user):
    complete_checks(own_assessment)
    conclude(own_assessment, chair_user)

    with pytest.raises(ValidationError, match="cannot be changed"):
        conclude(own_assessment, chair_user, outcome=NOT_FIT)
    with pytest.raises(ValidationError, match="cannot be changed"):
        record(check_of(own_assessment, CheckKind.IDENTITY), hr_user, outcome=CheckOutcome.CONCERN)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.competency_self_assessment_submit(
            assessment=own_assessment, ratings=full_ratings(), actor=director
        )
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.self_attestation_submit(
            assessment=own_assessment, confirms_requirements=True, declarations="", actor=director
        )
    own_assessment.refresh_from_db()
    assert own_assessment.outcome == FIT
    assert check_of(own_assessment, CheckKind.IDENTITY).outcome == CheckOutcome.SATISFACTORY
    assert services.register_status_check_refresh(assessment=own_assessment) is False


# --- Referrals -----------------------------------------------------------------------


@pytest.fixture
def referral(assessment, chair_user):
    complete_checks(assessment)
    conclude(assessment, chair_user, outcome=NOT_FIT, reasons="Undeclared conviction.")
    return NotFitReferral.objects.get()


def test_the_registrar_acknowledges_a_referral_once(referral, make_user):
    registrar = make_user("registrar")

    services.referral_acknowledge(referral=referral, actor=registrar)

    referral.refresh_from_db()
    assert referral.acknowledged_by == registrar
    assert referral.acknowledged_at is not None
    assert events("fitness.referral.acknowledged").exists()
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.referral_acknowledge(referral=referral, actor=make_user("caseworker"))


def test_only_the_regulator_acknowledges_referrals(referral, chair_user):
    with pytest.raises(ValidationError, match="Only the registrar or a caseworker"):
        services.referral_acknowledge(referral=referral, actor=chair_user)
    referral.refresh_from_db()
    assert referral.acknowledged_at is None


# --- Reads ----------------------------------------------------------------------------


def test_fitness_outcomes_are_the_concluded_ones_newest_first(organisation, chair_user):
    role = board_member(organisation)
    older = complete_checks(assessment_for(role, year=YEAR - 1))
    newer = complete_checks(assessment_for(role, year=YEAR))
    assessment_for(role, year=YEAR - 2)  # never concluded
    conclude(older, chair_user, reasons="Older reasons.")
    conclude(newer, chair_user, outcome=NOT_FIT, reasons="Newer reasons.")

    outcomes = selectors.fitness_outcomes_for(registrant=role.registrant)

    assert [(o.year, o.outcome, o.reasons) for o in outcomes] == [
        (YEAR, NOT_FIT, "Newer reasons."),
        (YEAR - 1, FIT, "Older reasons."),
    ]
    assert outcomes[0].tag == {"text": "Not fit and proper", "colour": "red"}
    assert outcomes[1].organisation_name == organisation.name
    assert outcomes[1].concluded_as_label == "Chair"


def test_the_overview_shows_each_board_members_status(
    organisation, chair_user, django_assert_max_num_queries
):
    not_started = assessment_for(board_member(organisation, names=("Nia", "Notstarted")))
    in_progress = assessment_for(board_member(organisation, names=("Ian", "Inprogress")))
    FitnessCheck.objects.filter(assessment=in_progress, kind=CheckKind.IDENTITY).update(
        outcome=CheckOutcome.SATISFACTORY, checked_on=TODAY
    )
    ready = complete_checks(assessment_for(board_member(organisation, names=("Rea", "Ready"))))
    fit = complete_checks(assessment_for(board_member(organisation, names=("Fitz", "Fit"))))
    conclude(fit, chair_user)
    board_member(organisation, names=("Nora", "Notopened"))
    for _ in range(10):
        assessment_for(board_member(organisation))

    with django_assert_max_num_queries(4):
        overview = selectors.organisation_year_overview(organisation=organisation, year=YEAR)

    by_name = {row.name: row for row in overview.rows}
    assert by_name["Nia Notstarted"].status == selectors.Status.NOT_STARTED
    assert by_name["Ian Inprogress"].status == selectors.Status.IN_PROGRESS
    assert by_name["Ian Inprogress"].decided == 2
    assert by_name["Rea Ready"].status == selectors.Status.READY
    assert by_name["Fitz Fit"].status == selectors.Status.FIT
    assert by_name["Nora Notopened"].status == selectors.Status.NOT_OPENED
    assert overview.counts[selectors.Status.NOT_STARTED] == 11
    assert not_started.pk and ready.pk


def test_a_merged_record_is_not_assessed(organisation):
    role = board_member(organisation)
    survivor = Registrant.objects.create(
        registration_number="M0000000", legal_forenames="Kept", legal_surname="Record"
    )
    Registrant.objects.filter(pk=role.registrant_id).update(merged_into=survivor)
    result = services.assessments_open_year(year=YEAR, actor="tests")
    assert result["opened"] == 0
