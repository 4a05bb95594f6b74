"""The outcome pages: the panel's findings in stages, issuing the determination and its
PDF, sanctions on the case pages, and appeals (lodged by the registrant, decided by a
hearings officer, superseding and never editing the earlier determination)."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.cases.alerts import ALERT_TOPIC
from steward.cases.appeals import appeal_lodge
from steward.cases.determinations import (
    determination_issue,
    facts_record,
    impairment_record,
    sanction_record,
)
from steward.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    Determination,
    DeterminationKind,
    PanelSeat,
    Sanction,
    SanctionStatus,
    Stage,
)
from steward.cases.tests.factories import (
    HEARING_DAY,
    case_make,
    hearing_make,
    hearing_world,
    panel_member_make,
    person_make,
    registrant_make,
)
from steward.notifications.models import Notification
from steward.register.models import RegisterStatus, Registrant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("skip_mfa")]

APPEAL_BY = dt.date(2026, 7, 29)
LESSER = {
    "advice": "Advice would not mark how serious this was.",
    "warning": "A warning would not protect the public.",
    "conditions": "No workable conditions address dishonesty.",
    "suspension": "The dishonesty was repeated and deliberate.",
}
DRAFT_REASON = "The board minutes of 3 March show the director approved the papers."
PUBLISHED = "Suspended for approving misleading board papers."


# --- Builders other test modules share ------------------------------------------------


def record_all(world, *, sanction="suspension", ends_on=dt.date(2027, 1, 1)):
    """The panel's findings recorded through the services: a suspension by default."""
    facts_record(
        determination=world.draft,
        findings={1: (True, DRAFT_REASON), **({2: (False, "Not shown.")} if _two(world) else {})},
        actor=world.member,
    )
    impairment_record(
        determination=world.draft, impaired=True, reasons="Serious.", actor=world.member
    )
    sanction_record(
        determination=world.draft,
        sanction=sanction,
        reasons="Needed to protect confidence.",
        less_severe_rejected=LESSER,
        ends_on=ends_on,
        published_summary=PUBLISHED,
        actor=world.member,
    )


def _two(world) -> bool:
    return world.case.allegations.filter(withdrawn=False).count() == 2


def issued_world(travel, **kwargs):
    world = hearing_world(travel, **kwargs)
    record_all(world)
    determination_issue(determination=world.draft, actor=world.officer)
    world.draft.refresh_from_db()
    world.case.refresh_from_db()
    return world


def url(world, name, **kwargs) -> str:
    return reverse(name, kwargs={"reference": world.case.reference, **kwargs})


def outcome_url(world, name="cases:hearing_outcome") -> str:
    return url(world, name, hearing_id=world.hearing.pk)


# --- Fixtures -------------------------------------------------------------------------


@pytest.fixture
def world(travel, organisation):
    return hearing_world(travel, organisation=organisation)


@pytest.fixture
def chair(make_user, organisation):
    """The chair of the registrant's employer: told of restrictions."""
    return make_user("chair", organisation=organisation, email="chair@leeds.example")


def facts_data(world, **changes):
    data = {
        "version": world.draft.version,
        "proved_1": "proved",
        "reasons_1": DRAFT_REASON,
        "proved_2": "not_proved",
        "reasons_2": "No evidence of it.",
    }
    data.update(changes)
    return data


def sanction_data(world, **changes):
    data = {
        "version": world.draft.version,
        "reasons": "Public confidence needs a period away from practice.",
        **{f"rejected_{kind}": text for kind, text in LESSER.items()},
        "effective_from_day": "",
        "effective_from_month": "",
        "effective_from_year": "",
        "ends_on_day": "1",
        "ends_on_month": "1",
        "ends_on_year": "2027",
        "published_summary": PUBLISHED,
    }
    data.update(changes)
    return data


def sanction_url(world, kind="suspension") -> str:
    return outcome_url(world, "cases:outcome_sanction") + f"?sanction={kind}"


def page(response) -> str:
    return response.content.decode()


# --- The whole outcome through the pages ------------------------------------------------


