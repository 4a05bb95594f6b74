"""Determinations: facts, impairment and sanction recorded in that order by the panel,
each with reasons; the sanction rules; issuing the PDF with its hash in the audit
trail; and an issued determination never edited."""

import datetime as dt
import hashlib
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from steward.audit.models import AuditEvent
from steward.cases.determinations import (
    determination_issue,
    facts_record,
    impairment_record,
    sanction_record,
)
from steward.cases.hearings import hearing_held
from steward.cases.models import (
    Case,
    Determination,
    DeterminationKind,
    HearingKind,
    Sanction,
    Stage,
)
from steward.cases.tests.factories import (
    HEARING_DAY,
    hearing_make,
    hearing_world,
    panel_member_make,
    person_make,
)
from steward.notifications.models import Notification
from steward.register.models import RegisterStatus

LESSER = {
    "advice": "Advice would not mark how serious this was.",
    "warning": "A warning would not protect the public.",
    "conditions": "No workable conditions address dishonesty.",
    "suspension": "The dishonesty was repeated and deliberate.",
}


@pytest.fixture
def world(db, travel):
    return hearing_world(travel)


def _facts(world, findings=None, **kwargs):
    return facts_record(
        determination=world.draft,
        findings=findings
        if findings is not None
        else {1: (True, "The minutes show it."), 2: (False, "No evidence of it.")},
        actor=kwargs.pop("actor", world.member),
        **kwargs,
    )


def _impairment(world, impaired=True, **kwargs):
    return impairment_record(
        determination=world.draft,
        impaired=impaired,
        reasons=kwargs.pop("reasons", "The conduct was serious and may be repeated."),
        actor=kwargs.pop("actor", world.member),
        **kwargs,
    )


def _sanction(world, sanction="suspension", **kwargs):
    values = {
        "determination": world.draft,
        "sanction": sanction,
        "reasons": "Public confidence needs a period away from practice.",
        "less_severe_rejected": LESSER,
        "conditions": "",
        "effective_from": None,
        "ends_on": HEARING_DAY + dt.timedelta(days=180) if sanction == "suspension" else None,
        "published_summary": "Suspended for misleading the board.",
        "actor": world.member,
    }
    values.update(kwargs)
    return sanction_record(**values)


def _decided(world, sanction="suspension", **kwargs):
    _facts(world)
    _impairment(world)
    _sanction(world, sanction, **kwargs)


# --- In order, with reasons ------------------------------------------------------


def test_facts_impairment_and_sanction_are_recorded_with_reasons_and_audited(world):
    _decided(world)
    draft = world.draft
    assert draft.facts == {
        "1": {"proved": True, "reasons": "The minutes show it."},
        "2": {"proved": False, "reasons": "No evidence of it."},
    }
    assert draft.impaired is True
    assert draft.sanction == "suspension"
    assert draft.less_severe_rejected == {
        "advice": LESSER["advice"],
        "warning": LESSER["warning"],
        "conditions": LESSER["conditions"],
    }
    facts_event = AuditEvent.objects.get(action="cases.determination.facts_recorded")
    assert (facts_event.payload_data["proved"], facts_event.payload_data["not_proved"]) == (
        [1],
        [2],
    )
    assert "minutes" not in facts_event.payload
    assert AuditEvent.objects.filter(action="cases.determination.sanction_recorded").exists()


def test_stages_out_of_order_are_refused(world):
    with pytest.raises(ValidationError, match="findings of fact on every allegation first"):
        _impairment(world)
    with pytest.raises(ValidationError, match="whether fitness to practise is impaired first"):
        _sanction(world)
    with pytest.raises(ValidationError, match="findings of fact"):
        determination_issue(determination=world.draft, actor=world.officer)
    _facts(world)
    with pytest.raises(ValidationError, match="impaired first"):
        _sanction(world)
    with pytest.raises(ValidationError, match="impaired first"):
        determination_issue(determination=world.draft, actor=world.officer)
    _impairment(world)
    with pytest.raises(ValidationError, match="Impairment has already been recorded"):
        _facts(world)
    with pytest.raises(ValidationError, match="Record the sanction first"):
        determination_issue(determination=world.draft, actor=world.officer)
    _sanction(world)
    with pytest.raises(ValidationError, match="sanction has already been recorded"):
        _impairment(world, impaired=False)
    world.draft.refresh_from_db()
    assert world.draft.impaired is True and world.draft.issued_at is None


