"""A board member reference as a PDF (see ``core/pdf.py``)."""

from steward.core.formatting import uk_date
from steward.core.pdf import StewardPDF
from steward.references.models import BoardMemberReference, YesNo
from steward.references.questions import QUESTIONS, STEMS


def reference_pdf(*, reference: BoardMemberReference, compress: bool = True) -> bytes:
    """The whole reference: the person, the organisation, every question and its answer,
    the referee and the dates."""
    pdf = StewardPDF(
        title="Board member reference",
        footer_text="Board member reference – restricted",
        compress=compress,
    )
    person = reference.registrant
    pdf.title_block(
        "Board member reference",
        "Restricted: for the organisation that asked for it, the organisation that gave it "
        "and the person it is about.",
    )

    pdf.pair("Person", f"{person.legal_name} ({person.registration_number})")
    pdf.pair(
        "Given by",
        f"{reference.referee_organisation.name} ({reference.referee_organisation.ods_code})",
    )
    request = reference.request
    if request is not None and request.appointment_id:
        appointment = request.appointment
        pdf.pair(
            "Asked for by",
            f"{appointment.organisation.name}, for the role of {appointment.role_title}",
        )
    elif request is not None:
        pdf.pair("Reason", "Given when the person left a board role")
    pdf.pair("Date given", uk_date(reference.completed_at))
    if reference.supersedes_id:
        pdf.pair(
            "Update",
            "This is an update to the reference of "
            f"{uk_date(reference.supersedes.completed_at)}, and replaces it.",
        )
    pdf.pair("Roles and dates", reference.roles_and_dates)

    pdf.heading("Questions")
    for number, stem in enumerate(STEMS, start=1):
        answer = getattr(reference, stem)
        text = YesNo(answer).label
        details = getattr(reference, f"{stem}_details")
        if answer == YesNo.YES and details:
            text = f"{text}. {details}"
        pdf.pair(f"{number}. {QUESTIONS[stem]}", text)

    pdf.heading("Referee")
    pdf.pair("Name", reference.referee_name)
    pdf.pair("Job title", reference.referee_job_title)
    if reference.on_behalf_of_referee:
        pdf.pair(
            "Completed by",
            f"{reference.completed_by_label}, HR lead, on the named referee's behalf",
        )
    if reference.retain_until:
        pdf.pair("Kept until", uk_date(reference.retain_until))
    return pdf.bytes()
