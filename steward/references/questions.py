"""The fixed questions of the board member reference, and what to say when one is
not answered. Every question is answered yes or no ("no" where nothing applies);
"yes" needs details. None asks whether the person raised concerns themselves."""

from steward.references.models import REFERENCE_QUESTIONS, YesNo

STEMS = tuple(stem for stem, _ in REFERENCE_QUESTIONS)
QUESTIONS = dict(REFERENCE_QUESTIONS)

# Short headings for pages and the PDF.
HEADINGS = {
    "disciplinary_findings": "Disciplinary findings",
    "investigations": "Investigations in progress or discontinued on leaving",
    "upheld_concerns": "Upheld grievances or concerns about their conduct",
    "fitness_outcomes": "Fit and proper person outcomes",
    "settlement_agreements": "Settlement agreements",
}
# Error messages when a question is not answered, and when "yes" has no details.
ANSWER_REQUIRED = {
    "disciplinary_findings": "Select whether any disciplinary findings were made against them",
    "investigations": (
        "Select whether any investigation into their conduct was in progress, or "
        "discontinued, when they left"
    ),
    "upheld_concerns": (
        "Select whether any grievances against them, or concerns about their conduct, were upheld"
    ),
    "fitness_outcomes": (
        "Select whether they were found not fit and proper, or a concern was raised in a "
        "fit and proper person assessment"
    ),
    "settlement_agreements": "Select whether they entered a settlement agreement with you",
}
DETAILS_REQUIRED = {
    "disciplinary_findings": "Give details of the disciplinary findings",
    "investigations": "Give details of the investigation",
    "upheld_concerns": "Give details of the grievances or concerns that were upheld",
    "fitness_outcomes": "Give details of the fit and proper person outcome",
    "settlement_agreements": (
        "Give details of the settlement agreement: disclose it whatever the agreement says"
    ),
}
ROLES_AND_DATES_REQUIRED = "Enter the roles they held with you, with the dates of each"
ROLES_AND_DATES_LABEL = "Roles and dates"
ANSWER_FIELDS = ("roles_and_dates", *STEMS, *(f"{stem}_details" for stem in STEMS))
YES_NO_VALUES = frozenset(YesNo.values)
MAX_DETAILS = 5000
