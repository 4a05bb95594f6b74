"""The API: proposing with vetting, starting (409 with reasons), requests and references."""

import datetime as dt
import json
import re

import pytest

from steward.audit.models import AuditEvent
from steward.references import services
from steward.references.models import Appointment, BoardMemberReference
from steward.references.tests.factories import all_no, career_role, complete, person, propose
from steward.register import services as register_services
from steward.register.numbers import registration_number

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def appointment_body(registrant, **overrides):
    return {
        "registration_number": registrant.registration_number,
        "role_title": "Chief Finance Officer",
        "role_category": "executive_director",
        "proposed_start_date": "2026-12-01",
        **overrides,
    }


def test_propose_answers_201_with_id_and_vetting(client, organisation, candidate, hr_lead):
    register_services.register_status_change(
        registrant=candidate, to_status="conditions", reason="panel", actor="tests"
    )
    client.force_login(hr_lead)

    response = post(client, "/api/v1/organisations/RR8/appointments", appointment_body(candidate))

    assert response.status_code == 201
    body = response.json()
    appointment = Appointment.objects.get()
    assert body["id"] == appointment.pk
    assert body["vetting"]["blocking"] == []
    codes = [w["code"] for w in body["vetting"]["warnings"]]
    assert "registrant_conditions" in codes and "references_not_requested" in codes
    assert all(w["message"] for w in body["vetting"]["warnings"])


def test_propose_barred_person_is_blocking(client, organisation, candidate, hr_lead):
    register_services.register_status_change(
        registrant=candidate, to_status="barred", reason="panel", actor="tests"
    )
    client.force_login(hr_lead)

    body = post(
        client, "/api/v1/organisations/rr8/appointments", appointment_body(candidate)
    ).json()

    assert body["vetting"]["blocking"][0]["code"] == "registrant_barred"


def test_propose_unknown_registration_number_is_422(client, organisation, hr_lead):
    client.force_login(hr_lead)
    unknown = registration_number(999_990)

    response = post(
        client,
        "/api/v1/organisations/RR8/appointments",
        {
            "registration_number": unknown,
            "role_title": "Chair",
            "role_category": "chair",
            "proposed_start_date": "2026-12-01",
        },
    )

    assert response.status_code == 422
    body = response.json()
    assert f"No one on the register has the registration number {unknown}" in body["detail"]
    assert body["errors"][0]["field"] == "registration_number"


def test_propose_missing_field_is_422(client, organisation, candidate, hr_lead):
    client.force_login(hr_lead)
    body = appointment_body(candidate)
    del body["role_category"]
    assert post(client, "/api/v1/organisations/RR8/appointments", body).status_code == 422


def test_propose_elsewhere_is_403_and_unknown_organisation_404(
    client, organisation, candidate, bradford_hr
):
    client.force_login(bradford_hr)
    url = "/api/v1/organisations/RR8/appointments"
    assert post(client, url, appointment_body(candidate)).status_code == 403
    assert post(client, "/api/v1/organisations/ZZZ/appointments", {}).status_code in {404, 422}
    assert (
        post(client, "/api/v1/organisations/ZZZ/appointments", appointment_body(candidate))
    ).status_code == 404


def test_anonymous_is_401(client, organisation, candidate):
    response = post(client, "/api/v1/organisations/RR8/appointments", appointment_body(candidate))
    assert response.status_code == 401


def test_start_without_references_is_409_with_reasons(client, organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)

    response = post(
        client, f"/api/v1/appointments/{appointment.pk}/start", {"start_date": "2026-12-01"}
    )

    assert response.status_code == 409
    body = response.json()
    assert "references are outstanding" in body["detail"]
    assert [r["code"] for r in body["reasons"]] == ["references_not_requested"]
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_start_with_override_from_a_non_chair_is_403(client, organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)

    response = post(
        client,
        f"/api/v1/appointments/{appointment.pk}/start",
        {"start_date": "2026-12-01", "override_reason": "Needed now"},
    )

    assert response.status_code == 403
    assert "Only the chair can record a reason to proceed" in response.json()["detail"]


