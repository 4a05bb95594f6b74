"""Sanctions and interim orders, and what they do to the register (ADR 006).

A determination's sanction becomes a ``Sanction`` row here; so does an interim order
made at an interim-order hearing. Each sets its dates and publication period, changes
the register status through ``register_status_change`` (conditions → registered with
conditions, suspension → suspended, barring → barred), and tells every employer of
the registrant. Decisions are never edited: a later determination that supersedes an
earlier one marks the earlier one's sanctions superseded, and the register status is
worked out again from every sanction still in force.

Background: ``sanctions_lapse`` ends conditions, suspensions and interim orders whose
end date has passed (and applies any that take effect on a later date); the public
entry stops showing a sanction when its publication period ends, by date.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q

from steward.audit.services import audit_record
from steward.cases.alerts import AlertEvent, alerts_send
from steward.cases.models import (
    OPEN_STAGES,
    Case,
    Determination,
    DeterminationKind,
    Hearing,
    HearingKind,
    HearingStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date
from steward.register.models import RegisterStatus, Registrant
from steward.register.services import register_status_change

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "steward sanctions"
STATUS_FOR_KIND = {
    SanctionKind.CONDITIONS: RegisterStatus.CONDITIONS,
    SanctionKind.SUSPENSION: RegisterStatus.SUSPENDED,
    SanctionKind.BARRING: RegisterStatus.BARRED,
}
KIND_FOR_STATUS = {status: kind for kind, status in STATUS_FOR_KIND.items()}
SEVERITY = {RegisterStatus.CONDITIONS: 1, RegisterStatus.SUSPENDED: 2, RegisterStatus.BARRED: 3}
INTERIM_KINDS = (SanctionKind.CONDITIONS, SanctionKind.SUSPENSION)
REVIEW_OUTCOMES = ("continue", "vary", "revoke")


# --- Small helpers ------------------------------------------------------------------


def _years(kind: str) -> int:
    return int(settings.CASES_PUBLICATION_YEARS.get(kind, 0))


def _kind_label(kind: str, *, interim: bool = False) -> str:
    label = SanctionKind(kind).label
    return f"interim order ({label.lower()})" if interim else label.lower()


def _is_system(actor) -> bool:
    return actor_user(actor) is None and isinstance(actor, str) and bool(actor.strip())


def _require_sanction_staff(actor, determination: Determination) -> None:
    """Case staff (or a member of the panel that decided) apply a decision; Steward's
    own jobs, named, are trusted."""
    if _is_system(actor):
        return
    user = actor_user(actor)
    if user is not None and (
        user.has_perm("cases.arrange_hearings")
        or user.has_perm("cases.decide_as_examiner")
        or user.has_perm("cases.move_case")
        or (
            determination.hearing_id is not None
            and user.has_perm("cases.sit_on_panel", determination.hearing)
        )
        or (
            # The registrant's acceptance of undertakings is what issues them.
            determination.sanction == SanctionKind.UNDERTAKINGS
            and user.has_perm("cases.respond", determination.case)
        )
    ):
        return
    raise PermissionDenied("Only the regulator's case staff apply a decision to the register.")


def _require_interim_panel(actor, hearing: Hearing | None) -> None:
    if _is_system(actor):
        return
    user = actor_user(actor)
    if user is not None and (
        user.has_perm("cases.arrange_hearings")
        or (hearing is not None and user.has_perm("cases.sit_on_panel", hearing))
    ):
        return
    raise PermissionDenied(
        "Only a hearings officer or a member of the panel at the interim order hearing "
        "makes or reviews an interim order."
    )


def _publish_until(kind: str, *, effective_from: dt.date, ends_on: dt.date | None):
    if kind in (SanctionKind.WARNING, SanctionKind.UNDERTAKINGS):
        return effective_from + relativedelta(years=_years(kind))
    if kind in (SanctionKind.CONDITIONS, SanctionKind.SUSPENSION) and ends_on is not None:
        return ends_on + relativedelta(years=_years(kind))
    return None  # barring: for as long as it lasts


def _review_by(*, effective_from: dt.date, ends_on: dt.date) -> dt.date:
    before = ends_on - dt.timedelta(days=settings.CASES_REVIEW_BEFORE_EXPIRY_DAYS)
    return max(effective_from, before)


def _interim_review_by(*, today: dt.date, ends_on: dt.date) -> dt.date:
    return min(ends_on, today + relativedelta(months=settings.CASES_INTERIM_REVIEW_MONTHS))


def _close(sanction: Sanction, *, status: str, on: dt.date, unpublish: bool = False) -> None:
    """End a sanction early (superseded, revoked, ended by a later decision). A
    restriction's publication period runs from the day it ended."""
    sanction.status = status
    sanction.ended_on = on
    if unpublish:
        sanction.published = False
        sanction.publish_until = None
    elif sanction.published and not sanction.interim and sanction.kind in STATUS_FOR_KIND:
        sanction.publish_until = on + relativedelta(years=_years(sanction.kind))
    sanction.save(update_fields=["status", "ended_on", "published", "publish_until"])


