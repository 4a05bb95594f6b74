"""The annual return of the fit and proper person test: writes and reads.

Once every board member's assessment for a year is concluded, the
organisation's chair submits the year's return to the regional director of the
organisation's region. The return for year N is due on a configurable day of
year N + 1 (``settings.FITNESS_RETURN_DEADLINE``, 30 June by default); the
first submission after that day is late. The regional director sees every
organisation in the region and may return a submission to the chair with
comments, after which the chair submits it again. Chairs are reminded before
the deadline and once it has passed (``send_return_reminders``, run daily by
the worker).
"""

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse

from steward.accounts.models import RoleAssignment
from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_label
from steward.core.formatting import uk_date
from steward.core.text import clean_text
from steward.fitness.models import (
    AnnualReturn,
    AnnualReturnEvent,
    AssessmentOutcome,
    AssessmentTrigger,
    FitnessAssessment,
    ReturnReminder,
    ReturnStatus,
)
from steward.fitness.rules import directs_region_id, holds_role_at
from steward.notifications.services import notify
from steward.organisations.models import Organisation, OrganisationType
from steward.register.services import StaleEdit

# Years a return can be for: the FPPT framework began in 2023; a little room either side.
EARLIEST_YEAR = 2000
LATEST_YEAR_AHEAD = 1
MAX_STATEMENT_LENGTH = 5000
MAX_COMMENTS_LENGTH = 5000
# How many people a "not concluded" message names before it says "and N others".
NAMED_IN_MESSAGE = 10
REMINDER_TOPIC = "fitness.return.reminder"
OVERDUE = "overdue"


class ReturnState:
    """Where an organisation's return for a year stands (shown as a tag)."""

    NOT_SUBMITTED = "not_submitted"
    OVERDUE = "overdue"
    SUBMITTED_ON_TIME = "submitted_on_time"
    SUBMITTED_LATE = "submitted_late"
    RETURNED = "returned"

    ALL = (NOT_SUBMITTED, OVERDUE, SUBMITTED_ON_TIME, SUBMITTED_LATE, RETURNED)
    LABELS = {
        NOT_SUBMITTED: "Not submitted",
        OVERDUE: "Overdue",
        SUBMITTED_ON_TIME: "Submitted on time",
        SUBMITTED_LATE: "Submitted late",
        RETURNED: "Returned for changes",
    }


# --- The deadline and the reminder days -------------------------------------------


def _deadline_setting() -> tuple[int, int]:
    """(month, day) from FITNESS_RETURN_DEADLINE ("MM-DD"), refused if it is not a real day."""
    value = str(getattr(settings, "FITNESS_RETURN_DEADLINE", "06-30")).strip()
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", value)
    problem = ImproperlyConfigured(
        f"FITNESS_RETURN_DEADLINE must be a day of the year as MM-DD, like 06-30; got {value!r}."
    )
    if not match:
        raise problem
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise problem from None
    return month, day


def return_deadline(year: int) -> dt.date:
    """The day the return for ``year`` is due: the configured day of ``year + 1``.

    A deadline of 29 February falls on 28 February in years that have no 29th.
    """
    month, day = _deadline_setting()
    due_year = int(year) + 1
    if (month, day) == (2, 29) and not calendar.isleap(due_year):
        day = 28
    return dt.date(due_year, month, day)


def reminder_days() -> tuple[int, ...]:
    """FITNESS_REMINDER_DAYS as distinct positive whole days, furthest first."""
    raw = getattr(settings, "FITNESS_REMINDER_DAYS", (28, 14, 7, 1))
    try:
        days = {int(value) for value in raw}
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            "FITNESS_REMINDER_DAYS must be whole numbers of days, like 28,14,7,1."
        ) from None
    if any(value < 1 or value > 366 for value in days):
        raise ImproperlyConfigured("FITNESS_REMINDER_DAYS must each be between 1 and 366 days.")
    return tuple(sorted(days, reverse=True))


def reminder_kind(days: int) -> str:
    return "1-day" if days == 1 else f"{days}-days"


