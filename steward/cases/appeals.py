"""Appeals: the registrant appeals within the window (``CASES_APPEAL_DAYS`` from the
determination being issued); a hearings officer records the outcome as a NEW
determination that supersedes the appealed one, which is never edited. The outcome is

- dismissed: the same sanction carries over to the new determination;
- allowed: the earlier determination no longer applies and no sanction is imposed;
- substituted: a different sanction replaces it (with the same rules and reasons as a
  panel's sanction).

Windows that pass with no appeal close the case (``appeal_windows_close``, daily).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record
from steward.cases.determinations import clean_sanction, current_determination, issue
from steward.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    Determination,
    DeterminationKind,
    Stage,
)
from steward.cases.stages import stage_move
from steward.cases.tell import notify_registrant, notify_staff
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date

STEWARD = "Steward"


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", "Dismissed: the sanction stands"
    ALLOWED = "allowed", "Allowed: no sanction"
    SUBSTITUTED = "substituted", "A different sanction substituted"


OUTCOME_SENTENCES = {
    AppealOutcome.DISMISSED: "The appeal is dismissed: the sanction in the earlier "
    "determination stands.",
    AppealOutcome.ALLOWED: "The appeal is allowed: the earlier determination no longer "
    "applies and no sanction is imposed.",
    AppealOutcome.SUBSTITUTED: "The appeal is allowed in part: a different sanction is "
    "substituted for the one in the earlier determination.",
}
CARRIED_OVER = (
    "facts",
    "impaired",
    "impairment_reasons",
)
SANCTION_FIELDS = (
    "sanction",
    "less_severe_rejected",
    "conditions",
    "effective_from",
    "ends_on",
    "published_summary",
)


def appeal_lodge(*, determination: Determination, grounds: str, actor) -> Appeal:
    """The registrant appeals against the latest determination on their case, within
    its appeal window."""
    user = actor_user(actor)
    case = Case.objects.select_related("registrant", "caseworker").get(pk=determination.case_id)
    if user is None or not user.has_perm("cases.respond", case):
        raise PermissionDenied("Only the registrant appeals against a decision on their case.")
    if determination.issued_at is None:
        raise ValidationError("This determination has not been issued, so it cannot be appealed.")
    if determination.appeal_by is None:
        raise ValidationError("This decision cannot be appealed.")
    current = current_determination(case)
    if current is None or current.pk != determination.pk:
        raise ValidationError(
            "This determination has been replaced: only the latest one can be appealed."
        )
    today = clock.today()
    if today > determination.appeal_by:
        raise ValidationError(
            f"The time to appeal ended on {uk_date(determination.appeal_by)}. "
            "Contact the regulator if you think there is a reason to accept a late appeal."
        )
    if determination.appeals.filter(status=AppealStatus.LODGED).exists():
        raise ValidationError("You have already appealed against this determination.")
    if case.stage != Stage.APPEAL_WINDOW:
        raise ValidationError(
            f"The case is at “{case.get_stage_display().lower()}”, so an appeal cannot be "
            "lodged now."
        )
    grounds = clean_text(grounds, name="grounds", message="Enter the grounds for your appeal")
    with transaction.atomic():
        appeal = Appeal.objects.create(
            determination=determination, grounds=grounds, lodged_on=today
        )
        audit_record(
            actor=actor,
            action="cases.appeal.lodged",
            subject=case,
            payload={"appeal": appeal.pk, "determination": determination.pk},
        )
        stage_move(
            case=case,
            move="lodge_appeal",
            actor=actor,
            reason="The registrant appealed against the determination.",
            permitted=True,
        )
        notify_staff(
            case=case,
            users=[*role_holders("hearings_officer"), case.caseworker],
            subject=f"Appeal lodged on case {case.reference}",
            body=(
                f"The registrant appealed on {uk_date(today)} against the "
                f"{determination.get_kind_display().lower()} on case {case.reference}."
            ),
        )
    return appeal


def appeal_decide(
    *,
    appeal: Appeal,
    outcome: str,
    reasons: str,
    actor,
    sanction: str = "",
    less_severe_rejected: dict | None = None,
    conditions: str = "",
    effective_from: dt.date | None = None,
    ends_on: dt.date | None = None,
    published_summary: str = "",
) -> Determination:
    """Decide an appeal: a new determination (kind appeal) superseding the appealed
    one is created and issued, and the case closes. The sanction fields are only for
    ``substituted``."""
    user = actor_user(actor)
    if user is None or not user.has_perm("cases.arrange_hearings"):
        raise PermissionDenied("Only hearings officers record the outcome of an appeal.")
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the appeal"})
    outcome = AppealOutcome(outcome)
    appeal = Appeal.objects.select_related("determination__case").get(pk=appeal.pk)
    if appeal.status != AppealStatus.LODGED:
        raise ValidationError(
            f"This appeal is {appeal.get_status_display().lower()}: it cannot be decided again."
        )
    original = appeal.determination
    case = original.case
    if case.stage != Stage.APPEAL:
        raise ValidationError(
            f"The case is at “{case.get_stage_display().lower()}”, not under appeal."
        )
    reasons = clean_text(reasons, name="reasons", message="Enter the reasons for the decision")
    values: dict = {"sanction_reasons": reasons}
    if outcome == AppealOutcome.ALLOWED:
        pass
    else:
        values.update({field: getattr(original, field) for field in CARRIED_OVER})
        if outcome == AppealOutcome.DISMISSED:
            values.update({field: getattr(original, field) for field in SANCTION_FIELDS})
        else:
            values.update(
                clean_sanction(
                    case=case,
                    sanction=sanction,
                    reasons=reasons,
                    less_severe_rejected=less_severe_rejected,
                    conditions=conditions,
                    effective_from=effective_from,
                    ends_on=ends_on,
                    published_summary=published_summary,
                )
            )
            same = (values["sanction"], values["conditions"], values["ends_on"]) == (
                original.sanction,
                original.conditions,
                original.ends_on,
            )
            if same:
                raise ValidationError(
                    {"sanction": "That is the same sanction as before: dismiss the appeal instead"}
                )
    with transaction.atomic():
        locked = Appeal.objects.select_for_update(of=("self",)).get(pk=appeal.pk)
        if locked.status != AppealStatus.LODGED:
            raise ValidationError("This appeal has already been decided.")
        if Determination.objects.filter(supersedes=original).exists():
            raise ValidationError("The appealed determination has already been superseded.")
        decided = Determination.objects.create(
            case=case, kind=DeterminationKind.APPEAL, supersedes=original, **values
        )
        Appeal.objects.filter(pk=locked.pk).update(status=AppealStatus.DECIDED, outcome=decided)
        audit_record(
            actor=actor,
            action="cases.appeal.decided",
            subject=case,
            payload={
                "appeal": locked.pk,
                "outcome": outcome.value,
                "determination": decided.pk,
                "supersedes": original.pk,
            },
        )
        issue(
            determination=decided,
            actor=actor,
            move="close",
            appeal_window=False,
            outcome=OUTCOME_SENTENCES[outcome],
        )
    appeal.refresh_from_db()
    decided.refresh_from_db()
    return decided


def appeal_windows_close(*, today: dt.date | None = None) -> int:
    """Close every case whose appeal window has passed with no appeal (run daily).
    Returns how many cases were closed."""
    today = today or clock.today()
    closed = 0
    for case in Case.objects.filter(stage=Stage.APPEAL_WINDOW).select_related("registrant"):
        determination = current_determination(case)
        if determination is None or determination.appeal_by is None:
            continue
        if determination.appeal_by >= today:
            continue
        if determination.appeals.filter(status=AppealStatus.LODGED).exists():
            continue
        try:
            with transaction.atomic():
                stage_move(
                    case=case,
                    move="close",
                    actor=STEWARD,
                    reason=(
                        f"The appeal window ended on {uk_date(determination.appeal_by)} "
                        "with no appeal."
                    ),
                )
                notify_registrant(
                    case=case,
                    subject="Your case is closed",
                    body=(
                        f"Case {case.reference} is closed: the time to appeal ended on "
                        f"{uk_date(determination.appeal_by)}."
                    ),
                )
        except ValidationError:  # the case moved on meanwhile
            continue
        closed += 1
    return closed