# --- The register status a registrant's sanctions need -----------------------------


def needed_status(registrant_id: int, *, today: dt.date | None = None) -> str | None:
    """The register status the sanctions in force need (the most severe), or None."""
    today = today or clock.today()
    kinds = set(
        Sanction.objects.filter(
            registrant_id=registrant_id,
            status=SanctionStatus.IN_FORCE,
            kind__in=list(STATUS_FOR_KIND),
            effective_from__lte=today,
        ).values_list("kind", flat=True)
    )
    statuses = [STATUS_FOR_KIND[SanctionKind(kind)] for kind in kinds]
    return max(statuses, key=SEVERITY.__getitem__, default=None)


def _status_sync(*, registrant_id: int, actor, reason: str, today: dt.date):
    """Bring the register status into line with the sanctions in force. A restriction
    recorded before cases existed (no sanction of that kind ever) is left alone: only
    the registrar lifts it. Already right: nothing changes."""
    registrant = Registrant.objects.only("id", "status", "merged_into_id").get(pk=registrant_id)
    needed = needed_status(registrant_id, today=today)
    current = registrant.status
    if current in SEVERITY and (needed is None or SEVERITY[needed] < SEVERITY[current]):
        imposed_by_a_case = Sanction.objects.filter(
            registrant_id=registrant_id, kind=KIND_FOR_STATUS[RegisterStatus(current)]
        ).exists()
        if not imposed_by_a_case:
            return None
    if needed is not None:
        target = needed
    elif current in SEVERITY:
        target = RegisterStatus.REGISTERED
    else:
        return None  # lapsed or removed and nothing in force: stays as it is
    if target == current:
        return None
    return register_status_change(
        registrant=registrant, to_status=target, reason=reason, actor=actor, effective_on=today
    )


# --- A determination's sanction ----------------------------------------------------


def _validated_terms(determination: Determination, *, today: dt.date) -> dict:
    kind = determination.sanction
    effective = determination.effective_from or today
    ends_on = determination.ends_on
    conditions = (determination.conditions or "").strip()
    if kind in (SanctionKind.CONDITIONS, SanctionKind.SUSPENSION):
        label = "conditions" if kind == SanctionKind.CONDITIONS else "suspension"
        if ends_on is None:
            raise ValidationError({"ends_on": f"Enter the date the {label} end"})
        if ends_on < effective:
            raise ValidationError(
                {"ends_on": f"The {label} must end on or after the day they take effect"}
            )
        if kind == SanctionKind.SUSPENSION:
            longest = effective + relativedelta(months=settings.CASES_SUSPENSION_MAX_MONTHS)
            if ends_on > longest:
                raise ValidationError(
                    {
                        "ends_on": "A suspension can last at most "
                        f"{settings.CASES_SUSPENSION_MAX_MONTHS} months: end it by "
                        f"{uk_date(longest)}"
                    }
                )
        if kind == SanctionKind.CONDITIONS and not conditions:
            raise ValidationError({"conditions": "Enter the conditions"})
        review_by = _review_by(effective_from=effective, ends_on=ends_on)
    elif kind == SanctionKind.BARRING:
        ends_on, review_by = None, None
    else:  # advice, warning, undertakings: no end date unless the decision set one
        review_by = None
        if ends_on is not None and ends_on < effective:
            raise ValidationError({"ends_on": "The end date must be on or after the start"})
        if kind == SanctionKind.ADVICE:
            ends_on = None
    return {
        "effective_from": effective,
        "ends_on": ends_on,
        "review_by": review_by,
        "conditions": conditions if kind == SanctionKind.CONDITIONS else "",
    }


