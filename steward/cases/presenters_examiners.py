"""Case examiners' decisions, undertakings and declared interests: the reads these pages
need and what they show of them.

``staff_section`` feeds ``cases/staff/_examiners.jinja`` on the regulator's case page and
``mine_section`` feeds ``cases/mine/_examiners.jinja`` on the registrant's own case page.
What the registrant is shown never names an examiner or anyone else on the staff.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from steward.cases.conflicts import conflicts_for, possibly_conflicted
from steward.cases.models import (
    Case,
    ExaminerDecision,
    ExaminerOutcome,
    Stage,
    UndertakingsResponse,
)
from steward.cases.presenters import person_name, stage_tag
from steward.cases.selectors_examiners import (
    _categories_by_user,
    decisions_for,
)
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import field_params

CATEGORY_LABELS = {"lay": "Lay examiner", "manager": "Manager examiner"}


# --- The examiners' queue -----------------------------------------------------------


@dataclass
class QueueRow:
    reference: str
    url: str
    registrant: str
    registration_number: str
    stage: dict
    stage_since: str
    waits: str
    action: dict | None = None


def queue_rows(cases) -> list[QueueRow]:
    rows = []
    for case in cases:
        action = None
        if case.stage == Stage.CASE_EXAMINERS:
            waits = "The case examiners' decision"
            action = {
                "text": "Record the decision",
                "href": reverse("cases:examiner_decide", kwargs={"reference": case.reference}),
            }
        elif case.offered_at:
            waits = (
                f"The registrant's answer to the undertakings offered on {uk_date(case.offered_at)}"
            )
        else:
            waits = "The registrant's answer to the undertakings offered"
        rows.append(
            QueueRow(
                reference=case.reference,
                url=reverse("cases:detail", kwargs={"reference": case.reference}),
                registrant=case.registrant.display_name,
                registration_number=case.registrant.registration_number,
                stage=stage_tag(case.stage),
                stage_since=uk_date(case.stage_since),
                waits=waits,
                action=action,
            )
        )
    return rows


# --- Recording a decision -----------------------------------------------------------


@dataclass
class Examiner:
    """A case examiner as the decision page offers them."""

    user: object
    name: str
    categories: set[str]
    conflicts: list[str] = field(default_factory=list)

    @property
    def category_text(self) -> str:
        return " and ".join(
            CATEGORY_LABELS[c].lower() for c in sorted(self.categories)
        ).capitalize()


@dataclass
class DecisionChoices:
    """Who may decide the case with the signed-in examiner.

    ``valid`` is every other case examiner: the form accepts any of them and the service
    refuses a pair it does not allow (the same category, a conflict). ``eligible`` are
    the ones the page offers; ``conflicted`` are shown with their reasons."""

    mine: set[str]
    needed: set[str]
    my_conflicts: list[str]
    valid: dict[int, Examiner]
    eligible: list[Examiner]
    conflicted: list[Examiner]

    @property
    def needed_label(self) -> str:
        """Who the other examiner must be: "manager examiner", "lay examiner"."""
        if len(self.needed) == 1:
            return CATEGORY_LABELS[next(iter(self.needed))].lower()
        return "other case examiner"

    @property
    def mine_text(self) -> str:
        """The signed-in examiner's part in the pair."""
        if len(self.mine) == 1:
            return f"You are the {CATEGORY_LABELS[next(iter(self.mine))].lower()}."
        return "You are a lay and a manager examiner: you sit as whichever the other is not."


def decision_choices(*, case: Case, user) -> DecisionChoices:
    """The signed-in examiner's categories and conflicts, and the other examiners."""
    from steward.accounts.models import User

    held = _categories_by_user()
    mine = held.pop(user.pk, set())
    needed = {"lay", "manager"} - mine if len(mine) == 1 else {"lay", "manager"}
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=held).order_by("full_name", "email", "pk")
    }
    maybe = possibly_conflicted(case=case, user_ids={user.pk, *people})
    my_conflicts = conflicts_for(user=user, case=case) if user.pk in maybe else []
    valid: dict[int, Examiner] = {}
    eligible, conflicted = [], []
    for pk, person in people.items():
        examiner = Examiner(
            user=person,
            name=person_name(person),
            categories=held[pk],
            conflicts=conflicts_for(user=person, case=case) if pk in maybe else [],
        )
        valid[pk] = examiner
        if not examiner.categories & needed:
            continue
        (conflicted if examiner.conflicts else eligible).append(examiner)
    return DecisionChoices(
        mine=mine,
        needed=needed,
        my_conflicts=my_conflicts,
        valid=valid,
        eligible=eligible,
        conflicted=conflicted,
    )