def year_is_valid(year: int, *, today: dt.date | None = None) -> bool:
    """A year a return could be for: not before 2000, not after next year."""
    today = today or clock.today()
    return EARLIEST_YEAR <= year <= today.year + LATEST_YEAR_AHEAD


def return_state(annual_return: AnnualReturn | None, *, deadline: dt.date, today=None) -> str:
    today = today or clock.today()
    if annual_return is None:
        return ReturnState.OVERDUE if today > deadline else ReturnState.NOT_SUBMITTED
    if annual_return.status == ReturnStatus.RETURNED:
        return ReturnState.RETURNED
    if annual_return.submitted_late:
        return ReturnState.SUBMITTED_LATE
    return ReturnState.SUBMITTED_ON_TIME


def return_url(*, organisation, year: int) -> str:
    return reverse("fitness:return", kwargs={"ods_code": organisation.ods_code, "year": year})


def region_url(*, region, year: int) -> str:
    return reverse("fitness:region", kwargs={"region_code": region.code, "year": year})


# --- Who holds the roles ---------------------------------------------------------


def chairs_of(*, organisation) -> list:
    """The people holding a current chair role at the organisation."""
    return role_holders("chair", organisation=organisation)


def regional_directors_of(*, region) -> list:
    """The people holding a current regional director role for the region."""
    return [] if region is None else role_holders("regional_director", region=region)


# --- Writes -------------------------------------------------------------------------


@dataclass
class AssessmentCounts:
    board_members: int = 0
    concluded: int = 0
    fit_and_proper: int = 0
    not_fit_and_proper: int = 0

    @property
    def not_concluded(self) -> int:
        return self.board_members - self.concluded


def return_summary(assessments: list[FitnessAssessment]) -> dict:
    """The counts a submitted return records: overall and by what triggered the assessment."""

    def counts(items) -> dict:
        outcomes = Counter(a.outcome for a in items)
        return {
            "board_members": len({a.registrant_id for a in items}),
            "assessments": len(items),
            "fit_and_proper": outcomes[AssessmentOutcome.FIT],
            "not_fit_and_proper": outcomes[AssessmentOutcome.NOT_FIT],
        }

    return {
        **counts(assessments),
        "by_trigger": {
            trigger.value: counts([a for a in assessments if a.trigger == trigger])
            for trigger in AssessmentTrigger
        },
    }


def _not_concluded_message(pending: list[FitnessAssessment], year: int) -> str:
    names = [f"{a.registrant.display_name} ({a.career_role.title})" for a in pending]
    shown = names[:NAMED_IN_MESSAGE]
    if len(names) > len(shown):
        shown.append(f"and {len(names) - len(shown)} others")
    count = len(pending)
    what = "1 assessment" if count == 1 else f"{count} assessments"
    verb = "is" if count == 1 else "are"
    return (
        f"{what} for {year} {verb} not concluded: {', '.join(shown)}. "
        "Conclude every board member's assessment before you submit the return"
    )