def _events(closed: list[AlertEvent], sanction: Sanction | None) -> list[AlertEvent]:
    """What employers are told: what ended and what took effect. A sanction replaced
    by one of the same kind (an appeal dismissed, or the terms changed) is one change,
    not an end and a start; with the same terms it is no change at all."""
    if sanction is None:
        return closed
    events, new = [], [AlertEvent(sanction)]
    for event in closed:
        old = event.sanction
        if old.interim or old.kind != sanction.kind:
            events.append(event)
        elif (old.ends_on, old.conditions) == (sanction.ends_on, sanction.conditions):
            new = []
    return [*events, *new]


def sanction_from_determination(*, determination: Determination, actor) -> Sanction | None:
    """Apply an issued determination to the register: its sanction (None for no
    sanction), the end of the case's interim orders, and the end of the sanctions of
    the decision it supersedes. Calling it again for the same determination changes
    nothing and returns the same sanction."""
    _require_sanction_staff(actor, determination)
    kind = determination.sanction or ""
    if kind and kind not in SanctionKind.values:
        raise ValidationError({"sanction": "Choose a sanction from the list"})
    today = clock.today()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=determination.case_id)
        existing = Sanction.objects.filter(determination=determination, interim=False).first()
        if existing is not None:
            return existing
        if Determination.objects.filter(supersedes=determination).exists():
            raise ValidationError(
                "A later decision has replaced this one: apply that decision instead."
            )
        terms = _validated_terms(determination, today=today) if kind else {}
        closed: list[AlertEvent] = []
        superseded_ids: list[int] = []
        if determination.supersedes_id is not None:
            by_appeal = determination.kind == DeterminationKind.APPEAL
            for earlier in Sanction.objects.select_for_update(of=("self",)).filter(
                determination_id=determination.supersedes_id, status=SanctionStatus.IN_FORCE
            ):
                # An appeal replaces the decision: the earlier sanction leaves the
                # public entry. A review ends it: it stays for its publication period.
                _close(earlier, status=SanctionStatus.SUPERSEDED, on=today, unpublish=by_appeal)
                closed.append(AlertEvent(earlier, ended=True))
                superseded_ids.append(earlier.pk)
        interim_ids: list[int] = []
        for interim in Sanction.objects.select_for_update(of=("self",)).filter(
            case=case, interim=True, status=SanctionStatus.IN_FORCE
        ):
            _close(interim, status=SanctionStatus.ENDED, on=today)
            closed.append(AlertEvent(interim, ended=True))
            interim_ids.append(interim.pk)

        sanction = None
        if kind:
            published = kind != SanctionKind.ADVICE and not case.health_related
            sanction = Sanction.objects.create(
                registrant_id=case.registrant_id,
                case=case,
                determination=determination,
                kind=kind,
                interim=False,
                published=published,
                publish_until=(
                    _publish_until(
                        kind, effective_from=terms["effective_from"], ends_on=terms["ends_on"]
                    )
                    if published
                    else None
                ),
                published_summary=(determination.published_summary or "").strip()
                if published
                else "",
                **terms,
            )
        if not sanction and not closed:
            return None

        decision = DeterminationKind(determination.kind).label
        outcome = _kind_label(kind) if kind else "no sanction"
        _status_sync(
            registrant_id=case.registrant_id,
            actor=actor,
            reason=f"{decision} on fitness-to-practise case {case.reference}: {outcome}",
            today=today,
        )
        registrant = Registrant.objects.get(pk=case.registrant_id)
        alerted = alerts_send(registrant=registrant, events=_events(closed, sanction))
        audit_record(
            actor=actor,
            # No sanction: the decision still ends interim orders or an earlier sanction.
            action="cases.sanction.imposed" if sanction else "cases.sanction.lifted",
            reason=f"{decision} issued",
            subject=case,
            payload={
                "reference": case.reference,
                "determination": determination.pk,
                "sanction": sanction.pk if sanction else None,
                "kind": kind or None,
                "effective_from": sanction.effective_from if sanction else None,
                "ends_on": sanction.ends_on if sanction else None,
                "published": sanction.published if sanction else None,
                "publish_until": sanction.publish_until if sanction else None,
                "superseded": superseded_ids,
                "interim_orders_ended": interim_ids,
                "alerted": alerted,
            },
        )
    return sanction


