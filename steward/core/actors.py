"""Who did something: a signed-in person, or Steward itself (a job's name, or None).

Services take ``actor`` as either; these two answer the questions they all ask.
"""

from django.contrib.auth import get_user_model

LABEL_LENGTH = 200


def actor_user(actor):
    """The person who acted, or None when it was Steward itself."""
    return actor if isinstance(actor, get_user_model()) else None


def actor_label(actor) -> str:
    """How the actor is named on the record they leave (a person's name, or the job's)."""
    user = actor_user(actor)
    if user is not None:
        return (user.full_name or user.email)[:LABEL_LENGTH]
    return str(actor or "Steward")[:LABEL_LENGTH]
