"""The null character never reaches a view or the database (PostgreSQL refuses it)."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/R%00/",
        "/api/v1/organisations/%00/reference-requests",
        "/api/v1/organisations/R%00/fitness-assessments",
        "/register/M%0012345/",
    ],
)
def test_a_null_in_the_path_names_nothing(client, make_user, organisation, path):
    client.force_login(make_user("hr_lead", organisation=organisation))
    response = client.get(path)
    assert response.status_code == 404


def test_a_null_in_a_json_body_is_refused_with_a_message(client, make_user, organisation):
    client.force_login(make_user("hr_lead", organisation=organisation))
    body = json.dumps(
        {
            "registration_number": "M0000001",
            "role_title": "Chief Finance Officer\u0000x",
            "role_category": "executive_director",
            "proposed_start_date": "2027-01-01",
        }
    )
    response = client.post(
        "/api/v1/organisations/RR8/appointments", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "null character" in response.json()["detail"]
    from steward.references.models import Appointment

    assert not Appointment.objects.exists()
