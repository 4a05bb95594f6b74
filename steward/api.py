"""The public and signed-in JSON API, versioned under /api/v1/.

Each app contributes a router; authentication is by bearer token
(``Authorization: Bearer …``, see ``steward token create``) or the browser
session. Public endpoints need neither.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from steward.accounts.api import router as accounts_router
from steward.audit.api import router as audit_router
from steward.fitness.api import router as fitness_router
from steward.fitness.api_returns import router as fitness_returns_router
from steward.organisations.api import router as organisations_router
from steward.references.api import router as references_router
from steward.register.api_import import router as register_import_router
from steward.register.api_public import router as register_router
from steward.standards.api import router as standards_router

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


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


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
