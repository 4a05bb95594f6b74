"""The public and signed-in JSON API, versioned under /api/v1/.

Each app contributes a router; authentication is by bearer token
(``Authorization: Bearer …``, see ``steward token create``) or the browser
session. Public endpoints need neither.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from steward.accounts.api import router as accounts_router
from steward.audit.api import router as audit_router
from steward.cases.api_staff import router as cases_router
from steward.concerns.api import router as concerns_router
from steward.concerns.api_staff import router as concerns_staff_router
from steward.fitness.api import router as fitness_router
from steward.fitness.api_returns import router as fitness_returns_router
from steward.organisations.api import router as organisations_router
from steward.references.api import router as references_router
from steward.register.api_import import router as register_import_router
from steward.register.api_public import router as register_router
from steward.standards.api import router as standards_router

NULL_CHARACTER = "Text in the request must not include the null character (\\u0000)."


class NullCharacterInBody(ValueError):
    pass


def _has_null(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_null(k) or _has_null(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return False


class StewardParser(Parser):
    """JSON bodies, refusing the null character anywhere in them (PostgreSQL text
    cannot hold it; SQLite can, so one rule for both)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_null(data):
            raise NullCharacterInBody(NULL_CHARACTER)
        return data


api = NinjaAPI(
    title="Steward API",
    version="1",
    description=(
        "Open data about NHS organisations and the register of NHS managers, and "
        "signed-in access for the people who use Steward. Public endpoints need no "
        "authentication; others take `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StewardParser(),
)

api.add_router("/", organisations_router)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/", register_router)
api.add_router("/", register_import_router)
api.add_router("/", standards_router)
api.add_router("/", fitness_router)
api.add_router("/", fitness_returns_router)
api.add_router("/", references_router)
api.add_router("/", concerns_router)
api.add_router("/", concerns_staff_router)
api.add_router("/", cases_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc):
    detail = NULL_CHARACTER if isinstance(exc.__cause__, NullCharacterInBody) else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": "Authentication required: send 'Authorization: Bearer <token>'."},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": exc.errors}, status=422
    )
