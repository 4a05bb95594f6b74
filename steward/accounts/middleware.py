"""Regulator and regional roles must use multi-factor authentication."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from steward.accounts.roles import MFA_ROLES

# Pages a person must reach to set up MFA, or that hold nothing restricted.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/privacy/")


def needs_mfa_enrolment(user) -> bool:
    from allauth.mfa.models import Authenticator

    from steward.accounts.selectors import roles_held

    if settings.DEMO_SKIP_MFA or not user.is_authenticated:
        return False
    if not roles_held(user=user) & MFA_ROLES:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT_PREFIXES) and needs_mfa_enrolment(request.user):
            messages.warning(
                request,
                "Your role needs an authenticator app. Set one up to continue.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
