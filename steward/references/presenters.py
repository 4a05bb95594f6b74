"""How appointments, vetting and references are shown: tags, rows, labels."""

from steward.core.formatting import uk_date
from steward.references.models import AppointmentStatus, RequestKind, RequestStatus, YesNo
from steward.references.questions import HEADINGS, QUESTIONS, STEMS
from steward.references.vetting import REFERENCE_CODES, Vetting

APPOINTMENT_COLOURS = {
    AppointmentStatus.PROPOSED: "blue",
    AppointmentStatus.STARTED: "green",
    AppointmentStatus.WITHDRAWN: "grey",
}
REQUEST_STATES = {
    "not_requested": ("Not requested", "grey"),
    RequestStatus.REQUESTED: ("Requested", "yellow"),
    RequestStatus.COMPLETED: ("Received", "green"),
    RequestStatus.WITHDRAWN: ("Withdrawn", "grey"),
}
RESTRICTION_TAGS = {
    "registrant_suspended": "Suspended",
    "registrant_conditions": "Conditions",
    "registrant_lapsed": "Registration lapsed",
    "registrant_voluntarily_removed": "Not on the register",
}


def appointment_status_tag(status: str) -> dict:
    return {
        "text": AppointmentStatus(status).label,
        "colour": APPOINTMENT_COLOURS.get(status, "grey"),
    }


def request_state_tag(state: str) -> dict:
    text, colour = REQUEST_STATES.get(state, (state, "grey"))
    return {"text": text, "colour": colour}


def vetting_tags(vetting: Vetting, *, status: str = AppointmentStatus.PROPOSED) -> list[dict]:
    """Short tags summarising a vetting for the list of appointments."""
    if vetting.blocking:
        return [{"text": "Blocked", "colour": "red"}]
    tags = [
        {"text": RESTRICTION_TAGS[f.code], "colour": "orange"}
        for f in vetting.warnings
        if f.code in RESTRICTION_TAGS
    ]
    codes = vetting.codes
    if status != AppointmentStatus.WITHDRAWN and codes & REFERENCE_CODES:
        tags.append({"text": "References outstanding", "colour": "yellow"})
    if "employment_gap" in codes:
        tags.append({"text": "Employment gaps", "colour": "yellow"})
    if vetting.support_plan:
        tags.append({"text": "Support plan recommended", "colour": "blue"})
    elif "first_board_role_medium_risk" in codes:
        tags.append({"text": "First board role", "colour": "blue"})
    if not tags:
        tags.append({"text": "Nothing found", "colour": "green"})
    return tags


def request_reason(request) -> str:
    """'Appointment as Chief Finance Officer at X' or 'Left the board as Chair'."""
    if request.kind == RequestKind.LEAVING:
        role = request.career_role
        title = role.title if role is not None else "a board role"
        return f"Left the board as {title}"
    appointment = request.appointment
    return f"Proposed appointment as {appointment.role_title} at {appointment.organisation.name}"


def period_text(start, end) -> str:
    if start is None:
        return ""
    if end is None:
        return f"From {uk_date(start)}"
    return f"{uk_date(start)} to {uk_date(end)}"


def answer_rows(reference) -> list[dict]:
    """Summary-list rows: every question with its answer (and details for a yes)."""
    rows = []
    for number, stem in enumerate(STEMS, start=1):
        answer = getattr(reference, stem)
        details = getattr(reference, f"{stem}_details")
        rows.append(
            {
                "number": number,
                "stem": stem,
                "heading": HEADINGS[stem],
                "question": QUESTIONS[stem],
                "answer": YesNo(answer).label,
                "is_yes": answer == YesNo.YES,
                "details": details if answer == YesNo.YES else "",
            }
        )
    return rows


def restricted_fields(reference) -> list[str]:
    """What a reference page shows of the restricted record (names for the audit trail)."""
    return [
        "roles_and_dates",
        *STEMS,
        *(f"{stem}_details" for stem in STEMS if getattr(reference, stem) == YesNo.YES),
    ]