def test_every_allegation_needs_a_finding_with_reasons(world):
    with pytest.raises(ValidationError) as refused:
        _facts(world, {1: (True, "  "), 7: (True, "x")})
    assert refused.value.messages == [
        "There is no allegation 7 in this case",
        "Give the reasons for the finding on allegation 1",
        "Record whether allegation 2 was found proved or not",
    ]
    with pytest.raises(ValidationError, match="Say whether allegation 1 was found proved"):
        _facts(world, {1: ("yes", "x"), 2: (False, "y")})
    world.draft.refresh_from_db()
    assert world.draft.facts == {}


def test_withdrawn_allegations_need_no_finding(world):
    world.case.allegations.filter(number=2).update(withdrawn=True)
    with pytest.raises(ValidationError, match="Allegation 2 was withdrawn"):
        _facts(world)
    _facts(world, {"1": {"proved": True, "reasons": "Shown."}})
    assert set(world.draft.facts) == {"1"}


def test_with_nothing_proved_fitness_cannot_be_impaired_and_no_sanction_follows(world):
    _facts(world, {1: (False, "Not shown."), 2: (False, "Not shown.")})
    with pytest.raises(ValidationError, match="cannot be found impaired"):
        _impairment(world, impaired=True)
    _impairment(world, impaired=False, reasons="Nothing was proved.")
    with pytest.raises(ValidationError, match="no sanction can be imposed"):
        _sanction(world)
    determination_issue(determination=world.draft, actor=world.officer)
    world.draft.refresh_from_db()
    assert world.draft.sanction == "" and world.draft.issued_at is not None
    assert not Sanction.objects.filter(determination=world.draft).exists()


# --- The sanction rules ------------------------------------------------------------


def _ready(world):
    _facts(world)
    _impairment(world)


def test_a_reason_is_needed_for_every_less_severe_sanction(world):
    _ready(world)
    with pytest.raises(ValidationError) as refused:
        _sanction(
            world,
            "barring",
            less_severe_rejected={"advice": "x", "warning": " ", "conditions": "y"},
        )
    assert refused.value.message_dict["less_severe_rejected"] == [
        "Say why a warning would not be enough",
        "Say why a suspension would not be enough",
    ]
    _sanction(world, "barring")
    assert set(world.draft.less_severe_rejected) == set(LESSER)


def test_advice_needs_no_less_severe_reasons_and_is_never_published(world):
    _ready(world)
    _sanction(world, "advice", less_severe_rejected={}, published_summary="Shown?")
    assert world.draft.published_summary == ""
    assert world.draft.less_severe_rejected == {}


def test_a_suspension_lasts_at_most_the_configured_months(world, settings):
    _ready(world)
    with pytest.raises(ValidationError, match="at most 12 months: choose an end date on or"):
        _sanction(world, ends_on=dt.date(2027, 7, 2))
    with pytest.raises(ValidationError, match="Enter the date the suspension ends"):
        _sanction(world, ends_on=None)
    _sanction(world, ends_on=dt.date(2027, 7, 1))
    settings.CASES_SUSPENSION_MAX_MONTHS = 6
    with pytest.raises(ValidationError, match="at most 6 months"):
        _sanction(world, ends_on=dt.date(2027, 1, 2))


def test_conditions_need_their_text_and_an_end_date(world):
    _ready(world)
    with pytest.raises(ValidationError) as refused:
        _sanction(world, "conditions", conditions="  ", ends_on=None)
    assert set(refused.value.message_dict) == {"conditions", "ends_on"}
    _sanction(
        world,
        "conditions",
        conditions="Work only under the supervision of a named director.",
        ends_on=dt.date(2027, 6, 30),
    )
    assert world.draft.conditions.startswith("Work only under")


def test_barring_has_no_end_date(world):
    _ready(world)
    with pytest.raises(ValidationError, match="Barring has no end date"):
        _sanction(world, "barring", ends_on=dt.date(2030, 1, 1))


