"""Nobody gives, or changes, a reference about themselves, even as HR lead."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from steward.references import services
from steward.references.models import BoardMemberReference, ReferenceRequest
from steward.references.tests.factories import all_no, complete, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_request(candidate, bradford_hr, organisation):
    candidate.user = bradford_hr
    candidate.save(update_fields=["user"])
    appointment = propose(organisation, candidate)
    services.reference_requests_create(appointment=appointment, actor="tests")
    return ReferenceRequest.objects.get(referee_organisation__ods_code="RAE")


def test_the_subject_cannot_complete_their_own_reference(client, own_request, bradford_hr):
    client.force_login(bradford_hr)
    url = reverse("references:complete", args=[own_request.pk])
    assert client.get(url).status_code == 403
    posted = {**all_no(), "referee_name": "Someone Else", "referee_job_title": "Chair"}
    assert client.post(url, {**posted, "on_behalf_of_referee": "on"}).status_code == 403
    with pytest.raises(PermissionDenied, match="about themselves"):
        services.reference_complete(
            request=own_request,
            answers=all_no(),
            referee_name="Someone Else",
            referee_job_title="Chair",
            actor=bradford_hr,
        )
    assert not BoardMemberReference.objects.exists()
    # It is not in their list of references to give either; a colleague gives it.
    page = client.get(reverse("references:requests")).content.decode()
    assert own_request.registrant.legal_surname not in page


def test_the_subject_cannot_update_a_reference_about_themselves(
    client, own_request, bradford_hr, bradford_chair
):
    reference = complete(own_request, actor=bradford_chair)
    client.force_login(bradford_hr)
    assert (
        client.get(reverse("references:reference_update", args=[reference.pk])).status_code == 403
    )
    with pytest.raises(PermissionDenied, match="about themselves"):
        services.reference_update_issue(
            reference=reference,
            answers=all_no(),
            referee_name="Someone Else",
            referee_job_title="Chair",
            actor=bradford_hr,
        )
    assert BoardMemberReference.objects.count() == 1


@pytest.mark.parametrize("status", ["lapsed", "suspended", "voluntarily_removed"])
def test_someone_who_may_not_practise_cannot_start(candidate, organisation, chair, status):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from steward.references.models import AppointmentStatus
    from steward.register.services import register_status_change

    appointment = propose(organisation, candidate)
    services.reference_requests_create(appointment=appointment, actor="tests")
    for request in ReferenceRequest.objects.filter(appointment=appointment):
        complete(request)
    register_status_change(
        registrant=candidate,
        to_status=status,
        reason="test",
        effective_on=dt.date(2026, 1, 1),
        actor="tests",
    )
    with pytest.raises(ValidationError, match="cannot take up the role"):
        services.appointment_start(
            appointment=appointment, start_date=dt.date(2026, 12, 1), actor=chair
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED


def test_the_database_refuses_a_second_proposal_for_the_same_person(candidate, organisation):
    from django.db import IntegrityError, transaction

    from steward.references.models import Appointment

    first = propose(organisation, candidate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            organisation=organisation,
            registrant=candidate,
            role_title="Chief Operating Officer",
            role_category="executive_director",
            proposed_start_date=first.proposed_start_date,
            proposed_by_label="a second browser tab",
        )
