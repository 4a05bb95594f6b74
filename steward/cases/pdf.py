"""A determination as a PDF (fpdf2, with the DejaVu Sans font for names such as
"Wiśniewski"): the case, the registrant, the allegations with the standards they cite
(as worded in the version cited), the findings, impairment and sanction with every
reason. The bytes are hashed and the hash goes into the audit trail, so the document
the registrant holds can be shown to be the one issued."""

import datetime as dt
import logging
from pathlib import Path

from fpdf import FPDF

from steward.cases.models import SANCTION_LADDER, Determination, DeterminationKind, SanctionKind
from steward.concerns.selectors import cited_titles
from steward.core.formatting import uk_date

FONT = "DejaVu"
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class DeterminationPDF(FPDF):
    reference = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(
            0,
            10,
            f"Determination on case {self.reference} – page {self.page_no()} of {{nb}}",
            align="C",
        )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)


def _pair(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, value or "–", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)


def _panel_text(hearing) -> str:
    lines = []
    for seat in hearing.panel.select_related("member").order_by("-is_chair", "pk"):
        role = f"{seat.get_category_display().lower()} member"
        chair = ", chair" if seat.is_chair else ""
        lines.append(f"{seat.member.full_name} ({role}{chair})")
    return "\n".join(lines)


def determination_pdf(
    *,
    determination: Determination,
    issued_on: dt.date,
    appeal_by: dt.date | None,
    outcome: str = "",
    compress: bool = True,
) -> bytes:
    """The whole determination, as issued on ``issued_on``."""
    case = determination.case
    registrant = case.registrant
    fonts = _font_dir()
    pdf = DeterminationPDF(format="A4")
    pdf.reference = case.reference
    pdf.set_compression(compress)
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{determination.get_kind_display()}: {case.reference}")
    pdf.set_creator("Steward")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, determination.get_kind_display(), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        f"Fitness to practise case {case.reference}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    pdf.ln(4)

    _pair(pdf, "Registrant", registrant.legal_name)
    _pair(pdf, "Registration number", registrant.registration_number)
    _pair(pdf, "Case reference", case.reference)
    _pair(pdf, "Issued on", uk_date(issued_on))
    hearing = determination.hearing
    if hearing is not None:
        place = f", {hearing.location}" if hearing.location else ""
        _pair(
            pdf, "Hearing", f"{hearing.get_kind_display()} on {uk_date(hearing.starts_on)}{place}"
        )
        _pair(pdf, "Panel", _panel_text(hearing))
    elif determination.kind == DeterminationKind.EXAMINERS:
        _pair(pdf, "Decided by", "Two case examiners: one lay and one manager examiner")
    earlier = determination.supersedes
    if earlier is not None:
        _pair(
            pdf,
            "Replaces",
            f"The {earlier.get_kind_display().lower()} issued on {uk_date(earlier.issued_at)}, "
            "which this determination supersedes. That determination is not changed.",
        )
    if outcome:
        _heading(pdf, "Decision")
        _pair(pdf, "Outcome", outcome)

    allegations = list(case.allegations.order_by("number"))
    if allegations:
        titles = cited_titles(allegations)
        _heading(pdf, "Allegations")
        for allegation in allegations:
            cited = "\n".join(
                f"{ref} – {titles.get((allegation.standards_version_id, ref), '')}".rstrip(" –")
                for ref in allegation.cited_refs
            )
            label = f"Allegation {allegation.number}"
            if allegation.withdrawn:
                label += " (withdrawn)"
            _pair(
                pdf,
                label,
                f"{allegation.text}\n\nDate of the conduct: {uk_date(allegation.conduct_on)}\n"
                f"Standards cited (version {allegation.standards_version.number}, in force on "
                f"that date):\n{cited}",
            )

    facts = determination.facts or {}
    if facts:
        _heading(pdf, "Findings of fact")
        for number in sorted(facts, key=int):
            finding = facts[number]
            verdict = "Proved" if finding.get("proved") else "Not proved"
            _pair(pdf, f"Allegation {number}: {verdict}", finding.get("reasons", ""))

    if determination.impaired is not None:
        _heading(pdf, "Impairment")
        verdict = (
            "Fitness to practise is impaired"
            if determination.impaired
            else "Fitness to practise is not impaired"
        )
        _pair(pdf, verdict, determination.impairment_reasons)

    _heading(pdf, "Sanction")
    if determination.sanction:
        kind = SanctionKind(determination.sanction)
        _pair(pdf, "Sanction imposed", kind.label)
        if determination.effective_from:
            _pair(pdf, "Takes effect on", uk_date(determination.effective_from))
        if determination.ends_on:
            _pair(pdf, "Ends on", uk_date(determination.ends_on))
        elif kind == SanctionKind.BARRING:
            _pair(pdf, "Ends on", "Barring has no end date")
        if determination.conditions:
            label = "Undertakings" if kind == SanctionKind.UNDERTAKINGS else "Conditions"
            _pair(pdf, label, determination.conditions)
        _pair(pdf, "Reasons", determination.sanction_reasons)
        rejected = determination.less_severe_rejected or {}
        lesser = [k for k in SANCTION_LADDER if k.value in rejected]
        if lesser:
            _heading(pdf, "Why less severe sanctions are not enough")
            for other in lesser:
                _pair(pdf, other.label, rejected[other.value])
    else:
        _pair(pdf, "Sanction imposed", "No sanction")
        if determination.sanction_reasons:
            _pair(pdf, "Reasons", determination.sanction_reasons)

    if determination.published_summary:
        _heading(pdf, "What the public register shows")
        _pair(pdf, "Published summary", determination.published_summary)

    if appeal_by is not None:
        _heading(pdf, "Appeal")
        _pair(
            pdf,
            "Appeal by",
            f"You can appeal against this determination until {uk_date(appeal_by)}. "
            "Sign in to Steward to appeal, giving your grounds.",
        )
    return bytes(pdf.output())
