"""What every page's layout needs: navigation for the signed-in roles, CSP nonce."""

from django.conf import settings


def layout(request):
    from steward.accounts.selectors import navigation_for
    from steward.notifications.selectors import unread_count

    return {
        "service_name": "Steward",
        # Every page has the NHS.UK frontend's one inline script, so always make a nonce.
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
        "navigation_items": navigation_for(user=request.user, path=request.path),
        "debug": settings.DEBUG,
        "unread_notifications": unread_count(user=request.user) if hasattr(request, "user") else 0,
    }
