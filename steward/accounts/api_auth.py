"""API authentication: a bearer token, or the browser's signed-in session."""

from ninja.security import HttpBearer, django_auth

from steward.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()
# Either works; public endpoints use no auth at all.
bearer_or_session = [bearer, django_auth]


def request_user(request):
    """The person an authenticated API request is from (token or session)."""
    return request.auth if hasattr(request.auth, "pk") else request.user
