"""Schemas shared by every app's API."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


# Responses every authenticated endpoint can give, for the OpenAPI document.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut}
