"""Triage: closing, referring to the employer, recommending a case and urgent action;
citing the standards in force on the date of the conduct; who is told what."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import selectors, services, triage
from steward.concerns.models import ConcernStatus, TriageDecision
from steward.concerns.tests.factories_staff import REPORTER, TODAY, concern, fresh, manager
from steward.notifications.models import Notification
from steward.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

REASONS = "Staff were told to destroy records: this is a serious breach of CC10."
EXPLANATION = "We looked at what you told us and found no breach of the standards."
SUMMARY = "Staff on ward 7 say incident forms were destroyed before an inspection."


@pytest.fixture(autouse=True)
def today(travel, settings):
    settings.DEMO_SKIP_MFA = True
    travel(TODAY)
    return TODAY


@pytest.fixture
def caseworker(role_user):
    return role_user("caseworker")


@pytest.fixture
def subject_user(make_user):
    return make_user("registrant", email="priya.director@example.nhs.uk", full_name="Priya")


@pytest.fixture
def subject(organisation, subject_user):
    return manager(organisation, user=subject_user)


@pytest.fixture
def employers(make_user, organisation):
    return {
        role: make_user(role, organisation=organisation, email=f"{role}@rr8.example.nhs.uk")
        for role in ("chair", "chief_executive", "hr_lead", "senior_independent_director")
    }


@pytest.fixture
def registrar(make_user):
    return make_user("registrar", email="registrar@regulator.example")


def decide(item, caseworker, outcome, **extra):
    values = {
        "concern": item,
        "outcome": outcome,
        "cited_refs": ["CC10"],
        "reasons": REASONS,
        "actor": caseworker,
        "version": item.version,
    }
    values.update(extra)
    return triage.triage_decide(**values)


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


# --- Closing ---------------------------------------------------------------------


def test_closing_tells_the_reporter_in_plain_english_and_nobody_else(
    caseworker, organisation, subject, employers, django_capture_on_commit_callbacks
):
    item = concern(organisation=organisation, registrant=subject)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(
            item, caseworker, "close", cited_refs=[], reporter_explanation=EXPLANATION
        )
    item = fresh(item)
    assert item.status == ConcernStatus.CLOSED
    assert item.first_feedback_on == TODAY and item.acknowledged_on == TODAY
    assert decision.cited_refs == [] and decision.standards_version is None
    thread = services.messages_for_reporter(concern=item)
    assert thread[-1]["author"] == "caseworker" and thread[-1]["body"] == EXPLANATION
    # The manager is not told of a closed concern, nor is the employer.
    assert item.subject_told_on is None
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_closing_needs_an_explanation_for_the_reporter(caseworker, organisation):
    item = concern(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "close", reporter_explanation="  ")
    assert "reporter_explanation" in error.value.message_dict
    assert not TriageDecision.objects.exists()
    assert fresh(item).status == ConcernStatus.NEW


def test_reasons_are_always_needed(caseworker, organisation):
    item = concern(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "close", reasons="", reporter_explanation=EXPLANATION)
    assert error.value.message_dict["reasons"] == ["Enter the reasons for your decision"]


def test_an_unknown_outcome_is_refused(caseworker, organisation):
    item = concern(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "ignore")
    assert "outcome" in error.value.message_dict


# --- Referring to the employer -------------------------------------------------------


def test_a_referral_tells_the_employers_leaders_the_manager_and_the_reporter(
    caseworker, organisation, subject, subject_user, employers, django_capture_on_commit_callbacks
):
    item = concern(organisation=organisation, registrant=subject, anonymity="confidential")
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(item, caseworker, "refer_to_employer", employer_summary=SUMMARY)
    item = fresh(item)
    assert item.status == ConcernStatus.REFERRED_TO_EMPLOYER
    assert decision.referred_to == organisation
    assert item.subject_told_on == TODAY and item.first_feedback_on == TODAY

    for role in ("chair", "chief_executive", "hr_lead"):
        (sent,) = emails_to(employers[role].email)
        assert item.reference in sent.body
        assert reverse("concerns:referral", kwargs={"pk": decision.pk}) in sent.body
    # Other employer roles are not told.
    assert emails_to(employers["senior_independent_director"].email) == []

    (told,) = emails_to(subject_user.email)
    assert "referred it to Leeds Teaching Hospitals NHS Trust" in told.body
    # Nothing restricted in any email: not the reporter, not the report.
    for sent in mail.outbox:
        text = sent.subject + sent.body
        for secret in (REPORTER["name"], REPORTER["email"], "shred", "ward 7", REASONS, SUMMARY):
            assert secret not in text

    last = services.messages_for_reporter(concern=item)[-1]
    assert "referred it to Leeds Teaching Hospitals NHS Trust" in last["body"]
    assert "We have not told them who you are" in last["body"]


def test_a_referral_goes_to_the_managers_current_employer_when_no_organisation_is_named(
    caseworker, organisation, subject
):
    item = concern(registrant=subject)
    decision = decide(item, caseworker, "refer_to_employer", employer_summary=SUMMARY)
    assert decision.referred_to == organisation


def test_a_referral_can_name_another_employer(caseworker, organisation, subject, region):
    other = Organisation.objects.create(
        ods_code="RXX",
        name="Another NHS Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name="another nhs trust",
    )
    item = concern(organisation=organisation, registrant=subject)
    decision = decide(
        item, caseworker, "refer_to_employer", employer_summary=SUMMARY, referred_to=other
    )
    assert decision.referred_to == other


def test_a_referral_needs_a_summary_and_an_employer(caseworker, organisation):
    item = concern(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "refer_to_employer", employer_summary="")
    assert "employer_summary" in error.value.message_dict
    unknown = concern(description="A manager I cannot name")
    with pytest.raises(ValidationError) as error:
        decide(unknown, caseworker, "refer_to_employer", employer_summary=SUMMARY)
    assert "referred_to" in error.value.message_dict
    assert not TriageDecision.objects.exists()


# --- Recommending a case -----------------------------------------------------------


def test_recommending_a_case_tells_the_manager_never_who_raised_it(
    caseworker, organisation, subject, subject_user, django_capture_on_commit_callbacks
):
    item = concern(organisation=organisation, registrant=subject, anonymity="anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(item, caseworker, "open_case", cited_refs=["CC10", "NE2"])
    item = fresh(item)
    assert item.status == ConcernStatus.CASE_RECOMMENDED
    assert item.subject_told_on == TODAY
    (told,) = emails_to(subject_user.email)
    assert "fitness-to-practise investigation" in told.body
    assert "does not tell anyone who raised a concern" in told.body
    reply = services.messages_for_reporter(concern=item)[-1]["body"]
    assert "fitness-to-practise investigation" in reply
    assert "We will not tell the manager who raised the concern" in reply
    assert list(selectors.case_recommendations()) == [decision]


def test_a_later_decision_takes_a_recommendation_off_the_list(caseworker, organisation, subject):
    item = concern(organisation=organisation, registrant=subject)
    decide(item, caseworker, "open_case")
    item = fresh(item)
    decide(item, caseworker, "close", reporter_explanation=EXPLANATION)
    assert list(selectors.case_recommendations()) == []
    assert TriageDecision.objects.filter(concern=item).count() == 2


def test_a_case_or_urgent_action_needs_a_manager_on_the_register(caseworker, organisation):
    item = concern(organisation=organisation)
    for outcome in ("open_case", "urgent_action"):
        with pytest.raises(ValidationError) as error:
            decide(item, caseworker, outcome)
        assert "needs a manager on the register" in error.value.message_dict["outcome"][0]


# --- Urgent action -----------------------------------------------------------------


def test_urgent_action_tells_the_registrars_and_not_the_manager(
    caseworker, organisation, subject, subject_user, registrar, django_capture_on_commit_callbacks
):
    item = concern(organisation=organisation, registrant=subject)
    with django_capture_on_commit_callbacks(execute=True):
        decide(item, caseworker, "urgent_action", cited_refs=["CC2"])
    item = fresh(item)
    assert item.status == ConcernStatus.URGENT_ACTION
    (sent,) = emails_to(registrar.email)
    assert reverse("concerns:urgent") in sent.body
    assert Notification.objects.filter(user=registrar, url=reverse("concerns:urgent")).exists()
    assert emails_to(subject_user.email) == []
    assert item.subject_told_on is None
    assert "registrar" in services.messages_for_reporter(concern=item)[-1]["body"]


def test_a_registrar_marks_an_urgent_flag_as_seen_once(
    caseworker, organisation, subject, registrar
):
    item = concern(organisation=organisation, registrant=subject)
    decision = decide(item, caseworker, "urgent_action")
    triage.urgent_flag_seen(decision=decision, actor=registrar)
    decision.refresh_from_db()
    assert decision.registrar_seen_by == registrar and decision.registrar_seen_at
    assert AuditEvent.objects.filter(action="concerns.urgent_flag.seen").count() == 1
    with pytest.raises(ValidationError):
        triage.urgent_flag_seen(decision=decision, actor=registrar)
    with pytest.raises(PermissionDenied):
        triage.urgent_flag_seen(decision=decision, actor=caseworker)


# --- Citing the standards ----------------------------------------------------------


def test_the_citation_uses_the_version_in_force_on_the_date_of_the_conduct(
    caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject)
    decision = decide(
        item,
        caseworker,
        "open_case",
        cited_refs=["cc10", "NE2"],
        conduct_on=dt.date(2025, 6, 1),
    )
    assert decision.cited_refs == ["CC10", "NE2"]
    assert decision.standards_version.number == 1
    assert decision.conduct_on == dt.date(2025, 6, 1)


def test_an_unknown_reference_is_named(caseworker, organisation, subject):
    item = concern(organisation=organisation, registrant=subject)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "open_case", cited_refs=["CC10", "CC99"])
    assert "CC99 is not in version 1" in error.value.message_dict["cited_refs"][0]


def test_outcomes_other_than_closing_must_cite_something(caseworker, organisation, subject):
    item = concern(organisation=organisation, registrant=subject)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "open_case", cited_refs=[])
    assert "Choose at least one" in error.value.message_dict["cited_refs"][0]


def test_conduct_in_the_future_is_refused(caseworker, organisation, subject):
    item = concern(organisation=organisation, registrant=subject)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "open_case", conduct_on=TODAY + dt.timedelta(days=1))
    assert "conduct_on" in error.value.message_dict


def test_a_detriment_report_must_cite_a_never_event_unless_closed(
    caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject, is_detriment=True)
    with pytest.raises(ValidationError) as error:
        decide(item, caseworker, "refer_to_employer", cited_refs=["CC3"], employer_summary=SUMMARY)
    assert "Cite at least one never event" in error.value.message_dict["cited_refs"][0]
    decision = decide(
        item, caseworker, "refer_to_employer", cited_refs=["CC3", "NE1"], employer_summary=SUMMARY
    )
    assert decision.cited_refs == ["CC3", "NE1"]
    other = concern(organisation=organisation, registrant=subject, is_detriment=True)
    decide(other, caseworker, "close", cited_refs=[], reporter_explanation=EXPLANATION)


# --- Records, locking, permissions ---------------------------------------------------


def test_the_audit_event_names_the_outcome_and_refs_without_free_text(
    caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject)
    decide(item, caseworker, "refer_to_employer", employer_summary=SUMMARY)
    event = AuditEvent.objects.get(action="concerns.concern.triaged")
    payload = json.loads(event.payload)
    assert payload["outcome"] == "refer_to_employer"
    assert payload["refs"] == ["CC10"] and payload["standards_version"] == 1
    assert payload["referred_to"] == "RR8"
    text = event.payload + event.reason
    for secret in (REASONS, SUMMARY, "shred", REPORTER["name"]):
        assert secret not in text


def test_a_stale_version_is_refused(caseworker, organisation, subject):
    item = concern(organisation=organisation, registrant=subject)
    stale = item.version
    triage.concern_acknowledge(concern=item, actor=caseworker, version=item.version)
    with pytest.raises(ValidationError) as error:
        decide(fresh(item), caseworker, "open_case", version=stale)
    assert triage.is_stale(error.value)
    assert not TriageDecision.objects.exists()


def test_a_closed_concern_can_be_triaged_again_and_keeps_its_history(
    caseworker, organisation, subject, subject_user, django_capture_on_commit_callbacks
):
    item = concern(organisation=organisation, registrant=subject)
    first = decide(item, caseworker, "close", reporter_explanation=EXPLANATION)
    item = fresh(item)
    with django_capture_on_commit_callbacks(execute=True):
        second = decide(item, caseworker, "open_case", reasons="New evidence arrived.")
    item = fresh(item)
    assert item.status == ConcernStatus.CASE_RECOMMENDED
    assert selectors.decisions_for(concern=item) == [second, first]
    assert emails_to(subject_user.email)


def test_only_the_concerns_team_can_triage(role_user, organisation):
    item = concern(organisation=organisation)
    with pytest.raises(PermissionDenied):
        decide(item, role_user("registrar"), "close", reporter_explanation=EXPLANATION)


def test_the_manager_is_not_told_before_triage(
    caseworker, organisation, subject, subject_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = concern(organisation=organisation, registrant=subject)
        triage.concern_acknowledge(concern=item, actor=caseworker, version=item.version)
        triage.concern_message_send(
            concern=item, body="Can you tell us more?", actor=caseworker, needs_reply=True
        )
        triage.staff_note_add(concern=item, body="Looks serious", actor=caseworker)
    assert emails_to(subject_user.email) == []
    assert not Notification.objects.filter(user=subject_user).exists()
    assert fresh(item).subject_told_on is None


# --- The triage page -------------------------------------------------------------------


def test_the_triage_page_offers_the_standards_in_force_on_the_conduct_date(
    client, caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject)
    client.force_login(caseworker)
    url = reverse("concerns:triage", kwargs={"reference": item.reference})
    page = client.get(url).content.decode()
    assert "version 1" in page and "CC10 Keep accurate records" in page
    assert "NE1 Victimising someone who raised a concern" in page
    asked = client.get(
        url, {"conduct_on_day": "1", "conduct_on_month": "6", "conduct_on_year": "2025"}
    ).content.decode()
    assert 'value="2025-06-01"' in asked
    wrong = client.get(
        url, {"conduct_on_day": "31", "conduct_on_month": "2", "conduct_on_year": "2025"}
    ).content.decode()
    assert "There is a problem" in wrong and "must be a real date" in wrong


def test_the_triage_page_says_who_is_told_under_each_outcome(
    client, caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject)
    client.force_login(caseworker)
    page = client.get(reverse("concerns:triage", kwargs={"reference": item.reference}))
    html = page.content.decode()
    hints = {
        "close": "The person who raised it is told why",
        "refer_to_employer": "chief executive and HR lead are told",
        "open_case": "Recorded as a recommendation until the case is opened",
        "urgent_action": "The registrars are told at once",
    }
    for value, hint in hints.items():
        # From this choice to the next one: its label, hint and any revealed questions.
        item_html = html.split(f'value="{value}"', 1)[1].split('type="radio"', 1)[0]
        assert hint in item_html, value
        # Only a referral reveals the employer's questions.
        reveals = value == "refer_to_employer"
        assert ('data-aria-controls="conditional-' in item_html) is reveals, value
        assert ('name="employer_summary"' in item_html) is reveals, value


def test_triaging_from_the_page(client, caseworker, organisation, subject, employers):
    item = concern(organisation=organisation, registrant=subject)
    client.force_login(caseworker)
    url = reverse("concerns:triage", kwargs={"reference": item.reference})
    response = client.post(
        url,
        {
            "version": item.version,
            "conduct_on": "2026-03-01",
            "outcome": "refer_to_employer",
            "standards": ["CC10"],
            "never_events": ["NE2"],
            "reasons": REASONS,
            "referred_to": "rr8",
            "employer_summary": SUMMARY,
            "reporter_explanation": "",
        },
    )
    assert response.status_code == 302
    decision = TriageDecision.objects.get()
    assert decision.cited_refs == ["CC10", "NE2"] and decision.referred_to == organisation
    follow = client.get(response["Location"]).content.decode()
    assert "is referred to Leeds Teaching Hospitals NHS Trust" in follow
    assert "Refer to the employer" in follow


def test_the_triage_page_shows_what_is_wrong_and_changes_nothing(
    client, caseworker, organisation, subject
):
    item = concern(organisation=organisation, registrant=subject, is_detriment=True)
    client.force_login(caseworker)
    url = reverse("concerns:triage", kwargs={"reference": item.reference})
    base = {"version": item.version, "conduct_on": "2026-03-01", "reasons": REASONS}
    page = client.post(url, {**base, "outcome": "open_case", "standards": ["CC3"]})
    assert page.status_code == 200
    assert "Cite at least one never event" in page.content.decode()
    page = client.post(url, {**base, "outcome": "close"}).content.decode()
    assert "Enter what to tell the person who raised it" in page
    page = client.post(url, {**base, "outcome": "refer_to_employer", "referred_to": "ZZZ9"})
    assert "No NHS organisation has that ODS code" in page.content.decode()
    page = client.post(url, {**base, "outcome": "open_case", "standards": ["CC99"]})
    assert "Choose standards from the list" in page.content.decode()
    page = client.post(
        url, {**base, "version": 99, "outcome": "open_case", "never_events": ["NE1"]}
    )
    assert "Someone else changed this concern" in page.content.decode()
    assert not TriageDecision.objects.exists()


def test_an_unknown_reference_is_not_found(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("concerns:triage", kwargs={"reference": "C-NOPE"})).status_code == 404


def test_a_manager_without_an_account_is_told_by_email_at_their_registered_address(
    organisation, caseworker, employers, django_capture_on_commit_callbacks
):
    no_account = manager(organisation, names=("Ffion", "Unsigned"))
    no_account.email = "ffion.unsigned@example.nhs.uk"
    no_account.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        item = concern(organisation=organisation, registrant=no_account)
        decide(
            item,
            caseworker,
            "refer_to_employer",
            employer_summary="Please look into it.",
            referred_to=organisation,
        )
    told = emails_to("ffion.unsigned@example.nhs.uk")
    assert len(told) == 1 and told[0].subject == "A concern has been raised about you"
    assert REPORTER["name"] not in told[0].body and "does not tell anyone who" in told[0].body
    assert fresh(item).subject_told_on == TODAY


@pytest.mark.parametrize(
    ("anonymity", "said", "not_said"),
    [
        ("confidential", "We have not told them who you are", "We do not know who you are"),
        ("anonymous", "We do not know who you are", "We have not told them who you are"),
        ("open", "referred it to", "who you are"),
    ],
)
def test_the_reporter_is_told_about_a_referral_in_words_that_fit_how_they_spoke_up(
    caseworker, organisation, employers, anonymity, said, not_said
):
    item = concern(organisation=organisation, anonymity=anonymity)
    decide(
        item,
        caseworker,
        "refer_to_employer",
        employer_summary="Please look into it.",
        referred_to=organisation,
    )
    last = services.messages_for_reporter(concern=item)[-1]["body"]
    assert said in last and not_said not in last