def examiner_pair(*, user, mine: set[str], other: Examiner) -> tuple:
    """(lay examiner, manager examiner) for the signed-in examiner and the one chosen.
    Two of the same category are put in the pair as they are, for the service to
    refuse with its reason."""
    if "lay" in mine and "manager" in other.categories:
        return user, other.user
    if "manager" in mine and "lay" in other.categories:
        return other.user, user
    if "lay" in mine:
        return user, other.user
    return other.user, user


def other_examiner_radios(form, choices: DecisionChoices) -> dict:
    """The radios for the other examiner: only those who may decide, each with their
    category."""
    params = field_params(form["other_examiner"])["params"]
    offered = {str(examiner.user.pk): examiner for examiner in choices.eligible}
    items = []
    for item in params["items"]:
        examiner = offered.get(item["value"])
        if examiner is not None:
            item["hint"] = {"text": examiner.category_text}
            items.append(item)
    params["items"] = items
    params["fieldset"]["legend"]["size"] = "s"
    params["hint"] = {
        "text": f"The {choices.needed_label}. Examiners with a conflict of interest with this "
        "case are not offered."
    }
    return params


def outcome_radios(form, *, case: Case) -> dict:
    """The outcome radios, each with what it does (the page adds the fields some
    outcomes reveal)."""
    params = field_params(form["outcome"])["params"]
    hints = outcome_hints(case=case)
    for item in params["items"]:
        if item["value"] in hints:
            item["hint"] = {"text": hints[item["value"]]}
    params["fieldset"]["legend"]["size"] = "s"
    return params


def outcome_hints(*, case: Case) -> dict[str, str]:
    """What each outcome does, shown under its choice."""
    years = settings.CASES_PUBLICATION_YEARS["warning"]
    published = (
        "It is never published, as the matter is related to the registrant's health."
        if case.health_related
        else f"It is shown on the public register for {years} years."
    )
    return {
        ExaminerOutcome.NO_FURTHER_ACTION: "The case closes.",
        ExaminerOutcome.ADVICE: "The case closes. The advice is recorded and never published.",
        ExaminerOutcome.WARNING: (
            f"An outcome without a hearing: the appeal window opens. {published}"
        ),
        ExaminerOutcome.UNDERTAKINGS: (
            "The registrant is asked to accept them. If they refuse, the case goes to a "
            "panel hearing."
        ),
        ExaminerOutcome.REFER_TO_PANEL: "The case goes to a panel hearing.",
    }


# --- The regulator's case page ------------------------------------------------------


@dataclass
class DecisionView:
    decided: str
    outcome: str
    lay_examiner: str
    manager_examiner: str
    reasons: str
    undertakings: str = ""
    reply: str = ""


# The registrant's answer to undertakings, for the regulator and for the registrant.
STAFF_REPLIES = {
    UndertakingsResponse.ACCEPTED: "Accepted{when}",
    UndertakingsResponse.REFUSED: "Refused{when}: the case went to a panel hearing",
    UndertakingsResponse.PENDING: "Waiting for the registrant",
}
MINE_REPLIES = {
    UndertakingsResponse.ACCEPTED: "You accepted the undertakings{when}.",
    UndertakingsResponse.REFUSED: (
        "You refused the undertakings{when}, so your case went to a panel hearing."
    ),
    UndertakingsResponse.PENDING: "The case examiners are waiting for your answer.",
}


def _reply(decision: ExaminerDecision, words: dict) -> str:
    """The answer to undertakings offered in ``words`` ("" when none were offered)."""
    when = f" on {uk_date(decision.responded_at)}" if decision.responded_at else ""
    return words.get(decision.undertakings_response, "").format(when=when)


def decision_views(decisions) -> list[DecisionView]:
    return [
        DecisionView(
            decided=uk_date(decision.decided_at),
            outcome=ExaminerOutcome(decision.outcome).label,
            lay_examiner=person_name(decision.lay_examiner),
            manager_examiner=person_name(decision.manager_examiner),
            reasons=decision.reasons,
            undertakings=decision.undertakings,
            reply=_reply(decision, STAFF_REPLIES),
        )
        for decision in decisions
    ]