def test_published_sanctions_need_a_summary_unless_health_related(world):
    _ready(world)
    with pytest.raises(ValidationError, match="summary the public register will show"):
        _sanction(world, published_summary=" ")
    Case.objects.filter(pk=world.case.pk).update(health_related=True)
    _sanction(world, published_summary="")
    assert world.draft.published_summary == ""


def test_a_sanction_cannot_take_effect_in_the_past_or_end_before_it_starts(world):
    _ready(world)
    with pytest.raises(ValidationError, match="before today"):
        _sanction(world, effective_from=HEARING_DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="after the date the sanction takes effect"):
        _sanction(world, "conditions", conditions="x", ends_on=HEARING_DAY)


def test_unknown_sanctions_are_refused(world):
    _ready(world)
    with pytest.raises(ValidationError, match="Choose a sanction from the list"):
        _sanction(world, "undertakings")


# --- Who records and issues --------------------------------------------------------


def test_only_panel_members_sitting_on_the_hearing_record(world):
    for actor in (panel_member_make("lay"), world.officer, world.account):
        with pytest.raises(PermissionDenied):
            _facts(world, actor=actor)
    world.draft.refresh_from_db()
    assert world.draft.facts == {}


def test_a_stale_version_is_refused(world):
    _facts(world)
    with pytest.raises(ValidationError, match="Someone else changed this determination"):
        _impairment(world, expected_version=1)


def test_only_hearings_officers_and_the_panel_issue(world):
    _decided(world)
    for role in ("caseworker", "registrar", "case_examiner"):
        actor = person_make(role, category="lay" if role == "case_examiner" else "")
        with pytest.raises(PermissionDenied):
            determination_issue(determination=world.draft, actor=actor)
    with pytest.raises(PermissionDenied):
        determination_issue(determination=world.draft, actor=world.account)


# --- Issuing ------------------------------------------------------------------------


def test_issuing_stores_the_pdf_whose_hash_is_in_the_audit_trail(world):
    _decided(world)
    issued = determination_issue(determination=world.draft, actor=world.officer)
    stored = bytes(issued.pdf)
    assert stored.startswith(b"%PDF")
    digest = hashlib.sha256(stored).hexdigest()
    assert issued.pdf_sha256 == digest
    event = AuditEvent.objects.get(action="cases.determination.issued")
    assert event.payload_data["pdf_sha256"] == digest
    assert event.actor == world.officer
    assert issued.issued_by == world.officer
    assert issued.issued_at.date() == HEARING_DAY
    assert issued.appeal_by == HEARING_DAY + dt.timedelta(days=28)
    assert issued.effective_from == HEARING_DAY  # left empty: the day it is issued
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL_WINDOW
    assert Notification.objects.filter(
        user=world.account, subject="A decision on your case has been issued"
    ).exists()


def test_the_issued_sanction_takes_effect_on_the_register(world):
    _decided(world)
    determination_issue(determination=world.draft, actor=world.officer)
    sanction = Sanction.objects.get(determination=world.draft)
    assert (sanction.kind, sanction.ends_on) == ("suspension", HEARING_DAY + dt.timedelta(180))
    world.case.registrant.refresh_from_db()
    assert world.case.registrant.status == RegisterStatus.SUSPENDED


def test_the_appeal_window_is_configurable(world, settings):
    settings.CASES_APPEAL_DAYS = 14
    _decided(world)
    issued = determination_issue(determination=world.draft, actor=world.officer)
    assert issued.appeal_by == HEARING_DAY + dt.timedelta(days=14)


