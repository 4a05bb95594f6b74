import logging

import pytest

from steward.concerns.models import Concern
from steward.concerns.tests.privacy import every_stored_value

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
AGENT = "SecretBrowser/9.9 (whistle)"
CLIENT = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}
BODY = {
    "anonymity": "anonymous",
    "what_happened": "Incident reports about falls were deleted before the inspection.",
    "organisation_ods_code": "rr8",
}


def _raise(client, body=None, **extra):
    return client.post(
        "/api/v1/concerns", body or BODY, content_type="application/json", **{**CLIENT, **extra}
    )


def _inbox(client, code, **extra):
    return client.get("/api/v1/concerns/inbox", HTTP_X_RECEIPT_CODE=code, **{**CLIENT, **extra})


def test_an_anonymous_reporter_raises_a_concern_and_reads_the_reply(
    client, organisation, make_user
):
    from steward.concerns import services

    response = _raise(client)
    assert response.status_code == 201
    data = response.json()
    code = data["receipt_code"]
    assert data["reference"].startswith("C-") and code
    assert "Set-Cookie" not in response.headers and not response.cookies

    concern = Concern.objects.get(reference=data["reference"])
    services.caseworker_message_add(
        concern=concern, body="Which inspection was it?", actor=make_user("caseworker")
    )
    inbox = _inbox(client, code)
    assert inbox.status_code == 200
    assert inbox.json()["status"] == "new"
    # The reporter's words for it, as on their inbox page (not the concerns team's).
    assert inbox.json()["status_label"] == "Received"
    assert [m["body"] for m in inbox.json()["messages"]] == ["Which inspection was it?"]

    reply = client.post(
        "/api/v1/concerns/inbox/messages",
        {"body": "The CQC visit in March."},
        content_type="application/json",
        HTTP_X_RECEIPT_CODE=code,
        **CLIENT,
    )
    assert reply.status_code == 201 and reply.json()["number"] == 2


def test_nothing_identifying_is_stored_or_logged(client, organisation, caplog):
    caplog.set_level(logging.DEBUG)
    code = _raise(client).json()["receipt_code"]
    _inbox(client, code)
    _inbox(client, "WRONG-CODE-0000-0000-0000")
    stored = every_stored_value()
    assert IP not in stored
    assert AGENT not in stored
    assert code not in stored and code.replace("-", "") not in stored
    assert IP not in caplog.text and AGENT not in caplog.text


def test_wrong_and_unknown_codes_answer_the_same(client, organisation):
    code = _raise(client).json()["receipt_code"]
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    answers = [_inbox(client, c) for c in (wrong, "NOPE", "AAAA-BBBB-CCCC-DDDD-EEEE")]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    missing = client.get("/api/v1/concerns/inbox", **CLIENT)
    assert missing.status_code == 400 and "X-Receipt-Code" in missing.json()["detail"]


def test_wrong_codes_are_limited_per_client_and_overall(client, organisation, settings):
    code = _raise(client).json()["receipt_code"]
    settings.CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = 3
    for _ in range(3):
        assert _inbox(client, "WRONG").status_code == 404
    assert _inbox(client, code).status_code == 429  # even the right code, today, from here
    assert _inbox(client, code, REMOTE_ADDR="198.51.100.9").status_code == 200
    settings.CONCERNS_CODE_FAILURES_PER_DAY = 3
    assert _inbox(client, code, REMOTE_ADDR="198.51.100.10").status_code == 429


def test_the_limits_start_again_the_next_day(client, organisation, settings, travel):
    import datetime as dt

    from steward.concerns.models import DailyCount

    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 2
    travel(dt.date(2026, 12, 1))
    assert _raise(client).status_code == 201
    assert _raise(client).status_code == 201
    assert _raise(client).status_code == 429
    travel(dt.date(2026, 12, 2))
    assert _raise(client).status_code == 201
    # Yesterday's counts are gone, and only everyone's count is kept: nothing per
    # client is stored.
    assert set(DailyCount.objects.values_list("day", "client")) == {(dt.date(2026, 12, 2), "*")}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"anonymity": "secret"}, 422),
        ({"what_happened": ""}, 422),
        ({"organisation_ods_code": "ZZZ9"}, 422),
        ({"registration_number": "M0000000"}, 422),
        ({"anonymity": "confidential"}, 422),  # a confidential reporter gives their name
    ],
)
def test_bad_concerns_are_refused_and_change_nothing(client, organisation, changes, status):
    response = _raise(client, {**BODY, **changes})
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Concern.objects.exists()


def test_a_confidential_reporter_gets_a_code_and_an_open_one_too(client, organisation):
    reporter = {"name": "Grace O'Neill", "email": "grace@example.nhs.uk"}
    for anonymity in ("confidential", "open"):
        body = {**BODY, "anonymity": anonymity, "reporter": reporter}
        response = _raise(client, body)
        assert response.status_code == 201, response.content
        assert response.json()["receipt_code"]


def test_a_reply_through_the_api_puts_the_concern_back_with_the_caseworker(
    client, organisation, make_user
):
    from steward.concerns import services
    from steward.concerns.models import ConcernStatus

    data = _raise(client, {**BODY, "is_detriment": True}).json()
    concern = Concern.objects.get(reference=data["reference"])
    assert concern.is_detriment
    services.caseworker_message_add(
        concern=concern, body="Which ward?", actor=make_user("caseworker")
    )
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.AWAITING_REPORTER)
    reply = client.post(
        "/api/v1/concerns/inbox/messages",
        {"body": "Ward 9."},
        content_type="application/json",
        HTTP_X_RECEIPT_CODE=data["receipt_code"],
        **CLIENT,
    )
    assert reply.status_code == 201
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.version == 2
    inbox = _inbox(client, data["receipt_code"]).json()
    assert inbox["status"] == "acknowledged" and inbox["files"] == []


def test_the_api_lists_files_added_on_the_pages_by_name(client, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from steward.concerns import services

    data = _raise(client).json()
    concern = Concern.objects.get(reference=data["reference"])
    services.reporter_message_add(
        concern=concern,
        body="The rota.",
        uploads=[SimpleUploadedFile("ward rota.txt", b"Mon: none")],
    )
    inbox = _inbox(client, data["receipt_code"]).json()
    assert [(f["number"], f["name"], f["media_type_name"]) for f in inbox["files"]] == [
        (1, "ward rota.txt", "text file")
    ]