# --- Interim orders --------------------------------------------------------------


def _interim_hearing_check(*, case: Case, hearing: Hearing | None, today: dt.date) -> None:
    if hearing is None or hearing.case_id != case.pk:
        raise ValidationError({"hearing": "Choose the interim order hearing for this case"})
    if hearing.kind != HearingKind.INTERIM_ORDER:
        raise ValidationError(
            {"hearing": "An interim order is made at an interim order hearing: choose that hearing"}
        )
    if hearing.status in (HearingStatus.CANCELLED, HearingStatus.ADJOURNED):
        raise ValidationError(
            {"hearing": f"The hearing was {hearing.get_status_display().lower()}"}
        )
    if hearing.starts_on > today:
        raise ValidationError(
            {"hearing": f"The hearing is on {uk_date(hearing.starts_on)}: make the order then"}
        )


def _months(value) -> int:
    limit = settings.CASES_INTERIM_MAX_MONTHS
    try:
        months = int(value)
    except (TypeError, ValueError):
        months = 0
    if isinstance(value, bool) or months < 1:
        raise ValidationError({"months": "Enter how many months the order lasts, like 6"})
    if months > limit:
        raise ValidationError({"months": f"An interim order can last at most {limit} months"})
    return months


def _interim_terms(kind, conditions) -> tuple[str, str]:
    if kind not in INTERIM_KINDS:
        raise ValidationError({"kind": "Choose interim conditions or an interim suspension"})
    if kind == SanctionKind.CONDITIONS:
        return kind, clean_text(conditions, name="conditions", message="Enter the conditions")
    return kind, ""


def _interim_create(
    *, case: Case, kind: str, conditions: str, ends_on: dt.date, published: bool, today: dt.date
) -> Sanction:
    """A new interim order in force from today (shown publicly while in force only)."""
    return Sanction.objects.create(
        registrant_id=case.registrant_id,
        case=case,
        kind=kind,
        interim=True,
        effective_from=today,
        ends_on=ends_on,
        review_by=_interim_review_by(today=today, ends_on=ends_on),
        conditions=conditions,
        published=published,
        publish_until=None,
    )


def interim_order_make(
    *, case: Case, kind: str, months: int, conditions: str = "", hearing: Hearing, actor
) -> Sanction:
    """An interim order (conditions or a suspension) while the case is open: made at
    an interim order hearing, for at most ``CASES_INTERIM_MAX_MONTHS``, reviewed at
    least every ``CASES_INTERIM_REVIEW_MONTHS``."""
    _require_interim_panel(actor, hearing)
    kind, conditions = _interim_terms(kind, conditions)
    months = _months(months)
    today = clock.today()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.stage not in OPEN_STAGES:
            raise ValidationError(
                "The case is closed: an interim order is only made while it is open."
            )
        _interim_hearing_check(case=locked, hearing=hearing, today=today)
        if locked.sanctions.filter(interim=True, status=SanctionStatus.IN_FORCE).exists():
            raise ValidationError(
                "An interim order is already in force on this case: review it to vary or revoke it."
            )
        ends_on = today + relativedelta(months=months)
        sanction = _interim_create(
            case=locked,
            kind=kind,
            conditions=conditions,
            ends_on=ends_on,
            published=not locked.health_related,
            today=today,
        )
        _status_sync(
            registrant_id=locked.registrant_id,
            actor=actor,
            reason=f"Interim order ({_kind_label(kind)}) on fitness-to-practise case "
            f"{locked.reference}",
            today=today,
        )
        alerted = alerts_send(
            registrant=Registrant.objects.get(pk=locked.registrant_id),
            events=[AlertEvent(sanction)],
        )
        audit_record(
            actor=actor,
            action="cases.interim_order.made",
            subject=locked,
            payload={
                "reference": locked.reference,
                "sanction": sanction.pk,
                "kind": kind,
                "months": months,
                "ends_on": ends_on,
                "review_by": sanction.review_by,
                "hearing": hearing.pk,
                "alerted": alerted,
            },
        )
    return sanction


