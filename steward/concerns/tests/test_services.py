import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from steward.audit.models import AuditEvent
from steward.concerns import services
from steward.concerns.models import Concern, ConcernMessage

pytestmark = pytest.mark.django_db

WHAT = "The director told staff to delete the incident reports from ward 7 – Siobhán saw it"
ANSWERS = {"what_happened": WHAT, "when": "March 2026", "patient_harm": "at risk"}
IDENTITY = {"name": "Oluwaseun Adébáyọ̀", "email": "seun@example.nhs.uk", "phone": ""}


def _submit(organisation, anonymity="anonymous", **extra):
    details = {
        "anonymity": anonymity,
        "answers": ANSWERS,
        "organisation": organisation,
        **extra,
    }
    if anonymity != "anonymous":
        details.setdefault("reporter_identity", IDENTITY)
    return services.concern_submit(**details)


def test_an_anonymous_concern_comes_back_with_its_receipt_code(organisation):
    received = _submit(organisation)
    assert received.receipt_code
    found = services.concern_by_receipt(code=received.receipt_code.lower())
    assert found == received.concern
    assert found.reporter_identity_sealed is None and found.reporter_user is None


def test_wrong_and_unknown_codes_find_nothing_alike(organisation):
    received = _submit(organisation)
    code = received.receipt_code
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    assert services.concern_by_receipt(code=wrong) is None
    assert services.concern_by_receipt(code="not-a-code") is None
    assert services.concern_by_receipt(code="") is None


def test_sealed_columns_hold_no_plaintext(organisation):
    received = _submit(organisation, anonymity="confidential")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content_sealed, reporter_identity_sealed, receipt_hash FROM concerns_concern"
        )
        content, identity, receipt_hash = cursor.fetchone()
    stored = bytes(content) + bytes(identity) + receipt_hash.encode()
    for secret in ("incident reports", "Siobh", "Oluwaseun", "seun@example", "ward 7"):
        assert secret.encode() not in stored
    assert received.receipt_code.replace("-", "") not in receipt_hash.upper()


def test_the_deadlines_follow_the_settings(organisation, settings, travel):
    travel(dt.date(2026, 11, 30))
    concern = _submit(organisation).concern
    assert concern.received_on == dt.date(2026, 11, 30)
    assert concern.acknowledge_by == dt.date(2026, 12, 7)
    assert concern.feedback_by == dt.date(2027, 2, 28)
    settings.CONCERNS_ACKNOWLEDGE_DAYS = 2
    assert services.deadlines(dt.date(2026, 11, 30))[0] == dt.date(2026, 12, 2)


def test_anonymous_reports_leave_no_audit_event_named_ones_do(organisation):
    before = AuditEvent.objects.count()
    _submit(organisation)
    assert AuditEvent.objects.count() == before
    _submit(organisation, anonymity="open")
    assert AuditEvent.objects.filter(action="concerns.concern.received").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"anonymity": "secret"}, "anonymity"),
        ({"answers": {"what_happened": "  "}}, "what_happened"),
        ({"answers": {"what_happened": "x" * 20_001}}, "what_happened"),
        ({"answers": {"what_happened": "bad\x00"}}, "what_happened"),
        ({"anonymity": "confidential", "reporter_identity": {"name": ""}}, "name"),
        ({"anonymity": "open", "reporter_identity": {"name": "A"}}, "email"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(organisation, changes, field):
    details = {"anonymity": "anonymous", "answers": ANSWERS, "organisation": organisation}
    details.update(changes)
    with pytest.raises(ValidationError) as excinfo:
        services.concern_submit(**details)
    assert field in excinfo.value.message_dict
    assert not Concern.objects.exists()


def test_a_concern_must_be_about_someone_or_somewhere():
    with pytest.raises(ValidationError, match="who or what"):
        services.concern_submit(anonymity="anonymous", answers=ANSWERS)


def test_two_way_messages_in_order(organisation, make_user):
    caseworker = make_user("caseworker")
    concern = _submit(organisation).concern
    services.caseworker_message_add(
        concern=concern, body="Which ward, and when did it happen?", actor=caseworker
    )
    services.reporter_message_add(concern=concern, body="Ward 7, on 3 March.")
    messages = services.messages_for_reporter(concern=concern)
    assert [(m["number"], m["author"], m["body"]) for m in messages] == [
        (1, "caseworker", "Which ward, and when did it happen?"),
        (2, "reporter", "Ward 7, on 3 March."),
    ]
    assert all(isinstance(m["sent_on"], dt.date) for m in messages)
    assert ConcernMessage.objects.get(number=2).author_user is None
    event = AuditEvent.objects.get(action="concerns.message.sent")
    assert "Which ward" not in event.payload


def test_only_the_concerns_team_reads_and_writes_and_each_read_is_recorded(organisation, make_user):
    concern = _submit(organisation).concern
    with pytest.raises(PermissionDenied):
        services.concern_open(concern=concern, actor=make_user("registrar"))
    with pytest.raises(PermissionDenied):
        services.caseworker_message_add(
            concern=concern, body="Hello", actor=make_user("chair", organisation=organisation)
        )
    caseworker = make_user("caseworker")
    opened = services.concern_open(concern=concern, actor=caseworker)
    assert opened["answers"]["what_happened"] == WHAT
    event = AuditEvent.objects.get(action="concerns.concern.restricted_viewed")
    assert event.actor_id == caseworker.pk
    assert WHAT not in event.payload


def test_concerns_messages_and_files_have_random_keys_that_cannot_order_them(organisation):
    """Sequential keys would place an anonymous concern between audited events that
    carry exact times."""
    from steward.concerns.files import CleanFile
    from steward.concerns.models import ConcernFile, ConcernMessage

    concerns = [
        services.concern_submit(
            anonymity="anonymous",
            answers={"what_happened": f"Report {n}"},
            organisation=organisation,
            uploads=[CleanFile(name="a.txt", media_type="text/plain", content=b"a")],
        ).concern
        for n in range(5)
    ]
    for item in concerns:
        services.reporter_message_add(concern=item, body="More")
    for model, rows in (
        ("concern", concerns),
        ("message", list(ConcernMessage.objects.all())),
        ("file", list(ConcernFile.objects.all())),
    ):
        ids = [row.pk for row in rows]
        assert len(set(ids)) == 5, model
        assert max(ids) > 2**40, model  # all five below 2**40 by chance: about 2**-110
