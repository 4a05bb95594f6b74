"""The concerns team's API: the queue, a concern, messages, assignment,
acknowledgement and triage, with their refusals."""

import pytest

from steward.audit.models import AuditEvent
from steward.concerns import services, triage
from steward.concerns.models import ConcernStatus, TriageDecision
from steward.concerns.tests.factories_staff import (
    REPORTER,
    TODAY,
    WHAT,
    concern,
    fresh,
    manager,
)

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/concerns/queue"


@pytest.fixture(autouse=True)
def today(travel, settings):
    settings.DEMO_SKIP_MFA = True
    travel(TODAY)


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", full_name="Casey Worker")


@pytest.fixture
def api(client, caseworker):
    client.force_login(caseworker)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_queue_lists_concerns_without_what_anyone_wrote(
    api, caseworker, organisation, django_assert_max_num_queries
):
    for _ in range(3):
        concern(organisation=organisation, registrant=manager(organisation))
    waiting = concern(organisation=organisation)
    triage.concern_message_send(
        concern=waiting, body="Which ward?", actor=caseworker, needs_reply=True
    )
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(10):
        response = api.get(QUEUE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and body["filter"] == "open"
    # Concerns received on the same day come in no particular order (their keys are
    # random, so nothing dates them more finely than the day).
    about = sorted(item["about"] for item in body["items"])
    assert sum(text.startswith("Priya Director") for text in about) == 3
    assert {item["anonymity"] for item in body["items"]} == {"confidential"}
    text = response.content.decode()
    assert WHAT not in text and "Which ward?" not in text and REPORTER["name"] not in text
    assert AuditEvent.objects.count() == before
    only = api.get(QUEUE, {"filter": "awaiting_reporter"}).json()
    assert [i["reference"] for i in only["items"]] == [waiting.reference]


def test_a_bad_filter_is_refused_with_a_message(api):
    response = api.get(QUEUE, {"filter": "everything"})
    assert response.status_code == 400
    assert "Use a filter of: open, new" in response.json()["detail"]
    assert api.get(QUEUE, {"page": "x"}).status_code == 422


def test_only_the_concerns_team_uses_the_staff_api(client, role_user, organisation):
    item = concern(organisation=organisation)
    assert client.get(QUEUE).status_code == 401
    client.force_login(role_user("registrar"))
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}/{item.reference}").status_code == 403
    assert post(client, f"{QUEUE}/{item.reference}/acknowledge", {"version": 1}).status_code == 403
    assert fresh(item).acknowledged_on is None


def test_reading_a_concern_opens_its_report_and_records_it(api, caseworker, organisation):
    item = concern(organisation=organisation, registrant=manager(organisation))
    triage.concern_message_send(concern=item, body="Which ward?", actor=caseworker)
    services.reporter_message_add(concern=fresh(item), body="Ward 7")
    before = AuditEvent.objects.count()
    response = api.get(f"{QUEUE}/{item.reference.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["answers"]["what_happened"] == WHAT
    assert [m["body"] for m in body["messages"]] == ["Which ward?", "Ward 7"]
    assert body["subject"]["name"] == "Priya Director"
    assert body["organisation"]["ods_code"] == "RR8"
    assert REPORTER["name"] not in response.content.decode()
    viewed = AuditEvent.objects.filter(pk__gt=before, action="concerns.concern.restricted_viewed")
    assert viewed.count() == 2
    assert api.get(f"{QUEUE}/C-NOPE").status_code == 404


def test_writing_to_the_reporter(api, organisation):
    item = concern(organisation=organisation, anonymity="anonymous")
    response = post(
        api, f"{QUEUE}/{item.reference}/messages", {"body": "Which ward?", "needs_reply": True}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting_reporter"
    assert services.messages_for_reporter(concern=item)[0]["body"] == "Which ward?"
    empty = post(api, f"{QUEUE}/{item.reference}/messages", {"body": " "})
    assert empty.status_code == 400
    assert empty.json()["errors"] == [{"field": "body", "message": "Enter your message"}]
    assert post(api, f"{QUEUE}/C-NOPE/messages", {"body": "Hello"}).status_code == 404


def test_assigning(api, caseworker, organisation, make_user):
    item = concern(organisation=organisation)
    url = f"{QUEUE}/{item.reference}/assign"
    response = post(api, url, {"assignee": caseworker.pk, "version": 1})
    assert response.status_code == 200
    assert response.json()["assigned_to"] == {"id": caseworker.pk, "name": "Casey Worker"}
    assert response.json()["version"] == 2
    assert post(api, url, {"assignee": None, "version": 1}).status_code == 409
    outsider = make_user("registrar")
    refused = post(api, url, {"assignee": outsider.pk, "version": 2})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "assignee"
    nobody = post(api, url, {"assignee": 999999, "version": 2})
    assert nobody.status_code == 400
    assert nobody.json()["errors"] == [{"field": "assignee", "message": "No one has that user id"}]
    assert post(api, url, {"assignee": None, "version": 2}).json()["assigned_to"] is None


def test_acknowledging(api, organisation):
    item = concern(organisation=organisation)
    url = f"{QUEUE}/{item.reference}/acknowledge"
    response = post(api, url, {"version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_on"] == TODAY.isoformat()
    again = post(api, url, {"version": 2})
    assert again.status_code == 400 and "already acknowledged" in again.json()["detail"]
    assert post(api, url, {"version": 1}).status_code == 409


def test_triage_through_the_api(api, organisation):
    item = concern(organisation=organisation, registrant=manager(organisation))
    url = f"{QUEUE}/{item.reference}/triage"
    decision = {
        "outcome": "refer_to_employer",
        "reasons": "A likely breach of CC10.",
        "cited_refs": ["CC10", "NE2"],
        "conduct_on": "2026-03-01",
        "employer_summary": "Please look into the destruction of incident forms.",
        "version": 1,
    }
    bad = post(api, url, {**decision, "cited_refs": ["CC99"]})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "cited_refs"
    assert "CC99" in bad.json()["errors"][0]["message"]
    missing = post(api, url, {**decision, "employer_summary": ""})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "employer_summary"
    unknown = post(api, url, {**decision, "referred_to": "ZZZ9"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "referred_to"
    assert post(api, url, {**decision, "version": 5}).status_code == 409
    assert post(api, f"{QUEUE}/C-NOPE/triage", decision).status_code == 404
    assert post(api, url, {**decision, "outcome": "ignore"}).status_code == 422
    assert not TriageDecision.objects.exists()
    done = post(api, url, decision)
    assert done.status_code == 201
    body = done.json()
    assert body["outcome"] == "refer_to_employer" and body["standards_version"] == 1
    assert body["referred_to"] == {"ods_code": "RR8", "name": "Leeds Teaching Hospitals NHS Trust"}
    assert [c["ref"] for c in body["cited"]] == ["CC10", "NE2"]
    assert fresh(item).status == ConcernStatus.REFERRED_TO_EMPLOYER