def annual_return_submit(
    *, organisation, year: int, chair_statement: str, actor, expected_version: int | None = None
) -> AnnualReturn:
    """The chair submits (or, after it was returned, resubmits) the year's return.

    Refused unless ``actor`` holds the chair role at the organisation, the year
    has at least one assessment and every one of them is concluded, and the
    return is not already submitted. ``expected_version`` is the return's
    version when the chair opened the page (0 when there was none): a return
    changed since is refused as stale. The regional directors are told.
    """
    if not holds_role_at(actor, {"chair"}, organisation):
        raise ValidationError(
            f"Only the chair of {organisation.name} can submit its annual fit and proper return",
            code="not_chair",
        )
    if not year_is_valid(year):
        raise ValidationError(f"There is no annual return for {year}", code="year")
    statement = clean_text(
        chair_statement,
        name="chair_statement",
        label="Your statement",
        required="Enter your statement as chair",
        limit=MAX_STATEMENT_LENGTH,
    )
    deadline = return_deadline(year)
    now = clock.now()
    with transaction.atomic():
        existing = (
            AnnualReturn.objects.select_for_update()
            .filter(organisation=organisation, year=year)
            .first()
        )
        current_version = existing.version if existing else 0
        if expected_version is not None and expected_version != current_version:
            raise StaleEdit()
        if existing is not None and existing.status == ReturnStatus.SUBMITTED:
            raise ValidationError(
                f"The {year} return for {organisation.name} was submitted on "
                f"{uk_date(existing.submitted_at)} and is with the regional director. You can "
                "submit it again only if they return it to you for changes",
                code="already_submitted",
            )
        assessments = list(
            FitnessAssessment.objects.filter(organisation=organisation, year=year)
            .select_related("registrant", "career_role")
            .order_by("registrant__surname_key", "pk")
        )
        if not assessments:
            raise ValidationError(
                f"There are no fit and proper assessments for {organisation.name} for {year}. "
                "Assess every board member for the year before you submit the return",
                code="no_assessments",
            )
        pending = [a for a in assessments if not a.is_concluded]
        if pending:
            raise ValidationError(_not_concluded_message(pending, year), code="not_concluded")
        summary = return_summary(assessments)
        if existing is None:
            try:
                with transaction.atomic():
                    annual_return = AnnualReturn.objects.create(
                        organisation=organisation,
                        year=year,
                        status=ReturnStatus.SUBMITTED,
                        deadline=deadline,
                        first_submitted_at=now,
                        submitted_at=now,
                        submitted_by=actor,
                        submitted_by_label=actor_label(actor),
                        chair_statement=statement,
                        summary=summary,
                    )
            except IntegrityError:  # someone submitted it at the same moment
                raise StaleEdit() from None
            action = "fitness.return.submitted"
        else:
            updated = AnnualReturn.objects.filter(
                pk=existing.pk, version=existing.version, status=ReturnStatus.RETURNED
            ).update(
                status=ReturnStatus.SUBMITTED,
                submitted_at=now,
                submitted_by=actor,
                submitted_by_label=actor_label(actor),
                chair_statement=statement,
                summary=summary,
                version=existing.version + 1,
            )
            if updated != 1:
                raise StaleEdit()
            annual_return = AnnualReturn.objects.get(pk=existing.pk)
            action = "fitness.return.resubmitted"
        AnnualReturnEvent.objects.create(
            annual_return=annual_return,
            action=AnnualReturnEvent.Action.SUBMITTED,
            at=now,
            actor=actor,
            actor_label=actor_label(actor),
        )
        audit_record(
            actor=actor,
            action=action,
            reason="The chair submitted the organisation's annual fit and proper return",
            subject=annual_return,
            payload={
                "organisation": organisation.ods_code,
                "year": year,
                "deadline": deadline,
                "late": annual_return.submitted_late,
                "version": annual_return.version,
                "summary": summary,
            },
        )
        late = " after the deadline" if annual_return.submitted_late else ""
        notify(
            users=regional_directors_of(region=organisation.region),
            subject=f"Fit and proper annual return {year} submitted: {organisation.name}",
            body=(
                f"The chair of {organisation.name} ({organisation.ods_code}) "
                f"{'resubmitted' if existing else 'submitted'} the organisation's annual fit "
                f"and proper person test return for {year}{late}. The deadline was "
                f"{uk_date(deadline)}."
            ),
            url=return_url(organisation=organisation, year=year),
            topic="fitness.return.submitted",
        )
    return annual_return


