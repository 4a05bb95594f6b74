"""Hearings: scheduling with notice, the registrant's response, and holding them.

Notice is served on the registrant when a hearing is scheduled (or rescheduled), in
Steward and by email, and the hearing must be at least ``CASES_HEARING_NOTICE_DAYS``
days later. A substantive hearing needs the case referred to a panel, a review hearing
a case under review, an appeal hearing a case under appeal; an interim order hearing
can be held at any stage before the case closes. Once the hearing date has come and
the panel is seated, a hearings officer records it as held: a substantive or review
hearing then gets a draft determination for the panel to record.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from steward.audit.services import audit_record
from steward.cases.determinations import current_determination
from steward.cases.models import (
    OPEN_STAGES,
    Case,
    Determination,
    DeterminationKind,
    Hearing,
    HearingKind,
    HearingStatus,
    Stage,
)
from steward.cases.panels import PANEL_SIZE, StaleHearing
from steward.cases.stages import stage_move
from steward.cases.tell import notify_registrant, notify_staff
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date
from steward.notifications.services import notify

# The stage a case must be at for each kind of hearing (None: any open stage).
STAGE_FOR_KIND = {
    HearingKind.SUBSTANTIVE: Stage.PANEL_HEARING,
    HearingKind.REVIEW: Stage.REVIEW,
    HearingKind.APPEAL: Stage.APPEAL,
    HearingKind.INTERIM_ORDER: None,
}
DETERMINATION_FOR_KIND = {
    HearingKind.SUBSTANTIVE: DeterminationKind.PANEL,
    HearingKind.REVIEW: DeterminationKind.REVIEW,
}


def _require_officer(actor) -> None:
    user = actor_user(actor)
    if user is None or not user.has_perm("cases.arrange_hearings"):
        raise PermissionDenied("Only hearings officers arrange hearings.")


def earliest_hearing_date(*, served_on: dt.date | None = None) -> dt.date:
    """The first day a hearing may start when notice is served on ``served_on`` (today)."""
    return (served_on or clock.today()) + dt.timedelta(days=settings.CASES_HEARING_NOTICE_DAYS)


def _check_date(starts_on) -> None:
    if not isinstance(starts_on, dt.date):
        raise ValidationError({"starts_on": "Enter the date of the hearing"})
    earliest = earliest_hearing_date()
    if starts_on < earliest:
        raise ValidationError(
            {
                "starts_on": f"The registrant must have at least "
                f"{settings.CASES_HEARING_NOTICE_DAYS} days' notice of the hearing. Notice is "
                f"served today, so the hearing must be on {uk_date(earliest)} or later"
            }
        )


def _location(location) -> str:
    return clean_text(
        location,
        name="location",
        message="Enter where the hearing will be held, or say it will be held remotely",
        limit=300,
    )


def _notice(*, hearing: Hearing, rescheduled: bool = False) -> None:
    what = hearing.get_kind_display().lower()
    verb = "has been moved to" if rescheduled else "will be held on"
    notify_registrant(
        case=hearing.case,
        subject="Notice of a hearing" if not rescheduled else "Your hearing has been moved",
        body=(
            f"The {what} on case {hearing.case.reference} {verb} {uk_date(hearing.starts_on)} "
            f"({hearing.location}). This notice was served on "
            f"{uk_date(hearing.notice_served_on)}. Sign in to Steward to send your response "
            "and any evidence before the hearing."
        ),
    )


def hearing_schedule(*, case: Case, kind: str, starts_on: dt.date, location: str, actor) -> Hearing:
    """Schedule a hearing and serve notice of it on the registrant today."""
    _require_officer(actor)
    if kind not in HearingKind.values:
        raise ValidationError({"kind": "Choose the kind of hearing"})
    kind = HearingKind(kind)
    case = Case.objects.select_related("registrant").get(pk=case.pk)
    needed = STAGE_FOR_KIND[kind]
    if needed is None and case.stage not in OPEN_STAGES:
        raise ValidationError("The case is closed: an interim order hearing needs an open case.")
    if needed is not None and case.stage != needed:
        raise ValidationError(
            f"A {kind.label.lower()} can only be scheduled when the case is at "
            f"“{Stage(needed).label.lower()}”: this case is at "
            f"“{case.get_stage_display().lower()}”."
        )
    _check_date(starts_on)
    location = _location(location)
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        pending = locked.hearings.filter(kind=kind, status=HearingStatus.SCHEDULED).first()
        if pending is not None:
            raise ValidationError(
                f"A {kind.label.lower()} is already scheduled for {uk_date(pending.starts_on)}: "
                "reschedule that one instead."
            )
        hearing = Hearing.objects.create(
            case=locked,
            kind=kind,
            starts_on=starts_on,
            location=location,
            notice_served_on=clock.today(),
            scheduled_by=actor,
        )
        audit_record(
            actor=actor,
            action="cases.hearing.scheduled",
            subject=locked,
            payload={
                "hearing": hearing.pk,
                "kind": kind.value,
                "starts_on": starts_on,
                "notice_served_on": hearing.notice_served_on,
            },
        )
        hearing.case = case
        _notice(hearing=hearing)
    return hearing


def hearing_reschedule(
    *,
    hearing: Hearing,
    starts_on: dt.date,
    location: str | None = None,
    reason: str,
    actor,
    expected_version: int | None = None,
) -> Hearing:
    """Move a scheduled hearing: fresh notice is served today, so the new date keeps
    the notice rule. The panel stays seated (form it again if people cannot come)."""
    _require_officer(actor)
    reason = clean_text(reason, name="reason", message="Enter why the hearing is being moved")
    _check_date(starts_on)
    with transaction.atomic():
        locked = (
            Hearing.objects.select_for_update(of=("self",))
            .select_related("case__registrant")
            .get(pk=hearing.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise StaleHearing()
        if locked.status != HearingStatus.SCHEDULED:
            raise ValidationError(
                f"Only a scheduled hearing can be moved: this one is "
                f"{locked.get_status_display().lower()}."
            )
        new_location = _location(location) if location is not None else locked.location
        previous = locked.starts_on
        today = clock.today()
        Hearing.objects.filter(pk=locked.pk).update(
            starts_on=starts_on,
            location=new_location,
            notice_served_on=today,
            version=F("version") + 1,
        )
        audit_record(
            actor=actor,
            action="cases.hearing.rescheduled",
            reason=reason,
            subject=locked.case,
            payload={
                "hearing": locked.pk,
                "from": previous,
                "to": starts_on,
                "notice_served_on": today,
            },
        )
        hearing.refresh_from_db()
        _notice(hearing=hearing, rescheduled=True)
        notify(
            users=[seat.member for seat in hearing.panel.select_related("member")],
            subject="A hearing you sit on has been moved",
            body=(
                f"The {hearing.get_kind_display().lower()} on case {hearing.case.reference} "
                f"has moved from {uk_date(previous)} to {uk_date(starts_on)}."
            ),
            topic="cases",
        )
    return hearing


def registrant_response_record(*, hearing: Hearing, response: str, actor) -> Hearing:
    """The registrant's written response to the hearing, before it starts (a later
    response replaces an earlier one). Evidence they send goes in with
    ``services.evidence_add(submitted_by="registrant")``."""
    user = actor_user(actor)
    if user is None or not user.has_perm("cases.respond", hearing.case):
        raise PermissionDenied("Only the registrant responds to their hearing.")
    response = clean_text(response, name="response", message="Enter your response")
    with transaction.atomic():
        locked = (
            Hearing.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=hearing.pk)
        )
        if locked.status != HearingStatus.SCHEDULED or clock.today() >= locked.starts_on:
            raise ValidationError(
                f"Responses are taken until the day before the hearing: the hearing "
                f"{'started' if locked.status == HearingStatus.SCHEDULED else 'was'} on "
                f"{uk_date(locked.starts_on)}."
            )
        Hearing.objects.filter(pk=locked.pk).update(
            registrant_response=response,
            registrant_responded_at=clock.now(),
            version=F("version") + 1,
        )
        audit_record(
            actor=actor,
            action="cases.hearing.response_recorded",
            subject=locked.case,
            payload={"hearing": locked.pk, "replaced": bool(locked.registrant_response)},
        )
        notify_staff(
            case=locked.case,
            users=[locked.scheduled_by],
            subject=f"The registrant responded on case {locked.case.reference}",
            body=(
                f"The registrant sent a response for the {locked.get_kind_display().lower()} "
                f"on {uk_date(locked.starts_on)}."
            ),
        )
    hearing.refresh_from_db()
    return hearing


def hearing_held(*, hearing: Hearing, actor) -> Hearing:
    """Record that the hearing took place (its date has come and its panel is seated).
    A substantive hearing moves the case to the panel's determination; a substantive
    or review hearing gets a draft determination (``hearing.determinations``) for the
    panel to record its findings on. A review determination supersedes the one under
    review."""
    _require_officer(actor)
    with transaction.atomic():
        locked = (
            Hearing.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=hearing.pk)
        )
        if locked.status != HearingStatus.SCHEDULED:
            raise ValidationError(
                f"This hearing is {locked.get_status_display().lower()}: only a scheduled "
                "hearing can be recorded as held."
            )
        if clock.today() < locked.starts_on:
            raise ValidationError(
                f"The hearing is on {uk_date(locked.starts_on)}: record it as held on or after "
                "that date."
            )
        if locked.panel.count() != PANEL_SIZE:
            raise ValidationError("Form the hearing's panel before recording it as held.")
        case = locked.case
        needed = STAGE_FOR_KIND[HearingKind(locked.kind)]
        if needed is not None and case.stage != needed:
            raise ValidationError(
                f"The case is at “{case.get_stage_display().lower()}”, so this "
                f"{locked.get_kind_display().lower()} can no longer be held."
            )
        Hearing.objects.filter(pk=locked.pk).update(
            status=HearingStatus.HELD, version=F("version") + 1
        )
        audit_record(
            actor=actor,
            action="cases.hearing.held",
            subject=case,
            payload={"hearing": locked.pk, "kind": locked.kind},
        )
        if locked.kind == HearingKind.SUBSTANTIVE:
            stage_move(
                case=case,
                move="hold_hearing",
                actor=actor,
                reason=f"Substantive hearing held on {uk_date(locked.starts_on)}.",
                permitted=True,
            )
        kind = DETERMINATION_FOR_KIND.get(HearingKind(locked.kind))
        if kind is not None:
            earlier = current_determination(case) if kind == DeterminationKind.REVIEW else None
            if earlier is not None and Determination.objects.filter(supersedes=earlier).exists():
                raise ValidationError(
                    "A review determination on this case is still being recorded: issue it "
                    "before holding another review hearing."
                )
            Determination.objects.create(
                case=case,
                kind=kind,
                hearing=locked,
                supersedes=earlier,
                # A review does not find the facts again: it starts from those found.
                facts=dict(earlier.facts) if earlier is not None else {},
            )
    hearing.refresh_from_db()
    return hearing
