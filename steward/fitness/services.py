"""Writes for the fit and proper person test (being written)."""


def assessment_open_for_appointment(*, career_role, actor):
    """Open the appointment assessment for a new board role; returns it, or None when the
    role is not a board role or the person already has one for that year there."""
    raise NotImplementedError