def annual_return_send_back(
    *, annual_return: AnnualReturn, comments: str, actor, expected_version: int
) -> AnnualReturn:
    """The regional director returns a submitted return to the chair, saying what to change."""
    organisation = annual_return.organisation
    region = organisation.region
    if region is None or not directs_region_id(actor, region.pk):
        raise ValidationError(
            f"Only the regional director for {organisation.name}'s region can return its "
            "annual fit and proper return",
            code="not_regional_director",
        )
    text = clean_text(
        comments,
        name="comments",
        label="Your comments",
        required="Enter what the chair needs to change",
        limit=MAX_COMMENTS_LENGTH,
    )
    now = clock.now()
    with transaction.atomic():
        current = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
        if current.version != expected_version:
            raise StaleEdit()
        if current.status != ReturnStatus.SUBMITTED:
            raise ValidationError(
                f"This return was already returned to the chair on {uk_date(current.returned_at)}. "
                "You can return it again once the chair resubmits it",
                code="already_returned",
            )
        AnnualReturn.objects.filter(pk=current.pk).update(
            status=ReturnStatus.RETURNED,
            returned_at=now,
            returned_by=actor,
            return_comments=text,
            version=current.version + 1,
        )
        AnnualReturnEvent.objects.create(
            annual_return=current,
            action=AnnualReturnEvent.Action.RETURNED,
            at=now,
            actor=actor,
            actor_label=actor_label(actor),
            comments=text,
        )
        audit_record(
            actor=actor,
            action="fitness.return.sent_back",
            reason="The regional director returned the annual return for changes",
            subject=current,
            payload={
                "organisation": organisation.ods_code,
                "year": current.year,
                "version": current.version + 1,
            },
        )
        notify(
            users=chairs_of(organisation=organisation),
            subject=f"Fit and proper annual return {current.year} returned for changes",
            body=(
                f"The regional director returned {organisation.name}'s annual fit and proper "
                f"person test return for {current.year} with comments. Read the comments, make "
                "the changes and submit the return again."
            ),
            url=return_url(organisation=organisation, year=current.year),
            topic="fitness.return.returned",
        )
    return AnnualReturn.objects.select_related("organisation__region").get(pk=current.pk)


# --- Reads --------------------------------------------------------------------------


@dataclass
class OrganisationReturn:
    """One organisation's return for one year, and the assessments behind it."""

    organisation: Organisation
    year: int
    deadline: dt.date
    annual_return: AnnualReturn | None
    state: str
    assessments: list[FitnessAssessment]
    events: list[AnnualReturnEvent]
    counts: AssessmentCounts

    @property
    def version(self) -> int:
        return self.annual_return.version if self.annual_return else 0

    @property
    def not_concluded(self) -> list[FitnessAssessment]:
        return [a for a in self.assessments if not a.is_concluded]

    @property
    def is_open_for_submission(self) -> bool:
        """No return yet, or it was returned: the chair may submit (once all are concluded)."""
        return self.annual_return is None or self.annual_return.status == ReturnStatus.RETURNED

    @property
    def ready_to_submit(self) -> bool:
        return self.is_open_for_submission and bool(self.assessments) and not self.not_concluded


def _counts(assessments) -> AssessmentCounts:
    return AssessmentCounts(
        board_members=len(assessments),
        concluded=sum(1 for a in assessments if a.is_concluded),
        fit_and_proper=sum(1 for a in assessments if a.outcome == AssessmentOutcome.FIT),
        not_fit_and_proper=sum(1 for a in assessments if a.outcome == AssessmentOutcome.NOT_FIT),
    )


def organisation_return(*, organisation, year: int, today=None) -> OrganisationReturn:
    """The return (if any), its history, and the year's assessments at the organisation."""
    deadline = return_deadline(year)
    annual_return = (
        AnnualReturn.objects.filter(organisation=organisation, year=year)
        .select_related("returned_by")
        .first()
    )
    events = list(annual_return.events.order_by("at", "pk")) if annual_return is not None else []
    assessments = list(
        FitnessAssessment.objects.filter(organisation=organisation, year=year)
        .select_related("registrant", "career_role")
        .order_by("registrant__surname_key", "registrant__legal_forenames", "pk")
    )
    return OrganisationReturn(
        organisation=organisation,
        year=year,
        deadline=deadline,
        annual_return=annual_return,
        state=return_state(annual_return, deadline=deadline, today=today),
        assessments=assessments,
        events=events,
        counts=_counts(assessments),
    )


def region_organisations(*, region, today=None):
    """The region's open trusts and integrated care boards."""
    today = today or clock.today()
    return (
        Organisation.objects.filter(region=region)
        .exclude(org_type=OrganisationType.NATIONAL_BODY)
        .open_on(today)
    )


