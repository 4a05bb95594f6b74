"""View models for the case pages: every label, tag, link and date format is
decided here, so templates only loop and branch.

Two audiences: the regulator's staff, and the registrant the case is about. What
the registrant is shown is built by its own functions (``mine_*``), from what
they may see only: never a member of staff's name, never a reason written for
the regulator's records, never anything about who raised a concern.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from steward.cases import charts
from steward.cases.models import (
    Allegation,
    Case,
    CaseSource,
    Evidence,
    EvidenceParty,
    HearingKind,
    HearingStatus,
    Stage,
)
from steward.cases.selectors import LIST_FILTERS
from steward.cases.timeliness import Timeliness
from steward.core.formatting import uk_date, uk_datetime
from steward.core.jinja import query
from steward.core.nhsuk_forms import field_params
from steward.fitness.charts import Bar, bar_chart_svg

STAGE_COLOURS = {
    Stage.TRIAGE: "blue",
    Stage.INVESTIGATION: "aqua-green",
    Stage.CASE_EXAMINERS: "purple",
    Stage.UNDERTAKINGS_OFFERED: "yellow",
    Stage.ACCEPTED_OUTCOME: "orange",
    Stage.PANEL_HEARING: "pink",
    Stage.DETERMINATION: "pink",
    Stage.APPEAL_WINDOW: "yellow",
    Stage.APPEAL: "orange",
    Stage.REVIEW: "purple",
    Stage.CLOSED: "grey",
}
SOURCE_SHORT = {
    CaseSource.CONCERN: "Concern",
    CaseSource.NOT_FIT: "Not fit and proper",
    CaseSource.EMPLOYER: "Employer referral",
    CaseSource.OWN_MOTION: "Own motion",
}
# What each move does, shown under its choice on the case page.
MOVE_HINTS = {
    "close_at_triage": "There is no case to answer. The case closes.",
    "close_by_examiners": "The examiners decided on no further action or advice. The case closes.",
    "offer_undertakings": "The examiners decided on undertakings for the registrant to accept.",
    "issue_determination": "The appeal window opens.",
    "open_review": "For a review before conditions or a suspension end.",
}
THE_REGULATOR = "The regulator"


def stage_tag(stage: str) -> dict:
    return {"text": Stage(stage).label, "colour": STAGE_COLOURS[Stage(stage)]}


def size_text(size: int) -> str:
    """10485760 → "10 MB"; 2048 → "2 KB"; 12 → "12 bytes"."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return "1 byte" if size == 1 else f"{size} bytes"


def person_name(user) -> str:
    """A member of staff as the regulator's pages name them ("" for nobody)."""
    if user is None:
        return ""
    return user.full_name or user.email


def registrant_text(case: Case) -> str:
    return str(case.registrant)


# --- The case list ------------------------------------------------------------------


def filter_links(request, *, counts: dict[str, int], current: str) -> list[dict]:
    return [
        {
            "name": name,
            "text": label,
            "count": counts.get(name, 0),
            "href": query(request, stage=name, page=None),
            "current": name == current,
        }
        for name, label in LIST_FILTERS.items()
    ]


@dataclass
class CaseRow:
    reference: str
    url: str
    registrant: str
    registration_number: str
    source: str
    stage: dict
    stage_since: str
    opened: str
    caseworker: str


def case_rows(cases) -> list[CaseRow]:
    return [
        CaseRow(
            reference=case.reference,
            url=reverse("cases:detail", kwargs={"reference": case.reference}),
            registrant=case.registrant.display_name,
            registration_number=case.registrant.registration_number,
            source=SOURCE_SHORT[CaseSource(case.source)],
            stage=stage_tag(case.stage),
            stage_since=uk_date(case.stage_since),
            opened=uk_date(case.opened_on),
            caseworker=person_name(case.caseworker),
        )
        for case in cases
    ]


# --- A case, for the regulator ------------------------------------------------------


@dataclass
class Link:
    text: str
    href: str = ""


