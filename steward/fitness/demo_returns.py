"""Demo annual returns: a full year, as the regions would see it in November 2026.

Runs after the assessment demo, which concludes 2025 for most organisations.
For 2025 (due 30 June 2026) most organisations whose assessments are all
concluded submitted their return, most on time and some late; Leeds Teaching
Hospitals' return (or, failing that, another in North East and Yorkshire) was
returned by the regional director with comments; a few were never submitted
and are overdue. Deterministic, and idempotent: organisations that already
have a 2025 return are left alone.
"""

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q

from steward.accounts.models import RoleAssignment, User
from steward.audit.services import audit_record
from steward.fitness.models import AnnualReturn, AnnualReturnEvent, FitnessAssessment, ReturnStatus
from steward.fitness.returns import return_deadline, return_summary
from steward.organisations.models import Organisation
from steward.register.models import CareerRole, RoleCategory

YEAR = 2025
SEED = 20260630
DEMO_TRUST = "RR8"
DEMO_REGION = "Y63"
DEMO_REGIONAL_DIRECTOR = "regional-director@demo.steward.example"
LONDON = ZoneInfo("Europe/London")
ON_TIME_SHARE = 0.74
LATE_SHARE = 0.14  # the rest are not submitted
RETURN_COMMENTS = (
    "Thank you for the return. Two non-executive directors' assessments record the "
    "criminal record check as satisfactory without an evidence reference.\n"
    "Please add the references to both checks and submit the return again."
)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(8, 17), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))), LONDON
    )


def _statement(organisation: Organisation, summary: dict) -> str:
    text = (
        f"Every member of the board of {organisation.name} was assessed against the fit and "
        f"proper person test for {YEAR}, and each assessment was concluded with reasons. "
        "References, checks and self-attestations are held on each director's record."
    )
    not_fit = summary.get("not_fit_and_proper", 0)
    if not_fit:
        who = "One director was" if not_fit == 1 else f"{not_fit} directors were"
        text += (
            f"\n{who} found not fit and proper. The board has acted on the findings and "
            "referred them to the regulator."
        )
    return text


def _plan(organisations: list[Organisation]) -> dict[int, str]:
    """organisation pk → "on_time", "late", "returned" or "none" (not submitted)."""
    rng = random.Random(SEED)
    plan = {}
    for organisation in organisations:
        draw = rng.random()
        plan[organisation.pk] = (
            "on_time"
            if draw < ON_TIME_SHARE
            else "late"
            if draw < ON_TIME_SHARE + LATE_SHARE
            else "none"
        )
    in_region = [o for o in organisations if o.region and o.region.code == DEMO_REGION]
    returned = next((o for o in in_region if o.ods_code == DEMO_TRUST), None) or next(
        iter(in_region or organisations), None
    )
    if returned is not None:
        plan[returned.pk] = "returned"
    # The demo region shows every status: make sure it has a late and an overdue return.
    others = [o for o in in_region if o is not returned]
    for wanted, position in (("late", 0), ("none", -1)):
        if others and not any(plan[o.pk] == wanted for o in others):
            plan[others[position].pk] = wanted
    return plan


def fitness_returns_demo_load(*, actor: str) -> None:
    """Load the 2025 returns described above (nothing if the assessments are not there)."""
    tallies = (
        FitnessAssessment.objects.filter(year=YEAR)
        .values("organisation_id")
        .annotate(total=Count("id"), concluded=Count("id", filter=~Q(outcome="")))
        .order_by()
    )
    complete = {t["organisation_id"] for t in tallies if t["total"] == t["concluded"]}
    organisations = list(
        Organisation.objects.filter(pk__in=complete, closed_on__isnull=True)
        .select_related("region")
        .order_by("ods_code")
    )
    if not organisations:
        return
    plan = _plan(organisations)
    existing = set(
        AnnualReturn.objects.filter(year=YEAR, organisation__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )
    to_load = [o for o in organisations if plan[o.pk] != "none" and o.pk not in existing]
    if not to_load:
        return

    ids = [o.pk for o in to_load]
    assessments = defaultdict(list)
    for assessment in FitnessAssessment.objects.filter(year=YEAR, organisation_id__in=ids).only(
        "id", "organisation_id", "registrant_id", "trigger", "outcome"
    ):
        assessments[assessment.organisation_id].append(assessment)
    chair_users = {}
    for assignment in (
        RoleAssignment.objects.current()
        .filter(role="chair", organisation_id__in=ids)
        .select_related("user")
        .order_by("pk")
    ):
        chair_users.setdefault(assignment.organisation_id, assignment.user)
    chair_names = {}
    for role in (
        CareerRole.objects.filter(organisation_id__in=ids, category=RoleCategory.CHAIR)
        .select_related("registrant")
        .order_by("start_date", "pk")
    ):
        chair_names[role.organisation_id] = role.registrant.display_name
    director = User.objects.filter(email=DEMO_REGIONAL_DIRECTOR).first()
    deadline = return_deadline(YEAR)
    rng = random.Random(SEED + 1)

    rows, events = [], []
    for organisation in to_load:
        kind = plan[organisation.pk]
        if kind == "late":
            first = _at(deadline + dt.timedelta(days=rng.randint(1, 80)), rng)
        elif kind == "returned":
            first = dt.datetime(YEAR + 1, 5, 14, 14, 20, tzinfo=LONDON)
        else:
            first = _at(deadline - dt.timedelta(days=rng.randint(0, 75)), rng)
        chair = chair_users.get(organisation.pk)
        label = chair.full_name if chair else chair_names.get(organisation.pk, "The chair")
        summary = return_summary(assessments[organisation.pk])
        annual_return = AnnualReturn(
            organisation=organisation,
            year=YEAR,
            status=ReturnStatus.SUBMITTED,
            deadline=deadline,
            first_submitted_at=first,
            submitted_at=first,
            submitted_by=chair,
            submitted_by_label=label,
            chair_statement=_statement(organisation, summary),
            summary=summary,
        )
        history = [(AnnualReturnEvent.Action.SUBMITTED, first, chair, label, "")]
        if kind == "returned":
            returned_at = dt.datetime(YEAR + 1, 6, 3, 10, 5, tzinfo=LONDON)
            annual_return.status = ReturnStatus.RETURNED
            annual_return.returned_at = returned_at
            annual_return.returned_by = director
            annual_return.return_comments = RETURN_COMMENTS
            annual_return.version = 2
            history.append(
                (
                    AnnualReturnEvent.Action.RETURNED,
                    returned_at,
                    director,
                    director.full_name if director else "Regional director",
                    RETURN_COMMENTS,
                )
            )
        rows.append(annual_return)
        events.append(history)

    with transaction.atomic():
        created = AnnualReturn.objects.bulk_create(rows)
        AnnualReturnEvent.objects.bulk_create(
            AnnualReturnEvent(
                annual_return=annual_return,
                action=action,
                at=at,
                actor=who,
                actor_label=label,
                comments=comments,
            )
            for annual_return, history in zip(created, events, strict=True)
            for action, at, who, label, comments in history
        )
        counts = defaultdict(int)
        for organisation in to_load:
            counts[plan[organisation.pk]] += 1
        audit_record(
            actor=actor,
            action="fitness.return.demo_loaded",
            reason="demo data",
            payload={
                "year": YEAR,
                "on_time": counts["on_time"],
                "late": counts["late"],
                "returned": counts["returned"],
                "not_submitted": sum(1 for o in organisations if plan[o.pk] == "none"),
            },
        )
