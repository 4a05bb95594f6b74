"""Placeholder: the concerns team's API (queue and triage)."""

from ninja import Router

router = Router(tags=["concerns (staff)"])
