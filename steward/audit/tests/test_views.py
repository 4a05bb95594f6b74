import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent, VerificationRun
from steward.audit.services import audit_record, audit_record_view, checkpoint_create
from steward.core import clock

pytestmark = pytest.mark.django_db

LIST = reverse("audit:list")
VERIFY = reverse("audit:verify")


@pytest.fixture(autouse=True)
def _no_mfa_enrolment(settings):
    settings.DEMO_SKIP_MFA = True  # enrolment is the accounts app's concern, tested there


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def body_of(response) -> str:
    return unescape(response.content.decode())


def detail(seq) -> str:
    return reverse("audit:detail", args=[seq])


@pytest.mark.parametrize("url", [LIST, VERIFY, "/audit/1/"])
def test_anonymous_people_are_sent_to_sign_in(client, record, url):
    record(1)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [None, "registrar", "administrator", "caseworker"])
@pytest.mark.parametrize("url", [LIST, VERIFY, "/audit/1/"])
def test_people_who_are_not_auditors_are_refused(client, role_user, make_user, record, role, url):
    record(1)
    client.force_login(role_user(role) if role else make_user())
    assert client.get(url).status_code == 403
    assert client.post(VERIFY).status_code == 403
    assert not VerificationRun.objects.exists()


def test_a_revoked_auditor_is_refused(client, auditor, record):
    record(1)
    auditor.role_assignments.update(revoked_at=clock.now())
    client.force_login(auditor)
    assert client.get(LIST).status_code == 403


def test_auditors_see_the_trail_newest_first(auditor_client, record):
    record(3)
    response = auditor_client.get(LIST)
    assert response.status_code == 200
    body = body_of(response)
    assert "Audit trail" in body
    assert body.index(f'href="{detail(3)}"') < body.index(f'href="{detail(1)}"')
    assert "system: test suite" in body


def test_filter_by_action_prefix(auditor_client, record):
    record(6)
    body = body_of(auditor_client.get(LIST, {"action": "cases."}))
    assert f'href="{detail(3)}"' in body and f'href="{detail(6)}"' in body
    assert f'href="{detail(1)}"' not in body and f'href="{detail(2)}"' not in body


def test_filter_by_person_email_or_number_and_by_system_name(auditor_client, make_user):
    person = make_user(email="filter.me@example.nhs.uk", full_name="Filter Me")
    audit_record(actor=person, action="accounts.role.granted")
    audit_record(actor="steward demo", action="accounts.role.granted")
    for value in ["filter.me@example.nhs.uk", f"user:{person.pk}", str(person.pk)]:
        body = body_of(auditor_client.get(LIST, {"actor": value}))
        assert f'href="{detail(1)}"' in body and f'href="{detail(2)}"' not in body, value
    body = body_of(auditor_client.get(LIST, {"actor": "steward demo"}))
    assert f'href="{detail(2)}"' in body and f'href="{detail(1)}"' not in body


def test_filter_by_subject(auditor_client, make_user):
    first, second = make_user(), make_user()
    audit_record(actor=None, action="accounts.user.created", subject=first)
    audit_record(actor=None, action="accounts.user.created", subject=second)
    audit_record(actor=None, action="organisations.reference_data.loaded")
    body = body_of(
        auditor_client.get(LIST, {"subject_type": "accounts.user", "subject_id": str(second.pk)})
    )
    assert f'href="{detail(2)}"' in body
    assert f'href="{detail(1)}"' not in body and f'href="{detail(3)}"' not in body


def test_filter_by_dates_in_iso_or_uk_format(auditor_client, record, monkeypatch):
    days = [dt.datetime(2026, 3, d, 12, 0, tzinfo=dt.UTC) for d in (1, 2, 3)]
    for day in days:
        monkeypatch.setattr(clock, "now", lambda day=day: day)
        record(1)
    for params in [
        {"date_from": "2026-03-02", "date_to": "2026-03-02"},
        {"date_from": "2/3/2026", "date_to": "2 March 2026"},
    ]:
        body = body_of(auditor_client.get(LIST, params))
        assert f'href="{detail(2)}"' in body, params
        assert f'href="{detail(1)}"' not in body and f'href="{detail(3)}"' not in body
        assert "from 2 March 2026 to 2 March 2026" in body
        assert "2 March 2026 at 12:00pm" in body


