"""Schemas shared by every app's API."""

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    """A refused request: what went wrong, and each problem with where it is."""

    detail: str = Field(description="What went wrong, in plain English.")
    errors: list[dict[str, Any]] = Field(
        default_factory=list, description="Each problem: the field or parameter, and a message."
    )


# Bad parameters (django-ninja's 422) have the same shape.
InvalidRequestOut = ProblemOut


# Responses every authenticated endpoint can give, for the OpenAPI document.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut}


def problem(error, detail: str) -> dict:
    """A service's ValidationError as an API body: ``detail`` (every message, or the
    fallback given) and ``errors`` [{field, message}] (field empty when it names none)."""
    if hasattr(error, "error_dict"):
        errors = [
            {"field": name, "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in error.messages]
    return {"detail": " ".join(e["message"] for e in errors) or detail, "errors": errors}
