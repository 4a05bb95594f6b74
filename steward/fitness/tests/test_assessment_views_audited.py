"""Every view of an assessment's restricted details is recorded, whoever looks."""

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.fitness.tests.factories_assessments import assessment_for, board_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["regional_director", "chief_executive"])
def test_viewing_an_assessment_is_recorded(client, settings, make_user, organisation, region, role):
    settings.DEMO_SKIP_MFA = True
    assessment = assessment_for(board_member(organisation))
    viewer = (
        make_user(role, region=region)
        if role == "regional_director"
        else make_user(role, organisation=organisation)
    )
    client.force_login(viewer)
    assert client.get(reverse("fitness:assessment", args=[assessment.pk])).status_code == 200
    event = AuditEvent.objects.filter(action="register.registrant.restricted_viewed").last()
    assert event is not None and event.actor_id == viewer.pk
    assert "fitness_conclusion_reasons" in event.payload_data["fields"]
    history_shown = "settlement_agreements" in event.payload_data["fields"]
    assert history_shown == (role != "regional_director")
