"""The demo assessments: realistic, what the demo people need, loaded once."""

import pytest
from django.db import connection
from django.db.models import Count, Q

from steward.audit.models import AuditEvent
from steward.audit.verification import verify
from steward.core.demo import demo_load
from steward.fitness import selectors
from steward.fitness.demo import fitness_demo_load
from steward.fitness.models import (
    AssessmentOutcome,
    CheckKind,
    CheckOutcome,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
)
from steward.organisations.models import Organisation

pytestmark = pytest.mark.django_db

DEMO = "demo.steward.example"


def test_the_demo_assessments():
    demo_load()
    fitness_demo_load(actor="steward demo")
    if connection.vendor == "postgresql":
        # Fresh tables in an open transaction have no statistics yet; without them
        # PostgreSQL may plan the checks below as nested loops over every row.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    check_2025_is_concluded_almost_everywhere_with_one_director_not_fit()
    check_2026_is_a_realistic_mix()
    check_the_demo_trust_has_work_for_the_demo_people()
    check_loading_again_changes_nothing()


def statuses(ods_code: str, year: int) -> dict:
    organisation = Organisation.objects.get(ods_code=ods_code)
    return selectors.organisation_year_overview(organisation=organisation, year=year).counts


def check_2025_is_concluded_almost_everywhere_with_one_director_not_fit():
    year = FitnessAssessment.objects.filter(year=2025)
    total = year.count()
    concluded = year.exclude(outcome="").count()
    assert total > 2500
    assert concluded / total > 0.9
    not_fit = year.filter(outcome=AssessmentOutcome.NOT_FIT)
    assert not_fit.count() == 1
    assessment = not_fit.get()
    assert assessment.organisation.ods_code != "RR8"
    assert assessment.conclusion_reasons
    referral = NotFitReferral.objects.get()
    assert referral.assessment == assessment
    assert referral.acknowledged_at is None
    checks = FitnessCheck.objects.filter(assessment__year=2025)
    assert checks.filter(outcome=CheckOutcome.CONCERN).exists()
    assert (
        checks.filter(outcome=CheckOutcome.NOT_APPLICABLE)
        .exclude(not_applicable_reason="")
        .exists()
    )
    # Nothing concluded with a check pending.
    assert not FitnessCheck.objects.filter(
        outcome=CheckOutcome.PENDING, assessment__outcome__gt=""
    ).exists()


def check_2026_is_a_realistic_mix():
    counts = FitnessAssessment.objects.filter(year=2026).aggregate(
        total=Count("pk"), concluded=Count("pk", filter=~Q(outcome=""))
    )
    assert 0.15 < counts["concluded"] / counts["total"] < 0.8
    organisations = Organisation.objects.filter(fitness_assessments__year=2026).distinct()
    finished = in_progress = 0
    for organisation in organisations[:80]:
        c = statuses(organisation.ods_code, 2026)
        if c["fit_and_proper"] and not (
            c["in_progress"] or c["not_started"] or c["ready_to_conclude"]
        ):
            finished += 1
        if c["in_progress"] or c["not_started"]:
            in_progress += 1
    assert finished and in_progress


def check_the_demo_trust_has_work_for_the_demo_people():
    rr8 = FitnessAssessment.objects.filter(year=2026, organisation__ods_code="RR8")
    assert rr8.exclude(outcome="").count() >= rr8.count() / 2
    assert rr8.filter(concluded_by__email=f"chair@{DEMO}").exists()
    # The chair's own: every check done, waiting for the senior independent director.
    chair = rr8.get(registrant__user__email=f"chair@{DEMO}")
    assert chair.career_role.category == "chair"
    assert not chair.is_concluded
    assert not chair.checks.filter(outcome=CheckOutcome.PENDING).exists()
    # One the chair (or HR lead) can finish: assessor checks still pending.
    assert (
        FitnessCheck.objects.filter(
            assessment_id__in=list(rr8.values_list("pk", flat=True)),
            outcome=CheckOutcome.PENDING,
        )
        .exclude(kind__in=[CheckKind.COMPETENCY, CheckKind.SELF_ATTESTATION])
        .exists()
    )
    # The demo registrant's own waits for their self-assessment and attestation.
    own = rr8.get(registrant__user__email=f"registrant@{DEMO}")
    assert set(own.checks.filter(outcome=CheckOutcome.PENDING).values_list("kind", flat=True)) == {
        CheckKind.COMPETENCY,
        CheckKind.SELF_ATTESTATION,
    }
    # The senior independent director's own is ready for the chair.
    sid = rr8.get(registrant__user__email=f"sid@{DEMO}")
    assert not sid.is_concluded
    assert not sid.checks.filter(outcome=CheckOutcome.PENDING).exists()


def check_loading_again_changes_nothing():
    assessments = FitnessAssessment.objects.count()
    events = AuditEvent.objects.count()
    fitness_demo_load(actor="steward demo")
    assert FitnessAssessment.objects.count() == assessments
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="fitness.demo.loaded").count() == 1
    assert verify().ok
