"""A not-fit-and-proper outcome appears on the person's restricted record only."""

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.fitness import services as fitness_services
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
)

pytestmark = pytest.mark.django_db

REASONS = "Misled the board about the maternity safety review (test reasons)."


@pytest.fixture
def not_fit(organisation, make_user):
    person = make_user("registrant")
    role = board_member(organisation, user=person, names=("Ffion", "Outcome-Tester"))
    chair = make_user("chair", organisation=organisation)
    assessment = complete_checks(assessment_for(role))
    fitness_services.assessment_conclude(
        assessment=assessment,
        expected_version=assessment.version,
        outcome="not_fit_and_proper",
        reasons=REASONS,
        actor=chair,
    )
    return role.registrant, person


def test_the_registrar_and_the_person_see_the_outcome(client, settings, make_user, not_fit):
    settings.DEMO_SKIP_MFA = True
    registrant, person = not_fit
    client.force_login(make_user("registrar"))
    page = client.get(
        reverse("register_manage:record", args=[registrant.registration_number])
    ).content.decode()
    assert "Not fit and proper" in page
    assert REASONS.replace("'", "&#39;") in page
    assert "FPR-" in page
    event = AuditEvent.objects.filter(action="register.registrant.restricted_viewed").last()
    assert "fitness_outcomes" in event.payload_data["fields"]

    client.force_login(person)
    own = client.get(reverse("register_manage:my_record")).content.decode()
    assert "Your fit and proper person test outcomes" in own
    assert "Not fit and proper" in own


def test_the_public_entry_never_shows_it(client, not_fit):
    registrant, _ = not_fit
    page = client.get(reverse("register:entry", args=[registrant.registration_number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not fit and proper" not in text
    assert "fit and proper" not in text.lower()
    assert REASONS not in text