def test_filter_restricted_data_views(auditor_client, make_user):
    viewer, person = make_user(), make_user()
    audit_record(actor=viewer, action="accounts.role.granted", subject=person)
    audit_record_view(actor=viewer, subject=person, fields=["email"])
    body = body_of(auditor_client.get(LIST, {"restricted_views": "on"}))
    assert f'href="{detail(2)}"' in body and f'href="{detail(1)}"' not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "must be a real date"),
        ({"date_to": "31/02/2026"}, "must be a real date"),
        ({"date_from": "0000-01-01"}, "must be a real date"),
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "same as or after the from date"),
        ({"action": "<script>alert(1)</script>"}, "Action can only contain"),
        ({"subject_type": "'; DROP TABLE audit_auditevent; --"}, "app and model"),
        ({"actor": "nobody@example.nhs.uk"}, "No one signs in"),
        ({"actor": "user:99999999999999999999"}, "That user number is too large"),
        ({"subject_id": "\x00"}, "Null characters are not allowed"),
        ({"action": "a" * 5000}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_filters_explain_the_problem_and_never_fail(auditor_client, record, params, message):
    record(2)
    response = auditor_client.get(LIST, params)
    assert response.status_code == 200
    body = body_of(response)
    assert "There is a problem" in body
    assert message in body
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert f'href="{detail(1)}"' not in body  # no results until the filters are fixed


@pytest.mark.parametrize("cursor", ["abc", "-1", "99999999999999999999999", "²", "0"])
def test_odd_paging_cursors_show_the_first_page(auditor_client, record, cursor):
    record(2)
    for name in ["before", "after"]:
        response = auditor_client.get(LIST, {name: cursor})
        assert response.status_code == 200
        assert f'href="{detail(2)}"' in body_of(response)


def test_pages_go_back_and_forth(auditor_client, record):
    record(120)
    first = body_of(auditor_client.get(LIST))
    assert f'href="{detail(120)}"' in first and f'href="{detail(71)}"' in first
    assert f'href="{detail(70)}"' not in first
    assert "?before=71" in first and "Newer events" not in first
    second = body_of(auditor_client.get(LIST, {"before": 71}))
    assert f'href="{detail(70)}"' in second and f'href="{detail(21)}"' in second
    assert "?before=21" in second and "?after=70" in second
    third = body_of(auditor_client.get(LIST, {"before": 21}))
    assert f'href="{detail(20)}"' in third and f'href="{detail(1)}"' in third
    assert "Older events" not in third
    back = body_of(auditor_client.get(LIST, {"after": 70}))
    assert f'href="{detail(120)}"' in back and f'href="{detail(71)}"' in back
    assert f'href="{detail(70)}"' not in back


def test_paging_keeps_the_filters(auditor_client, record):
    record(200)
    body = body_of(auditor_client.get(LIST, {"action": "accounts"}))
    assert "action=accounts&before=" in body


def test_the_list_runs_a_bounded_number_of_queries(
    auditor_client, record, make_user, django_assert_max_num_queries
):
    people = [make_user() for _ in range(5)]
    for i in range(200):
        audit_record(actor=people[i % 5], action="accounts.role.granted", subject=people[0])
    with django_assert_max_num_queries(8):
        response = auditor_client.get(LIST, {"before": 150})
    assert response.status_code == 200
    with django_assert_max_num_queries(9):
        response = auditor_client.get(LIST, {"actor": people[1].email, "action": "accounts"})
    assert response.status_code == 200


def test_an_event_shows_its_hashes_and_details(auditor_client, make_user):
    person = make_user(full_name="Siobhán O'Connor")
    event = audit_record(
        actor=person,
        action="accounts.role.granted",
        reason="Joined the team",
        subject=person,
        payload={"role": "auditor"},
    )
    body = body_of(auditor_client.get(detail(event.seq)))
    assert event.entry_hash in body and event.prev_hash in body
    assert "Siobhán O'Connor (user:" in body
    assert "Joined the team" in body
    assert '>role</span>: <code class="steward-mono">"auditor"</code>' in body
    assert "Matches its contents" in body
    assert "No checkpoint covers this event yet" in body


def test_an_event_shows_its_inclusion_proof(auditor_client, record):
    record(11)
    checkpoint_create()
    body = body_of(auditor_client.get(detail(6)))
    assert "Included" in body
    assert "number 6 of the 11 events" in body
    assert "Not proven" not in body


def test_a_tampered_event_shows_it(auditor_client, record, tamper):
    record(4)
    checkpoint_create()
    tamper("UPDATE audit_auditevent SET payload = '{\"index\":42}' WHERE seq = 2")
    body = body_of(auditor_client.get(detail(2)))
    assert "Does not match its contents" in body
    assert "Not proven" in body


def test_a_deleted_event_makes_the_proof_unavailable(auditor_client, record, tamper):
    record(4)
    checkpoint_create()
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    response = auditor_client.get(detail(3))
    assert response.status_code == 200
    assert "The proof cannot be worked out" in body_of(response)


@pytest.mark.parametrize("seq", [5, 999999999999999999999999])
def test_unknown_events_are_not_found(auditor_client, record, seq):
    record(1)
    assert auditor_client.get(f"/audit/{seq}/").status_code == 404


def test_verifying_an_intact_trail(auditor_client, auditor, record):
    record(5)
    checkpoint_create()
    assert "has not been verified here yet" in body_of(auditor_client.get(VERIFY))
    response = auditor_client.post(VERIFY, follow=True)
    assert response.status_code == 200
    body = body_of(response)
    assert "Intact" in body
    assert "6 of 6" in body  # the five, and the request to verify them
    run = VerificationRun.objects.get()
    assert (run.status, run.requested_by, run.checkpoints_checked) == ("passed", auditor, 1)
    # Asking for a verification is itself recorded, and so is the outcome.
    requested, completed = AuditEvent.objects.order_by("seq")[5:7]
    assert (requested.action, requested.actor_id) == ("audit.verification.requested", auditor.pk)
    assert completed.action == "audit.verification.completed"
    assert '"outcome":"passed"' in completed.payload


def test_verifying_a_broken_trail_names_the_event(auditor_client, record, tamper):
    record(5)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    body = body_of(auditor_client.post(VERIFY, follow=True))
    assert "Problem found" in body
    assert "Event 3 is missing" in body
    assert VerificationRun.objects.get().first_bad_seq == 3


def test_long_trails_are_verified_in_the_background(
    auditor_client, record, monkeypatch, django_capture_on_commit_callbacks
):
    from steward.audit import services

    monkeypatch.setattr(services, "VERIFY_INLINE_LIMIT", 2)
    record(5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = body_of(auditor_client.post(VERIFY, follow=True))
    assert "The check has started" in body
    assert "Waiting to start" in body
    assert VerificationRun.objects.get().status == "queued"
    for callback in callbacks:  # the worker picks the task up (sync in tests)
        callback()
    run = VerificationRun.objects.get()
    assert run.status == "passed"
    assert run.events_checked == 6  # the five, plus the request's own event
    assert "Intact" in body_of(auditor_client.get(VERIFY))


def test_the_verify_page_shows_the_public_key_and_checkpoints(auditor_client, record):
    from steward.audit import signing

    record(3)
    checkpoint = checkpoint_create()
    body = body_of(auditor_client.get(VERIFY))
    assert bytes(signing.verify_key()).hex() in body
    assert checkpoint.root_hash in body