def source_link(case: Case, *, may_read_concerns: bool, may_read_referrals: bool) -> Link:
    """Where the case came from, linked to that record when the reader may open it."""
    if case.source == CaseSource.CONCERN and case.concern_decision_id:
        decision = case.concern_decision
        concern = decision.concern
        text = (
            f"Concern {concern.reference}, recommended for a case on {uk_date(decision.decided_at)}"
        )
        href = (
            reverse("concerns:detail", kwargs={"reference": concern.reference})
            if may_read_concerns
            else ""
        )
        return Link(text, href)
    if case.source == CaseSource.NOT_FIT and case.not_fit_referral_id:
        referral = case.not_fit_referral
        organisation = referral.assessment.organisation
        text = f"Not fit and proper referral {referral.reference} from {organisation.name}"
        href = reverse("fitness:referral", kwargs={"pk": referral.pk}) if may_read_referrals else ""
        return Link(text, href)
    if case.source == CaseSource.EMPLOYER and case.referring_organisation_id:
        organisation = case.referring_organisation
        return Link(
            f"Referred by {organisation.name} ({organisation.ods_code})",
            reverse("organisations:detail", kwargs={"ods_code": organisation.ods_code}),
        )
    return Link(CaseSource(case.source).label)


def registrant_link(case: Case, *, registrar: bool) -> Link:
    """The registrar's page for the record, or the public entry for other staff."""
    number = case.registrant.registration_number
    name = "register_manage:record" if registrar else "register:entry"
    return Link(registrant_text(case), reverse(name, kwargs={"registration_number": number}))


@dataclass
class HistoryRow:
    from_stage: str
    to_stage: str
    by: str
    at: str
    reason: str


def history_rows(changes) -> list[HistoryRow]:
    return [
        HistoryRow(
            from_stage=Stage(change.from_stage).label if change.from_stage else "Opened",
            to_stage=Stage(change.to_stage).label,
            by=change.actor_label,
            at=uk_datetime(change.at),
            reason=change.reason,
        )
        for change in changes
    ]


@dataclass
class AllegationView:
    number: int
    text: str
    conduct_on: str
    version: str
    cited: list[dict]
    withdrawn: bool


def allegation_views(allegations: list[Allegation], titles: dict) -> list[AllegationView]:
    return [
        AllegationView(
            number=a.number,
            text=a.text,
            conduct_on=uk_date(a.conduct_on),
            version=(
                f"Version {a.standards_version.number}, in force from "
                f"{uk_date(a.standards_version.effective_from)}"
            ),
            cited=[
                {"ref": ref, "title": titles.get((a.standards_version_id, ref), "")}
                for ref in a.cited_refs or []
            ],
            withdrawn=a.withdrawn,
        )
        for a in allegations
    ]


@dataclass
class EvidenceRow:
    number: int
    title: str
    file_name: str
    given_by: str
    size: str
    sha256: str
    disclosed: str
    added: str
    href: str
    added_by: str = ""


def evidence_rows(items: list[Evidence], *, case: Case) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            number=item.number,
            title=item.title,
            file_name=item.file_name,
            given_by="The registrant"
            if item.submitted_by == EvidenceParty.REGISTRANT
            else THE_REGULATOR,
            size=size_text(item.size),
            sha256=item.sha256,
            disclosed="Yes" if item.disclosed else "No",
            added=uk_date(item.added_at),
            href=reverse(
                "cases:evidence", kwargs={"reference": case.reference, "number": item.number}
            ),
            added_by=person_name(item.added_by),
        )
        for item in items
    ]


def move_radios(form) -> dict:
    """The move form's radios, each choice with what it does."""
    params = field_params(form["move"])["params"]
    for item in params["items"]:
        if item["value"] in MOVE_HINTS:
            item["hint"] = {"text": MOVE_HINTS[item["value"]]}
    params["fieldset"]["legend"]["size"] = "s"
    return params


@dataclass
class Deadline:
    what: str
    date: str
    detail: str = ""
    passed: bool = False


