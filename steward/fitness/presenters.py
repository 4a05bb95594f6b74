"""View models for the fit and proper person test pages: every label, tag and date
format is decided here, so templates only loop and branch."""

from dataclasses import dataclass

from django.urls import reverse

from steward.core.formatting import uk_date, uk_datetime
from steward.fitness.models import (
    AUTOMATIC_CHECKS,
    DIRECTOR_CHECKS,
    CheckKind,
    CheckOutcome,
    FitnessAssessment,
    FitnessCheck,
)
from steward.fitness.selectors import STATUS_ORDER, TOTAL_CHECKS, Status

CHECK_TAGS = {
    CheckOutcome.PENDING: {"text": "Pending", "colour": "grey"},
    CheckOutcome.SATISFACTORY: {"text": "Satisfactory", "colour": "green"},
    CheckOutcome.CONCERN: {"text": "Concern", "colour": "red"},
    CheckOutcome.NOT_APPLICABLE: {"text": "Not applicable", "colour": "white"},
}
STATUS_LABELS = {
    Status.NOT_OPENED: "Not opened",
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.READY: "Ready to conclude",
    Status.FIT: "Fit and proper",
    Status.NOT_FIT: "Not fit and proper",
}
STATUS_COLOURS = {
    Status.NOT_OPENED: "white",
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.READY: "yellow",
    Status.FIT: "green",
    Status.NOT_FIT: "red",
}
# What the assessor looks for in each check they record.
CHECK_GUIDANCE = {
    CheckKind.IDENTITY: "Check original photo identity, such as a passport or driving licence.",
    CheckKind.RIGHT_TO_WORK: "Check their right to work in the UK, for example with the "
    "Home Office online service.",
    CheckKind.CRIMINAL_RECORD: "Check the Disclosure and Barring Service certificate at the "
    "level their role needs.",
    CheckKind.INSOLVENCY: "Search the Individual Insolvency Register and the bankruptcy and "
    "insolvency notices in the Gazette.",
    CheckKind.DISQUALIFIED_DIRECTORS: "Search the Companies House register of disqualified "
    "directors.",
    CheckKind.CHARITY_TRUSTEES: "Search the Charity Commission register of removed trustees.",
    CheckKind.EMPLOYMENT_TRIBUNALS: "Search the employment tribunal decisions for judgments "
    "against them.",
    CheckKind.SOCIAL_MEDIA: "Look at their public social media for anything that calls their "
    "conduct into question.",
    CheckKind.QUALIFICATIONS: "Check the qualifications and professional registration their "
    "role needs.",
    CheckKind.REFERENCES: "Check the board member references, which must be received before "
    "someone starts in a board role.",
}


def check_name(check: FitnessCheck) -> str:
    """'Identity check', 'Criminal record check' (not 'Criminal record check check')."""
    label = check.get_kind_display()
    return label if label.lower().endswith("check") else f"{label} check"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def status_tag(status: str, *, decided: int | None = None) -> dict:
    text = status_label(status)
    if status == Status.IN_PROGRESS and decided is not None:
        text = f"In progress ({decided} of {TOTAL_CHECKS})"
    return {"text": text, "colour": STATUS_COLOURS.get(status, "grey")}


def check_tag(outcome: str) -> dict:
    return CHECK_TAGS.get(outcome, {"text": outcome, "colour": "grey"})


STATUS_CHART_COLOURS = {
    Status.NOT_OPENED: "#768692",
    Status.NOT_STARTED: "#768692",
    Status.IN_PROGRESS: "#005eb8",
    Status.READY: "#ed8b00",
    Status.FIT: "#007f3b",
    Status.NOT_FIT: "#d5281b",
}


def status_chart(counts: dict[str, int], *, organisation_name: str, year: int):
    """An SVG bar chart of the board's assessments by status (the table beside it has
    the same numbers)."""
    from steward.fitness.charts import Bar, bar_chart_svg

    bars = [
        Bar(status_label(s), counts.get(s, 0), STATUS_CHART_COLOURS[s])
        for s in STATUS_ORDER
        if counts.get(s)
    ]
    description = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return bar_chart_svg(
        chart_id="assessment-status-chart",
        title=f"Board members by assessment status, {organisation_name}, {year}",
        description=description or "No board members.",
        bars=bars,
    )


def years_chart(rows: list[dict]):
    """An SVG bar chart of assessments opened and concluded in each year."""
    from steward.fitness.charts import Bar, bar_chart_svg

    bars = []
    for row in rows:
        bars.append(Bar(f"{row['year']} opened", row["total"], "#005eb8"))
        bars.append(Bar(f"{row['year']} concluded", row["concluded"], "#007f3b"))
    return bar_chart_svg(
        chart_id="assessment-years-chart",
        title="Fit and proper person assessments opened and concluded each year",
        description="; ".join(f"{bar.label}: {bar.value:,}" for bar in bars),
        bars=bars,
    )


