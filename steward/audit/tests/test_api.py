import base64

import pytest
from nacl.signing import VerifyKey

from steward.accounts.services import token_create
from steward.audit import merkle
from steward.audit.services import audit_record, checkpoint_create, restricted_ref

pytestmark = pytest.mark.django_db

LATEST = "/api/v1/audit/checkpoints/latest"
EVENTS = "/api/v1/audit/events"


@pytest.fixture(autouse=True)
def _no_mfa_enrolment(settings):
    settings.DEMO_SKIP_MFA = True  # enrolment is the accounts app's concern, tested there


def test_no_checkpoint_yet_is_not_found(client):
    response = client.get(LATEST)
    assert response.status_code == 404
    assert response.json() == {"detail": "No checkpoint has been signed yet."}


def test_the_latest_signed_tree_head_is_public_and_verifiable(client, record):
    events = record(4)
    checkpoint_create()
    record(1)
    data = client.get(LATEST).json()
    assert data["tree_size"] == 4
    assert data["root_hash"] == merkle.root([bytes.fromhex(e.entry_hash) for e in events]).hex()
    body = f"steward-audit\n4\n{base64.b64encode(bytes.fromhex(data['root_hash'])).decode()}\n"
    assert data["note"].startswith(body)
    # Anyone can check the signature with the published key alone.
    VerifyKey(bytes.fromhex(data["public_key"])).verify(
        body.encode(), base64.b64decode(data["signature"])
    )


def test_the_public_key_is_published(client):
    data = client.get("/api/v1/audit/public-key").json()
    assert data["algorithm"] == "Ed25519"
    assert data["verifier_key"].startswith(f"steward-audit+{data['key_id']}+")
    assert base64.b64decode(data["public_key_base64"]).hex() == data["public_key"]


def test_events_need_authentication(client, record):
    record(1)
    assert client.get(EVENTS).status_code == 401


@pytest.mark.parametrize("role", [None, "registrar", "administrator"])
def test_events_are_for_auditors_only(client, role_user, make_user, record, role):
    record(1)
    client.force_login(role_user(role) if role else make_user())
    response = client.get(EVENTS)
    assert response.status_code == 403
    assert "items" not in response.json()


def test_auditors_page_through_events_with_a_bearer_token(client, auditor, record):
    record(7)
    secret = token_create(user=auditor, name="audit export", actor=auditor).secret
    headers = {"Authorization": f"Bearer {secret}"}
    first = client.get(EVENTS, {"limit": 5}, headers=headers).json()
    # The token's own creation is event 8.
    assert [e["seq"] for e in first["items"]] == [8, 7, 6, 5, 4]
    assert first["next_before"] == 4
    second = client.get(EVENTS, {"limit": 5, "before": 4}, headers=headers).json()
    assert [e["seq"] for e in second["items"]] == [3, 2, 1]
    assert second["next_before"] is None
    event = second["items"][-1]
    assert event["payload"] == {"index": 0, "note": 'ünïcödé "quoted"'}
    assert event["prev_hash"] == "0" * 64


def test_event_filters(client, auditor, make_user):
    person = make_user()
    audit_record(actor=person, action="accounts.role.granted", subject=person)
    audit_record(
        actor=None,
        action="cases.sanction.imposed",
        payload={"date_of_birth": restricted_ref("1980-02-29")},
    )
    client.force_login(auditor)
    items = client.get(EVENTS, {"action": "accounts."}).json()["items"]
    assert [e["seq"] for e in items] == [1]
    items = client.get(EVENTS, {"actor_id": person.pk}).json()["items"]
    assert [e["seq"] for e in items] == [1]
    items = client.get(
        EVENTS, {"subject_type": "accounts.user", "subject_id": str(person.pk)}
    ).json()["items"]
    assert [e["seq"] for e in items] == [1]
    restricted = client.get(EVENTS, {"action": "cases"}).json()["items"][0]["payload"]
    assert restricted["date_of_birth"].startswith("sha256:")


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-01"},
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"before": "99999999999999999999999"},
        {"limit": 0},
        {"limit": 100000},
        {"actor_id": "x"},
    ],
)
def test_bad_queries_are_refused_clearly(client, auditor, params):
    client.force_login(auditor)
    response = client.get(EVENTS, params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_event_list_queries_are_bounded(client, auditor, make_user, django_assert_max_num_queries):
    people = [make_user() for _ in range(3)]
    for i in range(150):
        audit_record(actor=people[i % 3], action="accounts.role.granted", subject=people[0])
    client.force_login(auditor)
    with django_assert_max_num_queries(6):
        response = client.get(EVENTS, {"limit": 200})
    assert len(response.json()["items"]) == 150


def test_the_schema_shows_no_restricted_fields(client):
    from steward.audit.services import RESTRICTED_KEYS

    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ["EventOut", "CheckpointOut", "PublicKeyOut", "EventListOut"]:
        assert not set(schemas[name]["properties"]) & RESTRICTED_KEYS, name