def deadlines(hearings, determinations, *, today: dt.date, for_registrant: bool) -> list[Deadline]:
    """Hearing dates and appeal-by dates, soonest first."""
    found: list[tuple[dt.date, Deadline]] = []
    for hearing in hearings:
        details = []
        if hearing.location:
            details.append(hearing.location)
        if hearing.notice_served_on:
            details.append(f"Notice served on {uk_date(hearing.notice_served_on)}")
        if hearing.status != HearingStatus.SCHEDULED:
            details.append(HearingStatus(hearing.status).label)
        found.append(
            (
                hearing.starts_on,
                Deadline(
                    what=HearingKind(hearing.kind).label,
                    date=uk_date(hearing.starts_on),
                    detail=". ".join(details),
                    passed=hearing.starts_on < today,
                ),
            )
        )
    for determination in determinations:
        passed = determination.appeal_by < today
        if for_registrant:
            what = "Appeal window ended" if passed else "Last day to appeal the decision"
        else:
            what = f"Appeal by ({determination.get_kind_display().lower()})"
        found.append(
            (
                determination.appeal_by,
                Deadline(what=what, date=uk_date(determination.appeal_by), passed=passed),
            )
        )
    return [deadline for _, deadline in sorted(found, key=lambda pair: pair[0])]


# --- Opening a case -----------------------------------------------------------------


@dataclass
class RecommendationRow:
    pk: int
    concern: str
    manager: str
    decided: str
    href: str


def recommendation_rows(decisions) -> list[RecommendationRow]:
    rows = []
    for decision in decisions:
        registrant = decision.concern.subject_registrant
        rows.append(
            RecommendationRow(
                pk=decision.pk,
                concern=decision.concern.reference,
                manager=str(registrant) if registrant else "Someone not on the register",
                decided=uk_date(decision.decided_at),
                href=reverse("cases:open_concern", kwargs={"pk": decision.pk}),
            )
        )
    return rows


@dataclass
class NotFitRow:
    pk: int
    reference: str
    registrant: str
    organisation: str
    referred: str
    href: str


def not_fit_rows(referrals) -> list[NotFitRow]:
    return [
        NotFitRow(
            pk=referral.pk,
            reference=referral.reference,
            registrant=str(referral.assessment.registrant),
            organisation=referral.assessment.organisation.name,
            referred=uk_date(referral.created_at),
            href=reverse("cases:open_not_fit", kwargs={"pk": referral.pk}),
        )
        for referral in referrals
    ]


# --- The registrant's own case ------------------------------------------------------


def _explanation(stage: str) -> str:
    notice = settings.CASES_HEARING_NOTICE_DAYS
    appeal = settings.CASES_APPEAL_DAYS
    return {
        Stage.TRIAGE: (
            "We are looking at the information we have to decide whether it needs to be "
            "investigated."
        ),
        Stage.INVESTIGATION: (
            "We are investigating. We may ask you or others for information, and you can "
            "send us your response at any time."
        ),
        Stage.CASE_EXAMINERS: (
            "Two case examiners, one lay member and one manager, are deciding what should "
            "happen next. They will give their reasons."
        ),
        Stage.UNDERTAKINGS_OFFERED: (
            "The case examiners have offered you undertakings: things you agree to do "
            "instead of going to a hearing. If you do not accept them, your case goes to a "
            "panel hearing."
        ),
        Stage.ACCEPTED_OUTCOME: (
            "The case has been decided without a hearing. We will send you the decision and "
            "its reasons."
        ),
        Stage.PANEL_HEARING: (
            "Your case has been referred to a panel hearing. We will send you notice of the "
            f"hearing at least {notice} days before it, and you can send us your response "
            "and evidence."
        ),
        Stage.DETERMINATION: (
            "The panel is deciding the facts, whether your fitness to practise is impaired "
            "and, if it is, what sanction applies. You will get its reasons."
        ),
        Stage.APPEAL_WINDOW: (
            f"A decision has been made. You have {appeal} days from the decision to appeal "
            "against it."
        ),
        Stage.APPEAL: "Your appeal is being considered. Its outcome will be a new decision.",
        Stage.REVIEW: (
            "A review hearing will look at your sanction before it ends. We will send you "
            "notice of the hearing."
        ),
        Stage.CLOSED: "Your case is closed.",
    }[Stage(stage)]