@dataclass
class RegionRow:
    organisation: Organisation
    counts: AssessmentCounts
    state: str
    annual_return: AnnualReturn | None


@dataclass
class RegionOverview:
    region: object
    year: int
    deadline: dt.date
    rows: list[RegionRow]
    totals: AssessmentCounts
    states: dict[str, int]
    overrides: list = field(default_factory=list)

    @property
    def organisations(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return self.states[ReturnState.SUBMITTED_ON_TIME] + self.states[ReturnState.SUBMITTED_LATE]


def overrides_in_region(*, region, year: int) -> list:
    """Appointments started before every reference arrived, with the chair's reason."""
    from steward.references import selectors as reference_selectors

    return list(reference_selectors.overrides_in_region(region=region, year=year))


def region_overview(*, region, year: int, today=None) -> RegionOverview:
    """One row per open organisation in the region: assessments, outcomes, return status.

    A fixed number of queries however many organisations the region has.
    """
    today = today or clock.today()
    deadline = return_deadline(year)
    organisations = list(region_organisations(region=region, today=today).order_by("name"))
    ids = [o.pk for o in organisations]
    tallies = {
        row["organisation_id"]: row
        for row in FitnessAssessment.objects.filter(organisation_id__in=ids, year=year)
        .values("organisation_id")
        .annotate(
            total=Count("id"),
            concluded=Count("id", filter=~Q(outcome="")),
            fit=Count("id", filter=Q(outcome=AssessmentOutcome.FIT)),
            not_fit=Count("id", filter=Q(outcome=AssessmentOutcome.NOT_FIT)),
        )
        .order_by()
    }
    returns = {
        r.organisation_id: r
        for r in AnnualReturn.objects.filter(organisation_id__in=ids, year=year)
    }
    rows = []
    totals = AssessmentCounts()
    states = dict.fromkeys(ReturnState.ALL, 0)
    for organisation in organisations:
        tally = tallies.get(organisation.pk, {})
        counts = AssessmentCounts(
            board_members=tally.get("total", 0),
            concluded=tally.get("concluded", 0),
            fit_and_proper=tally.get("fit", 0),
            not_fit_and_proper=tally.get("not_fit", 0),
        )
        annual_return = returns.get(organisation.pk)
        state = return_state(annual_return, deadline=deadline, today=today)
        states[state] += 1
        totals.board_members += counts.board_members
        totals.concluded += counts.concluded
        totals.fit_and_proper += counts.fit_and_proper
        totals.not_fit_and_proper += counts.not_fit_and_proper
        rows.append(RegionRow(organisation, counts, state, annual_return))
    return RegionOverview(
        region=region,
        year=year,
        deadline=deadline,
        rows=rows,
        totals=totals,
        states=states,
        overrides=overrides_in_region(region=region, year=year),
    )


def region_years(*, region) -> list[int]:
    """Years with assessments at the region's organisations, newest first."""
    return list(
        FitnessAssessment.objects.filter(organisation__region=region)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def region_default_year(*, region, today=None) -> int:
    """The year a regional director sees first: the latest with assessments in the region."""
    years = region_years(region=region)
    return years[0] if years else (today or clock.today()).year


def regions_directed_by(*, user) -> list:
    """The regions where the user is regional director now, by name."""
    from steward.accounts.selectors import current_assignments

    found = {
        a.region_id: a.region
        for a in current_assignments(user=user)
        if a.role == "regional_director" and a.region_id is not None
    }
    return sorted(found.values(), key=lambda r: r.name)


# --- Reminders ----------------------------------------------------------------------


def _due_kind(*, deadline: dt.date, today: dt.date, days: tuple[int, ...]) -> str | None:
    """The most recent reminder due on ``today``: never an older one the worker missed."""
    if today > deadline:
        return OVERDUE
    passed = [d for d in days if deadline - dt.timedelta(days=d) <= today]
    return reminder_kind(min(passed)) if passed else None


def _reminder_text(*, organisation, year: int, deadline: dt.date, kind: str, today) -> tuple:
    if kind == OVERDUE:
        subject = f"Fit and proper annual return {year} is overdue"
        body = (
            f"The annual fit and proper person test return for {organisation.name} for {year} "
            f"was due on {uk_date(deadline)} and has not been submitted. Conclude every board "
            "member's assessment and submit the return to your regional director as soon as "
            "you can."
        )
    else:
        left = (deadline - today).days
        when = "tomorrow" if left == 1 else "today" if left == 0 else f"in {left} days"
        subject = f"Fit and proper annual return {year} due {when}"
        body = (
            f"The annual fit and proper person test return for {organisation.name} for {year} "
            f"is due on {uk_date(deadline)}. Conclude every board member's assessment, then "
            "submit the return to your regional director."
        )
    return subject, body


def send_return_reminders(*, today: dt.date | None = None) -> int:
    """Remind chairs of returns not yet submitted (or returned and not resubmitted).

    For each open organisation with assessments for a year: on each of
    FITNESS_REMINDER_DAYS before the deadline, and once after it has passed.
    Each kind goes once per organisation and year, so running twice a day sends
    nothing new; a worker that missed days sends only the latest kind due.
    Returns how many reminders were sent.
    """
    today = today or clock.today()
    days = reminder_days()
    # Years whose reminder window has opened; the return for year N is due in N + 1.
    candidates = (
        FitnessAssessment.objects.filter(year__lte=today.year, year__gte=EARLIEST_YEAR)
        .filter(organisation__in=Organisation.objects.open_on(today))
        .values_list("organisation_id", "year")
        .distinct()
        .order_by()
    )
    due: dict[tuple[int, int], str] = {}
    kinds_by_year: dict[int, str | None] = {}
    for organisation_id, year in candidates:
        if year not in kinds_by_year:
            kinds_by_year[year] = _due_kind(deadline=return_deadline(year), today=today, days=days)
        if kinds_by_year[year] is not None:
            due[(organisation_id, year)] = kinds_by_year[year]
    if not due:
        return 0
    years = {year for _, year in due}
    organisation_ids = {organisation_id for organisation_id, _ in due}
    submitted = set(
        AnnualReturn.objects.filter(
            organisation_id__in=organisation_ids, year__in=years, status=ReturnStatus.SUBMITTED
        ).values_list("organisation_id", "year")
    )
    already = set(
        ReturnReminder.objects.filter(
            organisation_id__in=organisation_ids, year__in=years
        ).values_list("organisation_id", "year", "kind")
    )
    chairs: dict[int, list] = {}
    for assignment in (
        RoleAssignment.objects.current()
        .filter(role="chair", organisation_id__in=organisation_ids)
        .select_related("user")
        .order_by("pk")
    ):
        chairs.setdefault(assignment.organisation_id, []).append(assignment.user)
    organisations = Organisation.objects.in_bulk(organisation_ids)

    sent = 0
    for (organisation_id, year), kind in sorted(due.items()):
        if (organisation_id, year) in submitted or (organisation_id, year, kind) in already:
            continue
        people = [user for user in chairs.get(organisation_id, []) if user.is_active]
        if not people:
            continue  # nobody to tell yet: a chair appointed later still gets the latest
        organisation = organisations[organisation_id]
        deadline = return_deadline(year)
        subject, body = _reminder_text(
            organisation=organisation, year=year, deadline=deadline, kind=kind, today=today
        )
        try:
            with transaction.atomic():
                reminder = ReturnReminder.objects.create(
                    organisation=organisation, year=year, kind=kind, sent_at=clock.now()
                )
                notify(
                    users=people,
                    subject=subject,
                    body=body,
                    url=return_url(organisation=organisation, year=year),
                    topic=REMINDER_TOPIC,
                )
                audit_record(
                    actor="fitness return reminders",
                    action="fitness.return.reminder_sent",
                    reason="The annual return is not yet submitted",
                    subject=reminder,
                    payload={
                        "organisation": organisation.ods_code,
                        "year": year,
                        "kind": kind,
                        "deadline": deadline,
                        "recipients": len(people),
                    },
                )
        except IntegrityError:  # another worker sent this one at the same moment
            continue
        sent += 1
    return sent
