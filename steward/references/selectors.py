"""Reads of references and appointments, scoped to who may see them."""

from steward.references.models import REFERENCE_QUESTIONS, BoardMemberReference, YesNo


def reference_disclosures(*, registrant) -> list[dict]:
    """What current references about a person disclose (answers of "yes"), newest first.

    Shown to the assessor in the fit and proper person test. A reference that has
    been superseded by an update is left out: the update stands in its place.
    """
    questions = dict(REFERENCE_QUESTIONS)
    found = []
    references = (
        BoardMemberReference.objects.filter(registrant=registrant, superseded_by__isnull=True)
        .select_related("referee_organisation")
        .order_by("-completed_at", "-pk")
    )
    for reference in references:
        for stem in questions:
            if getattr(reference, stem) == YesNo.YES:
                found.append(
                    {
                        "reference": reference,
                        "organisation": reference.referee_organisation,
                        "question": questions[stem],
                        "stem": stem,
                        "details": getattr(reference, f"{stem}_details"),
                        "completed_at": reference.completed_at,
                    }
                )
    return found


def overrides_in_region(*, region, year: int) -> list:
    """Appointments in the region whose start was recorded in ``year`` before every
    reference was received (the chair's reason to proceed), newest first."""
    raise NotImplementedError