def staff_section(*, case, user) -> dict:
    """The decisions so far, and the way to record one when the case waits for it and
    the person may decide. Empty when there is nothing to show."""
    decisions = decision_views(decisions_for(case=case))
    decide_url = ""
    if case.stage == Stage.CASE_EXAMINERS and user.has_perm("cases.decide_as_examiner"):
        decide_url = reverse("cases:examiner_decide", kwargs={"reference": case.reference})
    if not decisions and not decide_url:
        return {}
    return {"decisions": decisions, "decide_url": decide_url}


# --- The registrant's own case ------------------------------------------------------


@dataclass
class MineDecision:
    decided: str
    sentence: str
    reasons: str
    undertakings: str = ""
    reply: str = ""
    respond_url: str = ""


def _mine_sentence(decision: ExaminerDecision, case: Case) -> str:
    outcome = decision.outcome
    if outcome == ExaminerOutcome.NO_FURTHER_ACTION:
        return "The case examiners decided to take no further action."
    if outcome == ExaminerOutcome.ADVICE:
        return "The case examiners gave you advice. Advice is never published on the register."
    if outcome == ExaminerOutcome.WARNING:
        if case.health_related:
            return (
                "The case examiners gave you a warning. It is not published, because the "
                "matter is related to your health."
            )
        years = settings.CASES_PUBLICATION_YEARS["warning"]
        return (
            "The case examiners gave you a warning. It is shown on your public register "
            f"entry for {years} years."
        )
    if outcome == ExaminerOutcome.UNDERTAKINGS:
        return (
            "The case examiners offered you undertakings: things you agree to do, instead "
            "of your case going to a panel hearing."
        )
    return "The case examiners referred your case to a panel hearing."


def mine_decisions(decisions, *, case: Case) -> list[MineDecision]:
    views = []
    for decision in decisions:
        respond_url = ""
        if (
            decision.undertakings_response == UndertakingsResponse.PENDING
            and case.stage == Stage.UNDERTAKINGS_OFFERED
        ):
            respond_url = reverse("cases:mine_undertakings", kwargs={"reference": case.reference})
        views.append(
            MineDecision(
                decided=uk_date(decision.decided_at),
                sentence=_mine_sentence(decision, case),
                reasons=decision.reasons,
                undertakings=decision.undertakings,
                reply=_reply(decision, MINE_REPLIES),
                respond_url=respond_url,
            )
        )
    return views


def mine_section(*, case, user) -> dict:
    """The case examiners' decisions in plain English, and undertakings to answer.
    Empty when the examiners have not decided anything yet."""
    decisions = list(
        ExaminerDecision.objects.filter(case=case)
        .only(
            "case_id",
            "outcome",
            "reasons",
            "undertakings",
            "decided_at",
            "undertakings_response",
            "responded_at",
        )
        .order_by("decided_at", "pk")
    )
    if not decisions:
        return {}
    views = mine_decisions(decisions, case=case)
    waiting = next((view for view in views if view.respond_url), None)
    return {"decisions": views, "respond_url": waiting.respond_url if waiting else ""}


# --- Declared interests -------------------------------------------------------------


@dataclass
class InterestRow:
    organisation: str
    description: str
    from_date: str
    to_date: str
    declared: str


def interest_rows(interests) -> list[InterestRow]:
    return [
        InterestRow(
            organisation=f"{interest.organisation.name} ({interest.organisation.ods_code})",
            description=interest.description,
            from_date=uk_date(interest.from_date) if interest.from_date else "Not given",
            to_date=uk_date(interest.to_date) if interest.to_date else "Continuing",
            declared=uk_date(interest.declared_at),
        )
        for interest in interests
    ]


def organisation_radios(form, results) -> dict:
    """The search results as radios, each with its type of organisation."""
    params = field_params(form["organisation"])["params"]
    hints = {o.ods_code: o.get_org_type_display() for o in results}
    for item in params["items"]:
        if item["value"] in hints:
            item["hint"] = {"text": hints[item["value"]]}
    params["fieldset"]["legend"]["size"] = "s"
    return params