def interim_order_review(
    *,
    sanction: Sanction,
    outcome: str,
    reasons: str,
    actor,
    hearing: Hearing | None = None,
    kind: str | None = None,
    conditions: str | None = None,
) -> Sanction:
    """Review an interim order: continue it (the next review is set), vary it (new
    terms, same end date, replacing the order) or revoke it (the register status goes
    back to registered unless another sanction is in force). Returns the order in
    force afterwards, or the revoked one."""
    _require_interim_panel(actor, hearing)
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "Choose continue, vary or revoke"})
    reasons = clean_text(reasons, name="reasons", message="Enter the reasons for the decision")
    today = clock.today()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=sanction.case_id)
        locked = Sanction.objects.select_for_update(of=("self",)).get(pk=sanction.pk)
        if not locked.interim:
            raise ValidationError("This is not an interim order: a review hearing decides it.")
        if locked.status != SanctionStatus.IN_FORCE:
            raise ValidationError(
                f"This interim order is no longer in force ({locked.get_status_display().lower()})."
            )
        if hearing is not None and hearing.case_id != case.pk:
            raise ValidationError({"hearing": "Choose a hearing for this case"})
        result = locked
        events: list[AlertEvent] = []
        if outcome == "continue":
            locked.review_by = _interim_review_by(today=today, ends_on=locked.ends_on)
            locked.save(update_fields=["review_by"])
        elif outcome == "vary":
            new_kind, new_conditions = _interim_terms(
                kind or locked.kind,
                conditions if conditions is not None else locked.conditions,
            )
            _close(locked, status=SanctionStatus.SUPERSEDED, on=today)
            result = _interim_create(
                case=case,
                kind=new_kind,
                conditions=new_conditions,
                ends_on=locked.ends_on,
                published=locked.published,
                today=today,
            )
            events = [AlertEvent(locked, ended=True), AlertEvent(result)]
        else:
            _close(locked, status=SanctionStatus.REVOKED, on=today)
            events = [AlertEvent(locked, ended=True)]
        if outcome != "continue":
            _status_sync(
                registrant_id=case.registrant_id,
                actor=actor,
                reason=f"Interim order on fitness-to-practise case {case.reference} "
                f"{'varied' if outcome == 'vary' else 'revoked'} on review",
                today=today,
            )
        alerted = (
            alerts_send(registrant=Registrant.objects.get(pk=case.registrant_id), events=events)
            if events
            else []
        )
        audit_record(
            actor=actor,
            action="cases.interim_order.reviewed",
            reason=reasons,
            subject=case,
            payload={
                "reference": case.reference,
                "sanction": locked.pk,
                "outcome": outcome,
                "in_force": result.pk if result.status == SanctionStatus.IN_FORCE else None,
                "kind": result.kind,
                "review_by": result.review_by,
                "hearing": hearing.pk if hearing is not None else None,
                "alerted": alerted,
            },
        )
    return result


# --- Background: lapses, and sanctions taking effect on a later date -----------------