def test_the_pdf_has_the_case_the_registrant_allegations_findings_and_reasons(world):
    _decided(world)
    issued = determination_issue(determination=world.draft, actor=world.officer)
    reader = PdfReader(io.BytesIO(bytes(issued.pdf)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        world.case.reference,
        "Zofia Wiśniewska",
        world.case.registrant.registration_number,
        "Allegation text 1.",
        "CC1 – ",  # the standard cited, with its title in that version
        "version 1",
        "Allegation 1: Proved",
        "The minutes show it.",
        "Allegation 2: Not proved",
        "Fitness to practise is impaired",
        "Suspension",
        "Public confidence needs a period away from practice.",
        "Why less severe sanctions are not enough",
        LESSER["conditions"],
        "29 July 2026",  # appeal by
    ):
        assert expected in text, expected


def test_an_issued_determination_is_never_edited(world):
    _decided(world)
    determination_issue(determination=world.draft, actor=world.officer)
    world.draft.refresh_from_db()
    before = (bytes(world.draft.pdf), world.draft.pdf_sha256, world.draft.version)
    with pytest.raises(ValidationError, match="cannot be changed"):
        _facts(world)
    with pytest.raises(ValidationError, match="cannot be changed"):
        _sanction(world, "barring")
    with pytest.raises(ValidationError, match="cannot be changed"):
        determination_issue(determination=world.draft, actor=world.officer)
    world.draft.refresh_from_db()
    assert (bytes(world.draft.pdf), world.draft.pdf_sha256, world.draft.version) == before
    assert AuditEvent.objects.filter(action="cases.determination.issued").count() == 1


def test_issuing_needs_the_case_at_determination(world):
    _decided(world)
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.APPEAL)
    with pytest.raises(ValidationError, match="while the case is at “panel determining”"):
        determination_issue(determination=world.draft, actor=world.officer)
    world.draft.refresh_from_db()
    assert world.draft.issued_at is None


def test_examiners_determinations_are_not_issued_here(world):
    examiners = Determination.objects.create(
        case=world.case, kind=DeterminationKind.EXAMINERS, sanction="warning"
    )
    with pytest.raises(ValidationError, match="issued with the decision itself"):
        determination_issue(determination=examiners, actor=world.officer)


def test_a_review_determination_supersedes_and_concludes_the_review(world, travel):
    _decided(world, "conditions", conditions="Supervision.", ends_on=dt.date(2027, 6, 30))
    first = determination_issue(determination=world.draft, actor=world.officer)
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.REVIEW)
    review_hearing = hearing_make(case=world.case, kind=HearingKind.REVIEW, officer=world.officer)
    travel(review_hearing.starts_on)
    hearing_held(hearing=review_hearing, actor=world.officer)
    review = review_hearing.determinations.get()
    member = review_hearing.panel.get(is_chair=True).member
    assert review.supersedes == first and review.facts == first.facts
    impairment_record(
        determination=review, impaired=False, reasons="Conditions were met.", actor=member
    )
    issued = determination_issue(determination=review, actor=world.officer)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED
    assert issued.appeal_by is None and issued.issued_at is not None
    first.refresh_from_db()
    assert first.sanction == "conditions" and first.issued_at is not None


def test_the_pdf_copes_with_long_words_and_unusual_characters(world):
    _facts(
        world,
        {
            1: (True, "x" * 3000),
            2: (False, "Ünïcödé – ‘quotes’ — אבג 😀 \t tabs\nand new lines"),
        },
    )
    _impairment(world)
    _sanction(world)
    issued = determination_issue(determination=world.draft, actor=world.officer)
    assert hashlib.sha256(bytes(issued.pdf)).hexdigest() == issued.pdf_sha256


def test_no_reason_or_allegation_reaches_the_audit_trail_or_any_message(
    world, django_capture_on_commit_callbacks
):
    """The panel's reasons and the allegations are for the determination (and its
    PDF) alone: never in the audit trail, which lives for ever, nor in a message."""
    secrets = ("FACTS-SECRET", "IMPAIRMENT-SECRET", "SANCTION-SECRET", "LESSER-SECRET")
    _facts(world, findings={1: (True, "FACTS-SECRET minutes"), 2: (False, "FACTS-SECRET none")})
    _impairment(world, reasons="IMPAIRMENT-SECRET insight was limited")
    _sanction(
        world,
        reasons="SANCTION-SECRET the panel weighed the testimony",
        less_severe_rejected={kind: f"LESSER-SECRET {text}" for kind, text in LESSER.items()},
    )
    with django_capture_on_commit_callbacks(execute=True):
        determination_issue(determination=world.draft, actor=world.officer)
    trail = " ".join(f"{e.reason} {e.payload}" for e in AuditEvent.objects.all())
    told = [f"{n.subject} {n.body}" for n in Notification.objects.all()]
    told += [f"{m.subject} {m.body}" for m in mail.outbox]
    assert Notification.objects.filter(user=world.account).exists() and mail.outbox
    for text in (trail, *told):
        for secret in (*secrets, "Allegation text", "A matter the regulator noticed"):
            assert secret not in text
