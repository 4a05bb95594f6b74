"""View models for the annual return pages: every label, tag and sentence decided here."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from steward.core import clock
from steward.core.formatting import uk_date, uk_datetime
from steward.fitness import charts
from steward.fitness.models import AnnualReturnEvent, AssessmentOutcome, ConcludedAs
from steward.fitness.returns import (
    OrganisationReturn,
    RegionOverview,
    ReturnState,
    region_url,
    return_url,
)
from steward.organisations.presenters import short_name

STATE_COLOURS = {
    ReturnState.NOT_SUBMITTED: "grey",
    ReturnState.OVERDUE: "red",
    ReturnState.SUBMITTED_ON_TIME: "green",
    ReturnState.SUBMITTED_LATE: "orange",
    ReturnState.RETURNED: "yellow",
}
# Bar colours with at least 3:1 contrast on white; the bars are labelled too.
STATE_BAR_COLOURS = {
    ReturnState.SUBMITTED_ON_TIME: charts.NHS_GREEN,
    ReturnState.SUBMITTED_LATE: "#7c2855",
    ReturnState.RETURNED: "#330072",
    ReturnState.OVERDUE: charts.NHS_RED,
    ReturnState.NOT_SUBMITTED: "#425563",
}
# The order statuses are shown in: done first, then what needs chasing.
STATE_ORDER = (
    ReturnState.SUBMITTED_ON_TIME,
    ReturnState.SUBMITTED_LATE,
    ReturnState.RETURNED,
    ReturnState.OVERDUE,
    ReturnState.NOT_SUBMITTED,
)
OUTCOME_TAGS = {
    AssessmentOutcome.FIT: {"text": "Fit and proper", "colour": "green"},
    AssessmentOutcome.NOT_FIT: {"text": "Not fit and proper", "colour": "red"},
    "": {"text": "Not concluded", "colour": "grey"},
}


def paragraphs(text: str) -> list[str]:
    """Free text as paragraphs, one per non-empty line, for display without HTML."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def state_tag(state: str) -> dict:
    return {"text": ReturnState.LABELS[state], "colour": STATE_COLOURS[state]}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def assessment_url(pk: int) -> str:
    return reverse("fitness:assessment", kwargs={"pk": pk})


def deadline_text(deadline: dt.date, *, today: dt.date | None = None) -> str:
    today = today or clock.today()
    left = (deadline - today).days
    if left < 0:
        return f"{uk_date(deadline)} (passed)"
    if left == 0:
        return f"{uk_date(deadline)} (today)"
    return f"{uk_date(deadline)} ({plural(left, 'day')} from today)"


# --- The organisation's return -------------------------------------------------------


@dataclass
class AssessmentRow:
    name: str
    registration_number: str
    role: str
    trigger: str
    outcome_tag: dict
    concluded: str
    url: str


def _assessment_row(assessment) -> AssessmentRow:
    concluded = ""
    if assessment.is_concluded:
        who = assessment.concluded_by_label or "the chair"
        if assessment.concluded_as == ConcludedAs.SENIOR_INDEPENDENT_DIRECTOR:
            who = f"{who} (senior independent director)"
        concluded = f"{uk_date(assessment.concluded_at)} by {who}"
    return AssessmentRow(
        name=assessment.registrant.display_name,
        registration_number=assessment.registrant.registration_number,
        role=assessment.career_role.title,
        trigger=assessment.get_trigger_display(),
        outcome_tag=OUTCOME_TAGS.get(assessment.outcome, OUTCOME_TAGS[""]),
        concluded=concluded,
        url=assessment_url(assessment.pk),
    )


def _event_row(event: AnnualReturnEvent) -> dict:
    verb = (
        "Submitted by the chair"
        if event.action == AnnualReturnEvent.Action.SUBMITTED
        else "Returned for changes by the regional director"
    )
    return {
        "when": uk_datetime(event.at),
        "what": verb,
        "who": event.actor_label,
        "comments": paragraphs(event.comments),
    }


def return_page(view: OrganisationReturn, *, may_submit: bool, today=None) -> dict:
    today = today or clock.today()
    annual_return = view.annual_return
    counts = view.counts
    summary_rows = [
        {"key": {"text": "Deadline"}, "value": {"text": deadline_text(view.deadline, today=today)}},
    ]
    if annual_return is not None:
        summary_rows.append(
            {
                "key": {"text": "First submitted"},
                "value": {"text": uk_datetime(annual_return.first_submitted_at)},
            }
        )
        if annual_return.submitted_at != annual_return.first_submitted_at:
            summary_rows.append(
                {
                    "key": {"text": "Last submitted"},
                    "value": {"text": uk_datetime(annual_return.submitted_at)},
                }
            )
        summary_rows.append(
            {"key": {"text": "Submitted by"}, "value": {"text": annual_return.submitted_by_label}}
        )
    count_rows = [
        ("Board members assessed", counts.board_members),
        ("Concluded", counts.concluded),
        ("Fit and proper", counts.fit_and_proper),
        ("Not fit and proper", counts.not_fit_and_proper),
        ("Not yet concluded", counts.not_concluded),
    ]
    returned = annual_return is not None and view.state == ReturnState.RETURNED
    pending = view.not_concluded
    if not view.assessments:
        blocker = (
            f"There are no fit and proper assessments for {view.year} yet. Every board member "
            "must be assessed and concluded before the return can be submitted."
        )
    elif pending and view.is_open_for_submission:
        blocker = (
            f"{plural(len(pending), 'assessment')} still "
            f"{'needs' if len(pending) == 1 else 'need'} concluding before the return can be "
            "submitted."
        )
    else:
        blocker = ""
    return {
        "organisation": view.organisation,
        "year": view.year,
        "state_tag": state_tag(view.state),
        "summary_rows": summary_rows,
        "count_rows": count_rows,
        "assessments": [_assessment_row(a) for a in view.assessments],
        "events": [_event_row(e) for e in reversed(view.events)],
        "annual_return": annual_return,
        "returned": returned,
        "returned_comments": paragraphs(annual_return.return_comments) if returned else [],
        "returned_when": uk_date(annual_return.returned_at) if returned else "",
        "show_form": may_submit and view.ready_to_submit,
        "may_submit": may_submit,
        "blocker": blocker,
        "chair_statement": paragraphs(annual_return.chair_statement) if annual_return else [],
        "submit_label": "Submit the return again" if returned else "Submit the return",
    }


