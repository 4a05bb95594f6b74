"""Placeholder: reading and revealing a reporter's identity (filled in next)."""


def identity_panel(*, concern, user) -> dict:
    """What the concern page shows about the reporter's identity and reveal requests."""
    return {}