def test_chair_override_through_the_api(client, organisation, candidate, chair):
    appointment = propose(organisation, candidate)
    client.force_login(chair)

    response = post(
        client,
        f"/api/v1/appointments/{appointment.pk}/start",
        {"start_date": "2026-12-01", "override_reason": "Needed now"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "started" and body["start_date"] == "2026-12-01"
    assert body["override"]["reason"] == "Needed now"
    assert body["override"]["recorded_by"] == "Adebayo Okonkwo-Hughes"
    assert AuditEvent.objects.filter(
        action="references.appointment.override_recorded", reason="Needed now"
    ).exists()


def test_barred_never_starts_through_the_api(client, organisation, candidate, chair):
    register_services.register_status_change(
        registrant=candidate, to_status="barred", reason="panel", actor="tests"
    )
    appointment = propose(organisation, candidate)
    client.force_login(chair)

    response = post(
        client,
        f"/api/v1/appointments/{appointment.pk}/start",
        {"start_date": "2026-12-01", "override_reason": "We accept the risk"},
    )

    assert response.status_code == 409
    assert [r["code"] for r in response.json()["reasons"]] == ["registrant_barred"]


def test_start_bad_date_is_422(client, organisation, candidate, chair):
    appointment = propose(organisation, candidate)
    client.force_login(chair)
    url = f"/api/v1/appointments/{appointment.pk}/start"
    assert post(client, url, {"start_date": "2030-01-01"}).status_code == 422
    assert post(client, url, {"start_date": "not a date"}).status_code == 422


def test_full_journey_through_the_api(
    client, organisation, candidate, hr_lead, bradford_hr, django_assert_max_num_queries
):
    client.force_login(hr_lead)
    created = post(client, "/api/v1/organisations/RR8/appointments", appointment_body(candidate))
    appointment_id = created.json()["id"]

    response = post(client, f"/api/v1/appointments/{appointment_id}/reference-requests", {})
    assert response.status_code == 201
    [request] = response.json()
    assert request["referee_organisation"] == "RAE"
    assert request["requested_by_organisation"] == "RR8"
    assert request["due_by"] == "2026-11-16"
    again = post(client, f"/api/v1/appointments/{appointment_id}/reference-requests", {})
    assert again.status_code == 201 and again.json() == []

    detail = client.get(f"/api/v1/appointments/{appointment_id}").json()
    assert detail["status"] == "proposed"
    assert detail["references"][0]["state"] == "requested"
    assert "references_outstanding" in [w["code"] for w in detail["vetting"]["warnings"]]

    client.force_login(bradford_hr)
    with django_assert_max_num_queries(6):
        owed = client.get("/api/v1/organisations/RAE/reference-requests")
    assert owed.status_code == 200
    assert [r["id"] for r in owed.json()] == [request["id"]]

    missing = {**all_no(), "referee_name": "Helen D'Souza", "referee_job_title": "Chair"}
    del missing["settlement_agreements"]
    url = f"/api/v1/reference-requests/{request['id']}/reference"
    assert post(client, url, missing).status_code == 422

    yes_without_details = {
        **all_no(investigations="yes"),
        "referee_name": "Helen D'Souza",
        "referee_job_title": "Chair",
    }
    response = post(client, url, yes_without_details)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "investigations_details"

    response = post(
        client, url, {**all_no(), "referee_name": "Helen D'Souza", "referee_job_title": "Chair"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["settlement_agreements"] == "no"
    assert body["retain_until"] == "2046-05-17"
    assert (
        post(
            client, url, {**all_no(), "referee_name": "Helen D'Souza", "referee_job_title": "Chair"}
        ).status_code
        == 409
    )

    client.force_login(hr_lead)
    response = post(
        client, f"/api/v1/appointments/{appointment_id}/start", {"start_date": "2026-12-01"}
    )
    assert response.status_code == 200
    assert response.json()["references"][0]["state"] == "completed"


def test_reference_requests_of_another_organisation_are_403(client, organisation, hr_lead):
    client.force_login(hr_lead)
    assert client.get("/api/v1/organisations/RR8/reference-requests").status_code == 200
    assert client.get("/api/v1/organisations/QWO/reference-requests").status_code == 403
    assert client.get("/api/v1/organisations/NOPE/reference-requests").status_code == 404


def test_appointment_of_another_organisation_is_403_and_unknown_404(
    client, organisation, candidate, bradford_hr
):
    appointment = propose(organisation, candidate)
    client.force_login(bradford_hr)
    assert client.get(f"/api/v1/appointments/{appointment.pk}").status_code == 403
    assert client.get("/api/v1/appointments/999999").status_code == 404
    assert (
        post(
            client, f"/api/v1/appointments/{appointment.pk}/start", {"start_date": "2026-12-01"}
        ).status_code
        == 403
    )


def test_requesting_organisation_cannot_answer_its_own_request(
    client, organisation, candidate, hr_lead
):
    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")
    client.force_login(hr_lead)

    response = post(
        client,
        f"/api/v1/reference-requests/{request.pk}/reference",
        {**all_no(), "referee_name": "X", "referee_job_title": "Y"},
    )

    assert response.status_code == 403
    assert not BoardMemberReference.objects.exists()


def test_openapi_documents_the_endpoints_and_never_asks_about_speaking_up(client):
    from steward.references.tests.test_views import SPEAKING_UP

    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/organisations/{ods_code}/appointments"]
    start = paths["/api/v1/appointments/{appointment_id}/start"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(start["responses"])
    assert "/api/v1/reference-requests/{request_id}/reference" in paths
    reference_in = schema["components"]["schemas"]["ReferenceIn"]
    assert set(reference_in["required"]) >= {
        "roles_and_dates",
        "disciplinary_findings",
        "investigations",
        "upheld_concerns",
        "fitness_outcomes",
        "settlement_agreements",
        "referee_name",
        "referee_job_title",
    }
    # Everything the references endpoints document: their operations and every schema
    # they reach, requests and responses alike.
    operations = [
        operation
        for methods in paths.values()
        for operation in methods.values()
        if "Appointments and references" in operation.get("tags", [])
    ]
    assert len(operations) == 6
    reached = _schemas_reached(schema, operations)
    assert {"ReferenceIn", "ReferenceOut", "AppointmentOut", "VettingOut"} <= set(reached)
    text = json.dumps([operations, reached])
    assert not SPEAKING_UP.search(text)
    names = _property_names(reached)
    assert "upheld_concerns" in names
    asked = [n for n in names if re.search(r"concern|rais|speak|whistle|disclos", n)]
    assert sorted(asked) == ["upheld_concerns", "upheld_concerns_details"]


def _schemas_reached(schema: dict, node, reached: dict | None = None) -> dict:
    """Every component schema reachable from ``node`` through $refs, by name."""
    reached = {} if reached is None else reached
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if ref and name not in reached:
            reached[name] = schema["components"]["schemas"][name]
            _schemas_reached(schema, reached[name], reached)
        for value in node.values():
            _schemas_reached(schema, value, reached)
    elif isinstance(node, list):
        for value in node:
            _schemas_reached(schema, value, reached)
    return reached


def _property_names(schemas: dict) -> set[str]:
    return {name for body in schemas.values() for name in body.get("properties", {})}


def test_completed_reference_visible_in_appointment_detail(
    client, organisation, candidate, hr_lead, bradford_hr
):
    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")
    complete(request, actor=bradford_hr)
    client.force_login(hr_lead)

    body = client.get(f"/api/v1/appointments/{appointment.pk}").json()

    assert body["references"] == [
        {
            "organisation": "RAE",
            "organisation_name": "Bradford Teaching Hospitals NHS Foundation Trust",
            "formerly": [],
            "period_start": "2018-04-01",
            "period_end": None,
            "state": "completed",
            "request_id": request.pk,
            "due_by": "2026-11-16",
        }
    ]
    assert body["proposed_start_date"] == str(dt.date(2026, 12, 1))


def test_references_owed_list_in_bounded_queries(
    client, organisation, bradford, bradford_hr, django_assert_max_num_queries
):
    """Requests for appointments and for leavers, each with its person, the organisation
    that asked and the role: the same few queries however many there are."""
    for index in range(4):
        registrant = person(legal_surname=f"Mensah {index}")
        career_role(registrant, bradford, start_date=dt.date(2018, 1, 1))
        appointment = propose(organisation, registrant, role_title=f"Director {index}")
        services.reference_requests_create(appointment=appointment, actor="tests")
        leaver = career_role(
            registrant,
            bradford,
            title=f"Chair {index}",
            category="chair",
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2017, 12, 31),
        )
        services.leaving_reference_request(career_role=leaver, actor="tests")
    client.force_login(bradford_hr)

    with django_assert_max_num_queries(6):
        owed = client.get("/api/v1/organisations/RAE/reference-requests")

    rows = owed.json()
    assert len(rows) == 8
    assert {r["role_title"] for r in rows} == {
        *(f"Director {i}" for i in range(4)),
        *(f"Chair {i}" for i in range(4)),
    }
    assert {r["requested_by_organisation"] for r in rows} == {"RR8", None}
    assert {r["person"] for r in rows} == {f"Adaeze Mensah {i}" for i in range(4)}