def counts_text(counts: dict[str, int]) -> list[dict]:
    """The overview's counts, in status order, leaving out the empty ones."""
    return [
        {"status": s, "label": status_label(s), "count": counts[s], "tag": status_tag(s)}
        for s in STATUS_ORDER
        if counts.get(s)
    ]


@dataclass
class CheckRow:
    kind: str
    label: str
    tag: dict
    details: list[str]
    change_url: str | None
    who_completes: str


def check_rows(
    assessment: FitnessAssessment, checks: list[FitnessCheck], *, may_record: bool
) -> list[CheckRow]:
    """One row per check for the assessment page's summary list."""
    rows = []
    for check in checks:
        details = []
        if check.outcome != CheckOutcome.PENDING and check.checked_on:
            details.append(f"Checked on {uk_date(check.checked_on)}")
        if check.checked_by_label and check.outcome != CheckOutcome.PENDING:
            details.append(f"By {check.checked_by_label}")
        if check.evidence_reference:
            details.append(f"Evidence: {check.evidence_reference}")
        if check.not_applicable_reason:
            details.append(f"Why it does not apply: {check.not_applicable_reason}")
        if check.note:
            details.append(f"Note: {check.note}")
        if check.kind in AUTOMATIC_CHECKS:
            who = "Filled in by Steward from the register"
        elif check.kind in DIRECTOR_CHECKS:
            who = (
                "The director completes this"
                if check.outcome == CheckOutcome.PENDING
                else "Completed by the director"
            )
        else:
            who = ""
        recordable = check.kind not in AUTOMATIC_CHECKS and check.kind not in DIRECTOR_CHECKS
        change_url = None
        if may_record and recordable and not assessment.is_concluded:
            change_url = reverse("fitness:check", kwargs={"pk": assessment.pk, "kind": check.kind})
        rows.append(
            CheckRow(
                kind=check.kind,
                label=check.get_kind_display(),
                tag=check_tag(check.outcome),
                details=details,
                change_url=change_url,
                who_completes=who,
            )
        )
    return rows


def _row(key: str, value: str) -> dict:
    return {"key": {"text": key}, "value": {"text": value}}


def summary_rows(assessment: FitnessAssessment, *, status: str, decided: int) -> list[dict]:
    """The summary list at the top of the assessment page."""
    role = assessment.career_role
    return [
        _row("Registration number", assessment.registrant.registration_number),
        _row("Role", f"{role.title} ({role.get_category_display().lower()})"),
        _row("Organisation", assessment.organisation.name),
        _row("Year", str(assessment.year)),
        _row("Why it was opened", assessment.get_trigger_display()),
        _row("Opened", uk_date(assessment.opened_at)),
        _row("Checks with an outcome", f"{decided} of {TOTAL_CHECKS}"),
    ]


def conclusion_rows(assessment: FitnessAssessment) -> list[dict]:
    concluded_as = assessment.get_concluded_as_display().lower()
    rows = [
        _row("Outcome", assessment.get_outcome_display()),
        _row("Reasons", assessment.conclusion_reasons),
        _row("Concluded by", f"{assessment.concluded_by_label} ({concluded_as})"),
        _row("Concluded on", uk_datetime(assessment.concluded_at)),
    ]
    referral = getattr(assessment, "referral", None)
    if referral is not None:
        rows.append(
            _row(
                "Referred to the regulator",
                f"Reference {referral.reference}, {uk_date(referral.created_at)}",
            )
        )
    return rows


def conclude_who(assessment: FitnessAssessment) -> str:
    from steward.fitness.rules import concluding_role

    if concluding_role(assessment) == "senior_independent_director":
        return "The senior independent director concludes the chair's assessment."
    return "The chair concludes this assessment."


def own_task_items(assessment: FitnessAssessment) -> list[dict]:
    """The director's two tasks on their own page, as NHS task list items."""
    checks = {check.kind: check for check in assessment.checks.all()}
    items = []
    for kind, url_name in (
        (CheckKind.COMPETENCY, "fitness:competency"),
        (CheckKind.SELF_ATTESTATION, "fitness:attestation"),
    ):
        check = checks.get(kind)
        done = check is not None and check.outcome != CheckOutcome.PENDING
        if done:
            status = {"tag": {"text": "Completed", "colour": "green"}}
        else:
            status = {"tag": {"text": "To do", "colour": "blue"}}
        item = {"title": {"text": kind.label}, "status": status}
        if not assessment.is_concluded:
            item["href"] = reverse(url_name, kwargs={"pk": assessment.pk})
            if done:
                item["hint"] = (
                    f"Completed on {uk_date(check.checked_on)}. You can change it "
                    "until the assessment is concluded."
                )
        elif done:
            item["hint"] = f"Completed on {uk_date(check.checked_on)}."
        items.append(item)
    return items
