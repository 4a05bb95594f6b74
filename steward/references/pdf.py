"""A board member reference as a PDF (fpdf2).

The core PDF fonts only cover Latin-1, which cannot write names such as
"Wiśniewski", so the document embeds DejaVu Sans: a Unicode font that ships
with matplotlib, already one of Steward's dependencies.
"""

import logging
from pathlib import Path

from fpdf import FPDF

from steward.core.formatting import uk_date
from steward.references.models import BoardMemberReference, YesNo
from steward.references.questions import QUESTIONS, STEMS

FONT = "DejaVu"
# Embedding a font subset logs every table at INFO: too much for the service's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class ReferencePDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(
            0,
            10,
            f"Board member reference – restricted – page {self.page_no()} of {{nb}}",
            align="C",
        )


def _write_heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)


def _write_pair(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, value or "–", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)


def reference_pdf(*, reference: BoardMemberReference, compress: bool = True) -> bytes:
    """The whole reference: the person, the organisation, every question and its answer,
    the referee and the dates."""
    fonts = _font_dir()
    pdf = ReferencePDF(format="A4")
    pdf.set_compression(compress)
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Board member reference")
    pdf.set_creator("Steward")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    person = reference.registrant
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, "Board member reference", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        6,
        "Restricted: for the organisation that asked for it, the organisation that gave it "
        "and the person it is about.",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    pdf.ln(4)

    _write_pair(pdf, "Person", f"{person.legal_name} ({person.registration_number})")
    _write_pair(
        pdf,
        "Given by",
        f"{reference.referee_organisation.name} ({reference.referee_organisation.ods_code})",
    )
    request = reference.request
    if request is not None and request.appointment_id:
        appointment = request.appointment
        _write_pair(
            pdf,
            "Asked for by",
            f"{appointment.organisation.name}, for the role of {appointment.role_title}",
        )
    elif request is not None:
        _write_pair(pdf, "Reason", "Given when the person left a board role")
    _write_pair(pdf, "Date given", uk_date(reference.completed_at))
    if reference.supersedes_id:
        _write_pair(
            pdf,
            "Update",
            "This is an update to the reference of "
            f"{uk_date(reference.supersedes.completed_at)}, and replaces it.",
        )
    _write_pair(pdf, "Roles and dates", reference.roles_and_dates)

    _write_heading(pdf, "Questions")
    for number, stem in enumerate(STEMS, start=1):
        answer = getattr(reference, stem)
        text = YesNo(answer).label
        details = getattr(reference, f"{stem}_details")
        if answer == YesNo.YES and details:
            text = f"{text}. {details}"
        _write_pair(pdf, f"{number}. {QUESTIONS[stem]}", text)

    _write_heading(pdf, "Referee")
    _write_pair(pdf, "Name", reference.referee_name)
    _write_pair(pdf, "Job title", reference.referee_job_title)
    if reference.on_behalf_of_referee:
        _write_pair(
            pdf,
            "Completed by",
            f"{reference.completed_by_label}, HR lead, on the named referee's behalf",
        )
    if reference.retain_until:
        _write_pair(pdf, "Kept until", uk_date(reference.retain_until))
    return bytes(pdf.output())