@dataclass
class MineRow:
    reference: str
    url: str
    stage: dict
    opened: str


def mine_rows(cases) -> list[MineRow]:
    return [
        MineRow(
            reference=case.reference,
            url=reverse("cases:mine_detail", kwargs={"reference": case.reference}),
            stage=stage_tag(case.stage),
            opened=uk_date(case.opened_on),
        )
        for case in cases
    ]


@dataclass
class MineCase:
    reference: str
    stage: dict
    explanation: str
    stage_since: str
    opened: str
    how_it_started: str
    summary: str
    timeline: list[dict] = field(default_factory=list)


def mine_case(case: Case, *, stage_dates) -> MineCase:
    return MineCase(
        reference=case.reference,
        stage=stage_tag(case.stage),
        explanation=_explanation(case.stage),
        stage_since=uk_date(case.stage_since),
        opened=uk_date(case.opened_on),
        # Where it came from, never from whom (no reporter, no organisation).
        how_it_started=CaseSource(case.source).label,
        summary=case.summary,
        timeline=[{"stage": Stage(stage).label, "date": uk_date(at)} for stage, at in stage_dates],
    )


def mine_evidence_rows(items: list[Evidence], *, case: Case) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            number=item.number,
            title=item.title,
            file_name=item.file_name,
            given_by="You" if item.submitted_by == EvidenceParty.REGISTRANT else THE_REGULATOR,
            size=size_text(item.size),
            sha256=item.sha256,
            disclosed="Yes",
            added=uk_date(item.added_at),
            href=reverse(
                "cases:mine_evidence",
                kwargs={"reference": case.reference, "number": item.number},
            ),
        )
        for item in items
    ]


# --- Timeliness ---------------------------------------------------------------------


def days_text(value: Decimal | None) -> str:
    if value is None:
        return "No finished stays"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def timeliness_view(report: Timeliness) -> dict:
    timed = [row for row in report.stages if row.stays]
    stage_rows = [
        {
            "label": row.label,
            "stays": f"{row.stays:,}",
            "median": days_text(row.median_days),
            "p90": days_text(row.p90_days),
            "open_now": f"{row.open_now:,}",
        }
        for row in report.stages
    ]
    stage_title = "Days spent at each stage"
    stage_chart = None
    if timed:  # nothing to draw until some stay has finished
        stage_chart = charts.grouped_bar_chart_svg(
            chart_id="stage-days-chart",
            title=stage_title,
            description=(
                "Bar chart of the median and 90th percentile days of finished stays at each "
                "stage: "
                + "; ".join(
                    f"{row.label.lower()}, median {days_text(row.median_days)}, "
                    f"90th percentile {days_text(row.p90_days)}"
                    for row in timed
                )
                + "."
            ),
            labels=[row.label for row in timed],
            series=[
                charts.Series(
                    "Median", [row.median_days for row in timed], charts.STAGE_SERIES_COLOURS[0]
                ),
                charts.Series(
                    "90th percentile",
                    [row.p90_days for row in timed],
                    charts.STAGE_SERIES_COLOURS[1],
                ),
            ],
        )
    ages = [
        ("Less than 12 months", report.under_12_months),
        ("12 to 24 months", report.between_12_and_24_months),
        ("More than 24 months", report.over_24_months),
    ]
    age_title = "Open cases by time since they were opened"
    age_description = (
        f"Bar chart of the {report.open_cases:,} open cases by how long they have been open: "
        + "; ".join(f"{label.lower()}, {count:,}" for label, count in ages)
        + "."
    )
    age_chart = bar_chart_svg(
        chart_id="open-age-chart",
        title=age_title,
        description=age_description,
        bars=[
            Bar(label, count, colour)
            for (label, count), colour in zip(ages, charts.AGE_COLOURS, strict=True)
        ],
    )
    return {
        "stage_rows": stage_rows,
        "stage_chart": {"title": stage_title, "svg": stage_chart},
        "age_chart": {"title": age_title, "svg": age_chart, "rows": ages},
        "open_cases": report.open_cases,
        "over_12": report.over_12_months,
        "over_24": report.over_24_months,
        "as_of": uk_date(report.today),
    }
