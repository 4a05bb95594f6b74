"""A determination as a PDF (fpdf2, with the DejaVu Sans font for names such as
"Wiśniewski"): the case, the registrant, the allegations with the standards they cite
(as worded in the version cited), the findings, impairment and sanction with every
reason. The bytes are hashed and the hash goes into the audit trail, so the document
the registrant holds can be shown to be the one issued."""

import datetime as dt

from steward.cases.models import SANCTION_LADDER, Determination, DeterminationKind, SanctionKind
from steward.concerns.selectors import cited_titles
from steward.core.formatting import uk_date
from steward.core.pdf import StewardPDF


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
    pdf = StewardPDF(
        title=f"{determination.get_kind_display()}: {case.reference}",
        footer_text=f"Determination on case {case.reference}",
        compress=compress,
    )
    pdf.title_block(
        determination.get_kind_display(),
        f"Fitness to practise case {case.reference}",
        subtitle_size=11,
    )

    pdf.pair("Registrant", registrant.legal_name)
    pdf.pair("Registration number", registrant.registration_number)
    pdf.pair("Case reference", case.reference)
    pdf.pair("Issued on", uk_date(issued_on))
    hearing = determination.hearing
    if hearing is not None:
        place = f", {hearing.location}" if hearing.location else ""
        pdf.pair("Hearing", f"{hearing.get_kind_display()} on {uk_date(hearing.starts_on)}{place}")
        pdf.pair("Panel", _panel_text(hearing))
    elif determination.kind == DeterminationKind.EXAMINERS:
        pdf.pair("Decided by", "Two case examiners: one lay and one manager examiner")
    earlier = determination.supersedes
    if earlier is not None:
        pdf.pair(
            "Replaces",
            f"The {earlier.get_kind_display().lower()} issued on {uk_date(earlier.issued_at)}, "
            "which this determination supersedes. That determination is not changed.",
        )
    if outcome:
        pdf.heading("Decision")
        pdf.pair("Outcome", outcome)

    allegations = list(case.allegations.order_by("number"))
    if allegations:
        titles = cited_titles(allegations)
        pdf.heading("Allegations")
        for allegation in allegations:
            cited = "\n".join(
                f"{ref} – {titles.get((allegation.standards_version_id, ref), '')}".rstrip(" –")
                for ref in allegation.cited_refs
            )
            label = f"Allegation {allegation.number}"
            if allegation.withdrawn:
                label += " (withdrawn)"
            pdf.pair(
                label,
                f"{allegation.text}\n\nDate of the conduct: {uk_date(allegation.conduct_on)}\n"
                f"Standards cited (version {allegation.standards_version.number}, in force on "
                f"that date):\n{cited}",
            )

    facts = determination.facts or {}
    if facts:
        pdf.heading("Findings of fact")
        for number in sorted(facts, key=int):
            finding = facts[number]
            verdict = "Proved" if finding.get("proved") else "Not proved"
            pdf.pair(f"Allegation {number}: {verdict}", finding.get("reasons", ""))

    if determination.impaired is not None:
        pdf.heading("Impairment")
        verdict = (
            "Fitness to practise is impaired"
            if determination.impaired
            else "Fitness to practise is not impaired"
        )
        pdf.pair(verdict, determination.impairment_reasons)

    pdf.heading("Sanction")
    if determination.sanction:
        kind = SanctionKind(determination.sanction)
        pdf.pair("Sanction imposed", kind.label)
        if determination.effective_from:
            pdf.pair("Takes effect on", uk_date(determination.effective_from))
        if determination.ends_on:
            pdf.pair("Ends on", uk_date(determination.ends_on))
        elif kind == SanctionKind.BARRING:
            pdf.pair("Ends on", "Barring has no end date")
        if determination.conditions:
            label = "Undertakings" if kind == SanctionKind.UNDERTAKINGS else "Conditions"
            pdf.pair(label, determination.conditions)
        pdf.pair("Reasons", determination.sanction_reasons)
        rejected = determination.less_severe_rejected or {}
        lesser = [k for k in SANCTION_LADDER if k.value in rejected]
        if lesser:
            pdf.heading("Why less severe sanctions are not enough")
            for other in lesser:
                pdf.pair(other.label, rejected[other.value])
    else:
        pdf.pair("Sanction imposed", "No sanction")
        if determination.sanction_reasons:
            pdf.pair("Reasons", determination.sanction_reasons)

    if determination.published_summary:
        pdf.heading("What the public register shows")
        pdf.pair("Published summary", determination.published_summary)

    if appeal_by is not None:
        pdf.heading("Appeal")
        pdf.pair(
            "Appeal by",
            f"You can appeal against this determination until {uk_date(appeal_by)}. "
            "Sign in to Steward to appeal, giving your grounds.",
        )
    return pdf.bytes()