# --- The region ------------------------------------------------------------------


def _status_chart(overview: RegionOverview) -> dict:
    region, year = overview.region.name, overview.year
    rows = [(ReturnState.LABELS[s], overview.states[s]) for s in STATE_ORDER]
    description = (
        f"Bar chart of the {plural(overview.organisations, 'organisation')} in {region} by the "
        f"status of their {year} return: "
        + "; ".join(f"{label.lower()}, {count:,}" for label, count in rows)
        + "."
    )
    title = f"Annual returns for {year} by status"
    return {
        "title": title,
        "svg": charts.bar_chart_svg(
            chart_id="return-status-chart",
            title=title,
            description=description,
            bars=[
                charts.Bar(ReturnState.LABELS[s], overview.states[s], STATE_BAR_COLOURS[s])
                for s in STATE_ORDER
            ],
        ),
        "heading": "Status",
        "unit": "Organisations",
        "rows": rows,
    }


def _outcome_chart(overview: RegionOverview) -> dict:
    totals = overview.totals
    rows = [
        ("Fit and proper", totals.fit_and_proper),
        ("Not fit and proper", totals.not_fit_and_proper),
        ("Not yet concluded", totals.not_concluded),
    ]
    colours = [charts.NHS_GREEN, charts.NHS_RED, "#425563"]
    title = f"Board member assessments for {overview.year} by outcome"
    description = (
        f"Bar chart of the {plural(totals.board_members, 'board member assessment')} in "
        f"{overview.region.name} for {overview.year} by outcome: "
        + "; ".join(f"{label.lower()}, {count:,}" for label, count in rows)
        + "."
    )
    return {
        "title": title,
        "svg": charts.bar_chart_svg(
            chart_id="outcome-chart",
            title=title,
            description=description,
            bars=[
                charts.Bar(label, count, colour)
                for (label, count), colour in zip(rows, colours, strict=True)
            ],
        ),
        "heading": "Outcome",
        "unit": "Board members",
        "rows": rows,
    }


def _override_row(appointment) -> dict:
    return {
        "organisation": short_name(appointment.organisation.name),
        "person": appointment.registrant.display_name,
        "role": appointment.role_title,
        "start_date": uk_date(appointment.start_date),
        "reason": appointment.override_reason,
        "recorded_by": appointment.override_by_label,
        "recorded_at": uk_date(appointment.override_at),
    }


def region_page(overview: RegionOverview, *, years: list[int], today=None) -> dict:
    today = today or clock.today()
    region, year = overview.region, overview.year
    shown_years = sorted({*years, year}, reverse=True)
    rows = []
    for row in overview.rows:
        counts = row.counts
        if counts.board_members:
            completion = f"{counts.concluded:,} of {counts.board_members:,} concluded"
        else:
            completion = "No assessments"
        submitted = ""
        if row.annual_return is not None:
            submitted = uk_date(row.annual_return.first_submitted_at)
        rows.append(
            {
                "name": short_name(row.organisation.name),
                "ods_code": row.organisation.ods_code,
                "type": row.organisation.type_label,
                "url": return_url(organisation=row.organisation, year=year),
                "tag": state_tag(row.state),
                "completion": completion,
                "fit": counts.fit_and_proper,
                "not_fit": counts.not_fit_and_proper,
                "submitted": submitted,
            }
        )
    states = overview.states
    headline = [
        ("Organisations", overview.organisations),
        ("Returns submitted", overview.submitted),
        ("Submitted late", states[ReturnState.SUBMITTED_LATE]),
        ("Returned for changes", states[ReturnState.RETURNED]),
        (
            "Overdue" if today > overview.deadline else "Not yet submitted",
            states[ReturnState.OVERDUE] + states[ReturnState.NOT_SUBMITTED],
        ),
        ("Board members assessed", overview.totals.board_members),
    ]
    return {
        "region": region,
        "year": year,
        "deadline": deadline_text(overview.deadline, today=today),
        "headline": headline,
        "charts": [_status_chart(overview), _outcome_chart(overview)],
        "rows": rows,
        "overrides": [_override_row(a) for a in overview.overrides],
        "year_links": [
            {"year": y, "href": region_url(region=region, year=y), "current": y == year}
            for y in shown_years
        ],
    }