def _lapse_registrant(registrant_id: int, sanction_ids: list[int], *, today: dt.date) -> int:
    with transaction.atomic():
        due = list(
            Sanction.objects.select_for_update(of=("self",))
            .filter(pk__in=sanction_ids, status=SanctionStatus.IN_FORCE, ends_on__lt=today)
            .select_related("case")
        )
        if not due:
            return 0
        for sanction in due:
            sanction.status = SanctionStatus.ENDED
            sanction.ended_on = sanction.ends_on
            sanction.save(update_fields=["status", "ended_on"])
        described = "; ".join(
            f"{_kind_label(s.kind, interim=s.interim)} on case {s.case.reference} ended on "
            f"{uk_date(s.ends_on)}"
            for s in due
        )
        _status_sync(
            registrant_id=registrant_id,
            actor=SYSTEM_ACTOR,
            reason=described[0].upper() + described[1:],
            today=today,
        )
        alerted = alerts_send(
            registrant=Registrant.objects.get(pk=registrant_id),
            events=[AlertEvent(s, ended=True) for s in due],
        )
        for sanction in due:
            audit_record(
                actor=SYSTEM_ACTOR,
                action="cases.sanction.lapsed",
                reason="Its end date passed",
                subject=sanction.case,
                payload={
                    "reference": sanction.case.reference,
                    "sanction": sanction.pk,
                    "kind": sanction.kind,
                    "interim": sanction.interim,
                    "ended_on": sanction.ended_on,
                    "alerted": alerted,
                },
            )
    return len(due)


def _apply_due(*, today: dt.date) -> int:
    """Sanctions decided with a later start date whose day has come: bring the
    register status into line (once: a status the registrar changed after the start
    date is left alone)."""
    rows = Sanction.objects.filter(
        status=SanctionStatus.IN_FORCE,
        kind__in=list(STATUS_FOR_KIND),
        effective_from__lte=today,
        registrant__status_since__lt=F("effective_from"),
    ).values_list(
        "registrant_id", "registrant__status", "case__reference", "created_at", "effective_from"
    )
    due: dict[int, str] = {}
    for registrant_id, _status, reference, created_at, effective_from in rows:
        if clock.localdate(created_at) < effective_from:
            due.setdefault(registrant_id, reference)
    applied = 0
    for registrant_id, reference in due.items():
        try:
            with transaction.atomic():
                if _status_sync(
                    registrant_id=registrant_id,
                    actor=SYSTEM_ACTOR,
                    reason=f"Sanction on fitness-to-practise case {reference} took effect",
                    today=today,
                ):
                    applied += 1
        except ValidationError:
            logger.warning("a sanction could not be applied to registrant %s", registrant_id)
    return applied


def sanctions_lapse(*, today: dt.date | None = None) -> int:
    """End every sanction and interim order whose end date has passed: the register
    status goes back to registered (or to what another sanction in force needs) and
    employers are told. Also applies sanctions that take effect today. Returns how
    many sanctions ended. Run daily."""
    today = today or clock.today()
    by_registrant: dict[int, list[int]] = defaultdict(list)
    for pk, registrant_id in Sanction.objects.filter(
        status=SanctionStatus.IN_FORCE, ends_on__lt=today
    ).values_list("pk", "registrant_id"):
        by_registrant[registrant_id].append(pk)
    ended = 0
    for registrant_id, ids in by_registrant.items():
        try:
            ended += _lapse_registrant(registrant_id, ids, today=today)
        except ValidationError:  # e.g. a record merged into another meanwhile
            logger.warning("sanctions of registrant %s could not lapse", registrant_id)
    _apply_due(today=today)
    return ended


def reviews_due(*, today: dt.date | None = None, within_days: int | None = None) -> list:
    """Conditions, suspensions and interim orders in force whose review falls within
    ``within_days`` (default: the hearing notice period) and whose case has no review
    or interim order hearing scheduled yet; earliest review first."""
    today = today or clock.today()
    if within_days is None:
        within_days = settings.CASES_HEARING_NOTICE_DAYS
    horizon = today + dt.timedelta(days=within_days)
    arranged = Hearing.objects.filter(
        kind__in=[HearingKind.REVIEW, HearingKind.INTERIM_ORDER],
        status=HearingStatus.SCHEDULED,
        starts_on__gte=today,
    ).values("case_id")
    return list(
        Sanction.objects.filter(
            Q(interim=True) | Q(kind__in=[SanctionKind.CONDITIONS, SanctionKind.SUSPENSION]),
            status=SanctionStatus.IN_FORCE,
            review_by__isnull=False,
            review_by__lte=horizon,
        )
        .exclude(case_id__in=arranged)
        .select_related("registrant", "case")
        .order_by("review_by", "pk")
    )
