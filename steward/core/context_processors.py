"""What every page's layout needs: navigation for the signed-in roles, CSP nonce."""

from django.conf import settings


def layout(request):
    from steward.accounts.selectors import navigation_for

    return {
        "service_name": "Steward",
        "cspNonce": getattr(request, "csp_nonce", ""),
        "navigation_items": navigation_for(user=request.user, path=request.path),
        "debug": settings.DEBUG,
    }
