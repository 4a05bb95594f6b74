"""Who raised a concern: reading it inside the team, and revealing it outside only with
a second person's (a custodian's) approval. Everything audited, nothing identifying in
notifications."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import reveal, services
from steward.concerns.models import IdentityReveal, RevealStatus
from steward.notifications.models import Notification

pytestmark = pytest.mark.django_db

NAME = "Oluwaseun Adébáyọ̀"
EMAIL = "seun@example.nhs.uk"
IDENTITY = {"name": NAME, "email": EMAIL, "phone": "0113 496 0999"}
WHAT = "The director told staff to delete the incident reports from ward 7"
REASON = "The police need to take a statement from the person who raised it."


def submit(organisation, anonymity="confidential", **extra):
    details = {"anonymity": anonymity, "answers": {"what_happened": WHAT}, **extra}
    details.setdefault("organisation", organisation)
    if anonymity != "anonymous":
        details.setdefault("reporter_identity", IDENTITY)
    return services.concern_submit(**details).concern


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", full_name="Casey Worker")


@pytest.fixture
def custodian(make_user):
    return make_user("custodian", full_name="Kit Custodian")


@pytest.fixture
def concern(organisation):
    return submit(organisation)


def ask(concern, actor, **overrides):
    details = {
        "concern": concern,
        "recipient": "DC Jones, West Yorkshire Police",
        "reason": REASON,
        "reporter_consented": True,
        "actor": actor,
        **overrides,
    }
    return reveal.reveal_request(**details)


def no_identity_in(*texts):
    for text in texts:
        assert NAME not in text and EMAIL not in text and "0113 496 0999" not in text


# --- Reading inside the team -----------------------------------------------------------


def test_a_caseworker_reads_a_confidential_reporters_identity_and_it_is_recorded(
    concern, caseworker
):
    identity = reveal.reporter_identity_read(concern=concern, actor=caseworker)
    assert identity["name"] == NAME and identity["email"] == EMAIL
    event = AuditEvent.objects.get(action="concerns.concern.restricted_viewed")
    assert event.actor_id == caseworker.pk
    assert event.subject_id == str(concern.pk)
    assert event.payload_data["fields"] == ["reporter_identity"]
    no_identity_in(event.payload, event.reason)


def test_an_open_reporter_who_used_their_account_is_named_from_it(organisation, make_user):
    reporter = make_user(email="speaker@example.nhs.uk", full_name="Sam Speaker")
    concern = submit(organisation, "open", reporter_user=reporter, reporter_identity={})
    identity = reveal.reporter_identity_read(concern=concern, actor=make_user("caseworker"))
    assert identity["name"] == "Sam Speaker"
    assert identity["email"] == "speaker@example.nhs.uk"
    assert identity["uses_account"] is True


def test_an_anonymous_concern_has_no_identity_to_read(organisation, caseworker):
    concern = submit(organisation, "anonymous")
    with pytest.raises(ValidationError, match="raised anonymously"):
        reveal.reporter_identity_read(concern=concern, actor=caseworker)
    assert not AuditEvent.objects.filter(action="concerns.concern.restricted_viewed").exists()


@pytest.mark.parametrize("role", ["custodian", "registrar", "auditor", "chair"])
def test_only_the_concerns_team_reads_identity(concern, role_user, role):
    with pytest.raises(PermissionDenied):
        reveal.reporter_identity_read(concern=concern, actor=role_user(role))


def test_the_identity_page_shows_it_only_after_the_button_and_is_never_stored(
    client, settings, concern, caseworker
):
    settings.DEMO_SKIP_MFA = True
    client.force_login(caseworker)
    url = reverse("concerns:identity", kwargs={"reference": concern.reference})
    page = client.get(url)
    assert page.status_code == 200
    assert "Show who raised it" in page.content.decode()
    assert NAME not in page.content.decode()
    assert not AuditEvent.objects.filter(action="concerns.concern.restricted_viewed").exists()

    shown = client.post(url)
    assert shown.status_code == 200
    assert NAME in shown.content.decode() and EMAIL in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(
        action="concerns.concern.restricted_viewed", actor=caseworker
    ).exists()


def test_the_identity_page_says_so_for_an_anonymous_concern(
    client, settings, organisation, caseworker
):
    settings.DEMO_SKIP_MFA = True
    concern = submit(organisation, "anonymous")
    client.force_login(caseworker)
    url = reverse("concerns:identity", kwargs={"reference": concern.reference})
    response = client.post(url)
    assert response.status_code == 200
    assert "raised anonymously" in response.content.decode()
    assert "Show who raised it</button>" not in response.content.decode()


def test_an_unknown_reference_is_not_found(client, settings, caseworker):
    settings.DEMO_SKIP_MFA = True
    client.force_login(caseworker)
    url = reverse("concerns:identity", kwargs={"reference": "C-NOTHERE"})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# --- Requesting a reveal -----------------------------------------------------------------


def test_a_caseworker_asks_and_custodians_are_told_nothing_about_the_reporter(
    concern, caseworker, custodian, make_user, django_capture_on_commit_callbacks
):
    other_custodian = make_user("custodian")
    with django_capture_on_commit_callbacks(execute=True):
        made = ask(concern, caseworker)
    assert made.status == RevealStatus.REQUESTED
    assert made.requested_by == caseworker and made.reporter_consented is True
    event = AuditEvent.objects.get(action="concerns.reveal.requested")
    assert event.actor_id == caseworker.pk
    assert event.payload_data == {"concern": concern.reference, "reporter_consented": True}
    assert REASON not in event.payload
    told = Notification.objects.filter(topic="concerns.reveal")
    assert {n.user_id for n in told} == {custodian.pk, other_custodian.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([custodian.email, other_custodian.email])
    for message in mail.outbox:
        assert reverse("concerns:reveal", kwargs={"pk": made.pk}) in message.body
        no_identity_in(message.subject, message.body)
        assert REASON not in message.body


def test_a_custodian_who_asks_is_not_asked_to_decide(concern, make_user):
    both = make_user("caseworker")
    from steward.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role="custodian")
    ask(concern, both)
    assert not Notification.objects.filter(user=both).exists()


def test_an_anonymous_concern_cannot_be_revealed(organisation, caseworker):
    concern = submit(organisation, "anonymous")
    with pytest.raises(ValidationError, match="cannot be revealed"):
        ask(concern, caseworker)
    assert not IdentityReveal.objects.exists()


def test_an_open_concern_needs_no_reveal(organisation, caseworker):
    concern = submit(organisation, "open")
    with pytest.raises(ValidationError, match="raised openly"):
        ask(concern, caseworker)
    assert not IdentityReveal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"recipient": ""}, "recipient"),
        ({"reason": "x" * 5_001}, "reason"),
        ({"recipient": "bad\x00"}, "recipient"),
    ],
)
def test_a_request_needs_a_reason_and_a_recipient(concern, caseworker, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        ask(concern, caseworker, **changes)
    assert field in excinfo.value.message_dict
    assert not IdentityReveal.objects.exists()


def test_only_the_concerns_team_asks(concern, custodian):
    with pytest.raises(PermissionDenied):
        ask(concern, custodian)


# --- Deciding ----------------------------------------------------------------------------


def test_a_custodian_approves_and_the_person_who_asked_is_told(
    concern, caseworker, custodian, django_capture_on_commit_callbacks
):
    made = ask(concern, caseworker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = reveal.reveal_decide(
            reveal=made, approve=True, decision_reason="A criminal matter.", actor=custodian
        )
    assert decided.status == RevealStatus.APPROVED and decided.decided_by == custodian
    assert decided.decided_at is not None
    event = AuditEvent.objects.get(action="concerns.reveal.approved")
    assert event.actor_id == custodian.pk
    assert "criminal" not in event.payload
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert "approved" in mail.outbox[0].subject
    no_identity_in(mail.outbox[0].subject, mail.outbox[0].body)


def test_a_custodian_refuses(concern, caseworker, custodian):
    made = ask(concern, caseworker)
    decided = reveal.reveal_decide(
        reveal=made, approve=False, decision_reason="Not necessary.", actor=custodian
    )
    assert decided.status == RevealStatus.REFUSED
    assert AuditEvent.objects.filter(action="concerns.reveal.refused").exists()
    assert Notification.objects.filter(user=caseworker, subject__contains="refused").exists()


def test_the_person_who_asked_cannot_decide_even_as_a_custodian(concern, make_user):
    from steward.accounts.models import RoleAssignment

    both = make_user("caseworker")
    RoleAssignment.objects.create(user=both, role="custodian")
    made = ask(concern, both)
    with pytest.raises(ValidationError, match="Another custodian must"):
        reveal.reveal_decide(reveal=made, approve=True, decision_reason="Mine.", actor=both)
    made.refresh_from_db()
    assert made.status == RevealStatus.REQUESTED and made.decided_by is None


def test_the_database_also_needs_a_second_person(concern, caseworker):
    made = ask(concern, caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityReveal.objects.filter(pk=made.pk).update(
            status=RevealStatus.APPROVED, decided_by=caseworker
        )


def test_a_caseworker_who_is_not_a_custodian_cannot_decide(concern, caseworker, make_user):
    made = ask(concern, caseworker)
    with pytest.raises(PermissionDenied):
        reveal.reveal_decide(
            reveal=made, approve=True, decision_reason="Yes.", actor=make_user("caseworker")
        )


def test_a_decision_needs_reasons_and_is_made_once(concern, caseworker, custodian, make_user):
    made = ask(concern, caseworker)
    with pytest.raises(ValidationError) as excinfo:
        reveal.reveal_decide(reveal=made, approve=True, decision_reason=" ", actor=custodian)
    assert "decision_reason" in excinfo.value.message_dict
    reveal.reveal_decide(reveal=made, approve=False, decision_reason="No.", actor=custodian)
    with pytest.raises(ValidationError, match="already refused"):
        reveal.reveal_decide(
            reveal=made, approve=True, decision_reason="Yes.", actor=make_user("custodian")
        )
    made.refresh_from_db()
    assert made.status == RevealStatus.REFUSED and made.decided_by == custodian


# --- Disclosing --------------------------------------------------------------------------


@pytest.fixture
def approved(concern, caseworker, custodian):
    made = ask(concern, caseworker)
    return reveal.reveal_decide(
        reveal=made, approve=True, decision_reason="A criminal matter.", actor=custodian
    )


def test_the_person_who_asked_sees_it_once_after_approval(approved, caseworker):
    identity = reveal.reveal_disclose(reveal=approved, actor=caseworker)
    assert identity["name"] == NAME
    approved.refresh_from_db()
    assert approved.disclosed_at is not None
    event = AuditEvent.objects.filter(
        action="concerns.concern.restricted_viewed", actor=caseworker
    ).get()
    assert event.payload_data["fields"] == ["reporter_identity"]
    assert "DC Jones, West Yorkshire Police" in event.reason
    no_identity_in(event.payload, event.reason)
    with pytest.raises(ValidationError, match="only once"):
        reveal.reveal_disclose(reveal=approved, actor=caseworker)


def test_nobody_else_can_see_it_under_the_approval(approved, custodian, make_user):
    for other in (custodian, make_user("caseworker")):
        with pytest.raises(PermissionDenied):
            reveal.reveal_disclose(reveal=approved, actor=other)
    approved.refresh_from_db()
    assert approved.disclosed_at is None


def test_nothing_is_shown_before_approval_or_after_refusal(concern, caseworker, custodian):
    made = ask(concern, caseworker)
    with pytest.raises(ValidationError, match="not approved"):
        reveal.reveal_disclose(reveal=made, actor=caseworker)
    reveal.reveal_decide(reveal=made, approve=False, decision_reason="No.", actor=custodian)
    with pytest.raises(ValidationError, match="not approved"):
        reveal.reveal_disclose(reveal=made, actor=caseworker)
    assert not AuditEvent.objects.filter(action="concerns.concern.restricted_viewed").exists()


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


def test_the_whole_journey_through_the_pages(client, concern, caseworker, custodian):
    client.force_login(caseworker)
    url = reverse("concerns:reveal_request", kwargs={"reference": concern.reference})
    assert "Request to reveal their identity" in client.get(url).content.decode()
    empty = client.post(url, {})
    assert "There is a problem" in empty.content.decode()
    assert "Enter why their identity needs to be revealed" in empty.content.decode()
    response = client.post(
        url,
        {
            "recipient": "DC Jones, West Yorkshire Police",
            "reason": REASON,
            "reporter_consented": "no",
        },
    )
    made = IdentityReveal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:reveal", kwargs={"pk": made.pk})
    assert made.reporter_consented is False

    client.force_login(custodian)
    listing = client.get(reverse("concerns:reveals")).content.decode()
    assert concern.reference in listing and "Waiting for a custodian" in listing
    page = client.get(reverse("concerns:reveal", kwargs={"pk": made.pk})).content.decode()
    assert concern.reference in page and REASON in page and "Casey Worker" in page
    assert "Save decision" in page
    no_identity_in(page)  # the custodian decides without seeing who it is
    decided = client.post(
        reverse("concerns:reveal", kwargs={"pk": made.pk}),
        {"decision": "approve", "decision_reason": "A criminal matter."},
    )
    assert decided.status_code == 302
    made.refresh_from_db()
    assert made.status == RevealStatus.APPROVED

    client.force_login(caseworker)
    page = client.get(reverse("concerns:reveal", kwargs={"pk": made.pk})).content.decode()
    assert "Show their identity" in page
    no_identity_in(page)
    disclose = reverse("concerns:reveal_disclose", kwargs={"pk": made.pk})
    assert client.get(disclose).status_code == 302
    shown = client.post(disclose)
    assert shown.status_code == 200 and NAME in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    again = client.post(disclose, follow=True).content.decode()
    assert "shown only once" in again and NAME not in again
    assert "Show their identity</button>" not in again


def test_the_requester_cannot_decide_through_the_page(client, concern, make_user):
    from steward.accounts.models import RoleAssignment

    both = make_user("caseworker")
    RoleAssignment.objects.create(user=both, role="custodian")
    made = ask(concern, both)
    client.force_login(both)
    url = reverse("concerns:reveal", kwargs={"pk": made.pk})
    page = client.get(url).content.decode()
    assert "Save decision" not in page and "Another custodian must" in page
    response = client.post(url, {"decision": "approve", "decision_reason": "Mine."}, follow=True)
    assert "Another custodian must" in response.content.decode()
    made.refresh_from_db()
    assert made.status == RevealStatus.REQUESTED


def test_a_non_requester_cannot_disclose_through_the_page(client, approved, make_user):
    client.force_login(make_user("caseworker"))
    response = client.post(reverse("concerns:reveal_disclose", kwargs={"pk": approved.pk}))
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.disclosed_at is None


def test_the_request_page_explains_when_no_request_is_possible(client, organisation, caseworker):
    client.force_login(caseworker)
    for anonymity, words in (("anonymous", "cannot be revealed"), ("open", "raised openly")):
        concern = submit(organisation, anonymity)
        url = reverse("concerns:reveal_request", kwargs={"reference": concern.reference})
        page = client.get(url).content.decode()
        assert words in page and "Send the request" not in page
        client.post(url, {"recipient": "x", "reason": "y", "reporter_consented": "yes"})
    assert not IdentityReveal.objects.exists()


def test_the_custodians_list_puts_waiting_first_in_bounded_queries(
    client, organisation, caseworker, custodian, make_user, django_assert_max_num_queries
):
    decided = [ask(submit(organisation), caseworker) for _ in range(3)]
    for made in decided:
        reveal.reveal_decide(reveal=made, approve=False, decision_reason="No.", actor=custodian)
    waiting = [ask(submit(organisation), caseworker) for _ in range(3)]
    client.force_login(make_user("custodian"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("concerns:reveals")).content.decode()
    first_waiting = page.index(waiting[0].concern.reference)
    assert all(page.index(m.concern.reference) > first_waiting for m in decided)


# --- The panel on the concern's page ---------------------------------------------------------


def render_panel(panel, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "concerns/staff/_reporter.jinja", {"panel": panel, "request": request}, request=request
    )


def test_the_panel_for_a_confidential_concern(
    concern, caseworker, custodian, django_assert_max_num_queries
):
    made = ask(concern, caseworker)
    reveal.reveal_decide(reveal=made, approve=False, decision_reason="No.", actor=custodian)
    ask(concern, caseworker)
    with django_assert_max_num_queries(4):
        panel = reveal.reporter_panel(concern=concern, user=caseworker)
    assert panel["can_read_identity"] and panel["can_request_reveal"]
    assert [r["status"] for r in panel["reveals"]] == ["requested", "refused"]
    html = render_panel(panel, caseworker)
    assert "Raised in confidence" in html
    assert "Show who raised it" in html
    assert "Request to reveal their identity" in html
    assert reverse("concerns:identity", kwargs={"reference": concern.reference}) in html
    assert "Refused" in html and "Waiting for a custodian" in html
    no_identity_in(html)


def test_the_panel_for_an_anonymous_and_an_open_concern(organisation, caseworker):
    anonymous = reveal.reporter_panel(concern=submit(organisation, "anonymous"), user=caseworker)
    assert not anonymous["can_read_identity"] and not anonymous["can_request_reveal"]
    html = render_panel(anonymous, caseworker)
    assert "Raised anonymously" in html and "Show who raised it" not in html
    assert "Request to reveal" not in html
    opened = reveal.reporter_panel(concern=submit(organisation, "open"), user=caseworker)
    html = render_panel(opened, caseworker)
    assert "Raised openly" in html and "Show who raised it" in html
    assert "Request to reveal" not in html


def test_the_concern_page_shows_the_panel(client, concern, caseworker):
    client.force_login(caseworker)
    page = client.get(reverse("concerns:detail", kwargs={"reference": concern.reference}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Who raised it" in html and "Raised in confidence" in html
    assert reverse("concerns:identity", kwargs={"reference": concern.reference}) in html
    assert "Request to reveal their identity" in html
    no_identity_in(html)