def test_the_panel_records_a_suspension_in_stages_and_the_officer_issues_it(
    client, world, chair, django_capture_on_commit_callbacks
):
    client.force_login(world.member)
    tasks = page(client.get(outcome_url(world)))
    assert "The panel&#39;s findings" in tasks or "The panel's findings" in tasks
    assert "Zofia Wiśniewska" in tasks and "Substantive hearing on 1 July 2026" in tasks
    assert "Not started" in tasks and "Cannot start yet" in tasks
    assert outcome_url(world, "cases:outcome_facts") in tasks
    assert outcome_url(world, "cases:outcome_impairment") not in tasks

    form = page(client.get(outcome_url(world, "cases:outcome_facts")))
    assert "Allegation text 1." in form and "Allegation text 2." in form
    response = client.post(outcome_url(world, "cases:outcome_facts"), facts_data(world))
    assert response.status_code == 302 and response["Location"] == outcome_url(world)
    world.draft.refresh_from_db()
    assert world.draft.facts == {
        "1": {"proved": True, "reasons": DRAFT_REASON},
        "2": {"proved": False, "reasons": "No evidence of it."},
    }
    assert "The findings of fact are recorded." in page(client.get(outcome_url(world)))

    impairment = page(client.get(outcome_url(world, "cases:outcome_impairment")))
    assert "The panel found allegation 1 proved." in impairment
    assert "The panel found allegation 2 not proved." in impairment
    response = client.post(
        outcome_url(world, "cases:outcome_impairment"),
        {"version": world.draft.version, "impaired": "yes", "reasons": "Serious and repeated."},
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert (world.draft.impaired, world.draft.impairment_reasons) == (True, "Serious and repeated.")

    choice = page(client.get(outcome_url(world, "cases:outcome_sanction")))
    assert "Which sanction does the panel impose?" in choice
    assert "up to 12 months" in choice
    terms = page(client.get(sanction_url(world)))
    for phrase in ("advice", "a warning", "conditions"):
        assert f"Why would {phrase} not be enough?" in terms
    assert "Why would a suspension not be enough?" not in terms
    assert "Summary for the public register" in terms
    response = client.post(sanction_url(world), sanction_data(world))
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.sanction == "suspension"
    assert world.draft.ends_on == dt.date(2027, 1, 1)
    assert set(world.draft.less_severe_rejected) == {"advice", "warning", "conditions"}
    done = page(client.get(outcome_url(world)))
    assert "The panel&#39;s findings are complete" in done or "findings are complete" in done

    client.force_login(world.officer)
    case_page = page(client.get(url(world, "cases:detail")))
    issue = url(world, "cases:determination_issue", determination_id=world.draft.pk)
    assert 'id="outcomes"' in case_page and issue in case_page
    check = page(client.get(issue))
    assert "Check the determination before you issue it" in check
    assert DRAFT_REASON in check and "Serious and repeated." in check
    assert "Why not a warning" in check and LESSER["warning"] in check
    assert PUBLISHED in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(issue, {"version": world.draft.version})
    assert response.status_code == 302
    assert response["Location"] == url(world, "cases:detail") + "#outcomes"

    world.draft.refresh_from_db()
    world.case.refresh_from_db()
    world.registrant.refresh_from_db()
    assert world.draft.issued_at is not None and world.draft.appeal_by == APPEAL_BY
    assert world.case.stage == Stage.APPEAL_WINDOW
    assert world.registrant.status == RegisterStatus.SUSPENDED
    sanction = Sanction.objects.get(determination=world.draft)
    assert (sanction.kind, sanction.status) == ("suspension", SanctionStatus.IN_FORCE)
    # The employer is alerted, in Steward and by email.
    alert = Notification.objects.get(user=chair, topic=ALERT_TOPIC)
    assert "suspension" in alert.body.lower()
    assert any(message.to == ["chair@leeds.example"] for message in mail.outbox)
    # The public entry shows it with the published summary.
    cache.clear()
    entry = page(
        client.get(
            reverse(
                "register:entry",
                kwargs={"registration_number": world.registrant.registration_number},
            )
        )
    )
    assert "Suspension" in entry and PUBLISHED in entry
    assert DRAFT_REASON not in entry
    # The case page shows the determination, the sanction and the PDF.
    case_page = page(client.get(url(world, "cases:detail")))
    assert "Determinations and sanctions" in case_page
    assert "Facts, impairment and sanction" in case_page
    assert "Issued on" in case_page and "1 July 2026 by Fiona MacLeod" in case_page
    assert "29 July 2026" in case_page
    assert url(world, "cases:determination_pdf", determination_id=world.draft.pk) in case_page
    assert "1 January 2027" in case_page and "1 January 2037" in case_page  # published until


def test_impairment_with_nothing_proved_asks_only_for_reasons_and_skips_the_sanction(client, world):
    client.force_login(world.member)
    client.post(
        outcome_url(world, "cases:outcome_facts"),
        facts_data(world, proved_1="not_proved"),
    )
    world.draft.refresh_from_db()
    form = page(client.get(outcome_url(world, "cases:outcome_impairment")))
    assert "cannot be found impaired" in form
    assert 'name="impaired"' not in form
    response = client.post(
        outcome_url(world, "cases:outcome_impairment"),
        {"version": world.draft.version, "reasons": "Nothing was proved."},
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.impaired is False
    tasks = page(client.get(outcome_url(world)))
    assert "Not needed" in tasks
    assert outcome_url(world, "cases:outcome_sanction") not in tasks
    sanction = page(client.get(outcome_url(world, "cases:outcome_sanction")))
    assert "no sanction can be imposed" in sanction


# --- Each stage's refusals -----------------------------------------------------------------


def test_findings_without_reasons_or_a_verdict_are_refused(client, world):
    client.force_login(world.member)
    response = client.post(
        outcome_url(world, "cases:outcome_facts"),
        facts_data(world, reasons_1="  ", proved_2=""),
    )
    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the reasons for the finding on allegation 1" in text
    assert "Select whether allegation 2 was found proved or not proved" in text
    world.draft.refresh_from_db()
    assert world.draft.facts == {}


def test_impairment_before_the_facts_is_refused(client, world):
    client.force_login(world.member)
    form = page(client.get(outcome_url(world, "cases:outcome_impairment")))
    assert "Record the findings of fact on every allegation first" in form
    response = client.post(
        outcome_url(world, "cases:outcome_impairment"),
        {"version": world.draft.version, "impaired": "yes", "reasons": "Serious."},
    )
    assert response.status_code == 200
    assert "There is a problem" in page(response)
    assert "Record the findings of fact on every allegation first." in page(response)
    world.draft.refresh_from_db()
    assert world.draft.impaired is None


def test_impairment_needs_an_answer_and_reasons(client, world):
    client.force_login(world.member)
    client.post(outcome_url(world, "cases:outcome_facts"), facts_data(world))
    world.draft.refresh_from_db()
    response = client.post(
        outcome_url(world, "cases:outcome_impairment"), {"version": world.draft.version}
    )
    text = page(response)
    assert "Select whether the registrant&#39;s fitness to practise is impaired" in text
    assert "Enter the reasons for the finding on impairment" in text
    world.draft.refresh_from_db()
    assert world.draft.impaired is None


def _ready_for_sanction(client, world):
    client.force_login(world.member)
    client.post(outcome_url(world, "cases:outcome_facts"), facts_data(world))
    world.draft.refresh_from_db()
    client.post(
        outcome_url(world, "cases:outcome_impairment"),
        {"version": world.draft.version, "impaired": "yes", "reasons": "Serious."},
    )
    world.draft.refresh_from_db()


def test_a_sanction_without_the_less_severe_reasons_is_refused(client, world):
    _ready_for_sanction(client, world)
    response = client.post(
        sanction_url(world, "barring"),
        sanction_data(
            world,
            rejected_warning="",
            rejected_suspension="",
            ends_on_day="",
            ends_on_month="",
            ends_on_year="",
        ),
    )
    text = page(response)
    assert "Say why a warning would not be enough" in text
    assert "Say why a suspension would not be enough" in text
    world.draft.refresh_from_db()
    assert world.draft.sanction == ""


def test_a_suspension_over_twelve_months_is_refused(client, world):
    _ready_for_sanction(client, world)
    response = client.post(
        sanction_url(world), sanction_data(world, ends_on_day="2", ends_on_month="7")
    )
    text = page(response)
    assert "A suspension can last at most 12 months" in text
    assert "1 July 2027" in text
    world.draft.refresh_from_db()
    assert world.draft.sanction == ""
    response = client.post(
        sanction_url(world), sanction_data(world, ends_on_day="1", ends_on_month="7")
    )
    assert response.status_code == 302


def test_a_sanction_before_impairment_is_refused(client, world):
    client.force_login(world.member)
    text = page(client.get(outcome_url(world, "cases:outcome_sanction")))
    assert "Record whether fitness to practise is impaired first." in text
    response = client.post(sanction_url(world), sanction_data(world))
    assert "Record whether fitness to practise is impaired first." in page(response)
    world.draft.refresh_from_db()
    assert world.draft.sanction == ""


def test_conditions_need_their_text_and_an_end_date(client, world):
    _ready_for_sanction(client, world)
    text = page(client.get(sanction_url(world, "conditions")))
    assert "The conditions" in text and "Why would a suspension" not in text
    response = client.post(
        sanction_url(world, "conditions"),
        sanction_data(world, ends_on_day="", ends_on_month="", ends_on_year=""),
    )
    text = page(response)
    assert "Write down the conditions the registrant must meet" in text
    assert "Enter the date the conditions end" in text


def test_an_unknown_sanction_is_asked_again(client, world):
    _ready_for_sanction(client, world)
    response = client.get(sanction_url(world, "hanging"))
    assert response.status_code == 200
    assert "Select a sanction from the list" in page(response)


def test_advice_needs_no_less_severe_reasons_and_is_never_published(client, world):
    _ready_for_sanction(client, world)
    text = page(client.get(sanction_url(world, "advice")))
    assert "Why would" not in text
    assert "Advice is never published on the public register." in text
    response = client.post(
        sanction_url(world, "advice"),
        {"version": world.draft.version, "reasons": "Guidance is enough."},
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert (world.draft.sanction, world.draft.published_summary) == ("advice", "")


def test_a_health_related_case_says_the_sanction_is_never_published(client, travel):
    world = hearing_world(travel, health_related=True)
    _ready_for_sanction(client, world)
    text = page(client.get(sanction_url(world)))
    assert "related to the registrant&#39;s health" in text
    assert "never published" in text
    assert 'name="published_summary"' not in text
    data = sanction_data(world)
    del data["published_summary"]
    assert client.post(sanction_url(world), data).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.sanction == "suspension" and world.draft.published_summary == ""


def test_a_stale_edit_is_refused_and_shows_what_the_other_member_recorded(client, world):
    client.force_login(world.member)
    shown = world.draft.version
    facts_record(
        determination=world.draft,
        findings={1: (False, "The other member's view."), 2: (False, "Not shown.")},
        actor=world.other_member,
    )
    response = client.post(
        outcome_url(world, "cases:outcome_facts"), facts_data(world, version=shown)
    )
    text = page(response)
    assert response.status_code == 200
    assert "Another panel member changed this since you opened it" in text
    assert "The other member&#39;s view." in text
    world.draft.refresh_from_db()
    assert world.draft.facts["1"] == {"proved": False, "reasons": "The other member's view."}


def test_stages_already_followed_by_a_later_one_are_locked(client, world):
    _ready_for_sanction(client, world)
    text = page(client.get(outcome_url(world, "cases:outcome_facts")))
    assert "Impairment has already been recorded" in text
    assert "Save the findings of fact" not in text
    response = client.post(outcome_url(world, "cases:outcome_facts"), facts_data(world))
    assert "Impairment has already been recorded" in page(response)


def test_an_issued_determination_cannot_be_changed_from_the_stage_pages(client, travel):
    world = issued_world(travel)
    client.force_login(world.member)
    for name in ("cases:outcome_facts", "cases:outcome_impairment", "cases:outcome_sanction"):
        response = client.get(outcome_url(world, name))
        assert response.status_code == 302 and response["Location"] == outcome_url(world)
    tasks = page(client.get(outcome_url(world)))
    assert "cannot be changed" in tasks
    assert outcome_url(world, "cases:outcome_facts") not in tasks


def test_a_hearing_not_held_has_nothing_to_record(client, world):
    hearing = hearing_make(case=world.case, kind="interim_order", officer=world.officer)
    seat = hearing.panel.first()
    client.force_login(seat.member)
    response = client.get(url(world, "cases:hearing_outcome", hearing_id=hearing.pk))
    assert response.status_code == 200
    assert "once the hearing has been recorded as held" in page(response)
    response = client.get(url(world, "cases:outcome_facts", hearing_id=hearing.pk))
    assert response.status_code == 302


def test_unknown_hearings_and_determinations_are_not_found(client, world):
    client.force_login(world.member)
    assert client.get(url(world, "cases:hearing_outcome", hearing_id=999999)).status_code == 404
    assert client.get(url(world, "cases:hearing_outcome", hearing_id=10**18 - 1)).status_code == 404
    client.force_login(world.officer)
    for name in ("cases:determination_issue", "cases:determination_pdf"):
        assert client.get(url(world, name, determination_id=999999)).status_code == 404
    assert client.get(url(world, "cases:appeal_decide", appeal_id=999999)).status_code == 404
    other = case_make(stage=Stage.PANEL_HEARING)
    response = client.get(
        reverse(
            "cases:determination_issue",
            kwargs={"reference": other.reference, "determination_id": world.draft.pk},
        )
    )
    assert response.status_code == 404


# --- Issuing and the PDF ---------------------------------------------------------------------


def test_the_officer_cannot_issue_before_the_panel_finishes(client, world):
    client.force_login(world.officer)
    issue = url(world, "cases:determination_issue", determination_id=world.draft.pk)
    text = page(client.get(issue))
    assert "The panel has not finished recording its findings" in text
    assert "Issue the determination</button>" not in text
    response = client.post(issue, {"version": world.draft.version})
    assert "Record the findings of fact on every allegation first." in page(response)
    world.draft.refresh_from_db()
    assert world.draft.issued_at is None


def test_issuing_a_determination_the_panel_changed_meanwhile_is_refused(client, world):
    record_all(world)
    world.draft.refresh_from_db()
    client.force_login(world.officer)
    issue = url(world, "cases:determination_issue", determination_id=world.draft.pk)
    response = client.post(issue, {"version": world.draft.version - 1})
    assert "The panel changed this determination since you opened the page" in page(response)
    world.draft.refresh_from_db()
    assert world.draft.issued_at is None


def test_the_pdf_downloads_with_its_hash_in_the_audit_trail(client, travel):
    world = issued_world(travel)
    issued = AuditEvent.objects.get(action="cases.determination.issued")
    client.force_login(world.officer)
    response = client.get(url(world, "cases:determination_pdf", determination_id=world.draft.pk))
    assert response.status_code == 200
    content = b"".join(response) if response.streaming else response.content
    digest = hashlib.sha256(content).hexdigest()
    assert content.startswith(b"%PDF")
    assert digest == world.draft.pdf_sha256 == issued.payload_data["pdf_sha256"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store, private"
    viewed = AuditEvent.objects.filter(action="cases.determination.restricted_viewed").get()
    assert viewed.actor_id == world.officer.pk and digest in viewed.reason
    assert viewed.payload_data == {"fields": ["pdf"]}

    client.force_login(world.account)
    mine = client.get(url(world, "cases:mine_determination_pdf", determination_id=world.draft.pk))
    assert mine.status_code == 200 and mine.content == content
    assert AuditEvent.objects.filter(
        action="cases.determination.restricted_viewed", actor=world.account
    ).exists()


def test_a_draft_has_no_pdf(client, world):
    client.force_login(world.officer)
    response = client.get(url(world, "cases:determination_pdf", determination_id=world.draft.pk))
    assert response.status_code == 404
    client.force_login(world.account)
    response = client.get(
        url(world, "cases:mine_determination_pdf", determination_id=world.draft.pk)
    )
    assert response.status_code == 404


def test_someone_elses_determination_is_not_found_for_a_registrant(client, travel):
    world = issued_world(travel)
    stranger = person_make("registrant")
    registrant_make(forenames="Sam", surname="Other", user=stranger)
    client.force_login(stranger)
    for name in ("cases:mine_determination_pdf",):
        response = client.get(url(world, name, determination_id=world.draft.pk))
        assert response.status_code == 404
    assert client.get(url(world, "cases:mine_appeal")).status_code == 404


# --- The registrant's page ---------------------------------------------------------------------


def test_the_registrant_reads_the_decision_in_plain_english(client, travel):
    world = issued_world(travel)
    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "Decisions on your case" in text
    assert "The panel found allegation 1 proved." in text
    assert "It found allegation 2 not proved." in text
    assert "It found that your fitness to practise is impaired." in text
    assert "It imposed a suspension." in text
    assert "From 1 July 2026 to 1 January 2027" in text
    assert "It is shown on the public register until 1 January 2037." in text
    assert "You can appeal against the decision until" in text and "29 July 2026" in text
    assert url(world, "cases:mine_appeal") in text
    assert url(world, "cases:mine_determination_pdf", determination_id=world.draft.pk) in text


def test_the_registrant_never_sees_staff_only_data(client, world):
    facts_record(
        determination=world.draft,
        findings={1: (True, DRAFT_REASON), 2: (False, "Not shown.")},
        actor=world.member,
    )
    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert DRAFT_REASON not in text  # the panel's draft findings
    assert "Decisions on your case" not in text
    record_all_rest(world)
    determination_issue(determination=world.draft, actor=world.officer)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "Decisions on your case" in text
    assert "Fiona MacLeod" not in text  # who issued it
    assert "SHA-256" not in text
    assert "Needed to protect confidence." not in text  # reasons are in the PDF
    for name in ("cases:hearing_outcome", "cases:outcome_facts"):
        assert client.get(outcome_url(world, name)).status_code == 403
    issue = url(world, "cases:determination_issue", determination_id=world.draft.pk)
    assert client.get(issue).status_code == 403


def record_all_rest(world):
    world.draft.refresh_from_db()
    impairment_record(
        determination=world.draft, impaired=True, reasons="Serious.", actor=world.member
    )
    sanction_record(
        determination=world.draft,
        sanction="suspension",
        reasons="Needed to protect confidence.",
        less_severe_rejected=LESSER,
        ends_on=dt.date(2027, 1, 1),
        published_summary=PUBLISHED,
        actor=world.member,
    )


# --- Appeals -------------------------------------------------------------------------------------


def test_the_registrant_appeals_and_the_officer_substitutes_conditions(client, travel, chair):
    world = issued_world(travel, organisation=chair.role_assignments.get().organisation)
    original = Determination.objects.get(pk=world.draft.pk)
    travel(HEARING_DAY + dt.timedelta(days=10))
    client.force_login(world.account)
    appeal_page = page(client.get(url(world, "cases:mine_appeal")))
    assert "You can appeal until" in appeal_page and "29 July 2026" in appeal_page
    assert "It imposed a suspension." in appeal_page
    for data in ({"grounds": " "}, {}):
        response = client.post(url(world, "cases:mine_appeal"), data)
        assert "Enter the grounds for your appeal" in page(response)
    response = client.post(
        url(world, "cases:mine_appeal"), {"grounds": "The panel ignored my testimonials."}
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, "cases:mine_detail") + "#outcomes"
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.lodged_on) == (AppealStatus.LODGED, dt.date(2026, 7, 11))
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "You appealed on 11 July 2026" in text
    assert url(world, "cases:mine_appeal") + '"' not in text.replace('role="button"', "")

    client.force_login(world.officer)
    decide = url(world, "cases:appeal_decide", appeal_id=appeal.pk)
    case_page = page(client.get(url(world, "cases:detail")))
    assert decide in case_page and "The panel ignored my testimonials." in case_page
    step_one = page(client.get(decide))
    assert "What is the outcome of the appeal?" in step_one
    assert "The panel ignored my testimonials." in step_one
    step_two = page(client.get(decide + "?outcome=substituted&sanction=conditions"))
    assert "The conditions" in step_two
    assert "Why would a warning not be enough?" in step_two
    assert "Why would a suspension not be enough?" not in step_two
    response = client.post(
        decide + "?outcome=substituted&sanction=conditions",
        {
            "reasons": "A suspension was more than needed.",
            "rejected_advice": "Too serious.",
            "rejected_warning": "Would not protect the public.",
            "conditions": "Work under a mentor approved by the regulator.",
            "ends_on_day": "10",
            "ends_on_month": "7",
            "ends_on_year": "2027",
            "published_summary": "Conditions on practice after an appeal.",
        },
    )
    assert response.status_code == 302, page(response)

    decided = Determination.objects.get(kind=DeterminationKind.APPEAL)
    assert decided.supersedes_id == original.pk and decided.issued_at is not None
    again = Determination.objects.get(pk=original.pk)
    assert (again.pdf_sha256, again.issued_at, again.sanction, again.version) == (
        original.pdf_sha256,
        original.issued_at,
        original.sanction,
        original.version,
    )
    world.registrant.refresh_from_db()
    world.case.refresh_from_db()
    assert world.registrant.status == RegisterStatus.CONDITIONS
    assert world.case.stage == Stage.CLOSED
    assert Sanction.objects.get(determination=original).status == SanctionStatus.SUPERSEDED
    case_page = page(client.get(url(world, "cases:detail")))
    assert "Superseded" in case_page and "Superseded by" in case_page
    assert "A different sanction substituted" in case_page
    assert decide not in case_page  # nothing left to decide
    decided_page = page(client.get(decide))
    assert "It cannot be decided again" in decided_page

    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "Your appeal was allowed in part: conditions replaces the earlier sanction." in text
    assert "This decision was replaced by the appeal determination" in text
    assert "It has not been changed." in text


def test_a_dismissed_appeal_keeps_the_sanction_as_a_new_determination(client, travel):
    world = issued_world(travel)
    appeal = appeal_lodge(determination=world.draft, grounds="Unfair.", actor=world.account)
    client.force_login(world.officer)
    decide = url(world, "cases:appeal_decide", appeal_id=appeal.pk)
    text = page(client.get(decide + "?outcome=dismissed"))
    assert "Reasons for the decision on the appeal" in text
    assert "The conditions" not in text
    response = client.post(decide + "?outcome=dismissed", {"reasons": " "})
    assert "Enter the reasons for the decision" in page(response)
    response = client.post(decide + "?outcome=dismissed", {"reasons": "The sanction was fair."})
    assert response.status_code == 302
    decided = Determination.objects.get(kind=DeterminationKind.APPEAL)
    assert decided.sanction == "suspension" and decided.supersedes_id == world.draft.pk
    world.registrant.refresh_from_db()
    assert world.registrant.status == RegisterStatus.SUSPENDED
    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "Your appeal was dismissed: the sanction in the earlier decision stands." in text


def test_an_unknown_appeal_outcome_is_asked_again(client, travel):
    world = issued_world(travel)
    appeal = appeal_lodge(determination=world.draft, grounds="Unfair.", actor=world.account)
    client.force_login(world.officer)
    decide = url(world, "cases:appeal_decide", appeal_id=appeal.pk)
    text = page(client.get(decide + "?outcome=shrug"))
    assert "Select an outcome from the list" in text
    text = page(client.get(decide + "?outcome=substituted"))
    assert "Select the sanction that replaces the earlier one" in text
    assert client.post(decide + "?outcome=shrug", {"reasons": "x"}).status_code == 302
    assert not Determination.objects.filter(kind=DeterminationKind.APPEAL).exists()


def test_a_substituted_sanction_the_same_as_before_is_refused(client, travel):
    world = issued_world(travel)
    appeal = appeal_lodge(determination=world.draft, grounds="Unfair.", actor=world.account)
    client.force_login(world.officer)
    decide = url(world, "cases:appeal_decide", appeal_id=appeal.pk)
    data = sanction_data(world)
    del data["version"]
    response = client.post(decide + "?outcome=substituted&sanction=suspension", data)
    assert "That is the same sanction as before: dismiss the appeal instead" in page(response)
    assert not Determination.objects.filter(kind=DeterminationKind.APPEAL).exists()


def test_a_late_appeal_is_refused_with_the_services_message(client, travel):
    world = issued_world(travel)
    travel(APPEAL_BY + dt.timedelta(days=1))
    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_detail")))
    assert "You can appeal against the decision until" not in text
    text = page(client.get(url(world, "cases:mine_appeal")))
    assert "The time to appeal ended on 29 July 2026" in text
    assert 'name="grounds"' not in text
    response = client.post(url(world, "cases:mine_appeal"), {"grounds": "Please."})
    assert "The time to appeal ended on 29 July 2026." in page(response)
    assert not Appeal.objects.exists()
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL_WINDOW


def test_the_last_day_of_the_window_is_inside_it(client, travel):
    world = issued_world(travel)
    travel(APPEAL_BY)
    client.force_login(world.account)
    response = client.post(url(world, "cases:mine_appeal"), {"grounds": "In time."})
    assert response.status_code == 302
    assert Appeal.objects.get().lodged_on == APPEAL_BY


def test_a_registrant_with_nothing_to_appeal_is_told_so(client, world):
    client.force_login(world.account)
    text = page(client.get(url(world, "cases:mine_appeal")))
    assert "There is no decision on your case that you can appeal." in text
    response = client.post(url(world, "cases:mine_appeal"), {"grounds": "Anything."})
    assert response.status_code == 200
    assert not Appeal.objects.exists()


# --- Outcome work ------------------------------------------------------------------------------


def test_the_panel_member_and_officer_see_the_work_waiting(
    client, travel, django_assert_max_num_queries
):
    world = hearing_world(travel)
    other = hearing_world(travel)
    record_all(other)
    client.force_login(world.member)
    text = page(client.get(reverse("cases:outcomes")))
    assert world.case.reference in text and outcome_url(world) in text
    assert other.case.reference not in text  # not their panel
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        text = page(client.get(reverse("cases:outcomes")))
    assert url(other, "cases:determination_issue", determination_id=other.draft.pk) in text
    assert world.case.reference in text  # still being recorded


def test_the_work_list_runs_a_bounded_number_of_queries(
    client, travel, django_assert_max_num_queries
):
    world = hearing_world(travel)
    for _ in range(3):
        extra = hearing_world(travel)
        PanelSeat.objects.filter(hearing=extra.hearing, is_chair=True).update(member=world.member)
    client.force_login(world.member)
    with django_assert_max_num_queries(10):
        text = page(client.get(reverse("cases:outcomes")))
    assert text.count("Record the findings") == 4


def test_a_panel_member_never_records_findings_on_a_case_about_themselves(client, world):
    Registrant.objects.filter(pk=world.registrant.pk).update(user=world.member)
    client.force_login(world.member)
    assert client.get(outcome_url(world)).status_code == 403
    assert world.case.reference not in page(client.get(reverse("cases:outcomes")))


def test_the_case_page_offers_a_seated_officer_the_findings(client, world, make_user):
    """Someone who is both a hearings officer and on the panel."""
    from steward.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=world.member, role="hearings_officer")
    client.force_login(world.member)
    text = page(client.get(url(world, "cases:detail")))
    assert "Record the panel&#39;s findings" in text or "Record the panel's findings" in text
    assert outcome_url(world) in text


def test_the_case_page_shows_a_case_with_nothing_decided(client, world, make_user):
    client.force_login(make_user("caseworker"))
    text = page(client.get(url(world, "cases:detail")))
    assert "Determinations and sanctions" in text
    assert "Being recorded" in text and "None yet" in text
    # Nothing imposed or appealed yet: no empty parts.
    assert 'id="sanctions"' not in text and 'id="appeals"' not in text


def test_seats_are_checked_per_hearing(client, world):
    stranger = panel_member_make("lay")
    client.force_login(stranger)
    assert client.get(outcome_url(world)).status_code == 403
    assert (
        client.post(outcome_url(world, "cases:outcome_facts"), facts_data(world)).status_code == 403
    )
    world.draft.refresh_from_db()
    assert world.draft.facts == {}
    assert Case.objects.get(pk=world.case.pk).stage == Stage.DETERMINATION


def test_the_case_page_sections_run_a_bounded_number_of_queries(
    client, travel, make_user, django_assert_max_num_queries
):
    from steward.cases import presenters_outcomes

    world = issued_world(travel)
    appeal = appeal_lodge(determination=world.draft, grounds="Unfair.", actor=world.account)
    client.force_login(world.officer)
    client.post(
        url(world, "cases:appeal_decide", appeal_id=appeal.pk) + "?outcome=dismissed",
        {"reasons": "Fair."},
    )
    assert Determination.objects.filter(case=world.case).count() == 2
    officer = make_user("hearings_officer")
    with django_assert_max_num_queries(8):
        section = presenters_outcomes.staff_section(case=world.case, user=officer)
    assert len(section["determinations"]) == 2 and len(section["sanctions"]) == 2
    with django_assert_max_num_queries(6):
        mine = presenters_outcomes.mine_section(case=world.case, user=world.account)
    assert len(mine["decisions"]) == 2


def test_someone_without_a_panel_role_is_not_told_whether_a_hearing_exists(client, world):
    client.force_login(world.account)
    for hearing_id in (world.hearing.pk, 999999):
        response = client.get(url(world, "cases:hearing_outcome", hearing_id=hearing_id))
        assert response.status_code == 403
