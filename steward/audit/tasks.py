"""Background work for django-q2 (``steward worker``)."""

import logging

from steward.audit import services

logger = logging.getLogger(__name__)


def daily_checkpoint() -> str:
    """Sign a checkpoint over every event so far (scheduled nightly, see apps.py).

    Raises if the trail fails verification, so the failure shows in the
    worker's failed tasks rather than passing quietly.
    """
    checkpoint = services.checkpoint_create(actor=None)
    if checkpoint is None:
        return "No new audit events since the last checkpoint."
    return f"Signed a checkpoint of {checkpoint.tree_size} audit events."


def run_verification(run_id: int) -> str:
    run = services.verification_execute(run_id=run_id)
    return f"Audit verification {run.pk}: {run.status}"
